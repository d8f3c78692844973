"""The periodic schedules, defined in one place. ``manage.py setup_schedules`` installs the
missing ones into django-celery-beat; office staff of the top unit then edit times on the
schedules page (周期任务), and a later run never overwrites their edits.

Each job's task is a dispatcher that starts one task per county (``assessments/tasks.py``), so
the worker hosts share a job; a schedule edits the dispatcher only."""

from django.utils.translation import gettext_lazy as _

# name -> (task, crontab fields, description)
SCHEDULES = {
    "month-end bulletin": (
        "assessments.month_end_bulletin",
        {"minute": "0", "hour": "18", "day_of_month": "28-31"},
        _(
            "Last day of the month, 18:00: publish and email the monthly bulletin "
            "(the task itself checks that it is the last day)."
        ),
    ),
    "daily early warnings": (
        "assessments.check_warnings",
        {"minute": "0", "hour": "7"},
        _("Every day, 07:00: issue early warnings and escalate overdue ones."),
    ),
    "reporting reminders": (
        "assessments.send_reminders",
        {"minute": "0", "hour": "8"},
        _("Every day, 08:00: remind liaisons three days before the reporting deadline."),
    ),
    "quarterly reminders": (
        "assessments.quarterly_reminders",
        {"minute": "30", "hour": "8"},
        _(
            "Every day, 08:30: remind cadres before their quarterly work record is due, and "
            "graders when records wait for their grade."
        ),
    ),
    "eligibility flags": (
        "assessments.recompute_flags",
        {"minute": "30", "hour": "6"},
        _(
            "Every day, 06:30: recompute each county's eligibility flags under the rules in "
            "force that day (a rules version dated ahead takes effect on its day)."
        ),
    ),
    "outbox flush": (
        "assessments.flush_outbox",
        {"minute": "*/10"},
        _("Every 10 minutes: send what is still queued or failed (after an outage)."),
    ),
    "stale scores sweep": (
        "assessments.sweep_stale_scores",
        {"minute": "*/10"},
        _("Every 10 minutes: recompute the scores whose recompute was asked for but not run."),
    ),
}

# What a clerk calls each schedule.
TITLES = {
    "month-end bulletin": _("Month-end bulletin"),
    "daily early warnings": _("Daily early warnings"),
    "reporting reminders": _("Reporting reminders"),
    "quarterly reminders": _("Quarterly reminders"),
    "eligibility flags": _("Eligibility flags"),
    "outbox flush": _("Outbox flush"),
    "stale scores sweep": _("Stale scores sweep"),
}
