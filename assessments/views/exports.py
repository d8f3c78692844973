"""Excel exports of the rankings, scorecards, progress overview and annual grades.

Each export mirrors one page: the same roles and scope (404 outside it), the same selector and
filters, and the same rows, from the page's report module (``assessments.reports``).
"""

from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cadres.models import Role
from cadres.scope import STAFF_ROLES, get_for_user, role_required
from kaohe.lib.xlsx import sheets_response

from ..models import GradingPolicy, Job, UnitResult
from ..reports import progress_overview, rankings, results, scorecard
from ..selectors.scoring import rankings as select_rankings
from ..selectors.scoring import score_years_for
from ..selectors.scoring import scorecard as select_scorecard
from ..services.jobs import job_start
from .grading import _cadre_results
from .progress import _get_overview_for_user
from .scoring import score_for_user


@role_required(*STAFF_ROLES)
def rankings_xlsx(request, pk):
    """The rankings page, one sheet per unit kind."""
    year = get_for_user(request, score_years_for, pk)
    report = rankings.rankings(year, select_rankings(year))
    return sheets_response(rankings.sheets(report), filename=rankings.filename(year))


@role_required(Role.OFFICE, Role.LEADER, Role.LIAISON)
def scorecard_xlsx(request, pk, code):
    """One unit's scorecard page (a liaison: their own unit's), at the scorecard's address."""
    score = score_for_user(request, pk, code)
    card = scorecard.scorecard(score, select_scorecard(score))
    return sheets_response([scorecard.sheet(card)], filename=scorecard.filename(score))


@require_POST
@role_required(*STAFF_ROLES)
def scorecards_xlsx(request, pk):
    """Every unit's scorecard of the year, one sheet per unit, in ranking order: built by a
    job, whose page offers the workbook to download."""
    year = get_for_user(request, score_years_for, pk)
    back = reverse("assessments:rankings", args=[year.pk])
    job = job_start(Job.Kind.SCORECARDS_EXPORT, request.user, year=year.pk, back=back)
    return redirect("assessments:job_detail", pk=job.pk)


@role_required(*STAFF_ROLES)
def progress_overview_xlsx(request, pk):
    """The progress overview page with the same month, filters and order; with ?unit= that
    unit's targets."""
    year = get_for_user(request, score_years_for, pk)
    overview, filters, unit = _get_overview_for_user(request, year, today=timezone.localdate())
    sheets = progress_overview.sheets(year, overview, filters, unit)
    return sheets_response(sheets, filename=progress_overview.filename(year, filters, unit))


@role_required(*STAFF_ROLES)
def results_xlsx(request, pk):
    """The annual grades page: every cadre (all pages, same filters), then the unit grades."""
    year = get_for_user(request, score_years_for, pk)
    policy = GradingPolicy.objects.filter(year=year).first()
    rows, _grade = _cadre_results(request, year)
    units = list(UnitResult.objects.filter(year=year).select_related("unit", "review"))
    sheets = results.sheets(year, policy, rows, units)
    return sheets_response(sheets, filename=results.filename(year), stream=True)


urlpatterns = [
    path("years/<int:pk>/rankings.xlsx", rankings_xlsx, name="rankings_xlsx"),
    path("years/<int:pk>/scorecards.xlsx", scorecards_xlsx, name="scorecards_xlsx"),
    path(
        "years/<int:pk>/scorecards/<path:code>/scorecard.xlsx",
        scorecard_xlsx,
        name="scorecard_xlsx",
    ),
    path("years/<int:pk>/progress.xlsx", progress_overview_xlsx, name="progress_overview_xlsx"),
    path("years/<int:pk>/results.xlsx", results_xlsx, name="results_xlsx"),
]
