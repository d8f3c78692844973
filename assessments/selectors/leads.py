"""Reads for lead assessing departments: the indicators a department leads, the units assessed
on them with their progress, and the deduction entries on those targets."""

from __future__ import annotations

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from cadres.models import Role
from cadres.scope import lead_department_of, role_of

from ..models import (
    DeductionEntry,
    Indicator,
    ProgressReport,
    ScoringSheet,
    SheetEvent,
    SheetRow,
    Target,
)
from ..services.leads import sheet_indicators
from .catalog import years_for
from .targets import targets_for


def led_indicators_for(user) -> QuerySet[Indicator]:
    """Indicators whose sheets the user may open: a lead department's scorer those its
    department leads (every year); the office every indicator of its years."""
    department = lead_department_of(user)
    if department is not None:
        return Indicator.objects.filter(lead_department=department)
    if role_of(user) == Role.OFFICE:
        return Indicator.objects.filter(year__in=years_for(user))
    return Indicator.objects.none()


def scored_targets_for(user) -> QuerySet[Target]:
    """Targets whose deduction entries the user may see and enter: the lead department's on
    the indicators it leads, the office's in its years."""
    if role_of(user) in (Role.OFFICE, Role.LEAD):
        return targets_for(user)
    return Target.objects.none()


def deductions_for(user) -> QuerySet[DeductionEntry]:
    return DeductionEntry.objects.filter(target__in=scored_targets_for(user)).select_related(
        "target__year", "target__indicator", "target__unit"
    )


def target_deductions(user) -> QuerySet[Target]:
    """The targets the user may open the deduction entries of, with what that page shows."""
    return scored_targets_for(user).select_related(
        "year", "year__county", "indicator", "indicator__lead_department", "unit"
    )


def entries_of(target: Target) -> QuerySet[DeductionEntry]:
    return (
        DeductionEntry.objects.filter(target=target)
        .select_related("entered_by", "entered_by__account__unit", "withdrawn_by")
        .order_by("occurred_on", "pk")
    )


def led_indicator_list(user) -> QuerySet[Indicator]:
    """The lead department's home: its indicators, newest year first, with their unit counts."""
    return (
        led_indicators_for(user)
        .select_related("year", "year__county")
        .annotate(unit_count=Count("targets", distinct=True))
        .order_by("-year__year", "sort_order", "code")
    )


def indicator_units(indicator: Indicator) -> QuerySet[Target]:
    """Every unit assessed on the indicator, with its latest progress, its evidence count, its
    decision and its deduction entries in force."""
    approved = Q(reports__status=ProgressReport.Status.APPROVED)
    return (
        indicator.targets.select_related("unit", "decision")
        .annotate(
            latest_month=Max("reports__month", filter=approved),
            report_count=Count("reports", distinct=True),
            evidence_count=Count("reports__evidence", distinct=True),
        )
        .prefetch_related(
            Prefetch(
                "deductions",
                queryset=DeductionEntry.objects.filter(withdrawn_at__isnull=True).order_by(
                    "occurred_on", "pk"
                ),
                to_attr="entries",
            ),
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.order_by("-month"),
                to_attr="report_list",
            ),
        )
        .order_by("unit__path")
    )


def led_indicator_detail(user) -> QuerySet[Indicator]:
    return led_indicators_for(user).select_related("year", "year__county", "lead_department")


NOT_STARTED = "not_started"


def sheet_board(year) -> list[tuple[Indicator, str]]:
    """The office's board: every led indicator of the year with its sheet's status (or "not
    started"), by lead department."""
    indicators = (
        sheet_indicators(year)
        .select_related("lead_department", "sheet")
        .annotate(unit_count=Count("targets", distinct=True))
        .order_by("lead_department__path", "sort_order", "code")
    )
    return [(i, i.sheet.status if hasattr(i, "sheet") else NOT_STARTED) for i in indicators]


def sheet_of(indicator: Indicator):
    """The indicator's sheet with its history, or None when not started."""
    return (
        ScoringSheet.objects.filter(indicator=indicator)
        .prefetch_related(
            Prefetch("events", queryset=SheetEvent.objects.select_related("by").order_by("at"))
        )
        .first()
    )


def sheet_rows(indicator: Indicator) -> dict[int, SheetRow]:
    return {
        r.target_id: r
        for r in SheetRow.objects.filter(sheet__indicator=indicator).select_related("entered_by")
    }
