"""Reads for the target pages."""

from __future__ import annotations

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When

from cadres.models import Role, Unit
from cadres.scope import account_of, lead_department_of, units_for

from ..models import AssessmentYear, Category, Indicator, ProgressReport, Target
from .catalog import years_for


def targets_for(user) -> QuerySet[Target]:
    """Targets the user may see: in a visible year; a liaison only their unit's; a lead
    department's scorer those on the indicators its department leads (every year)."""
    department = lead_department_of(user)
    if department is not None:
        return Target.objects.filter(indicator__lead_department=department)
    account = account_of(user)
    targets = Target.objects.filter(year__in=years_for(user))
    if account is not None and account.role == Role.LIAISON:
        targets = targets.filter(unit__in=units_for(user))
    return targets


def target_list(
    year: AssessmentYear,
    *,
    kind: str = "",
    category: str = "",
    unit: int | None = None,
    indicator: int | None = None,
    q: str = "",
) -> QuerySet[Target]:
    targets = (
        year.targets.select_related("indicator", "unit", "lead_department", "decision")
        .annotate(report_count=Count("reports"))
        .order_by("unit__path", "indicator__sort_order", "indicator__code")
    )
    if kind:
        targets = targets.filter(unit__kind=kind)
    if category:
        targets = targets.filter(indicator__category=category)
    if unit:
        targets = targets.filter(unit_id=unit)
    if indicator:
        targets = targets.filter(indicator_id=indicator)
    if q:
        targets = targets.filter(Q(unit__name__icontains=q) | Q(indicator__name__icontains=q))
    return targets


def target_detail(user) -> QuerySet[Target]:
    """The targets the user may open, with what their page shows."""
    return (
        targets_for(user)
        .select_related(
            "year",
            "year__county",
            "indicator",
            "indicator__parent",
            "unit",
            "lead_department",
            "decision",
            "decision__decided_by",
        )
        .prefetch_related(
            "milestones",
            "letters",
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.select_related("submitted_by", "reviewed_by")
                .annotate(evidence_count=Count("evidence"))
                .order_by("month"),
            ),
        )
    )


GRID_KIND_ORDER = (Unit.Kind.TOWNSHIP, Unit.Kind.DEPARTMENT, Unit.Kind.COMMITTEE)


def grid_indicators(year: AssessmentYear) -> QuerySet[Indicator]:
    """Indicators a target may be assigned on: the year's leaf, non-bonus indicators."""
    return (
        year.indicators.filter(children__isnull=True)
        .exclude(category=Category.BONUS)
        .order_by("sort_order", "code")
    )


def grid_rows(indicator: Indicator) -> list[tuple[Unit, Target | None]]:
    """The assignment grid of an indicator: every active unit of the county of a kind it
    applies to (townships, departments, committees, each in tree order), with its target so
    far."""
    county = indicator.year.county
    order = Case(
        *(When(kind=k, then=Value(i)) for i, k in enumerate(GRID_KIND_ORDER)),
        default=Value(len(GRID_KIND_ORDER)),
    )
    units = (
        Unit.objects.filter(
            kind__in=indicator.unit_kinds,
            path__startswith=county.path,
            dissolved_on__isnull=True,
        )
        .annotate(kind_order=order)
        .order_by("kind_order", "path")
    )
    targets = {t.unit_id: t for t in Target.objects.filter(indicator=indicator)}
    return [(unit, targets.get(unit.pk)) for unit in units]
