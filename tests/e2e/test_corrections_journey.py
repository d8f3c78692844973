"""The office mends its inputs and enters them in bulk, in a real browser: it picks a unit by
typing part of its name, enters every unit's mid-term score on one page, assigns a target unit by
unit, corrects an inspection finding and withdraws a bonus; the scorecard's history shows what
changed. Screenshots of each page are saved for review."""

import datetime as dt
from decimal import Decimal

import pytest

from assessments import services
from assessments.models import (
    BonusAward,
    Finding,
    InputChange,
    MidtermReview,
    Target,
    UnitScore,
)
from cadres.models import Unit
from tests.e2e.browser import browser_page, log_in, shot, with_password
from tests.factories import IndicatorFactory, UnitFactory, WeightsFactory, YearFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county(xx):
    """Xi County's 2015 with six townships, a manual, a mid-term, a ratio and a bonus
    indicator, an inspection that deducted 2 points at 龙泉镇, and its scores."""
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    for kind in ("committee", "township", "department"):
        WeightsFactory(year=year, unit_kind=kind)
    names = ["城南乡", "午城镇", "黄土镇", "阳头升乡", "寨子乡"]
    towns = [xx.township] + [
        UnitFactory(code=f"XX-T{i + 2}", name=f"隰县{n}", kind=Unit.Kind.TOWNSHIP, parent=xx.county)
        for i, n in enumerate(names)
    ]
    manual = IndicatorFactory(
        year=year, code="T-1", name="信访稳定", category="tasks", method="manual"
    )
    mid = IndicatorFactory(
        year=year, code="P-2", name="联述联评联考", category="party", method="midterm"
    )
    IndicatorFactory(
        year=year,
        code="I-9",
        name="玉露香梨新栽面积",
        category="industry",
        method="ratio",
        unit_kinds=["township"],
    )
    bonus = IndicatorFactory(
        year=year, code="B-1", name="上级表彰", category="bonus", method="bonus", max_points=3
    )
    for town in towns:
        target = services.target_assign(indicator=manual, unit=town)
        services.decision_set(target=target, points=Decimal(8), reason="评定", by=xx.office)
        services.target_assign(indicator=mid, unit=town)
    inspection = services.inspection_create(
        year=year,
        kind="centralized",
        title="第一次集中督查",
        held_on=dt.date(2015, 6, 10),
        inspectors="考核办、督导办",
        units=towns[:3],
        by=xx.office,
    )
    services.finding_add(
        inspection=inspection,
        unit=xx.township,
        indicator=manual,
        points=Decimal(-2),
        description="信访台账不全",
    )
    services.scores_compute(year=year)
    with_password(xx.office)
    return {"year": year, "towns": towns, "bonus": bonus, "inspection": inspection}


def test_the_office_picks_enters_in_bulk_and_corrects(live_server, xx, county):
    year, towns = county["year"], county["towns"]
    base = live_server.url
    finding = Finding.objects.get()
    with browser_page() as page:
        page.on("dialog", lambda dialog: dialog.accept())
        log_in(page, base, xx.office.username)

        # A unit picked by typing: the list narrows to 午城镇, Enter takes it.
        page.goto(f"{base}/assess/years/{year.pk}/bonus/")
        search = page.locator("#id_unit").locator("xpath=preceding-sibling::input[1]")
        search.fill("午城")
        visible = page.locator("#id_unit option:not([hidden])").all_text_contents()
        assert [v for v in visible if "午城" in v] == visible[-1:] and len(visible) <= 2
        shot(page, "corrections-picker-typing", full_page=False)
        search.press("Enter")
        assert page.locator("#id_unit").input_value() == str(towns[2].pk)
        page.select_option("#id_indicator", label=str(county["bonus"]))
        page.fill("#id_points", "1.5")
        page.fill("#id_reason", "省级文明乡镇")
        page.fill("#id_awarded_on", "2015-05-01")
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state()
        assert "隰县午城镇" in page.locator("main table").inner_text()

        # Every unit's mid-term score on one page, one save.
        page.goto(f"{base}/assess/years/{year.pk}/midterm/")
        page.fill("#id_reviewed_on", "2015-07-10")
        for i, town in enumerate(towns):
            page.fill(f"input[name=score_{town.pk}]", str(80 + i))
        shot(page, "corrections-midterm-bulk")
        page.locator("main form[novalidate] button[type=submit]").click()
        page.wait_for_load_state()
        shot(page, "corrections-midterm-saved")

        # One indicator to every township, a value per unit.
        page.goto(f"{base}/assess/years/{year.pk}/targets/grid/")
        page.locator("form[method=get] input.picker-search").fill("梨")
        page.locator("form[method=get] input.picker-search").press("Enter")
        page.locator("form[method=get] button[type=submit]").click()
        page.wait_for_load_state()
        page.fill("#id_measure", "亩")
        for i, town in enumerate(towns[:4]):
            page.fill(f"input[name=value_{town.pk}]", str(1000 + 500 * i))
        shot(page, "corrections-target-grid")
        page.locator("main form[novalidate] button[type=submit]").click()
        page.wait_for_load_state()

        # A finding corrected from the inspection page, then the scorecard's history.
        page.goto(f"{base}/assess/inspections/{county['inspection'].pk}/")
        page.locator(f"a[href='/assess/findings/{finding.pk}/correct/']").click()
        page.wait_for_load_state()
        page.fill("#id_points", "-1")
        page.fill("#id_why", "督查组复核：应扣1分")
        shot(page, "corrections-finding-correct")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()

        # The bonus withdrawn from its row, after confirming.
        page.goto(f"{base}/assess/years/{year.pk}/bonus/")
        page.locator("main table a[href$='/withdraw/']").click()
        page.wait_for_load_state()
        page.fill("#id_why", "表彰属2014年度，录入有误")
        shot(page, "corrections-bonus-withdraw")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()

        # Recomputed, the scorecard has a new address: reach it from the rankings.
        page.goto(f"{base}/assess/years/{year.pk}/rankings/")
        page.locator("main a", has_text="隰县龙泉镇").first.click()
        page.wait_for_load_state()
        assert "督查组复核：应扣1分" in page.locator("#corrections").inner_text()
        page.locator("#corrections").scroll_into_view_if_needed()
        shot(page, "corrections-scorecard-history")
        page.goto(f"{base}/assess/years/{year.pk}/corrections/")
        shot(page, "corrections-record")
    # Checked here, not in the browser's block (its queries would hold a connection open).
    assert MidtermReview.objects.count() == len(towns)
    assert Target.objects.filter(indicator__code="I-9").count() == 4
    assert Finding.objects.get().points == Decimal(-1)
    assert not BonusAward.objects.exists()
    assert sorted(InputChange.objects.values_list("kind", "action")) == [
        ("bonus", "withdrawn"),
        ("finding", "corrected"),
    ]
    assert UnitScore.objects.get(unit=xx.township).tasks == Decimal(21)  # 30 × (8 − 1) / 10
