"""The county dashboard and a unit's three-thirds profile: figures checked against a small
hand-built county, the data island the charts draw, scope and roles, and query counts."""

import datetime as dt
import json
import re
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import (
    EarlyWarning,
    Finding,
    Inspection,
    Rectification,
    UnitScore,
    WarningItem,
)
from assessments.selectors.dashboard import dashboard, unit_profile
from cadres.models import Unit
from tests.conftest import build_county
from tests.factories import IndicatorFactory, UnitFactory, WeightsFactory, YearFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2015, 10, 28)  # October's reports were due by the 25th


@pytest.fixture(autouse=True)
def october_28_2015():
    with time_machine.travel(dt.datetime(2015, 10, 28, 9, tzinfo=SHANGHAI), tick=False):
        yield


def open_year(county, year=2015):
    year = YearFactory(county=county.county, year=year, status="in_progress")
    for kind in ("committee", "township", "department"):
        WeightsFactory(year=year, unit_kind=kind)  # 30 / 40 / 30
    return year


def submit(target, month, actual, *, by):
    return services.progress_submit(
        target=target,
        month=month,
        actual_value=None if actual is None else D(actual),
        narrative="按计划推进",
        by=by,
        now=dt.datetime(2015, month, 20, 9, tzinfo=SHANGHAI),
    )


def score(year, unit, party, industry, tasks, *, rank, grade="fair"):
    """A unit score as the scoring service would store it (the figures are chosen by hand)."""
    total = D(party) + D(industry) + D(tasks)
    return UnitScore.objects.create(
        year=year,
        unit=unit,
        unit_kind=unit.kind,
        party=D(party),
        industry=D(industry),
        tasks=D(tasks),
        bonus=D(0),
        total=total,
        rank=rank,
        proposed_grade=grade,
        computed_at=timezone.now(),
    )


def warning(year, target, month, *, catch_up_by, closed=False):
    notice = EarlyWarning.objects.create(
        year=year,
        unit=target.unit,
        month=month,
        issued_on=dt.date(2015, month, 26),
        catch_up_by=catch_up_by,
        status=EarlyWarning.Status.CLOSED if closed else EarlyWarning.Status.ISSUED,
        closed_on=dt.date(2015, 10, 1) if closed else None,
        closing_note="已赶上进度" if closed else "",
    )
    WarningItem.objects.create(warning=notice, target=target, month=month, kind="lag")
    return notice


def inspection(year, kind, units, *, by, findings=0, day=1):
    item = Inspection.objects.create(
        year=year,
        kind=kind,
        title=f"{kind}督查",
        held_on=dt.date(2015, 9, day),
        inspectors="县考核办",
        recorded_by=by,
    )
    item.units.set(units)
    for i in range(findings):
        Finding.objects.create(inspection=item, unit=units[0], description=f"问题{i + 1}")
    return item


@pytest.fixture
def county(xx):
    """Xi County in 2015: two townships on a 1,200-mu pear target (one on plan, one far
    behind and silent in October), a graded party-building target for them and the finance
    bureau, hand-set scores, three warnings, three inspections and three rectification items."""
    year = open_year(xx)
    t1 = xx.township
    t2 = UnitFactory(code="XX-T2", name="午城镇", kind=Unit.Kind.TOWNSHIP, parent=xx.county)
    d1 = xx.department
    pears = IndicatorFactory(
        year=year, code="I1", category="industry", method="ratio", unit_kinds=["township"]
    )
    party = IndicatorFactory(year=year, code="P1", category="party", method="levels")
    p1, p2 = (
        services.target_assign(indicator=pears, unit=u, target_value=D(1200)) for u in (t1, t2)
    )
    g1, _g2, g3 = (services.target_assign(indicator=party, unit=u) for u in (t1, t2, d1))
    submit(p1, 3, 300, by=xx.office)  # plan 300: on plan
    submit(p1, 10, 1000, by=xx.office)  # plan 1000: on plan
    submit(p2, 5, 250, by=xx.office)  # plan 500: half; nothing since
    submit(g1, 10, None, by=xx.office)
    submit(g3, 10, None, by=xx.office)
    score(year, t1, 30, 36, 27, rank=1, grade="good")  # 93
    score(year, t2, 24, 20, 21, rank=2, grade="poor")  # 65
    score(year, d1, 18, 40, 30, rank=1)  # 88
    warning(year, p1, 8, catch_up_by=dt.date(2015, 9, 10), closed=True)
    warning(year, p2, 9, catch_up_by=dt.date(2015, 10, 10))  # open, overdue
    warning(year, p2, 10, catch_up_by=dt.date(2015, 11, 10))  # open, not yet due
    spot = inspection(year, "spot", [t2], by=xx.office, findings=2)
    inspection(year, "spot", [t1], by=xx.office, day=2)
    inspection(year, "centralized", [t1, t2, d1], by=xx.office, findings=1, day=3)
    finding = spot.findings.first()
    for deadline, status in (
        (dt.date(2015, 10, 1), "open"),  # overdue
        (dt.date(2015, 11, 30), "open"),
        (dt.date(2015, 9, 30), "closed"),
    ):
        Rectification.objects.create(
            year=year,
            unit=t2,
            finding=finding if status == "closed" else None,
            description="整改",
            deadline=deadline,
            status=status,
            closed_on=dt.date(2015, 9, 29) if status == "closed" else None,
            closing_note="已整改" if status == "closed" else "",
        )
    return {"year": year, "t1": t1, "t2": t2, "d1": d1, "pears": (p1, p2)}


def dashboard_url(year=None, month=None):
    params = []
    if year is not None:
        params.append(f"year={year.pk}")
    if month is not None:
        params.append(f"month={month}")
    return reverse("assessments:dashboard") + ("?" + "&".join(params) if params else "")


def profile_url(unit, year=None):
    url = reverse("assessments:unit_profile", args=[unit.pk])
    return f"{url}?year={year.pk}" if year else url


def island(response, name="dashboard-data"):
    match = re.search(
        rf'<script id="{name}" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, f"no {name} island"
    return json.loads(match.group(1))


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# ---- the figures ------------------------------------------------------------------------------


def test_completion_is_the_kinds_mean_category_score_over_its_weight(county):
    dash = dashboard(county["year"], month=10, today=TODAY)
    by_kind = {c.kind: c for c in dash.completion}
    assert set(by_kind) == {"township", "department"}
    town = by_kind["township"]
    assert town.units == 2
    assert town.average == {"party": D(27), "industry": D(28), "tasks": D(24)}
    assert town.completion == {"party": D(90), "industry": D(70), "tasks": D(80)}
    assert town.average_total == D(79)
    assert by_kind["department"].completion == {"party": D(60), "industry": D(100), "tasks": D(100)}
    assert dash.scored_units == 3


def test_rankings_are_per_unit_kind_by_rank(county):
    dash = dashboard(county["year"], month=10, today=TODAY)
    ranked = {g.kind: [(s.unit.name, s.total, s.rank) for s in g.scores] for g in dash.rankings}
    assert ranked == {
        "township": [(county["t1"].name, D(93), 1), ("午城镇", D(65), 2)],
        "department": [(county["d1"].name, D(88), 1)],
    }


def test_trend_is_each_units_completion_at_every_month_end(county):
    trend = dashboard(county["year"], month=10, today=TODAY).trend
    assert trend.months == list(range(1, 11))
    by_unit = {t.unit.pk: t.values for t in trend.units}
    # On plan in March and October; the March figure stands until October's report.
    assert by_unit[county["t1"].pk] == [
        D(0),
        D(0),
        D(1),
        *(D(300) / (D(1200) * m / 12) for m in range(4, 10)),
        D(1),
    ]
    # Half the plan in May, nothing reported since: 250 against a plan of 100 a month.
    assert by_unit[county["t2"].pk] == [
        D(0),
        D(0),
        D(0),
        D(0),
        *(D(250) / (D(1200) * m / 12) for m in range(5, 11)),
    ]
    assert by_unit[county["t2"].pk][-1] == D("0.25")
    # The finance bureau has no completion-ratio target: no trend.
    assert county["d1"].pk not in by_unit
    assert [t.unit.pk for t in trend.worst()] == [county["t2"].pk, county["t1"].pk]
    assert trend.kind_average["township"][-1] == (D(1) + D("0.25")) / 2


def test_trend_stops_at_the_month_chosen(county):
    trend = dashboard(county["year"], month=5, today=TODAY).trend
    by_unit = {t.unit.pk: t.values for t in trend.units}
    assert trend.months == [1, 2, 3, 4, 5]
    assert by_unit[county["t2"].pk][-1] == D("0.5")
    assert by_unit[county["t1"].pk][-1] == D("0.6")


def test_status_counts_at_the_month_end_by_kind(county):
    statuses = dashboard(county["year"], month=10, today=TODAY).statuses
    # Townships: the on-plan pear target, the silent one, the graded target of each (a
    # reported target without a numeric plan counts as on track).
    assert statuses.by_kind["township"] == {
        "red": 0,
        "missing": 2,
        "amber": 0,
        "due": 0,
        "green": 2,
    }
    assert statuses.by_kind["department"]["green"] == 1
    # every target in exactly one of the five
    assert sum(statuses.total.values()) == statuses.targets == 5
    assert "committee" not in statuses.by_kind
    assert statuses.total["missing"] == 2
    assert statuses.total["green"] == 3  # one on plan, two reported without a numeric plan


def test_status_in_may_finds_the_half_done_target_red(county):
    statuses = dashboard(county["year"], month=5, today=TODAY).statuses
    assert statuses.total["red"] == 1  # 250 of a 500 plan


def test_warnings_open_and_overdue_by_period(county):
    warnings = dashboard(county["year"], month=10, today=TODAY).warnings
    assert [(w.month, w.issued, w.open, w.overdue) for w in warnings.months] == [
        (8, 1, 0, 0),
        (9, 1, 1, 1),
        (10, 1, 1, 0),
    ]
    assert (warnings.issued, warnings.open, warnings.overdue) == (3, 2, 1)


def test_inspections_and_findings_by_kind(county):
    figures = dashboard(county["year"], month=10, today=TODAY).inspections
    assert {k.kind: (k.inspections, k.findings) for k in figures.kinds} == {
        "centralized": (1, 1),
        "special": (0, 0),
        "spot": (2, 2),
        "interview": (0, 0),
    }
    assert (figures.inspections, figures.findings) == (3, 3)
    assert (figures.open_items, figures.overdue_items) == (2, 1)


def test_a_year_without_scores_has_no_completion_or_rankings(xx):
    year = open_year(xx)
    dash = dashboard(year, month=3, today=TODAY)
    assert dash.completion == []
    assert dash.rankings == []
    assert dash.trend.units == []
    assert dash.warnings.issued == 0
    assert dash.inspections.inspections == 0


def test_unit_profile_against_the_average_of_its_kind(county):
    profile = unit_profile(county["t2"], county["year"])
    rows = {c.code: c for c in profile.categories}
    assert profile.kind_units == 2
    assert profile.kind_average_total == D(79)
    assert (rows["party"].score, rows["party"].kind_average, rows["party"].weight) == (
        D(24),
        D(27),
        30,
    )
    assert rows["party"].completion == D(80)
    assert rows["party"].kind_completion == D(90)
    assert rows["industry"].completion == D(50)
    assert rows["industry"].kind_completion == D(70)
    assert rows["tasks"].completion == D(70)
    assert rows["tasks"].kind_completion == D(80)


def test_unit_profile_without_a_score(xx):
    year = open_year(xx)
    profile = unit_profile(xx.township, year)
    assert profile.score is None
    assert profile.kind_units == 0
    assert all(c.score is None and c.kind_average is None for c in profile.categories)


# ---- the page ---------------------------------------------------------------------------------


def test_office_sees_the_figures_in_the_data_island(client, xx, county):
    client.force_login(xx.office)
    response = client.get(dashboard_url(county["year"], 10))
    assert response.status_code == 200
    data = island(response)
    assert data["year"] == 2015
    assert data["month"] == 10
    completion = {c["kind"]: c for c in data["completion"]}
    assert completion["township"]["values"] == [90.0, 70.0, 80.0]
    assert completion["township"]["overall"] == 79.0
    assert completion["department"]["values"] == [60.0, 100.0, 100.0]
    towns = next(g for g in data["rankings"] if g["kind"] == "township")
    assert [(u["name"], u["total"], u["rank"]) for u in towns["units"]] == [
        (county["t1"].name, 93.0, 1),
        ("午城镇", 65.0, 2),
    ]
    assert data["trend"]["worst"] == [county["t2"].pk, county["t1"].pk]
    worst = next(u for u in data["trend"]["units"] if u["id"] == county["t2"].pk)
    assert worst["values"][4] == 50.0
    assert worst["values"][-1] == 25.0
    colors = [c["code"] for c in data["statuses"]["colors"]]
    assert dict(zip(colors, data["statuses"]["total"], strict=True)) == {
        "red": 0,
        "missing": 2,
        "amber": 0,
        "due": 0,
        "green": 3,
    }
    assert data["warnings"]["totals"] == {"issued": 3, "open": 2, "overdue": 1}
    assert data["warnings"]["overdue"] == [0, 1, 0]
    assert data["inspections"]["inspections"] == [1, 0, 2, 0]
    assert data["inspections"]["findings"] == [1, 0, 2, 0]
    assert data["thresholds"] == {"green": 95.0, "amber": 80.0}
    html = response.content.decode()
    assert "vendor/echarts/echarts.min.js" in html
    assert "js/dashboard.js" in html
    assert "cdn" not in html.lower()


def test_the_month_defaults_to_the_latest_month_past_its_deadline(client, xx, county):
    client.force_login(xx.office)
    assert island(client.get(dashboard_url()))["month"] == 10
    with time_machine.travel(dt.datetime(2015, 10, 20, 9, tzinfo=SHANGHAI), tick=False):
        assert island(client.get(dashboard_url()))["month"] == 9


def test_the_latest_year_is_shown_unless_another_is_chosen(client, xx, county):
    older = YearFactory(county=xx.county, year=2014, status="closed")
    client.force_login(xx.office)
    assert client.get(dashboard_url()).context["year"] == county["year"]
    response = client.get(dashboard_url(older, 12))
    assert response.context["year"] == older
    assert island(response)["rankings"] == []


def test_leader_reads_the_dashboard(client, xx, county):
    client.force_login(xx.leader)
    response = client.get(dashboard_url(county["year"]))
    assert response.status_code == 200
    assert island(response)["warnings"]["totals"]["open"] == 2


def test_another_countys_year_is_not_found(client, pq, county):
    client.force_login(pq.office)
    assert client.get(dashboard_url(county["year"])).status_code == 404


@pytest.mark.parametrize("query", ["?year=abc", "?year=999999"])
def test_a_year_that_is_not_one_of_the_users_is_not_found(client, xx, county, query):
    client.force_login(xx.office)
    assert client.get(reverse("assessments:dashboard") + query).status_code == 404


def test_a_month_out_of_range_falls_back_to_the_default(client, xx, county):
    client.force_login(xx.office)
    assert island(client.get(dashboard_url(county["year"], 13)))["month"] == 10


@pytest.mark.parametrize("who", ["liaison", "cadre_user"])
def test_liaison_and_cadre_are_refused_the_dashboard(client, xx, county, who):
    client.force_login(getattr(xx, who))
    assert client.get(dashboard_url(county["year"])).status_code == 403


def test_without_any_year_the_page_says_so(client, xx):
    client.force_login(xx.office)
    response = client.get(dashboard_url())
    assert response.status_code == 200
    assert "dashboard-data" not in response.content.decode()


def test_overview_links_to_the_dashboard(client, xx):
    client.force_login(xx.leader)
    html = client.get(reverse("assessments:overview")).content.decode()
    assert reverse("assessments:dashboard") in html


def build(city, code, n):
    """A county with ``n`` townships, each with a pear target reported in May and October,
    a graded target, a score, a warning and an inspection finding."""
    county = build_county(city, code, code)
    year = open_year(county)
    pears = IndicatorFactory(
        year=year, code=f"{code}-R", category="industry", method="ratio", unit_kinds=["township"]
    )
    party = IndicatorFactory(year=year, code=f"{code}-P", category="party")
    towns = [UnitFactory(kind=Unit.Kind.TOWNSHIP, parent=county.county) for _ in range(n)]
    for i, town in enumerate(towns):
        target = services.target_assign(indicator=pears, unit=town, target_value=D(1200))
        services.target_assign(indicator=party, unit=town)
        submit(target, 5, 400 + i, by=county.office)
        submit(target, 10, 900 + i, by=county.office)
        score(year, town, 20 + i % 10, 30, 25, rank=i + 1)
        warning(year, target, 9, catch_up_by=dt.date(2015, 10, 10))
    inspection(year, "spot", towns, by=county.office, findings=2)
    return county, year


def test_query_count_does_not_grow_with_units(client, city):
    counts = []
    for code, n in (("A", 3), ("B", 30)):
        county, year = build(city, code, n)
        client.force_login(county.office)
        counts.append(count_queries(client, dashboard_url(year, 10)))
    assert counts[0] == counts[1], counts


def test_dashboard_query_count_is_pinned(client, city, django_assert_num_queries):
    county, year = build(city, "C", 5)
    client.force_login(county.office)
    client.get(dashboard_url(year, 10))  # the session and account are warm like any request's
    # session, user, account, years; weights, scores; targets; milestones and reports for
    # the trend; milestones and reports for the status; warnings; inspections; open items
    with django_assert_num_queries(14):
        assert client.get(dashboard_url(year, 10)).status_code == 200


# ---- the unit profile page --------------------------------------------------------------------


def test_unit_profile_page_shows_the_unit_against_its_kind(client, xx, county):
    client.force_login(xx.office)
    response = client.get(profile_url(county["t2"], county["year"]))
    assert response.status_code == 200
    data = island(response, "profile-data")
    assert data["unit"] == [80.0, 50.0, 70.0]
    assert data["kind_average"] == [90.0, 70.0, 80.0]
    assert data["unit_scores"] == [24.0, 20.0, 21.0]
    assert data["weights"] == [30, 40, 30]


def test_leader_and_the_units_liaison_read_the_profile(client, xx, county):
    for user in (xx.leader, xx.liaison):
        client.force_login(user)
        assert client.get(profile_url(county["t1"])).status_code == 200


def test_liaison_cannot_open_another_units_profile(client, xx, county):
    client.force_login(xx.liaison)
    assert client.get(profile_url(county["t2"])).status_code == 404


def test_cadre_is_refused_the_profile(client, xx, county):
    client.force_login(xx.cadre_user)
    assert client.get(profile_url(county["t1"])).status_code == 403


def test_another_countys_unit_profile_is_not_found(client, pq, county):
    client.force_login(pq.office)
    assert client.get(profile_url(county["t1"])).status_code == 404


def test_a_unit_that_is_not_assessed_has_no_profile(client, xx, county):
    client.force_login(xx.office)
    assert client.get(profile_url(xx.county)).status_code == 404


def test_unit_without_a_score_says_so(client, xx):
    year = open_year(xx)
    client.force_login(xx.office)
    response = client.get(profile_url(xx.township, year))
    assert response.status_code == 200
    assert "profile-data" not in response.content.decode()


def test_unit_detail_links_to_the_profile(client, xx, county):
    client.force_login(xx.office)
    html = client.get(reverse("cadres:unit_detail", args=[county["t1"].pk])).content.decode()
    assert profile_url(county["t1"]) in html


def test_unit_profile_query_count_is_pinned(client, xx, county, django_assert_num_queries):
    client.force_login(xx.office)
    client.get(profile_url(county["t1"]))
    # session, user, account, unit, years; score, kind averages, weights
    with django_assert_num_queries(8):
        assert client.get(profile_url(county["t1"])).status_code == 200
