"""Each role's main journey in a real browser (Chromium driven by Playwright, against
``live_server``): a liaison reports progress with a file, the office reviews it and publishes the
month's bulletin, a cadre sees their own record and nothing of anyone else's. Screenshots of
every step are saved for review (the folder is printed)."""

import datetime as dt
import struct
import zlib
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone, translation

from assessments.models import Bulletin, ProgressReport
from assessments.services import grading
from assessments.services.progress import progress_submit
from assessments.services.targets import target_assign
from cadres.services import unit_update
from tests.e2e.browser import browser_page, log_in, shot, with_password
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
        page.wait_for_url("**/org/me/")
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
