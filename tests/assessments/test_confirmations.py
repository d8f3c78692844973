"""What cannot be undone asks first, saying what will happen and for whom (the lock, a correction
after it, the one review request, closing and publishing a year); and the pending-review banner
leads to the filtered list (the results table filters by unit and review status)."""

import html
import re

import pytest
from django.urls import reverse

from assessments.models import CadreResult, ReviewRequest
from assessments.services import grading
from assessments.services.catalog import year_set_status
from tests.factories import CadreFactory, WeightsFactory, YearFactory

pytestmark = pytest.mark.django_db


def _confirm(page: str, action: str) -> str:
    """The data-confirm text of the form posting to ``action``."""
    for form in re.findall(r"<form[^>]*>", page):
        if f'action="{action}"' in form:
            found = re.search(r'data-confirm="([^"]*)"', form)
            assert found, form
            return html.unescape(found.group(1))
    raise AssertionError(f"no form posting to {action}")


@pytest.fixture
def year(xx):
    year = YearFactory(county=xx.county, year=2015, status="closed")
    grading.policy_set(year=year)
    for _ in range(3):
        CadreFactory(unit=xx.township)
    grading.results_propose(year=year)
    return year


def test_the_lock_says_what_it_locks_for_whom_and_that_it_is_final(client, xx, year, in_english):
    grading.results_publish(year=year)
    client.force_login(xx.office)
    page = client.get(reverse("assessments:results", args=[year.pk])).content.decode()
    text = _confirm(page, reverse("assessments:results_lock", args=[year.pk]))
    assert "Lock the 2015 grades of all 5 cadres" in text
    assert "cannot be undone" in text


def test_a_correction_after_the_lock_names_whom_it_corrects(client, xx, year, in_english):
    from assessments.models import GradingPolicy

    GradingPolicy.objects.filter(year=year).update(stage="locked")
    mine = CadreResult.objects.get(cadre=xx.cadre)
    client.force_login(xx.office)
    page = client.get(reverse("assessments:result_detail", args=[mine.pk])).content.decode()
    text = _confirm(page, reverse("assessments:result_decide", args=[mine.pk]))
    assert f"Correct the locked 2015 grade of {xx.cadre.name}?" in text
    assert "cannot be undone" in text


def test_a_decision_before_notice_asks_nothing(client, xx, year):
    mine = CadreResult.objects.get(cadre=xx.cadre)
    client.force_login(xx.office)
    page = client.get(reverse("assessments:result_detail", args=[mine.pk])).content.decode()
    action = reverse("assessments:result_decide", args=[mine.pk])
    (form,) = [f for f in re.findall(r"<form[^>]*>", page) if action in f]
    assert "data-confirm" not in form


def test_the_review_request_says_it_is_the_only_one_on_both_pages(client, xx, year, in_english):
    grading.results_publish(year=year)
    mine = CadreResult.objects.get(cadre=xx.cadre)
    action = reverse("assessments:review_file", args=[mine.pk])
    client.force_login(xx.cadre_user)
    for url in (reverse("assessments:me"), reverse("assessments:result_detail", args=[mine.pk])):
        text = _confirm(client.get(url).content.decode(), action)
        assert "review of the 2015 grade" in text
        assert "only once" in text
        assert "cannot be withdrawn" in text


def test_closing_and_publishing_a_year_ask_first(client, xx, in_english):
    """The catalog's buttons open the confirmation page (years' status page) instead of
    posting at once; publishing says it is final."""
    year = YearFactory(county=xx.county, year=2016, status="draft")
    for kind in ("committee", "township", "department"):
        WeightsFactory(year=year, unit_kind=kind)
    year_set_status(year=year, status="in_progress")
    client.force_login(xx.office)
    action = reverse("assessments:year_status", args=[year.pk])
    confirm = reverse("assessments:year_status_confirm", args=[year.pk])
    page = client.get(reverse("assessments:catalog", args=[year.pk])).content.decode()
    assert f'action="{action}"' not in page  # no button changes the status in one click
    assert f"{confirm}?status=closed" in page
    asked = client.get(confirm, {"status": "closed"}).content.decode()
    assert "Close the year 2016 for reporting?" in asked and f'action="{action}"' in asked
    year_set_status(year=year, status="closed")
    asked = client.get(confirm, {"status": "published"}).content.decode()
    assert "Publish the year 2016?" in asked
    assert "can no longer be reopened" in asked


# The pending-review banner and the filters -----------------------------------------------------


@pytest.fixture
def reviews(xx, year):
    grading.results_publish(year=year)
    mine = CadreResult.objects.get(cadre=xx.cadre)
    other = CadreResult.objects.get(cadre=xx.other_cadre)
    ReviewRequest.objects.create(result=mine, reasons="有误", filed_at="2016-01-11T09:00Z")
    ReviewRequest.objects.create(
        result=other,
        reasons="有误",
        filed_at="2016-01-11T10:00Z",
        outcome="upheld",
        answer="维持",
        answered_at="2016-01-12T10:00Z",
        answered_by=xx.office,
    )
    return mine, other


def test_the_banner_links_to_the_list_of_cadres_awaiting_an_answer(client, xx, year, reviews):
    mine, _other = reviews
    client.force_login(xx.office)
    url = reverse("assessments:results", args=[year.pk])
    page = client.get(url).content.decode()
    assert 'href="?review=pending#cadre-results"' in page
    listed = client.get(url, {"review": "pending"})
    assert [r.pk for r in listed.context["page"]] == [mine.pk]
    assert listed.context["query"] == "review=pending"


def test_the_table_filters_by_review_status_and_unit(client, xx, year, reviews):
    mine, other = reviews
    dept = CadreFactory(unit=xx.department)
    # The year is on notice: the department's cadre's result is added as it stands.
    CadreResult.objects.create(
        year=year,
        cadre=dept,
        unit=xx.department,
        quota_group=f"unit:{xx.department.pk}",
        proposed_grade="competent",
        grade="competent",
    )
    client.force_login(xx.office)
    url = reverse("assessments:results", args=[year.pk])

    def listed(**query):
        return {r.pk for r in client.get(url, query).context["page"]}

    assert listed(review="answered") == {other.pk}
    assert mine.pk not in listed(review="none")
    assert listed(unit=xx.department.pk) == {CadreResult.objects.get(cadre=dept).pk}
    assert listed(unit=xx.township.pk, review="pending") == {mine.pk}
    assert len(listed(unit="x'; --", review="bogus")) == 6  # unknown filters are ignored
    page = client.get(url).content.decode()
    assert f'<option value="{xx.department.pk}">{xx.department.name}</option>' in page
    xlsx = client.get(reverse("assessments:results_xlsx", args=[year.pk]), {"review": "pending"})
    assert xlsx.status_code == 200
