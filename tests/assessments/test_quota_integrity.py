"""Quota integrity: groups named by their unit or unit kind, the publish refusal naming each
group over its quota, the quota held on reviews and on corrections after the lock (under a lock
on the group), and a review filed twice at once refused in words."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse

from assessments.models import CadreResult, GradingPolicy, ReviewRequest
from assessments.services import grading
from tests.assessments.test_exports import workbook
from tests.assessments.test_grading import _moral
from tests.factories import CadreFactory, YearFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2016, 1, 10)


@pytest.fixture
def year(xx):
    year = YearFactory(county=xx.county, year=2015, status="closed")
    grading.policy_set(year=year)
    return year


@pytest.fixture
def ten(xx, year):
    """Ten cadres in the township (a cap of 2 优秀), one of them proposed 优秀."""
    eight = [CadreFactory(unit=xx.township, name=f"干部{i}") for i in range(8)]
    everyone = [xx.cadre, xx.other_cadre, *eight]
    # 德 98 → composite 99.25 (优秀); 德 50 → (30×50 + 20×100 + 30×100) / 80 = 81.25 (称职)
    _moral(year, {c: "98" if c == xx.cadre else "50" for c in everyone})
    grading.results_propose(year=year)
    return everyone


def _result(cadre) -> CadreResult:
    return CadreResult.objects.get(cadre=cadre)


def _notice(year):
    return grading.results_publish(year=year, today=TODAY)


def _lock(year):
    policy = GradingPolicy.objects.get(year=year)
    grading.results_lock(year=year, today=policy.review_until + dt.timedelta(days=1))


def test_groups_are_named_by_their_unit_in_the_panel_column_export_and_results_use(
    client, xx, year, ten
):
    client.force_login(xx.office)
    page = client.get(reverse("assessments:results", args=[year.pk]))
    html = page.content.decode()
    assert f"unit:{xx.township.pk}" not in html
    assert [g["label"] for g in page.context["groups"]] == [xx.township.name]
    assert f"{xx.township.name}：1 / 2" in html
    wb = workbook(client.get(reverse("assessments:results_xlsx", args=[year.pk])))
    assert {row[0].value for row in wb.worksheets[0].iter_rows(min_row=5)} == {xx.township.name}
    _notice(year)
    use = client.get(reverse("assessments:results_use", args=[year.pk])).content.decode()
    assert f"unit:{xx.township.pk}" not in use
    assert xx.township.name in use


def test_a_group_of_one_unit_kind_is_named_by_the_kind(xx, year, ten, in_english):
    GradingPolicy.objects.filter(year=year).update(quota_group="unit_kind")
    grading.results_propose(year=year)
    (group,) = grading.quota_status(year)
    assert group["group"] == "kind:township"
    assert group["label"] == "all of Township"
    assert _result(xx.cadre).group_label == "all of Township"


def test_the_publish_refusal_names_each_group_with_its_count_and_cap(xx, year, ten, in_english):
    dept = [CadreFactory(unit=xx.department) for _ in range(5)]  # 5 assessed: a cap of 1
    _moral(year, dict.fromkeys(dept, "99"))
    grading.results_propose(year=year)
    grading.result_override(result=_result(ten[1]), grade="excellent", reason="x", by=xx.office)
    grading.result_override(result=_result(ten[2]), grade="excellent", reason="x", by=xx.office)
    grading.result_override(result=_result(dept[1]), grade="excellent", reason="x", by=xx.office)
    with pytest.raises(ValidationError) as refused:
        _notice(year)
    message = refused.value.messages[0]
    assert f"{xx.township.name}: 3 优秀 for a quota of 2" in message
    assert f"{xx.department.name}: 2 优秀 for a quota of 1" in message
    assert GradingPolicy.objects.get(year=year).stage == "proposed"


def test_the_results_page_lists_the_groups_over_quota_only_before_publication(
    client, xx, year, ten, in_english
):
    grading.result_override(result=_result(ten[1]), grade="excellent", reason="x", by=xx.office)
    grading.result_override(result=_result(ten[2]), grade="excellent", reason="x", by=xx.office)
    client.force_login(xx.office)
    page = client.get(reverse("assessments:results", args=[year.pk]))
    assert [g["label"] for g in page.context["over"]] == [xx.township.name]
    assert f"{xx.township.name}: 3 优秀 for a quota of 2" in page.content.decode()
    grading.result_override(result=_result(ten[2]), grade="competent", reason="x", by=xx.office)
    _notice(year)
    _lock(year)
    # Even if a group were over (demo history, an old year), a locked page says nothing stale.
    CadreResult.objects.filter(cadre=ten[2]).update(grade="excellent", override_reason="x")
    page = client.get(reverse("assessments:results", args=[year.pk]))
    assert page.context["over"] == []


def test_a_correction_after_the_lock_that_would_exceed_the_quota_is_refused(
    xx, year, ten, in_english
):
    _notice(year)
    _lock(year)
    grading.result_correct(result=_result(ten[1]), grade="excellent", reason="更正", by=xx.office)
    with pytest.raises(ValidationError) as refused:
        grading.result_correct(
            result=_result(ten[2]), grade="excellent", reason="更正", by=xx.office
        )
    assert f"{xx.township.name}: 3 优秀 for a quota of 2" in refused.value.messages[0]
    assert _result(ten[2]).grade == "competent"
    assert CadreResult.objects.filter(year=year, grade="excellent").count() == 2


def test_a_review_answered_to_excellent_with_no_place_left_is_refused(xx, year, ten, in_english):
    _notice(year)
    reviews = [
        ReviewRequest.objects.create(
            result=_result(c), reasons="请复核", filed_at=dt.datetime.now(dt.UTC)
        )
        for c in ten[1:3]
    ]
    grading.review_answer(review=reviews[0], answer="改为优秀", grade="excellent", by=xx.office)
    with pytest.raises(ValidationError) as refused:
        grading.review_answer(review=reviews[1], answer="改为优秀", grade="excellent", by=xx.office)
    assert "quota of 2" in refused.value.messages[0]
    assert ReviewRequest.objects.get(pk=reviews[1].pk).outcome == "pending"


def test_a_review_filed_twice_is_refused_in_words(client, xx, year, ten):
    grading.results_publish(year=year)
    mine = _result(xx.cadre)
    client.force_login(xx.cadre_user)
    url = reverse("assessments:review_file", args=[mine.pk])
    assert client.post(url, {"reasons": "第一次"}).status_code == 302
    second = client.post(url, {"reasons": "第二次"}, follow=True)
    assert second.status_code == 200
    assert "复核只能申请一次" in second.content.decode()
    assert ReviewRequest.objects.get().reasons == "第一次"


# PostgreSQL: two office staff at the same moment ------------------------------------------------

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a real concurrent test needs PostgreSQL"
)


def _at_once(*calls):
    """Run the calls in threads, each on its own connection, released together; what each
    returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            outcomes[i] = call()
        except Exception as error:  # noqa: BLE001 - reported to the test
            outcomes[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_staff_answering_two_reviews_to_excellent_for_one_place_one_wins(xx, year, ten):
    _notice(year)
    reviews = [
        ReviewRequest.objects.create(
            result=_result(c), reasons="请复核", filed_at=dt.datetime.now(dt.UTC)
        )
        for c in ten[1:3]
    ]
    outcomes = _at_once(
        *(
            lambda r=r: grading.review_answer(
                review=r, answer="改为优秀", grade="excellent", by=xx.office
            )
            for r in reviews
        )
    )
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == 1, outcomes
    assert len([o for o in outcomes if isinstance(o, ReviewRequest)]) == 1, outcomes
    assert CadreResult.objects.filter(year=year, grade="excellent").count() == 2


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_cadre_filing_from_two_browsers_at_once_gets_one_request_and_a_message(xx, year, ten):
    _notice(year)
    mine = _result(xx.cadre)
    outcomes = _at_once(
        *(
            lambda text=text: grading.review_file(
                result=mine, reasons=text, by=xx.cadre_user, today=TODAY
            )
            for text in ("浏览器一", "浏览器二")
        )
    )
    assert len([o for o in outcomes if isinstance(o, ValidationError)]) == 1, outcomes
    assert ReviewRequest.objects.count() == 1
