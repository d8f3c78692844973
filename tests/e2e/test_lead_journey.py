"""A lead department scores its indicator (``live_server``, Chromium): the petitions bureau
downloads its 信访 sheet with the units filled in, fills in the deduction entries in Excel,
checks it (a bad row is named by row and column, nothing written), uploads and submits it; the
office returns it with a reason; the bureau fixes and resubmits it; the office accepts it and
the township's scorecard shows each entry with who entered it."""

from io import BytesIO

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from assessments import services
from cadres.models import Role, Unit
from tests.e2e.browser import browser_page, log_in, shot, with_password
from tests.factories import IndicatorFactory, UnitFactory, WeightsFactory, YearFactory, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message)


def _filled(template: bytes, entries: list[list]) -> bytes:
    """The downloaded sheet with the entries written over the first units' rows."""
    wb = load_workbook(BytesIO(template))
    ws = wb["评分表"]
    for number, entry in enumerate(entries, start=2):
        for column, value in enumerate(entry, start=3):
            ws.cell(row=number, column=column, value=value)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(page, content: bytes, action: str) -> None:
    form = page.locator("form[action$='/upload/']")
    form.locator("input[type=file]").set_input_files(
        files=[{"name": "信访评分表.xlsx", "mimeType": XLSX, "buffer": content}]
    )
    form.locator(f"button[value={action}]").click()
    page.wait_for_load_state()


def _log_out(page) -> None:
    page.locator("form[action='/logout/'] button").click()
    page.wait_for_load_state()


def test_a_lead_department_fills_submits_fixes_and_the_scorecard_shows_the_entries(live_server, xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    WeightsFactory(year=year, unit_kind="township")
    bureau = UnitFactory(
        code="XX-XF", name="隰县信访局", kind=Unit.Kind.DEPARTMENT, parent=xx.committee
    )
    petitions = IndicatorFactory(
        year=year,
        code="T4",
        name="信访",
        category="tasks",
        method="deduction",
        max_points=6,
        lead_department=bureau,
        unit_kinds=["township"],
    )
    services.target_assign(indicator=petitions, unit=xx.township)
    today = timezone.localdate()
    services.window_open(year=year, opens_on=today, closes_on=today, by=xx.office)
    services.scores_compute(year=year)
    lead = make_user(Role.LEAD, bureau, username="xinfang")
    lead.last_name, lead.first_name = "赵", "海军"
    lead.save()
    with_password(lead, xx.office)
    base = live_server.url
    sheet_url = f"{base}/assess/leads/indicators/{petitions.pk}/"
    board_url = f"{base}/assess/years/{year.pk}/sheets/"
    rankings_url = f"{base}/assess/years/{year.pk}/rankings/"
    bad = [["2015-03-12", "两分", "越级上访1起", "", "否"]]
    first = [["2015-03-12", 2, "越级上访1起", "", "否"]]
    fixed = [["2015-03-12", 2, "越级上访1起", "县信访局交办单〔2015〕17号", "否"]]
    with browser_page() as page:
        page.on("dialog", lambda dialog: dialog.accept())
        log_in(page, base, "xinfang")
        assert zh("Indicators we lead") in page.content()
        shot(page, "lead-1-home")
        page.locator("a", has_text="T4 信访").click()
        page.wait_for_load_state()
        with page.expect_download() as download:
            page.locator("a[href$='sheet.xlsx']").click()
        template = download.value.path().read_bytes()
        _upload(page, _filled(template, bad), "check")
        assert page.locator("#problems").is_visible()
        assert "扣分" in page.locator("#problems").inner_text()
        shot(page, "lead-2-check-names-the-bad-cell")
        _upload(page, _filled(template, first), "import")
        assert "越级上访1起" in page.locator("#sheet").inner_text()
        page.locator("form[action$='/submit/'] button").click()
        page.wait_for_load_state()
        assert page.text_content("#sheet-status").strip() == zh("Submitted")
        shot(page, "lead-3-submitted")
        _log_out(page)

        log_in(page, base, "office-XX")
        page.goto(board_url)
        shot(page, "lead-4-office-board")
        page.goto(sheet_url)
        page.fill("form[action$='/return/'] input[name=reason]", "请补充越级访的交办单号")
        page.locator("form[action$='/return/'] button").click()
        page.wait_for_load_state()
        assert page.text_content("#sheet-status").strip() == zh("Returned")
        _log_out(page)

        log_in(page, base, "xinfang")
        page.goto(sheet_url)
        assert "请补充越级访的交办单号" in page.text_content("#return-reason")
        shot(page, "lead-5-returned-with-the-reason")
        _upload(page, _filled(template, fixed), "import")
        page.locator("form[action$='/submit/'] button").click()
        page.wait_for_load_state()
        _log_out(page)

        log_in(page, base, "office-XX")
        page.goto(sheet_url)
        page.locator("form[action$='/accept/'] button").click()
        page.wait_for_load_state()
        assert page.text_content("#sheet-status").strip() == zh("Accepted")
        shot(page, "lead-6-accepted")
        page.goto(rankings_url)
        page.locator("a", has_text=xx.township.name).first.click()
        page.wait_for_load_state()
        card = page.content()
        assert "越级上访1起（县信访局交办单〔2015〕17号）" in card
        assert "隰县信访局 赵海军" in card
        shot(page, "lead-7-scorecard-shows-the-entry")
