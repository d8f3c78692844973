"""Figures for the county dashboard and a unit's three-thirds profile.

Everything for a year comes from a fixed number of queries whatever the number of units:
scores are read once and averaged in one pass, progress statuses come from ``target_statuses``
(two queries for all targets), the monthly trend from one read of the milestones and reports,
warnings and inspections from one aggregate query each.

Completion of a category is the score a unit earned in it as a share of the category's weight
(``C / W``: 100 % means full points). The monthly trend of a unit is the mean, over its
completion-ratio targets, of ``min(actual / plan, 1)`` at each month end, actual being the
latest report up to that month that was not returned (as on the progress pages).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import gettext as _

from cadres.models import ASSESSED_KINDS, Unit
from cadres.scope import units_for
from kaohe.lib.numbers import half_up, percent_value

from ..models import (
    THREE_THIRDS,
    AssessmentYear,
    Category,
    EarlyWarning,
    Indicator,
    Inspection,
    Level,
    Rectification,
    Target,
    UnitScore,
)
from .progress import (
    COUNTED,
    Color,
    counted_color,
    no_counts,
    plan_for,
    progress_history,
    target_statuses,
)
from .scoring import KIND_ORDER, KindRanking, rankings

HUNDRED = Decimal(100)
ONE = Decimal(1)


def percent(part: Decimal | None, whole: Decimal | int | None) -> Decimal | None:
    """``part`` as a percentage of ``whole`` (None when there is nothing to divide by)."""
    if part is None or not whole:
        return None
    return Decimal(part) * HUNDRED / Decimal(whole)


# ---- completion by category and unit kind ------------------------------------------------------


@dataclass
class KindCompletion:
    """The average category scores of a unit kind, and each as a share of its weight."""

    kind: str
    label: str
    units: int
    weights: dict[str, int]
    average: dict[str, Decimal]  # category -> mean score of the kind's units
    average_total: Decimal

    @property
    def completion(self) -> dict[str, Decimal | None]:
        """Category -> mean score as a percentage of the category's weight."""
        return {c: percent(self.average[c], self.weights.get(c)) for c in THREE_THIRDS}


def _completion(groups: list[KindRanking]) -> list[KindCompletion]:
    result = []
    for group in groups:
        n = len(group.scores)
        result.append(
            KindCompletion(
                kind=group.kind,
                label=group.label,
                units=n,
                weights=group.weights,
                average={
                    c: sum((getattr(s, c) for s in group.scores), Decimal(0)) / n
                    for c in THREE_THIRDS
                },
                average_total=sum((s.total for s in group.scores), Decimal(0)) / n,
            )
        )
    return result


# ---- monthly trend --------------------------------------------------------------------------


@dataclass
class UnitTrend:
    unit: Unit
    values: list[Decimal]  # completion (0–1) at the end of months 1..month

    @property
    def last(self) -> Decimal:
        return self.values[-1]


@dataclass
class Trend:
    months: list[int]
    units: list[UnitTrend]  # units with completion-ratio targets, worst (at the month) first
    kind_average: dict[str, list[Decimal]]

    def worst(self, n: int = 5) -> list[UnitTrend]:
        return self.units[:n]


def _trend(year: AssessmentYear, targets: list[Target], month: int) -> Trend:
    """Monthly completion of each unit's completion-ratio targets: two queries."""
    numeric = [
        t
        for t in targets
        if t.indicator.method == Indicator.Method.RATIO and t.target_value is not None
    ]
    milestones, reports = progress_history(
        [t.pk for t in numeric], month=month, fields=("target_id", "month", "actual_value")
    )
    months = list(range(1, month + 1))
    by_unit: dict[int, list[list[Decimal]]] = {}
    units: dict[int, Unit] = {}
    for target in numeric:
        own, values, actual, i = reports[target.pk], [], Decimal(0), 0
        for m in months:
            while i < len(own) and own[i].month <= m:
                actual = own[i].actual_value or Decimal(0)
                i += 1
            plan = plan_for(target, milestones[target.pk], m)
            values.append(min(actual / plan, ONE) if plan else ONE)
        units[target.unit_id] = target.unit
        by_unit.setdefault(target.unit_id, []).append(values)
    trends = [
        UnitTrend(
            unit=units[pk],
            values=[sum(column, Decimal(0)) / len(column) for column in zip(*rows, strict=True)],
        )
        for pk, rows in by_unit.items()
    ]
    trends.sort(key=lambda t: (t.last, t.unit.path))
    kind_average: dict[str, list[Decimal]] = {}
    for kind in KIND_ORDER:
        of_kind = [t.values for t in trends if t.unit.kind == kind]
        if of_kind:
            kind_average[kind] = [
                sum(column, Decimal(0)) / len(column) for column in zip(*of_kind, strict=True)
            ]
    return Trend(months=months, units=trends, kind_average=kind_average)


# ---- red / amber / green ----------------------------------------------------------------------


@dataclass
class StatusCounts:
    """Targets by the five counted statuses (``COUNTED``), county-wide and by unit kind."""

    month: int
    total: dict[str, int] = field(default_factory=no_counts)
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)
    targets: int = 0


def _status_counts(
    year: AssessmentYear, targets: list[Target], month: int, today: dt.date
) -> StatusCounts:
    counts = StatusCounts(month=month)
    for kind in KIND_ORDER:
        counts.by_kind[kind] = no_counts()
    for status in target_statuses(targets, year=year, month=month, today=today).values():
        counts.targets += 1
        counts.total[counted_color(status.color)] += 1
        counts.by_kind[status.target.unit.kind][counted_color(status.color)] += 1
    counts.by_kind = {k: v for k, v in counts.by_kind.items() if any(v.values())}
    return counts


# ---- early warnings ---------------------------------------------------------------------------


@dataclass
class WarningMonth:
    month: int
    issued: int
    open: int
    overdue: int


@dataclass
class WarningCounts:
    months: list[WarningMonth]

    @property
    def issued(self) -> int:
        return sum(m.issued for m in self.months)

    @property
    def open(self) -> int:
        return sum(m.open for m in self.months)

    @property
    def overdue(self) -> int:
        return sum(m.overdue for m in self.months)


def _warning_counts(year: AssessmentYear, today: dt.date) -> WarningCounts:
    """Warnings of the year by period: issued, still open, open past their catch-up date.
    One query."""
    is_open = ~Q(status=EarlyWarning.Status.CLOSED)
    rows = (
        EarlyWarning.objects.filter(year=year)
        .values("month")
        .annotate(
            issued=Count("pk"),
            open=Count("pk", filter=is_open),
            overdue=Count("pk", filter=is_open & Q(catch_up_by__lt=today)),
        )
        .order_by("month")
    )
    return WarningCounts(months=[WarningMonth(**row) for row in rows])


# ---- inspections ------------------------------------------------------------------------------


@dataclass
class InspectionKind:
    kind: str
    label: str
    inspections: int
    findings: int


@dataclass
class InspectionFigures:
    kinds: list[InspectionKind]
    open_items: int
    overdue_items: int

    @property
    def inspections(self) -> int:
        return sum(k.inspections for k in self.kinds)

    @property
    def findings(self) -> int:
        return sum(k.findings for k in self.kinds)


def _inspection_figures(year: AssessmentYear, today: dt.date) -> InspectionFigures:
    """Inspections and findings by kind, open and overdue rectification items: two queries."""
    counts: dict[str, tuple[int, int]] = {
        row["kind"]: (row["n_inspections"], row["n_findings"])
        for row in Inspection.objects.filter(year=year)
        .values("kind")
        .annotate(n_inspections=Count("pk", distinct=True), n_findings=Count("findings"))
        .order_by()
    }
    items = Rectification.objects.filter(year=year, status=Rectification.Status.OPEN).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=today))
    )
    return InspectionFigures(
        kinds=[
            InspectionKind(
                kind=kind,
                label=str(label),
                inspections=counts.get(kind, (0, 0))[0],
                findings=counts.get(kind, (0, 0))[1],
            )
            for kind, label in Inspection.Kind.choices
        ],
        open_items=items["open"],
        overdue_items=items["overdue"],
    )


# ---- the dashboard ----------------------------------------------------------------------------


@dataclass
class Dashboard:
    year: AssessmentYear
    month: int
    completion: list[KindCompletion]
    rankings: list[KindRanking]
    trend: Trend
    statuses: StatusCounts
    warnings: WarningCounts
    inspections: InspectionFigures

    @property
    def scored_units(self) -> int:
        return sum(c.units for c in self.completion)


def dashboard(year: AssessmentYear, *, month: int, today: dt.date) -> Dashboard:
    """All the dashboard's figures for ``year`` at the end of ``month``: ten queries for any
    number of units, targets and reports."""
    groups = rankings(year)  # weights and scores: two queries
    targets = list(
        year.targets.filter(unit__kind__in=ASSESSED_KINDS)
        .select_related("indicator", "unit")
        .order_by("unit__path", "indicator__sort_order", "indicator__code")
    )
    return Dashboard(
        year=year,
        month=month,
        completion=_completion(groups),
        rankings=groups,
        trend=_trend(year, targets, month),
        statuses=_status_counts(year, targets, month, today),
        warnings=_warning_counts(year, today),
        inspections=_inspection_figures(year, today),
    )


# ---- one unit's profile -----------------------------------------------------------------------


@dataclass
class ProfileCategory:
    code: str
    label: str
    weight: int | None
    score: Decimal | None
    kind_average: Decimal | None

    @property
    def completion(self) -> Decimal | None:
        return percent(self.score, self.weight)

    @property
    def kind_completion(self) -> Decimal | None:
        return percent(self.kind_average, self.weight)


@dataclass
class UnitProfile:
    unit: Unit
    year: AssessmentYear
    score: UnitScore | None
    kind_units: int  # units of the same kind with a score this year
    kind_average_total: Decimal | None
    categories: list[ProfileCategory]


def unit_profile(unit: Unit, year: AssessmentYear) -> UnitProfile:
    """The unit's three-thirds scores in ``year`` against the average of the units of its kind:
    three queries."""
    score = UnitScore.objects.filter(year=year, unit=unit).first()
    kind = score.unit_kind if score else unit.kind
    averages = UnitScore.objects.filter(year=year, unit_kind=kind).aggregate(
        n=Count("pk"), total=Avg("total"), **{c: Avg(c) for c in THREE_THIRDS}
    )
    weights = year.weights.filter(unit_kind=kind).first()
    return UnitProfile(
        unit=unit,
        year=year,
        score=score,
        kind_units=averages["n"],
        kind_average_total=_decimal(averages["total"]),
        categories=[
            ProfileCategory(
                code=c,
                label=str(Category(c).label),
                weight=weights.weight_of(c) if weights else None,
                score=getattr(score, c) if score else None,
                kind_average=_decimal(averages[c]),
            )
            for c in THREE_THIRDS
        ],
    )


def _decimal(value) -> Decimal | None:
    """Avg of a decimal column is a Decimal on PostgreSQL and may be a float on SQLite."""
    return None if value is None else Decimal(str(value))


# ---- what the charts draw ---------------------------------------------------------------------
#
# Both pages render these dicts into a JSON data island (``json_script``) that
# ``static/js/dashboard.js`` draws with ECharts; every label in them is translated here.


def _num(value: Decimal | None, places: int = 2) -> float | None:
    return None if value is None else float(half_up(value, places))


def _pct(value: Decimal | None) -> float | None:
    """A 0–1 ratio as a percentage, two places half up like every other output."""
    return None if value is None else float(percent_value(value))


def _month_label(month: int) -> str:
    return _("Month %(month)d") % {"month": month}


def _unit_name(unit: Unit) -> str:
    return unit.short_name or unit.name


def _labels(year: AssessmentYear) -> dict:
    return {
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
        "green_line": _("On track from %(pct)s%%") % {"pct": f"{_pct(year.green_min):g}"},
        "amber_line": _("Lagging from %(pct)s%%") % {"pct": f"{_pct(year.amber_min):g}"},
        "no_data": _("No data yet."),
    }


def _overall(c: KindCompletion) -> float | None:
    """The kind's three thirds together as a share of their weights."""
    if not c.weights:
        return None
    earned = sum((c.average[cat] for cat in THREE_THIRDS), Decimal(0))
    return _num(earned * 100 / sum(c.weights.values()))


def _completion_data(completion: list[KindCompletion]) -> list[dict]:
    return [
        {
            "kind": c.kind,
            "label": c.label,
            "units": c.units,
            "values": [_num(c.completion[cat]) for cat in THREE_THIRDS],
            "overall": _overall(c),
        }
        for c in completion
    ]


def _rankings_data(groups: list[KindRanking]) -> list[dict]:
    return [
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
        for g in groups
    ]


def _trend_data(trend: Trend) -> dict:
    return {
        "months": [_month_label(m) for m in trend.months],
        "units": [
            {
                "id": t.unit.pk,
                "name": _unit_name(t.unit),
                "kind": t.unit.kind,
                "values": [_pct(v) for v in t.values],
            }
            for t in trend.units
        ],
        "kind_average": [
            {
                "kind": kind,
                "label": _("Average of %(kind)s") % {"kind": Unit.Kind(kind).label},
                "values": [_pct(v) for v in values],
            }
            for kind, values in trend.kind_average.items()
        ],
        "worst": [t.unit.pk for t in trend.worst()],
    }


def _statuses_data(statuses: StatusCounts) -> dict:
    return {
        "colors": [{"code": c, "label": str(Color(c).label)} for c in COUNTED],
        "total": [statuses.total[c] for c in COUNTED],
        "by_kind": [
            {
                "kind": kind,
                "label": str(Unit.Kind(kind).label),
                "counts": [counts[c] for c in COUNTED],
            }
            for kind, counts in statuses.by_kind.items()
        ],
    }


def _warnings_data(warnings: WarningCounts) -> dict:
    return {
        "months": [_month_label(w.month) for w in warnings.months],
        "issued": [w.issued for w in warnings.months],
        "open": [w.open for w in warnings.months],
        "overdue": [w.overdue for w in warnings.months],
        "totals": {"issued": warnings.issued, "open": warnings.open, "overdue": warnings.overdue},
    }


def chart_data(dash: Dashboard) -> dict:
    """Everything the dashboard's charts draw, with their translated labels."""
    return {
        "year": dash.year.year,
        "month": dash.month,
        "labels": _labels(dash.year),
        "thresholds": {"green": _pct(dash.year.green_min), "amber": _pct(dash.year.amber_min)},
        "kinds": [{"code": k, "label": str(Unit.Kind(k).label)} for k in KIND_ORDER],
        "completion": _completion_data(dash.completion),
        "rankings": _rankings_data(dash.rankings),
        "grades": [{"code": code, "label": str(label)} for code, label in Level.choices],
        "trend": _trend_data(dash.trend),
        "statuses": _statuses_data(dash.statuses),
        "warnings": _warnings_data(dash.warnings),
        "inspections": {
            "kinds": [k.label for k in dash.inspections.kinds],
            "inspections": [k.inspections for k in dash.inspections.kinds],
            "findings": [k.findings for k in dash.inspections.kinds],
        },
    }


def profile_chart_data(profile: UnitProfile) -> dict:
    """What a unit profile's charts draw: the unit against the average of its kind."""
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
        "unit": [_num(c.completion) for c in profile.categories],
        "unit_scores": [_num(c.score) for c in profile.categories],
        "kind_average": [_num(c.kind_completion) for c in profile.categories],
        "kind_scores": [_num(c.kind_average) for c in profile.categories],
    }


def profile_units_for(user) -> QuerySet[Unit]:
    """Units whose profile the user may open: the assessed units in their scope (a liaison:
    their own)."""
    return units_for(user).filter(kind__in=ASSESSED_KINDS)
