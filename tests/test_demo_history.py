"""The demo county's locked history (2012–2014) and what followed from it (kaohe.demo.history).

The county is loaded once for the module (inside a transaction rolled back at the end), as in
tests/test_demo.py, and each test runs in a savepoint inside it.
"""

import datetime as dt
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.db import transaction
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from assessments.models import (
    LEVEL_ORDER,
    AssessmentYear,
    CadreResult,
    Consequence,
    EligibilityFlag,
    Grade,
    GradeChange,
    GradingPolicy,
    Level,
    TeamAnalysis,
    UnitResult,
)
from assessments.services.grading import quota_status
from cadres.models import ASSESSED_KINDS, Cadre, TrainingAssignment, Unit
from kaohe.demo import data
from kaohe.demo.history import (
    EXCELLENT_MIN,
    FLAGS_ON,
    HISTORY_YEARS,
    LUOCHUAN,
    history_notes,
    plan_history,
)
from kaohe.demo.loader import load_demo, plan_county

pytestmark = pytest.mark.django_db

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
Kind = EligibilityFlag.Kind
OUT = {}


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Load the demo county once for the module; roll it back afterwards."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        with transaction.atomic():
            out = StringIO()
            counts = load_demo(stdout=out)
            OUT["notes"] = out.getvalue()
            yield counts
            transaction.set_rollback(True)


@pytest.fixture(scope="module")
def history():
    return plan_history(plan_county())


def years() -> dict[int, AssessmentYear]:
    return {
        y.year: y
        for y in AssessmentYear.objects.filter(
            county__code="XX", year__in=HISTORY_YEARS
        ).select_related("grading")
    }


def open_flags(kind: str) -> dict[str, EligibilityFlag]:
    flags = EligibilityFlag.objects.filter(kind=kind, valid_until__isnull=True)
    return {f.cadre.number: f for f in flags.select_related("cadre")}


def test_the_history_is_the_same_every_time(loaded, history):
    assert plan_history(plan_county()) == history


def test_three_years_before_2015_are_locked(loaded):
    found = years()
    assert sorted(found) == list(HISTORY_YEARS)
    assert found[2012].status == found[2013].status == AssessmentYear.Status.PUBLISHED
    assert found[2014].status == AssessmentYear.Status.CLOSED  # the loader's year, left as it was
    for number, year in found.items():
        policy = year.grading
        assert policy.stage == GradingPolicy.Stage.LOCKED
        assert policy.notice_from < policy.review_until
        locked_on = timezone.localtime(policy.locked_at).date()
        assert policy.review_until < locked_on < FLAGS_ON
        assert locked_on.year == number + 1
        assert year.weights.count() == 3
    assert GradingPolicy.objects.get(year__county__code="XX", year__year=2015).stage == "proposed"


def test_every_unit_and_every_cadre_in_service_has_a_result_each_year(loaded, history):
    county = Unit.objects.get(code="XX")
    assessed = Unit.objects.filter(kind__in=ASSESSED_KINDS, path__startswith=county.path)
    assert assessed.count() == 78
    planned = Counter(r.year for r in history.results)
    for number, year in years().items():
        units = UnitResult.objects.filter(year=year)
        assert set(units.values_list("unit", flat=True)) == set(
            assessed.values_list("pk", flat=True)
        )
        assert not units.exclude(grade=F("proposed_grade"))
        assert all(year.grade_for(u.total) == u.grade for u in units)
        results = CadreResult.objects.filter(year=year)
        assert results.count() == planned[number]
        # Cadres who started after September are not graded that year; the later the year,
        # the more are graded.
        assert 0.5 * Cadre.objects.count() < planned[number] <= Cadre.objects.count()
        assert all(r.caps == [] and r.integrity == 100 for r in results)
        for r in results:
            assert 0 <= r.moral <= 100
            assert 0 <= r.performance <= 100
    assert planned[2012] < planned[2013] < planned[2014]


def test_grades_follow_the_bands_and_the_quota_in_each_year(loaded):
    for year in years().values():
        groups = quota_status(year)
        assert groups
        assert not [g for g in groups if g["over"]]
        assert sum(g["excellent"] for g in groups) > 0
        assert all(g["excellent"] <= g["cap"] for g in groups)
        by_group = defaultdict(list)
        for r in CadreResult.objects.filter(year=year):
            by_group[r.quota_group].append(r)
            assert (r.proposed_grade == Grade.EXCELLENT) == (r.composite >= EXCELLENT_MIN)
            assert r.quota_group == f"unit:{r.unit_id}"
        for members in by_group.values():  # ranks by composite, ties sharing a rank
            members.sort(key=lambda r: r.rank)
            assert members[0].rank == 1
            assert [m.composite for m in members] == sorted(
                (m.composite for m in members), reverse=True
            )


def test_the_basically_competent_grades_are_office_decisions_with_a_reason(loaded, history):
    decided = CadreResult.objects.filter(year__year__in=HISTORY_YEARS).exclude(
        grade=F("proposed_grade")
    )
    assert sorted((r.cadre.number, r.year.year) for r in decided) == sorted(history.stories.low)
    for result in decided:
        assert result.grade == Grade.BASIC
        assert result.proposed_grade == Grade.COMPETENT
        assert "基本称职" in result.override_reason
        change = GradeChange.objects.get(result=result)
        assert (change.before, change.after, change.kind) == ("competent", "basic", "override")
        assert change.reason == result.override_reason
        # Bottom of the team.
        lowest = CadreResult.objects.filter(year=result.year, quota_group=result.quota_group)
        assert result.composite == min(r.composite for r in lowest)


def test_each_kind_of_flag_is_raised_with_the_years_in_its_reason(loaded):
    assert loaded["flags_priority"] == loaded["flags_merit"] >= 5
    assert loaded["flags_not_promotable"] == 3
    assert loaded["flags_adjustment"] == 2
    for kind in Kind.values:
        flags = open_flags(kind)
        assert len(flags) == loaded[f"flags_{kind}"] > 0, kind
        for flag in flags.values():
            assert flag.valid_from == FLAGS_ON
            assert flag.rules.county.code == "XX"
            assert all(str(y) in flag.reason for y in (flag.years[0], flag.years[-1]))
    for kind in (Kind.PRIORITY, Kind.MERIT):
        assert all(f.years == [2012, 2013, 2014] for f in open_flags(kind).values())
    for number in open_flags(Kind.PRIORITY):
        grades = CadreResult.objects.filter(cadre__number=number).values_list("year__year", "grade")
        assert {y: g for y, g in grades if y in HISTORY_YEARS} == dict.fromkeys(
            HISTORY_YEARS, Grade.EXCELLENT
        )
    excellent_2014 = CadreResult.objects.filter(year__year=2014, grade=Grade.EXCELLENT)
    assert set(open_flags(Kind.TRAINING)) == set(
        excellent_2014.values_list("cadre__number", flat=True)
    )
    assert all(f.years == [2014] for f in open_flags(Kind.TRAINING).values())


def test_not_promotable_names_the_year_of_the_low_grade(loaded, history):
    flags = open_flags(Kind.NOT_PROMOTABLE)
    assert {(n, f.years[0]) for n, f in flags.items()} == set(history.stories.low)
    for flag in flags.values():
        assert flag.years == [flag.years[0]]
        assert str(flag.years[0]) in flag.reason


def test_two_years_of_excellent_give_training_but_no_priority(loaded, history):
    number = history.stories.two_years
    grades = dict(
        CadreResult.objects.filter(cadre__number=number, year__year__in=HISTORY_YEARS).values_list(
            "year__year", "grade"
        )
    )
    assert grades == {2012: Grade.COMPETENT, 2013: Grade.EXCELLENT, 2014: Grade.EXCELLENT}
    assert number in open_flags(Kind.TRAINING)
    assert number not in open_flags(Kind.PRIORITY)
    assert number not in open_flags(Kind.MERIT)


def test_a_cadre_who_moved_keeps_his_history_and_his_flags(loaded, history):
    cadre = Cadre.objects.get(number=history.stories.mover)
    old, new = cadre.posts.order_by("started_on")
    assert old.unit != new.unit
    assert old.ended_on is not None
    assert new.started_on.year == 2014
    units = dict(
        cadre.results.filter(year__year__in=HISTORY_YEARS).values_list("year__year", "unit")
    )
    assert units == {2012: old.unit_id, 2013: old.unit_id, 2014: new.unit_id}
    assert set(cadre.results.values_list("grade", flat=True)) >= {Grade.EXCELLENT}
    assert {Kind.PRIORITY, Kind.MERIT, Kind.TRAINING} <= set(
        cadre.flags.filter(valid_until__isnull=True).values_list("kind", flat=True)
    )


def test_principals_of_units_low_three_years_running_are_flagged_for_adjustment(loaded, history):
    low = defaultdict(set)
    average = LEVEL_ORDER.index(Level.AVERAGE)
    for unit, year, grade in UnitResult.objects.filter(year__year__in=HISTORY_YEARS).values_list(
        "unit__code", "year__year", "grade"
    ):
        if LEVEL_ORDER.index(grade) >= average:
            low[unit].add(year)
    three = sorted(u for u, ys in low.items() if ys == set(HISTORY_YEARS))
    assert three == sorted(history.stories.weak_units)
    flags = open_flags(Kind.ADJUSTMENT)
    principals = Cadre.objects.filter(unit__code__in=three, is_principal=True)
    assert set(flags) == set(principals.values_list("number", flat=True))
    for flag in flags.values():
        assert flag.unit.code in three
        assert flag.unit.name in flag.reason
        # The principal of a unit graded 一般 or lower is never 优秀 that year.
        assert not flag.cadre.results.filter(
            year__year__in=HISTORY_YEARS, grade=Grade.EXCELLENT, cadre__is_principal=True
        ).exists()


def test_consequences_follow_the_grades_and_the_flags(loaded, history):
    items = Consequence.objects.select_related("year", "flag", "result")
    kinds = Counter(items.values_list("kind", flat=True))
    excellent_2014 = CadreResult.objects.filter(year__year=2014, grade=Grade.EXCELLENT).count()
    assert kinds == {
        "commendation": excellent_2014,
        "merit": 1,
        "admonishment": 3,
        "notice": 2,
        "rectification": 2,
        "adjustment": 1,
    }
    assert loaded["consequences"] == sum(kinds.values())
    for item in items.filter(kind="commendation"):
        assert item.year.year == 2014
        assert item.result.grade == Grade.EXCELLENT
    merit = items.get(kind="merit")
    assert merit.flag.kind == Kind.MERIT
    assert merit.flag.cadre_id == merit.cadre_id
    adjustment = items.get(kind="adjustment")
    assert adjustment.flag.kind == Kind.ADJUSTMENT
    assert adjustment.cadre.number == history.stories.adjusted
    assert all(i.talked_by for i in items.filter(kind="admonishment"))
    rectifications = {i.year.year: i for i in items.filter(kind="rectification")}
    assert set(rectifications) == {2013, 2014}
    closed, still_open = rectifications[2013], rectifications[2014]
    assert closed.closed_on
    assert closed.closing_note
    assert closed.closed_on <= closed.deadline
    assert still_open.closed_on is None
    assert still_open.deadline > data.AS_OF
    for item in rectifications.values():  # leading cadres, bottom of their team that year
        assert item.cadre.is_leading
        assert item.result.grade == Grade.BASIC
        notice = items.get(kind="notice", cadre=item.cadre)
        assert notice.document_no
        assert notice.year == item.year


def test_training_assignments(loaded, history):
    trainings = TrainingAssignment.objects.select_related("cadre__unit")
    kinds = Counter(trainings.values_list("kind", flat=True))
    assert kinds == {
        "key_training": len(open_flags(Kind.TRAINING)),
        "secondment": 12,
        "first_secretary": len(history.stories.first_secretaries),
    }
    assert loaded["trainings"] == sum(kinds.values())
    pool = trainings.filter(kind="key_training")
    assert set(pool.values_list("cadre__number", flat=True)) == set(open_flags(Kind.TRAINING))
    for item in trainings.filter(kind="secondment"):
        assert item.place == LUOCHUAN
        assert item.started_on.year == item.ended_on.year == 2014
        assert item.cadre.unit.kind == Unit.Kind.TOWNSHIP or item.cadre.unit.code == "XX-D09"
    villages = {name.removesuffix("党支部") for _c, name, _t in data.GRASSROOTS}
    for item in trainings.filter(kind="first_secretary"):
        assert item.place in villages
        assert item.ended_on is None
        assert item.cadre.unit.kind == Unit.Kind.DEPARTMENT


def test_team_analysis_reports_for_the_townships(loaded):
    reports = TeamAnalysis.objects.select_related("unit", "year")
    assert sorted(r.unit.code for r in reports) == sorted(code for code, _n in data.TOWNSHIPS)
    assert {r.year.year for r in reports} == {2014}
    weak = reports.get(unit__code="XX-T08")
    assert "调整" in weak.conclusion
    assert all(r.strengths and r.conclusion and r.written_on < dt.date(2015, 2, 1) for r in reports)


def test_the_load_reports_the_history_counts(loaded):
    assert loaded["history_years"] == 2
    assert (
        loaded["history_unit_results"]
        == UnitResult.objects.filter(year__year__in=HISTORY_YEARS).count()
    )
    assert (
        loaded["history_cadre_results"]
        == CadreResult.objects.filter(year__year__in=HISTORY_YEARS).count()
    )
    assert loaded["team_analyses"] == TeamAnalysis.objects.count()
    for note in history_notes(loaded):
        assert note in OUT["notes"]


def test_a_second_load_creates_nothing(loaded):
    before = (
        AssessmentYear.objects.count(),
        CadreResult.objects.count(),
        UnitResult.objects.count(),
        EligibilityFlag.objects.count(),
        Consequence.objects.count(),
        TrainingAssignment.objects.count(),
        TeamAnalysis.objects.count(),
        GradeChange.objects.count(),
    )
    second = load_demo()
    assert set(second.values()) == {0}
    after = (
        AssessmentYear.objects.count(),
        CadreResult.objects.count(),
        UnitResult.objects.count(),
        EligibilityFlag.objects.count(),
        Consequence.objects.count(),
        TrainingAssignment.objects.count(),
        TeamAnalysis.objects.count(),
        GradeChange.objects.count(),
    )
    assert after == before
