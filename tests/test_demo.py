"""The demo county loader: ``manage.py load_demo``.

The county is loaded once for the module (inside a transaction rolled back at the end), and each
test runs in a savepoint inside it.
"""

import datetime as dt
import math
from collections import Counter
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.test import override_settings
from django.utils import timezone

from assessments.models import (
    AssessmentYear,
    Ballot,
    BallotAnswer,
    BallotCode,
    BonusAward,
    CadreResult,
    CategoryWeights,
    Decision,
    EarlyWarning,
    Finding,
    Grade,
    GradingPolicy,
    Indicator,
    IndicatorScore,
    Inspection,
    Level,
    MidtermReview,
    Milestone,
    MoralResult,
    MoralRound,
    MoralTemplate,
    ProgressReport,
    Rectification,
    ResponsibilityLetter,
    Target,
    UnitScore,
    WarningItem,
)
from assessments.selectors.progress import SEVERITY, Color, target_statuses
from assessments.services.grading import quota_status
from assessments.services.moral import round_cadres
from cadres.models import (
    ASSESSED_KINDS,
    Account,
    Cadre,
    IntegrityEntry,
    IntegrityReporter,
    LedgerNote,
    Post,
    Role,
    Sanction,
    Unit,
)
from kaohe.demo import data
from kaohe.demo.daily import DAILY_KEYS, daily_notes, daily_summary, plan_daily
from kaohe.demo.loader import load_demo, plan_county, progress_summary
from kaohe.demo.progress import leaf_indicators, plan_progress

pytestmark = pytest.mark.django_db

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AS_OF = dt.date(2015, 11, 1)  # the day after the demo's "today"
SHANGHAI = ZoneInfo(data.TIME_ZONE)
FIRST_RUN = {}  # what the first load printed and left queued for the commit


@pytest.fixture(scope="module")
def first_run(django_db_setup, django_db_blocker):
    """Load the demo county once for the module; roll it back afterwards."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        with transaction.atomic():
            out = StringIO()
            counts = load_demo(stdout=out)
            FIRST_RUN["notes"] = out.getvalue()
            FIRST_RUN["on_commit"] = [f for _sids, f, _robust in connection.run_on_commit]
            yield counts
            transaction.set_rollback(True)


def table_counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "cadres": Cadre.objects.count(),
        "posts": Post.objects.count(),
        "users": get_user_model().objects.count(),
        "accounts": Account.objects.count(),
        "years": AssessmentYear.objects.count(),
        "weights": CategoryWeights.objects.count(),
        "indicators": Indicator.objects.count(),
        "targets": Target.objects.count(),
        "milestones": Milestone.objects.count(),
        "reports": ProgressReport.objects.count(),
        "inspections": Inspection.objects.count(),
        "findings": Finding.objects.count(),
        "rectifications": Rectification.objects.count(),
        "midterm_reviews": MidtermReview.objects.count(),
        "decisions": Decision.objects.count(),
        "bonus_awards": BonusAward.objects.count(),
        "letters": ResponsibilityLetter.objects.count(),
        "unit_scores": UnitScore.objects.count(),
        "indicator_scores": IndicatorScore.objects.count(),
        "moral_templates": MoralTemplate.objects.count(),
        "moral_rounds": MoralRound.objects.count(),
        "ballot_codes": BallotCode.objects.count(),
        "ballots": Ballot.objects.count(),
        "ballot_answers": BallotAnswer.objects.count(),
        "moral_results": MoralResult.objects.count(),
        "ledger_notes": LedgerNote.objects.count(),
        "integrity_entries": IntegrityEntry.objects.count(),
        "reporters": IntegrityReporter.objects.count(),
        "sanctions": Sanction.objects.count(),
        "policies": GradingPolicy.objects.count(),
        "cadre_results": CadreResult.objects.filter(year__year=data.DAILY_YEAR).count(),
    }


def year_2015() -> AssessmentYear:
    return AssessmentYear.objects.get(county__code="XX", year=2015)


def october_statuses():
    year = year_2015()
    targets = list(year.targets.select_related("indicator", "unit"))
    return target_statuses(targets, year=year, month=10, today=AS_OF)


def county_units():
    county = Unit.objects.get(code="XX")
    return Unit.objects.filter(path__startswith=county.path).exclude(pk=county.pk)


def test_first_run_creates_what_it_reports(first_run):
    tables = table_counts()
    assert first_run["units"] == tables["units"]
    assert first_run["cadres"] == tables["cadres"]
    assert tables["posts"] == tables["cadres"] + first_run["moves"]
    assert first_run["moves"] == data.MOVES
    assert first_run["accounts"] == tables["accounts"] == tables["users"] == len(data.ACCOUNTS)
    assert first_run["years"] == 2
    assert first_run["weights"] == 6
    # and 2012 and 2013 with their weights, from kaohe.demo.history (tests/test_demo_history.py)
    assert tables["years"] == 2 + first_run["history_years"]
    assert tables["weights"] == 6 + 3 * first_run["history_years"]
    assert first_run["indicators"] == tables["indicators"]
    for key in (
        "targets",
        "milestones",
        "reports",
        "inspections",
        "findings",
        "rectifications",
        "midterm_reviews",
        "decisions",
        "bonus_awards",
        "letters",
    ):
        assert first_run[key] == tables[key] > 0, key
    assert first_run["scored_units"] == tables["unit_scores"]
    assert first_run["late_reports"] == ProgressReport.objects.filter(is_late=True).count()
    for key in (
        "moral_rounds",
        "ballot_codes",
        "ballots",
        "moral_results",
        "ledger_notes",
        "integrity_entries",
        "sanctions",
        "cadre_results",
    ):
        assert first_run[key] == tables[key] > 0, key
    assert first_run["ballot_papers"] == BallotCode.objects.filter(used=True).count()
    grades = Counter(
        CadreResult.objects.filter(year__year=data.DAILY_YEAR).values_list("grade", flat=True)
    )
    assert {g: first_run[f"grade_{g}"] for g in Grade.values} == {
        g: grades[g] for g in Grade.values
    }


def test_loading_twice_leaves_one_copy(first_run, django_assert_max_num_queries):
    before = table_counts()
    with django_assert_max_num_queries(10):  # existence is checked in bulk, not row by row
        second_run = load_demo()
    assert set(second_run.values()) == {0}
    assert table_counts() == before


def test_the_county_is_the_same_every_time(first_run):
    assert plan_county() == plan_county()
    assert plan_progress(plan_county()) == plan_progress(plan_county())
    planned = [(c.number, c.name, c.post.unit, c.post.title) for c in plan_county().cadres]
    loaded = list(
        Cadre.objects.order_by("number").values_list("number", "name", "unit__code", "title")
    )
    assert loaded == planned


def test_county_has_the_units_of_xi_county(first_run):
    county = Unit.objects.get(code="XX")
    assert county.kind == Unit.Kind.COUNTY
    assert county.parent.code == "LF"
    assert county.parent.kind == Unit.Kind.CITY
    kinds = dict(
        county_units().values_list("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    assert kinds[Unit.Kind.COMMITTEE] >= 20
    assert kinds[Unit.Kind.TOWNSHIP] >= 8
    assert kinds[Unit.Kind.DEPARTMENT] >= 40
    assert kinds[Unit.Kind.GRASSROOTS] >= 1
    townships = set(county.children.filter(kind=Unit.Kind.TOWNSHIP).values_list("name", flat=True))
    assert townships == {
        "龙泉镇",
        "午城镇",
        "黄土镇",
        "阳头升乡",
        "寨子乡",
        "城南乡",
        "下李乡",
        "陡坡乡",
    }
    committees = county.children.filter(kind=Unit.Kind.COMMITTEE)
    assert committees.count() == committees.values("name").distinct().count() >= 20
    assert not Unit.objects.filter(kind=Unit.Kind.DEPARTMENT).exclude(
        parent__kind=Unit.Kind.COMMITTEE
    )
    assert not Unit.objects.filter(kind=Unit.Kind.GRASSROOTS).exclude(
        parent__kind=Unit.Kind.TOWNSHIP
    )
    pears = Unit.objects.get(code="XX-D09")
    assert (pears.name, pears.head_email) == ("县果业发展中心", "head.xx-d09@example.gov.cn")
    assert pears.parent.name == "县果业工委"


def test_county_has_over_500_cadres_with_plausible_records(first_run):
    cadres = Cadre.objects.filter(unit__in=county_units())
    assert cadres.count() >= 500
    assert Cadre.objects.filter(number__regex=r"^XX\d{4}$").count() == Cadre.objects.count()
    assert not cadres.filter(Q(name="") | Q(education="") | Q(birth_date__isnull=True))
    assert not cadres.filter(birth_date__year__lt=1965)
    assert not cadres.filter(birth_date__year__gt=1998)
    duplicates = cadres.values("unit", "name").annotate(n=Count("pk")).filter(n__gt=1)
    assert not duplicates
    assert not Post.objects.filter(started_on__year__lt=2008)
    moved = Cadre.objects.annotate(n=Count("posts")).filter(n__gt=1)
    assert moved.count() == data.MOVES
    for cadre in moved:
        old, new = sorted(cadre.posts.all(), key=lambda p: p.started_on)
        assert old.unit_id != new.unit_id
        assert new.unit_id == cadre.unit_id
        assert old.ended_on is not None
        assert new.started_on.year == 2014


def test_every_assessed_unit_has_exactly_one_principal_leader(first_run):
    units = Unit.objects.filter(kind__in=ASSESSED_KINDS).annotate(
        principals=Count("cadres", filter=Q(cadres__is_principal=True), distinct=True),
        deputies=Count("cadres", filter=Q(cadres__post_kind="deputy"), distinct=True),
        open_principal_posts=Count(
            "posts",
            filter=Q(posts__is_principal=True, posts__ended_on__isnull=True),
            distinct=True,
        ),
    )
    assert len(units) >= 68
    for unit in units:
        assert unit.principals == 1, unit
        assert unit.open_principal_posts == 1, unit
        assert 2 <= unit.deputies <= 4, unit
    principal = Cadre.objects.get(unit__code="XX-T01", is_principal=True)
    assert principal.title == "党委书记"
    assert principal.is_leading
    assert principal.rank == "sec_chief"
    assert principal.post_kind == "principal"


def test_weights_raise_party_building_from_15_to_30_in_2015(first_run):
    y2014 = AssessmentYear.objects.get(county__code="XX", year=2014)
    y2015 = AssessmentYear.objects.get(county__code="XX", year=2015)
    assert y2014.status == AssessmentYear.Status.CLOSED
    assert y2015.status == AssessmentYear.Status.IN_PROGRESS
    for year in (y2014, y2015):
        weights = list(year.weights.all())
        assert {w.unit_kind for w in weights} == set(ASSESSED_KINDS)
        assert all(w.total == 100 for w in weights)
    assert all(w.party == 15 for w in y2014.weights.all())
    assert y2015.weights.get(unit_kind="township").party == 30
    assert y2015.weights.get(unit_kind="department").party == 30


def test_2015_catalog_follows_the_three_thirds(first_run):
    y2015 = AssessmentYear.objects.get(county__code="XX", year=2015)
    y2014 = AssessmentYear.objects.get(county__code="XX", year=2014)
    assert y2014.indicators.exists()
    assert y2014.indicators.count() < y2015.indicators.count()
    indicators = {i.code: i for i in y2015.indicators.select_related("lead_department")}
    assert {i.category for i in indicators.values()} == {"party", "industry", "tasks", "bonus"}
    assert {i.method for i in indicators.values()} == {
        "ratio", "levels", "deduction", "manual", "midterm", "bonus"
    }  # fmt: skip
    pears = indicators["I1"]
    assert [c.code for c in pears.children.order_by("code")] == ["I1.1", "I1.2", "I1.3", "I1.4"]
    assert pears.max_points == sum(c.max_points for c in pears.children.all())
    assert pears.unit_kinds == ["township"]
    assert indicators["I1.1"].lead_department.name == "县果业发展中心"
    assert indicators["I3"].unit_kinds == ["department"]
    assert indicators["I3"].lead_department.name == "县发展和改革局"
    assert indicators["P4"].method == "midterm"
    assert indicators["T4"].lead_department.name == "县信访局"
    safety = indicators["T5"]
    assert safety.is_veto
    assert safety.lead_department.name == "县应急管理局"
    assert indicators["B1"].category == "bonus"
    assert indicators["B1"].method == "bonus"
    # Every assessed kind has indicators in each of the three thirds.
    leaves = [i for i in indicators.values() if not i.children.exists()]
    for kind in ASSESSED_KINDS:
        for category in ("party", "industry", "tasks"):
            points = sum(
                i.max_points for i in leaves if i.category == category and kind in i.unit_kinds
            )
            assert 20 <= points <= 50, (kind, category, points)


def test_demo_logins_exist_with_their_roles(first_run):
    expected = {
        "office": (Role.OFFICE, "隰县"),
        "leader": (Role.LEADER, "隰县"),
        "liaison": (Role.LIAISON, "龙泉镇"),
        "cadre": (Role.CADRE, "龙泉镇"),
        "cityoffice": (Role.OFFICE, "临汾市"),
    }
    for username, (role, scope) in expected.items():
        account = Account.objects.select_related("user", "unit").get(user__username=username)
        assert (account.role, account.unit.name) == (role, scope)
        assert account.user.groups.filter(name=role).exists()
        assert account.user.first_name
        assert account.user.check_password(data.PASSWORD)
    cadre = Cadre.objects.get(user__username="cadre")
    assert cadre.unit.name == "龙泉镇"
    assert cadre.is_principal


def test_command_prints_counts_and_the_demo_logins(first_run):
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "kaohe-demo" in text
    for username, *_rest in data.ACCOUNTS:
        assert username in text
    assert "龙泉镇" in text
    assert "临汾市" in text


# --- 2015 as it stood at the end of October ------------------------------------------------------


def test_2015_has_targets_for_every_assessed_unit(first_run):
    year = year_2015()
    units = county_units().filter(kind__in=ASSESSED_KINDS)
    assert units.count() == 78
    assert not units.annotate(n=Count("targets", filter=Q(targets__year=year))).filter(n=0)
    # Every leaf, non-bonus indicator of the year goes to every unit of its kinds.
    kinds = Counter(units.values_list("kind", flat=True))
    expected = sum(kinds[k] for spec in leaf_indicators() for k in spec.unit_kinds)
    assert year.targets.count() == expected
    assert not year.targets.exclude(deadline=data.TARGET_DEADLINE)
    assert not year.targets.filter(indicator__category="bonus")
    ratio = year.targets.filter(indicator__method=Indicator.Method.RATIO)
    assert not ratio.filter(Q(target_value__isnull=True) | Q(measure=""))
    measures = dict(
        ratio.filter(unit__kind="township").values_list("indicator__code", "measure").distinct()
    )
    assert measures == {"I1.1": "亩", "I1.4": "吨", "I2": "亩", "T2": "户", "T7": "人"}
    acreage = ratio.filter(indicator__code="I1.1").values_list("target_value", flat=True)
    assert all(1500 <= value <= 4000 for value in acreage)
    assert len(set(acreage)) > 1  # each township has its own target
    pears = ratio.get(unit__code="XX-T01", indicator__code="I1.1")
    planned = list(pears.milestones.order_by("month").values_list("month", "planned_value"))
    assert planned[0][0] == 3
    assert planned[-1] == (12, pears.target_value)
    assert all(a[1] <= b[1] for a, b in zip(planned, planned[1:], strict=False))
    assert Milestone.objects.values("target").distinct().count() >= 100


def test_progress_is_reported_january_to_october(first_run):
    reports = ProgressReport.objects.filter(target__year=year_2015())
    assert set(reports.values_list("month", flat=True)) == set(range(1, 11))
    assert not reports.filter(submitted_at__gte=dt.datetime(2015, 11, 1, tzinfo=SHANGHAI))
    assert not reports.filter(reviewed_at__gte=dt.datetime(2015, 11, 1, tzinfo=SHANGHAI))
    ratio = reports.filter(target__indicator__method=Indicator.Method.RATIO)
    assert not ratio.filter(actual_value__isnull=True)
    assert not reports.filter(narrative="")
    # Cumulative values never go backwards.
    values: dict[int, list] = {}
    rows = ratio.exclude(status="returned").order_by("target", "month")
    for target, value in rows.values_list("target", "actual_value"):
        values.setdefault(target, []).append(value)
    assert all(
        a <= b for series in values.values() for a, b in zip(series, series[1:], strict=False)
    )
    statuses = Counter(reports.values_list("status", flat=True))
    assert statuses["approved"] > 0.95 * reports.count()
    assert 10 <= statuses["submitted"] <= 60  # October reports awaiting review
    assert not reports.filter(status="submitted").exclude(month=10)
    assert statuses["returned"] == 1  # 龙泉镇's October figure, awaiting its correction
    corrected = reports.filter(revision=2)
    assert corrected.count() == data.RETURNS
    assert not corrected.exclude(status="approved")
    late = reports.filter(is_late=True)
    assert late.exists()
    local = timezone.get_current_timezone()
    for report in late:
        submitted = report.submitted_at.astimezone(local).date()
        assert (submitted.month, submitted.day) > (report.month, 25)
    for report in reports.filter(is_late=False).exclude(revision=2)[:500]:
        submitted = report.submitted_at.astimezone(local).date()
        assert submitted.month == report.month
        assert submitted.day <= 25
    assert reports.filter(submitted_by__username="liaison", target__unit__code="XX-T01").exists()


def test_every_unit_with_targets_is_scored(first_run):
    year = year_2015()
    with_targets = set(year.targets.values_list("unit", flat=True))
    scores = {s.unit_id: s for s in UnitScore.objects.filter(year=year)}
    assert set(scores) == with_targets
    totals = [s.total for s in scores.values()]
    assert 60 <= min(totals) < 70
    assert 90 < max(totals) <= 100
    for kind in ASSESSED_KINDS:
        ranks = sorted(s.rank for s in scores.values() if s.unit_kind == kind)
        assert ranks[0] == 1
    # Every point is traceable: a ratio indicator's points name the report behind them.
    item = IndicatorScore.objects.filter(
        unit_score__year=year, indicator__code="I1.1", unit_score__unit__code="XX-T02"
    ).get()
    assert item.breakdown["inputs"]["report"] is not None
    assert item.points > 0


def test_all_four_unit_grades_appear(first_run):
    grades = Counter(
        UnitScore.objects.filter(year=year_2015()).values_list("proposed_grade", flat=True)
    )
    assert set(grades) == set(Level.values)
    assert grades[Level.FAIR] > grades[Level.GOOD] > grades[Level.POOR]
    assert grades[Level.AVERAGE] > grades[Level.POOR] >= 1


def test_a_failed_veto_caps_the_grade(first_run):
    vetoed = UnitScore.objects.filter(year=year_2015(), veto_failed=True).select_related("unit")
    assert [s.unit.code for s in vetoed] == [data.VETO_UNIT]
    score = vetoed[0]
    assert score.proposed_grade in (Level.AVERAGE, Level.POOR)
    assert score.total >= 80  # its points alone would have earned 较好: the veto capped it
    finding = Finding.objects.get(vetoes=True)
    assert finding.indicator.code == "T5"
    assert finding.indicator.is_veto
    assert finding.unit == score.unit
    assert finding.rectification.status == "closed"


def test_the_four_checks_of_2015(first_run):
    inspections = Inspection.objects.filter(year=year_2015())
    kinds = Counter(inspections.values_list("kind", flat=True))
    assert kinds == data.INSPECTION_COUNTS
    assert kinds["centralized"] == 4
    assert kinds["spot"] >= 20
    assert not inspections.filter(held_on__gt=data.AS_OF)
    assert not inspections.annotate(n=Count("units")).filter(n=0)
    assert inspections.annotate(n=Count("cadres")).filter(n__gt=0).count() == inspections.count()
    findings = Finding.objects.filter(inspection__year=year_2015())
    deducted = set(findings.filter(points__lt=0).values_list("indicator__code", flat=True))
    assert {"P3", "T4", "T5"} <= deducted
    assert deducted & {"T6.1", "T6.2"}
    assert deducted - {"P3", "T4", "T5", "T6.1", "T6.2"}  # and on other indicators
    assert findings.filter(points__gt=0).count() >= 2
    assert findings.filter(indicator__isnull=True).exists()  # noted only
    assert findings.filter(cadre__isnull=False).exists()
    items = Rectification.objects.filter(year=year_2015())
    assert items.filter(status="closed").exclude(closing_note="").count() > items.count() / 2
    overdue = items.filter(status="open", deadline__lt=data.AS_OF)
    assert 1 <= overdue.count() <= 5
    assert items.filter(status="open", deadline__gte=data.AS_OF).exists()


def test_october_colours_are_mostly_green(first_run):
    statuses = october_statuses()
    colours = Counter(s.color for s in statuses.values())
    lagging = colours[Color.AMBER] + colours[Color.RED] + colours[Color.MISSING]
    assert colours[Color.GREEN] > lagging
    assert colours[Color.AMBER] >= 1
    assert colours[Color.RED] >= 1
    assert colours[Color.MISSING] >= 1
    # Non-numeric targets were reported; only a couple of units left some unreported.
    assert colours[Color.REPORTED] > 0.95 * sum(1 for s in statuses.values() if s.plan is None)
    by_unit: dict[str, list] = {}
    for status in statuses.values():
        by_unit.setdefault(status.target.unit.code, []).append(status.color)
    worst = Counter(min(c, key=SEVERITY.index) for c in by_unit.values())
    assert worst[Color.GREEN] > len(by_unit) / 2
    assert 5 <= worst[Color.AMBER] <= 20
    assert 2 <= worst[Color.RED] <= 8
    assert 2 <= worst[Color.MISSING] <= 3
    missing_units = {c for c, colours in by_unit.items() if Color.MISSING in colours}
    assert missing_units == {*data.MISSING_OCTOBER, data.RETURNED_OPEN[0]}


def test_the_months_checks_warned_the_red_and_missing_targets(first_run):
    warnings = list(EarlyWarning.objects.prefetch_related("items"))
    assert first_run["warnings"] == len(warnings)
    # one notice per lagging unit and run: dozens, not one row per target
    assert 20 <= len(warnings) <= 120
    assert WarningItem.objects.count() > len(warnings)
    assert len({(w.unit_id, w.issued_on) for w in warnings}) == len(warnings)
    assert 10 in {w.month for w in warnings} <= set(range(5, 11))
    # October's notices list exactly October's red and unreported targets.
    october = october_statuses()
    warned = {i.target_id for w in warnings if w.month == 10 for i in w.items.all()}
    assert warned == {t for t, s in october.items() if s.color in (Color.RED, Color.MISSING)}
    # Two in three were answered with a plan; what stayed open past its date was escalated;
    # half of the answered were closed by their catch-up date.
    answered = [w for w in warnings if w.acknowledged_at is not None]
    assert first_run["warnings_acknowledged"] == len(answered) > 0
    escalated = [w for w in warnings if w.status == EarlyWarning.Status.ESCALATED]
    assert first_run["warnings_escalated"] == len(escalated) > 0
    assert all(w.month < 10 and w.escalated_on > w.catch_up_by for w in escalated)
    closed = [w for w in warnings if w.status == EarlyWarning.Status.CLOSED]
    assert first_run["warnings_closed"] == len(closed) > 0
    assert all(w.closed_on == w.catch_up_by and w.closing_note for w in closed)


def test_reviews_decisions_awards_and_letters(first_run):
    year = year_2015()
    midterm_units = set(
        year.targets.filter(indicator__method="midterm").values_list("unit", flat=True)
    )
    reviews = MidtermReview.objects.filter(year=year)
    assert set(reviews.values_list("unit", flat=True)) == midterm_units
    assert all(70 <= r.score <= 98 and r.reviewed_on.month == 7 for r in reviews)
    graded = year.targets.filter(indicator__method__in=["levels", "manual"])
    assert Decision.objects.filter(target__year=year).count() == graded.count()
    levels = set(
        Decision.objects.filter(target__year=year).exclude(level="").values_list("level", flat=True)
    )
    assert levels == set(Level.values)
    for decision in Decision.objects.filter(target__indicator__method="manual").select_related(
        "target__indicator"
    ):
        assert 0 <= decision.points <= decision.target.indicator.max_points
        assert decision.reason
    assert not Decision.objects.filter(decided_at__year__lt=2015)
    awards = BonusAward.objects.filter(year=year)
    assert awards.count() == len(data.BONUS_AWARDS)
    per_unit = awards.values("unit").annotate(points=Sum("points"))
    assert all(row["points"] <= year.bonus_cap for row in per_unit)
    letters = ResponsibilityLetter.objects.filter(year=year).select_related("unit", "issuer")
    assert {lt.unit.kind for lt in letters} == {"township", "committee"}
    assert letters.count() == len(data.TOWNSHIPS) + len(data.COMMITTEES)
    for letter in letters:
        assert letter.issuer.code == "XX"
        assert letter.issuer_signatory == data.COUNTY_SECRETARY
        principal = Cadre.objects.get(unit=letter.unit, is_principal=True)
        assert letter.unit_signatory == principal.name
        assert letter.signed_on.year == 2015
        assert letter.signed_on.month == 2
        carried = list(letter.targets.all())
        assert carried
        assert all(t.unit_id == letter.unit_id for t in carried)
        assert {t.indicator.category for t in carried} == {"party"}


def test_the_load_leaves_no_recompute_for_the_commit(first_run):
    """The services ask for a recompute per call; the load computes once itself instead."""
    queued = [getattr(f, "__qualname__", "") for f in FIRST_RUN["on_commit"]]
    assert not [name for name in queued if "recompute" in name]
    assert UnitScore.objects.filter(year=year_2015()).count() == first_run["scored_units"]


def test_the_load_reports_the_2015_counts(first_run):
    """What the load prints and the command's summary say is what is in the database for 2015,
    counted here by query, and what the plan in kaohe/demo/data.py fixes where it fixes a number."""
    year = year_2015()
    reports = ProgressReport.objects.filter(target__year=year)
    counted = {
        "targets": Target.objects.filter(year=year).count(),
        "milestones": Milestone.objects.filter(target__year=year).count(),
        "reports": reports.count(),
        "late_reports": reports.filter(is_late=True).count(),
        "returned_reports": reports.filter(
            Q(revision__gt=1) | Q(status=ProgressReport.Status.RETURNED)
        ).count(),
        "inspections": Inspection.objects.filter(year=year).count(),
        "findings": Finding.objects.filter(inspection__year=year).count(),
        "rectifications": Rectification.objects.filter(year=year).count(),
        "midterm_reviews": MidtermReview.objects.filter(year=year).count(),
        "decisions": Decision.objects.filter(target__year=year).count(),
        "bonus_awards": BonusAward.objects.filter(year=year).count(),
        "letters": ResponsibilityLetter.objects.filter(year=year).count(),
        "scored_units": UnitScore.objects.filter(year=year).count(),
    }
    assert all(counted.values()), counted
    # Where the plan fixes the number: 4 + 6 + 25 + 5 inspections, the nine bonus awards, ten
    # returned and corrected reports plus 龙泉镇's still awaited, a letter for each of the 8
    # townships and 20 committees, a score for those and the 50 departments.
    assert counted["inspections"] == 40
    assert counted["bonus_awards"] == 9
    assert counted["returned_reports"] == 11
    assert counted["letters"] == 8 + 20
    assert counted["scored_units"] == 8 + 20 + 50
    assert {key: first_run[key] for key in counted} == counted

    # Each number in its place in the sentences, in the site's Chinese.
    notes = FIRST_RUN["notes"]
    for fragment in (
        f"2015年度目标任务：已创建{counted['targets']}项",
        f"月度节点{counted['milestones']}个",
        f"1至10月进度报告：{counted['reports']}份",
        f"其中逾期{counted['late_reports']}份",
        f"退回修改{counted['returned_reports']}份",
        f"督查：{counted['inspections']}次",
        f"发现问题{counted['findings']}个，整改事项{counted['rectifications']}项",
        f"中期考评：{counted['midterm_reviews']}项",
        f"人工评分指标评定：{counted['decisions']}项",
        f"加分：{counted['bonus_awards']}项",
        f"目标责任书：{counted['letters']}份",
        f"已计算{counted['scored_units']}个单位的得分",
    ):
        assert fragment in notes

    summary = progress_summary(first_run)
    for fragment in (
        "2015年度截至10月底的情况",
        f"目标任务{counted['targets']}项",
        f"进度报告{counted['reports']}份",
        f"督查{counted['inspections']}次",
        f"发现问题{counted['findings']}个，整改事项{counted['rectifications']}项",
        f"已计分单位{counted['scored_units']}个",
    ):
        assert fragment in summary


# --- 2015: the daily assessment of cadres ---------------------------------------------------------


def moral_round() -> MoralRound:
    return MoralRound.objects.get(year=year_2015(), name=data.MORAL_ROUND_NAME)


def test_the_daily_plan_is_the_same_every_time(first_run):
    assert plan_daily(plan_county()) == plan_daily(plan_county())


def test_the_moral_round_is_closed_with_a_result_for_every_leading_cadre(first_run):
    round_ = moral_round()
    assert round_.status == MoralRound.Status.CLOSED
    assert round_.leading_only
    assert (round_.opens_on, round_.closes_on) == (data.MORAL_OPENS, data.MORAL_CLOSES)
    units = list(round_.units.all())
    kinds = Counter(u.kind for u in units)
    assert kinds == {Unit.Kind.TOWNSHIP: 8, Unit.Kind.DEPARTMENT: 12}
    results = {r.cadre_id: r for r in MoralResult.objects.filter(round=round_)}
    rated = [c for unit in units for c in round_cadres(round_, unit)]
    assert {c.pk for c in rated} == set(results)
    assert all(c.is_leading for c in rated)
    # Turnout between 80% and 95% overall, varying by group; every ballot answers every item.
    used = Counter(BallotCode.objects.filter(round=round_, used=True).values_list("group"))
    issued = Counter(BallotCode.objects.filter(round=round_).values_list("group"))
    assert 0.80 <= sum(used.values()) / sum(issued.values()) <= 0.95
    assert len({round(used[g] / issued[g], 2) for g in issued}) > 1
    ballots = Ballot.objects.filter(round=round_)
    assert BallotAnswer.objects.filter(ballot__round=round_).count() == ballots.count() * 10
    # Mostly 好 and 较好, some 较差, rarely 差.
    levels = Counter(BallotAnswer.objects.filter(ballot__round=round_).values_list("level"))
    total = sum(levels.values())
    assert levels[("good",)] + levels[("fair",)] > 0.85 * total
    assert 0 < levels[("poor",)] < levels[("fairly_poor",)] < 0.15 * total
    scores = sorted(r.score for r in results.values() if not r.threshold_breached)
    assert 79 <= scores[0] < 85
    assert 95 < scores[-1] <= 99
    assert all(r.ballots >= 15 for r in results.values())


def test_one_cadre_is_judged_incompetent_on_more_than_a_third_of_the_ballots(first_run):
    breached = list(MoralResult.objects.filter(round=moral_round(), threshold_breached=True))
    assert len(breached) == 1
    result = breached[0]
    assert result.judgements["incompetent"] * 3 > result.ballots
    assert result.cadre.number == plan_daily(plan_county()).breach
    grade = CadreResult.objects.get(year=year_2015(), cadre=result.cadre)
    assert "ballots" in {c["rule"] for c in grade.caps}
    assert grade.grade in (Grade.BASIC, Grade.INCOMPETENT)


def test_ledger_notes_and_the_integrity_archive(first_run):
    notes = LedgerNote.objects.all()
    assert 12 <= notes.values("cadre").distinct().count() <= 16
    assert not notes.exclude(noted_on__year=2015)
    assert set(notes.values_list("kind", flat=True)) == set(LedgerNote.Kind.values)
    points = [n.points for n in notes]
    assert min(points) == -6
    assert max(points) == 5
    entries = IntegrityEntry.objects.all()
    assert entries.values("cadre").distinct().count() == len(data.INTEGRITY_CASES)
    statuses = Counter(entries.values_list("status", flat=True))
    assert statuses["unfounded"] >= 2
    assert statuses["verifying"]
    assert statuses["received"]
    assert entries.filter(status="verified", verified_on__year=2015).count() == 1
    assert {"12380_letter", "12380_phone", "12380_web", "online_supervisor"} <= set(
        entries.values_list("source", flat=True)
    )
    assert 0 < IntegrityReporter.objects.count() < entries.count()
    sanction = Sanction.objects.get()
    assert sanction.in_force_from.year <= 2015
    assert sanction.in_force_until > dt.date(2015, 12, 31)
    office = get_user_model().objects.get(username="office")
    leader = get_user_model().objects.get(username="leader")
    for perm in ("read_integrity_archive", "read_integrity_reporter", "read_integrity_log"):
        assert office.has_perm(f"cadres.{perm}")
    assert leader.has_perm("cadres.read_integrity_archive")
    assert not leader.has_perm("cadres.read_integrity_reporter")
    assert not leader.has_perm("cadres.read_integrity_log")


def test_every_active_cadre_of_an_assessed_unit_has_a_proposed_grade(first_run):
    year = year_2015()
    assert year.grading.stage == GradingPolicy.Stage.PROPOSED
    cadres = Cadre.objects.filter(
        is_active=True, unit__in=county_units(), unit__kind__in=ASSESSED_KINDS
    )
    results = CadreResult.objects.filter(year=year)
    assert set(results.values_list("cadre", flat=True)) == set(cadres.values_list("pk", flat=True))
    assert not results.exclude(grade=F("proposed_grade"))
    grades = Counter(results.values_list("grade", flat=True))
    assert grades[Grade.EXCELLENT]
    assert grades[Grade.COMPETENT]


def test_no_quota_group_has_more_excellent_than_its_quota(first_run):
    groups = quota_status(year_2015())
    assert groups
    assert not [g for g in groups if g["over"]]
    for group in groups:
        assert group["cap"] == math.floor(group["share"] * group["n"] / 100)
        assert group["excellent"] <= group["cap"]


def test_every_capping_rule_applies_somewhere(first_run):
    year = year_2015()
    rules = Counter(
        rule
        for caps in CadreResult.objects.filter(year=year).values_list("caps", flat=True)
        for rule in {c["rule"] for c in caps}
    )
    assert {"quota", "sanction", "violation", "unit", "ballots"} <= set(rules)
    for rule in ("quota", "sanction", "violation", "unit", "ballots"):
        assert first_run[f"capped_{rule}"] == rules[rule], rule
    # The unit rule: the principal leader of every unit graded 一般 or 较差.
    weak = UnitScore.objects.filter(year=year, proposed_grade__in=[Level.AVERAGE, Level.POOR])
    assert weak.exists()
    capped = CadreResult.objects.filter(
        year=year, cadre__is_principal=True, unit__in=weak.values("unit")
    )
    assert capped.count() == weak.count() == rules["unit"]
    assert all("unit" in {c["rule"] for c in r.caps} and r.grade != Grade.EXCELLENT for r in capped)
    for rule in ("sanction", "violation"):
        result = next(
            r for r in CadreResult.objects.filter(year=year) if rule in {c["rule"] for c in r.caps}
        )
        assert result.grade != Grade.EXCELLENT


def test_the_load_reports_the_daily_counts(first_run):
    assert set(DAILY_KEYS) <= set(first_run)
    for note in daily_notes(first_run):
        assert note in FIRST_RUN["notes"]
    summary = daily_summary(first_run)
    for key in ("ballots", "cadre_results", "grade_excellent", "grade_competent"):
        assert str(first_run[key]) in summary


def test_the_lead_departments_have_logins_and_2015_sheets(first_run):
    from assessments.models import DeductionEntry, IndicatorScore, ScoringSheet, ScoringWindow
    from assessments.selectors.leads import sheet_board

    year = year_2015()
    window = ScoringWindow.objects.get(year=year)
    assert window.opens_on <= data.AS_OF <= window.closes_on
    leads = Account.objects.filter(role=Role.LEAD).select_related("unit")
    assert {a.unit.code for a in leads} >= {"XX-D09", "XX-D10", "XX-D11"}
    board = {i.code: status for i, status in sheet_board(year)}
    assert board.pop("T4") == ScoringSheet.Status.RETURNED
    assert board.pop("P7") == "not_started"
    assert set(board.values()) == {ScoringSheet.Status.ACCEPTED}
    assert len(board) >= 8
    assert first_run["sheets"] == ScoringSheet.objects.count()
    assert first_run["deduction_entries"] == DeductionEntry.objects.count() > 0
    # An accepted sheet's entries are on the scorecard; a returned sheet's are not (yet).
    p3 = IndicatorScore.objects.filter(unit_score__year=year, indicator__code="P3")
    assert sum(len(i.breakdown["inputs"]["entries"]) for i in p3) == 2
    returned = IndicatorScore.objects.filter(unit_score__year=year, indicator__code="T4")
    assert all(i.breakdown["inputs"]["entries"] == [] for i in returned)


def test_the_quarters_of_2015_are_written_graded_and_within_the_cap(first_run):
    from assessments.models import QuarterRecord
    from assessments.services.quarterly import good_cap, settings_for

    year = year_2015()
    records = QuarterRecord.objects.filter(year=year)
    assert first_run["quarter_records"] == records.count() > 1000
    assert set(records.values_list("quarter", flat=True)) == {1, 2, 3}  # Q4 still open
    assert not records.filter(confirmed_at__isnull=True).exists()
    assert first_run["quarter_late"] == records.filter(late=True).count() > 0
    assert first_run["quarter_missing"] > 0
    assert set(records.values_list("grade", flat=True)) == set(Level.values)
    assert records.values("work_done").distinct().count() > records.count() * 0.9  # varied
    settings = settings_for(year)
    sizes = Counter(
        Cadre.objects.filter(unit__kind__in=ASSESSED_KINDS, is_active=True).values_list(
            "unit", flat=True
        )
    )
    goods = Counter(records.filter(grade="good").values_list("unit", "quarter"))
    assert all(n <= good_cap(settings, sizes[unit]) for (unit, _q), n in goods.items())
    # the daily part proposed the annual grades after the quarters: their rules show there
    rules = {
        c["rule"]
        for caps in CadreResult.objects.filter(year=year).values_list("caps", flat=True)
        for c in caps
    }
    assert "quarter_poor" in rules
