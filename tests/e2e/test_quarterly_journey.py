"""The quarterly assessment in a browser: a cadre writes their Q3 work record on a phone, the
township's principal leader grades the unit's quarter within the 好 cap through their own cadre
account and confirms it, the cadre sees the grade; the annual proposal shows the quarter rule
as a reason. Screenshots of each step are saved for review."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import CadreResult, QuarterRecord
from assessments.services import grading
from assessments.services import quarterly as q
from cadres.models import Role
from tests.e2e.browser import browser_page, log_in, shot, with_password
from tests.e2e.test_ballot_phone import PHONE
from tests.factories import CadreFactory, YearFactory, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN"}


def _year_with_q3_ended(xx):
    today = timezone.localdate()
    number = today.year if today > dt.date(today.year, 9, 30) else today.year - 1
    year = YearFactory(county=xx.county, year=number, status="in_progress")
    q.quarter_settings_set(year=year, window_days=60)
    return year


def test_a_cadre_writes_q3_on_a_phone_the_principal_grades_the_cadre_sees_it(live_server, xx):
    year = _year_with_q3_ended(xx)
    principal = CadreFactory(
        unit=xx.township, name="王建国", title="镇党委书记", is_leading=True,
        is_principal=True, post_kind="principal",
    )  # fmt: skip
    shuji = make_user(Role.CADRE, xx.township, username="shuji", cadre=principal)
    other = q.quarter_record_write(
        year=year, cadre=xx.other_cadre, quarter=3, work_done="完成秋粮收购任务。",
        by=make_user(Role.CADRE, xx.township, username="lisi", cadre=xx.other_cadre),
    )  # fmt: skip
    # an earlier quarter graded 较差, confirmed: the annual proposal must say why no 优秀
    QuarterRecord.objects.create(
        year=year, cadre=xx.cadre, unit=xx.township, quarter=1, work_done="一季度工作",
        submitted_at=timezone.now(), grade="poor", comment="任务未按时完成",
        confirmed_at=timezone.now(),
    )  # fmt: skip
    grading.policy_set(year=year)
    grading.results_propose(year=year)
    result = CadreResult.objects.get(year=year, cadre=xx.cadre)
    result_url = reverse("assessments:result_detail", args=[result.pk])
    with_password(xx.cadre_user, shuji, xx.office)
    base = live_server.url

    with browser_page(**PHONE) as page:
        log_in(page, base, xx.cadre_user.username)
        page.goto(f"{base}/assess/me/quarters/")
        shot(page, "quarters-1-phone-my-quarters")
        page.locator('a[href$="/write/?quarter=3"]').tap()
        page.fill("#id_work_done", "牵头完成秋粮收购专项工作，走访群众120户，收集意见建议18条。")
        page.fill("#id_key_tasks", "参与防汛值班10天。")
        page.fill("#id_problems_plans", "统筹协调能力还需提高。下季度细化计划，按周盯进度。")
        shot(page, "quarters-2-phone-write-q3")
        page.locator("form[enctype] button[type=submit]").tap()
        page.wait_for_url("**/me/quarters/")
        shot(page, "quarters-3-phone-written")

        desk = page.context.browser.new_page(**DESKTOP)
        desk.on("dialog", lambda dialog: dialog.accept())
        log_in(desk, base, "shuji")
        desk.goto(f"{base}/assess/years/{year.pk}/quarters/queue/?quarter=3")
        rows = desk.locator("tbody tr")
        cap_before = desk.locator("[data-goods]").inner_text()
        shot(desk, "quarters-4-principal-queue")
        rows.filter(has_text=xx.cadre.name).locator("select").select_option("good")
        rows.filter(has_text=xx.cadre.name).locator("input[name=comment]").fill(
            "工作主动，成效明显。"
        )
        rows.filter(has_text=xx.cadre.name).locator("button").click()
        desk.wait_for_load_state()
        rows.filter(has_text=xx.other_cadre.name).locator("select").select_option("fair")
        rows.filter(has_text=xx.other_cadre.name).locator("button").click()
        desk.wait_for_load_state()
        cap_after = desk.locator("[data-goods]").inner_text()
        shot(desk, "quarters-5-principal-graded")
        desk.locator(f'form[action$="/units/{xx.township.pk}/quarters/confirm/"] button').click()
        desk.wait_for_load_state()
        confirmed_page = desk.content()
        shot(desk, "quarters-6-principal-confirmed")

        page.goto(f"{base}/assess/me/quarters/")
        mine = page.content()
        shot(page, "quarters-7-phone-grade-seen")
        page.goto(f"{base}/assess/me/")
        me = page.content()
        shot(page, "quarters-7b-phone-my-assessment")

        office = page.context.browser.new_page(**DESKTOP)
        log_in(office, base, xx.office.username)
        office.goto(f"{base}{result_url}")
        proposal = office.content()
        shot(office, "quarters-8-annual-proposal-reason")
        office.goto(f"{base}/assess/years/{year.pk}/quarters/?quarter=3")
        shot(office, "quarters-9-office-overview")

    mine_record = QuarterRecord.objects.get(year=year, cadre=xx.cadre, quarter=3)
    assert mine_record.grade == "good" and mine_record.confirmed_at is not None
    assert QuarterRecord.objects.get(pk=other.pk).grade == "fair"
    # 好 0, then 1, of at most 1 (40 % of the township's 3 cadres, rounded down)
    assert re.findall(r"\d+", cap_before) == ["0", "1"]
    assert re.findall(r"\d+", cap_after) == ["1", "1"]
    assert xx.township.name in confirmed_page
    assert "工作主动，成效明显。" in mine
    assert "/assess/me/quarters/" in me
    assert "Q1" in proposal and ("较差" in proposal)
