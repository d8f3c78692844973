"""The four checks (四查): the inspection log, inspections with their findings, and
rectification items tracked to closure."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.models import Role
from cadres.scope import STAFF_ROLES, cadres_for, can_write, get_for_user, role_required
from kaohe.lib.forms import apply_errors

from .. import services
from ..forms.inspections import (
    FindingForm,
    InspectionFilterForm,
    InspectionForm,
    RectificationCloseForm,
    RectificationFilterForm,
)
from ..models import Inspection, Rectification
from ..selectors import inspections as selectors
from ..selectors.catalog import year_detail

RECTIFICATION_READERS = (Role.OFFICE, Role.LEADER, Role.LIAISON)


def _filters(form) -> dict:
    """The filled-in filters of a valid filter form (an invalid one filters nothing)."""
    if not form.is_valid():
        return {}
    return {key: value for key, value in form.cleaned_data.items() if value}


def _page(request, queryset):
    page = Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


@role_required(*STAFF_ROLES)
def inspection_list(request, pk):
    year = get_for_user(request, year_detail, pk)
    today = timezone.localdate()
    form = InspectionFilterForm(request.GET or None, units=selectors.units_checked(year))
    page, query = _page(request, selectors.inspection_list(year, **_filters(form)))
    counts = selectors.inspection_counts(year, items=year.rectifications.all(), today=today)
    return render(
        request,
        "assessments/inspections/inspection_list.html",
        {"year": year, "form": form, "page": page, "query": query, "counts": counts},
    )


@role_required(Role.OFFICE, write=True)
def inspection_create(request, pk):
    year = get_for_user(request, year_detail, pk, write=True)
    today = timezone.localdate()
    cadres = cadres_for(request.user).filter(
        unit__path__startswith=year.county.path, is_active=True
    )
    form = InspectionForm(
        request.POST or None,
        units=selectors.assessable_units(request.user, year),
        cadres=cadres,
        initial={
            "kind": request.GET.get("kind"),
            "held_on": today if today.year == year.year else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_create(year=year, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Inspection “%(title)s” recorded.") % {"title": inspection.title}
            )
            return redirect("assessments:inspection_detail", pk=inspection.pk)
    return render(
        request, "assessments/inspections/inspection_form.html", {"year": year, "form": form}
    )


def _finding_form(inspection: Inspection, data=None) -> FindingForm:
    return FindingForm(
        data, inspection=inspection, indicators=selectors.finding_indicators(inspection.year)
    )


def _render_detail(request, inspection: Inspection, form: FindingForm | None):
    findings = list(inspection.findings.all())
    return render(
        request,
        "assessments/inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "year": inspection.year,
            "findings": findings,
            "points_total": sum((f.points for f in findings), 0),
            "form": form,
            "today": timezone.localdate(),
        },
    )


@role_required(*STAFF_ROLES)
def inspection_detail(request, pk):
    inspection = get_for_user(request, selectors.inspection_detail, pk)
    form = _finding_form(inspection) if can_write(request.user) else None
    return _render_detail(request, inspection, form)


@require_POST
@role_required(Role.OFFICE, write=True)
def finding_add(request, pk):
    """Add a finding from the detail page; errors re-render that page, nothing saved."""
    inspection = get_for_user(request, selectors.inspection_detail, pk, write=True)
    form = _finding_form(inspection, request.POST)
    if form.is_valid():
        try:
            services.finding_add(inspection=inspection, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Finding recorded."))
            url = reverse("assessments:inspection_detail", args=[inspection.pk])
            return redirect(f"{url}#findings")
    return _render_detail(request, inspection, form)


@role_required(*RECTIFICATION_READERS)
def rectification_list(request, pk):
    """The year's rectification items; a liaison sees only their own unit's."""
    year = get_for_user(request, year_detail, pk)
    today = timezone.localdate()
    items = selectors.rectifications_for(request.user).filter(year=year)
    form = RectificationFilterForm(request.GET or None, units=selectors.rectification_units(items))
    page, query = _page(request, selectors.rectification_list(items, today=today, **_filters(form)))
    return render(
        request,
        "assessments/inspections/rectification_list.html",
        {
            "year": year,
            "form": form,
            "page": page,
            "query": query,
            "counts": selectors.rectification_counts(items, today=today),
            "today": today,
        },
    )


@role_required(Role.OFFICE, write=True)
def rectification_close(request, pk):
    item = get_for_user(request, selectors.rectification_detail, pk, write=True)
    is_open = item.status == Rectification.Status.OPEN
    form = RectificationCloseForm(request.POST or None) if is_open else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.rectification_close(
                item=item,
                closed_on=form.cleaned_data["closed_on"],
                note=form.cleaned_data["closing_note"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Rectification item closed."))
            return redirect("assessments:rectification_list", pk=item.year_id)
    return render(
        request,
        "assessments/inspections/rectification_close.html",
        {"item": item, "year": item.year, "form": form, "today": timezone.localdate()},
    )


urlpatterns = [
    path("years/<int:pk>/inspections/", inspection_list, name="inspection_list"),
    path("years/<int:pk>/inspections/new/", inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/findings/new/", finding_add, name="finding_add"),
    path("years/<int:pk>/rectifications/", rectification_list, name="rectification_list"),
    path("rectifications/<int:pk>/close/", rectification_close, name="rectification_close"),
]
