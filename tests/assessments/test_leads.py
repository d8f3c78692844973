"""Deduction entries (扣分记录) and veto events: DOMAIN's scoring order, the veto by event only,
withdrawal with a reason, and the scorecard's source lines."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from assessments import services
from assessments.models import DeductionEntry, IndicatorScore, Level, UnitScore
from assessments.reports import scorecard as scorecard_report
from assessments.selectors.scoring import scorecard as select_scorecard
from tests.factories import IndicatorFactory, WeightsFactory, YearFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    WeightsFactory(year=year, unit_kind="township", party=30, industry=40, tasks=30)
    return year


def _deduction_target(year, unit, *, m=10, veto=False, code="T1"):
    indicator = IndicatorFactory(
        year=year,
        code=code,
        category="tasks",
        method="deduction",
        max_points=D(m),
        unit_kinds=["township"],
        is_veto=veto,
    )
    return services.target_assign(indicator=indicator, unit=unit)


def _enter(target, points, by, **kw):
    kw.setdefault("reason", "越级上访")
    return services.deduction_enter(
        target=target, occurred_on=dt.date(2015, 5, 1), points=D(points), by=by, **kw
    )


def _finding(xx, year, indicator, points, vetoes=False):
    inspection = services.inspection_create(
        year=year,
        kind="special",
        title="专项检查",
        held_on=dt.date(2015, 8, 1),
        inspectors="考核办",
        units=[xx.township],
        by=xx.office,
    )
    return services.finding_add(
        inspection=inspection,
        unit=xx.township,
        indicator=indicator,
        points=D(points),
        vetoes=vetoes,
        description="检查发现",
    )


def _item(year, unit, target):
    services.scores_compute(year=year)
    return IndicatorScore.objects.get(unit_score__unit=unit, target=target)


def test_deductions_floor_at_zero_first_then_findings_adjust(xx, year):
    target = _deduction_target(year, xx.township)
    for pts in ("3", "4", "5.5"):
        _enter(target, pts, xx.office)
    _finding(xx, year, target.indicator, "2")
    item = _item(year, xx.township, target)
    assert item.base_points == 0  # max(0, 10 − 12.5)
    assert item.adjustment == 2
    assert item.points == 2
    assert item.breakdown["inputs"]["deducted"] == "12.50"
    assert [e["points"] for e in item.breakdown["inputs"]["entries"]] == ["3.00", "4.00", "5.50"]


def test_findings_cannot_lift_points_above_the_maximum(xx, year):
    target = _deduction_target(year, xx.township)
    _enter(target, "1", xx.office)
    _finding(xx, year, target.indicator, "3")
    assert _item(year, xx.township, target).points == 10


def test_a_veto_indicator_at_zero_points_has_not_failed(xx, year):
    target = _deduction_target(year, xx.township, veto=True)
    _enter(target, "10", xx.office)
    _finding(xx, year, target.indicator, "-2")
    item = _item(year, xx.township, target)
    assert item.points == 0
    assert item.breakdown["veto_failed"] is False
    assert not UnitScore.objects.get(unit=xx.township).veto_failed


def test_a_deduction_entry_marked_so_fails_the_veto_and_caps_the_grade(xx, year):
    year.weights.update(party=0, industry=0, tasks=100)
    target = _deduction_target(year, xx.township, veto=True)
    _enter(target, "0", xx.office, vetoes=True, reason="发生较大安全事故")
    item = _item(year, xx.township, target)
    assert item.points == 10
    assert item.breakdown["veto_failed"] is True
    assert item.breakdown["veto_events"][0]["kind"] == "deduction"
    score = UnitScore.objects.get(unit=xx.township)
    assert score.veto_failed
    assert score.proposed_grade == Level.AVERAGE  # 100 points, capped at 一般


def test_a_finding_marked_so_fails_the_veto_and_the_scorecard_names_the_event(xx, year):
    target = _deduction_target(year, xx.township, veto=True)
    _finding(xx, year, target.indicator, "0", vetoes=True)
    services.scores_compute(year=year)
    score = UnitScore.objects.get(unit=xx.township)
    card = scorecard_report.scorecard(score, select_scorecard(score))
    assert score.veto_failed
    assert "专项检查" in card.veto_detail


def test_a_veto_entry_is_refused_on_an_indicator_without_veto(xx, year, in_english):
    target = _deduction_target(year, xx.township)
    with pytest.raises(ValidationError) as error:
        _enter(target, "1", xx.office, vetoes=True)
    assert "vetoes" in error.value.message_dict
    assert not DeductionEntry.objects.exists()


@pytest.mark.parametrize(
    ("points", "reason"), [("0", "越级上访"), ("-1", "越级上访"), ("11", "x"), ("1", " ")]
)
def test_bad_entries_are_refused_and_nothing_is_written(xx, year, points, reason):
    target = _deduction_target(year, xx.township)
    with pytest.raises(ValidationError):
        _enter(target, points, xx.office, reason=reason)
    assert not DeductionEntry.objects.exists()


def test_entries_only_on_deduction_indicators(xx, year):
    indicator = IndicatorFactory(year=year, method="manual", unit_kinds=["township"])
    target = services.target_assign(indicator=indicator, unit=xx.township)
    with pytest.raises(ValidationError):
        _enter(target, "1", xx.office)


def test_a_withdrawn_entry_is_kept_with_its_reason_and_counts_no_more(xx, year):
    target = _deduction_target(year, xx.township)
    entry = _enter(target, "4", xx.office)
    _enter(target, "1", xx.office)
    services.deduction_withdraw(entry=entry, reason="重复录入", by=xx.office)
    entry.refresh_from_db()
    assert entry.withdrawn_by == xx.office and entry.withdrawal_reason == "重复录入"
    assert _item(year, xx.township, target).points == 9
    with pytest.raises(ValidationError):
        services.deduction_withdraw(entry=entry, reason="again", by=xx.office)
    with pytest.raises(ValidationError):
        services.deduction_withdraw(entry=DeductionEntry.objects.last(), reason=" ", by=xx.office)


def test_no_entry_changes_once_the_year_is_past_scoring(xx, year):
    target = _deduction_target(year, xx.township)
    entry = _enter(target, "4", xx.office)
    year.status = "published"
    year.save()
    with pytest.raises(ValidationError):
        _enter(target, "1", xx.office)
    with pytest.raises(ValidationError):
        services.deduction_withdraw(entry=entry, reason="错误", by=xx.office)


def test_the_scorecard_shows_each_entry_with_who_entered_it(xx, year):
    target = _deduction_target(year, xx.township)
    xx.office.last_name, xx.office.first_name = "王", "芳"
    xx.office.save()
    _enter(target, "2", xx.office, source="信访交办单 15-031")
    services.scores_compute(year=year)
    score = UnitScore.objects.get(unit=xx.township)
    card = scorecard_report.scorecard(score, select_scorecard(score))
    text = "\n".join(r.text for c in card.categories for r in c.rows)
    assert "−2.00：越级上访（信访交办单 15-031）" in text
    assert "王芳" in text
