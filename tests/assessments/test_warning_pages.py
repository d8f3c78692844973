"""The early-warning pages: one row per unit notice, filters by unit, status and year, and the
office closing several notices at once."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from assessments.models import EarlyWarning
from assessments.services import warnings
from assessments.services.targets import target_assign
from cadres.models import Unit
from tests.factories import IndicatorFactory, UnitFactory, WeightsFactory, YearFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    WeightsFactory(year=year, unit_kind="township")
    return year


@pytest.fixture
def notices(xx, year):
    """Three townships with two unreported targets each: three notices of six items."""
    towns = [xx.township] + [
        UnitFactory(kind=Unit.Kind.TOWNSHIP, parent=xx.county, name=f"隰县乡{i}") for i in (1, 2)
    ]
    for code in ("P1", "P2"):
        ind = IndicatorFactory(
            year=year, code=code, category="industry", method="ratio", unit_kinds=["township"]
        )
        for town in towns:
            target_assign(indicator=ind, unit=town, target_value=D(100))
    return warnings.warnings_check(on=dt.date(2015, 3, 1)).issued


def _url(for_year, **query):
    url = reverse("assessments:warning_list", args=[for_year.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_list_shows_one_row_per_unit_with_each_lagging_target(client, xx, year, notices):
    client.force_login(xx.office)
    response = client.get(_url(year))
    assert len(response.context["page"]) == 3
    html = response.content.decode()
    assert html.count('name="warnings"') == 3  # one tick box per notice
    assert "隰县乡1" in html


def test_the_list_filters_by_unit_and_status(client, xx, year, notices):
    client.force_login(xx.office)
    warnings.warning_close(warning=notices[0], note="已补报")
    open_rows = client.get(_url(year)).context["page"]
    assert notices[0].pk not in {w.pk for w in open_rows}
    closed = client.get(_url(year, status="closed")).context["page"]
    assert [w.pk for w in closed] == [notices[0].pk]
    by_unit = client.get(_url(year, status="", unit=notices[1].unit_id)).context["page"]
    assert [w.pk for w in by_unit] == [notices[1].pk]
    # a malformed filter falls back to the defaults, never a 500
    assert client.get(_url(year, unit="x", status="nonsense")).status_code == 200


def test_the_year_filter_goes_to_that_years_list(client, xx, year, notices):
    other = YearFactory(county=xx.county, year=2016)
    client.force_login(xx.office)
    response = client.get(_url(year, year=other.pk, status="closed"))
    assert response.status_code == 302
    assert response.url == _url(other, status="closed")


def test_the_office_closes_several_notices_at_once(client, xx, year, notices):
    client.force_login(xx.office)
    url = reverse("assessments:warnings_close", args=[year.pk])
    chosen = [notices[0].pk, notices[2].pk]
    response = client.post(url, {"warnings": chosen, "closing_note": "经核查已追上进度"})
    assert response.status_code == 302
    statuses = dict(EarlyWarning.objects.values_list("pk", "status"))
    assert [statuses[pk] for pk in chosen] == ["closed", "closed"]
    assert statuses[notices[1].pk] == "issued"
    # without a note, nothing changes and the message says why
    response = client.post(url, {"warnings": [notices[1].pk], "closing_note": ""}, follow=True)
    assert [str(m) for m in response.context["messages"]][-1] == "请填写关闭预警的理由。"
    assert EarlyWarning.objects.get(pk=notices[1].pk).status == "issued"


def test_closing_refuses_another_countys_notices(client, xx, pq, year, notices):
    client.force_login(pq.office)
    pq_year = YearFactory(county=pq.county, year=2015, status="in_progress")
    url = reverse("assessments:warnings_close", args=[pq_year.pk])
    client.post(url, {"warnings": [notices[0].pk], "closing_note": "x"})
    assert EarlyWarning.objects.get(pk=notices[0].pk).status == "issued"
    for bad in ("abc", "99999999999999999999999"):
        assert client.post(url, {"warnings": [bad], "closing_note": "x"}).status_code == 302


def test_the_detail_lists_the_notices_targets(client, xx, year, notices):
    own = next(w for w in notices if w.unit_id == xx.township.pk)
    client.force_login(xx.liaison)
    response = client.get(reverse("assessments:warning_detail", args=[own.pk]))
    html = response.content.decode()
    assert html.count("report missing") + html.count("未报送") >= 2
    client.post(
        reverse("assessments:warning_acknowledge", args=[own.pk]), {"catch_up_plan": "三月底前补报"}
    )
    own.refresh_from_db()
    assert own.status == EarlyWarning.Status.ACKNOWLEDGED


def test_the_list_runs_the_same_queries_for_3_and_9_notices(
    client, xx, year, notices, django_assert_max_num_queries
):
    client.force_login(xx.office)
    with django_assert_max_num_queries(11):  # 10, and the year switcher's years
        client.get(_url(year, status=""))
    for i in range(6):
        UnitFactory(kind=Unit.Kind.TOWNSHIP, parent=xx.county, name=f"隰县新乡{i}")
    for ind in year.indicators.all():
        for town in Unit.objects.filter(name__startswith="隰县新乡"):
            target_assign(indicator=ind, unit=town, target_value=D(100))
    assert len(warnings.warnings_check(on=dt.date(2015, 3, 2)).issued) == 6
    with django_assert_max_num_queries(11):
        assert len(client.get(_url(year, status="")).context["page"]) == 9
