"""The data migration that turns per-target warnings into one notice per unit and run."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from assessments.services.targets import target_assign
from tests.factories import IndicatorFactory, WeightsFactory, YearFactory

# The last migration with per-target warnings, and the one after the merge (renumber on merge).
BEFORE = [("assessments", "0014_input_changes")]
AFTER = [("assessments", "0016_warnings_per_unit_columns")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_per_target_warnings_merge_into_one_notice_per_unit_and_run(xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    WeightsFactory(year=year, unit_kind="township")
    targets = []
    for code in "ABC":
        ind = IndicatorFactory(year=year, code=code, category="industry", method="ratio")
        targets.append(target_assign(indicator=ind, unit=xx.township, target_value=D(100)))
    ind = IndicatorFactory(year=year, code="D", category="industry", method="ratio")
    other = target_assign(indicator=ind, unit=xx.department, target_value=D(100))
    leaf = [key for key in MigrationExecutor(connection).loader.graph.leaf_nodes()]
    try:
        old = _migrate(BEFORE)
        Warning = old.get_model("assessments", "EarlyWarning")
        Outbox = old.get_model("assessments", "OutboxMessage")
        oct26, nov10 = dt.date(2015, 10, 26), dt.date(2015, 11, 10)

        def warn(target, month, issued_on, **extra):
            return Warning.objects.create(
                year_id=year.pk,
                unit_id=target.unit_id,
                target_id=target.pk,
                month=month,
                kind=extra.pop("kind", "lag"),
                plan=D(80),
                actual=D(30),
                ratio=D("0.375"),
                issued_on=issued_on,
                catch_up_by=issued_on + dt.timedelta(days=15),
                **extra,
            )

        a = warn(targets[0], 10, oct26, status="escalated", escalated_on=dt.date(2015, 11, 11))
        b = warn(
            targets[1],
            10,
            oct26,
            kind="missing",
            status="acknowledged",
            catch_up_plan="月底前补报",
            acknowledged_at=timezone.now(),
            acknowledged_by_id=xx.liaison.pk,
        )
        c = warn(targets[2], 10, oct26, status="closed", closed_on=nov10, closing_note="已赶上")
        sept = warn(
            targets[0],
            9,
            dt.date(2015, 9, 26),
            status="closed",
            closed_on=nov10,
            closing_note="已赶上",
        )
        alone = warn(other, 10, oct26)
        for w in (a, b):
            Outbox.objects.create(
                kind="warning",
                key=f"warning:{w.pk}",
                year_id=year.pk,
                warning_id=w.pk,
                recipient_email=f"head{w.pk}@example.gov.cn",
                reason="r",
                subject="s",
                body_text="b",
            )

        new = _migrate(AFTER)
        Notice = new.get_model("assessments", "EarlyWarning")
        Item = new.get_model("assessments", "WarningItem")
        Outbox = new.get_model("assessments", "OutboxMessage")
        assert Notice.objects.count() == 3  # the township's two runs, the department's one
        october = Notice.objects.get(pk=a.pk)  # the run's first row keeps its id
        assert not Notice.objects.filter(pk__in=[b.pk, c.pk]).exists()
        assert set(Item.objects.filter(warning=october).values_list("target_id", "kind")) == {
            (targets[0].pk, "lag"),
            (targets[1].pk, "missing"),
            (targets[2].pk, "lag"),
        }
        item = Item.objects.get(warning=october, target_id=targets[0].pk)
        assert (item.month, item.plan, item.actual, item.ratio) == (10, 80, 30, D("0.375"))
        # open while any of its targets is open, at the most pressing status
        assert october.status == "escalated"
        assert october.escalated_on == dt.date(2015, 11, 11)
        assert october.catch_up_plan == "月底前补报"
        assert october.acknowledged_by_id == xx.liaison.pk
        # the emails of the merged rows now point at the notice
        assert set(Outbox.objects.values_list("warning_id", flat=True)) == {october.pk}
        september = Notice.objects.get(pk=sept.pk)
        assert (september.status, september.closing_note) == ("closed", "已赶上")
        assert Item.objects.get(warning=september).month == 9
        assert Item.objects.get(warning_id=alone.pk).target_id == other.pk
    finally:
        _migrate(leaf)
