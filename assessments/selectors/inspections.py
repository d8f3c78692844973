"""Reads for the four checks (四查): the inspection log, an inspection with its findings, and
rectification items. Querysets come with their joins, prefetches and annotations applied, so a
page's query count does not grow with its rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from cadres.models import ASSESSED_KINDS, Cadre, Role, Unit
from cadres.scope import account_of, units_for

from ..models import AssessmentYear, Category, Finding, Indicator, Inspection, Rectification
from .catalog import years_for

RectStatus = Rectification.Status
# Net points a log row's findings adjust (0 when it has none).
POINTS_TOTAL = Coalesce(
    Sum("findings__points"),
    Value(Decimal(0)),
    output_field=DecimalField(max_digits=12, decimal_places=2),
)


# ---- scope -----------------------------------------------------------------------------------


def inspections_for(user) -> QuerySet[Inspection]:
    """Inspections the user may see: those of the years in the user's scope."""
    return Inspection.objects.filter(year__in=years_for(user))


def rectifications_for(user) -> QuerySet[Rectification]:
    """Rectification items the user may see: in a visible year; a liaison only their unit's
    (what their unit has to put right)."""
    items = Rectification.objects.filter(year__in=years_for(user))
    account = account_of(user)
    if account is not None and account.role == Role.LIAISON:
        items = items.filter(unit__in=units_for(user))
    return items


# ---- the inspection log ----------------------------------------------------------------------


@dataclass
class KindCount:
    kind: str
    label: str
    count: int


@dataclass
class InspectionCounts:
    """Headline figures of a year's checks ("4 centralized inspections, 25 random checks")."""

    by_kind: list[KindCount]
    total: int
    open_items: int
    overdue_items: int

    def of(self, kind: str) -> int:
        return next((k.count for k in self.by_kind if k.kind == kind), 0)


def inspection_counts(
    year: AssessmentYear, *, items: QuerySet[Rectification], today: dt.date
) -> InspectionCounts:
    """Inspections of the year by kind, and the open and overdue items among ``items``.
    Two queries."""
    by_kind = Inspection.objects.filter(year=year).aggregate(
        **{kind: Count("pk", filter=Q(kind=kind)) for kind in Inspection.Kind.values}
    )
    rect = rectification_counts(items.filter(year=year), today=today)
    return InspectionCounts(
        by_kind=[KindCount(k, str(label), by_kind[k]) for k, label in Inspection.Kind.choices],
        total=sum(by_kind.values()),
        open_items=rect["open"],
        overdue_items=rect["overdue"],
    )


def inspection_list(
    year: AssessmentYear, *, kind: str = "", unit: Unit | int | None = None
) -> QuerySet[Inspection]:
    """The year's inspections, newest first, with their units checked (prefetched), their
    number of findings and the net points their findings adjust."""
    inspections = (
        Inspection.objects.filter(year=year)
        .annotate(finding_count=Count("findings"), points_total=POINTS_TOTAL)
        .prefetch_related(Prefetch("units", queryset=Unit.objects.order_by("path")))
        .order_by("-held_on", "-pk")
    )
    if kind:
        inspections = inspections.filter(kind=kind)
    if unit:
        checked = Inspection.units.through.objects.filter(
            inspection_id=OuterRef("pk"), unit_id=getattr(unit, "pk", unit)
        )
        inspections = inspections.filter(Exists(checked))
    return inspections


def units_checked(year: AssessmentYear) -> QuerySet[Unit]:
    """Units checked by at least one of the year's inspections (for the log's unit filter)."""
    return Unit.objects.filter(
        Exists(
            Inspection.units.through.objects.filter(unit_id=OuterRef("pk"), inspection__year=year)
        )
    ).order_by("path")


# ---- one inspection ----------------------------------------------------------------------------


def inspection_detail(user) -> QuerySet[Inspection]:
    """The inspections the user may open, each with its units, cadres and findings (each
    finding with its unit, indicator, cadre and rectification item)."""
    return (
        inspections_for(user)
        .select_related("year", "year__county", "recorded_by")
        .prefetch_related(
            Prefetch("units", queryset=Unit.objects.order_by("path")),
            Prefetch("cadres", queryset=Cadre.objects.select_related("unit")),
            Prefetch(
                "findings",
                queryset=Finding.objects.select_related(
                    "unit", "indicator", "cadre", "rectification"
                ).order_by("pk"),
            ),
        )
    )


CHECKED_KIND_ORDER = (Unit.Kind.TOWNSHIP, Unit.Kind.DEPARTMENT, Unit.Kind.COMMITTEE)


def assessable_units(user, year: AssessmentYear) -> QuerySet[Unit]:
    """Units an inspection of ``year`` may check: the user's units in the year's county that are
    assessed. Townships first, then departments, then committees, each in tree order."""
    return (
        units_for(user)
        .filter(path__startswith=year.county.path, kind__in=ASSESSED_KINDS)
        .annotate(
            kind_order=Case(
                *(When(kind=k, then=Value(i)) for i, k in enumerate(CHECKED_KIND_ORDER)),
                default=Value(len(CHECKED_KIND_ORDER)),
            )
        )
        .order_by("kind_order", "path")
    )


def finding_indicators(year: AssessmentYear) -> QuerySet[Indicator]:
    """Indicators a finding may adjust: the year's scored (leaf, non-bonus) indicators."""
    return (
        year.indicators.filter(children__isnull=True)
        .exclude(category=Category.BONUS)
        .order_by("sort_order", "code")
    )


# ---- rectification items ---------------------------------------------------------------------


def rectification_counts(items: QuerySet[Rectification], *, today: dt.date) -> dict[str, int]:
    """Open, overdue (open past the deadline) and closed items. One query."""
    return items.aggregate(
        open=Count("pk", filter=Q(status=RectStatus.OPEN)),
        overdue=Count("pk", filter=Q(status=RectStatus.OPEN, deadline__lt=today)),
        closed=Count("pk", filter=Q(status=RectStatus.CLOSED)),
    )


def rectification_list(
    items: QuerySet[Rectification],
    *,
    today: dt.date,
    status: str = "",
    unit: Unit | int | None = None,
) -> QuerySet[Rectification]:
    """Items with their unit and the finding and inspection they came from: open first, the
    nearest deadline first. ``status`` is "open", "closed" or "overdue"."""
    items = items.select_related("unit", "finding", "finding__inspection", "closed_by").order_by(
        "-status", "deadline", "pk"
    )
    if status == "overdue":
        items = items.filter(status=RectStatus.OPEN, deadline__lt=today)
    elif status in RectStatus.values:
        items = items.filter(status=status)
    if unit:
        items = items.filter(unit_id=getattr(unit, "pk", unit))
    return items


def rectification_units(items: QuerySet[Rectification]) -> QuerySet[Unit]:
    """Units with at least one of ``items`` (for the list's unit filter)."""
    return Unit.objects.filter(pk__in=items.values("unit_id")).order_by("path")


def rectification_detail(user) -> QuerySet[Rectification]:
    """The items the user may open, with their year, unit and origin."""
    return rectifications_for(user).select_related(
        "year", "year__county", "unit", "finding", "finding__inspection", "closed_by"
    )
