"""The county dashboard for office staff and leaders, and a unit's three-thirds profile.

Both pages render their figures into a JSON data island (``json_script``) that
``static/js/dashboard.js`` draws with ECharts; every label in it is translated here.
"""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import ASSESSED_KINDS, Role, Unit
from cadres.scope import STAFF_ROLES, ancestor_paths, role_required, units_for

from ..models import THREE_THIRDS, AssessmentYear, Category, Level
from ..selectors import years_for
from ..selectors.dashboard import Dashboard, UnitProfile, dashboard, unit_profile
from ..selectors.progress import SEVERITY, Color, default_month
from ..selectors.scoring import KIND_ORDER

PROFILE_READERS = (Role.OFFICE, Role.LEADER, Role.LIAISON)
MONTHS = range(1, 13)


def _num(value: Decimal | None, places: int = 2) -> float | None:
    return None if value is None else round(float(value), places)


def _pct(value: Decimal | None) -> float | None:
    """A 0–1 ratio as a percentage with one decimal."""
    return None if value is None else round(float(value) * 100, 1)


def _choice(request, name: str, choices) -> int | None:
    try:
        value = int(request.GET.get(name, ""))
    except ValueError:
        return None
    return value if value in choices else None


def _get_year_for_user(request, years: list[AssessmentYear]) -> AssessmentYear:
    """The year asked for by ?year= among ``years`` (404 when it is not one of them), else
    the latest (``years`` is not empty then)."""
    if "year" not in request.GET:
        return years[0]
    wanted = _choice(request, "year", [y.pk for y in years])
    if wanted is None:
        raise Http404
    return next(y for y in years if y.pk == wanted)


def _month_label(month: int) -> str:
    return _("Month %(month)d") % {"month": month}


def _unit_name(unit: Unit) -> str:
    return unit.short_name or unit.name


def _dashboard_data(dash: Dashboard) -> dict:
    """Everything the charts draw, with their translated labels."""
    kinds = [{"code": k, "label": str(Unit.Kind(k).label)} for k in KIND_ORDER]
    return {
        "year": dash.year.year,
        "month": dash.month,
        "labels": {
            "categories": [str(Category(c).label) for c in THREE_THIRDS],
            "overall": _("Three thirds together"),
            "total": _("Total score"),
            "grade": _("Proposed grade"),
            "veto": _("a veto indicator failed"),
            "worst": _("Five lowest units"),
            "inspections": _("Inspections"),
            "findings": _("Findings"),
            "issued": _("Warnings issued"),
            "open": _("Still open"),
            "overdue": _("Open past the catch-up date"),
            "green_line": _("On track from %(pct)s%%") % {"pct": f"{_pct(dash.year.green_min):g}"},
            "amber_line": _("Lagging from %(pct)s%%") % {"pct": f"{_pct(dash.year.amber_min):g}"},
            "no_data": _("No data yet."),
        },
        "thresholds": {
            "green": _pct(dash.year.green_min),
            "amber": _pct(dash.year.amber_min),
        },
        "kinds": kinds,
        "completion": [
            {
                "kind": c.kind,
                "label": c.label,
                "units": c.units,
                "values": [_num(c.completion[cat], 1) for cat in THREE_THIRDS],
                "overall": _num(
                    sum((c.average[cat] for cat in THREE_THIRDS), Decimal(0))
                    * 100
                    / sum(c.weights.values())
                    if c.weights
                    else None,
                    1,
                ),
            }
            for c in dash.completion
        ],
        "rankings": [
            {
                "kind": g.kind,
                "label": g.label,
                "title": _("%(kind)s: ranking by total score (%(count)d units)")
                % {"kind": g.label, "count": len(g.scores)},
                "units": [
                    {
                        "name": _unit_name(s.unit),
                        "total": _num(s.total),
                        "rank": s.rank,
                        "grade": s.proposed_grade,
                        "veto": s.veto_failed,
                    }
                    for s in g.scores
                ],
            }
            for g in dash.rankings
        ],
        "grades": [{"code": code, "label": str(label)} for code, label in Level.choices],
        "trend": {
            "months": [_month_label(m) for m in dash.trend.months],
            "units": [
                {
                    "id": t.unit.pk,
                    "name": _unit_name(t.unit),
                    "kind": t.unit.kind,
                    "values": [_pct(v) for v in t.values],
                }
                for t in dash.trend.units
            ],
            "kind_average": [
                {
                    "kind": kind,
                    "label": _("Average of %(kind)s") % {"kind": Unit.Kind(kind).label},
                    "values": [_pct(v) for v in values],
                }
                for kind, values in dash.trend.kind_average.items()
            ],
            "worst": [t.unit.pk for t in dash.trend.worst()],
        },
        "statuses": {
            "colors": [{"code": c, "label": str(Color(c).label)} for c in SEVERITY],
            "total": [dash.statuses.total[c] for c in SEVERITY],
            "by_kind": [
                {
                    "kind": kind,
                    "label": str(Unit.Kind(kind).label),
                    "counts": [counts[c] for c in SEVERITY],
                }
                for kind, counts in dash.statuses.by_kind.items()
            ],
        },
        "warnings": {
            "months": [_month_label(w.month) for w in dash.warnings.months],
            "issued": [w.issued for w in dash.warnings.months],
            "open": [w.open for w in dash.warnings.months],
            "overdue": [w.overdue for w in dash.warnings.months],
            "totals": {
                "issued": dash.warnings.issued,
                "open": dash.warnings.open,
                "overdue": dash.warnings.overdue,
            },
        },
        "inspections": {
            "kinds": [k.label for k in dash.inspections.kinds],
            "inspections": [k.inspections for k in dash.inspections.kinds],
            "findings": [k.findings for k in dash.inspections.kinds],
        },
    }


@role_required(*STAFF_ROLES)
def dashboard_page(request):
    """The county at a glance for a year and month: completion, rankings, trend, status,
    warnings and inspections."""
    years = list(years_for(request.user).select_related("county").order_by("-year", "county__path"))
    if not years and "year" not in request.GET:
        return render(request, "assessments/dashboard.html", {"year": None})
    year = _get_year_for_user(request, years)
    today = timezone.localdate()
    month = _choice(request, "month", MONTHS) or default_month(year, today)
    dash = dashboard(year, month=month, today=today)
    return render(
        request,
        "assessments/dashboard.html",
        {
            "year": year,
            "years": years,
            "months": MONTHS,
            "dash": dash,
            "data": _dashboard_data(dash),
        },
    )


def _get_unit_for_user(request, pk: int) -> Unit:
    """An assessed unit in the user's scope (a liaison: their own); 404 otherwise."""
    try:
        return units_for(request.user).get(pk=pk, kind__in=ASSESSED_KINDS)
    except Unit.DoesNotExist:
        raise Http404 from None


def _profile_data(profile: UnitProfile) -> dict:
    kind = str(Unit.Kind(profile.score.unit_kind if profile.score else profile.unit.kind).label)
    return {
        "labels": {
            "completion": _("Completion (%)"),
            "unit": _unit_name(profile.unit),
            "kind_average": _("Average of %(kind)s") % {"kind": kind},
            "score": _("Score"),
            "weight": _("Weight"),
        },
        "categories": [c.label for c in profile.categories],
        "weights": [c.weight for c in profile.categories],
        "unit": [_num(c.completion, 1) for c in profile.categories],
        "unit_scores": [_num(c.score) for c in profile.categories],
        "kind_average": [_num(c.kind_completion, 1) for c in profile.categories],
        "kind_scores": [_num(c.kind_average) for c in profile.categories],
    }


@role_required(*PROFILE_READERS)
def unit_profile_page(request, pk):
    """A unit's three-thirds scores against the average of its kind."""
    unit = _get_unit_for_user(request, pk)
    years = list(
        years_for(request.user)
        .filter(county__path__in=ancestor_paths(unit.path))
        .select_related("county")
        .order_by("-year")
    )
    if not years and "year" not in request.GET:
        return render(request, "assessments/unit_profile.html", {"unit": unit, "year": None})
    year = _get_year_for_user(request, years)
    profile = unit_profile(unit, year)
    return render(
        request,
        "assessments/unit_profile.html",
        {
            "unit": unit,
            "year": year,
            "years": years,
            "profile": profile,
            "data": _profile_data(profile),
        },
    )


urlpatterns = [
    path("dashboard/", dashboard_page, name="dashboard"),
    path("units/<int:pk>/profile/", unit_profile_page, name="unit_profile"),
]
