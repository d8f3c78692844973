"""Monthly progress pages: the liaison's unit home and report form, evidence downloads, report
detail, the office's review queue with approve / return, and the county progress overview."""

import datetime as dt
from decimal import Decimal as D
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from assessments import services
from assessments.models import Evidence, ProgressReport
from assessments.selectors.progress import Color
from cadres.models import Role, Unit
from tests.conftest import build_county
from tests.factories import IndicatorFactory, UnitFactory, WeightsFactory, YearFactory, make_user

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = dt.datetime(2015, 6, 10, 9, tzinfo=SHANGHAI)  # June's reports are due by the 25th
PDF = b"%PDF-1.4\n% test evidence\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def june_10_2015():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def year(xx):
    return open_year(xx)


def open_year(county, year=2015):
    year = YearFactory(county=county.county, year=year, status="in_progress")
    for kind in ("committee", "township", "department"):
        WeightsFactory(year=year, unit_kind=kind)
    return year


def ratio_target(year, unit, *, value=1200, code="I1", name=None):
    indicator = IndicatorFactory(
        year=year,
        code=code,
        name=name or f"玉露香梨新增面积{code}",
        category="industry",
        method="ratio",
        unit_kinds=[unit.kind],
    )
    return services.target_assign(
        indicator=indicator, unit=unit, target_value=D(value), measure="亩"
    )


def levels_target(year, unit, *, code="P1", category="party"):
    indicator = IndicatorFactory(
        year=year, code=code, category=category, method="levels", unit_kinds=[unit.kind]
    )
    return services.target_assign(indicator=indicator, unit=unit)


def pdf(name="验收单.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def submit(target, month=6, actual=600, *, by, files=(), day=None):
    """A report submitted through the service (on the 20th of its month unless ``day``)."""
    now = dt.datetime(target.year.year, month, day or 20, 9, tzinfo=SHANGHAI)
    return services.progress_submit(
        target=target,
        month=month,
        actual_value=None if actual is None else D(actual),
        narrative="新栽果园已验收",
        files=list(files),
        by=by,
        now=min(now, TODAY),
    )


def media_files():
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def my_unit_url():
    return reverse("assessments:my_unit")


def submit_url(target, month=None):
    url = reverse("assessments:report_submit", args=[target.pk])
    return f"{url}?month={month}" if month else url


def detail_url(report):
    return reverse("assessments:report_detail", args=[report.pk])


def queue_url(year):
    return reverse("assessments:report_queue", args=[year.pk])


def overview_url(year, query=""):
    return reverse("assessments:progress_overview", args=[year.pk]) + query


def evidence_url(item):
    return reverse("assessments:evidence", args=[item.pk])


# -- the liaison's unit home -------------------------------------------------------------------


def test_liaison_home_lists_their_units_targets_with_plan_actual_and_status(client, xx, year):
    on_track = ratio_target(year, xx.township, code="I1")
    unreported = ratio_target(year, xx.township, code="I2")
    ratio_target(year, xx.department, code="I3")  # another unit's target
    submit(on_track, 6, 570, by=xx.liaison)
    client.force_login(xx.liaison)
    response = client.get(my_unit_url())
    assert response.status_code == 200
    home = response.context["home"]
    assert home.year == year
    assert home.month == 6
    assert home.due_month == 6
    assert [row.target for row in home.rows] == [on_track, unreported]
    first = home.rows[0].status
    assert (first.plan, first.actual, first.color) == (D(600), D(570), Color.GREEN)
    assert [row.target for row in home.due] == [unreported]
    assert home.deadline == dt.date(2015, 6, 25)
    content = response.content.decode()
    assert on_track.indicator.name in content
    assert submit_url(unreported, 6) in content  # the Report button for the month that is due
    assert "2015年6月25日" in content


def test_liaison_home_shows_a_returned_report_with_its_reason_and_a_way_to_correct_it(
    client, xx, year
):
    target = ratio_target(year, xx.township)
    report = submit(target, 6, 600, by=xx.liaison)
    services.progress_return(report=report, by=xx.office, reason="缺少验收单扫描件")
    client.force_login(xx.liaison)
    response = client.get(my_unit_url())
    home = response.context["home"]
    assert home.returned == [report]
    assert [row.target for row in home.due] == [target]  # a returned report does not count
    content = response.content.decode()
    assert "缺少验收单扫描件" in content
    assert submit_url(target, 6) in content


def test_liaison_home_without_a_year_in_progress_says_so(client, xx):
    YearFactory(county=xx.county, year=2015, status="draft")
    client.force_login(xx.liaison)
    response = client.get(my_unit_url())
    assert response.status_code == 200
    assert response.context["year"] is None


@pytest.mark.parametrize("role", ["office", "leader", "cadre_user"])
def test_only_a_liaison_has_a_unit_home(client, xx, year, role):
    client.force_login(getattr(xx, role))
    assert client.get(my_unit_url()).status_code == 403


def test_liaison_home_query_count_does_not_grow_with_targets(client, city):
    counts = []
    for code, n in (("A", 3), ("B", 30)):
        county = build_county(city, code, code)
        year = open_year(county)
        targets = [ratio_target(year, county.township, code=f"{code}{i}") for i in range(n)]
        submit(targets[0], 6, 600, by=county.liaison, files=[pdf()])
        returned = submit(targets[1], 5, 100, by=county.liaison)
        services.progress_return(report=returned, by=county.office, reason="数据有误")
        client.force_login(county.liaison)
        counts.append(count_queries(client, my_unit_url()))
    assert counts == [9, 9], counts  # 9: the year switcher reads the county's years


# -- the report form ---------------------------------------------------------------------------


def test_report_form_defaults_to_the_current_month_and_offers_months_begun(client, xx, year):
    target = ratio_target(year, xx.township)
    client.force_login(xx.liaison)
    response = client.get(submit_url(target))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["month"] == 6
    assert [m for m, _label in form.fields["month"].choices] == [1, 2, 3, 4, 5, 6]
    assert form.fields["actual_value"].required  # a ratio indicator needs the actual
    assert 'type="file"' in response.content.decode()
    assert "multiple" in str(form["files"])


def test_report_form_takes_an_earlier_month_from_the_query(client, xx, year):
    target = ratio_target(year, xx.township)
    client.force_login(xx.liaison)
    assert client.get(submit_url(target, 4)).context["form"].initial["month"] == 4
    assert client.get(submit_url(target, 7)).context["form"].initial["month"] == 6  # not begun


def test_liaison_submits_a_report_with_several_evidence_files(client, xx, year):
    target = ratio_target(year, xx.township)
    client.force_login(xx.liaison)
    response = client.post(
        submit_url(target),
        {
            "month": "6",
            "actual_value": "610",
            "narrative": "新栽玉露香梨610亩，已验收。",
            "files": [pdf(), SimpleUploadedFile("现场.png", PNG, content_type="image/png")],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{my_unit_url()}?year={year.pk}"
    report = ProgressReport.objects.get(target=target, month=6)
    assert report.actual_value == D(610)
    assert report.status == ProgressReport.Status.SUBMITTED
    assert report.submitted_by == xx.liaison
    assert not report.is_late
    names = sorted(report.evidence.values_list("original_name", flat=True))
    assert names == ["现场.png", "验收单.pdf"]
    assert len(media_files()) == 2


def test_a_non_ratio_target_is_reported_without_an_actual_value(client, xx, year):
    target = levels_target(year, xx.township)
    client.force_login(xx.liaison)
    response = client.post(submit_url(target), {"month": "6", "narrative": "召开专题会议3次"})
    assert response.status_code == 302
    assert ProgressReport.objects.get(target=target).actual_value is None


def test_a_ratio_report_needs_the_actual_value_and_saves_nothing_without_it(client, xx, year):
    target = ratio_target(year, xx.township)
    client.force_login(xx.liaison)
    response = client.post(
        submit_url(target), {"month": "6", "narrative": "进展顺利", "files": [pdf()]}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["actual_value"]
    assert not ProgressReport.objects.exists()
    assert media_files() == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("报告.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"),  # a renamed .exe
        ("说明.txt", b"plain text"),
    ],
    ids=["exe-renamed-pdf", "txt"],
)
def test_a_wrong_file_type_is_refused_and_nothing_is_saved(client, xx, year, name, content):
    target = ratio_target(year, xx.township)
    client.force_login(xx.liaison)
    bad = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(
        submit_url(target),
        {"month": "6", "actual_value": "600", "narrative": "进展顺利", "files": [pdf(), bad]},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["files"]
    assert len(errors) == 1
    assert name in errors[0]
    assert name in response.content.decode()
    assert not ProgressReport.objects.exists()
    assert not Evidence.objects.exists()
    assert media_files() == []


def test_a_month_already_submitted_cannot_be_submitted_again(client, xx, year):
    target = ratio_target(year, xx.township)
    first = submit(target, 5, 500, by=xx.liaison)
    client.force_login(xx.liaison)
    response = client.post(  # the address says June (the default), the form says May
        submit_url(target), {"month": "5", "actual_value": "900", "narrative": "重复"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    first.refresh_from_db()
    assert first.actual_value == D(500)
    assert first.revision == 1
    assert response.context["existing"] == first
    assert response.context["status"].month == 5


def test_a_returned_report_is_corrected_and_resubmitted_as_revision_2(client, xx, year):
    target = ratio_target(year, xx.township)
    client.force_login(xx.liaison)
    client.post(
        submit_url(target),
        {"month": "6", "actual_value": "400", "narrative": "初报", "files": [pdf()]},
    )
    report = ProgressReport.objects.get(target=target, month=6)

    client.force_login(xx.office)
    response = client.post(
        reverse("assessments:report_return", args=[report.pk]), {"reason": "面积与台账不符"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.return_reason) == ("returned", "面积与台账不符")

    client.force_login(xx.liaison)
    form_page = client.get(submit_url(target, 6))
    assert "面积与台账不符" in form_page.content.decode()
    assert form_page.context["form"].initial["actual_value"] == D(400)  # kept for correcting
    response = client.post(
        submit_url(target, 6),
        {
            "month": "6",
            "actual_value": "590",
            "narrative": "更正后数据",
            "files": [pdf("台账.pdf")],
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.revision == 2
    assert report.status == ProgressReport.Status.SUBMITTED
    assert report.actual_value == D(590)
    assert report.return_reason == ""
    assert report.reviewed_by is None
    assert report.evidence.count() == 2  # the first file is kept


def test_a_late_report_is_marked_late_and_shown_with_a_late_badge(client, xx, year):
    target = ratio_target(year, xx.township)
    with time_machine.travel(dt.datetime(2015, 10, 28, 9, tzinfo=SHANGHAI), tick=False):
        client.force_login(xx.liaison)
        response = client.post(
            submit_url(target, 10),
            {"month": "10", "actual_value": "1000", "narrative": "十月进展"},
        )
        assert response.status_code == 302
        report = ProgressReport.objects.get(target=target, month=10)
        assert report.is_late
        client.force_login(xx.office)
        queue = client.get(queue_url(year))
        detail = client.get(detail_url(report))
    assert [r.is_late for r in queue.context["page"]] == [True]
    badge = f'<span class="badge text-bg-warning">{gettext("late")}</span>'
    assert badge in queue.content.decode()
    assert badge in detail.content.decode()


def test_liaison_cannot_see_or_report_for_another_units_target(client, xx, year):
    other = ratio_target(year, xx.department)
    client.force_login(xx.liaison)
    assert client.get(submit_url(other)).status_code == 404
    response = client.post(
        submit_url(other), {"month": "6", "actual_value": "1", "narrative": "x", "files": [pdf()]}
    )
    assert response.status_code == 404
    assert not ProgressReport.objects.exists()
    assert media_files() == []
    report = submit(other, 6, 600, by=xx.office)
    assert client.get(detail_url(report)).status_code == 404


def test_liaison_cannot_report_in_another_county(client, xx, pq, year):
    theirs = ratio_target(open_year(pq), pq.township)
    client.force_login(xx.liaison)
    assert client.get(submit_url(theirs)).status_code == 404
    client.post(submit_url(theirs), {"month": "6", "actual_value": "1", "narrative": "x"})
    assert not ProgressReport.objects.exists()
    ours = ratio_target(year, xx.township, code="I9")
    client.force_login(pq.liaison)
    assert client.get(submit_url(ours)).status_code == 404


@pytest.mark.parametrize("role", ["office", "leader"])
def test_only_the_liaison_reports(client, xx, year, role):
    target = ratio_target(year, xx.township)
    client.force_login(getattr(xx, role))
    response = client.post(
        submit_url(target), {"month": "6", "actual_value": "600", "narrative": "代报"}
    )
    assert response.status_code == 403
    assert not ProgressReport.objects.exists()


# -- evidence downloads ------------------------------------------------------------------------


@pytest.fixture
def evidence(xx, year):
    target = ratio_target(year, xx.township)
    report = submit(target, 6, 600, by=xx.liaison, files=[pdf("验收单.pdf")])
    return report.evidence.get()


@pytest.mark.parametrize("role", ["liaison", "office", "leader"])
def test_evidence_is_served_to_the_units_liaison_and_the_county_office(client, xx, evidence, role):
    client.force_login(getattr(xx, role))
    response = client.get(evidence_url(evidence))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "%E9%AA%8C%E6%94%B6%E5%8D%95.pdf" in response["Content-Disposition"]  # 验收单.pdf
    assert b"".join(response.streaming_content) == PDF


def test_evidence_is_hidden_from_another_countys_office(client, pq, evidence):
    client.force_login(pq.office)
    assert client.get(evidence_url(evidence)).status_code == 404


def test_evidence_is_hidden_from_another_units_liaison(client, xx, evidence):
    neighbour = UnitFactory(
        code="XX-T2", name="隰县城南乡", kind=Unit.Kind.TOWNSHIP, parent=xx.county
    )
    client.force_login(make_user(Role.LIAISON, neighbour, username="liaison-t2"))
    assert client.get(evidence_url(evidence)).status_code == 404


def test_evidence_is_never_served_to_the_cadre_role(client, xx, evidence):
    client.force_login(xx.cadre_user)
    assert client.get(evidence_url(evidence)).status_code == 403


# -- report detail -----------------------------------------------------------------------------


def test_report_detail_shows_the_report_its_evidence_and_the_review_buttons_to_the_office(
    client, xx, year
):
    target = ratio_target(year, xx.township)
    report = submit(target, 6, 570, by=xx.liaison, files=[pdf()])
    client.force_login(xx.office)
    response = client.get(detail_url(report))
    assert response.status_code == 200
    assert response.context["report"] == report
    assert response.context["reviews"] is True
    assert response.context["status"].color == Color.GREEN
    content = response.content.decode()
    assert "新栽果园已验收" in content
    assert evidence_url(report.evidence.get()) in content
    assert reverse("assessments:report_approve", args=[report.pk]) in content
    assert reverse("assessments:report_return", args=[report.pk]) in content


@pytest.mark.parametrize("role", ["leader", "liaison"])
def test_report_detail_is_read_only_for_leader_and_liaison(client, xx, year, role):
    report = submit(ratio_target(year, xx.township), 6, 600, by=xx.liaison)
    client.force_login(getattr(xx, role))
    response = client.get(detail_url(report))
    assert response.status_code == 200
    assert response.context["reviews"] is False
    assert reverse("assessments:report_approve", args=[report.pk]) not in response.content.decode()


def test_report_detail_shows_who_returned_it_and_why(client, xx, year):
    report = submit(ratio_target(year, xx.township), 6, 600, by=xx.liaison)
    services.progress_return(report=report, by=xx.office, reason="请补充照片")
    client.force_login(xx.liaison)
    response = client.get(detail_url(report))
    content = response.content.decode()
    assert "请补充照片" in content
    assert xx.office.username in content
    assert submit_url(report.target, 6) in content


def test_report_detail_is_hidden_from_another_county(client, xx, pq, year):
    report = submit(ratio_target(year, xx.township), 6, 600, by=xx.liaison)
    for user in (pq.office, pq.leader, pq.liaison):
        client.force_login(user)
        assert client.get(detail_url(report)).status_code == 404


# -- the office's review queue, approve and return ---------------------------------------------


def test_queue_lists_submitted_reports_oldest_first_with_evidence_counts(client, xx, pq, year):
    a = ratio_target(year, xx.township, code="I1")
    b = ratio_target(year, xx.department, code="I2")
    c = ratio_target(year, xx.township, code="I3")
    newer = submit(a, 6, 600, by=xx.liaison, files=[pdf(), pdf("2.pdf")], day=9)
    older = submit(b, 5, 500, by=xx.office, day=20)
    approved = submit(c, 6, 600, by=xx.liaison, day=8)
    services.progress_approve(report=approved, by=xx.office)
    returned = submit(c, 5, 500, by=xx.liaison, day=21)
    services.progress_return(report=returned, by=xx.office, reason="x")
    submit(ratio_target(open_year(pq), pq.township, code="Q1"), 6, 600, by=pq.liaison)
    client.force_login(xx.office)
    response = client.get(queue_url(year))
    rows = list(response.context["page"])
    assert rows == [older, newer]
    assert [r.evidence_count for r in rows] == [0, 2]


def test_queue_filters_by_month_unit_kind_and_name(client, xx, year):
    town_may = submit(ratio_target(year, xx.township, code="I1"), 5, 500, by=xx.liaison)
    town_june = submit(ratio_target(year, xx.township, code="I2"), 6, 600, by=xx.liaison)
    dept_june = submit(ratio_target(year, xx.department, code="I3"), 6, 600, by=xx.office)
    client.force_login(xx.office)

    def rows(query):
        return list(client.get(queue_url(year) + query).context["page"])

    assert rows("?month=5") == [town_may]
    assert rows("?kind=department") == [dept_june]
    assert rows(f"?q={xx.township.name}&month=6") == [town_june]
    assert len(rows("?month=abc&kind=bogus")) == 3


def test_queue_is_paginated(client, xx, year, settings):
    settings.PAGE_SIZE = 2
    for i in range(3):
        submit(ratio_target(year, xx.township, code=f"I{i}"), 6, 600, by=xx.liaison)
    client.force_login(xx.office)
    assert len(client.get(queue_url(year)).context["page"]) == 2
    assert len(client.get(queue_url(year) + "?page=2").context["page"]) == 1


def test_queue_shows_actions_to_the_office_only(client, xx, year):
    report = submit(ratio_target(year, xx.township), 6, 600, by=xx.liaison)
    approve = reverse("assessments:report_approve", args=[report.pk])
    client.force_login(xx.office)
    assert approve in client.get(queue_url(year)).content.decode()
    client.force_login(xx.leader)
    response = client.get(queue_url(year))
    assert response.status_code == 200
    assert approve not in response.content.decode()


def test_queue_of_another_countys_year_is_not_found(client, pq, year):
    client.force_login(pq.office)
    assert client.get(queue_url(year)).status_code == 404


def test_office_approves_a_report_and_returns_to_the_queue(client, xx, year):
    report = submit(ratio_target(year, xx.township), 6, 600, by=xx.liaison)
    client.force_login(xx.office)
    response = client.post(reverse("assessments:report_approve", args=[report.pk]))
    assert response.status_code == 302
    assert response["Location"] == queue_url(year)
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.APPROVED
    assert report.reviewed_by == xx.office


def test_review_actions_follow_a_local_next_and_ignore_another_site(client, xx, year):
    first = submit(ratio_target(year, xx.township, code="I1"), 6, 600, by=xx.liaison)
    second = submit(ratio_target(year, xx.township, code="I2"), 6, 600, by=xx.liaison)
    client.force_login(xx.office)
    local = client.post(
        reverse("assessments:report_approve", args=[first.pk]), {"next": detail_url(first)}
    )
    assert local["Location"] == detail_url(first)
    foreign = client.post(
        reverse("assessments:report_approve", args=[second.pk]), {"next": "https://evil.example/"}
    )
    assert foreign["Location"] == queue_url(year)


def test_report_detail_sends_the_review_back_to_the_filtered_queue(client, xx, year):
    report = submit(ratio_target(year, xx.township), 6, 600, by=xx.liaison)
    filtered = queue_url(year) + "?month=6&kind=township"
    client.force_login(xx.office)
    assert client.get(detail_url(report), {"next": filtered}).context["next"] == filtered
    foreign = client.get(detail_url(report), {"next": "//evil.example/"})
    assert foreign.context["next"] == queue_url(year)


def test_returning_needs_a_reason(client, xx, year):
    report = submit(ratio_target(year, xx.township), 6, 600, by=xx.liaison)
    client.force_login(xx.office)
    response = client.post(
        reverse("assessments:report_return", args=[report.pk]), {"reason": "  "}, follow=True
    )
    assert response.status_code == 200
    assert list(response.context["messages"])
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED


def test_an_approved_report_cannot_be_returned(client, xx, year):
    report = submit(ratio_target(year, xx.township), 6, 600, by=xx.liaison)
    services.progress_approve(report=report, by=xx.office)
    client.force_login(xx.office)
    client.post(reverse("assessments:report_return", args=[report.pk]), {"reason": "晚了"})
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.APPROVED


@pytest.mark.parametrize("action", ["report_approve", "report_return"])
def test_leader_and_liaison_cannot_review(client, xx, year, action):
    report = submit(ratio_target(year, xx.township), 6, 600, by=xx.liaison)
    for user in (xx.leader, xx.liaison):
        client.force_login(user)
        response = client.post(reverse(f"assessments:{action}", args=[report.pk]), {"reason": "x"})
        assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED


@pytest.mark.parametrize("action", ["report_approve", "report_return"])
def test_another_countys_office_cannot_review(client, xx, pq, year, action):
    report = submit(ratio_target(year, xx.township), 6, 600, by=xx.liaison)
    client.force_login(pq.office)
    response = client.post(reverse(f"assessments:{action}", args=[report.pk]), {"reason": "x"})
    assert response.status_code == 404


def test_review_actions_are_post_only(client, xx, year):
    report = submit(ratio_target(year, xx.township), 6, 600, by=xx.liaison)
    client.force_login(xx.office)
    assert client.get(reverse("assessments:report_approve", args=[report.pk])).status_code == 405


def test_queue_query_count_does_not_grow_with_reports(client, city):
    counts = []
    for code, n in (("A", 3), ("B", 30)):
        county = build_county(city, code, code)
        year = open_year(county)
        for i in range(n):
            target = ratio_target(year, county.township, code=f"{code}{i}")
            submit(target, 6, 600, by=county.liaison, files=[pdf()] if i % 2 else [])
        client.force_login(county.office)
        counts.append(count_queries(client, queue_url(year)))
    assert counts == [7, 7], counts  # 7: the year switcher


# -- the county progress overview --------------------------------------------------------------


@pytest.fixture
def county_progress(xx, year):
    """Three units at the end of May (deadline passed): the township lags, the department is
    on track, the committee has not reported."""
    town_a = ratio_target(year, xx.township, code="I1")
    town_b = ratio_target(year, xx.township, code="I2")
    town_c = levels_target(year, xx.township, code="P1")
    dept = ratio_target(year, xx.department, code="I3")
    committee = levels_target(year, xx.committee, code="P2", category="tasks")
    submit(town_a, 5, 300, by=xx.liaison)  # plan 500: 0.6, red
    submit(town_b, 5, 420, by=xx.liaison)  # 0.84, amber
    submit(dept, 5, 500, by=xx.office)  # green
    return {"town": [town_a, town_b, town_c], "dept": dept, "committee": committee}


def test_overview_counts_statuses_per_unit_worst_first(client, xx, year, county_progress):
    client.force_login(xx.office)
    response = client.get(overview_url(year, "?month=5"))
    assert response.status_code == 200
    overview = response.context["overview"]
    assert overview.month == 5
    assert [u.unit for u in overview.units] == [xx.township, xx.committee, xx.department]
    town = overview.units[0]
    assert (town.counts["red"], town.counts["amber"], town.counts["missing"]) == (1, 1, 1)
    assert overview.units[1].counts["missing"] == 1
    assert overview.units[2].counts["green"] == 1
    assert overview.summary == {
        "red": 1,
        "missing": 2,
        "amber": 1,
        "due": 0,
        "green": 1,
    }
    assert overview.total == sum(overview.summary.values()) == 5
    content = response.content.decode()
    assert xx.township.name in content
    assert xx.department.name in content


def test_overview_filters_by_unit_kind_and_category(client, xx, year, county_progress):
    client.force_login(xx.leader)
    by_kind = client.get(overview_url(year, "?month=5&kind=department")).context["overview"]
    assert [u.unit for u in by_kind.units] == [xx.department]
    by_category = client.get(overview_url(year, "?month=5&category=party")).context["overview"]
    assert [u.unit for u in by_category.units] == [xx.township]
    assert by_category.total == 1


def test_overview_sorts_by_unit_or_by_a_colour(client, xx, year, county_progress):
    client.force_login(xx.office)
    by_unit = client.get(overview_url(year, "?month=5&sort=unit")).context["overview"]
    assert [u.unit for u in by_unit.units] == sorted(
        [xx.township, xx.committee, xx.department], key=lambda u: u.path
    )
    by_green = client.get(overview_url(year, "?month=5&sort=green")).context["overview"]
    assert by_green.units[0].unit == xx.department


def test_overview_of_one_unit_lists_its_targets_with_statuses(client, xx, year, county_progress):
    client.force_login(xx.office)
    response = client.get(overview_url(year, f"?month=5&unit={xx.township.pk}"))
    assert response.status_code == 200
    assert response.context["unit"] == xx.township
    (row,) = response.context["overview"].units
    assert [s.target for s in row.statuses] == county_progress["town"]
    assert [s.color for s in row.statuses] == [Color.RED, Color.AMBER, Color.MISSING]
    assert county_progress["town"][0].indicator.name in response.content.decode()


def test_overview_defaults_to_the_latest_month_past_its_deadline(client, xx, year, county_progress):
    client.force_login(xx.office)
    overview = client.get(overview_url(year)).context["overview"]
    assert overview.month == 5  # on 10 June the June reports are not due before the 25th


def test_overview_of_a_unit_of_another_county_is_not_found(client, xx, pq, year):
    client.force_login(xx.office)
    assert client.get(overview_url(year, f"?unit={pq.township.pk}")).status_code == 404
    assert client.get(overview_url(year, "?unit=abc")).status_code == 404


def test_overview_of_another_countys_year_is_not_found(client, pq, year):
    client.force_login(pq.leader)
    assert client.get(overview_url(year)).status_code == 404


def test_overview_query_count_does_not_grow_with_units(client, city):
    counts = []
    for code, n in (("A", 3), ("B", 30)):
        county = build_county(city, code, code)
        year = open_year(county)
        indicator = IndicatorFactory(
            year=year, code=f"{code}-R", category="industry", method="ratio"
        )
        for i in range(n):
            unit = UnitFactory(kind=Unit.Kind.TOWNSHIP, parent=county.county)
            target = services.target_assign(indicator=indicator, unit=unit, target_value=D(120))
            if i % 2:
                submit(target, 5, 50, by=county.office)
        client.force_login(county.office)
        counts.append(count_queries(client, overview_url(year, "?month=5")))
    assert counts == [8, 8], counts  # 8: the year switcher
