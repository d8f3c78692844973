"""The county dashboard for office staff and leaders, and a unit's three-thirds profile.

Both pages render their figures into a JSON data island (``json_script``) that
``static/js/dashboard.js`` draws with ECharts; the selector builds it (``chart_data``).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from cadres.models import Role
from cadres.scope import STAFF_ROLES, ancestor_paths, get_for_user, role_of, role_required
from kaohe.lib.cache import year_cached
from kaohe.lib.forms import is_id

from ..models import AssessmentYear
from ..selectors import years_for
from ..selectors.catalog import county_years_of, default_year_pk, pick_default_year
from ..selectors.dashboard import (
    chart_data,
    dashboard,
    profile_chart_data,
    profile_units_for,
    unit_profile,
)
from ..selectors.progress import default_month

PROFILE_READERS = (Role.OFFICE, Role.LEADER, Role.LIAISON)
MONTHS = range(1, 13)


def _choice(request, name: str, choices) -> int | None:
    try:
        value = int(request.GET.get(name, ""))
    except ValueError:
        return None
    return value if value in choices else None


def _chosen_year(request, years: list[AssessmentYear]) -> AssessmentYear:
    """The year asked for by ?year= among ``years`` (404 when it is not one of them), else
    the year the user works in (``pick_default_year``; ``years`` is not empty then)."""
    if "year" not in request.GET:
        year = pick_default_year(years, role=role_of(request.user), today=timezone.localdate())
        return year or years[0]
    wanted = _choice(request, "year", [y.pk for y in years])
    if wanted is None:
        raise Http404
    return next(y for y in years if y.pk == wanted)


def _dashboard_year(request) -> tuple[AssessmentYear | None, list[AssessmentYear]]:
    """The year asked for by ?year= (404 unless it is one of the user's), else the year the
    user works in (None without any), and the years of its county for the switcher: never
    every year in scope (a province has hundreds). One query, two without ?year=."""
    wanted = request.GET.get("year")
    if wanted is None:
        wanted = default_year_pk(request.user, today=timezone.localdate())
        if wanted is None:
            return None, []
    elif not is_id(wanted):
        raise Http404
    years = county_years_of(request.user, int(wanted))
    year = next((y for y in years if y.pk == int(wanted)), None)
    if year is None:
        raise Http404
    return year, years


@role_required(*STAFF_ROLES)
def dashboard_page(request):
    """The county at a glance for a year and month: completion, rankings, trend, status,
    warnings and inspections."""
    year, years = _dashboard_year(request)
    if year is None:
        return render(request, "assessments/dashboard.html", {"year": None})
    today = timezone.localdate()
    month = _choice(request, "month", MONTHS) or default_month(year, today)
    dash = year_cached(  # per year, month and day, until the year's inputs change
        year.pk, ("dashboard", month, today), lambda: dashboard(year, month=month, today=today)
    )
    return render(
        request,
        "assessments/dashboard.html",
        {
            "year": year,
            "years": years,
            "months": MONTHS,
            "dash": dash,
            "data": chart_data(dash),
        },
    )


@role_required(*PROFILE_READERS)
def unit_profile_page(request, pk):
    """A unit's three-thirds scores against the average of its kind."""
    unit = get_for_user(request, profile_units_for, pk)
    years = list(
        years_for(request.user)
        .filter(county__path__in=ancestor_paths(unit.path))
        .select_related("county", "grading")
        .order_by("-year")
    )
    if not years and "year" not in request.GET:
        return render(request, "assessments/unit_profile.html", {"unit": unit, "year": None})
    year = _chosen_year(request, years)
    profile = unit_profile(unit, year)
    return render(
        request,
        "assessments/unit_profile.html",
        {
            "unit": unit,
            "year": year,
            "years": years,
            "profile": profile,
            "data": profile_chart_data(profile),
        },
    )


urlpatterns = [
    path("dashboard/", dashboard_page, name="dashboard"),
    path("units/<int:pk>/profile/", unit_profile_page, name="unit_profile"),
]
