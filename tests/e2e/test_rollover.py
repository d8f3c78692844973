"""Several years open at once, in a real browser: in December 2015 the office starts 2016 (after
the confirmation page says what changes for whom); the 龙泉镇 liaison still opens 2015, reports
December 2015 (a double click records once) and answers a 2015 early warning; the leader's
dashboard opens on 2015. Screenshots of every step are saved for review."""

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from assessments.models import AssessmentYear, EarlyWarning, ProgressReport
from assessments.services.targets import target_assign
from assessments.services.warnings import warnings_check
from tests.e2e.browser import browser_page, log_in, shot, with_password
from tests.factories import IndicatorFactory, WeightsFactory, YearFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHANGHAI = ZoneInfo("Asia/Shanghai")


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message)


def _year(xx, year, status):
    obj = YearFactory(county=xx.county, year=year, status=status)
    for kind in ("committee", "township", "department"):
        WeightsFactory(year=obj, unit_kind=kind)
    return obj


@pytest.fixture
def rollover(xx):
    """2015 being reported, one target of 龙泉镇 unreported in November (so warned on the
    26th), and 2016 set up as a draft."""
    y2015 = _year(xx, 2015, "in_progress")
    indicator = IndicatorFactory(
        year=y2015,
        code="I1",
        name="新植玉露香梨",
        category="industry",
        method="ratio",
        unit_kinds=[xx.township.kind],
    )
    target = target_assign(
        indicator=indicator, unit=xx.township, target_value=Decimal(1200), measure="亩"
    )
    warnings_check(on=dt.date(2015, 11, 26))
    y2016 = _year(xx, 2016, "draft")
    with_password(xx.office, xx.liaison, xx.leader)
    return y2015, y2016, target


def test_the_office_starts_2016_in_december_and_2015_goes_on(live_server, xx, rollover):
    y2015, y2016, target = rollover
    assert EarlyWarning.objects.filter(year=y2015).count() >= 1
    base = live_server.url
    with time_machine.travel(dt.datetime(2015, 12, 10, 9, tzinfo=SHANGHAI), tick=False):
        with browser_page() as page:
            # The office starts 2016: a confirmation page first.
            log_in(page, base, xx.office.username)
            page.goto(f"{base}/assess/years/{y2016.pk}/")
            page.locator("a.btn", has_text=zh("Start the year")).click()
            page.wait_for_load_state()
            shot(page, "rollover-1-office-confirms-start")
            confirm = page.content()
            page.locator("button", has_text=zh("Start the year")).click()
            page.wait_for_load_state()
            shot(page, "rollover-2-office-2016-started")
            page.context.clear_cookies()

            # The liaison still works in 2015: reports December, answers the 2015 warning.
            log_in(page, base, xx.liaison.username)
            page.wait_for_url("**/assess/my-unit/")
            home = page.content()
            shot(page, "rollover-3-liaison-home-2015")
            page.locator("a.btn", has_text=zh("Report")).first.click()
            page.wait_for_load_state()
            page.fill("#id_actual_value", "1150")
            page.fill("#id_narrative", "全年新植玉露香梨1150亩。")
            page.locator("button", has_text=zh("Submit the report")).dblclick()
            # The second click's request waits for the first and follows it to the same page.
            page.wait_for_url(re.compile(r"/assess/my-unit/"))
            page.wait_for_load_state("networkidle")
            shot(page, "rollover-4-liaison-reported-december")
            after_report = page.content()
            page.goto(f"{base}/assess/years/{y2015.pk}/warnings/")
            shot(page, "rollover-5-liaison-2015-warnings")
            page.locator("a[href*='/assess/warnings/']").first.click()
            page.wait_for_load_state()
            page.fill("textarea[name=catch_up_plan]", "12月补报11月进展，年底前完成全年任务。")
            page.locator("button", has_text=zh("Submit the plan")).click()
            page.wait_for_load_state()
            shot(page, "rollover-6-liaison-answered-warning")
            page.context.clear_cookies()

            # The leader's dashboard opens on 2015, not on the empty 2016.
            log_in(page, base, xx.leader.username)
            page.goto(f"{base}/assess/dashboard/")
            page.wait_for_load_state()
            shot(page, "rollover-7-leader-dashboard-2015")
            dashboard = page.locator(".page-title").first.inner_text()

    y2016.refresh_from_db()
    assert y2016.status == AssessmentYear.Status.IN_PROGRESS
    assert "2016" in confirm and zh("Liaisons") in confirm
    assert str(y2015) in home and f"?year={y2016.pk}" in home  # 2015, with the switcher
    report = ProgressReport.objects.get(target=target, month=12)  # recorded once
    assert report.status == ProgressReport.Status.SUBMITTED
    assert zh("Report for month %(month)s submitted.") % {"month": 12} in after_report
    warning = EarlyWarning.objects.filter(year=y2015, items__target=target).first()
    assert warning.acknowledged_by == xx.liaison
    assert "2015" in dashboard
