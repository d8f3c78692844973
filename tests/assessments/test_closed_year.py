"""Closed means closed: once a year is closed (or published) no service changes it, whatever
page the call comes from, including a stale page that still shows the buttons; a test per
service. The refusal is a clear message and nothing changes (no recompute either)."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import services
from assessments.models import (
    AssessmentYear,
    Inspection,
    Milestone,
    ProgressReport,
    RecomputeRequest,
    UnitScore,
)
from assessments.services import inspections, scoring
from tests.factories import IndicatorFactory, WeightsFactory, YearFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2015, 10, 20, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def world(xx):
    """An in-progress year with a ratio target (one report submitted, one month to report), a
    levels target, a bonus indicator and an inspection; scores computed; then the year closed."""
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    from cadres.models import ASSESSED_KINDS

    for kind in ASSESSED_KINDS:
        WeightsFactory(year=year, unit_kind=kind)
    ratio = IndicatorFactory(year=year, code="R", method="ratio", unit_kinds=["township"])
    levels = IndicatorFactory(year=year, code="L", method="levels", unit_kinds=["township"])
    bonus = IndicatorFactory(
        year=year, code="B", category="bonus", method="bonus", unit_kinds=["township"]
    )
    target = services.target_assign(indicator=ratio, unit=xx.township, target_value=D(100))
    graded = services.target_assign(indicator=levels, unit=xx.township)
    report = services.progress_submit(
        target=target, month=9, actual_value=D(50), narrative="进展", by=xx.liaison, now=NOW
    )
    inspection = inspections.inspection_create(
        year=year,
        kind=Inspection.Kind.SPOT,
        title="督查",
        held_on=dt.date(2015, 9, 1),
        inspectors="督查组",
        units=[xx.township],
        by=xx.office,
    )
    scoring.scores_compute(year=year)
    services.year_set_status(year=year, status=AssessmentYear.Status.CLOSED)
    RecomputeRequest.objects.all().delete()
    return {
        "xx": xx,
        "year": year,
        "target": target,
        "graded": graded,
        "report": report,
        "ratio": ratio,
        "bonus": bonus,
        "inspection": inspection,
        "scores": list(UnitScore.objects.values_list("pk", "total")),
    }


def _calls(w):
    xx, year, target = w["xx"], w["year"], w["target"]
    return {
        "progress_submit": lambda: services.progress_submit(
            target=target, month=10, actual_value=D(60), narrative="进展", by=xx.liaison, now=NOW
        ),
        "progress_approve": lambda: services.progress_approve(report=w["report"], by=xx.office),
        "progress_return": lambda: services.progress_return(
            report=w["report"], by=xx.office, reason="请补充"
        ),
        "scores_compute": lambda: scoring.scores_compute(year=year),
        "target_assign": lambda: services.target_assign(
            indicator=w["ratio"], unit=xx.department, target_value=D(5)
        ),
        "targets_assign_bulk": lambda: services.targets_assign_bulk(
            indicator=w["ratio"], unit_kind="township", target_value=D(5)
        ),
        "target_update": lambda: services.target_update(target=target, target_value=D(7)),
        "milestones_set": lambda: services.milestones_set(target=target, planned={6: D(50)}),
        "decision_set": lambda: services.decision_set(
            target=w["graded"], level="good", reason="好", by=xx.office
        ),
        "midterm_set": lambda: services.midterm_set(
            year=year, unit=xx.township, score=D(90), reviewed_on=dt.date(2015, 7, 1)
        ),
        "bonus_award": lambda: services.bonus_award(
            year=year,
            unit=xx.township,
            indicator=w["bonus"],
            points=D(1),
            reason="奖",
            awarded_on=dt.date(2015, 9, 1),
            by=xx.office,
        ),
        "letter_create": lambda: services.letter_create(
            year=year,
            title="责任书",
            issuer=xx.county,
            issuer_signatory="甲",
            unit=xx.township,
            unit_signatory="乙",
            signed_on=dt.date(2015, 2, 1),
        ),
        "inspection_create": lambda: inspections.inspection_create(
            year=year,
            kind=Inspection.Kind.SPOT,
            title="再督查",
            held_on=dt.date(2015, 9, 2),
            inspectors="督查组",
            units=[xx.township],
            by=xx.office,
        ),
        "finding_add": lambda: inspections.finding_add(
            inspection=w["inspection"], unit=xx.township, description="问题"
        ),
    }


SERVICES = [
    "progress_submit",
    "progress_approve",
    "progress_return",
    "scores_compute",
    "target_assign",
    "targets_assign_bulk",
    "target_update",
    "milestones_set",
    "decision_set",
    "midterm_set",
    "bonus_award",
    "letter_create",
    "inspection_create",
    "finding_add",
]


def _state(year):
    return {
        "reports": list(ProgressReport.objects.values_list("pk", "status", "revision")),
        "targets": list(year.targets.values_list("pk", "target_value")),
        "milestones": sorted(
            Milestone.objects.filter(target__year=year).values_list("month", flat=True)
        ),
        "inspections": Inspection.objects.count(),
        "scores": list(UnitScore.objects.values_list("pk", "total")),
        "requests": RecomputeRequest.objects.count(),
    }


@pytest.mark.parametrize("name", SERVICES)
@pytest.mark.parametrize("status", ["closed", "published"])
def test_no_service_changes_a_closed_or_published_year(world, name, status):
    year = world["year"]
    if status == "published":
        services.year_set_status(year=year, status=AssessmentYear.Status.PUBLISHED)
    before = _state(year)
    with pytest.raises(ValidationError) as refused:
        _calls(world)[name]()
    text = " ".join(refused.value.messages)
    assert "2015" in text or "closed" in text.lower() or "关闭" in text or "结束" in text, text
    assert _state(year) == before


def test_every_service_works_again_once_the_year_is_reopened(world):
    services.year_set_status(year=world["year"], status=AssessmentYear.Status.IN_PROGRESS)
    report = services.progress_approve(report=world["report"], by=world["xx"].office)
    assert report.status == ProgressReport.Status.APPROVED
    assert scoring.scores_compute(year=world["year"])


def test_a_stale_approve_page_after_the_close_is_a_message_not_a_change(client, world):
    client.force_login(world["xx"].office)
    response = client.post(
        reverse("assessments:report_approve", args=[world["report"].pk]), follow=True
    )
    assert response.status_code == 200
    assert list(response.context["messages"])
    world["report"].refresh_from_db()
    assert world["report"].status == ProgressReport.Status.SUBMITTED
    assert list(UnitScore.objects.values_list("pk", "total")) == world["scores"]


def test_the_recompute_button_of_a_closed_year_is_a_message(client, world):
    client.force_login(world["xx"].office)
    response = client.post(
        reverse("assessments:scores_recompute", args=[world["year"].pk]), follow=True
    )
    assert response.status_code == 200
    assert list(UnitScore.objects.values_list("pk", "total")) == world["scores"]


def test_a_recompute_asked_for_before_the_close_does_not_run_after_it(world):
    RecomputeRequest.objects.create(year=world["year"])
    assert scoring.scores_recompute_requested(year=world["year"]) == 0
    assert not RecomputeRequest.objects.exists()
    assert list(UnitScore.objects.values_list("pk", "total")) == world["scores"]
