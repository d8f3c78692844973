"""The dashboard and the progress overview are cached per (year, month, day, filters) and
forgotten as soon as an input of the year changes through a service."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.services import progress
from tests.factories import WeightsFactory, YearFactory, bulletin_towns

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(xx, settings):
    settings.PAGE_CACHE_SECONDS = 300
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    WeightsFactory(year=year, unit_kind="township")
    bulletin_towns(xx, year)
    return year


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("page", ["dashboard", "progress"])
def test_a_second_view_is_served_from_the_cache_until_an_input_changes(client, xx, year, page):
    url = (
        reverse("assessments:dashboard") + f"?year={year.pk}&month=10"
        if page == "dashboard"
        else reverse("assessments:progress_overview", args=[year.pk]) + "?month=10"
    )
    client.force_login(xx.office)
    first, _ = _queries(client, url)
    second, _ = _queries(client, url)
    assert second < first, (first, second)  # the figures were not computed again

    town = year.targets.order_by("unit__path").last()  # the township that had not reported
    report = progress.progress_submit(
        target=town,
        month=10,
        actual_value=D(1200),
        narrative="完成",
        by=xx.liaison,
        now=dt.datetime(2015, 10, 21, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))),
    )
    progress.progress_approve(report=report, by=xx.office)
    third, _ = _queries(client, url)
    assert third > second, (first, third)  # computed again from the new rows
    fourth, _ = _queries(client, url)
    assert fourth == second


def test_other_months_and_filters_are_cached_apart(client, xx, year):
    client.force_login(xx.office)
    base = reverse("assessments:progress_overview", args=[year.pk])
    _queries(client, base + "?month=10")
    september, _ = _queries(client, base + "?month=9")
    again, _ = _queries(client, base + "?month=9")
    assert again < september
    kinds, _ = _queries(client, base + "?month=10&kind=department")
    assert kinds > again


def test_with_the_cache_off_every_view_computes(client, xx, year, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(xx.office)
    url = reverse("assessments:dashboard") + f"?year={year.pk}&month=10"
    assert _queries(client, url)[0] == _queries(client, url)[0]
