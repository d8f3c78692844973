"""The scoring engine: points per unit and indicator by the indicator's method, inspection
adjustments, one-vote veto, capped bonus, the three thirds scaled to the year's weights, total,
rank within unit kind and a proposed grade.

Set-based: a handful of queries for the whole year, whatever the number of units, then one bulk
write. Every indicator score keeps a breakdown (method → inputs → points) that explains it.
Exact decimals throughout; ranks use the exact totals.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
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


@dataclass
class Inputs:
    """Everything the year's scores depend on, read in a fixed number of queries."""

    targets: list[Target]
    latest_report: dict[int, ReportRow]  # target id -> latest approved report
    decisions: dict[int, Decision]  # target id -> decision
    midterm: dict[int, MidtermReview]  # unit id -> review
    findings: dict[tuple[int, int], list[FindingRow]]  # (unit id, indicator id) -> findings
    awards: dict[int, list[BonusAward]]  # unit id -> awards
    weights: dict[str, dict[str, int]]  # unit kind -> category -> weight
    deductions: dict[int, list[DeductionRow]] = field(default_factory=dict)  # target id -> entries


def _read_inputs(year: AssessmentYear) -> Inputs:
    targets = list(
        Target.objects.filter(year=year)
        .select_related("indicator", "unit")
        .exclude(indicator__method=Method.BONUS)
    )
    latest: dict[int, ReportRow] = {}
    for report in (
        ProgressReport.objects.filter(target__year=year, status=ProgressReport.Status.APPROVED)
        .order_by("target_id", "month")
        .values("id", "target_id", "month", "actual_value")
    ):
        latest[report["target_id"]] = report  # ordered by month: the last one wins
    findings: dict[tuple[int, int], list[FindingRow]] = defaultdict(list)
    for f in (
        Finding.objects.filter(inspection__year=year, indicator__isnull=False)
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
        DeductionEntry.objects.filter(target__year=year, withdrawn_at__isnull=True)
        .filter(Q(sheet__isnull=True) | Q(sheet__status=ScoringSheet.Status.ACCEPTED))
        .order_by("occurred_on", "pk")
        .values(*DeductionRow.__annotations__)
    ):
        deductions[d["target_id"]].append(d)  # type: ignore[arg-type]
    awards: dict[int, list[BonusAward]] = defaultdict(list)
    for award in BonusAward.objects.filter(year=year).select_related("indicator", "unit"):
        awards[award.unit_id].append(award)
    return Inputs(
        targets=targets,
        latest_report=latest,
        decisions={d.target_id: d for d in Decision.objects.filter(target__year=year)},
        midterm={m.unit_id: m for m in MidtermReview.objects.filter(year=year)},
        findings=findings,
        awards=awards,
        deductions=deductions,
        weights={
            w.unit_kind: {c: w.weight_of(c) for c in THREE_THIRDS} for w in year.weights.all()
        },
    )


def base_points(year: AssessmentYear, target: Target, inputs: Inputs) -> tuple[Decimal, dict]:
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


@dataclass
class UnitResult:
    unit: Unit
    kind: str
    items: list[IndicatorScore] = field(default_factory=list)
    sums: dict[str, list[Decimal]] = field(
        default_factory=lambda: {c: [ZERO, ZERO] for c in THREE_THIRDS}
    )  # category -> [Σp, Σm]
    bonus_raw: Decimal = ZERO
    veto_failed: bool = False


def _compute(year: AssessmentYear, inputs: Inputs) -> list[tuple[UnitScore, list[IndicatorScore]]]:
    """Every unit's score (not saved), with its indicator scores to save once it is."""
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
            IndicatorScore(
                target=target,
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
                IndicatorScore(
                    indicator=indicator,
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
    assign_ranks([score for score, _items in computed])
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


@transaction.atomic
def scores_compute(*, year: AssessmentYear) -> list[UnitScore]:
    """Recompute and store every unit score of the year, replacing the previous ones; refused
    once the year is closed (its scores are final). FOR NO KEY UPDATE: recomputes of a year
    run one at a time, changes of its inputs (year_require_open, FOR KEY SHARE) go on."""
    year = AssessmentYear.objects.select_for_update(no_key=True).get(pk=year.pk)
    if not year.is_editable:
        raise ValidationError(
            _("The %(year)s assessment is %(status)s: nothing in it can change any more.")
            % {"year": year.year, "status": year.get_status_display()}
        )
    computed = _compute(year, _read_inputs(year))
    scores = [score for score, _items in computed]
    UnitScore.objects.filter(year=year).delete()
    UnitScore.objects.bulk_create(scores)
    items = []
    for score, pending in computed:
        for item in pending:
            item.unit_score = score
            items.append(item)
    IndicatorScore.objects.bulk_create(items, batch_size=500)
    year_changed(year.pk)
    return scores


RECOMPUTE_TASK = "assessments.recompute_scores"


class _Recompute:
    """The on-commit callback that asks for one year's recompute (tagged, so a transaction
    registers it once however many inputs it changes)."""

    def __init__(self, year_id: int):
        self.kaohe_recompute_year = year_id

    def __call__(self) -> None:
        enqueue(RECOMPUTE_TASK, self.kaohe_recompute_year)


def recompute_requested(year_id: int) -> bool:
    """Whether the current transaction already asks for this year's recompute. Django's own
    list of on-commit callbacks is the record, so a rollback forgets the request too."""
    connection = transaction.get_connection()
    return any(
        getattr(func, "kaohe_recompute_year", None) == year_id
        for _sids, func, _robust in connection.run_on_commit
    )


def scores_request_recompute(year: AssessmentYear) -> None:
    """Ask for the year's scores to be recomputed once the current transaction commits
    (through Celery: inline without a broker, on a worker with one). However many inputs the
    transaction changes, the year is recomputed once."""
    if not recompute_requested(year.pk):
        RecomputeRequest.objects.create(year=year)  # kept until a recompute has seen it
        year_changed(year.pk)  # the cached dashboard and progress overview
        transaction.on_commit(_Recompute(year.pk))


STALE_REQUEST = dt.timedelta(minutes=2)


def scores_recompute_requested(*, year: AssessmentYear) -> int:
    """The recompute task's body: recompute the year and forget the requests it saw (those
    committed while it ran stay for the next one). Returns the number of units scored."""
    seen = list(RecomputeRequest.objects.filter(year=year).values_list("pk", flat=True))
    if not AssessmentYear.objects.get(pk=year.pk).is_editable:
        RecomputeRequest.objects.filter(pk__in=seen).delete()
        return 0  # closed since it was asked for: its scores are final
    count = len(scores_compute(year=year))
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
