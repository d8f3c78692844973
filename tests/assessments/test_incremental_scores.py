"""Incremental scores: stable score rows (kept, written only when they change), a recompute of
the units an input change touches (then the year re-ranked) equal to a full one, in a number of
queries that does not grow with the county, and grade proposals that write only what changed."""

import datetime as dt
from decimal import Decimal as D
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services
from assessments.models import (
    CadreResult,
    IndicatorScore,
    MoralResult,
    MoralRound,
    RecomputeRequest,
    UnitScore,
)
from assessments.services import grading, scoring
from cadres.models import Unit
from tests.factories import CadreFactory, IndicatorFactory, UnitFactory, WeightsFactory, YearFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(xx):
    year = YearFactory(county=xx.county, year=2015, bonus_cap=D(3), status="in_progress")
    WeightsFactory(year=year, unit_kind="township", party=30, industry=40, tasks=30)
    return year


def _ind(year, code, category, method, m):
    return IndicatorFactory(
        year=year,
        code=code,
        category=category,
        method=method,
        max_points=D(m),
        unit_kinds=["township"],
    )


def _towns(xx, n):
    return [xx.township] + [
        UnitFactory(code=f"S{i}", name=f"S{i}", kind=Unit.Kind.TOWNSHIP, parent=xx.county)
        for i in range(n - 1)
    ]


@pytest.fixture
def county(xx, year):
    """Five townships scored on a manual indicator (9, 8, 8, 7, 6 of 10) and a deduction one,
    and an inspection that checked them all; scored, with no recompute pending (as after the
    setup's transaction committed and its recompute ran)."""
    pending = len(connection.run_on_commit)
    towns = _setup(xx, year)
    del connection.run_on_commit[pending:]  # the setup's requests: never committed in a test
    RecomputeRequest.objects.all().delete()
    services.scores_compute(year=year)
    return {
        "towns": towns,
        "deduction": year.indicators.get(code="T2"),
        "inspection": year.inspections.get(),
    }


def _setup(xx, year):
    manual = _ind(year, "T1", "tasks", "manual", 10)
    deduction = _ind(year, "T2", "tasks", "deduction", 10)
    towns = _towns(xx, 5)
    for town, pts in zip(towns, ("9", "8", "8", "7", "6"), strict=True):
        services.decision_set(
            target=services.target_assign(indicator=manual, unit=town),
            points=D(pts),
            reason="评定",
            by=xx.office,
        )
        services.target_assign(indicator=deduction, unit=town)
    services.inspection_create(
        year=year,
        kind="spot",
        title="抽查",
        held_on=dt.date(2015, 5, 1),
        inspectors="督导办",
        units=towns,
        by=xx.office,
    )
    return towns


def _finding(county, town, points):
    return services.finding_add(
        inspection=county["inspection"],
        unit=town,
        indicator=county["deduction"],
        points=D(points),
        description="问题",
    )


def _state(year):
    """Every stored score of the year: unit -> (row id, total, rank, grade, items)."""
    items: dict[int, dict] = {}
    for item in IndicatorScore.objects.filter(unit_score__year=year):
        items.setdefault(item.unit_score_id, {})[item.indicator_id] = (
            item.pk,
            item.points,
            item.breakdown,
        )
    return {
        s.unit_id: (s.pk, s.total, s.rank, s.proposed_grade, items.get(s.pk, {}))
        for s in UnitScore.objects.filter(year=year)
    }


def _writes(ctx) -> list[str]:
    return [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_a_recompute_with_nothing_changed_keeps_every_row_and_writes_none(year, county):
    before = _state(year)
    with CaptureQueriesContext(connection) as ctx:
        services.scores_compute(year=year)
    assert _writes(ctx) == []
    assert _state(year) == before


def test_a_recompute_after_a_change_keeps_the_row_ids_and_writes_only_changed_rows(year, county):
    towns = county["towns"]
    before = _state(year)
    stamps = dict(UnitScore.objects.values_list("unit_id", "computed_at"))
    _finding(county, towns[4], "-5")  # 6 + 5 of 20: still last, its rank unchanged
    with mock.patch.object(scoring, "_upsert", wraps=scoring._upsert) as upsert:
        services.scores_compute(year=year)
    after = _state(year)
    assert {u: row[0] for u, row in after.items()} == {u: row[0] for u, row in before.items()}
    for unit, row in after.items():  # the same item rows too
        assert {i: v[0] for i, v in row[4].items()} == {i: v[0] for i, v in before[unit][4].items()}
    written = {model: rows for (model, rows, _fields), _kw in upsert.call_args_list}
    assert [s.unit_id for s in written[UnitScore]] == [towns[4].pk]
    assert [i.indicator_id for i in written[IndicatorScore]] == [county["deduction"].pk]
    assert after[towns[4].pk][1] == D("16.5")  # 30 × (6 + 5) / 20
    unchanged = {u: t for u, t in UnitScore.objects.values_list("unit_id", "computed_at")}
    assert {u: unchanged[u] for u in stamps if u != towns[4].pk} == {
        u: t for u, t in stamps.items() if u != towns[4].pk
    }


def test_a_unit_no_longer_scored_loses_only_its_rows(xx, year, county):
    towns = county["towns"]
    kept = {u: row[0] for u, row in _state(year).items() if u != towns[3].pk}
    for target in towns[3].targets.filter(year=year):
        target.delete()  # (test shortcut) the unit has nothing assessed any more
    services.scores_compute(year=year)
    state = _state(year)
    assert {u: row[0] for u, row in state.items()} == kept
    assert [state[t.pk][2] for t in towns if t != towns[3]] == [1, 2, 2, 4]


def test_a_finding_recomputes_its_unit_then_ranks_as_a_full_recompute_would(
    xx, year, county, django_capture_on_commit_callbacks
):
    towns = county["towns"]
    with (
        mock.patch.object(scoring, "scores_compute", wraps=scoring.scores_compute) as compute,
        django_capture_on_commit_callbacks(execute=True),
    ):
        _finding(county, towns[0], "-8")  # (9 + 2) of 20 → 16.5: from first to last
        assert list(RecomputeRequest.objects.values_list("unit_ids", flat=True)) == [[towns[0].pk]]
    assert compute.call_args.kwargs == {"year": year, "unit_ids": {towns[0].pk}}
    assert not RecomputeRequest.objects.exists()
    incremental = _state(year)
    assert [incremental[t.pk][2] for t in towns] == [5, 1, 1, 3, 4]
    UnitScore.objects.filter(year=year).update(rank=99)  # a full recompute starts from scratch
    services.scores_compute(year=year)
    assert _state(year) == incremental


def test_changes_to_several_units_in_one_transaction_recompute_those_units_once(
    xx, year, county, django_capture_on_commit_callbacks
):
    towns = county["towns"]
    with (
        mock.patch.object(scoring, "scores_compute", wraps=scoring.scores_compute) as compute,
        django_capture_on_commit_callbacks(execute=True),
    ):
        with scoring.transaction.atomic():
            _finding(county, towns[1], "-1")
            _finding(county, towns[2], "-1")
            _finding(county, towns[1], "-1")
    assert compute.call_count == 1
    assert compute.call_args.kwargs["unit_ids"] == {towns[1].pk, towns[2].pk}
    incremental = _state(year)
    services.scores_compute(year=year)
    assert _state(year) == incremental


def test_a_request_for_the_whole_year_recomputes_every_unit(xx, year, county):
    RecomputeRequest.objects.create(year=year, unit_ids=[county["towns"][0].pk])
    RecomputeRequest.objects.create(year=year, unit_ids=None)
    with mock.patch.object(scoring, "scores_compute", wraps=scoring.scores_compute) as compute:
        assert scoring.scores_recompute_requested(year=year) == 5
    assert compute.call_args.kwargs == {"year": year}


def test_a_unit_recompute_of_a_year_never_scored_scores_the_whole_year(xx, year, county):
    UnitScore.objects.filter(year=year).delete()
    assert len(services.scores_compute(year=year, unit_ids=[county["towns"][0].pk])) == 5
    assert UnitScore.objects.filter(year=year).count() == 5


def test_one_units_recompute_takes_the_same_few_queries_for_5_and_30_units(xx, year, county):
    counts = []
    towns = county["towns"]
    manual = year.indicators.get(code="T1")
    ratio = _ind(year, "I1", "industry", "ratio", 20)
    target = services.target_assign(indicator=ratio, unit=towns[0], target_value=D(100))
    report = services.progress_submit(
        target=target,
        month=3,
        actual_value=D(50),
        narrative="进展",
        by=xx.liaison,
        now=dt.datetime(2015, 4, 5, tzinfo=dt.UTC),
    )
    services.progress_approve(report=report, by=xx.office)
    for n in (5, 30):
        for i in range(UnitScore.objects.filter(year=year).count(), n):
            town = UnitFactory(code=f"Q{i}", name=f"Q{i}", kind="township", parent=xx.county)
            services.decision_set(
                target=services.target_assign(indicator=manual, unit=town),
                points=D(i % 10),
                reason="评定",
                by=xx.office,
            )
        services.scores_compute(year=year)
        _finding(county, towns[0], "-1")
        with CaptureQueriesContext(connection) as ctx:
            services.scores_compute(year=year, unit_ids=[towns[0].pk])
        counts.append(len(ctx.captured_queries))
    assert UnitScore.objects.filter(year=year).count() == 30
    # savepoint, year lock, the year's scores, 10 input reads, its items, 2 writes, release
    assert counts == [17, 17], counts


# ---- grade proposals -------------------------------------------------------------------------


@pytest.fixture
def closed(xx):
    year = YearFactory(county=xx.county, year=2014, status="closed")
    grading.policy_set(year=year)
    for i in range(8):
        CadreFactory(unit=xx.township, name=f"干部{i}")
    round_ = MoralRound.objects.create(
        year=year,
        name="年度",
        opens_on=dt.date(2014, 12, 1),
        closes_on=dt.date(2014, 12, 20),
        status="closed",
    )
    MoralResult.objects.create(round=round_, cadre=xx.cadre, score=D(90), ballots=10)
    return year


def _result_updates(ctx) -> list[str]:
    return [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith(
            ('UPDATE "assessments_cadreresult"', 'UPDATE "assessments_unitresult"')
        )
    ]


def test_a_grade_proposal_writes_only_the_results_whose_proposal_changed(xx, closed):
    grading.results_propose(year=closed)
    ids = dict(CadreResult.objects.values_list("cadre_id", "pk"))
    with CaptureQueriesContext(connection) as ctx:
        grading.results_propose(year=closed)
    assert _result_updates(ctx) == []  # nothing changed: nothing written
    MoralResult.objects.filter(cadre=xx.cadre).update(score=D(80))
    with CaptureQueriesContext(connection) as ctx:
        results = {r.cadre_id: r for r in grading.results_propose(year=closed)}
    (update,) = _result_updates(ctx)
    assert update.endswith(f"IN ({ids[xx.cadre.pk]})")  # that one cadre's row only
    assert CadreResult.objects.get(cadre=xx.cadre).composite == results[xx.cadre.pk].composite
    assert results[xx.cadre.pk].composite == D("92.5")  # (30×80 + 20×100 + 30×100) / 80
    assert dict(CadreResult.objects.values_list("cadre_id", "pk")) == ids


def test_a_unit_recompute_after_a_settings_change_recomputes_the_whole_year(xx, year, county):
    towns = county["towns"]
    services.weights_set(year=year, unit_kind="township", party=20, industry=20, tasks=60)
    scores = services.scores_compute(year=year, unit_ids=[towns[0].pk])
    assert len(scores) == 5  # every unit: their scores were computed with the old weights
    assert UnitScore.objects.get(unit=towns[4]).tasks == D(48)  # 60 × 16 / 20
    assert len(services.scores_compute(year=year, unit_ids=[towns[0].pk])) == 1  # up to date
