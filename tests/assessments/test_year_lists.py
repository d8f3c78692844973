"""Year lists and switchers stay bounded however many years a province holds: the year list
paginates, the dashboard's switcher offers the years of the shown year's county only."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import Role
from tests.factories import YearFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def october_2015():
    when = dt.datetime(2015, 10, 28, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(when, tick=False):
        yield


def _get(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response, len(queries)


def test_the_year_list_is_paginated(client, xx, settings):
    settings.PAGE_SIZE = 4
    for year in range(2001, 2011):
        YearFactory(county=xx.county, year=year, status="closed")
    client.force_login(xx.office)
    first, _ = _get(client, reverse("assessments:year_list"))
    assert [y.year for y in first.context["years"]] == [2010, 2009, 2008, 2007]
    last, _ = _get(client, reverse("assessments:year_list"), page=3)
    assert [y.year for y in last.context["years"]] == [2002, 2001]
    assert "page=2" in last.content.decode()


def test_the_dashboard_offers_the_years_of_the_shown_county_only(client, xx, pq, city):
    mine = [YearFactory(county=xx.county, year=y, status="closed") for y in (2013, 2014)]
    current = YearFactory(county=xx.county, year=2015, status="in_progress")
    theirs = YearFactory(county=pq.county, year=2014, status="in_progress")
    client.force_login(make_user(Role.OFFICE, city, username="city-office"))
    url = reverse("assessments:dashboard")
    response, _ = _get(client, url)
    assert response.context["year"] == current  # the latest begun, not locked
    assert response.context["years"] == [current, *reversed(mine)]
    page = response.content.decode()
    assert f"?year={mine[0].pk}" in page and f"?year={theirs.pk}" not in page
    other, _ = _get(client, url, year=theirs.pk)
    assert other.context["years"] == [theirs]
    assert client.get(url, {"year": "x"}).status_code == 404


def test_the_dashboards_queries_do_not_grow_with_the_years_in_scope(client, xx, pq, city):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    client.force_login(make_user(Role.OFFICE, city, username="city-office"))
    url = reverse("assessments:dashboard")
    counts = []
    for n in (2, 20):
        while pq.county.assessment_years.count() < n:
            YearFactory(county=pq.county, year=1990 + pq.county.assessment_years.count())
        counts.append((_get(client, url)[1], _get(client, url, year=year.pk)[1]))
    assert counts[0] == counts[1], counts
    assert len(_get(client, url, year=year.pk)[0].context["years"]) == 1
