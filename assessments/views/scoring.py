"""Scores: rankings within unit kind, each unit's explainable scorecard, and the inputs the
office enters for them (mid-term review, bonus awards, responsibility letters)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.models import Role, Unit
from cadres.scope import STAFF_ROLES, can_write, get_for_user, role_required
from kaohe.lib.forms import apply_errors
from kaohe.lib.xlsx import xlsx_response

from .. import services
from ..forms.scoring import BonusAwardForm, LetterForm, MidtermSheetForm
from ..imports.midterm import midterm_workbook
from ..reports import rankings as rankings_report
from ..reports import scorecard as scorecard_report
from ..selectors.corrections import unit_changes
from ..selectors.scoring import (
    letters_for,
    midterm_rows,
    score_years_for,
    scorecard_at,
)
from ..selectors.scoring import rankings as select_rankings
from ..selectors.scoring import scorecard as select_scorecard


@role_required(*STAFF_ROLES)
def rankings(request, pk):
    year = get_for_user(request, score_years_for, pk)
    groups = select_rankings(year)
    report = rankings_report.rankings(year, groups)
    return render(
        request,
        "assessments/rankings.html",
        {"year": year, "groups": groups, "report": report},
    )


@require_POST
@role_required(Role.OFFICE, write=True)
def scores_recompute(request, pk):
    year = get_for_user(request, score_years_for, pk, write=True)
    try:
        count = len(services.scores_compute(year=year))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Scores recomputed for %(count)s units.") % {"count": count})
    return redirect("assessments:rankings", pk=year.pk)


def score_for_user(request, pk: int, code: str):
    """The score at a scorecard's address (year, unit code): 404 outside the user's scope."""
    score = scorecard_at(request.user, pk, code)
    if score is None:
        raise Http404
    return score


@role_required(Role.OFFICE, Role.LEADER, Role.LIAISON)
def scorecard(request, pk, code):
    """A unit's scorecard at its stable address: the year and the unit's code."""
    score = score_for_user(request, pk, code)
    categories = select_scorecard(score)
    card = scorecard_report.scorecard(score, categories)
    context = {"score": score, "year": score.year, "categories": categories, "card": card}
    context["changes"] = unit_changes(score.year, score.unit)
    return render(request, "assessments/scorecard.html", context)


@role_required(*STAFF_ROLES)
def midterm(request, pk):
    """Mid-term review (联述联评联考) scores of every unit that has a mid-term indicator: one
    form, one save; any row with a problem and nothing is saved."""
    year = get_for_user(request, score_years_for, pk)
    sheet = MidtermSheetForm(request.POST or None, rows=midterm_rows(year))
    if request.method == "POST":
        if not can_write(request.user):
            raise PermissionDenied
        if sheet.is_valid():
            data = sheet.cleaned_data
            try:
                count = services.midterms_set(
                    year=year, rows=sheet.rows(), why=data["why"], by=request.user
                )
            except ValidationError as error:
                sheet.apply_row_errors(error)
            else:
                messages.success(
                    request, _("%(count)s mid-term review scores saved.") % {"count": count}
                )
                return redirect("assessments:midterm", pk=year.pk)
        messages.error(request, _("Nothing was saved: correct the rows marked below."))
    context = {"year": year, "sheet": sheet, "published": services.results_published(year)}
    return render(request, "assessments/midterm.html", context)


@role_required(Role.OFFICE, write=True)
def midterm_xlsx(request, pk):
    """The mid-term import file, filled in with the units and their scores so far."""
    year = get_for_user(request, score_years_for, pk, write=True)
    return xlsx_response(
        midterm_workbook(year, request.user), filename=f"{year.year}年中期考核.xlsx"
    )


@role_required(*STAFF_ROLES)
def bonus_list(request, pk):
    year = get_for_user(request, score_years_for, pk)
    form = BonusAwardForm(request.POST or None, year=year)
    if request.method == "POST":
        if not can_write(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.bonus_award(year=year, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Bonus recorded."))
                return redirect("assessments:bonus_list", pk=year.pk)
    awards = year.bonus_awards.select_related("unit", "indicator", "recorded_by").order_by(
        "-awarded_on", "unit__path"
    )
    return render(
        request, "assessments/bonus_list.html", {"year": year, "awards": awards, "form": form}
    )


@role_required(*STAFF_ROLES)
def letter_list(request, pk):
    year = get_for_user(request, score_years_for, pk)
    letters = (
        year.letters.select_related("issuer", "unit")
        .annotate(target_count=Count("targets"))
        .order_by("unit__path")
    )
    without = (
        Unit.objects.filter(path__startswith=year.county.path, targets__year=year)
        .filter(Q(kind=Unit.Kind.TOWNSHIP) | Q(kind=Unit.Kind.COMMITTEE))
        .exclude(letters__year=year)
        .distinct()
        .count()
    )
    return render(
        request,
        "assessments/letter_list.html",
        {"year": year, "letters": letters, "without": without},
    )


@role_required(Role.OFFICE, write=True)
def letter_create(request, pk):
    year = get_for_user(request, score_years_for, pk, write=True)
    form = LetterForm(request.POST or None, request.FILES or None, year=year)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = data["unit"]
        targets = year.targets.filter(unit=unit, indicator__category="party")
        try:
            services.letter_create(year=year, targets=targets, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Responsibility letter recorded."))
            return redirect("assessments:letter_list", pk=year.pk)
    return render(request, "assessments/letter_form.html", {"year": year, "form": form})


@role_required(Role.OFFICE, Role.LEADER, Role.LIAISON)
def letter_file(request, pk):
    letter = get_for_user(request, letters_for, pk)
    if not letter.file:
        raise Http404
    return FileResponse(letter.file.open("rb"), as_attachment=True, filename=f"{letter.title}.pdf")


urlpatterns = [
    path("years/<int:pk>/rankings/", rankings, name="rankings"),
    path("years/<int:pk>/scores/recompute/", scores_recompute, name="scores_recompute"),
    path("years/<int:pk>/scorecards/<path:code>/", scorecard, name="scorecard"),
    path("years/<int:pk>/midterm/", midterm, name="midterm"),
    path("years/<int:pk>/midterm/xlsx/", midterm_xlsx, name="midterm_xlsx"),
    path("years/<int:pk>/bonus/", bonus_list, name="bonus_list"),
    path("years/<int:pk>/letters/", letter_list, name="letter_list"),
    path("years/<int:pk>/letters/new/", letter_create, name="letter_create"),
    path("letters/<int:pk>/file/", letter_file, name="letter_file"),
]
