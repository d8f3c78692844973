"""Early warnings: the rule, once per target and period, the lifecycle, and reminders."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from assessments.models import EarlyWarning, OutboxMessage
from assessments.services import warnings
from assessments.services.progress import progress_approve, progress_submit
from assessments.services.targets import target_assign
from cadres.services import unit_update
from tests.factories import IndicatorFactory, WeightsFactory, YearFactory

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def year(xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    WeightsFactory(year=year, unit_kind="township")
    unit_update(unit=xx.township, head_email="head@example.gov.cn")
    return year


def _target(xx, year, code, actual=None, month=10):
    ind = IndicatorFactory(
        year=year,
        code=code,
        category="industry",
        method="ratio",
        unit_kinds=["township"],
        name=f"指标{code}",
    )
    target = target_assign(indicator=ind, unit=xx.township, target_value=D(1200), measure="亩")
    if actual is not None:
        report = progress_submit(
            target=target,
            month=month,
            actual_value=D(actual),
            narrative="进展",
            by=xx.liaison,
            now=dt.datetime(2015, month, 20, 9, tzinfo=SH),
        )
        progress_approve(report=report, by=xx.office)
    return target


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (dt.date(2015, 10, 26), (2015, 10)),
        (dt.date(2015, 10, 25), (2015, 9)),
        (dt.date(2016, 1, 10), (2015, 12)),
    ],
)
def test_the_period_is_the_latest_month_past_its_deadline(on, expected):
    assert warnings.period_due(on, 25) == expected


def test_red_and_missing_targets_get_one_warning_each_and_the_unit_one_notice(
    xx, year, django_capture_on_commit_callbacks
):
    red = _target(xx, year, "R", actual="300")  # plan 1000 → 30 %
    green = _target(xx, year, "G", actual="990")
    missing = _target(xx, year, "M")
    with django_capture_on_commit_callbacks(execute=True):
        issued = warnings.warnings_check(on=dt.date(2015, 10, 26))
    assert {(w.target_id, w.kind) for w in issued} == {(red.pk, "lag"), (missing.pk, "missing")}
    assert green.pk not in {w.target_id for w in issued}
    lag = next(w for w in issued if w.kind == "lag")
    assert lag.ratio == D("0.3")
    assert lag.catch_up_by == dt.date(2015, 11, 10)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["head@example.gov.cn"]
    body = mail.outbox[0].body
    assert "指标R" in body
    assert "指标M" in body
    assert "300" in body
    # the next morning's run (and a second beat tick) issues and sends nothing new
    with django_capture_on_commit_callbacks(execute=True):
        assert warnings.warnings_check(on=dt.date(2015, 10, 26)) == []
        assert warnings.warnings_check(on=dt.date(2015, 10, 27)) == []
    assert EarlyWarning.objects.count() == 2
    assert len(mail.outbox) == 1


def test_october_is_not_checked_before_its_deadline(xx, year):
    _target(xx, year, "M")
    # on 25 October the October reports are not due yet: only September is checked
    issued = warnings.warnings_check(on=dt.date(2015, 10, 25))
    assert all(w.month == 9 for w in issued)


def test_a_warning_is_acknowledged_with_a_plan_escalated_when_late_and_closed_with_a_record(
    xx, year
):
    _target(xx, year, "R", actual="300")
    (warning,) = warnings.warnings_check(on=dt.date(2015, 10, 26))
    with pytest.raises(ValidationError):
        warnings.warning_acknowledge(warning=warning, plan=" ", by=xx.liaison)
    warnings.warning_acknowledge(warning=warning, plan="11月中旬前完成栽植", by=xx.liaison)
    warning.refresh_from_db()
    assert warning.status == EarlyWarning.Status.ACKNOWLEDGED
    warnings.warnings_check(on=dt.date(2015, 11, 11))  # past catch_up_by (10 Nov)
    warning.refresh_from_db()
    assert warning.status == EarlyWarning.Status.ESCALATED
    assert warning.escalated_on == dt.date(2015, 11, 11)
    with pytest.raises(ValidationError):
        warnings.warning_close(warning=warning, note="")
    warnings.warning_close(warning=warning, note="已追上进度", on=dt.date(2015, 11, 20))
    warning.refresh_from_db()
    assert warning.status == EarlyWarning.Status.CLOSED
    assert not warning.is_open


def test_liaisons_are_reminded_three_days_before_the_deadline_once(
    xx, year, django_capture_on_commit_callbacks
):
    xx.liaison.email = "liaison@example.gov.cn"
    xx.liaison.save()
    _target(xx, year, "A")
    _target(xx, year, "B", actual="800", month=10)
    with django_capture_on_commit_callbacks(execute=True):
        assert warnings.reminders_queue(on=dt.date(2015, 10, 21)) == []
        (message,) = warnings.reminders_queue(on=dt.date(2015, 10, 22))
        assert warnings.reminders_queue(on=dt.date(2015, 10, 22)) == []
    assert message.recipient_email == "liaison@example.gov.cn"
    assert "指标A" in message.body_text
    assert "指标B" not in message.body_text
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


def test_closed_years_are_not_checked(xx, year):
    _target(xx, year, "M")
    year.status = "closed"
    year.save()
    assert warnings.warnings_check(on=dt.date(2015, 10, 26)) == []
