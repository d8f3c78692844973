"""The office's early warnings in a real browser: one notice per unit lists its lagging
targets; the liaison answers it as one; the office closes several at once. Screenshots go to
the usual folder (and are looked at by whoever reviews the change)."""

import datetime as dt
from decimal import Decimal

import pytest

from assessments.models import EarlyWarning
from assessments.services import warnings
from assessments.services.targets import target_assign
from cadres.models import Unit
from tests.e2e.browser import browser_page, log_in, shot, with_password
from tests.factories import IndicatorFactory, UnitFactory, WeightsFactory, YearFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_one_notice_per_unit_answered_and_closed_as_one(live_server, xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    WeightsFactory(year=year, unit_kind="township")
    towns = [xx.township] + [
        UnitFactory(kind=Unit.Kind.TOWNSHIP, parent=xx.county, name=name)
        for name in ("隰县城南乡", "隰县午城镇")
    ]
    for code, name in (("I-1", "玉露香梨新增面积"), ("I-2", "林下经济"), ("I-3", "重点项目")):
        ind = IndicatorFactory(
            year=year,
            code=code,
            name=name,
            category="industry",
            method="ratio",
            unit_kinds=["township"],
        )
        for town in towns:
            target_assign(indicator=ind, unit=town, target_value=Decimal(1200), measure="亩")
    issued = warnings.warnings_check(on=dt.date(2015, 3, 1)).issued
    assert len(issued) == 3
    own = next(w for w in issued if w.unit_id == xx.township.pk)
    with_password(xx.office, xx.liaison)
    url = f"{live_server.url}/assess/years/{year.pk}/warnings/"
    with browser_page() as page:
        log_in(page, live_server.url, xx.liaison.username)
        page.goto(f"{live_server.url}/assess/warnings/{own.pk}/")
        shot(page, "warnings-1-liaison-notice")
        page.fill("#plan", "三月底前补报全部三项目标")
        page.locator("form[action$='acknowledge/'] button").click()
        page.wait_for_load_state()
        shot(page, "warnings-2-liaison-answered")
        page.locator("form[action='/logout/'] button").click()
        page.wait_for_load_state()
        log_in(page, live_server.url, xx.office.username)
        page.goto(url)
        shot(page, "warnings-3-office-list")
        for box in page.locator("input[name=warnings]").all()[:2]:
            box.check()
        page.fill("#closing-note", "经核查已补报，予以销号")
        page.once("dialog", lambda dialog: dialog.accept())
        page.locator("#close-form button").click()
        page.wait_for_load_state()
        page.goto(url + "?status=")
        shot(page, "warnings-4-office-closed-two")
    assert EarlyWarning.objects.filter(status="closed").count() == 2
    assert EarlyWarning.objects.get(pk=own.pk).catch_up_plan == "三月底前补报全部三项目标"
