"""Excel exports of rankings, scorecards, the progress overview and annual grades: the same
figures as the pages, the same scope, laid out for A4 printing."""

import datetime as dt
from decimal import Decimal as D
from io import BytesIO
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import load_workbook

from assessments import services
from assessments.models import AssessmentYear, Category, Indicator, Job, UnitResult, UnitScore
from assessments.reports.scorecard import bonus_text, inputs_text
from assessments.selectors.progress import Color
from assessments.selectors.scoring import scorecard as select_scorecard
from assessments.services import grading
from cadres.models import Unit
from cadres.templatetags.kaohe import points
from kaohe.lib.xlsx import CONTENT_TYPE
from tests.conftest import build_county
from tests.factories import CadreFactory, IndicatorFactory, UnitFactory, WeightsFactory, YearFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = dt.datetime(2015, 6, 10, 9, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def june_10_2015():
    with time_machine.travel(TODAY, tick=False):
        yield


def open_year(county):
    year = YearFactory(county=county.county, year=2015, status="in_progress")
    for kind in ("committee", "township", "department"):
        WeightsFactory(year=year, unit_kind=kind)
    return year


@pytest.fixture
def year(xx):
    return open_year(xx)


def score_county(county, year, n, *, indicators=1):
    """``n`` townships (the county's own first): a manual decision, an approved ratio report
    and a deduction on the manual indicator by a spot check; the first town also a bonus.
    ``indicators`` more levels indicators each, decided. Returns the computed scores."""
    manual = IndicatorFactory(
        year=year, code="M1", name="信访稳定", category="tasks", method="manual"
    )
    ratio = IndicatorFactory(
        year=year, code="R1", name="玉露香梨新增面积", category="industry", method="ratio"
    )
    levels = [
        IndicatorFactory(year=year, code=f"L{i:02}", category="party", method="levels")
        for i in range(indicators)
    ]
    bonus = IndicatorFactory(
        year=year, code="B1", category="bonus", method="bonus", max_points=D(2)
    )
    towns = [county.township] + [
        UnitFactory(kind=Unit.Kind.TOWNSHIP, parent=county.county) for _ in range(n - 1)
    ]
    for i, town in enumerate(towns):
        target = services.target_assign(indicator=manual, unit=town)
        services.decision_set(target=target, points=D(2 + i % 8), reason="评定", by=county.office)
        target = services.target_assign(indicator=ratio, unit=town, target_value=D(1200))
        report = services.progress_submit(
            target=target,
            month=3,
            actual_value=D(100 + 37 * i),
            narrative="新栽果园已验收",
            by=county.office,
            now=dt.datetime(2015, 3, 20, 9, tzinfo=SHANGHAI),
        )
        services.progress_approve(report=report, by=county.office)
        for indicator in levels:
            target = services.target_assign(indicator=indicator, unit=town)
            services.decision_set(target=target, level="fair", reason="较好", by=county.office)
    services.bonus_award(
        year=year,
        unit=towns[0],
        indicator=bonus,
        points=D("1.5"),
        reason="省级表彰",
        awarded_on=dt.date(2015, 4, 1),
        by=county.office,
    )
    inspection = services.inspection_create(
        year=year,
        kind="spot",
        title="抽查",
        held_on=dt.date(2015, 5, 1),
        inspectors="督导办",
        units=towns,
        by=county.office,
    )
    for town in towns:
        services.finding_add(
            inspection=inspection, unit=town, indicator=manual, points=D(-1), description="问题"
        )
    return services.scores_compute(year=year)


def workbook(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == CONTENT_TYPE
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(BytesIO(data))


def all_scorecards(client, year):
    """The all-scorecards export: a job (run inline here), then its file from the job's page."""
    page = client.post(reverse("assessments:scorecards_xlsx", args=[year.pk]), follow=True)
    assert page.status_code == 200
    download = reverse("assessments:job_download", args=[page.context["job"].pk])
    assert download in page.content.decode()
    return client.get(download)


def merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def row_values(ws, row: int) -> list:
    return [c.value for c in ws[row]]


def shown(value) -> str:
    """A number of the workbook as Excel shows it with the 0.00 format."""
    return f"{D(str(value)):.2f}"


def assert_prints_on_a4_landscape(ws, header_rows: str):
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert int(ws.page_setup.fitToWidth) == 1
    assert ws.print_title_rows == header_rows
    first, last = (int(part.strip("$")) for part in header_rows.split(":"))
    assert ws.freeze_panes == f"A{last + 1}"


# -- rankings ----------------------------------------------------------------------------------


def test_rankings_export_has_the_pages_figures_per_unit_kind(client, xx, year):
    score_county(xx, year, 3)
    client.force_login(xx.leader)
    page = client.get(reverse("assessments:rankings", args=[year.pk]))
    (group,) = page.context["groups"]
    response = client.get(reverse("assessments:rankings_xlsx", args=[year.pk]))
    assert quote(f"{year.year}") in response["Content-Disposition"]
    wb = workbook(response)
    assert wb.sheetnames == [group.label]
    ws = wb[group.label]
    assert ws["A1"].value == f"{year} · {_('Scores and rankings')} · {group.label}"
    assert "A1:I1" in merged(ws)
    assert ws["C3"].value == _("Category scores (the three thirds)")
    assert {"C3:E3", "A3:A4", "B3:B4", "F3:F4"} <= merged(ws)
    assert ws["A3"].value == pgettext("ranking", "Rank")
    assert ws["C4"].value == f"{_('Party building')} /30"
    assert ws["D4"].value == f"{_('Leading industry')} /40"
    html = page.content.decode()
    for offset, s in enumerate(group.scores):
        values = row_values(ws, 5 + offset)
        assert values[:2] == [s.rank, s.unit.name]
        figures = [s.party, s.industry, s.tasks, s.bonus, s.total]
        assert [shown(v) for v in values[2:7]] == [points(f) for f in figures]
        assert values[7] == s.get_proposed_grade_display()
        for figure in figures:
            assert points(figure) in html
    assert ws["C5"].number_format == "0.00"
    assert_prints_on_a4_landscape(ws, "$3:$4")


def test_rankings_mark_a_failed_veto(client, xx, year):
    score_county(xx, year, 3)
    UnitScore.objects.filter(unit=xx.township).update(veto_failed=True)
    client.force_login(xx.office)
    ws = workbook(client.get(reverse("assessments:rankings_xlsx", args=[year.pk]))).active
    by_unit = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=9).value for r in (5, 6, 7)}
    assert by_unit[xx.township.name] == _("veto failed")
    assert sorted(v or "" for v in by_unit.values()).count("") == 2


def test_rankings_without_scores_give_one_empty_sheet(client, xx, year):
    client.force_login(xx.office)
    ws = workbook(client.get(reverse("assessments:rankings_xlsx", args=[year.pk]))).active
    assert ws["A2"].value == _("No scores computed yet.")
    assert ws.max_row == 4


# -- scorecards --------------------------------------------------------------------------------


def test_a_liaison_exports_their_units_scorecard_with_every_indicator_explained(client, xx, year):
    scores = score_county(xx, year, 3)
    score = next(s for s in scores if s.unit_id == xx.township.pk)
    client.force_login(xx.liaison)
    page = client.get(reverse("assessments:scorecard", args=[score.year_id, score.unit.code]))
    categories = page.context["categories"]
    response = client.get(
        reverse("assessments:scorecard_xlsx", args=[score.year_id, score.unit.code])
    )
    assert quote(xx.township.name) in response["Content-Disposition"]
    ws = workbook(response).active
    assert ws["A1"].value == f"{xx.township.name} · {_('Scorecard')} {year.year}"
    assert f"{_('Total')} = " in ws["A2"].value
    assert points(score.total) in ws["A2"].value
    assert ws["E3"].value == _("Points")
    assert "E3:G3" in merged(ws)
    assert row_values(ws, 4)[4:7] == [_("By method"), _("Inspections"), _("Points")]
    rows = {ws.cell(row=r, column=2).value: r for r in range(5, ws.max_row + 1)}

    manual = next(i for c in categories for i in c.items if i.indicator.code == "M1")
    r = rows["M1 信访稳定"]
    values = row_values(ws, r)
    assert values[0] == str(Category("tasks").label)
    assert values[2] == str(Indicator.Method.MANUAL.label)
    assert "评定" in values[3]
    assert "抽查" in values[3]
    assert "问题" in values[3]
    assert values[3] == inputs_text(manual)
    assert [shown(v) for v in values[4:8]] == [
        points(manual.base_points),
        points(manual.adjustment),
        points(manual.points),
        points(manual.max_points),
    ]
    assert ws.cell(row=r, column=4).alignment.wrap_text

    ratio = row_values(ws, rows["R1 玉露香梨新增面积"])
    assert "1200" in ratio[3]
    assert "%" in ratio[3]

    subtotals = [r for r in range(5, ws.max_row + 1) if ws.cell(row=r, column=7).font.b]
    assert len(subtotals) == 5  # three thirds, bonus, total
    for cat, r in zip(categories, subtotals, strict=False):
        figure = cat.points if cat.code == "bonus" else cat.score
        assert ws.cell(row=r, column=1).value == cat.label
        assert shown(ws.cell(row=r, column=7).value) == points(figure)
        assert points(figure) in page.content.decode()
    assert shown(ws.cell(row=subtotals[-1], column=7).value) == points(score.total)
    assert_prints_on_a4_landscape(ws, "$3:$4")


def test_a_liaison_cannot_export_another_units_scorecard(client, xx, year):
    scores = score_county(xx, year, 3)
    other = next(s for s in scores if s.unit_id != xx.township.pk)
    client.force_login(xx.liaison)
    assert (
        client.get(
            reverse("assessments:scorecard_xlsx", args=[other.year_id, other.unit.code])
        ).status_code
        == 404
    )


def test_all_scorecards_are_one_sheet_per_unit_in_ranking_order_as_each_scorecard(client, xx, year):
    score_county(xx, year, 3)
    client.force_login(xx.office)
    wb = workbook(all_scorecards(client, year))
    scores = list(UnitScore.objects.filter(year=year).select_related("unit").order_by("rank"))
    assert wb.sheetnames == [s.unit.name for s in scores]
    for score in scores:
        single = workbook(
            client.get(reverse("assessments:scorecard_xlsx", args=[score.year_id, score.unit.code]))
        )
        one, many = single.active, wb[score.unit.name]
        assert [row_values(many, r) for r in range(1, many.max_row + 1)] == [
            row_values(one, r) for r in range(1, one.max_row + 1)
        ]
        indicator_rows = many.max_row - 4 - 5  # title, subtitle, two header rows; 5 subtotals
        assert indicator_rows == sum(len(c.items) for c in select_scorecard(score))


# -- progress overview -------------------------------------------------------------------------


@pytest.fixture
def county_progress(xx, year):
    """At the end of May: the township lags (red, amber, missing), the department is on
    track, the committee has not reported."""

    def ratio(unit, code):
        indicator = IndicatorFactory(
            year=year, code=code, category="industry", method="ratio", unit_kinds=[unit.kind]
        )
        return services.target_assign(
            indicator=indicator, unit=unit, target_value=D(1200), measure="亩"
        )

    def levels(unit, code, category):
        indicator = IndicatorFactory(
            year=year, code=code, category=category, method="levels", unit_kinds=[unit.kind]
        )
        return services.target_assign(indicator=indicator, unit=unit)

    def submit(target, actual, by):
        services.progress_submit(
            target=target,
            month=5,
            actual_value=D(actual),
            narrative="进度",
            by=by,
            now=dt.datetime(2015, 5, 20, 9, tzinfo=SHANGHAI),
        )

    town_a, town_b = ratio(xx.township, "I1"), ratio(xx.township, "I2")
    levels(xx.township, "P1", "party")
    dept = ratio(xx.department, "I3")
    levels(xx.committee, "P2", "tasks")
    submit(town_a, 300, xx.liaison)  # plan 500: 0.6, red
    submit(town_b, 420, xx.liaison)  # 0.84, amber
    submit(dept, 500, xx.office)  # green


def test_progress_export_counts_statuses_per_unit_like_the_page(client, xx, year, county_progress):
    client.force_login(xx.office)
    page = client.get(reverse("assessments:progress_overview", args=[year.pk]) + "?month=5")
    overview = page.context["overview"]
    url = reverse("assessments:progress_overview_xlsx", args=[year.pk])
    wb = workbook(client.get(url + "?month=5"))
    assert wb.sheetnames == [_("Progress overview")]
    ws = wb.active
    assert ws["A1"].value == f"{year} · {_('Progress overview')}"
    assert ws["D3"].value == _("Targets by status")
    assert "D3:H3" in merged(ws)
    colors = [str(Color(c).label) for c in ("red", "missing", "amber", "due", "green")]
    assert row_values(ws, 4)[3:8] == colors
    for offset, unit_row in enumerate(overview.units):
        values = row_values(ws, 5 + offset)
        assert values[0] == unit_row.unit.name
        assert values[2] == unit_row.total == sum(values[3:8])
        assert values[3:8] == [unit_row.counts[c] for c in page.context["colors"]]
    assert [row_values(ws, r)[0] for r in (5, 6, 7)] == [
        xx.township.name,
        xx.committee.name,
        xx.department.name,
    ]
    township = row_values(ws, 5)
    assert township[8] == pytest.approx((0.6 + 0.84) / 2)  # mean of actual / plan, capped at 1
    assert ws.cell(row=5, column=9).number_format == "0.00%"
    total = row_values(ws, 8)
    assert total[0] == _("Total")
    assert total[2] == overview.total == 5 == sum(total[3:8])
    assert total[3:8] == [overview.summary[c] for c in page.context["colors"]]
    assert_prints_on_a4_landscape(ws, "$3:$4")


def test_progress_export_keeps_the_pages_filters_and_sort(client, xx, year, county_progress):
    client.force_login(xx.leader)
    url = reverse("assessments:progress_overview_xlsx", args=[year.pk])
    ws = workbook(client.get(url + "?month=5&kind=department")).active
    assert [row_values(ws, 5)[0], row_values(ws, 6)[0]] == [xx.department.name, _("Total")]
    ws = workbook(client.get(url + "?month=5&sort=green")).active
    assert row_values(ws, 5)[0] == xx.department.name


def test_progress_export_of_one_unit_lists_its_targets(client, xx, year, county_progress):
    client.force_login(xx.office)
    query = f"?month=5&unit={xx.township.pk}"
    page = client.get(reverse("assessments:progress_overview", args=[year.pk]) + query)
    (row,) = page.context["overview"].units
    wb = workbook(client.get(reverse("assessments:progress_overview_xlsx", args=[year.pk]) + query))
    assert wb.sheetnames == [xx.township.name]
    ws = wb.active
    assert ws["A1"].value.endswith(xx.township.name)
    assert ws.max_row == 3 + len(row.statuses)
    for offset, status in enumerate(row.statuses):
        values = row_values(ws, 4 + offset)
        assert values[0] == f"{status.target.indicator.code} {status.target.indicator.name}"
        assert values[7] == status.color_label
    first = row_values(ws, 4)
    assert (first[2], first[4], first[5]) == (1200, 500, 300)
    assert first[6] == pytest.approx(0.6)
    assert ws.cell(row=4, column=7).number_format == "0%"
    assert_prints_on_a4_landscape(ws, "$3:$3")


def test_progress_export_of_a_unit_of_another_county_is_not_found(client, xx, pq, year):
    client.force_login(xx.office)
    url = reverse("assessments:progress_overview_xlsx", args=[year.pk])
    assert client.get(url + f"?unit={pq.township.pk}").status_code == 404
    assert client.get(url + "?unit=abc").status_code == 404


# -- annual grades -----------------------------------------------------------------------------


@pytest.fixture
def graded(xx, year):
    grading.policy_set(year=year)
    for _n in range(3):
        CadreFactory(unit=xx.township)
    UnitResult.objects.create(
        year=year, unit=xx.township, total=D("85.2"), proposed_grade="fair", grade="fair"
    )
    return grading.results_propose(year=year)


def test_results_export_lists_every_cadre_of_every_page_and_the_unit_grades(
    client, xx, year, graded, settings
):
    settings.PAGE_SIZE = 2
    client.force_login(xx.leader)
    page = client.get(reverse("assessments:results", args=[year.pk]))
    assert len(page.context["page"]) == 2
    wb = workbook(client.get(reverse("assessments:results_xlsx", args=[year.pk])))
    cadres, units = wb.worksheets
    assert cadres["A1"].value == f"{year} · {_('Annual grades of cadres')}"
    assert cadres["F3"].value == _("Parts of the composite")
    assert "F3:I3" in merged(cadres)
    assert row_values(cadres, 4)[5:8] == ["德", "廉", "绩"]
    results = list(page.context["page"].paginator.object_list)
    assert cadres.max_row == 4 + len(results) == 4 + 5
    for offset, r in enumerate(results):
        values = row_values(cadres, 5 + offset)
        assert values[:5] == [r.unit.name, r.rank, r.cadre.name, r.unit.name, r.cadre.title]
        # No 德 result in this world: no composite, no rank (the 德 cell says so).
        assert (values[9], r.composite, r.rank) == (None, None, None)
        assert values[5] == _("no moral-assessment result")
        assert values[10:12] == [r.get_proposed_grade_display(), r.get_grade_display()]
        assert (values[12] or "") == "\n".join(c["text"] for c in r.caps)
    assert units["A1"].value == f"{year} · {_('Unit grades')}"
    assert row_values(units, 4)[:4] == [xx.township.name, 85.2, *[_("Fairly good (较好)")] * 2]
    assert_prints_on_a4_landscape(cadres, "$3:$4")


def test_results_export_keeps_the_grade_filter(client, xx, year, graded):
    result = graded[0]
    grading.result_override(result=result, grade="basic", reason="测评偏低", by=xx.office)
    client.force_login(xx.office)
    url = reverse("assessments:results_xlsx", args=[year.pk])
    ws = workbook(client.get(url + "?grade=basic")).worksheets[0]
    assert ws.max_row == 5
    assert ws["C5"].value == result.cadre.name
    ws = workbook(client.get(url + "?changed=1")).worksheets[0]
    assert ws.max_row == 5


# -- scope, buttons, queries -------------------------------------------------------------------


def test_another_countys_office_gets_404_on_every_export(client, xx, pq, year):
    scores = score_county(xx, year, 3)
    client.force_login(pq.office)
    for name, args in [
        ("assessments:rankings_xlsx", [year.pk]),
        ("assessments:scorecard_xlsx", [year.pk, scores[0].unit.code]),
        ("assessments:progress_overview_xlsx", [year.pk]),
        ("assessments:results_xlsx", [year.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    url = reverse("assessments:scorecards_xlsx", args=[year.pk])
    assert client.post(url).status_code == 404
    assert not Job.objects.exists()


def test_each_page_offers_its_export(client, xx, year, county_progress):
    scores = score_county(xx, year, 3)
    client.force_login(xx.office)
    address = [year.pk, scores[0].unit.code]
    pages = [
        (reverse("assessments:rankings", args=[year.pk]), "assessments:rankings_xlsx", [year.pk]),
        (reverse("assessments:scorecard", args=address), "assessments:scorecard_xlsx", address),
        (reverse("assessments:results", args=[year.pk]), "assessments:results_xlsx", [year.pk]),
    ]
    for page, name, args in pages:
        assert reverse(name, args=args) in client.get(page).content.decode(), page
    rankings = client.get(reverse("assessments:rankings", args=[year.pk])).content.decode()
    assert reverse("assessments:scorecards_xlsx", args=[year.pk]) in rankings
    overview = client.get(
        reverse("assessments:progress_overview", args=[year.pk]) + "?month=5&kind=township"
    ).content.decode()
    export = reverse("assessments:progress_overview_xlsx", args=[year.pk])
    assert f"{export}?month=5&amp;kind=township" in overview


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_year_exports_use_the_same_queries_for_3_and_30_units(client, city):
    pinned = {
        "assessments:rankings_xlsx": 6,
        "assessments:progress_overview_xlsx": 7,
    }
    counts = {name: [] for name in pinned}
    scorecards = []
    for code, n in (("A", 3), ("B", 30)):
        county = build_county(city, code, code)
        year = open_year(county)
        score_county(county, year, n)
        client.force_login(county.office)
        for name, found in counts.items():
            found.append(_queries(client, reverse(name, args=[year.pk]) + "?month=5"))
        with CaptureQueriesContext(connection) as ctx:
            workbook(all_scorecards(client, year))
        scorecards.append(len(ctx.captured_queries))
    assert counts == {name: [n, n] for name, n in pinned.items()}
    # The job's request (sweep, start, run inline, finish: 7 to build the sheets as before), its
    # page and the download.
    assert scorecards == [21, 21]


def test_scorecard_export_uses_the_same_queries_for_3_and_30_indicators(client, city):
    counts = []
    for code, n in (("A", 3), ("B", 30)):
        county = build_county(city, code, code)
        year = open_year(county)
        scores = score_county(county, year, 1, indicators=n)
        client.force_login(county.liaison)
        counts.append(
            _queries(
                client,
                reverse(
                    "assessments:scorecard_xlsx", args=[scores[0].year_id, scores[0].unit.code]
                ),
            )
        )
    assert counts == [6, 6], counts


def test_results_export_uses_the_same_queries_for_3_and_30_cadres(client, xx, year):
    grading.policy_set(year=year)
    client.force_login(xx.office)
    counts = []
    for n in (3, 30):
        for _n in range(n - xx.township.cadres.count()):
            CadreFactory(unit=xx.township)
        grading.results_propose(year=year)
        counts.append(_queries(client, reverse("assessments:results_xlsx", args=[year.pk])))
    assert counts == [7, 7], counts


def test_the_scorecard_shows_the_bonus_awarded_and_as_capped_on_the_page_and_in_excel(
    client, xx, year
):
    AssessmentYear.objects.filter(pk=year.pk).update(bonus_cap=D(3))
    year.refresh_from_db()
    score_county(xx, year, 1)  # the township: a bonus of 1.5 on B1
    extra = IndicatorFactory(
        year=year, code="B2", category="bonus", method="bonus", max_points=D(2)
    )
    services.bonus_award(
        year=year,
        unit=xx.township,
        indicator=extra,
        points=D(2),
        reason="市级表彰",
        awarded_on=dt.date(2015, 5, 1),
        by=xx.office,
    )
    (score,) = services.scores_compute(year=year)
    assert score.bonus == D(3)  # 1.5 + 2 = 3.5, capped at 3
    client.force_login(xx.office)
    page = client.get(reverse("assessments:scorecard", args=[score.year_id, score.unit.code]))
    card = page.context["card"]
    bonus = next(row for row in card.categories if row.is_bonus)
    assert (bonus.raw, bonus.figure, bonus.limit) == (D("3.5"), D(3), D(3))
    html = page.content.decode()
    assert bonus_text(D("3.5"), D(3)) in html
    assert card.formula_head.count("3.50") == 1
    # the figures shown add up to the total
    assert points(sum(row.figure for row in card.categories)) == points(score.total)
    ws = workbook(
        client.get(reverse("assessments:scorecard_xlsx", args=[score.year_id, score.unit.code]))
    ).active
    subtotals = [r for r in range(5, ws.max_row + 1) if ws.cell(row=r, column=7).font.b]
    bonus_row = next(r for r in subtotals if ws.cell(row=r, column=1).value == bonus.category.label)
    assert shown(ws.cell(row=bonus_row, column=7).value) == "3.00"
    assert "3.50" in ws.cell(row=bonus_row, column=2).value
