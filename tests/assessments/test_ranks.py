"""Ranks that mean something: cadres are ranked within their quota group among those with a
complete composite; a cadre without a 德 result has no composite and no rank, and the pages say
无测评结果 (not 100.00)."""

import datetime as dt

import pytest
from django.urls import reverse

from assessments.models import CadreResult, UnitScore
from assessments.services import grading
from cadres.models import PostKind, Role
from tests.assessments.test_grading import _moral
from tests.factories import CadreFactory, YearFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(xx):
    year = YearFactory(county=xx.county, year=2015, status="closed")
    grading.policy_set(year=year)
    return year


@pytest.fixture
def township(xx, year):
    """The township scored 90; four leading cadres rated 95, 90, 85, 80; the two plain cadres
    of the county fixture and three more with no 德 result."""
    UnitScore.objects.create(
        year=year,
        unit=xx.township,
        unit_kind="township",
        party=0,
        industry=0,
        tasks=0,
        bonus=0,
        total=90,
        rank=1,
        proposed_grade="good",
        computed_at=dt.datetime(2016, 1, 1, tzinfo=dt.UTC),
    )
    leaders = [
        CadreFactory(unit=xx.township, post_kind=PostKind.DEPUTY, is_leading=True) for _ in range(4)
    ]
    unrated = [CadreFactory(unit=xx.township) for _ in range(3)]
    _moral(year, dict(zip(leaders, ("95", "90", "85", "80"), strict=True)))
    grading.results_propose(year=year)
    return leaders, [xx.cadre, xx.other_cadre, *unrated]


def _result(cadre) -> CadreResult:
    return CadreResult.objects.get(cadre=cadre)


def test_only_cadres_with_a_complete_composite_are_ranked_best_first(xx, year, township):
    leaders, unrated = township
    assert [_result(c).rank for c in leaders] == [1, 2, 3, 4]
    for cadre in unrated:
        result = _result(cadre)
        assert (result.composite, result.rank) == (None, None)
        assert "no_ballots" in [c["rule"] for c in result.caps]
        assert result.grade != "excellent"


def test_tied_composites_share_a_rank_and_the_next_is_skipped(xx, year, township):
    leaders, _unrated = township
    _moral(year, dict(zip(leaders, ("95", "95", "85", "80"), strict=True)))
    grading.results_propose(year=year)
    assert [_result(c).rank for c in leaders] == [1, 1, 3, 4]


def test_a_leading_cadre_without_the_units_score_is_not_ranked_nor_excellent(xx, year, township):
    other = CadreFactory(unit=xx.department, post_kind=PostKind.DEPUTY, is_leading=True)
    _moral(year, {other: "99"})
    grading.results_propose(year=year)
    result = _result(other)
    assert (result.composite, result.rank, result.grade) == (None, None, "competent")
    assert [c["rule"] for c in result.caps] == ["no_unit_score"]


def test_the_pages_say_no_moral_result_and_show_no_rank(client, xx, year, township, in_english):
    client.force_login(xx.office)
    page = client.get(reverse("assessments:results", args=[year.pk])).content.decode()
    assert "no moral-assessment result" in page
    assert page.count("no moral-assessment result") == 5  # not a composite of 100.00
    mine = _result(xx.cadre)
    detail = client.get(reverse("assessments:result_detail", args=[mine.pk])).content.decode()
    assert "no moral-assessment result" in detail
    assert "Rank" not in detail.split("Composite", 1)[1].split("</tr>", 1)[0]


def test_the_cadre_sees_no_rank_on_their_result(client, xx, year, township):
    leaders, _unrated = township
    grading.results_publish(year=year)
    user = make_user(Role.CADRE, xx.township, username="cadre-leader", cadre=leaders[3])
    result = _result(leaders[3])
    client.force_login(user)
    page = client.get(reverse("assessments:result_detail", args=[result.pk]))
    assert page.context["result"].rank == 4
    assert "名次" not in page.content.decode()
