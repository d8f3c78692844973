"""The scoring engine: points per unit and indicator by the indicator's method, inspection
adjustments, one-vote veto, capped bonus, the three thirds scaled to the year's weights, total,
rank within unit kind and a proposed grade.

Set-based: a handful of queries for the whole year (or for the units an input change touched),
whatever the number of units. The score rows are stable: each unit's and indicator's row keeps
its id, is compared with what was computed and written only when it changed (deleted only when
it no longer applies); a recompute of some units then re-ranks the year, writing the ranks that
moved. Every indicator score keeps a breakdown (method → inputs → points) that explains it.
Exact decimals throughout; ranks use the exact totals.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import Unit
from kaohe.lib.cache import year_changed
from kaohe.lib.queue import enqueue

from ..models import (
    LEVEL_ORDER,
    THREE_THIRDS,
    AssessmentYear,
    BonusAward,
    Category,
    Decision,
    DeductionEntry,
    Finding,
    Indicator,
    IndicatorScore,
    Level,
    MidtermReview,
    ProgressReport,
    RecomputeRequest,
    ScoringSheet,
    Target,
    UnitScore,
)

ZERO = Decimal(0)
HUNDRED = Decimal(100)
Method = Indicator.Method


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, value))


class ReportRow(TypedDict):
    """The fields of an approved progress report the scores read."""

    id: int
    target_id: int
    month: int
    actual_value: Decimal | None


class FindingRow(TypedDict):
    """The fields of an inspection finding the scores read."""

    id: int
    unit_id: int
    indicator_id: int
    points: Decimal
    vetoes: bool
    description: str
    inspection_id: int
    inspection__kind: str
    inspection__held_on: dt.date
    inspection__title: str


class DeductionRow(TypedDict):
    """The fields of a deduction entry the scores read (who entered it, for the scorecard)."""

    id: int
    target_id: int
    occurred_on: dt.date
    points: Decimal
    reason: str
    source: str
    vetoes: bool
    entered_by__username: str
    entered_by__first_name: str
    entered_by__last_name: str
    entered_by__account__role: str | None
    entered_by__account__unit__name: str | None


@dataclass(slots=True)
class TargetRow:
    """The fields of a target the scores read, with its indicator and unit."""

    pk: int
    unit_id: int
    indicator: Indicator
    unit: Unit
    target_value: Decimal | None
    measure: str


@dataclass(slots=True)
class DecisionRow:
    """The fields of a target's decision (level or manual points) the scores read."""

    pk: int
    level: str
    points: Decimal | None
    reason: str


@dataclass
class Inputs:
    """Everything the year's scores depend on, read in a fixed number of queries."""

    targets: list[TargetRow]
    latest_report: dict[int, ReportRow]  # target id -> latest approved report
    decisions: dict[int, DecisionRow]  # target id -> decision
    midterm: dict[int, MidtermReview]  # unit id -> review
    findings: dict[tuple[int, int], list[FindingRow]]  # (unit id, indicator id) -> findings
    awards: dict[int, list[BonusAward]]  # unit id -> awards
    weights: dict[str, dict[str, int]]  # unit kind -> category -> weight
    deductions: dict[int, list[DeductionRow]] = field(default_factory=dict)  # target id -> entries


@dataclass
class Settings:
    """The year's settings the scores depend on besides the year's own fields."""

    indicators: dict[int, Indicator]  # the year's indicators by id
    weights: dict[str, dict[str, int]]  # unit kind -> category -> weight

    @classmethod
    def of(cls, year: AssessmentYear) -> Settings:
        return cls(
            indicators={i.pk: i for i in year.indicators.order_by()},
            weights={
                w.unit_kind: {c: w.weight_of(c) for c in THREE_THIRDS}
                for w in year.weights.order_by()
            },
        )

    def basis(self, year: AssessmentYear) -> str:
        """A fingerprint of every setting a score depends on (UnitScore.basis)."""
        values = [
            [str(getattr(year, f)) for f in BASIS_YEAR_FIELDS],
            sorted(
                [i.pk, i.category, i.method, str(i.max_points), i.is_veto]
                for i in self.indicators.values()
            ),
            sorted([kind, *w.values()] for kind, w in self.weights.items()),
        ]
        return hashlib.sha256(json.dumps(values).encode()).hexdigest()[:16]


BASIS_YEAR_FIELDS = (
    "bonus_cap",
    "grade_good_min",
    "grade_fair_min",
    "grade_average_min",
    *(f"factor_{level}" for level in LEVEL_ORDER),
)


def _read_inputs(
    year: AssessmentYear,
    unit_ids: Collection[int] | None = None,
    settings: Settings | None = None,
) -> Inputs:
    """The year's inputs, or only those of ``unit_ids`` (the same queries either way)."""

    def of_units(queryset, path: str = "unit_id"):
        return queryset if unit_ids is None else queryset.filter(**{f"{path}__in": unit_ids})

    settings = settings or Settings.of(year)
    indicators = {k: i for k, i in settings.indicators.items() if i.method != Method.BONUS}
    approved = ProgressReport.objects.filter(status=ProgressReport.Status.APPROVED)
    rows = list(
        of_units(Target.objects.filter(year=year, indicator__in=list(indicators)))
        .annotate(  # its latest approved report (an index lookup per target)
            report=Subquery(
                approved.filter(target=OuterRef("pk")).order_by("-month").values("pk")[:1]
            )
        )
        .order_by()
        .values_list("pk", "unit_id", "indicator_id", "target_value", "measure", "report")
    )
    units = {u.pk: u for u in Unit.objects.filter(pk__in={row[1] for row in rows})}
    targets = sorted(  # the year's indicators and units, each read once; in Target's order
        (
            TargetRow(pk, unit_id, indicators[indicator_id], units[unit_id], value, measure)
            for pk, unit_id, indicator_id, value, measure, _report in rows
        ),
        key=lambda t: (t.unit.path, t.indicator.sort_order, t.indicator.code),
    )
    latest: dict[int, ReportRow] = {
        report["target_id"]: report  # the latest approved report of each target
        for report in ProgressReport.objects.filter(pk__in=[r[5] for r in rows if r[5]])
        .order_by()
        .values("id", "target_id", "month", "actual_value")
    }
    findings: dict[tuple[int, int], list[FindingRow]] = defaultdict(list)
    for f in (
        of_units(Finding.objects.filter(inspection__year=year, indicator__isnull=False))
        .order_by("inspection__held_on", "pk")
        .values(
            "id",
            "unit_id",
            "indicator_id",
            "points",
            "vetoes",
            "description",
            "inspection_id",
            "inspection__kind",
            "inspection__held_on",
            "inspection__title",
        )
    ):
        findings[(f["unit_id"], f["indicator_id"])].append(f)
    deductions: dict[int, list[DeductionRow]] = defaultdict(list)
    for d in (
        of_units(
            DeductionEntry.objects.filter(target__year=year, withdrawn_at__isnull=True),
            "target__unit_id",
        )
        .filter(Q(sheet__isnull=True) | Q(sheet__status=ScoringSheet.Status.ACCEPTED))
        .order_by("occurred_on", "pk")
        .values(*DeductionRow.__annotations__)
    ):
        deductions[d["target_id"]].append(d)  # type: ignore[arg-type]
    awards: dict[int, list[BonusAward]] = defaultdict(list)
    for award in of_units(BonusAward.objects.filter(year=year)).select_related("indicator", "unit"):
        awards[award.unit_id].append(award)
    return Inputs(
        targets=targets,
        latest_report=latest,
        decisions={
            target_id: DecisionRow(pk, level, points, reason)
            for pk, target_id, level, points, reason in of_units(
                Decision.objects.filter(target__year=year), "target__unit_id"
            )
            .order_by()
            .values_list("pk", "target_id", "level", "points", "reason")
        },
        midterm={
            m.unit_id: m for m in of_units(MidtermReview.objects.filter(year=year)).order_by()
        },
        findings=findings,
        awards=awards,
        deductions=deductions,
        weights=settings.weights,
    )


def base_points(year: AssessmentYear, target: TargetRow, inputs: Inputs) -> tuple[Decimal, dict]:
    """Points by the indicator's method, before inspection adjustments, and their inputs."""
    indicator = target.indicator
    m = indicator.max_points
    method = indicator.method
    if method == Method.RATIO:
        report = inputs.latest_report.get(target.pk)
        if report is None or not target.target_value or report["actual_value"] is None:
            return ZERO, {"report": None, "target_value": _s(target.target_value)}
        ratio = min(report["actual_value"] / target.target_value, Decimal(1))
        return m * ratio, {
            "report": report["id"],
            "month": report["month"],
            "actual": _s(report["actual_value"]),
            "target_value": _s(target.target_value),
            "measure": target.measure,
            "ratio": _s(ratio),
        }
    if method == Method.LEVELS:
        decision = inputs.decisions.get(target.pk)
        if decision is None or not decision.level:
            return ZERO, {"decision": None}
        factor = year.factor(decision.level)
        return m * factor, {
            "decision": decision.pk,
            "level": decision.level,
            "factor": _s(factor),
            "reason": decision.reason,
        }
    if method == Method.MANUAL:
        decision = inputs.decisions.get(target.pk)
        if decision is None or decision.points is None:
            return ZERO, {"decision": None}
        return clamp(decision.points, ZERO, m), {
            "decision": decision.pk,
            "entered": _s(decision.points),
            "reason": decision.reason,
        }
    if method == Method.MIDTERM:
        review = inputs.midterm.get(target.unit_id)
        if review is None:
            return ZERO, {"review": None}
        return m * review.score / HUNDRED, {"review": review.pk, "score": _s(review.score)}
    if method == Method.DEDUCTION:
        entries = inputs.deductions.get(target.pk, [])
        deducted = sum((d["points"] for d in entries), ZERO)
        return max(ZERO, m - deducted), {
            "deducted": _s(deducted),
            "entries": [_entry(d) for d in entries],
        }
    raise ValueError(f"no scoring for method {method}")


def _entered_by(d: DeductionRow) -> dict:
    name = f"{d['entered_by__last_name']}{d['entered_by__first_name']}"
    return {
        "name": name or d["entered_by__username"],
        "role": d["entered_by__account__role"] or "",
        "unit": d["entered_by__account__unit__name"] or "",
    }


def _entry(d: DeductionRow) -> dict:
    return {
        "id": d["id"],
        "date": d["occurred_on"].isoformat(),
        "points": _s(d["points"]),
        "reason": d["reason"],
        "source": d["source"],
        "vetoes": d["vetoes"],
        "by": _entered_by(d),
    }


def veto_events(indicator: Indicator, found: list[FindingRow], detail: dict) -> list[dict]:
    """The events that fail a veto indicator: findings and deduction entries marked so (never
    the points reaching 0)."""
    if not indicator.is_veto:
        return []
    events = [
        {
            "kind": "finding",
            "id": f["id"],
            "date": f["inspection__held_on"].isoformat(),
            "text": f["inspection__title"],
        }
        for f in found
        if f["vetoes"]
    ]
    events += [
        {"kind": "deduction", "id": e["id"], "date": e["date"], "text": e["reason"]}
        for e in detail.get("entries", [])
        if e["vetoes"]
    ]
    return sorted(events, key=lambda e: e["date"])


@dataclass(slots=True)
class Item:
    """One computed indicator score (an IndicatorScore's values, built only to be written)."""

    indicator: Indicator
    target_id: int | None
    max_points: Decimal
    base_points: Decimal
    adjustment: Decimal
    points: Decimal
    breakdown: dict

    def stored(self) -> tuple:
        """The values as the row keeps them (``ITEM_FIELDS`` order), to compare with it."""
        return (
            self.target_id,
            _stored(self.max_points),
            _stored(self.base_points),
            _stored(self.adjustment),
            _stored(self.points),
            self.breakdown,
        )

    def row(self, unit_score_id: int, pk: int | None = None) -> IndicatorScore:
        return IndicatorScore(
            pk=pk,
            unit_score_id=unit_score_id,
            indicator_id=self.indicator.pk,
            target_id=self.target_id,
            max_points=self.max_points,
            base_points=self.base_points,
            adjustment=self.adjustment,
            points=self.points,
            breakdown=self.breakdown,
        )


@dataclass
class UnitResult:
    unit: Unit
    kind: str
    items: list[Item] = field(default_factory=list)
    sums: dict[str, list[Decimal]] = field(
        default_factory=lambda: {c: [ZERO, ZERO] for c in THREE_THIRDS}
    )  # category -> [Σp, Σm]
    bonus_raw: Decimal = ZERO
    veto_failed: bool = False


def _compute(year: AssessmentYear, inputs: Inputs) -> list[tuple[UnitScore, list[Item]]]:
    """Every unit's score (not saved, not ranked), with its indicator scores to save once it
    is."""
    results: dict[int, UnitResult] = {}
    for target in inputs.targets:
        unit = target.unit
        if unit.kind not in inputs.weights:
            continue  # no weights for this kind of unit: it is not scored this year
        result = results.setdefault(unit.pk, UnitResult(unit=unit, kind=unit.kind))
        indicator = target.indicator
        m = indicator.max_points
        base, detail = base_points(year, target, inputs)
        found = inputs.findings.get((unit.pk, indicator.pk), [])
        adjustment = sum((f["points"] for f in found), ZERO)
        points = clamp(base + adjustment, ZERO, m)
        events = veto_events(indicator, found, detail)
        vetoed = bool(events)
        result.veto_failed |= vetoed
        sums = result.sums[indicator.category]
        sums[0] += points
        sums[1] += m
        result.items.append(
            Item(
                target_id=target.pk,
                indicator=indicator,
                max_points=m,
                base_points=base,
                adjustment=adjustment,
                points=points,
                breakdown={
                    "method": indicator.method,
                    "inputs": detail,
                    "findings": [
                        {
                            "id": f["id"],
                            "inspection": f["inspection_id"],
                            "kind": f["inspection__kind"],
                            "date": f["inspection__held_on"].isoformat(),
                            "title": f["inspection__title"],
                            "points": _s(f["points"]),
                            "vetoes": f["vetoes"],
                            "description": f["description"],
                        }
                        for f in found
                    ],
                    "veto_failed": vetoed,
                    "veto_events": events,
                },
            )
        )
    for unit_id, awards in inputs.awards.items():
        if unit_id not in results:
            continue
        result = results[unit_id]
        by_indicator: dict[int, list[BonusAward]] = defaultdict(list)
        for award in awards:
            by_indicator[award.indicator_id].append(award)
        for group in by_indicator.values():
            indicator = group[0].indicator
            raw = sum((a.points for a in group), ZERO)
            points = min(raw, indicator.max_points)
            result.bonus_raw += points
            result.items.append(
                Item(
                    indicator=indicator,
                    target_id=None,
                    max_points=indicator.max_points,
                    base_points=raw,
                    adjustment=ZERO,
                    points=points,
                    breakdown={
                        "method": Method.BONUS,
                        "inputs": {
                            "awards": [
                                {
                                    "id": a.pk,
                                    "points": _s(a.points),
                                    "reason": a.reason,
                                    "date": a.awarded_on.isoformat(),
                                }
                                for a in group
                            ]
                        },
                        "findings": [],
                    },
                )
            )

    now = timezone.now()
    computed = []
    for result in results.values():
        weights = inputs.weights[result.kind]
        thirds = {}
        for category in THREE_THIRDS:
            total_points, total_max = result.sums[category]
            thirds[category] = (
                Decimal(weights[category]) * total_points / total_max if total_max else ZERO
            )
        bonus = min(result.bonus_raw, year.bonus_cap)
        total = sum(thirds.values(), ZERO) + bonus
        grade = year.grade_for(total)
        if result.veto_failed and LEVEL_ORDER.index(grade) < LEVEL_ORDER.index(Level.AVERAGE):
            grade = Level.AVERAGE
        score = UnitScore(
            year=year,
            unit=result.unit,
            unit_kind=result.kind,
            party=thirds[Category.PARTY],
            industry=thirds[Category.INDUSTRY],
            tasks=thirds[Category.TASKS],
            bonus=bonus,
            total=total,
            rank=0,
            veto_failed=result.veto_failed,
            proposed_grade=grade,
            computed_at=now,
        )
        computed.append((score, result.items))
    return computed


def assign_ranks(scores: list[UnitScore]) -> None:
    """Rank within unit kind by exact total, highest first; ties share a rank and the next
    rank is skipped (1, 2, 2, 4)."""
    by_kind: dict[str, list[UnitScore]] = defaultdict(list)
    for score in scores:
        by_kind[score.unit_kind].append(score)
    for group in by_kind.values():
        group.sort(key=lambda s: s.total, reverse=True)
        for position, score in enumerate(group, start=1):
            previous = group[position - 2] if position > 1 else None
            score.rank = previous.rank if previous and previous.total == score.total else position


SIX_PLACES = Decimal("0.000001")  # the stored scale of the computed scores
SCORE_FIELDS = (
    "unit_kind",
    "party",
    "industry",
    "tasks",
    "bonus",
    "total",
    "veto_failed",
    "basis",
)
UNIT_FIELDS = (*SCORE_FIELDS, "rank", "proposed_grade", "computed_at")
ITEM_FIELDS = ("target", "max_points", "base_points", "adjustment", "points", "breakdown")


def _stored(value: Decimal) -> Decimal:
    """A computed decimal as its column keeps it (six places; PostgreSQL rounds half up)."""
    return value.quantize(SIX_PLACES, rounding=ROUND_HALF_UP)


def _score_changed(new: UnitScore, old: UnitScore) -> bool:
    return new.proposed_grade != old.proposed_grade or any(
        (_stored(n) if isinstance(n := getattr(new, f), Decimal) else n) != getattr(old, f)
        for f in SCORE_FIELDS
    )


def _upsert(model, rows: list, fields: Iterable[str]) -> None:
    """Write rows: new ones inserted (ids set), existing ones (with their id) updated in place
    by one INSERT … ON CONFLICT (id) DO UPDATE per batch, on PostgreSQL and SQLite alike."""
    new = [r for r in rows if r.pk is None]
    old = [r for r in rows if r.pk is not None]
    if new:
        model.objects.bulk_create(new, batch_size=500)
    if old:
        model.objects.bulk_create(
            old,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=list(fields),
        )


def _write(
    year: AssessmentYear,
    computed: list[tuple[UnitScore, list[Item]]],
    stored: dict[int, UnitScore],
    unit_ids: Collection[int] | None,
) -> None:
    """Store the computed scores over the stored ones (``stored``: unit id -> the year's rows):
    a row keeps its id; only rows whose values changed are written, the rows of recomputed
    units that no longer apply are deleted; then the year is re-ranked from the exact totals,
    writing only the ranks that moved."""
    scope = set(stored) if unit_ids is None else set(unit_ids)
    fresh = {score.unit_id: score for score, _items in computed}
    gone = [stored[u].pk for u in scope & set(stored) if u not in fresh]
    old_items: dict[int, dict[int, tuple]] = defaultdict(dict)  # score -> indicator -> row
    recomputed = [stored[u].pk for u in fresh if u in stored]
    if recomputed:
        for pk, score_id, indicator_id, *values in (
            IndicatorScore.objects.filter(unit_score_id__in=recomputed)
            .order_by()
            .values_list("pk", "unit_score_id", "indicator_id", "target_id", *ITEM_FIELDS[1:])
        ):
            old_items[score_id][indicator_id] = (pk, *values)
    # Rank the year: the recomputed units by their exact totals, the others by their stored ones.
    was_ranked = {u: score.rank for u, score in stored.items()}
    ranked = [fresh.get(u, score) for u, score in stored.items() if u in fresh or u not in scope]
    ranked += [score for u, score in fresh.items() if u not in stored]
    assign_ranks(ranked)
    writes: list[UnitScore] = []
    for score in ranked:
        old = stored.get(score.unit_id)
        if old is None:
            writes.append(score)
            continue
        moved = score.rank != was_ranked[score.unit_id]
        if score is not old:
            score.pk = old.pk
            if not moved and not _score_changed(score, old):
                score.computed_at = old.computed_at  # unchanged: not written
                continue
        if moved or score is not old:
            writes.append(score)
    if gone:
        UnitScore.objects.filter(pk__in=gone).delete()
    _upsert(UnitScore, writes, UNIT_FIELDS)
    item_writes: list[IndicatorScore] = []
    stale_items: list[int] = []
    for score, items in computed:
        previous_items = old_items.pop(score.pk, {})
        for item in items:
            previous = previous_items.pop(item.indicator.pk, None)
            if previous is None:
                item_writes.append(item.row(score.pk))
            elif item.stored() != previous[1:]:
                item_writes.append(item.row(score.pk, previous[0]))
        stale_items += [row[0] for row in previous_items.values()]  # no longer assigned
    if stale_items:
        IndicatorScore.objects.filter(pk__in=stale_items).delete()
    _upsert(IndicatorScore, item_writes, ITEM_FIELDS)


@transaction.atomic
def scores_compute(
    *, year: AssessmentYear, unit_ids: Collection[int] | None = None
) -> list[UnitScore]:
    """Recompute and store the unit scores of the year (of ``unit_ids`` only, then re-rank the
    year); refused once the year is closed (its scores are final). The score rows are kept
    (updated in place when their values change). FOR NO KEY UPDATE: recomputes of a year run
    one at a time, changes of its inputs (year_require_open, FOR KEY SHARE) go on. Returns the
    recomputed units' scores."""
    year = AssessmentYear.objects.select_for_update(no_key=True).get(pk=year.pk)
    if not year.is_editable:
        raise ValidationError(
            _("The %(year)s assessment is %(status)s: nothing in it can change any more.")
            % {"year": year.year, "status": year.get_status_display()}
        )
    stored = {s.unit_id: s for s in UnitScore.objects.filter(year=year).order_by()}
    settings = Settings.of(year)
    basis = settings.basis(year)
    if not stored or any(s.basis != basis for s in stored.values()):
        unit_ids = None  # nothing to rank against, or settings changed since: the whole year
    elif unit_ids is not None:
        unit_ids = set(unit_ids)
    computed = _compute(year, _read_inputs(year, unit_ids, settings))
    for score, _items in computed:
        score.basis = basis
    _write(year, computed, stored, unit_ids)
    year_changed(year.pk)
    return [score for score, _items in computed]


RECOMPUTE_TASK = "assessments.recompute_scores"


class _Recompute:
    """An on-commit callback that asks for one year's recompute, tagged with the year and the
    units it asks for (None: the whole year). A transaction registers one per request it
    writes (a rolled-back savepoint drops both together); the first of a transaction's that
    runs hands the year to the task, once however many inputs the transaction changed."""

    def __init__(self, year_id: int, unit_ids: list[int] | None, group: dict[str, bool]):
        self.kaohe_recompute_year = year_id
        self.unit_ids = unit_ids
        self.group = group  # shared by the transaction's callbacks of the year

    def __call__(self) -> None:
        if not self.group["sent"]:
            self.group["sent"] = True
            enqueue(RECOMPUTE_TASK, self.kaohe_recompute_year)


def _pending(year_id: int) -> list[_Recompute]:
    connection = transaction.get_connection()
    return [
        func
        for _sids, func, _robust in connection.run_on_commit
        if getattr(func, "kaohe_recompute_year", None) == year_id
    ]


def recompute_requested(year_id: int) -> bool:
    """Whether the current transaction already asks for this year's recompute. Django's own
    list of on-commit callbacks is the record, so a rollback forgets the request too."""
    return bool(_pending(year_id))


def scores_request_recompute(
    year: AssessmentYear, units: Iterable[Unit | int] | None = None
) -> None:
    """Ask for the year's scores to be recomputed once the current transaction commits
    (through Celery: inline without a broker, on a worker with one): those of ``units`` (the
    units whose inputs changed; the year is then re-ranked), or the whole year's. However many
    inputs the transaction changes, the year is recomputed once, for the units they touch."""
    wanted = None if units is None else {u if isinstance(u, int) else u.pk for u in units}
    pending = _pending(year.pk)
    asked = _units_asked([p.unit_ids for p in pending]) if pending else set()
    if asked is None or (wanted is not None and wanted <= asked):
        return  # already asked for in this transaction
    unit_ids = None if wanted is None else sorted(wanted - asked)
    RecomputeRequest.objects.create(year=year, unit_ids=unit_ids)  # kept until a recompute
    if not pending:
        year_changed(year.pk)  # the cached dashboard and progress overview
    group = pending[0].group if pending else {"sent": False}
    transaction.on_commit(_Recompute(year.pk, unit_ids, group))


def _units_asked(requests: list[list[int] | None]) -> set[int] | None:
    """The units the requests ask for together; None when one asks for the whole year."""
    units: set[int] = set()
    for asked in requests:
        if asked is None:
            return None
        units.update(asked)
    return units


STALE_REQUEST = dt.timedelta(minutes=2)


def scores_recompute_requested(*, year: AssessmentYear) -> int:
    """The recompute task's body: recompute what the requests it saw ask for (the units they
    name, or the whole year) and forget them (those committed while it ran stay for the next
    one). Returns the number of units scored."""
    requests = dict(RecomputeRequest.objects.filter(year=year).values_list("pk", "unit_ids"))
    seen = list(requests)
    if not AssessmentYear.objects.get(pk=year.pk).is_editable:
        RecomputeRequest.objects.filter(pk__in=seen).delete()
        return 0  # closed since it was asked for: its scores are final
    units = _units_asked(list(requests.values()))
    if units is None:
        count = len(scores_compute(year=year))
    else:
        count = len(scores_compute(year=year, unit_ids=units))
    RecomputeRequest.objects.filter(pk__in=seen).delete()
    return count


def scores_sweep_stale(*, older_than: dt.timedelta = STALE_REQUEST) -> int:
    """The periodic sweep: queue a recompute for every year whose request is older than
    ``older_than`` (its on-commit hand-off was lost, e.g. Redis was down). Returns how many."""
    years = (
        RecomputeRequest.objects.filter(requested_at__lte=timezone.now() - older_than)
        .values_list("year_id", flat=True)
        .distinct()
    )
    return sum(enqueue(RECOMPUTE_TASK, year_id) for year_id in sorted(set(years)))
