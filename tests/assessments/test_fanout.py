"""The periodic jobs fan out (issue #18): each dispatcher finds the years (counties) concerned in
one query and starts one task per county; inline (no broker) the result is the one the
all-county service gives; each per-county task run twice does nothing new."""

import datetime as dt
from decimal import Decimal

import pytest
from celery.signals import task_postrun
from django.db import transaction

from assessments import tasks
from assessments.models import (
    AssessmentYear,
    Bulletin,
    EarlyWarning,
    EligibilityFlag,
    OutboxMessage,
)
from assessments.services import bulletins, periodic, quarterly, warnings
from assessments.services.eligibility import flags_recompute
from assessments.services.targets import target_assign
from cadres.services import unit_update
from tests.assessments.test_eligibility import lock_year
from tests.conftest import build_county
from tests.factories import IndicatorFactory, WeightsFactory, YearFactory

pytestmark = pytest.mark.django_db

MONTH_END = "2015-10-31"
WARNING_DAY = "2015-10-26"  # the day after October's reporting deadline (the 25th)
ESCALATION_DAY = "2015-11-20"  # past the 15 days to catch up
REMINDER_DAY = "2015-10-22"  # three days before the deadline
QUARTER_REMINDER_DAY = "2015-10-12"  # three days before quarter 3's record is due (10-15)


def _county_year(c) -> AssessmentYear:
    """An in-progress 2015 year of county ``c``: its township has one target and reports
    nothing, so October lags (missing); the township head, the office, the liaison, the cadre
    and the leader have email addresses."""
    code = c.county.code.lower()
    year = YearFactory(county=c.county, year=2015, status="in_progress")
    WeightsFactory(year=year, unit_kind="township")
    indicator = IndicatorFactory(
        year=year, code="I1", category="industry", method="ratio", unit_kinds=["township"]
    )
    unit_update(unit=c.township, head_email=f"head-{code}@example.gov.cn")
    target_assign(indicator=indicator, unit=c.township, target_value=Decimal(1200))
    for user in (c.office, c.liaison, c.leader, c.cadre_user):
        user.email = f"{user.username}@example.gov.cn"
        user.save()
    return year


@pytest.fixture
def counties(city, xx, pq):
    """Three counties of the city, each with an in-progress year."""
    dn = build_county(city, "DN", "大宁县")
    return {c.county.code: _county_year(c) for c in (xx, pq, dn)}


@pytest.fixture
def ran():
    """(task name, args, return value) of every task that runs, in order."""
    runs = []

    def record(sender=None, args=None, retval=None, **kwargs):
        runs.append((sender.name, tuple(args or ()), retval))

    task_postrun.connect(record, weak=False)
    yield runs
    task_postrun.disconnect(record)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the bulletins' PDFs


def _county_runs(ran, name):
    return [(args, value) for task, args, value in ran if task == name]


def _snapshot() -> dict:
    """What a job leaves behind, without ids (they differ between two runs)."""
    return {
        "bulletins": sorted(Bulletin.objects.values_list("year__county__code", "month", "status")),
        "warnings": sorted(
            EarlyWarning.objects.values_list("unit__code", "month", "status", "issued_on")
        ),
        "outbox": sorted(
            OutboxMessage.objects.values_list("kind", "recipient_email", "subject", "status")
        ),
    }


def _before(old_service) -> dict:
    """The all-county service's result on the current data, rolled back afterwards."""
    with transaction.atomic():
        old_service()
        snapshot = _snapshot()
        transaction.set_rollback(True)
    return snapshot


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


# --- one task per county --------------------------------------------------------------------


def test_the_month_end_dispatcher_starts_one_task_per_county(counties, ran):
    assert tasks.month_end_bulletin.apply(kwargs={"today": MONTH_END}).get() == 3
    runs = _county_runs(ran, "assessments.month_end_bulletin_county")
    assert [args for args, _ in runs] == [(y.pk, MONTH_END) for y in counties.values()]
    published = Bulletin.objects.filter(status=Bulletin.Status.PUBLISHED)
    assert sorted(value for _, value in runs) == sorted(published.values_list("pk", flat=True))
    assert sorted(published.values_list("year__county__code", flat=True)) == ["DN", "PX", "XX"]


def test_the_month_end_dispatcher_starts_nothing_before_the_last_day(counties, ran):
    assert tasks.month_end_bulletin.apply(kwargs={"today": "2015-10-30"}).get() == 0
    assert _county_runs(ran, "assessments.month_end_bulletin_county") == []
    assert not Bulletin.objects.exists()


def test_a_year_closed_since_dispatch_is_left_alone(counties):
    year = counties["PX"]
    AssessmentYear.objects.filter(pk=year.pk).update(status="closed")
    assert tasks.month_end_bulletin_county.apply(args=[year.pk, MONTH_END]).get() is None
    assert tasks.check_warnings_county.apply(args=[year.pk, WARNING_DAY]).get() == {
        "issued": 0,
        "escalated": 0,
    }
    assert not Bulletin.objects.exists()
    assert not EarlyWarning.objects.exists()


@pytest.mark.parametrize(
    ("dispatcher", "county_task", "day"),
    [
        ("check_warnings", "check_warnings_county", WARNING_DAY),
        ("send_reminders", "send_reminders_county", REMINDER_DAY),
        ("quarterly_reminders", "quarterly_reminders_county", QUARTER_REMINDER_DAY),
    ],
)
def test_the_daily_dispatchers_start_one_task_per_county(
    counties, ran, dispatcher, county_task, day
):
    assert getattr(tasks, dispatcher).apply(args=[day]).get() == 3
    runs = _county_runs(ran, f"assessments.{county_task}")
    assert [args for args, _ in runs] == [(y.pk, day) for y in counties.values()]
    assert all(value for _, value in runs)  # each county had something to do that day


def test_reminders_start_only_the_years_whose_reminder_day_it_is(counties, ran):
    AssessmentYear.objects.filter(pk=counties["PX"].pk).update(reminder_days_before=5)
    assert tasks.send_reminders.apply(args=[REMINDER_DAY]).get() == 2
    assert tasks.send_reminders.apply(args=["2015-10-20"]).get() == 1  # PX: five days before


def test_each_dispatch_finds_its_counties_in_one_query(counties, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(periodic.month_end_years(_day(MONTH_END))) == 3
    with django_assert_num_queries(1):
        assert len(periodic.warning_years()) == 3
    with django_assert_num_queries(1):
        assert len(periodic.reminder_years(_day(REMINDER_DAY))) == 3
    with django_assert_num_queries(1):
        assert len(periodic.quarterly_years()) == 3
    with django_assert_num_queries(1):
        assert periodic.flag_counties() == []


# --- inline: the same result as the all-county services -------------------------------------


def test_inline_month_end_publishes_what_the_all_county_job_published(counties):
    expected = _before(lambda: bulletins.bulletins_month_end(today=_day(MONTH_END)))
    assert len(expected["bulletins"]) == 3
    assert len(expected["outbox"]) == 6  # each county's township head and leader
    tasks.month_end_bulletin.apply(kwargs={"today": MONTH_END})
    assert _snapshot() == expected


def test_inline_warnings_issue_and_escalate_what_the_all_county_check_did(counties):
    def old():
        for day in (WARNING_DAY, ESCALATION_DAY):
            warnings.warnings_check(on=_day(day))

    expected = _before(old)
    assert [w[2] for w in expected["warnings"]] == ["escalated"] * 3
    assert len(expected["outbox"]) == 3 + 3 * 2  # notices; escalations to head and office
    for day in (WARNING_DAY, ESCALATION_DAY):
        tasks.check_warnings.apply(args=[day])
    assert _snapshot() == expected


def test_inline_reminders_queue_what_the_all_county_reminders_queued(counties):
    expected = _before(lambda: warnings.reminders_queue(on=_day(REMINDER_DAY)))
    assert len(expected["outbox"]) == 3
    tasks.send_reminders.apply(args=[REMINDER_DAY])
    assert _snapshot() == expected


def test_inline_quarterly_reminders_queue_what_the_all_county_job_queued(counties):
    expected = _before(lambda: quarterly.quarterly_reminders(on=_day(QUARTER_REMINDER_DAY)))
    assert len(expected["outbox"]) == 3  # each county's cadre with an email and no record
    tasks.quarterly_reminders.apply(args=[QUARTER_REMINDER_DAY])
    assert _snapshot() == expected


# --- a per-county task twice does nothing new -----------------------------------------------


@pytest.mark.parametrize(
    ("task", "day", "nothing"),
    [
        ("month_end_bulletin_county", MONTH_END, None),
        ("check_warnings_county", WARNING_DAY, {"issued": 0, "escalated": 0}),
        ("check_warnings_county", ESCALATION_DAY, {"issued": 0, "escalated": 0}),
        ("send_reminders_county", REMINDER_DAY, 0),
        ("quarterly_reminders_county", QUARTER_REMINDER_DAY, 0),
    ],
)
def test_a_county_task_run_twice_does_nothing_new(counties, task, day, nothing):
    year = counties["XX"]
    if day == ESCALATION_DAY:
        tasks.check_warnings_county.apply(args=[year.pk, WARNING_DAY])
    first = getattr(tasks, task).apply(args=[year.pk, day]).get()
    assert first != nothing
    after_first = _snapshot()
    assert getattr(tasks, task).apply(args=[year.pk, day]).get() == nothing
    assert _snapshot() == after_first
    assert {code for code, *_ in after_first["bulletins"]} <= {"XX"}  # other counties untouched


# --- eligibility flags ----------------------------------------------------------------------

FLAGS_DAY = "2016-03-01"


def test_flags_fan_out_to_the_counties_with_a_locked_year_and_run_twice_change_nothing(
    city, xx, pq, ran
):
    build_county(city, "DN", "大宁县")  # no locked year: no task
    for c in (xx, pq):
        for number in (2013, 2014, 2015):
            lock_year(c.county, number, {c.cadre: "excellent", c.other_cadre: "competent"})
    assert tasks.recompute_flags.apply(args=[FLAGS_DAY]).get() == 2
    runs = _county_runs(ran, "assessments.recompute_flags_county")
    assert [args for args, _ in runs] == [(xx.county.pk, FLAGS_DAY), (pq.county.pk, FLAGS_DAY)]
    counts = {"priority": 1, "merit": 1, "not_promotable": 0, "adjustment": 0, "training": 1}
    assert [value for _, value in runs] == [counts, counts]
    flags = set(EligibilityFlag.objects.values_list("pk", "cadre_id", "kind", "valid_until"))
    assert len(flags) == 6
    assert tasks.recompute_flags_county.apply(args=[xx.county.pk, FLAGS_DAY]).get() == counts
    assert set(EligibilityFlag.objects.values_list("pk", "cadre_id", "kind", "valid_until")) == (
        flags
    )


def test_inline_flags_are_what_the_service_gives_county_by_county(xx, pq):
    for number in (2013, 2014, 2015):
        lock_year(xx.county, number, {xx.cadre: "excellent"})
        lock_year(pq.county, number, {pq.cadre: "excellent", pq.other_cadre: "excellent"})

    def old():
        for c in (xx, pq):
            flags_recompute(county=c.county, on=_day(FLAGS_DAY))

    def flags():
        return sorted(EligibilityFlag.objects.values_list("cadre_id", "kind", "reason"))

    with transaction.atomic():
        old()
        expected = flags()
        transaction.set_rollback(True)
    assert len(expected) == 9
    tasks.recompute_flags.apply(args=[FLAGS_DAY])
    assert flags() == expected
