"""The scoring engine against hand-computed expectations (DOMAIN.md's worked example and more)."""

import datetime as dt
from decimal import Decimal as D
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from assessments import services, tasks
from assessments.models import IndicatorScore, Level, UnitScore
from cadres.models import Unit
from tests.factories import IndicatorFactory, UnitFactory, WeightsFactory, YearFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2015, 11, 5, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def year(xx):
    year = YearFactory(county=xx.county, year=2015, bonus_cap=D(3), status="in_progress")
    WeightsFactory(year=year, unit_kind="township", party=30, industry=40, tasks=30)
    return year


def _ind(year, code, category, method, m, **kw):
    return IndicatorFactory(
        year=year,
        code=code,
        category=category,
        method=method,
        max_points=D(m),
        unit_kinds=["township"],
        **kw,
    )


def _approved(target, month, actual, by):
    report = services.progress_submit(
        target=target, month=month, actual_value=D(actual), narrative="进展", by=by, now=NOW
    )
    return services.progress_approve(report=report, by=by)


@pytest.fixture
def worked_example(xx, year):
    """The township of DOMAIN.md's worked example, every input entered through a service."""
    office, town = xx.office, xx.township
    inspection = services.inspection_create(
        year=year,
        kind="centralized",
        title="第一次集中督查",
        held_on=dt.date(2015, 6, 10),
        inspectors="考核办",
        units=[town],
        by=office,
    )

    def target(indicator, value=None):
        return services.target_assign(indicator=indicator, unit=town, target_value=value)

    # Party building (Σm 30)
    org = target(_ind(year, "P1", "party", "levels", 10))
    services.decision_set(target=org, level=Level.FAIR, reason="班子建设较好", by=office)
    target(_ind(year, "P2", "party", "midterm", 10))
    services.midterm_set(year=year, unit=town, score=D(85), reviewed_on=dt.date(2015, 7, 1))
    conduct = _ind(year, "P3", "party", "deduction", 10)
    target(conduct)
    for pts in ("-1.5", "-1"):
        services.finding_add(
            inspection=inspection,
            unit=town,
            indicator=conduct,
            points=D(pts),
            description="作风问题",
        )
    # Leading industry (Σm 50)
    _approved(target(_ind(year, "I1", "industry", "ratio", 20), D(3000)), 10, "2400", xx.liaison)
    orchard = _ind(year, "I2", "industry", "levels", 15)
    services.decision_set(target=target(orchard), level=Level.GOOD, reason="管理规范", by=office)
    services.finding_add(
        inspection=inspection,
        unit=town,
        indicator=orchard,
        points=D(-2),
        description="果园管护不到位",
    )
    _approved(target(_ind(year, "I3", "industry", "ratio", 15), D(5000)), 10, "6000", xx.liaison)
    # Social management (Σm 30)
    petitions = _ind(year, "T1", "tasks", "deduction", 15)
    target(petitions)
    for _ in range(3):
        services.finding_add(
            inspection=inspection,
            unit=town,
            indicator=petitions,
            points=D(-2),
            description="越级上访",
        )
    target(_ind(year, "T2", "tasks", "deduction", 15, is_veto=True))
    # Bonus
    provincial = IndicatorFactory(
        year=year,
        code="B1",
        category="bonus",
        method="bonus",
        max_points=D(2),
        unit_kinds=["township"],
    )
    city = IndicatorFactory(
        year=year,
        code="B2",
        category="bonus",
        method="bonus",
        max_points=D(1),
        unit_kinds=["township"],
    )
    services.bonus_award(
        year=year,
        unit=town,
        indicator=provincial,
        points=D("1.5"),
        reason="省级表彰",
        awarded_on=dt.date(2015, 5, 1),
        by=office,
    )
    services.bonus_award(
        year=year,
        unit=town,
        indicator=city,
        points=D("0.5"),
        reason="市级表彰",
        awarded_on=dt.date(2015, 6, 1),
        by=office,
    )
    return town


def test_domain_worked_example_totals_85_20_and_grades_fairly_good(year, worked_example):
    services.scores_compute(year=year)
    score = UnitScore.objects.get(year=year, unit=worked_example)
    assert score.party == D("24")
    assert score.industry == D("35.2")
    assert score.tasks == D("24")
    assert score.bonus == D("2")
    assert score.total == D("85.2")
    assert score.proposed_grade == Level.FAIR
    assert score.rank == 1
    assert not score.veto_failed
    points = {i.indicator.code: i.points for i in score.items.select_related("indicator")}
    assert points == {
        "P1": D(8),
        "P2": D("8.5"),
        "P3": D("7.5"),
        "I1": D(16),
        "I2": D(13),
        "I3": D(15),
        "T1": D(9),
        "T2": D(15),
        "B1": D("1.5"),
        "B2": D("0.5"),
    }


def test_every_point_is_traceable_to_its_input(year, worked_example):
    services.scores_compute(year=year)
    items = {
        i.indicator.code: i
        for i in IndicatorScore.objects.filter(unit_score__unit=worked_example).select_related(
            "indicator"
        )
    }
    ratio = items["I1"].breakdown
    assert ratio["method"] == "ratio"
    assert ratio["inputs"]["actual"] == "2400.00"
    assert ratio["inputs"]["report"] is not None
    assert ratio["inputs"]["month"] == 10
    orchard = items["I2"]
    assert orchard.base_points == 15
    assert orchard.adjustment == -2
    assert orchard.breakdown["inputs"]["level"] == "good"
    assert [f["points"] for f in orchard.breakdown["findings"]] == ["-2.00"]
    assert items["P2"].breakdown["inputs"]["score"] == "85.00"
    assert len(items["T1"].breakdown["findings"]) == 3
    assert [a["reason"] for a in items["B1"].breakdown["inputs"]["awards"]] == ["省级表彰"]


def test_a_failed_veto_caps_the_grade_at_average_whatever_the_total(xx, year, worked_example):
    inspection = services.inspection_create(
        year=year,
        kind="special",
        title="安全生产专项检查",
        held_on=dt.date(2015, 8, 1),
        inspectors="应急局",
        units=[worked_example],
        by=xx.office,
    )
    safety = year.indicators.get(code="T2")
    services.finding_add(
        inspection=inspection,
        unit=worked_example,
        indicator=safety,
        vetoes=True,
        description="发生较大安全事故",
    )
    year.grade_fair_min = D(80)
    services.scores_compute(year=year)
    score = UnitScore.objects.get(unit=worked_example)
    assert score.veto_failed
    assert score.total == D("85.2")
    assert score.proposed_grade == Level.AVERAGE


def test_a_veto_cannot_be_recorded_on_an_ordinary_indicator(xx, year, worked_example):
    inspection = year.inspections.get()
    with pytest.raises(ValidationError):
        services.finding_add(
            inspection=inspection,
            unit=worked_example,
            indicator=year.indicators.get(code="T1"),
            vetoes=True,
            description="x",
        )


def test_bonus_is_capped_per_indicator_and_per_year(xx, year, worked_example):
    office = xx.office
    provincial = year.indicators.get(code="B1")
    services.bonus_award(
        year=year,
        unit=worked_example,
        indicator=provincial,
        points=D(1),
        reason="又一项省级表彰",
        awarded_on=dt.date(2015, 9, 1),
        by=office,
    )
    services.scores_compute(year=year)
    assert UnitScore.objects.get(unit=worked_example).bonus == D("2.5")  # B1 capped at 2
    big = IndicatorFactory(
        year=year,
        code="B3",
        category="bonus",
        method="bonus",
        max_points=D(5),
        unit_kinds=["township"],
    )
    services.bonus_award(
        year=year,
        unit=worked_example,
        indicator=big,
        points=D(4),
        reason="国家级表彰",
        awarded_on=dt.date(2015, 9, 2),
        by=office,
    )
    services.scores_compute(year=year)
    assert UnitScore.objects.get(unit=worked_example).bonus == D(3)  # the year's cap


def test_findings_keep_points_between_zero_and_max(xx, year):
    town = xx.township
    ind = _ind(year, "T9", "tasks", "deduction", 5)
    services.target_assign(indicator=ind, unit=town)
    good = _ind(year, "T8", "tasks", "manual", 5)
    services.decision_set(
        target=services.target_assign(indicator=good, unit=town),
        points=D(5),
        reason="全部完成",
        by=xx.office,
    )
    inspection = services.inspection_create(
        year=year,
        kind="spot",
        title="抽查",
        held_on=dt.date(2015, 5, 1),
        inspectors="督导办",
        units=[town],
        by=xx.office,
    )
    for _ in range(4):
        services.finding_add(
            inspection=inspection, unit=town, indicator=ind, points=D(-2), description="问题"
        )
    services.finding_add(
        inspection=inspection, unit=town, indicator=good, points=D(3), description="亮点"
    )
    services.scores_compute(year=year)
    items = {i.indicator.code: i for i in IndicatorScore.objects.select_related("indicator")}
    assert items["T9"].points == 0
    assert items["T9"].adjustment == -8
    assert items["T8"].points == 5


def test_ratio_caps_at_the_target_and_uses_the_latest_approved_report(xx, year):
    t = services.target_assign(
        indicator=_ind(year, "I1", "industry", "ratio", 20), unit=xx.township, target_value=D(3000)
    )
    _approved(t, 5, "1000", xx.liaison)
    _approved(t, 6, "1500", xx.liaison)
    services.progress_submit(
        target=t, month=7, actual_value=D(2900), narrative="待审", by=xx.liaison, now=NOW
    )  # submitted, not approved: does not count
    services.scores_compute(year=year)
    item = IndicatorScore.objects.get()
    assert item.points == D(10)
    assert item.breakdown["inputs"]["month"] == 6


def test_manual_points_outside_the_range_are_refused(xx, year):
    t = services.target_assign(indicator=_ind(year, "T7", "tasks", "manual", 5), unit=xx.township)
    with pytest.raises(ValidationError):
        services.decision_set(target=t, points=D(6), reason="超出", by=xx.office)
    with pytest.raises(ValidationError):
        services.decision_set(target=t, points=D(3), reason="  ", by=xx.office)
    assert not hasattr(t, "decision") or t.decision is None


def _township(xx, code):
    return UnitFactory(code=code, name=code, kind=Unit.Kind.TOWNSHIP, parent=xx.county)


def test_ties_share_a_rank_and_the_next_rank_is_skipped(xx, year):
    ind = _ind(year, "T1", "tasks", "manual", 10)
    towns = [xx.township] + [_township(xx, f"T{i}") for i in range(3)]
    for town, pts in zip(towns, ("9", "8", "8", "7"), strict=True):
        services.decision_set(
            target=services.target_assign(indicator=ind, unit=town),
            points=D(pts),
            reason="评定",
            by=xx.office,
        )
    services.scores_compute(year=year)
    ranks = {s.unit_id: s.rank for s in UnitScore.objects.all()}
    assert [ranks[t.pk] for t in towns] == [1, 2, 2, 4]


def test_ranks_are_within_unit_kind(xx, year):
    WeightsFactory(year=year, unit_kind="department", party=30, industry=40, tasks=30)
    ind = IndicatorFactory(
        year=year,
        code="T1",
        category="tasks",
        method="manual",
        max_points=D(10),
        unit_kinds=["township", "department"],
    )
    for unit, pts in ((xx.township, "5"), (xx.department, "4")):
        services.decision_set(
            target=services.target_assign(indicator=ind, unit=unit),
            points=D(pts),
            reason="评定",
            by=xx.office,
        )
    services.scores_compute(year=year)
    assert {s.unit_kind: s.rank for s in UnitScore.objects.all()} == {
        "township": 1,
        "department": 1,
    }


def test_weights_changed_between_years_change_the_category_score(xx, year):
    old = YearFactory(county=xx.county, year=2014, status="in_progress")
    WeightsFactory(year=old, unit_kind="township", party=15, industry=50, tasks=35)
    for y in (old, year):
        ind = _ind(y, "P1", "party", "manual", 10)
        services.decision_set(
            target=services.target_assign(indicator=ind, unit=xx.township),
            points=D(5),
            reason="一半",
            by=xx.office,
        )
        services.scores_compute(year=y)
    assert UnitScore.objects.get(year=old).party == D("7.5")  # 15 × 5/10
    assert UnitScore.objects.get(year=year).party == D(15)  # 30 × 5/10


def test_grade_bands_are_year_settings(xx, year):
    ind = _ind(year, "T1", "tasks", "manual", 10)
    services.decision_set(
        target=services.target_assign(indicator=ind, unit=xx.township),
        points=D(10),
        reason="满分",
        by=xx.office,
    )
    year.grade_good_min = D(95)
    year.save()
    services.scores_compute(year=year)
    # 30 points in tasks only (others have no indicators): total 30 → 较差 under any bands
    assert UnitScore.objects.get().proposed_grade == Level.POOR


def test_recompute_replaces_scores_in_the_same_queries_for_3_and_30_units(xx, year):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ind = _ind(year, "T1", "tasks", "manual", 10)
    counts = []
    for n in (3, 30):
        while UnitScore.objects.filter(year=year).count() < n:
            town = _township(xx, f"Q{UnitScore.objects.count()}")
            services.decision_set(
                target=services.target_assign(indicator=ind, unit=town),
                points=D(3),
                reason="评定",
                by=xx.office,
            )
            services.scores_compute(year=year)
        with CaptureQueriesContext(connection) as ctx:
            services.scores_compute(year=year)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 16, counts  # 16: deduction entries
    assert UnitScore.objects.filter(year=year).count() == 30


@pytest.mark.django_db(transaction=True)
def test_approving_a_report_recomputes_scores_on_commit(xx, year):
    """Real commits (tasks run inline without a broker): each service call is a request."""
    t = services.target_assign(
        indicator=_ind(year, "I1", "industry", "ratio", 20), unit=xx.township, target_value=D(100)
    )
    report = services.progress_submit(
        target=t, month=3, actual_value=D(50), narrative="进展", by=xx.liaison, now=NOW
    )
    assert UnitScore.objects.get(unit=xx.township).industry == D(0)  # reported, not approved
    services.progress_approve(report=report, by=xx.office)
    assert UnitScore.objects.get(unit=xx.township).industry == D(20)  # 40 × 10/20


def test_many_input_changes_in_one_transaction_recompute_the_year_once(
    xx, year, django_capture_on_commit_callbacks
):
    ind = _ind(year, "T1", "tasks", "manual", 10)
    with (
        mock.patch.object(tasks.recompute_scores, "apply_async") as handoff,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        for i in range(5):
            town = _township(xx, f"R{i}")
            target = services.target_assign(indicator=ind, unit=town)
            services.decision_set(target=target, points=D(5), reason="评定", by=xx.office)
    assert handoff.call_count == 1
