"""Bulletin, warning and outbox pages for each role."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Bulletin, EarlyWarning
from assessments.services import bulletins, warnings
from assessments.services.targets import target_assign
from cadres.models import Unit
from cadres.services import unit_update
from tests.factories import IndicatorFactory, UnitFactory, WeightsFactory, YearFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    WeightsFactory(year=year, unit_kind="township")
    return year


def _county(xx, year, n):
    ind = IndicatorFactory(
        year=year, code=f"W{n}", category="industry", method="ratio", unit_kinds=["township"]
    )
    towns = [xx.township] + [
        UnitFactory(kind=Unit.Kind.TOWNSHIP, parent=xx.county) for _ in range(n - 1)
    ]
    for town in towns:
        unit_update(unit=town, head_email=f"head-{town.code.lower()}@example.gov.cn")
        target_assign(indicator=ind, unit=town, target_value=D(100))
    return towns


def test_office_builds_edits_and_publishes_a_bulletin(client, xx, year):
    _county(xx, year, 2)
    client.force_login(xx.office)
    response = client.post(reverse("assessments:bulletin_build", args=[year.pk]), {"month": "3"})
    bulletin = Bulletin.objects.get(year=year, month=3)
    assert response.url == reverse("assessments:bulletin_detail", args=[bulletin.pk])
    client.post(
        reverse("assessments:bulletin_foreword", args=[bulletin.pk]),
        {"foreword": "请各单位对照通报抓好整改。"},
    )
    client.post(reverse("assessments:bulletin_publish", args=[bulletin.pk]))
    bulletin.refresh_from_db()
    assert bulletin.status == "published"
    assert bulletin.published_by == xx.office
    page = client.get(reverse("assessments:bulletin_detail", args=[bulletin.pk]))
    assert "请各单位对照通报抓好整改" in page.content.decode()
    pdf = client.get(reverse("assessments:bulletin_pdf", args=[bulletin.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content[:5] == b"%PDF-"


def test_a_liaison_sees_published_bulletins_with_their_unit_highlighted_and_no_drafts(
    client, xx, year
):
    _county(xx, year, 2)
    published = bulletins.bulletin_build(year=year, month=2, today=dt.date(2015, 2, 28))
    bulletins.bulletin_publish(bulletin=published, today=dt.date(2015, 2, 28))
    draft = bulletins.bulletin_build(year=year, month=3, today=dt.date(2015, 3, 31))
    client.force_login(xx.liaison)
    response = client.get(reverse("assessments:bulletin_detail", args=[published.pk]))
    assert response.context["highlight"] == xx.township.pk
    assert 'class="b-mine"' in response.content.decode()
    assert client.get(reverse("assessments:bulletin_detail", args=[draft.pk])).status_code == 404
    listed = client.get(reverse("assessments:bulletin_list", args=[year.pk])).context["bulletins"]
    assert [b.pk for b in listed] == [published.pk]


def test_another_countys_office_gets_404(client, xx, pq, year):
    _county(xx, year, 2)
    bulletin = bulletins.bulletin_build(year=year, month=2, today=dt.date(2015, 2, 28))
    (warning, *_rest) = warnings.warnings_check(on=dt.date(2015, 3, 1)).issued
    client.force_login(pq.office)
    for url in (
        reverse("assessments:bulletin_detail", args=[bulletin.pk]),
        reverse("assessments:bulletin_pdf", args=[bulletin.pk]),
        reverse("assessments:warning_detail", args=[warning.pk]),
        reverse("assessments:outbox", args=[year.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_a_liaison_acknowledges_their_warning_but_not_another_units(client, xx, year):
    _county(xx, year, 2)
    issued = warnings.warnings_check(on=dt.date(2015, 3, 1)).issued
    own = next(w for w in issued if w.unit_id == xx.township.pk)
    other = next(w for w in issued if w.unit_id != xx.township.pk)
    client.force_login(xx.liaison)
    client.post(
        reverse("assessments:warning_acknowledge", args=[own.pk]), {"catch_up_plan": "三月底前补报"}
    )
    own.refresh_from_db()
    assert own.status == EarlyWarning.Status.ACKNOWLEDGED
    response = client.post(
        reverse("assessments:warning_acknowledge", args=[other.pk]), {"catch_up_plan": "x"}
    )
    assert response.status_code == 404
    listed = client.get(reverse("assessments:warning_list", args=[year.pk])).context["page"]
    assert {w.unit_id for w in listed} == {xx.township.pk}


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_bulletin_and_warning_pages_use_the_same_queries_for_3_and_30_units(client, xx, year):
    client.force_login(xx.office)
    counts = {"bulletin": [], "warnings": [], "outbox": []}
    for month, n in ((2, 3), (3, 30)):
        _county(xx, year, n)
        bulletin = bulletins.bulletin_build(year=year, month=month, today=dt.date(2015, month, 28))
        bulletins.bulletin_publish(bulletin=bulletin, today=dt.date(2015, month, 28))
        warnings.warnings_check(on=dt.date(2015, month + 1, 1))
        counts["bulletin"].append(
            _count(client, reverse("assessments:bulletin_detail", args=[bulletin.pk]))
        )
        counts["warnings"].append(
            _count(client, reverse("assessments:warning_list", args=[year.pk]) + "?status=")
        )
        counts["outbox"].append(_count(client, reverse("assessments:outbox", args=[year.pk])))
    # each with one query of the year switcher
    assert counts == {"bulletin": [8, 8], "warnings": [11, 11], "outbox": [9, 9]}, counts
