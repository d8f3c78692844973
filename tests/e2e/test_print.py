"""Printing, as a browser prints by default (without background graphics): grades, the veto and
progress statuses stay legible in black and white, the dashboard's charts fit A4 landscape, and
dates read in Chinese. Each page is also printed to PDF (saved with the screenshots)."""

import datetime as dt
import re
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from assessments.models import UnitScore
from assessments.services.progress import progress_submit
from assessments.services.targets import target_assign
from cadres.models import Unit
from tests.e2e.browser import SCREENSHOTS, browser_page, log_in, shot, with_password
from tests.factories import IndicatorFactory, UnitFactory, WeightsFactory, YearFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOW = dt.datetime(2015, 11, 5, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
GRADES = ["good", "fair", "average", "poor"]

# For every badge: its text colour, its border's width and style, in print.
BADGES = """() => Array.from(document.querySelectorAll('main .badge')).map(b => {
  const s = getComputedStyle(b);
  return [b.textContent.trim(), s.color, s.borderTopWidth, s.borderTopStyle];
})"""


@pytest.fixture
def county(xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    for kind in ("committee", "township", "department"):
        WeightsFactory(year=year, unit_kind=kind)
    pears = IndicatorFactory(
        year=year,
        code="R1",
        name="新植玉露香梨",
        category="industry",
        method="ratio",
        unit_kinds=["township"],
    )
    towns = [xx.township] + [
        UnitFactory(kind=Unit.Kind.TOWNSHIP, parent=xx.county, name=f"第{i}镇") for i in range(4)
    ]
    with time_machine.travel(NOW, tick=False):
        for i, town in enumerate(towns):
            target = target_assign(indicator=pears, unit=town, target_value=D(1200))
            if i % 2:
                progress_submit(
                    target=target,
                    month=10,
                    actual_value=D(300 + 300 * i),
                    narrative="推进中",
                    files=[],
                    by=xx.office,
                    now=timezone.now(),
                )
        for i, town in enumerate(towns):  # scores as the scoring service would store them
            UnitScore.objects.update_or_create(
                year=year,
                unit=town,
                defaults={
                    "unit_kind": town.kind,
                    "party": D(30 - i),
                    "industry": D(40 - i),
                    "tasks": D(25 - i),
                    "bonus": D(0),
                    "total": D(95 - 3 * i),
                    "rank": i + 1,
                    "proposed_grade": GRADES[min(i, 3)],
                    "veto_failed": i == 4,
                    "computed_at": timezone.now(),
                },
            )
    with_password(xx.office, xx.leader)
    return year


def _print(page, name: str, *, landscape=False):
    """Print media, as the browser prints: a PDF without backgrounds, and a screenshot."""
    page.emulate_media(media="print")
    page.wait_for_timeout(300)
    shot(page, f"print-{name}")
    page.pdf(
        path=str(SCREENSHOTS / f"print-{name}.pdf"),
        format="A4",
        landscape=landscape,
        print_background=False,
        prefer_css_page_size=True,
    )


def test_grades_veto_and_statuses_print_legibly_in_black_and_white(live_server, xx, county):
    base = live_server.url
    with time_machine.travel(NOW, tick=False), browser_page() as page:
        log_in(page, base, xx.leader.username)
        page.goto(f"{base}/assess/years/{county.pk}/rankings/")
        _print(page, "rankings")
        rankings = page.evaluate(BADGES)
        page.emulate_media(media="screen")
        page.goto(f"{base}/assess/years/{county.pk}/progress/?unit={xx.township.pk}")
        _print(page, "progress-unit")
        statuses = page.evaluate(BADGES)

    texts = [b[0] for b in rankings]
    assert {"好", "较好", "一般", "较差"} <= set(texts)
    assert any("否决" in t for t in texts)
    for text, color, width, style in rankings + statuses:
        assert color == "rgb(0, 0, 0)", text  # black words, not colour on colour
        assert float(width.removesuffix("px")) >= 1 and style != "none", text  # a frame
    veto = next(b for b in rankings if "否决" in b[0])
    good = next(b for b in rankings if b[0] == "好")
    assert veto[3] != good[3] or veto[2] != good[2]  # the veto's frame differs from 好's
    assert statuses  # the unit's targets carry their status as a word


def test_the_dashboard_fits_a4_landscape_when_printed(live_server, xx, county):
    base = live_server.url
    with time_machine.travel(NOW, tick=False), browser_page() as page:
        log_in(page, base, xx.leader.username)
        page.goto(f"{base}/assess/dashboard/?year={county.pk}&month=10")
        page.wait_for_selector("#chart-completion svg")
        screen = page.evaluate("() => document.querySelector('#chart-completion svg').clientWidth")
        page.emulate_media(media="print")
        page.wait_for_timeout(300)
        printing = page.evaluate("() => document.documentElement.classList.contains('printing')")
        sizes = page.evaluate(
            """() => ({page: document.querySelector('.dash-page').getBoundingClientRect().width,
            charts: Array.from(document.querySelectorAll('.dash-chart svg')).map(svg => {
              const box = svg.parentElement.closest('.card').getBoundingClientRect();
              return [svg.getBoundingClientRect().width, box.width];
            })})"""
        )
        _print(page, "dashboard", landscape=True)
        page.emulate_media(media="screen")
        page.wait_for_timeout(300)
        back = page.evaluate("() => document.querySelector('#chart-completion svg').clientWidth")
        text = page.locator("main").inner_text()

    a4_landscape = 277 / 25.4 * 96  # the printable width in CSS pixels
    assert printing  # dashboard.js laid the page out for print and resized the charts
    assert abs(sizes["page"] - a4_landscape) < 2
    assert sizes["charts"]
    for chart, card in sizes["charts"]:
        assert chart <= card + 1  # no chart runs off its card (and so off the paper)
    assert back == screen  # and back to the screen's size afterwards
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # dates read in Chinese
