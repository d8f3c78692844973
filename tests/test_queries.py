"""List pages read through selectors: their query count does not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import Unit
from tests.conftest import build_county
from tests.factories import CadreFactory, IndicatorFactory, UnitFactory, WeightsFactory, YearFactory

pytestmark = pytest.mark.django_db


def _grow(xx, n):
    """Add ``n`` townships with two cadres each, ``n`` years and ``n`` indicators per group."""
    for _ in range(n):
        unit = UnitFactory(kind=Unit.Kind.TOWNSHIP, parent=xx.county)
        CadreFactory(unit=unit)
        CadreFactory(unit=unit, is_leading=True, is_principal=True, post_kind="principal")
        CadreFactory(unit=xx.township)
    year = YearFactory(county=xx.county, year=2015)
    WeightsFactory(year=year)
    for i in range(n):
        group = IndicatorFactory(year=year, category="industry", code=f"G{i}")
        IndicatorFactory(
            year=year,
            category="industry",
            code=f"G{i}.1",
            parent=group,
            lead_department=xx.department,
        )
        YearFactory(county=xx.county, year=1980 + i)
    return year


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# page -> pinned number of queries (session, user, account, then the page's own reads)
PAGES = {
    "cadres:unit_list": 4,
    "cadres:cadre_list": 5,
    "cadres:unit_detail": 6,
    "assessments:overview": 6,
    "assessments:year_list": 5,  # with the pagination's count
    "assessments:catalog": 7,  # with the year switcher
}


def _url(name, xx, year):
    if name == "cadres:unit_detail":
        return reverse(name, args=[xx.township.pk])
    if name == "assessments:catalog":
        return reverse(name, args=[year.pk])
    return reverse(name)


@pytest.mark.parametrize("name", PAGES)
def test_query_count_is_constant_for_3_and_30_rows(client, city, name):
    counts = []
    for code, n in (("A", 3), ("B", 30)):
        county = build_county(city, code, code)
        year = _grow(county, n)
        client.force_login(county.office)
        counts.append(_count(client, _url(name, county, year)))
    assert counts == [PAGES[name], PAGES[name]], counts
