"""Early warnings: one notice per unit and run, once per target and period, the lifecycle,
escalation, closing several at once, and reminders."""

import datetime as dt
import io
import threading
from decimal import Decimal as D

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from assessments.models import EarlyWarning, OutboxMessage, WarningItem
from assessments.services import warnings
from assessments.services.progress import progress_approve, progress_submit
from assessments.services.targets import target_assign
from cadres.services import unit_update
from tests.factories import IndicatorFactory, UnitFactory, WeightsFactory, YearFactory

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


def test_one_notice_per_unit_lists_its_red_and_missing_targets_with_how_far_behind(
    xx, year, django_capture_on_commit_callbacks
):
    red = _target(xx, year, "R", actual="300")  # plan 1000 → 30 %
    green = _target(xx, year, "G", actual="990")
    missing = _target(xx, year, "M")
    with django_capture_on_commit_callbacks(execute=True):
        run = warnings.warnings_check(on=dt.date(2015, 10, 26))
    (notice,) = run.issued
    assert (run.units, run.targets, run.escalated) == (1, 2, [])
    assert notice.unit == xx.township
    assert notice.catch_up_by == dt.date(2015, 11, 10)
    items = {i.target_id: i for i in notice.items.all()}
    assert set(items) == {red.pk, missing.pk}
    assert green.pk not in items
    assert (items[red.pk].kind, items[red.pk].ratio) == ("lag", D("0.3"))
    assert items[red.pk].behind == D(700)
    assert (items[missing.pk].kind, items[missing.pk].behind) == ("missing", D(1000))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["head@example.gov.cn"]
    body = mail.outbox[0].body
    assert "指标R" in body
    assert "指标M" in body
    assert "300" in body
    # the next morning's run (and a second beat tick) issues and sends nothing new
    with django_capture_on_commit_callbacks(execute=True):
        assert warnings.warnings_check(on=dt.date(2015, 10, 26)).issued == []
        assert warnings.warnings_check(on=dt.date(2015, 10, 27)).issued == []
    assert EarlyWarning.objects.count() == 1
    assert WarningItem.objects.count() == 2
    assert len(mail.outbox) == 1


def test_a_target_lagging_later_in_the_month_gets_a_new_notice_the_next_day(xx, year):
    _target(xx, year, "R", actual="300")
    first = warnings.warnings_check(on=dt.date(2015, 10, 26)).issued
    _target(xx, year, "N")  # assigned after the first run, unreported
    # the same day: the unit has its notice for the run, nothing new
    assert warnings.warnings_check(on=dt.date(2015, 10, 26)).issued == []
    (second,) = warnings.warnings_check(on=dt.date(2015, 10, 27)).issued
    assert second.pk != first[0].pk
    assert [i.target.indicator.code for i in second.items.all()] == ["N"]


def test_each_unit_gets_one_notice_however_many_targets_lag(xx, year):
    for code in "ABCDE":
        _target(xx, year, code)
    run = warnings.warnings_check(on=dt.date(2015, 10, 26))
    assert (len(run.issued), run.units, run.targets) == (1, 1, 5)


def test_october_is_not_checked_before_its_deadline(xx, year):
    _target(xx, year, "M")
    # on 25 October the October reports are not due yet: only September is checked
    issued = warnings.warnings_check(on=dt.date(2015, 10, 25)).issued
    assert issued
    assert all(w.month == 9 for w in issued)


def test_a_notice_is_answered_as_one_escalated_when_late_and_closed_with_a_record(
    xx, year, django_capture_on_commit_callbacks
):
    _target(xx, year, "R", actual="300")
    _target(xx, year, "M")
    (warning,) = warnings.warnings_check(on=dt.date(2015, 10, 26)).issued
    with pytest.raises(ValidationError):
        warnings.warning_acknowledge(warning=warning, plan=" ", by=xx.liaison)
    warnings.warning_acknowledge(warning=warning, plan="11月中旬前完成栽植", by=xx.liaison)
    warning.refresh_from_db()
    assert warning.status == EarlyWarning.Status.ACKNOWLEDGED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run = warnings.warnings_check(on=dt.date(2015, 11, 11))  # past catch_up_by (10 Nov)
    assert [w.pk for w in run.escalated] == [warning.pk]
    warning.refresh_from_db()
    assert warning.status == EarlyWarning.Status.ESCALATED
    assert warning.escalated_on == dt.date(2015, 11, 11)
    with pytest.raises(ValidationError):
        warnings.warning_close(warning=warning, note="")
    warnings.warning_close(warning=warning, note="已追上进度", on=dt.date(2015, 11, 20))
    warning.refresh_from_db()
    assert warning.status == EarlyWarning.Status.CLOSED
    assert not warning.is_open


def test_escalation_is_its_own_notice_to_the_unit_head_and_the_office(
    xx, year, django_capture_on_commit_callbacks
):
    xx.office.email = "office@example.gov.cn"
    xx.office.save()
    _target(xx, year, "R", actual="300")
    (warning,) = warnings.warnings_check(on=dt.date(2015, 10, 26)).issued
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run = warnings.warnings_check(on=dt.date(2015, 11, 11))
    assert len(run.escalated) == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["head@example.gov.cn", "office@example.gov.cn"]
    assert all("指标R" in m.body for m in mail.outbox)
    assert all(
        m.extra_headers["X-Kaohe-Key"] == f"warning-escalation:{warning.pk}" for m in mail.outbox
    )
    # escalated once: the next day's run escalates and sends nothing more
    with django_capture_on_commit_callbacks(execute=True):
        assert warnings.warnings_check(on=dt.date(2015, 11, 12)).escalated == []
    assert len(mail.outbox) == 2


def test_check_warnings_reports_issued_and_escalated_counts(xx, year):
    _target(xx, year, "R", actual="300")
    _target(xx, year, "M")

    def command(day: str) -> str:
        out = io.StringIO()
        with translation.override("en"):
            call_command("check_warnings", date=day, stdout=out)
        return out.getvalue().strip()

    assert command("2015-10-26") == (
        "1 warning notices issued to 1 units (2 targets); 0 escalated; 1 emails queued."
    )
    assert command("2015-11-11") == (
        "0 warning notices issued to 0 units (0 targets); 1 escalated; 1 emails queued."
    )


def test_several_notices_close_at_once_all_or_nothing(xx, year):
    other = UnitFactory(parent=xx.county, kind="township", name="隰县城南乡")
    _target(xx, year, "R", actual="300")
    ind = IndicatorFactory(year=year, code="O", category="industry", method="ratio")
    target_assign(indicator=ind, unit=other, target_value=D(10))
    first, second = warnings.warnings_check(on=dt.date(2015, 10, 26)).issued
    with pytest.raises(ValidationError):
        warnings.warnings_close(warnings=[first, second], note=" ")
    warnings.warning_close(warning=first, note="已追上")
    with pytest.raises(ValidationError, match="隰县"):
        warnings.warnings_close(warnings=[first, second], note="已追上")
    second.refresh_from_db()
    assert second.status == EarlyWarning.Status.ISSUED  # nothing changed
    (closed,) = warnings.warnings_close(warnings=[second], note="已追上", on=dt.date(2015, 11, 2))
    assert (closed.status, closed.closed_on) == ("closed", dt.date(2015, 11, 2))


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
    assert warnings.warnings_check(on=dt.date(2015, 10, 26)).issued == []


@pytest.mark.django_db(transaction=True)
def test_two_checks_at_once_issue_each_notice_once(xx, year):
    """Two workers run the same day's check at the same moment: the year's row lock makes the
    second wait and find the first's notices (on SQLite writes are serialized anyway)."""
    for code in "ABC":
        _target(xx, year, code)
    sqlite = connection.vendor == "sqlite"  # one connection: run one after the other
    barrier = threading.Barrier(1 if sqlite else 2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(len(warnings.warnings_check(on=dt.date(2015, 10, 26)).issued))
        except Exception as error:  # noqa: BLE001 - the test reports any failure below
            errors.append(error)
        finally:
            connection.close()

    if sqlite:
        run()
        run()
    else:
        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    assert errors == []
    assert sorted(results) == [0, 1]
    assert EarlyWarning.objects.count() == 1
    assert WarningItem.objects.count() == 3


def test_the_emails_show_each_item_as_stored_two_places_half_up(xx, year):
    """A plan of 1000 × 10/12 is 833.333…: the notice and its escalation both say 833.33, as
    the item stores it, with the ratio as the pages show it (100 / 833.33… = 12.00%)."""
    ind = IndicatorFactory(
        year=year, code="P", category="industry", method="ratio", unit_kinds=["township"],
        name="指标P",
    )  # fmt: skip
    target = target_assign(indicator=ind, unit=xx.township, target_value=D(1000), measure="亩")
    report = progress_submit(
        target=target, month=10, actual_value=D(100), narrative="进展", by=xx.liaison,
        now=dt.datetime(2015, 10, 20, 9, tzinfo=SH),
    )  # fmt: skip
    progress_approve(report=report, by=xx.office)
    with translation.override("zh-hans"):
        (notice,) = warnings.warnings_check(on=dt.date(2015, 10, 26)).issued
        warnings.warnings_check(on=dt.date(2015, 11, 11))
    item = WarningItem.objects.get(warning=notice)
    assert (item.plan, item.actual) == (D("833.33"), D("100.00"))
    line = "指标P：完成100.00，计划833.33亩（12.00%）"
    bodies = OutboxMessage.objects.filter(warning=notice).values_list("body_text", "body_html")
    assert len(bodies) == 2  # the notice and the escalation to the head
    for text, html in bodies:
        assert f"- {line}" in text
        assert "<strong>指标P</strong>：完成100.00，计划833.33亩（12.00%）" in html
