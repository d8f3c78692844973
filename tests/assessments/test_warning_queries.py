"""The early-warning check of a county takes a fixed number of queries, however many units
lag: candidates in one query, statuses in two, one insert each for notices, items and emails."""

import datetime as dt
from decimal import Decimal as D
from unittest import mock

import pytest
from django.template.loader import render_to_string

from assessments.models import EarlyWarning, OutboxMessage, WarningItem
from assessments.services import warnings
from assessments.services.progress import progress_submit
from assessments.services.targets import target_assign
from cadres.models import Unit
from tests.factories import IndicatorFactory, UnitFactory, WeightsFactory, YearFactory

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))
CHECK_DAY = dt.date(2015, 10, 26)  # October's reports were due on the 25th
# A savepoint for the county's transaction (a test runs inside one), the year's lock, the
# candidate targets, their milestones and reports, the notices' and the items' inserts, the
# overdue notices (none yet), the outbox (queued already?, savepoint, insert, release), the
# release.
ISSUE_QUERIES = 13
# Every target is warned for the month already: no statuses to read, no notice to insert; the
# overdue notices come with their items, targets and indicators, are updated at once, and the
# office's addresses are read.
ESCALATE_QUERIES = 14
# Nothing new and nothing due: the savepoint, the lock, the candidates (none: no statuses to
# read), the overdue notices (none), the release.
QUIET_QUERIES = 5


@pytest.fixture
def year(xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    WeightsFactory(year=year, unit_kind="township")
    xx.office.email = "office@example.gov.cn"
    xx.office.save()
    return year


def lagging_townships(xx, year, n: int) -> list[Unit]:
    """``n`` townships, each with one target far behind plan and one not reported."""
    indicators = [
        IndicatorFactory(
            year=year, code=code, category="industry", method="ratio", unit_kinds=["township"]
        )
        for code in ("I1", "I2")
    ]
    towns = [
        UnitFactory(
            code=f"XX-W{i}",
            name=f"乡{i}",
            kind=Unit.Kind.TOWNSHIP,
            parent=xx.county,
            head_email=f"head-{i}@example.gov.cn",
        )
        for i in range(n)
    ]
    for town in towns:
        behind, _missing = (
            target_assign(indicator=indicator, unit=town, target_value=D(1200))
            for indicator in indicators
        )
        progress_submit(
            target=behind,
            month=10,
            actual_value=D(100),
            narrative="进展",
            by=xx.liaison,
            now=dt.datetime(2015, 10, 20, 9, tzinfo=SH),
        )
    return towns


@pytest.mark.parametrize("n", [2, 8])
def test_a_countys_check_issues_and_escalates_in_fixed_queries(
    xx, year, n, django_assert_num_queries
):
    towns = lagging_townships(xx, year, n)
    with django_assert_num_queries(ISSUE_QUERIES):
        run = warnings.warnings_check_year(year=year, on=CHECK_DAY)
    assert {w.unit_id for w in run.issued} == {t.pk for t in towns}
    assert run.targets == 2 * n
    assert WarningItem.objects.count() == 2 * n
    assert run.emails == n
    assert sorted(OutboxMessage.objects.values_list("recipient_email", flat=True)) == sorted(
        t.head_email for t in towns
    )
    late = CHECK_DAY + dt.timedelta(days=year.warning_catch_up_days + 1)
    with django_assert_num_queries(ESCALATE_QUERIES):
        run = warnings.warnings_check_year(year=year.pk, on=late)
    assert run.issued == []
    assert len(run.escalated) == n
    assert run.emails == 2 * n  # the head and the office
    assert set(EarlyWarning.objects.values_list("status", flat=True)) == {"escalated"}


@pytest.mark.parametrize("n", [2, 8])
def test_the_next_days_check_finds_nothing_in_a_few_queries(xx, year, n, django_assert_num_queries):
    """What most days of a month are: every lagging target is on a notice, none is due."""
    lagging_townships(xx, year, n)
    warnings.warnings_check_year(year=year, on=CHECK_DAY)
    with django_assert_num_queries(QUIET_QUERIES):
        run = warnings.warnings_check_year(year=year, on=CHECK_DAY + dt.timedelta(days=1))
    assert (run.issued, run.escalated, run.emails) == ([], [], 0)
    assert EarlyWarning.objects.count() == n and OutboxMessage.objects.count() == n


def test_a_notice_lists_its_targets_by_indicator_with_how_far_behind(xx, year):
    (town,) = lagging_townships(xx, year, 1)
    (notice,) = warnings.warnings_check_year(year=year, on=CHECK_DAY).issued
    items = list(notice.items.order_by("target__indicator__code"))
    assert [(i.target.indicator.code, i.kind) for i in items] == [
        ("I1", EarlyWarning.Kind.LAG),
        ("I2", EarlyWarning.Kind.MISSING),
    ]
    assert items[0].plan == D(1000) and items[0].actual == D(100)
    body = OutboxMessage.objects.get(warning=notice).body_text
    assert "未报送" in body or "report missing" in body


def test_a_year_no_longer_in_progress_is_left_alone(xx, year):
    lagging_townships(xx, year, 1)
    year.status = "closed"
    year.save()
    run = warnings.warnings_check_year(year=year.pk, on=CHECK_DAY)
    assert run.issued == [] and run.escalated == []
    assert not EarlyWarning.objects.exists()


def test_a_runs_emails_are_each_notices_own_render(xx, year):
    """The notice emails are rendered once for the run and filled in per notice: each is
    what rendering its own notice gives, the unit's name escaped in HTML and not in text."""
    towns = lagging_townships(xx, year, 4)
    Unit.objects.filter(pk=towns[1].pk).update(name="东<城>&乡")
    extra = IndicatorFactory(
        year=year, code="I3", category="industry", method="ratio", unit_kinds=["township"]
    )
    target_assign(indicator=extra, unit=towns[2], target_value=D(90))  # three items, not two
    with mock.patch.object(warnings, "render_to_string", wraps=render_to_string) as renders:
        run = warnings.warnings_check_year(year=year, on=CHECK_DAY)
    # Per template: the frame without lines, with one, and the sample checked (not 4 each).
    assert renders.call_count == 2 * 3
    assert sorted(len(n.lagging) for n in run.issued) == [2, 2, 2, 3]
    bodies = dict(OutboxMessage.objects.values_list("warning_id", "body_html"))
    texts = dict(OutboxMessage.objects.values_list("warning_id", "body_text"))
    for notice in run.issued:
        context = warnings._context(notice, CHECK_DAY)
        assert texts[notice.pk] == render_to_string("emails/warning.txt", context)
        assert bodies[notice.pk] == render_to_string("emails/warning.html", context)
    town = next(n for n in run.issued if n.unit_id == towns[1].pk)
    assert "东&lt;城&gt;&amp;乡" in bodies[town.pk] and "东<城>&乡" in texts[town.pk]
    assert len({texts[n.pk] for n in run.issued}) == 4
