"""Reads for the target pages."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from cadres.models import Role
from cadres.scope import account_of, lead_department_of, units_for

from ..models import AssessmentYear, ProgressReport, Target
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
