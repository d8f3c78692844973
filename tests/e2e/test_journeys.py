"""Each role's main journey in a real browser (Chromium driven by Playwright, against
``live_server``): the office sets up a year and imports its catalog and targets from the Excel
templates it downloads, a liaison reports progress with a file, the office reviews it and
publishes the month's bulletin, a cadre sees their own record and nothing of anyone else's.
Screenshots of every step are saved for review (the folder is printed)."""

import datetime as dt
import struct
import zlib
from decimal import Decimal
from io import BytesIO

import pytest
from django.core import mail
from django.utils import timezone, translation
from openpyxl import load_workbook

from assessments.models import AssessmentYear, Bulletin, ProgressReport, Target
from assessments.services import grading
from assessments.services.progress import progress_submit
from assessments.services.targets import target_assign
from cadres.services import unit_update
from tests.e2e.browser import SCREENSHOTS, browser_page, log_in, shot, with_password
from tests.factories import IndicatorFactory, WeightsFactory, YearFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def zh(message: str) -> str:
    """What a button says in Chinese, from the catalog, so the test follows the wording."""
    with translation.override("zh-hans"):
        return translation.gettext(message)


def _png() -> bytes:
    """A real 1×1 PNG: a photo from the field, as far as the upload check can tell."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xc0\x30\x30")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _fill(template: bytes, rows: dict[str, list[dict]]) -> bytes:
    """The downloaded template filled in as a clerk would: the example row replaced by
    ``rows`` (per sheet, by the Chinese column headers, without the required mark)."""
    workbook = load_workbook(BytesIO(template))
    for sheet, records in rows.items():
        ws = workbook[sheet]
        headers = [str(c.value).rstrip("*") for c in ws[1]]
        ws.delete_rows(2, ws.max_row)
        for record in records:
            ws.append([record.get(h) for h in headers])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _import(page, base_url: str, kind: str, rows: dict[str, list[dict]], year_pk=None):
    """Download the kind's template, fill it in, upload it, look at the preview, confirm."""
    page.goto(f"{base_url}/assess/imports/")
    with page.expect_download() as download:
        page.locator(f"a[href$='?kind={kind}']").click()
    template = download.value.path().read_bytes()
    form = page.locator("form", has=page.locator(f"input[name=kind][value={kind}]"))
    if year_pk is not None:
        form.locator("select[name=year]").select_option(str(year_pk))
    form.locator("input[type=file]").set_input_files(
        files=[{"name": f"{kind}.xlsx", "mimeType": XLSX, "buffer": _fill(template, rows)}]
    )
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    shot(page, f"journey-office-import-{kind}-1-preview")
    page.locator("button", has_text=zh("Confirm and import")).click()
    page.wait_for_load_state()
    shot(page, f"journey-office-import-{kind}-2-done")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_office_sets_up_a_year_and_imports_its_catalog_and_targets(live_server, xx):
    with_password(xx.office)
    with browser_page() as page:
        log_in(page, live_server.url, xx.office.username)
        page.goto(f"{live_server.url}/assess/years/new/")
        page.fill("#id_year", "2027")
        page.fill("#id_title", "隰县2027年度目标责任考核")
        shot(page, "journey-office-year-1-form")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/assess/years/*/")
        year_pk = int(page.url.rstrip("/").rsplit("/", 1)[1])
        shot(page, "journey-office-year-2-created")

        weights = {"单位类别": "乡镇", "党的建设": 30, "主导产业": 40, "部门任务和社会管理": 30}
        indicator = {
            "指标代码": "I1",
            "指标名称": "新植玉露香梨",
            "类别": "主导产业",
            "计分方法": "完成率",
            "满分": 20,
            "适用单位类别": "乡镇",
        }
        _import(page, live_server.url, "catalog", {"权重": [weights], "指标": [indicator]}, year_pk)
        target = {
            "单位代码": xx.township.code,
            "指标代码": "I1",
            "目标值": 1200,
            "计量单位": "亩",
            "截止日期": dt.date(2027, 12, 31),
        }
        _import(page, live_server.url, "targets", {"目标任务": [target]}, year_pk)

        page.goto(f"{live_server.url}/assess/years/{year_pk}/targets/")
        targets_page = page.content()
        shot(page, "journey-office-year-3-targets")

    year = AssessmentYear.objects.get(pk=year_pk)
    assert (year.county, year.year) == (xx.county, 2027)
    assert year.weights.get(unit_kind="township").industry == 40
    imported = Target.objects.get(year=year)
    assert (imported.unit, imported.indicator.code) == (xx.township, "I1")
    assert imported.target_value == Decimal(1200)
    assert "新植玉露香梨" in targets_page
    assert xx.township.name in targets_page
    assert (SCREENSHOTS / "journey-office-import-targets-2-done.png").exists()


@pytest.fixture
def target(xx):
    """This year's pear-acreage target of Xi County's township (reports are due monthly)."""
    year = YearFactory(county=xx.county, year=timezone.localdate().year, status="in_progress")
    WeightsFactory(year=year, unit_kind="township")
    indicator = IndicatorFactory(
        year=year, code="I1", name="新植玉露香梨", category="industry", method="ratio",
        unit_kinds=["township"],
    )  # fmt: skip
    unit_update(unit=xx.township, head_email="head-t1@example.gov.cn")
    return target_assign(indicator=indicator, unit=xx.township, target_value=Decimal(1200))


def test_a_liaison_reports_the_months_progress_with_a_photo(live_server, xx, target):
    with_password(xx.liaison)
    with browser_page() as page:
        log_in(page, live_server.url, xx.liaison.username)
        page.wait_for_url("**/assess/my-unit/")
        assert "新植玉露香梨" in page.content()
        shot(page, "journey-liaison-1-my-unit")

        page.locator("a.btn", has_text=zh("Report")).first.click()
        page.fill("#id_actual_value", "800")
        page.fill("#id_narrative", "本月新植玉露香梨200亩，累计800亩。")
        page.set_input_files(
            "#id_files", files=[{"name": "现场照片.png", "mimeType": "image/png", "buffer": _png()}]
        )
        shot(page, "journey-liaison-2-report-form")
        page.locator("button", has_text=zh("Submit the report")).click()
        page.wait_for_load_state()
        shot(page, "journey-liaison-3-after-submit")
        body = page.content()

    report = ProgressReport.objects.get(target=target)
    assert report.status == ProgressReport.Status.SUBMITTED
    assert report.actual_value == Decimal(800)
    assert [e.original_name for e in report.evidence.all()] == ["现场照片.png"]
    assert report.get_status_display() in body  # the unit's page shows the report as submitted


def test_the_office_approves_a_report_and_publishes_the_bulletin(live_server, xx, target):
    today = timezone.localdate()
    month = today.month - 1 or 1
    progress_submit(
        target=target,
        month=month,
        actual_value=Decimal(900),
        narrative="按计划推进",
        by=xx.liaison,
        now=timezone.now() - dt.timedelta(days=1),
    )
    year_pk = target.year_id
    with_password(xx.office)
    with browser_page() as page:
        log_in(page, live_server.url, xx.office.username)
        page.wait_for_url("**/assess/")
        shot(page, "journey-office-1-overview")

        page.goto(f"{live_server.url}/assess/years/{year_pk}/reports/")
        assert "按计划推进" in page.content() or "新植玉露香梨" in page.content()
        shot(page, "journey-office-2-review-queue")
        page.locator("button", has_text=zh("Approve")).first.click()
        page.wait_for_load_state()
        shot(page, "journey-office-3-approved")

        page.goto(f"{live_server.url}/assess/years/{year_pk}/bulletins/")
        page.select_option("select[name=month]", str(month))
        page.locator("button", has_text=zh("Build or refresh the draft")).click()
        page.wait_for_load_state()
        shot(page, "journey-office-4-bulletin-draft")
        page.on("dialog", lambda dialog: dialog.accept())
        page.locator("button", has_text=zh("Publish and email")).click()
        page.wait_for_load_state()
        shot(page, "journey-office-5-bulletin-published")

    report = ProgressReport.objects.get(target=target)
    assert report.status == ProgressReport.Status.APPROVED
    bulletin = Bulletin.objects.get(year_id=year_pk, month=month)
    assert bulletin.status == Bulletin.Status.PUBLISHED
    assert "head-t1@example.gov.cn" in {to for m in mail.outbox for to in m.to}


def test_a_cadre_sees_their_own_record_and_nothing_of_anyone_elses(live_server, xx):
    year = YearFactory(county=xx.county, year=2015, status="closed")
    grading.policy_set(year=year)
    grading.results_propose(year=year)
    grading.results_publish(year=year)
    other_pk = xx.other_cadre.pk
    with_password(xx.cadre_user)
    with browser_page() as page:
        log_in(page, live_server.url, xx.cadre_user.username)
        page.wait_for_url("**/assess/me/")
        mine = page.content()
        shot(page, "journey-cadre-1-my-records")
        response = page.goto(f"{live_server.url}/org/cadres/{other_pk}/")
        other_status = response.status
        shot(page, "journey-cadre-2-another-cadre-404")
        staff_status = page.goto(f"{live_server.url}/assess/years/{year.pk}/results/").status

    assert xx.cadre.name in mine
    assert "2015" in mine
    assert xx.other_cadre.name not in mine
    assert other_status == 404
    assert staff_status in (403, 404)


def test_a_unit_name_with_markup_shows_as_text_in_the_chart_tooltips(live_server, xx):
    """A unit's name is the office's free text (the unit form, the import): the dashboard's and
    the profile's tooltips show it as text, never as markup that would run in a reader's
    browser."""
    from assessments.models import UnitScore

    markup = '<img src=x onerror="window.__xss=1">'
    unit_update(unit=xx.township, short_name=markup)
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    for kind in ("committee", "township", "department"):
        WeightsFactory(year=year, unit_kind=kind)
    UnitScore.objects.create(
        year=year,
        unit=xx.township,
        unit_kind="township",
        party=Decimal(30),
        industry=Decimal(36),
        tasks=Decimal(27),
        bonus=Decimal(0),
        total=Decimal(93),
        rank=1,
        proposed_grade="good",
        computed_at=timezone.now(),
    )
    township_pk = xx.township.pk
    with_password(xx.leader)
    with browser_page() as page:
        log_in(page, live_server.url, xx.leader.username)
        page.goto(f"{live_server.url}/assess/dashboard/")
        page.wait_for_selector(".dash-ranking svg")
        ranking = page.evaluate(
            "() => echarts.getInstanceByDom(document.querySelector('.dash-ranking'))"
            ".getOption().tooltip[0].formatter({dataIndex: 0})"
        )
        page.goto(f"{live_server.url}/assess/units/{township_pk}/profile/")
        page.wait_for_selector("#chart-profile svg")
        profile = page.evaluate(
            """() => {
              const option = echarts.getInstanceByDom(document.getElementById('chart-profile'))
                .getOption();
              const series = option.series[0];
              return series.tooltip.formatter(
                {dataIndex: 0, seriesName: series.name, name: option.xAxis[0].data[0],
                 value: series.data[0]});
            }"""
        )
        fired = page.evaluate("() => window.__xss === 1")
    for html in (ranking, profile):
        assert "<img" not in html, html
        assert "&lt;img" in html, html
    assert not fired
