"""The per-target columns go once every warning is a unit notice with items (a migration of its
own: PostgreSQL cannot alter a table in the transaction that has just changed its rows)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0015_warnings_per_unit"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="earlywarning",
            name="assessments_warning_one_per_target_and_period",
        ),
        migrations.RemoveField(
            model_name="earlywarning",
            name="actual",
        ),
        migrations.RemoveField(
            model_name="earlywarning",
            name="kind",
        ),
        migrations.RemoveField(
            model_name="earlywarning",
            name="plan",
        ),
        migrations.RemoveField(
            model_name="earlywarning",
            name="ratio",
        ),
        migrations.RemoveField(
            model_name="earlywarning",
            name="target",
        ),
        migrations.AddConstraint(
            model_name="earlywarning",
            constraint=models.UniqueConstraint(
                fields=("year", "unit", "issued_on"),
                name="assessments_warning_one_per_unit_and_run",
                violation_error_message="This unit already has a warning from this day's check.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="earlywarning",
            name="assessments_warning_deadline_after_issue",
            constraint=models.CheckConstraint(
                condition=models.Q(("catch_up_by__gte", models.F("issued_on"))),
                name="assessments_warning_deadline_after_issue",
                violation_error_message="The catch-up date cannot be before the issue date.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="earlywarning",
            name="assessments_warning_closed_has_record",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "closed"), _negated=True),
                    models.Q(
                        ("closed_on__isnull", False), models.Q(("closing_note", ""), _negated=True)
                    ),
                    _connector="OR",
                ),
                name="assessments_warning_closed_has_record",
                violation_error_message="Record why the warning is closed.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="earlywarning",
            name="assessments_warning_acknowledged_has_plan",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "acknowledged"), _negated=True),
                    models.Q(("catch_up_plan", ""), _negated=True),
                    _connector="OR",
                ),
                name="assessments_warning_acknowledged_has_plan",
                violation_error_message="Describe how the unit will catch up.",
            ),
        ),
        migrations.AddConstraint(
            model_name="warningitem",
            constraint=models.UniqueConstraint(
                fields=("target", "month"),
                name="assessments_warningitem_one_per_target_and_period",
                violation_error_message="This target was already warned for this month.",
            ),
        ),
    ]
