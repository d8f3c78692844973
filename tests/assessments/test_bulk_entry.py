"""Bulk entry: every unit's mid-term score on one page and by Excel; one indicator assigned to
many units with a value per unit, on a grid and by Excel. One save, errors per row, nothing
saved on error."""

import datetime as dt
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from assessments import services
from assessments.models import InputChange, MidtermReview, Target
from assessments.services.targets import GridRow, MidtermRow
from cadres.models import Unit
from tests.conftest import build_county
from tests.factories import IndicatorFactory, UnitFactory, WeightsFactory, YearFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    for kind in ("committee", "township", "department"):
        WeightsFactory(year=year, unit_kind=kind)
    return year


def _towns(xx, n):
    return [xx.township] + [
        UnitFactory(code=f"XX-T{i + 2}", kind=Unit.Kind.TOWNSHIP, parent=xx.county)
        for i in range(n - 1)
    ]


@pytest.fixture
def midterm_towns(xx, year):
    """Three townships with a mid-term-review target."""
    mid = IndicatorFactory(
        year=year, code="Z1", category="party", method="midterm", unit_kinds=["township"]
    )
    towns = _towns(xx, 3)
    for town in towns:
        services.target_assign(indicator=mid, unit=town)
    return towns


def _sheet(towns, scores, **extra):
    data = {"reviewed_on": "2015-07-10", "why": ""}
    for town, score in zip(towns, scores, strict=True):
        data[f"score_{town.pk}"] = score
        data[f"date_{town.pk}"] = ""
        data[f"note_{town.pk}"] = ""
    data.update(extra)
    return data


# ---- mid-term: one page ------------------------------------------------------------------------


def test_office_saves_every_units_midterm_score_at_once(client, xx, year, midterm_towns):
    client.force_login(xx.office)
    url = reverse("assessments:midterm", args=[year.pk])
    response = client.post(url, _sheet(midterm_towns, ["85", "90.5", ""]))
    assert response.status_code == 302
    scores = dict(MidtermReview.objects.values_list("unit_id", "score"))
    assert scores == {midterm_towns[0].pk: D(85), midterm_towns[1].pk: D("90.5")}
    assert MidtermReview.objects.get(unit=midterm_towns[0]).reviewed_on == dt.date(2015, 7, 10)


def test_a_bad_row_is_marked_and_nothing_is_saved(client, xx, year, midterm_towns):
    client.force_login(xx.office)
    url = reverse("assessments:midterm", args=[year.pk])
    response = client.post(url, _sheet(midterm_towns, ["85", "120", "abc"]))
    assert response.status_code == 200
    sheet = response.context["sheet"]
    assert set(sheet.errors) == {f"score_{midterm_towns[1].pk}", f"score_{midterm_towns[2].pk}"}
    assert "table-danger" in response.content.decode()
    assert not MidtermReview.objects.exists()


def test_a_row_the_service_refuses_rolls_back_the_others(xx, year, midterm_towns):
    rows = [
        MidtermRow(unit=midterm_towns[0], score=D(85), reviewed_on=dt.date(2015, 7, 1)),
        MidtermRow(unit=midterm_towns[1], score=D(80), reviewed_on=None),
    ]
    with pytest.raises(ValidationError) as error:
        services.midterms_set(year=year, rows=rows, by=xx.office)
    assert set(error.value.error_dict) == {str(midterm_towns[1].pk)}
    assert not MidtermReview.objects.exists()


def test_changing_a_score_already_entered_needs_a_reason_and_is_recorded(
    client, xx, year, midterm_towns
):
    services.midterm_set(
        year=year, unit=midterm_towns[0], score=D(85), reviewed_on=dt.date(2015, 7, 10)
    )
    client.force_login(xx.office)
    url = reverse("assessments:midterm", args=[year.pk])
    refused = client.post(url, _sheet(midterm_towns, ["88", "", ""]))
    assert refused.status_code == 200
    assert refused.context["sheet"].errors[f"score_{midterm_towns[0].pk}"]
    assert MidtermReview.objects.get().score == D(85)
    # The same value again is no change; a new one with a reason is a recorded correction.
    assert client.post(url, _sheet(midterm_towns, ["85.00", "", ""])).status_code == 302
    assert not InputChange.objects.exists()
    saved = client.post(url, _sheet(midterm_towns, ["88", "", ""], why="复核后调整"))
    assert saved.status_code == 302
    change = InputChange.objects.get()
    assert (change.before["score"], change.after["score"], change.reason) == (
        "85.00",
        "88.00",
        "复核后调整",
    )


def test_a_leader_sees_the_scores_without_a_form(client, xx, year, midterm_towns):
    client.force_login(xx.leader)
    page = client.get(reverse("assessments:midterm", args=[year.pk])).content.decode()
    assert 'name="score_' not in page
    response = client.post(reverse("assessments:midterm", args=[year.pk]), {})
    assert response.status_code == 403


def test_the_midterm_page_costs_the_same_queries_for_3_and_30_units(client, city):
    counts = []
    for code, n in (("A", 3), ("B", 30)):
        county = build_county(city, code, code)
        year = YearFactory(county=county.county, year=2015, status="in_progress")
        WeightsFactory(year=year, unit_kind="township")
        mid = IndicatorFactory(
            year=year, code="Z", category="party", method="midterm", unit_kinds=["township"]
        )
        towns = [county.township] + [
            UnitFactory(kind=Unit.Kind.TOWNSHIP, parent=county.county) for _ in range(n - 1)
        ]
        for i, town in enumerate(towns):
            services.target_assign(indicator=mid, unit=town)
            if i % 2:
                services.midterm_set(
                    year=year, unit=town, score=D(80), reviewed_on=dt.date(2015, 7, 1)
                )
        client.force_login(county.office)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("assessments:midterm", args=[year.pk])).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 8, counts


# ---- mid-term: by Excel ------------------------------------------------------------------------


def _rows_of(content):
    ws = load_workbook(BytesIO(content))["中期考核"]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _upload(rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "中期考核"
    for row in rows:
        ws.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("中期考核.xlsx", buffer.getvalue())


def test_the_midterm_download_lists_every_unit_with_its_score(client, xx, year, midterm_towns):
    services.midterm_set(
        year=year, unit=midterm_towns[1], score=D(90), reviewed_on=dt.date(2015, 7, 1)
    )
    client.force_login(xx.office)
    response = client.get(reverse("assessments:midterm_xlsx", args=[year.pk]))
    rows = _rows_of(response.content)
    assert rows[0][:3] == ["单位代码*", "单位名称", "考核得分"]
    assert [r[0] for r in rows[1:]] == [t.code for t in midterm_towns]
    assert rows[2][1:3] == [midterm_towns[1].name, 90]


def test_the_midterm_file_is_previewed_then_imported_all_or_nothing(
    client, xx, year, midterm_towns
):
    client.force_login(xx.office)
    header = ["单位代码", "单位名称", "考核得分", "考核日期", "备注", "更正理由"]
    bad = _upload([header, ["XX-T1", "", 85, "2015-07-10"], ["XX-T2", "", 101, "2015-07-10"]])
    preview = client.post(
        reverse("assessments:import_preview"),
        {"kind": "midterm", "year": year.pk, "file": bad},
        follow=True,
    )
    problems = preview.context["problems"]
    assert [(p.row, p.column) for p in problems] == [(3, "考核得分")]
    assert not MidtermReview.objects.exists()
    good = _upload([header, ["XX-T1", "", 85, "2015-07-10"], ["XX-T2", "", 92, "2015-07-10"]])
    preview = client.post(
        reverse("assessments:import_preview"),
        {"kind": "midterm", "year": year.pk, "file": good},
        follow=True,
    )
    assert preview.context["result"].created == 2 and not MidtermReview.objects.exists()
    done = client.post(
        reverse("assessments:import_confirm"), {"token": preview.context["token"]}, follow=True
    )
    assert done.context["done"]
    assert MidtermReview.objects.count() == 2


def test_a_changed_score_by_excel_needs_its_reason(client, xx, year, midterm_towns):
    services.midterm_set(
        year=year, unit=midterm_towns[0], score=D(85), reviewed_on=dt.date(2015, 7, 10)
    )
    client.force_login(xx.office)
    header = ["单位代码", "考核得分", "考核日期", "更正理由"]
    preview = client.post(
        reverse("assessments:import_preview"),
        {
            "kind": "midterm",
            "year": year.pk,
            "file": _upload([header, ["XX-T1", 80, "2015-07-10"]]),
        },
        follow=True,
    )
    assert [p.column for p in preview.context["problems"]] == ["更正理由"]
    preview = client.post(
        reverse("assessments:import_preview"),
        {
            "kind": "midterm",
            "year": year.pk,
            "file": _upload([header, ["XX-T1", 80, "2015-07-10", "登记错误"]]),
        },
        follow=True,
    )
    assert preview.context["result"].changed == 1


# ---- targets: the grid -------------------------------------------------------------------------


@pytest.fixture
def acreage(year):
    return IndicatorFactory(
        year=year, code="I1", category="industry", method="ratio", unit_kinds=["township"]
    )


def _grid(towns, values, **extra):
    data = {"measure": "亩", "deadline": "2015-12-31"}
    for town, value in zip(towns, values, strict=True):
        data[f"value_{town.pk}"] = value
    data.update(extra)
    return data


def test_office_assigns_one_indicator_with_a_value_per_unit(client, xx, year, acreage):
    towns = _towns(xx, 3)
    client.force_login(xx.office)
    url = reverse("assessments:target_grid", args=[year.pk]) + f"?indicator={acreage.pk}"
    page = client.get(url)
    assert [u for u, *_rest in page.context["grid"].lines()] == towns
    response = client.post(url, _grid(towns, ["3000", "1200", ""]))
    assert response.status_code == 302
    values = dict(Target.objects.values_list("unit_id", "target_value"))
    assert values == {towns[0].pk: D(3000), towns[1].pk: D(1200)}
    assert Target.objects.get(unit=towns[0]).measure == "亩"
    # A second save changes a value and assigns the third.
    response = client.post(url, _grid(towns, ["3500", "1200", "800"]))
    values = dict(Target.objects.values_list("unit_id", "target_value"))
    assert values == {towns[0].pk: D(3500), towns[1].pk: D(1200), towns[2].pk: D(800)}


def test_a_grid_row_the_rules_refuse_saves_nothing(client, xx, year, acreage):
    towns = _towns(xx, 3)
    client.force_login(xx.office)
    url = reverse("assessments:target_grid", args=[year.pk]) + f"?indicator={acreage.pk}"
    # Ticked without a value: a completion-ratio indicator needs one.
    response = client.post(url, _grid(towns, ["3000", "", ""], **{f"assign_{towns[1].pk}": "on"}))
    assert response.status_code == 200
    assert list(response.context["grid"].errors) == [f"value_{towns[1].pk}"]
    assert not Target.objects.exists()


def test_the_grid_service_collects_every_units_problem(xx, year, acreage):
    towns = _towns(xx, 2)
    rows = [
        GridRow(unit=towns[0], assign=True, target_value=None),
        GridRow(unit=towns[1], assign=True, target_value=D(5)),
    ]
    with pytest.raises(ValidationError) as error:
        services.targets_assign_grid(indicator=acreage, rows=rows)
    assert set(error.value.error_dict) == {str(towns[0].pk)}
    assert not Target.objects.exists()


def test_the_grid_download_is_the_targets_import_filled_in(client, xx, year, acreage):
    towns = _towns(xx, 2)
    services.target_assign(indicator=acreage, unit=towns[1], target_value=D(700), measure="亩")
    client.force_login(xx.office)
    url = reverse("assessments:target_grid_xlsx", args=[year.pk]) + f"?indicator={acreage.pk}"
    ws = load_workbook(BytesIO(client.get(url).content))["目标任务"]
    rows = [list(r)[:5] for r in ws.iter_rows(values_only=True)]
    assert rows[0] == ["单位代码*", "单位名称", "指标代码*", "目标值", "计量单位"]
    assert rows[1] == [towns[0].code, towns[0].name, "I1", None, None]
    assert rows[2] == [towns[1].code, towns[1].name, "I1", 700, "亩"]
    # Filled in and uploaded, it imports through the targets import.
    wb = load_workbook(BytesIO(client.get(url).content))
    wb["目标任务"]["D2"] = 3000
    buffer = BytesIO()
    wb.save(buffer)
    upload = SimpleUploadedFile("grid.xlsx", buffer.getvalue())
    preview = client.post(
        reverse("assessments:import_preview"),
        {"kind": "targets", "year": year.pk, "file": upload},
        follow=True,
    )
    assert preview.context["result"].ok, preview.context["problems"]
    assert preview.context["result"].created == 1


def test_the_grid_without_an_indicator_shows_the_picker_only(client, xx, year, acreage):
    client.force_login(xx.office)
    page = client.get(reverse("assessments:target_grid", args=[year.pk]))
    assert page.status_code == 200 and "grid" not in page.context
    bad = client.get(reverse("assessments:target_grid_xlsx", args=[year.pk]) + "?indicator=x")
    assert bad.status_code == 404
