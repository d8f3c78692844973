"""Annual grades as the office, a leader and a cadre see them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import CadreResult, GradingPolicy, ReviewRequest
from assessments.services import grading
from tests.factories import CadreFactory, YearFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(xx):
    year = YearFactory(county=xx.county, year=2015, status="closed")
    grading.policy_set(year=year)
    return year


def test_office_proposes_and_publishes_then_the_cadre_sees_their_grade(client, xx, year):
    client.force_login(xx.office)
    client.post(reverse("assessments:results_propose", args=[year.pk]))
    assert CadreResult.objects.filter(year=year).count() == 2
    client.post(reverse("assessments:results_publish", args=[year.pk]))
    assert GradingPolicy.objects.get(year=year).stage == "notice"
    client.force_login(xx.cadre_user)
    page = client.get(reverse("assessments:me"))
    mine = CadreResult.objects.get(cadre=xx.cadre)
    assert [r.pk for r in page.context["cadre"].published_results] == [mine.pk]
    assert reverse("assessments:result_detail", args=[mine.pk]) in page.content.decode()


def test_a_cadre_sees_nothing_before_publication_and_never_anothers_result(client, xx, year):
    grading.results_propose(year=year)
    client.force_login(xx.cadre_user)
    assert client.get(reverse("assessments:me")).context["cadre"].published_results == []
    other = CadreResult.objects.get(cadre=xx.other_cadre)
    assert client.get(reverse("assessments:result_detail", args=[other.pk])).status_code == 404


def test_a_cadre_files_a_review_from_their_page_and_the_office_answers(client, xx, year):
    grading.results_propose(year=year)
    grading.results_publish(year=year)
    mine = CadreResult.objects.get(cadre=xx.cadre)
    client.force_login(xx.cadre_user)
    client.post(reverse("assessments:review_file", args=[mine.pk]), {"reasons": "测评有误"})
    review = ReviewRequest.objects.get()
    assert review.reasons == "测评有误"
    client.force_login(xx.office)
    client.post(
        reverse("assessments:review_answer", args=[mine.pk]), {"answer": "经复核维持", "grade": ""}
    )
    review.refresh_from_db()
    assert review.outcome == "upheld"


def test_a_leader_reads_but_cannot_decide(client, xx, year):
    grading.results_propose(year=year)
    result = CadreResult.objects.get(cadre=xx.cadre)
    client.force_login(xx.leader)
    assert client.get(reverse("assessments:results", args=[year.pk])).status_code == 200
    response = client.post(
        reverse("assessments:result_decide", args=[result.pk]), {"grade": "basic", "reason": "x"}
    )
    assert response.status_code == 403
    result.refresh_from_db()
    assert result.grade == result.proposed_grade


def test_another_countys_office_gets_404(client, xx, pq, year):
    grading.results_propose(year=year)
    result = CadreResult.objects.get(cadre=xx.cadre)
    client.force_login(pq.office)
    assert client.get(reverse("assessments:result_detail", args=[result.pk])).status_code == 404
    assert client.get(reverse("assessments:results", args=[year.pk])).status_code == 404


def test_results_page_uses_the_same_queries_for_3_and_30_cadres(client, xx, year):
    client.force_login(xx.office)
    counts = []
    grading.results_propose(year=year)
    for n in (3, 30):
        for _ in range(n - CadreResult.objects.filter(year=year).count()):
            CadreFactory(unit=xx.township)
        grading.results_propose(year=year)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("assessments:results", args=[year.pk])).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts == [15, 15], counts  # 13, the year switcher and the unit filter's units


def test_a_liaison_sees_the_units_grade_once_published_and_asks_for_a_review(client, xx, year):
    from assessments.models import UnitResult, UnitReviewRequest

    own = UnitResult.objects.create(
        year=year, unit=xx.township, total=80, proposed_grade="fair", grade="fair"
    )
    other = UnitResult.objects.create(
        year=year, unit=xx.department, total=90, proposed_grade="good", grade="good"
    )
    grading.results_propose(year=year)
    client.force_login(xx.liaison)
    url = reverse("assessments:unit_result_detail", args=[own.pk])
    assert client.get(url).status_code == 404  # not published yet
    grading.results_publish(year=year)
    assert client.get(url).status_code == 200
    assert client.get(reverse("assessments:unit_result_detail", args=[other.pk])).status_code == 404
    client.post(
        reverse("assessments:unit_review_file", args=[own.pk]), {"reasons": "重点项目已全部开工"}
    )
    assert UnitReviewRequest.objects.get().result == own
    client.force_login(xx.office)
    page = client.get(reverse("assessments:results", args=[year.pk]))
    assert {u.pk for u in page.context["unit_results"]} == {own.pk, other.pk}
    assert page.context["pending"] == {"cadres": 0, "units": 1, "total": 1}
