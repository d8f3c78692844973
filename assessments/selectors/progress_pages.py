"""Reads for the monthly progress pages: the liaison's unit home, the report form and detail,
evidence files, the office's review queue and the county progress overview.

Scope follows ``targets_for``: a target is visible when its year is visible, and for a liaison
only when its unit is in the liaison's subtree. Reports and evidence are visible with their
target. Every read here runs a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from cadres.models import ASSESSED_KINDS, Unit

from ..models import AssessmentYear, Evidence, ProgressReport, Target
from .progress import COUNTED, Color, TargetStatus, counted_color, no_counts, target_statuses
from .targets import targets_for

# Columns of the overview, worst first: the five counted statuses every count uses.
OVERVIEW_COLORS = COUNTED
OVERVIEW_SORTS = ("worst", "unit", *OVERVIEW_COLORS)


def reports_for(user) -> QuerySet[ProgressReport]:
    """Progress reports the user may see: those of the targets the user may see."""
    return ProgressReport.objects.filter(target__in=targets_for(user))


def due_month(year: AssessmentYear, today: dt.date) -> int | None:
    """The month whose report is due now: the current month during the year, December for a
    past year still open, none before the year has begun."""
    if year.year == today.year:
        return today.month
    if year.year < today.year:
        return 12
    return None


def reportable_months(year: AssessmentYear, today: dt.date) -> list[int]:
    """Months a report may be submitted for today (a month cannot be reported before it began)."""
    last = due_month(year, today)
    return list(range(1, last + 1)) if last else []


def target_for_report(user) -> QuerySet[Target]:
    """The targets the user may see, with what the report form shows."""
    return targets_for(user).select_related("year", "year__county", "indicator", "unit")


def report_detail(user) -> QuerySet[ProgressReport]:
    """The reports the user may see, with their target, people and evidence files."""
    return (
        reports_for(user)
        .select_related(
            "target__year__county",
            "target__indicator",
            "target__unit",
            "submitted_by",
            "reviewed_by",
        )
        .prefetch_related("evidence")
    )


def evidence_detail(user) -> QuerySet[Evidence]:
    """The evidence files the user may download."""
    return Evidence.objects.select_related("report").filter(report__target__in=targets_for(user))


def report_queue(
    year: AssessmentYear, *, month: int | None = None, kind: str = "", q: str = ""
) -> QuerySet[ProgressReport]:
    """Submitted reports of the year awaiting review, oldest first, with evidence counts."""
    reports = (
        ProgressReport.objects.filter(target__year=year, status=ProgressReport.Status.SUBMITTED)
        .select_related("target__indicator", "target__unit", "submitted_by")
        .annotate(evidence_count=Count("evidence"))
        .order_by("submitted_at", "pk")
    )
    if month:
        reports = reports.filter(month=month)
    if kind:
        reports = reports.filter(target__unit__kind=kind)
    if q:
        reports = reports.filter(
            Q(target__unit__name__icontains=q) | Q(target__indicator__name__icontains=q)
        )
    return reports


# -- the liaison's unit home -------------------------------------------------------------------


@dataclass
class HomeRow:
    """One target on the unit home: its status this month, and what the liaison has to do."""

    status: TargetStatus
    returned: list[ProgressReport]  # returned reports waiting for a correction, by month
    due_month: int | None

    @property
    def target(self) -> Target:
        return self.status.target

    @property
    def needs_report(self) -> bool:
        """Nothing (or only a returned report) for the month that is due."""
        return self.due_month is not None and self.status.report is None


@dataclass
class UnitHome:
    year: AssessmentYear
    month: int  # the month the statuses are shown at
    due_month: int | None
    deadline: dt.date
    rows: list[HomeRow]
    units: list[Unit]

    @property
    def due(self) -> list[HomeRow]:
        return [row for row in self.rows if row.needs_report]

    @property
    def returned(self) -> list[ProgressReport]:
        return [report for row in self.rows for report in row.returned]


def unit_home(user, year: AssessmentYear, *, today: dt.date) -> UnitHome:
    """The liaison's targets in ``year`` with their status at the month that is due: four
    queries for any number of targets."""
    month = due_month(year, today) or 1
    targets = list(
        targets_for(user)
        .filter(year=year)
        .select_related("indicator", "unit")
        .order_by("unit__path", "indicator__sort_order", "indicator__code")
    )
    statuses = target_statuses(targets, year=year, month=month, today=today)
    by_id = {t.pk: t for t in targets}
    returned: dict[int, list[ProgressReport]] = defaultdict(list)
    for report in ProgressReport.objects.filter(
        target__in=list(by_id), status=ProgressReport.Status.RETURNED
    ).order_by("month"):
        report.target = by_id[report.target_id]  # already loaded: no query per report
        returned[report.target_id].append(report)
    rows = [
        HomeRow(status=statuses[t.pk], returned=returned[t.pk], due_month=due_month(year, today))
        for t in targets
    ]
    units = list({t.unit_id: t.unit for t in targets}.values())
    return UnitHome(
        year=year,
        month=month,
        due_month=due_month(year, today),
        deadline=dt.date(year.year, month, year.report_deadline_day),
        rows=rows,
        units=units,
    )


# -- the county progress overview --------------------------------------------------------------


@dataclass
class UnitProgress:
    unit: Unit
    statuses: list[TargetStatus] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=no_counts)

    @property
    def total(self) -> int:
        return len(self.statuses)

    @property
    def lagging(self) -> int:
        """Targets that raise an early warning: red, or a report missing past the deadline."""
        return self.counts[Color.RED] + self.counts[Color.MISSING]

    @property
    def bars(self) -> list[tuple[str, int, float]]:
        """(colour, count, percent of the unit's targets) for a stacked bar."""
        return [
            (c, self.counts[c], 100 * self.counts[c] / self.total)
            for c in OVERVIEW_COLORS
            if self.counts[c]
        ]


@dataclass
class ProgressOverview:
    year: AssessmentYear
    month: int
    deadline: dt.date
    units: list[UnitProgress]
    summary: dict[str, int]

    targets: int = 0

    @property
    def total(self) -> int:
        """The number of targets shown (the five counts add up to it)."""
        return self.targets


def _sort_key(sort: str):
    if sort == "unit":
        return lambda u: u.unit.path
    if sort in OVERVIEW_COLORS:
        return lambda u: (-u.counts[sort], u.unit.path)
    return lambda u: (
        -u.lagging,
        -u.counts[Color.AMBER],
        -u.counts[Color.DUE],
        u.unit.path,
    )


def progress_overview(
    year: AssessmentYear,
    *,
    month: int,
    today: dt.date,
    kind: str = "",
    category: str = "",
    unit: int | None = None,
    sort: str = "worst",
) -> ProgressOverview:
    """Status counts per assessed unit with targets, worst first by default. Three queries for
    any number of units and targets: the targets, then their milestones and reports."""
    matching = (
        year.targets.filter(unit__kind__in=ASSESSED_KINDS)
        .select_related("indicator", "unit")
        .order_by("unit__path", "indicator__sort_order", "indicator__code")
    )
    if kind:
        matching = matching.filter(unit__kind=kind)
    if category:
        matching = matching.filter(indicator__category=category)
    if unit:
        matching = matching.filter(unit_id=unit)
    targets = list(matching)
    statuses = target_statuses(targets, year=year, month=month, today=today)
    by_unit: dict[int, UnitProgress] = {}
    summary = no_counts()
    for target in targets:
        status = statuses[target.pk]
        row = by_unit.setdefault(target.unit_id, UnitProgress(unit=target.unit))
        row.statuses.append(status)
        row.counts[counted_color(status.color)] += 1
        summary[counted_color(status.color)] += 1
    units = sorted(by_unit.values(), key=_sort_key(sort))
    return ProgressOverview(
        year=year,
        month=month,
        deadline=dt.date(year.year, month, year.report_deadline_day),
        units=units,
        summary=summary,
        targets=len(targets),
    )
