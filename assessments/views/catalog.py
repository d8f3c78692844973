"""Assessment years and the indicator catalog."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.models import Role, Unit
from cadres.scope import STAFF_ROLES, get_for_user, role_required, units_for
from kaohe.lib.forms import apply_errors

from .. import selectors, services
from ..forms.catalog import CopyCatalogForm, IndicatorForm, YearForm, YearStatusForm, weights_forms
from ..models import AssessmentYear, Indicator

YEAR_READERS = (Role.OFFICE, Role.LEADER, Role.LIAISON)


def _get_year_for_user(request, pk, *, write: bool = False) -> AssessmentYear:
    """The year ``pk`` through ``get_for_user``: a thin alias kept for the views that still
    import it (exports, scoring); new code calls ``get_for_user(request, year_detail, pk)``."""
    return get_for_user(request, selectors.year_detail, pk, write=write)


@role_required(*STAFF_ROLES)
def overview(request):
    years = list(selectors.year_list(request.user)[:6])
    return render(
        request,
        "assessments/overview.html",
        {"counts": selectors.overview_counts(request.user), "years": years},
    )


@role_required(*STAFF_ROLES)
def year_list(request):
    """The years in scope, a page at a time (a province has hundreds)."""
    page = Paginator(selectors.year_list(request.user), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "assessments/year_list.html", {"years": page, "page": page})


def _counties_for(user):
    return units_for(user).filter(kind__in=[Unit.Kind.COUNTY, Unit.Kind.CITY])


@role_required(Role.OFFICE, write=True)
def year_create(request):
    form = YearForm(request.POST or None, counties=_counties_for(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            year = services.year_create(county=data.pop("county"), year=data.pop("year"), **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Assessment year %(year)s created.") % {"year": year.year})
            return redirect("assessments:catalog", pk=year.pk)
    return render(request, "assessments/year_form.html", {"form": form})


@role_required(Role.OFFICE, write=True)
def year_edit(request, pk):
    year = get_for_user(request, selectors.year_detail, pk, write=True)
    form = YearForm(request.POST or None, instance=year)
    if request.method == "POST" and form.is_valid():
        try:
            services.year_update(year=AssessmentYear.objects.get(pk=year.pk), **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Year settings saved."))
            return redirect("assessments:catalog", pk=year.pk)
    return render(request, "assessments/year_form.html", {"form": form, "year": year})


@require_POST
@role_required(Role.OFFICE, write=True)
def year_status(request, pk):
    year = get_for_user(request, selectors.year_detail, pk, write=True)
    form = YearStatusForm(request.POST)
    if form.is_valid():
        try:
            services.year_set_status(year=year, status=form.cleaned_data["status"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The year is now %(status)s.") % {"status": year.get_status_display()}
            )
    return redirect("assessments:catalog", pk=year.pk)


@role_required(Role.OFFICE, write=True)
def year_copy(request, pk):
    """Copy another year's catalog (weights and indicators) into this empty year."""
    year = get_for_user(request, selectors.year_detail, pk, write=True)
    sources = selectors.years_for(request.user).filter(county=year.county).exclude(pk=year.pk)
    form = CopyCatalogForm(request.POST or None, sources=sources)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.year_copy_catalog(source=form.cleaned_data["source"], target=year)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(count)s indicators copied.") % {"count": count})
            return redirect("assessments:catalog", pk=year.pk)
    return render(request, "assessments/year_copy.html", {"form": form, "year": year})


@role_required(*YEAR_READERS)
def catalog(request, pk):
    year = get_for_user(request, selectors.year_detail, pk)
    return render(
        request,
        "assessments/catalog.html",
        {
            "year": year,
            "catalog": selectors.catalog(year),
            "status_choices": services.STATUS_FLOW[year.status],
            "Status": AssessmentYear.Status,
        },
    )


@role_required(Role.OFFICE, write=True)
def weights_edit(request, pk):
    year = get_for_user(request, selectors.year_detail, pk, write=True)
    rows = weights_forms(year, request.POST or None)
    if request.method == "POST" and all(form.is_valid() for _k, _l, form in rows):
        try:
            with transaction.atomic():
                for kind, _label, form in rows:
                    services.weights_set(year=year, unit_kind=kind, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Weights saved."))
            return redirect("assessments:catalog", pk=year.pk)
    return render(request, "assessments/weights_form.html", {"year": year, "rows": rows})


@role_required(Role.OFFICE, write=True)
def indicator_create(request, pk):
    year = get_for_user(request, selectors.year_detail, pk, write=True)
    initial = {"parent": request.GET.get("parent"), "category": request.GET.get("category")}
    form = IndicatorForm(request.POST or None, year=year, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_create(year=year, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Indicator added."))
            return redirect("assessments:catalog", pk=year.pk)
    return render(request, "assessments/indicator_form.html", {"form": form, "year": year})


@role_required(Role.OFFICE, write=True)
def indicator_edit(request, pk):
    indicator = get_for_user(request, selectors.indicator_detail, pk, write=True)
    year = indicator.year
    form = IndicatorForm(request.POST or None, instance=indicator, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(
                indicator=Indicator.objects.get(pk=indicator.pk), **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Indicator saved."))
            return redirect("assessments:catalog", pk=year.pk)
    return render(
        request,
        "assessments/indicator_form.html",
        {"form": form, "year": year, "indicator": indicator},
    )


@require_POST
@role_required(Role.OFFICE, write=True)
def indicator_delete(request, pk):
    indicator = get_for_user(request, selectors.indicator_detail, pk, write=True)
    try:
        services.indicator_delete(indicator=indicator)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Indicator %(code)s deleted.") % {"code": indicator.code})
    return redirect("assessments:catalog", pk=indicator.year_id)


urlpatterns = [
    path("", overview, name="overview"),
    path("years/", year_list, name="year_list"),
    path("years/new/", year_create, name="year_create"),
    path("years/<int:pk>/", catalog, name="catalog"),
    path("years/<int:pk>/edit/", year_edit, name="year_edit"),
    path("years/<int:pk>/status/", year_status, name="year_status"),
    path("years/<int:pk>/copy/", year_copy, name="year_copy"),
    path("years/<int:pk>/weights/", weights_edit, name="weights_edit"),
    path("years/<int:pk>/indicators/new/", indicator_create, name="indicator_create"),
    path("indicators/<int:pk>/edit/", indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/delete/", indicator_delete, name="indicator_delete"),
]
