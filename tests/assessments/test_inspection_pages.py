"""The four checks (四查) pages: the inspection log, new inspection, an inspection with its
findings, rectification items and closing them."""

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import Finding, IndicatorScore, Inspection, Rectification, UnitScore
from cadres.models import Unit
from tests.factories import (
    CadreFactory,
    IndicatorFactory,
    UnitFactory,
    WeightsFactory,
    YearFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2015, 7, 10, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def year(xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    for kind in ("committee", "township", "department"):
        WeightsFactory(year=year, unit_kind=kind)
    return year


def inspect(xx, year, *, kind="spot", units=None, held_on=dt.date(2015, 5, 12), **kw):
    """An inspection recorded by the office through the service."""
    return services.inspection_create(
        year=year,
        kind=kind,
        title=kw.pop("title", f"{kind} 检查"),
        held_on=held_on,
        inspectors="考核办、督导办",
        units=units or [xx.township],
        by=xx.office,
        **kw,
    )


def rectify(inspection, unit, *, by=dt.date(2015, 6, 30), what="补齐台账"):
    """A finding at ``unit`` that opens a rectification item; returns the item."""
    finding = services.finding_add(
        inspection=inspection, unit=unit, description="台账不全", rectify=what, rectify_by=by
    )
    return finding.rectification


def deduction_indicator(year, unit, *, code="P3", max_points=10, **kw):
    """A deduction indicator assigned to ``unit`` as a target."""
    indicator = IndicatorFactory(
        year=year,
        code=code,
        method="deduction",
        max_points=D(max_points),
        unit_kinds=[unit.kind],
        **kw,
    )
    services.target_assign(indicator=indicator, unit=unit, target_value=None)
    return indicator


def list_url(year):
    return reverse("assessments:inspection_list", args=[year.pk])


def detail_url(inspection):
    return reverse("assessments:inspection_detail", args=[inspection.pk])


def add_url(inspection):
    return reverse("assessments:finding_add", args=[inspection.pk])


def items_url(year):
    return reverse("assessments:rectification_list", args=[year.pk])


def close_url(item):
    return reverse("assessments:rectification_close", args=[item.pk])


# ---- the inspection log ------------------------------------------------------------------------


def test_log_lists_the_years_inspections_newest_first_with_units_findings_and_points(
    client, xx, year
):
    conduct = deduction_indicator(year, xx.township)
    old = inspect(xx, year, kind="centralized", held_on=dt.date(2015, 4, 1), title="第一次集中督查")
    new = inspect(
        xx, year, held_on=dt.date(2015, 6, 3), units=[xx.township, xx.department], title="抽查"
    )
    for pts in ("-1.5", "-1"):
        services.finding_add(
            inspection=old, unit=xx.township, indicator=conduct, points=D(pts), description="作风"
        )
    services.finding_add(inspection=old, unit=xx.township, description="无扣分问题")
    other_year = YearFactory(county=xx.county, year=2014)
    inspect(xx, other_year, title="上一年度")

    client.force_login(xx.leader)
    response = client.get(list_url(year))

    assert response.status_code == 200
    rows = list(response.context["page"])
    assert [r.title for r in rows] == ["抽查", "第一次集中督查"]
    assert [r.finding_count for r in rows] == [0, 3]
    assert [r.points_total for r in rows] == [0, D("-2.5")]
    # units in tree order (the department sits under the committee, before the township)
    assert list(rows[0].units.all()) == [xx.department, xx.township]
    assert response.context["page"][0].pk == new.pk
    assert xx.township.name in response.content.decode()


def test_log_counts_inspections_by_kind_for_the_year(client, xx, year):
    for _ in range(4):
        inspect(xx, year, kind="centralized")
    for _ in range(25):
        inspect(xx, year, kind="spot")
    inspect(xx, year, kind="interview")
    inspect(xx, YearFactory(county=xx.county, year=2014), kind="spot")  # another year

    client.force_login(xx.office)
    counts = client.get(list_url(year), {"kind": "interview"}).context["counts"]

    assert {k.kind: k.count for k in counts.by_kind} == {
        "centralized": 4,
        "special": 0,
        "spot": 25,
        "interview": 1,
    }
    assert counts.of("centralized") == 4
    assert counts.of("spot") == 25
    assert counts.total == 30  # the year's figures, whatever the filter


def test_log_counts_open_and_overdue_rectification_items(client, xx, year):
    inspection = inspect(xx, year)
    rectify(inspection, xx.township, by=dt.date(2015, 6, 30))  # overdue on 10 July
    rectify(inspection, xx.township, by=dt.date(2015, 8, 31))
    done = rectify(inspection, xx.township, by=dt.date(2015, 6, 1))
    services.rectification_close(
        item=done, closed_on=dt.date(2015, 5, 30), note="已整改", by=xx.office
    )
    client.force_login(xx.office)
    with time_machine.travel(TODAY, tick=False):
        counts = client.get(list_url(year)).context["counts"]
    assert (counts.open_items, counts.overdue_items) == (2, 1)


def test_log_filters_by_kind_and_by_unit(client, xx, year):
    inspect(xx, year, kind="centralized", units=[xx.township, xx.department], title="集中")
    inspect(xx, year, kind="spot", units=[xx.department], title="抽查财政局")
    inspect(xx, year, kind="spot", units=[xx.township], title="抽查龙泉镇")
    client.force_login(xx.office)

    def titles(**params):
        return sorted(i.title for i in client.get(list_url(year), params).context["page"])

    assert titles(kind="spot") == ["抽查财政局", "抽查龙泉镇"]
    assert titles(unit=xx.township.pk) == ["抽查龙泉镇", "集中"]
    assert titles(kind="spot", unit=xx.department.pk) == ["抽查财政局"]
    assert len(titles()) == 3


def test_log_is_paginated(client, xx, year, settings):
    settings.PAGE_SIZE = 2
    for _ in range(5):
        inspect(xx, year)
    client.force_login(xx.office)
    page = client.get(list_url(year), {"page": 3}).context["page"]
    assert page.number == 3
    assert len(page) == 1
    assert page.paginator.count == 5


# ---- a new inspection --------------------------------------------------------------------------


def test_office_records_an_inspection_of_units_and_their_cadres(client, xx, year):
    client.force_login(xx.office)
    response = client.post(
        reverse("assessments:inspection_create", args=[year.pk]),
        {
            "kind": "centralized",
            "title": "第一次集中督查",
            "held_on": "2015-05-20",
            "inspectors": "考核办",
            "units": [xx.township.pk, xx.department.pk],
            "cadres": [xx.cadre.pk],
            "summary": "整体较好",
        },
    )
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(inspection)
    assert inspection.year == year
    assert inspection.kind == "centralized"
    assert inspection.held_on == dt.date(2015, 5, 20)
    assert inspection.recorded_by == xx.office
    assert set(inspection.units.all()) == {xx.township, xx.department}
    assert list(inspection.cadres.all()) == [xx.cadre]


def test_new_inspection_offers_only_the_assessed_units_of_the_years_county(client, xx, pq, year):
    grassroots = UnitFactory(kind=Unit.Kind.GRASSROOTS, parent=xx.township)
    client.force_login(xx.office)
    form = client.get(reverse("assessments:inspection_create", args=[year.pk])).context["form"]
    units = set(form.fields["units"].queryset)
    assert units == {xx.committee, xx.township, xx.department}
    assert xx.county not in units
    assert grassroots not in units
    assert pq.township not in units
    assert pq.cadre not in form.fields["cadres"].queryset


def test_new_inspection_dates_itself_today_only_within_the_assessment_year(client, xx, year):
    client.force_login(xx.office)
    url = reverse("assessments:inspection_create", args=[year.pk])
    with time_machine.travel(TODAY, tick=False):
        assert client.get(url).context["form"]["held_on"].value() == dt.date(2015, 7, 10)
    with time_machine.travel(dt.datetime(2016, 2, 1, tzinfo=dt.UTC), tick=False):
        assert client.get(url).context["form"]["held_on"].value() is None


def test_new_inspection_refuses_a_cadre_of_a_unit_not_checked(client, xx, year):
    elsewhere = CadreFactory(unit=xx.department)
    client.force_login(xx.office)
    response = client.post(
        reverse("assessments:inspection_create", args=[year.pk]),
        {
            "kind": "spot",
            "title": "抽查",
            "held_on": "2015-05-20",
            "inspectors": "考核办",
            "units": [xx.township.pk],
            "cadres": [elsewhere.pk],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["cadres"]
    assert not Inspection.objects.exists()


def test_new_inspection_needs_a_unit_checked(client, xx, year):
    client.force_login(xx.office)
    response = client.post(
        reverse("assessments:inspection_create", args=[year.pk]),
        {"kind": "spot", "title": "抽查", "held_on": "2015-05-20", "inspectors": "考核办"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["units"]
    assert not Inspection.objects.exists()


# ---- an inspection and its findings ------------------------------------------------------------


def test_detail_shows_units_cadres_and_findings_and_the_office_gets_the_finding_form(
    client, xx, year
):
    inspection = inspect(xx, year, units=[xx.township, xx.department], cadres=[xx.cadre])
    item = rectify(inspection, xx.township)
    services.finding_add(inspection=inspection, unit=xx.department, description="资料归档不及时")

    client.force_login(xx.office)
    response = client.get(detail_url(inspection))
    assert response.status_code == 200
    assert [f.unit for f in response.context["findings"]] == [xx.township, xx.department]
    assert response.context["findings"][0].rectification == item
    form = response.context["form"]
    assert set(form.fields["unit"].queryset) == {xx.township, xx.department}
    assert set(form.fields["cadre"].queryset) == {xx.cadre, xx.other_cadre}
    page = response.content.decode()
    assert xx.cadre.name in page
    assert "资料归档不及时" in page

    client.force_login(xx.leader)
    assert client.get(detail_url(inspection)).context["form"] is None


def test_finding_form_offers_the_years_scored_indicators_only(client, xx, year):
    group = IndicatorFactory(year=year, code="I1", category="industry")
    leaf = IndicatorFactory(year=year, code="I1.1", category="industry", parent=group)
    bonus = IndicatorFactory(year=year, code="B1", category="bonus", method="bonus")
    last_year = IndicatorFactory(year=YearFactory(county=xx.county, year=2014), code="I1.1")
    client.force_login(xx.office)
    form = client.get(detail_url(inspect(xx, year))).context["form"]
    indicators = set(form.fields["indicator"].queryset)
    assert leaf in indicators
    assert not indicators & {group, bonus, last_year}


def test_a_finding_that_deducts_points_lowers_the_units_score_on_that_indicator(client, xx, year):
    conduct = deduction_indicator(year, xx.township, max_points=10)
    inspection = inspect(xx, year)
    client.force_login(xx.office)
    response = client.post(
        add_url(inspection),
        {
            "unit": xx.township.pk,
            "indicator": conduct.pk,
            "points": "-2",
            "description": "会议记录不全",
            "cadre": xx.cadre.pk,
        },
    )
    assert response.status_code == 302
    assert response.url == detail_url(inspection) + "#findings"
    finding = Finding.objects.get()
    assert (finding.points, finding.cadre, finding.indicator) == (D("-2"), xx.cadre, conduct)

    services.scores_compute(year=year)
    score = IndicatorScore.objects.get(unit_score__unit=xx.township, indicator=conduct)
    assert (score.base_points, score.adjustment, score.points) == (10, -2, 8)


def test_deductions_never_take_an_indicator_below_zero(xx, year):
    conduct = deduction_indicator(year, xx.township, max_points=5)
    inspection = inspect(xx, year)
    services.finding_add(
        inspection=inspection, unit=xx.township, indicator=conduct, points=D(-4), description="a"
    )
    services.finding_add(
        inspection=inspection, unit=xx.township, indicator=conduct, points=D(-4), description="b"
    )
    services.scores_compute(year=year)
    score = IndicatorScore.objects.get(unit_score__unit=xx.township, indicator=conduct)
    assert score.points == 0


def test_a_finding_on_a_unit_the_inspection_did_not_check_is_refused_and_nothing_saved(
    client, xx, year
):
    inspection = inspect(xx, year, units=[xx.township])
    client.force_login(xx.office)
    response = client.post(
        add_url(inspection),
        {
            "unit": xx.department.pk,
            "description": "问题",
            "rectify": "整改",
            "rectify_by": "2015-08-01",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert response.context["inspection"] == inspection  # the detail page, with the errors
    assert not Finding.objects.exists()
    assert not Rectification.objects.exists()

    with pytest.raises(ValidationError) as refused:
        services.finding_add(inspection=inspection, unit=xx.department, description="问题")
    assert "unit" in refused.value.error_dict
    assert not Finding.objects.exists()


def test_a_veto_on_an_indicator_that_is_not_a_veto_is_refused(client, xx, year):
    conduct = deduction_indicator(year, xx.township)
    inspection = inspect(xx, year)
    client.force_login(xx.office)
    response = client.post(
        add_url(inspection),
        {
            "unit": xx.township.pk,
            "indicator": conduct.pk,
            "vetoes": "on",
            "description": "重大事故",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["vetoes"]
    assert not Finding.objects.exists()


def test_a_veto_on_a_veto_indicator_is_recorded_and_caps_the_grade(client, xx, year):
    safety = deduction_indicator(year, xx.township, code="T2", category="tasks", is_veto=True)
    inspection = inspect(xx, year)
    client.force_login(xx.office)
    response = client.post(
        add_url(inspection),
        {"unit": xx.township.pk, "indicator": safety.pk, "vetoes": "on", "description": "事故"},
    )
    assert response.status_code == 302
    assert Finding.objects.get().vetoes
    services.scores_compute(year=year)
    assert UnitScore.objects.get(unit=xx.township).veto_failed


def test_points_without_an_indicator_are_refused(client, xx, year):
    inspection = inspect(xx, year)
    client.force_login(xx.office)
    response = client.post(
        add_url(inspection), {"unit": xx.township.pk, "points": "-1", "description": "问题"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["indicator"]
    assert not Finding.objects.exists()


def test_points_on_an_indicator_the_unit_has_no_target_on_are_refused(client, xx, year):
    unassigned = IndicatorFactory(year=year, method="deduction", unit_kinds=["township"])
    inspection = inspect(xx, year)
    client.force_login(xx.office)
    response = client.post(
        add_url(inspection),
        {"unit": xx.township.pk, "indicator": unassigned.pk, "points": "-1", "description": "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["indicator"]
    assert not Finding.objects.exists()


# ---- rectification items -----------------------------------------------------------------------


def test_a_finding_with_a_rectification_opens_an_item_that_the_office_closes_with_a_record(
    client, xx, year
):
    inspection = inspect(xx, year)
    client.force_login(xx.office)
    client.post(
        add_url(inspection),
        {
            "unit": xx.township.pk,
            "description": "村级活动场所管理不规范",
            "rectify": "制定管理制度并公示",
            "rectify_by": "2015-08-31",
        },
    )
    item = Rectification.objects.get()
    assert (item.status, item.unit, item.year) == ("open", xx.township, year)
    assert item.deadline == dt.date(2015, 8, 31)
    assert item.finding == Finding.objects.get()

    with time_machine.travel(TODAY, tick=False):
        listed = client.get(items_url(year)).context["page"]
        form = client.get(close_url(item)).context["form"]
    assert list(listed) == [item]
    assert form.initial["closed_on"] == dt.date(2015, 7, 10)

    response = client.post(
        close_url(item), {"closed_on": "2015-08-20", "closing_note": "已制定制度，现场核实"}
    )
    assert response.status_code == 302
    assert response.url == items_url(year)
    item.refresh_from_db()
    assert item.status == "closed"
    assert item.closed_on == dt.date(2015, 8, 20)
    assert item.closing_note == "已制定制度，现场核实"
    assert item.closed_by == xx.office
    assert client.get(close_url(item)).context["form"] is None  # nothing left to close


def test_closing_an_item_without_a_record_is_refused(client, xx, year):
    item = rectify(inspect(xx, year), xx.township)
    client.force_login(xx.office)
    response = client.post(close_url(item), {"closed_on": "2015-08-20", "closing_note": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["closing_note"]
    item.refresh_from_db()
    assert item.status == "open"
    assert item.closed_on is None

    with pytest.raises(ValidationError):
        services.rectification_close(
            item=item, closed_on=dt.date(2015, 8, 20), note="   ", by=xx.office
        )
    item.refresh_from_db()
    assert item.status == "open"


def test_a_rectification_needs_both_what_to_rectify_and_a_deadline(client, xx, year):
    inspection = inspect(xx, year)
    client.force_login(xx.office)
    response = client.post(
        add_url(inspection), {"unit": xx.township.pk, "description": "问题", "rectify": "整改"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["rectify_by"]
    assert not Finding.objects.exists()
    assert not Rectification.objects.exists()


def test_rectification_list_filters_open_closed_overdue_and_by_unit(client, xx, year):
    inspection = inspect(xx, year, units=[xx.township, xx.department])
    late = rectify(inspection, xx.township, by=dt.date(2015, 6, 30), what="逾期")
    due = rectify(inspection, xx.department, by=dt.date(2015, 9, 30), what="未到期")
    done = rectify(inspection, xx.township, by=dt.date(2015, 6, 1), what="已完成")
    services.rectification_close(
        item=done, closed_on=dt.date(2015, 6, 1), note="已整改", by=xx.office
    )
    client.force_login(xx.office)

    def items(**params):
        with time_machine.travel(TODAY, tick=False):
            return list(client.get(items_url(year), params).context["page"])

    assert items() == [late, due, done]  # open first, nearest deadline first
    assert items(status="open") == [late, due]
    assert items(status="overdue") == [late]
    assert items(status="closed") == [done]
    assert items(unit=xx.department.pk) == [due]
    assert items(status="open", unit=xx.township.pk) == [late]
    with time_machine.travel(TODAY, tick=False):
        response = client.get(items_url(year))
    assert response.context["counts"] == {"open": 2, "overdue": 1, "closed": 1}
    assert response.content.decode().count('class="table-danger"') == 1  # the overdue row


def test_liaison_sees_only_their_own_units_rectification_items(client, xx, year):
    inspection = inspect(xx, year, units=[xx.township, xx.department])
    own = rectify(inspection, xx.township, what="本单位整改")
    other = rectify(inspection, xx.department, what="财政局整改")
    client.force_login(xx.liaison)  # the liaison of xx.township

    response = client.get(items_url(year))
    assert response.status_code == 200
    assert list(response.context["page"]) == [own]
    assert response.context["counts"]["open"] == 1
    assert list(response.context["form"].fields["unit"].queryset) == [xx.township]
    page = response.content.decode()
    assert "本单位整改" in page
    assert "财政局整改" not in page
    # asking for the neighbour's unit is not a valid choice: still only their own items
    assert list(client.get(items_url(year), {"unit": xx.department.pk}).context["page"]) == [own]
    # reading is all a liaison does
    assert client.get(close_url(other)).status_code == 403
    assert client.get(detail_url(inspection)).status_code == 403
    assert client.get(list_url(year)).status_code == 403


def test_office_and_leader_see_every_units_items(client, xx, year):
    inspection = inspect(xx, year, units=[xx.township, xx.department])
    items = {rectify(inspection, xx.township), rectify(inspection, xx.department)}
    for user in (xx.office, xx.leader):
        client.force_login(user)
        assert set(client.get(items_url(year)).context["page"]) == items


# ---- scope -------------------------------------------------------------------------------------


def test_another_countys_office_gets_404_on_every_object_url(client, xx, pq, year):
    inspection = inspect(xx, year)
    item = rectify(inspection, xx.township)
    client.force_login(pq.office)
    for url in (
        list_url(year),
        reverse("assessments:inspection_create", args=[year.pk]),
        detail_url(inspection),
        items_url(year),
        close_url(item),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(add_url(inspection), {"unit": xx.township.pk}).status_code == 404
    post = {"closed_on": "2015-08-01", "closing_note": "越权关闭"}
    assert client.post(close_url(item), post).status_code == 404
    assert (
        client.post(
            reverse("assessments:inspection_create", args=[year.pk]),
            {
                "kind": "spot",
                "title": "越权",
                "held_on": "2015-05-01",
                "inspectors": "x",
                "units": [pq.township.pk],
            },
        ).status_code
        == 404
    )
    item.refresh_from_db()
    assert item.status == "open"
    assert Inspection.objects.count() == 1
    assert Finding.objects.count() == 1


def test_another_countys_liaison_gets_404_on_the_rectification_list(client, xx, pq, year):
    rectify(inspect(xx, year), xx.township)
    client.force_login(pq.liaison)
    assert client.get(items_url(year)).status_code == 404


def test_leader_gets_403_on_every_write(client, xx, year):
    inspection = inspect(xx, year)
    item = rectify(inspection, xx.township)
    client.force_login(xx.leader)
    create = reverse("assessments:inspection_create", args=[year.pk])
    assert client.get(create).status_code == 403
    assert (
        client.post(
            create,
            {
                "kind": "spot",
                "title": "领导",
                "held_on": "2015-05-01",
                "inspectors": "x",
                "units": [xx.township.pk],
            },
        ).status_code
        == 403
    )
    assert (
        client.post(add_url(inspection), {"unit": xx.township.pk, "description": "x"}).status_code
        == 403
    )
    assert client.get(close_url(item)).status_code == 403
    post = {"closed_on": "2015-08-01", "closing_note": "领导关闭"}
    assert client.post(close_url(item), post).status_code == 403
    item.refresh_from_db()
    assert item.status == "open"
    assert Inspection.objects.count() == 1
    assert Finding.objects.count() == 1


def test_adding_a_finding_is_post_only(client, xx, year):
    client.force_login(xx.office)
    assert client.get(add_url(inspect(xx, year))).status_code == 405


# ---- query counts ------------------------------------------------------------------------------


def _grow(xx, year, n):
    """``n`` inspections of two units each, each with a finding that opens an item."""
    for i in range(n):
        inspection = inspect(
            xx,
            year,
            kind=("centralized", "special", "spot", "interview")[i % 4],
            units=[xx.township, xx.department],
            cadres=[xx.cadre],
        )
        rectify(inspection, (xx.township, xx.department)[i % 2], by=dt.date(2015, 6, 1 + i % 28))


# page -> pinned number of queries (session, user, account, year, then the page's own reads)
# inspection_list: paginator count, counts by kind, item counts, units filter, rows, their units
# rectification_list: paginator count, item counts, units filter, rows
QUERIES = {
    "assessments:inspection_list": 11,
    "assessments:rectification_list": 9,
}  # with the year switcher


@pytest.mark.parametrize("name", QUERIES)
def test_list_query_count_is_constant_for_3_and_30_rows(client, xx, year, name):
    client.force_login(xx.office)
    counts = []
    for grow in (3, 27):
        _grow(xx, year, grow)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse(name, args=[year.pk]))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert len(response.context["page"]) == 30
    assert counts == [QUERIES[name], QUERIES[name]], counts


# ---- the services refuse what would escape the scores ----------------------------------------


def test_a_finding_refuses_an_indicator_of_another_year(xx, year):
    last_year = YearFactory(county=xx.county, year=2014, status="in_progress")
    old = deduction_indicator(last_year, xx.township, code="P3")
    inspection = inspect(xx, year)
    with pytest.raises(ValidationError):
        services.finding_add(
            inspection=inspection, unit=xx.township, indicator=old, points=D(-2), description="x"
        )


def test_a_finding_cannot_change_the_points_of_a_published_year(xx, year):
    conduct = deduction_indicator(year, xx.township)
    inspection = inspect(xx, year)
    year.status = "published"
    year.save(update_fields=["status"])
    with pytest.raises(ValidationError):
        services.finding_add(
            inspection=inspection,
            unit=xx.township,
            indicator=conduct,
            points=D(-2),
            description="锁定后扣分",
        )
