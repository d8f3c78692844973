"""Targets, rankings and scorecards as the office, a leader and a liaison see them."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import MidtermReview, Target, UnitScore
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


def _scored_county(county, year, n):
    """``n`` more townships, each with a manual and a ratio target, scored."""
    manual = IndicatorFactory(
        year=year, code="M1", category="tasks", method="manual", unit_kinds=["township"]
    )
    ratio = IndicatorFactory(
        year=year, code="R1", category="industry", method="ratio", unit_kinds=["township"]
    )
    towns = [county.township] + [
        UnitFactory(kind=Unit.Kind.TOWNSHIP, parent=county.county) for _ in range(n - 1)
    ]
    for i, town in enumerate(towns):
        target = services.target_assign(indicator=manual, unit=town)
        services.decision_set(target=target, points=D(2 + i % 8), reason="评定", by=county.office)
        services.target_assign(indicator=ratio, unit=town, target_value=D(100))
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


def test_office_assigns_an_indicator_to_every_township_in_one_go(client, xx, year):
    other = UnitFactory(code="XX-T2", kind=Unit.Kind.TOWNSHIP, parent=xx.county)
    ind = IndicatorFactory(
        year=year, code="I1", category="industry", method="ratio", unit_kinds=["township"]
    )
    client.force_login(xx.office)
    response = client.post(
        reverse("assessments:target_assign", args=[year.pk]),
        {"indicator": ind.pk, "unit_kinds": ["township"], "target_value": "3000", "measure": "亩"},
    )
    assert response.status_code == 302
    assert set(Target.objects.values_list("unit_id", flat=True)) == {xx.township.pk, other.pk}


def test_a_ratio_target_without_a_value_is_refused_and_nothing_is_assigned(client, xx, year):
    ind = IndicatorFactory(
        year=year, code="I1", category="industry", method="ratio", unit_kinds=["township"]
    )
    client.force_login(xx.office)
    response = client.post(
        reverse("assessments:target_assign", args=[year.pk]),
        {"indicator": ind.pk, "unit_kinds": ["township"]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Target.objects.exists()


def test_office_sets_milestones_and_a_decision_on_the_target_page(client, xx, year):
    ind = IndicatorFactory(
        year=year, code="P1", category="party", method="levels", unit_kinds=["township"]
    )
    target = services.target_assign(indicator=ind, unit=xx.township)
    client.force_login(xx.office)
    client.post(
        reverse("assessments:target_decide", args=[target.pk]), {"level": "fair", "reason": "较好"}
    )
    target.refresh_from_db()
    assert target.decision.level == "fair"
    response = client.post(
        reverse("assessments:target_milestones", args=[target.pk]), {"m3": "10", "m6": "5"}
    )  # decreasing: refused
    assert response.status_code == 302
    assert not target.milestones.exists()


def test_rankings_show_each_kind_with_the_three_thirds(client, xx, year):
    _scored_county(xx, year, 3)
    client.force_login(xx.leader)
    response = client.get(reverse("assessments:rankings", args=[year.pk]))
    groups = response.context["groups"]
    assert [g.kind for g in groups] == ["township"]
    assert [s.rank for s in groups[0].scores] == [1, 2, 3]
    assert groups[0].weights == {"party": 30, "industry": 40, "tasks": 30}


def test_scorecard_explains_each_point_and_links_to_its_source(client, xx, year):
    scores = _scored_county(xx, year, 3)
    score = next(s for s in scores if s.unit_id == xx.township.pk)
    client.force_login(xx.liaison)  # a liaison sees their own unit's scorecard
    response = client.get(reverse("assessments:scorecard", args=[score.year_id, score.unit.code]))
    page = response.content.decode()
    assert response.status_code == 200
    # The finding behind the deduction:
    assert "抽查" in page
    assert "问题" in page
    assert "评定" in page  # the decision's reason behind the manual points
    assert "尚未评定" not in page
    target = Target.objects.get(unit=xx.township, indicator__code="M1")
    assert reverse("assessments:target_detail", args=[target.pk]) in page


def test_a_scorecards_address_is_its_year_and_unit_code_and_survives_a_recompute(client, xx, year):
    scores = _scored_county(xx, year, 3)
    score = next(s for s in scores if s.unit_id == xx.township.pk)
    url = reverse("assessments:scorecard", args=[year.pk, xx.township.code])
    assert url == f"/assess/years/{year.pk}/scorecards/{xx.township.code}/"
    client.force_login(xx.office)
    rankings = client.get(reverse("assessments:rankings", args=[year.pk])).content.decode()
    assert url in rankings  # the app links to the address, never to the score's id
    assert f"/scores/{score.pk}/" not in rankings
    services.scores_compute(year=year)  # the score rows are kept (updated in place)
    assert UnitScore.objects.filter(pk=score.pk).exists()
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["score"].unit == xx.township
    assert client.get(f"/assess/scores/{score.pk}/").status_code == 404  # the old address
    for bad in ("NOPE", "XX-T1/../x", "%00"):
        assert client.get(f"/assess/years/{year.pk}/scorecards/{bad}/").status_code == 404


def test_a_liaison_cannot_open_another_units_scorecard(client, xx, year):
    scores = _scored_county(xx, year, 3)
    other = next(s for s in scores if s.unit_id != xx.township.pk)
    client.force_login(xx.liaison)
    assert (
        client.get(
            reverse("assessments:scorecard", args=[other.year_id, other.unit.code])
        ).status_code
        == 404
    )


def test_another_countys_office_gets_404_on_scores_and_targets(client, xx, pq, year):
    scores = _scored_county(xx, year, 3)
    client.force_login(pq.office)
    target = Target.objects.first()
    for url in (
        reverse("assessments:rankings", args=[year.pk]),
        reverse("assessments:scorecard", args=[scores[0].year_id, scores[0].unit.code]),
        reverse("assessments:target_detail", args=[target.pk]),
        reverse("assessments:midterm", args=[year.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_recompute_button_rebuilds_scores(client, xx, year):
    _scored_county(xx, year, 3)
    UnitScore.objects.all().delete()
    client.force_login(xx.office)
    client.post(reverse("assessments:scores_recompute", args=[year.pk]))
    assert UnitScore.objects.filter(year=year).count() == 3


def test_midterm_scores_are_entered_per_unit_and_out_of_range_refused(client, xx, year):
    ind = IndicatorFactory(
        year=year, code="P2", category="party", method="midterm", unit_kinds=["township"]
    )
    services.target_assign(indicator=ind, unit=xx.township)
    client.force_login(xx.office)
    url = reverse("assessments:midterm", args=[year.pk])
    row = f"score_{xx.township.pk}"  # the page is one form for every unit (test_bulk_entry)
    client.post(url, {row: "120", "reviewed_on": "2015-07-01"})
    assert not MidtermReview.objects.exists()
    client.post(url, {row: "85", "reviewed_on": "2015-07-01"})
    assert MidtermReview.objects.get().score == D(85)


def test_a_letter_upload_that_is_not_a_pdf_is_refused(client, xx, year):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(xx.office)
    response = client.post(
        reverse("assessments:letter_create", args=[year.pk]),
        {
            "title": "责任书",
            "issuer": xx.county.pk,
            "issuer_signatory": "甲",
            "unit": xx.township.pk,
            "unit_signatory": "乙",
            "signed_on": "2015-02-01",
            "file": SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not year.letters.exists()


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("name", "pinned"),
    [
        # the year switcher adds one query to each
        ("assessments:rankings", 7),
        ("assessments:scorecard", 8),  # and its record of corrections
        ("assessments:target_list", 7),
    ],
)
def test_score_pages_use_the_same_queries_for_3_and_30_units(client, city, name, pinned):
    counts = []
    for code, n in (("A", 3), ("B", 30)):
        county = build_county(city, code, code)
        year = YearFactory(county=county.county, year=2015, status="in_progress")
        WeightsFactory(year=year, unit_kind="township")
        scores = _scored_county(county, year, n)
        client.force_login(county.office)
        args = [year.pk, scores[0].unit.code] if name == "assessments:scorecard" else [year.pk]
        counts.append(_count(client, reverse(name, args=args)))
    assert counts == [pinned, pinned], counts


def test_the_scorecard_addresses_bound_is_the_unit_codes_length():
    from assessments.selectors.scoring import UNIT_CODE_MAX
    from cadres.models import Unit

    assert Unit._meta.get_field("code").max_length == UNIT_CODE_MAX
