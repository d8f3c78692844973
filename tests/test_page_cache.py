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

# Writes commit between the views, as in production (a year is forgotten once per transaction).
pytestmark = pytest.mark.django_db(transaction=True)


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


def _island(html: str) -> dict:
    import json
    import re

    match = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html)
    return json.loads(match.group(1))


def test_a_warm_view_reads_only_the_session_the_user_and_the_years(client, xx, year):
    client.force_login(xx.office)
    dashboard = reverse("assessments:dashboard") + f"?year={year.pk}&month=10"
    overview = reverse("assessments:progress_overview", args=[year.pk]) + "?month=10"
    _queries(client, dashboard)
    _queries(client, overview)
    # session, user, account; the dashboard: the years of the county (switcher and year in
    # one); the overview: the year, then the switcher's years
    assert _queries(client, dashboard)[0] == 4
    assert _queries(client, overview)[0] == 5


def test_a_write_no_service_names_still_refreshes_the_dashboard(client, xx, year):
    """A target's value changed through ``target_update`` (which does not call
    ``year_changed``): the saved row's signal forgets the cached figures."""
    from assessments.services.targets import target_update

    client.force_login(xx.office)
    url = reverse("assessments:dashboard") + f"?year={year.pk}&month=10"
    before = _island(_queries(client, url)[1])["statuses"]["total"]
    lagging = year.targets.get(unit__code="XX-T2")  # 300 of 1200 mu: red
    target_update(target=lagging, target_value=D(300))  # now on plan
    after = _island(_queries(client, url)[1])["statuses"]["total"]
    assert after != before, (before, after)
    assert sum(after) == sum(before)  # the same targets, one of them in a better colour


def test_a_warm_value_is_kept_in_the_process_until_the_year_changes(xx, year):
    from kaohe.lib.cache import year_cached, year_changed

    calls = []

    def compute():
        calls.append(1)
        return {"figures": [1, 2, 3]}

    first = year_cached(year.pk, ("test",), compute)
    assert year_cached(year.pk, ("test",), compute) is first  # not even unpickled again
    assert len(calls) == 1
    year_changed(year.pk)
    assert year_cached(year.pk, ("test",), compute) is not first
    assert len(calls) == 2


def test_with_the_shared_cache_down_every_view_computes(xx, year, monkeypatch):
    from django.core.cache import cache

    from kaohe.lib.cache import year_cached

    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)  # what a down Redis answers
    calls = []
    for _ in range(2):
        year_cached(year.pk, ("down",), lambda: calls.append(1) or "x")
    assert len(calls) == 2  # no stale copy served from this process


def test_a_year_is_forgotten_once_per_transaction_however_many_rows_change(xx, monkeypatch):
    from django.core.cache import cache
    from django.db import transaction

    from kaohe.lib.cache import year_changed

    writes = []
    real_set = cache.set
    monkeypatch.setattr(
        cache, "set", lambda key, *a, **k: writes.append(key) or real_set(key, *a, **k)
    )
    with transaction.atomic():
        for _ in range(100):
            year_changed(7)
        year_changed(8)
        assert len(writes) == 2  # at once: each year once
    assert len(writes) == 4  # and again at commit
    with transaction.atomic():
        year_changed(7)  # a new transaction forgets it again
    assert writes[-2:] == ["kaohe:year:7:generation"] * 2
    with transaction.atomic():
        try:
            with transaction.atomic():
                year_changed(9)
                raise ValueError
        except ValueError:
            pass  # the savepoint's commit hook went with it
        year_changed(9)
    assert writes[-3:] == ["kaohe:year:9:generation"] * 3
