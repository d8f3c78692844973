"""Progress status (red / amber / green) of a target at a month end: target_statuses."""

import datetime as dt
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services
from assessments.models import ProgressReport
from assessments.selectors.progress import Color, target_statuses
from tests.factories import IndicatorFactory, WeightsFactory, YearFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
BEFORE_DEADLINE = dt.date(2015, 6, 10)  # June's reports are due by the 25th
AFTER_DEADLINE = dt.date(2015, 6, 26)


@pytest.fixture
def year(xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    WeightsFactory(year=year)
    return year


def ratio_target(year, unit, *, value=1200, code="I1"):
    indicator = IndicatorFactory(
        year=year, code=code, category="industry", method="ratio", unit_kinds=[unit.kind]
    )
    return services.target_assign(
        indicator=indicator, unit=unit, target_value=D(value), measure="亩"
    )


def levels_target(year, unit, *, code="P1"):
    indicator = IndicatorFactory(year=year, code=code, method="levels", unit_kinds=[unit.kind])
    return services.target_assign(indicator=indicator, unit=unit)


def report(target, month, actual=None, *, by, day=20):
    """A report submitted on ``day`` of its own month (on time with the default deadline)."""
    return services.progress_submit(
        target=target,
        month=month,
        actual_value=None if actual is None else D(actual),
        narrative="进展顺利",
        by=by,
        now=dt.datetime(2015, month, day, 9, tzinfo=SHANGHAI),
    )


def status_of(target, *, month=6, today=AFTER_DEADLINE):
    return target_statuses([target], year=target.year, month=month, today=today)[target.pk]


def test_plan_is_time_proportional_without_milestones(xx, year):
    target = ratio_target(year, xx.township)
    report(target, 6, 570, by=xx.liaison)
    status = status_of(target)
    assert status.plan == D(600)
    assert status.actual == D(570)
    assert status.ratio == D("0.95")


@pytest.mark.parametrize(
    ("actual", "color"),
    [("600", Color.GREEN), ("570", Color.GREEN), ("480", Color.AMBER), ("479", Color.RED)],
)
def test_colour_follows_actual_over_plan_thresholds(xx, year, actual, color):
    target = ratio_target(year, xx.township)
    report(target, 6, actual, by=xx.liaison)
    assert status_of(target).color == color


def test_thresholds_are_settings_of_the_year(xx, year):
    year.green_min, year.amber_min = D("0.90"), D("0.70")
    year.save()
    target = ratio_target(year, xx.township)
    report(target, 6, 540, by=xx.liaison)  # 0.90
    assert status_of(target).color == Color.GREEN


def test_milestones_override_the_proportional_plan(xx, year):
    target = ratio_target(year, xx.township)
    services.milestones_set(target=target, planned={3: D(200), 6: D(800)})
    report(target, 6, 600, by=xx.liaison)  # on the proportional plan (600), behind June's 800
    status = status_of(target)
    assert status.plan == D(800)
    assert status.ratio == D("0.75")
    assert status.color == Color.RED


def test_the_latest_milestone_up_to_the_month_is_the_plan(xx, year):
    target = ratio_target(year, xx.township)
    services.milestones_set(target=target, planned={3: D(200), 9: D(900)})
    report(target, 5, 150, by=xx.liaison)
    status = status_of(target, month=5, today=dt.date(2015, 5, 26))
    assert status.plan == D(200)  # March's milestone still holds in May, not 1200 × 5 / 12
    assert status.color == Color.RED  # 150 / 200 = 0.75


def test_actual_is_the_cumulative_value_of_the_latest_report_up_to_the_month(xx, year):
    target = ratio_target(year, xx.township)
    report(target, 4, 390, by=xx.liaison)
    report(target, 5, 510, by=xx.liaison)
    status = status_of(target, month=5, today=dt.date(2015, 5, 26))
    assert status.actual == D(510)
    assert status.latest.month == 5
    assert status.report.month == 5


def test_missing_report_past_the_deadline_is_missing(xx, year):
    target = ratio_target(year, xx.township)
    report(target, 5, 600, by=xx.liaison)  # ahead of June's plan, yet June is not reported
    status = status_of(target, today=AFTER_DEADLINE)
    assert status.color == Color.MISSING
    assert status.needs_warning
    assert status.report is None
    assert status.actual == D(600)  # the latest value still shows


def test_missing_report_on_the_deadline_day_is_still_due(xx, year):
    target = ratio_target(year, xx.township)
    report(target, 5, 600, by=xx.liaison)
    assert status_of(target, today=dt.date(2015, 6, 25)).color == Color.DUE


def test_missing_report_before_the_deadline_is_due_when_on_track(xx, year):
    target = ratio_target(year, xx.township)
    report(target, 5, 600, by=xx.liaison)  # 600 / June's plan 600
    status = status_of(target, today=BEFORE_DEADLINE)
    assert status.color == Color.DUE
    assert not status.needs_warning


@pytest.mark.parametrize("previous", [None, "500"], ids=["never-reported", "may-on-plan"])
def test_missing_report_before_the_deadline_is_due_whatever_the_previous_value(xx, year, previous):
    target = ratio_target(year, xx.township)
    if previous is not None:
        report(target, 5, previous, by=xx.liaison)  # exactly May's plan (1200 × 5 / 12)
    status = status_of(target, today=dt.date(2015, 6, 1))
    assert status.color == Color.DUE
    assert not status.needs_warning


def test_a_returned_report_does_not_count(xx, year):
    target = ratio_target(year, xx.township)
    report(target, 5, 500, by=xx.liaison)
    june = report(target, 6, 600, by=xx.liaison)
    services.progress_return(report=june, by=xx.office, reason="数据与台账不符")
    status = status_of(target, today=AFTER_DEADLINE)
    assert status.color == Color.MISSING
    assert status.report is None
    assert status.latest.month == 5
    assert status.actual == D(500)


def test_a_resubmitted_report_counts_again(xx, year):
    target = ratio_target(year, xx.township)
    june = report(target, 6, 400, by=xx.liaison)
    services.progress_return(report=june, by=xx.office, reason="数据与台账不符")
    report(target, 6, 590, by=xx.liaison, day=26)
    status = status_of(target, today=dt.date(2015, 6, 27))
    assert status.color == Color.GREEN
    assert status.report.revision == 2


def test_non_ratio_targets_are_reported_due_or_missing(xx, year):
    reported = levels_target(year, xx.township, code="P1")
    unreported = levels_target(year, xx.township, code="P2")
    report(reported, 6, by=xx.liaison)
    before = target_statuses([reported, unreported], year=year, month=6, today=BEFORE_DEADLINE)
    after = target_statuses([reported, unreported], year=year, month=6, today=AFTER_DEADLINE)
    assert before[reported.pk].color == Color.REPORTED
    assert before[unreported.pk].color == Color.DUE
    assert after[reported.pk].color == Color.REPORTED
    assert after[unreported.pk].color == Color.MISSING
    assert before[reported.pk].plan is None
    assert before[reported.pk].ratio is None


def test_statuses_of_many_targets_take_two_queries(xx, year, django_assert_num_queries):
    targets = [ratio_target(year, xx.township, code=f"I{i}") for i in range(5)]
    for target in targets:
        report(target, 6, 600, by=xx.liaison)
    with django_assert_num_queries(2):
        statuses = target_statuses(targets, year=year, month=6, today=AFTER_DEADLINE)
    assert {s.color for s in statuses.values()} == {Color.GREEN}


def test_statuses_read_the_reports_without_their_narrative(xx, year):
    target = ratio_target(year, xx.township)
    report(target, 6, 600, by=xx.liaison)
    with CaptureQueriesContext(connection) as queries:
        status = target_statuses([target], year=year, month=6, today=AFTER_DEADLINE)[target.pk]
    assert "narrative" not in " ".join(q["sql"] for q in queries.captured_queries)
    assert status.report.month == 6
    assert str(status.report.get_status_display()) == str(ProgressReport.Status.SUBMITTED.label)
    assert not status.report.is_late
