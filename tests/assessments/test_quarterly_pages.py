"""The quarterly pages: a cadre writes and sees their quarters, the principal leader grades and
confirms from the queue, the office's overview and export, the personal summary; scope and
query counts."""

import datetime as dt
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import PersonalSummary, QuarterRecord
from cadres.models import Role
from tests.factories import CadreFactory, YearFactory, make_user

pytestmark = pytest.mark.django_db
WHEN = dt.datetime(2015, 10, 8, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _in_q3_window():
    with time_machine.travel(WHEN, tick=False):
        yield


@pytest.fixture
def year(xx):
    return YearFactory(county=xx.county, year=2015, status="in_progress")


@pytest.fixture
def principal(xx):
    cadre = CadreFactory(
        unit=xx.township, is_leading=True, is_principal=True, post_kind="principal", name="书记"
    )
    make_user(Role.CADRE, xx.township, username="shuji", cadre=cadre)
    cadre.refresh_from_db()
    return cadre


def _record(year, cadre, unit, quarter=3, **extra):
    return QuarterRecord.objects.create(
        year=year, cadre=cadre, unit=unit, quarter=quarter, work_done="抓好秋粮收购",
        submitted_at=WHEN, **extra,
    )  # fmt: skip


def test_a_cadre_writes_the_record_and_sees_it_on_their_quarters(client, xx, year):
    client.force_login(xx.cadre_user)
    url = reverse("assessments:quarter_write", args=[year.pk]) + "?quarter=3"
    assert client.get(url).status_code == 200
    response = client.post(url, {"quarter": "3", "work_done": "完成秋粮收购", "key_tasks": "防汛"})
    assert response.status_code == 302
    record = QuarterRecord.objects.get()
    assert (record.quarter, record.key_tasks) == (3, "防汛")
    page = client.get(reverse("assessments:quarter_mine")).content.decode()
    assert reverse("assessments:quarter_record", args=[record.pk]) in page


def test_a_record_before_its_window_is_refused_with_a_message(client, xx, year):
    client.force_login(xx.cadre_user)
    url = reverse("assessments:quarter_write", args=[year.pk])
    response = client.post(url, {"quarter": "4", "work_done": "提前写"})
    assert response.status_code == 200 and not QuarterRecord.objects.exists()
    assert response.context["form"].errors


def test_the_cadre_sees_a_grade_only_once_confirmed(client, xx, year, principal):
    record = _record(year, xx.cadre, xx.township, grade="good", comment="表现突出")
    client.force_login(xx.cadre_user)
    url = reverse("assessments:quarter_record", args=[record.pk])
    assert "表现突出" not in client.get(url).content.decode()
    record.confirmed_at = WHEN
    record.save()
    assert "表现突出" in client.get(url).content.decode()


def test_the_principal_grades_and_confirms_from_the_queue(client, xx, year, principal):
    records = [_record(year, c, xx.township) for c in (xx.cadre, xx.other_cadre)]
    client.force_login(principal.user)
    queue = reverse("assessments:quarter_queue", args=[year.pk]) + "?quarter=3"
    page = client.get(queue)
    assert page.status_code == 200 and len(page.context["units"][0]["cadres"]) == 2
    for record, grade in zip(records, ("good", "fair"), strict=True):
        grade_url = reverse("assessments:quarter_grade", args=[record.pk])
        client.post(grade_url, {"grade": grade, "back": "queue"})
    confirm = reverse("assessments:quarter_confirm", args=[xx.township.pk])
    assert client.post(confirm, {"year": "2015", "quarter": "3"}).status_code == 302
    assert QuarterRecord.objects.filter(confirmed_at__isnull=False).count() == 2


def test_the_principal_cannot_grade_another_units_cadre(client, xx, year, principal):
    outsider = CadreFactory(unit=xx.department, name="局员")
    record = _record(year, outsider, xx.department)
    client.force_login(principal.user)
    grade_url = reverse("assessments:quarter_grade", args=[record.pk])
    assert client.post(grade_url, {"grade": "good"}).status_code == 404
    assert client.get(reverse("assessments:quarter_record", args=[record.pk])).status_code == 404


def test_a_neighbour_countys_office_sees_nothing(client, xx, pq, year):
    record = _record(year, xx.cadre, xx.township)
    client.force_login(pq.office)
    assert client.get(reverse("assessments:quarter_record", args=[record.pk])).status_code == 404
    overview = reverse("assessments:quarter_overview", args=[year.pk])
    assert client.get(overview).status_code == 404


def test_the_overview_counts_records_late_missing_and_good_share(
    client, xx, year, principal, django_assert_max_num_queries
):
    more = [CadreFactory(unit=xx.township, name=f"干部{i}") for i in range(3)]
    _record(year, xx.cadre, xx.township, grade="good", confirmed_at=WHEN)
    _record(year, xx.other_cadre, xx.township, late=True)
    for cadre in more:
        _record(year, cadre, xx.township, grade="fair")
    client.force_login(xx.office)
    with django_assert_max_num_queries(14):
        response = client.get(
            reverse("assessments:quarter_overview", args=[year.pk]) + "?quarter=3"
        )
    row = next(r for r in response.context["rows"] if r["unit"] == xx.township)
    assert (row["n"], row["records"], row["late"], row["graded"], row["confirmed"]) == (
        6,
        5,
        1,
        4,
        1,
    )
    assert row["goods"] == 1 and row["cap"] == 2 and row["missing"] == [principal.name]


def test_the_queue_query_count_does_not_grow_with_cadres(
    client, xx, year, principal, django_assert_max_num_queries
):
    for i in range(5):
        _record(year, CadreFactory(unit=xx.township, name=f"干部{i}"), xx.township)
    client.force_login(principal.user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("assessments:quarter_queue", args=[year.pk]) + "?quarter=3")
    assert response.context["units"][0]["waiting"] == 5


def test_the_export_lists_the_quarters_records_with_confirmed_grades_only(client, xx, year):
    _record(year, xx.cadre, xx.township, grade="good", confirmed_at=WHEN)
    _record(year, xx.other_cadre, xx.township, grade="poor", comment="未确认")
    client.force_login(xx.office)
    response = client.get(reverse("assessments:quarter_export", args=[year.pk]) + "?quarter=3")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert xx.cadre.name in values and "未确认" not in values


def test_the_office_changes_the_settings_a_leader_only_reads(client, xx, year):
    url = reverse("assessments:quarter_settings", args=[year.pk])
    client.force_login(xx.office)
    data = {"window_days": "10", "good_share": "30", "principal_graded_by": "office",
            "record_max_chars": "800", "remind_days_before": "2", "rules": "2019"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert year.quarter_settings.good_share == 30
    client.force_login(xx.leader)
    assert client.post(url, data).status_code == 403


def test_the_personal_summary_is_written_and_the_office_sees_who_has_not(client, xx, year):
    with time_machine.travel(dt.datetime(2015, 12, 10, tzinfo=dt.UTC), tick=False):
        client.force_login(xx.cadre_user)
        url = reverse("assessments:summary_write", args=[year.pk])
        assert client.post(url, {"text": "一年来，认真履职。"}).status_code == 302
    assert PersonalSummary.objects.get().text == "一年来，认真履职。"
    client.force_login(xx.office)
    missing = client.get(reverse("assessments:summaries", args=[year.pk])).context["missing"]
    assert xx.other_cadre in missing and xx.cadre not in missing


def test_the_registration_form_prints_the_summary_and_the_confirmed_quarters(client, xx, year):
    PersonalSummary.objects.create(year=year, cadre=xx.cadre, text="一年来，围绕中心工作认真履职。")
    _record(year, xx.cadre, xx.township, quarter=1, grade="good", confirmed_at=WHEN)
    _record(year, xx.cadre, xx.township, quarter=2, grade="average", comment="一般")
    client.force_login(xx.office)
    response = client.get(reverse("assessments:cadre_registration", args=[xx.cadre.pk, 2015]))
    assert "围绕中心工作认真履职" in response.content.decode()
    assert [str(g) for g in response.context["quarter_grades"]][:2] == ["好", ""]
    pdf = client.get(reverse("assessments:cadre_registration_pdf", args=[xx.cadre.pk, 2015]))
    assert pdf.content.startswith(b"%PDF")


def test_the_office_sees_review_requests_waiting_and_answers_one(client, xx, year):
    from assessments.models import QuarterReview

    record = _record(year, xx.cadre, xx.township, grade="average", comment="慢", confirmed_at=WHEN)
    review = QuarterReview.objects.create(record=record, reasons="请复核")
    client.force_login(xx.office)
    page = client.get(reverse("assessments:quarter_overview", args=[year.pk]) + "?quarter=3")
    assert list(page.context["reviews"]) == [review]
    answer = reverse("assessments:quarter_answer", args=[record.pk])
    client.post(answer, {"answer": "维持原等次", "grade": ""})
    review.refresh_from_db()
    assert review.answered_by == xx.office and QuarterRecord.objects.get().grade == "average"
    page = client.get(reverse("assessments:quarter_overview", args=[year.pk]) + "?quarter=3")
    assert list(page.context["reviews"]) == []


def test_my_assessment_shows_the_latest_years_quarters(client, xx, year):
    _record(year, xx.cadre, xx.township, quarter=1, grade="fair", confirmed_at=WHEN)
    client.force_login(xx.cadre_user)
    page = client.get(reverse("assessments:me")).content.decode()
    assert reverse("assessments:quarter_mine") in page
    assert reverse("assessments:quarter_write", args=[year.pk]) + "?quarter=3" in page  # open
