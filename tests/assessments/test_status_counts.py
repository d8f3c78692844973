"""Figures that add up: the bulletin, the dashboard and the progress overview count targets by
the same five statuses (green, amber, red, due, unreported), every target in exactly one, on the
page, in Excel and in the bulletin's text and email; and they open on the same month."""

import datetime as dt
import re
from decimal import Decimal as D
from io import BytesIO
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from assessments.selectors.dashboard import dashboard
from assessments.selectors.progress import COUNTED, Color, status_counts, target_statuses
from assessments.services import bulletins
from assessments.services.progress import progress_approve, progress_submit
from assessments.services.targets import target_assign
from cadres.services import unit_update
from tests.assessments.test_dashboard import island
from tests.factories import IndicatorFactory, WeightsFactory, YearFactory

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))
FIVE = {"green", "amber", "red", "due", "missing"}


@pytest.fixture
def year(xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    for kind in ("township", "department", "committee"):
        WeightsFactory(year=year, unit_kind=kind)
    unit_update(unit=xx.township, head_email="head@example.gov.cn")
    return year


def _target(xx, year, code, unit, *, actual=None, method="ratio", month=9):
    ind = IndicatorFactory(
        year=year, code=code, category="industry", method=method, unit_kinds=[unit.kind]
    )
    value = D(1200) if method == "ratio" else None
    target = target_assign(indicator=ind, unit=unit, target_value=value, measure="亩")
    if actual is not None:
        report = progress_submit(
            target=target,
            month=month,
            actual_value=D(actual) if method == "ratio" else None,
            narrative="进展",
            by=xx.liaison if unit == xx.township else xx.office,
            now=dt.datetime(2015, month, 20, 9, tzinfo=SH),
        )
        progress_approve(report=report, by=xx.office)
    return target


@pytest.fixture
def targets(xx, year):
    """At the end of September (plan 900 of 1,200): green, amber, red, a reported target without
    a numeric plan (on track), and two unreported ones (missing after the 25th, due before)."""
    _target(xx, year, "G", xx.township, actual="900")
    _target(xx, year, "A", xx.township, actual="800")
    _target(xx, year, "R", xx.department, actual="100")
    _target(xx, year, "L", xx.department, actual="", method="levels")
    _target(xx, year, "M1", xx.township)
    _target(xx, year, "M2", xx.committee)
    return year.targets.count()


@pytest.mark.parametrize(
    ("today", "unreported"), [(dt.date(2015, 9, 24), "due"), (dt.date(2015, 10, 2), "missing")]
)
def test_every_target_is_in_exactly_one_of_the_five(year, targets, today, unreported):
    statuses = target_statuses(list(year.targets.all()), year=year, month=9, today=today)
    counts = status_counts(statuses.values())
    assert set(counts) == FIVE == set(COUNTED)
    assert sum(counts.values()) == targets == 6
    assert counts[unreported] == 2
    assert counts["green"] == 2  # the reported levels target counts as on track
    assert (counts["amber"], counts["red"]) == (1, 1)


def _bulletin_figures(text: str) -> tuple[int, list[int]]:
    total = re.search(r"assessed on (\d+) targets", text)
    five = re.search(
        r"On track: (\d+); lagging: (\d+); seriously lagging: (\d+); "
        r"due, not yet reported: (\d+); reports missing: (\d+)",
        text,
    )
    assert total and five, text
    return int(total.group(1)), [int(n) for n in five.groups()]


@time_machine.travel(dt.datetime(2015, 10, 2, 9, tzinfo=SH), tick=False)
def test_the_bulletin_counts_add_up_in_its_data_page_text_and_email(
    client, xx, year, targets, django_capture_on_commit_callbacks
):
    bulletin = bulletins.bulletin_build(year=year, month=9, today=dt.date(2015, 9, 30))
    colors = bulletin.content["summary"]["colors"]
    assert set(colors) == FIVE
    assert sum(colors.values()) == bulletin.content["summary"]["targets"] == targets
    for group in bulletin.content["kinds"]:
        for unit in group["units"]:
            assert set(unit["colors"]) <= FIVE
    client.force_login(xx.office)
    with translation.override("en"):
        page = client.get(reverse("assessments:bulletin_detail", args=[bulletin.pk]))
        total, five = _bulletin_figures(re.sub(r"\s+", " ", page.content.decode()))
        assert sum(five) == total == targets
        with (
            mock.patch.object(bulletins, "render_bulletin_pdf", return_value=None),
            django_capture_on_commit_callbacks(execute=True),
        ):
            bulletins.bulletin_publish(bulletin=bulletin, today=dt.date(2015, 9, 30))
    assert mail.outbox
    for email in mail.outbox:
        total, five = _bulletin_figures(re.sub(r"\s+", " ", email.body))
        assert sum(five) == total == targets


@time_machine.travel(dt.datetime(2015, 10, 2, 9, tzinfo=SH), tick=False)
def test_the_dashboard_counts_add_up_on_the_page(client, xx, year, targets):
    dash = dashboard(year, month=9, today=dt.date(2015, 10, 2))
    assert sum(dash.statuses.total.values()) == dash.statuses.targets == targets
    for counts in dash.statuses.by_kind.values():
        assert set(counts) == FIVE
    client.force_login(xx.leader)
    response = client.get(reverse("assessments:dashboard") + "?month=9")
    data = island(response)["statuses"]
    assert [c["code"] for c in data["colors"]] == list(COUNTED)
    assert sum(data["total"]) == targets
    assert sum(sum(k["counts"]) for k in data["by_kind"]) == targets


@time_machine.travel(dt.datetime(2015, 10, 2, 9, tzinfo=SH), tick=False)
def test_the_progress_overview_counts_add_up_on_the_page_and_in_excel(client, xx, year, targets):
    client.force_login(xx.office)
    response = client.get(reverse("assessments:progress_overview", args=[year.pk]) + "?month=9")
    overview = response.context["overview"]
    assert set(overview.summary) == FIVE
    assert sum(overview.summary.values()) == overview.total == targets
    for row in overview.units:
        assert sum(row.counts.values()) == row.total
    xlsx = client.get(reverse("assessments:progress_overview_xlsx", args=[year.pk]) + "?month=9")
    ws = load_workbook(BytesIO(xlsx.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    for values in rows:
        if values[2] is not None and values[0]:
            assert sum(values[3:8]) == values[2], values
    assert rows[-1][2] == targets


@pytest.mark.parametrize(
    ("today", "month"),
    [
        (dt.date(2015, 10, 2), 9),  # before October's deadline: September
        (dt.date(2015, 10, 27), 10),  # after it: October
        (dt.date(2016, 3, 1), 9),  # a past year: its last reported month
    ],
)
def test_the_dashboard_the_progress_overview_and_the_bulletins_open_on_the_same_month(
    client, xx, year, targets, today, month
):
    client.force_login(xx.office)
    with time_machine.travel(dt.datetime.combine(today, dt.time(9), tzinfo=SH), tick=False):
        dash = client.get(reverse("assessments:dashboard"))
        overview = client.get(reverse("assessments:progress_overview", args=[year.pk]))
        listing = client.get(reverse("assessments:bulletin_list", args=[year.pk]))
    assert dash.context["dash"].statuses.month == month
    assert overview.context["overview"].month == month
    assert listing.context["default_month"] == month


def test_the_counted_statuses_are_the_colours_less_the_reported_state():
    assert set(COUNTED) == set(Color.values) - {Color.REPORTED}
