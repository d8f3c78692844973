"""The demo county's 2015 as it stood at the end of October 2015: targets for every assessed unit,
monthly progress reports January–October, the four checks with their findings and rectification
items, the mid-term review, decisions on graded and manual indicators, bonus awards,
party-building responsibility letters, and the computed scores.

Like the county itself, the year is planned in memory first (``random.Random(data.
PROGRESS_SEED)``: the same every time), then written through the services. Each unit has a
profile, a quality tier (A strong … D weak) and an October colour (green, amber, red), that
drives its progress, levels, mid-term score and inspection findings, so that the overview and
the rankings look like a real county's.

Targets, milestones, inspections, findings, rectifications, mid-term reviews, bonus awards and
letters go through the services one by one. The routine monthly reports (some 14,000) and the
decisions (some 700) would take minutes that way, so they are built in memory and inserted in
bulk: ``_report_row`` and ``_decision_row`` keep the rules of ``progress_submit`` /
``progress_approve`` and ``decision_set`` and check each row with ``full_clean``. The reports
with a story (late ones, returned and corrected ones, the demo liaison's October reports) still
go through the services.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import services
from assessments.models import (
    AssessmentYear,
    Decision,
    Indicator,
    Level,
    ProgressReport,
    Target,
)
from assessments.services.progress import report_deadline
from cadres.models import Cadre, PostKind, Unit

from . import data
from .leads import load_leads

if TYPE_CHECKING:
    from .loader import CadrePlan, Plan

TZ = ZoneInfo(data.TIME_ZONE)
MONTHS = range(1, data.LAST_MONTH + 1)
Method = Indicator.Method
LEVELS = [Level.GOOD, Level.FAIR, Level.AVERAGE, Level.POOR]
KIND_ORDER = [data.TOWNSHIP, data.DEPARTMENT, data.COMMITTEE]

COUNT_KEYS = (
    "targets",
    "milestones",
    "reports",
    "late_reports",
    "returned_reports",
    "inspections",
    "findings",
    "rectifications",
    "midterm_reviews",
    "decisions",
    "bonus_awards",
    "letters",
    "scored_units",
    "sheets",
    "sheet_rows",
    "deduction_entries",
)


# --- The plan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    code: str
    kind: str
    tier: str  # A … D
    colour: str  # green, amber, red: the October colour of its numeric targets


@dataclass
class TargetPlan:
    unit: str
    kind: str
    indicator: str
    method: str
    value: Decimal | None = None
    measure: str = ""
    note: str = ""
    milestones: dict[int, Decimal] = field(default_factory=dict)


@dataclass
class ReturnPlan:
    """A report first handed in wrong, returned with a reason and (unless ``resubmitted_at`` is
    None) corrected."""

    narrative: str
    actual: Decimal | None
    reason: str
    returned_at: dt.datetime
    resubmitted_at: dt.datetime | None


@dataclass
class ReportPlan:
    unit: str
    indicator: str
    month: int
    actual: Decimal | None
    narrative: str
    submitted_at: dt.datetime
    reviewed_at: dt.datetime | None  # None: awaiting review (or left returned)
    returned: ReturnPlan | None = None
    via_service: bool = False


@dataclass
class FindingPlan:
    unit: str
    description: str
    indicator: str | None = None
    points: Decimal = Decimal(0)
    vetoes: bool = False
    cadre: str | None = None  # cadre number
    rectify: str = ""
    rectify_by: dt.date | None = None
    closed_on: dt.date | None = None
    closing_note: str = ""


@dataclass
class InspectionPlan:
    kind: str
    title: str
    held_on: dt.date
    inspectors: str
    units: list[str]
    cadres: list[str] = field(default_factory=list)
    findings: list[FindingPlan] = field(default_factory=list)
    summary: str = ""


@dataclass(frozen=True)
class DecisionPlan:
    unit: str
    indicator: str
    level: str
    points: Decimal | None
    reason: str
    decided_at: dt.datetime


@dataclass(frozen=True)
class MidtermPlan:
    unit: str
    score: Decimal
    reviewed_on: dt.date


@dataclass(frozen=True)
class LetterPlan:
    unit: str
    title: str
    unit_signatory: str
    signed_on: dt.date


@dataclass
class ProgressPlan:
    profiles: dict[str, Profile]
    targets: list[TargetPlan]
    reports: list[ReportPlan]
    inspections: list[InspectionPlan]
    decisions: list[DecisionPlan]
    midterms: list[MidtermPlan]
    letters: list[LetterPlan]


# --- Planning helpers ---------------------------------------------------------------------------


def _quantize(value: Decimal | float, places: int = 0) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _plain(value: Decimal) -> str:
    """2.50 -> "2.5", 10 -> "10"."""
    return f"{value.normalize():f}"


def _at(day: dt.date, rng: random.Random, first_hour: int = 9, last_hour: int = 17) -> dt.datetime:
    """A working-hours moment of the day, in the county's time zone."""
    minute = rng.randint(first_hour * 60, last_hour * 60 - 1)
    return dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=TZ)


def _weekday_on_or_before(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _weekday_on_or_after(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _assessed(plan: Plan) -> list[str]:
    """Codes of the assessed units, townships first, then departments, then committees."""
    kinds = {u.code: u.kind for u in plan.units}
    codes = [code for code, kind in kinds.items() if kind in KIND_ORDER]
    return sorted(codes, key=lambda c: (KIND_ORDER.index(kinds[c]), c))


def leaf_indicators() -> list[data.IndicatorSpec]:
    """The 2015 indicators that are assigned as targets: leaves outside the bonus category."""
    parents = {s.parent for s in data.CATALOG if s.parent}
    return [
        s
        for s in data.CATALOG
        if data.PROGRESS_YEAR in s.years and s.code not in parents and s.category != "bonus"
    ]


def _profiles(rng: random.Random, plan: Plan) -> dict[str, Profile]:
    kinds = {u.code: u.kind for u in plan.units}
    profiles = {}
    for kind in KIND_ORDER:
        codes = [c for c in _assessed(plan) if kinds[c] == kind]
        # Tiers: the fixed ones first, then the rest drawn to fill each tier's count.
        left = dict(data.TIER_COUNTS[kind])
        tiers = {c: data.TIER_OVERRIDES[c] for c in codes if c in data.TIER_OVERRIDES}
        for tier in tiers.values():
            left[tier] -= 1
        pool = [t for t in data.TIERS for _ in range(max(0, left[t]))]
        free = [c for c in codes if c not in tiers]
        pool += ["C"] * (len(free) - len(pool))  # if the counts fall short
        rng.shuffle(pool)
        tiers.update(zip(free, pool, strict=False))
        # Colours: red mostly among weak units, amber among middling ones; story units stay green.
        red, amber = data.COLOUR_COUNTS[kind]
        fixed = set(data.TIER_OVERRIDES) | set(data.MISSING_OCTOBER) | {data.RETURNED_OPEN[0]}
        candidates = [c for c in codes if c not in fixed]
        weight = {"A": 0.2, "B": 1, "C": 3, "D": 8}
        reds = _weighted_sample(rng, candidates, [weight[tiers[c]] for c in candidates], red)
        candidates = [c for c in candidates if c not in reds]
        weight = {"A": 0.5, "B": 2, "C": 4, "D": 3}
        ambers = _weighted_sample(rng, candidates, [weight[tiers[c]] for c in candidates], amber)
        for code in codes:
            colour = "red" if code in reds else "amber" if code in ambers else "green"
            profiles[code] = Profile(code, kind, tiers[code], colour)
    return profiles


def _weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    items, weights, chosen = list(items), list(weights), []
    for _i in range(min(k, len(items))):
        index = rng.choices(range(len(items)), weights=weights)[0]
        chosen.append(items.pop(index))
        weights.pop(index)
    return chosen


def _ratio_target(rng: random.Random, unit: str, kind: str, code: str) -> TargetPlan:
    spec = data.RATIO_TARGETS[(code, kind)]
    low, high = spec.low, spec.high
    if unit in data.BIG_PROJECTS and code in ("I3.1", "I3.2"):
        big = data.BIG_PROJECTS[unit]
        low, high = big[:2] if code == "I3.1" else big[2:]
    value = Decimal(rng.randint(low // spec.step, high // spec.step) * spec.step)
    milestones = {}
    if spec.curve:
        milestones = {
            month: _quantize(value * Decimal(share), spec.places)
            for month, share in spec.curve.items()
        }
    return TargetPlan(unit, kind, code, Method.RATIO, value, spec.measure, spec.note, milestones)


def plan_value(target: TargetPlan, month: int) -> Decimal:
    """The plan at a month end, as the status rules read it (assessments.selectors.progress)."""
    if target.milestones:
        upto = [v for m, v in sorted(target.milestones.items()) if m <= month]
        return upto[-1] if upto else Decimal(0)
    return target.value * month / 12


def _colour_of(actual: Decimal, plan: Decimal) -> str:
    """The status colour of a numeric target (the year's default thresholds)."""
    ratio = actual / plan if plan else Decimal(1)
    if ratio >= data.GREEN_FROM:
        return "green"
    return "amber" if ratio >= data.AMBER_FROM else "red"


def _october_paces(rng: random.Random, profile: Profile, targets: list[TargetPlan]) -> dict:
    """October actual / plan of each numeric target of a unit, following its colour."""
    low, high = data.PACE[profile.tier]
    paces = {t.indicator: rng.uniform(low, high) for t in targets}
    # Too few projects to lag by a fraction: project starts are never the lagging target.
    laggable = [t.indicator for t in targets if t.indicator != "I3.2"]
    if profile.colour == "red":
        lagging = rng.sample(laggable, min(len(laggable), rng.choice([1, 1, 2])))
        paces[lagging[0]] = rng.uniform(*data.PACE["red"])
        for code in lagging[1:]:
            paces[code] = rng.uniform(*data.PACE["amber"])
    elif profile.colour == "amber":
        for code in rng.sample(laggable, min(len(laggable), rng.choice([1, 1, 2]))):
            paces[code] = rng.uniform(*data.PACE["amber"])
    return paces


def _series(rng: random.Random, target: TargetPlan, october_pace: float) -> list[Decimal]:
    """Cumulative actual values January–October: the unit's pace drifts from where it started
    the year to where it stands in October, and never goes backwards."""
    spec = data.RATIO_TARGETS[(target.indicator, target.kind)]
    start = rng.uniform(0.85, 1.12)
    values = []
    for month in MONTHS:
        share = (month / data.LAST_MONTH) ** 1.5
        noise = 0 if month == data.LAST_MONTH else rng.uniform(-0.03, 0.03)
        pace = start + (october_pace - start) * share + noise
        values.append(
            _quantize(plan_value(target, month) * Decimal(str(max(pace, 0))), spec.places)
        )
    step = Decimal(1).scaleb(-spec.places)
    october = values[-1]
    plan = plan_value(target, data.LAST_MONTH)
    wanted = _colour_of(_quantize(plan * Decimal(str(october_pace)), spec.places), plan)
    for _i in range(50):  # rounding can tip a small value over a band edge: nudge it back
        colour = _colour_of(october, plan)
        if colour == wanted:
            break
        order = ["red", "amber", "green"]
        october += step if order.index(colour) < order.index(wanted) else -step
    values[-1] = october
    result, highest = [], Decimal(0)
    for value in values:
        highest = max(highest, min(value, october))
        result.append(highest)
    return result


def _numbers(rng: random.Random) -> dict[str, int]:
    a = rng.randint(1, 6)
    return {"a": a, "b": rng.randint(a + 6, 60), "pct": rng.randint(85, 98)}


def _seasonal(table: dict, month: int):
    return next(value for (first, last), value in table.items() if first <= month <= last)


def _ratio_narrative(rng: random.Random, target: TargetPlan, month: int, actual: Decimal) -> str:
    pct = _quantize(actual * 100 / target.value, 1)
    text = data.RATIO_NARRATIVE[target.indicator].format(
        month=month,
        actual=actual,
        target=target.value,
        pct=pct,
        online=_quantize(actual * Decimal("0.12")),
    )
    phrase = rng.choice(_seasonal(data.SEASON_PHRASES[target.indicator], month))
    return text + phrase.format(survival=rng.randint(90, 97))


def _narrative(rng: random.Random, target: TargetPlan, month: int) -> str:
    code, numbers = target.indicator, _numbers(rng)
    if target.unit == data.VETO_UNIT and code == "T5" and month >= data.VETO_ON.month:
        if month == data.VETO_ON.month:
            return data.VETO_NARRATIVE
        return data.VETO_FOLLOW_UP.format(**numbers)
    if code in data.SEASONAL_NARRATIVES:
        return _seasonal(data.SEASONAL_NARRATIVES[code], month).format(**numbers)
    sentences = data.NARRATIVES[code]
    if code == "P4":  # the mid-term review is held in July
        return sentences[0 if month < 7 else 1].format(**numbers)
    return rng.choice(sentences).format(**numbers)


# --- Planning the year -----------------------------------------------------------------------


def _plan_targets(rng: random.Random, plan: Plan) -> list[TargetPlan]:
    kinds = {u.code: u.kind for u in plan.units}
    targets = []
    for spec in leaf_indicators():
        for unit in _assessed(plan):
            kind = kinds[unit]
            if kind not in spec.unit_kinds:
                continue
            if spec.method == Method.RATIO:
                targets.append(_ratio_target(rng, unit, kind, spec.code))
            else:
                targets.append(TargetPlan(unit, kind, spec.code, spec.method))
    return targets


def _submission_days(rng: random.Random, units: list[str]) -> dict[tuple[str, int], dt.datetime]:
    """When each unit hands in its reports for each month: its liaison's habit (early, on time,
    last minute), a weekday, by the 25th; the late units on the 26th–28th."""
    habits = [(12, 18), (16, 22), (20, 25)]
    days = {}
    for unit in units:
        first, last = rng.choice(habits)
        for month in MONTHS:
            if month in data.LATE_UNITS.get(unit, ()):
                late = [
                    dt.date(data.PROGRESS_YEAR, month, d)
                    for d in (26, 27, 28)
                    if dt.date(data.PROGRESS_YEAR, month, d).weekday() < 5
                ] or [dt.date(data.PROGRESS_YEAR, month, 26)]
                day = rng.choice(late)
            else:
                day = dt.date(data.PROGRESS_YEAR, month, rng.randint(first, last))
                day = _weekday_on_or_before(day)
            days[(unit, month)] = _at(day, rng, 9, 16)
    return days


def _review_time(rng: random.Random, submitted: dt.datetime) -> dt.datetime:
    """The office reviews within one to four working days, and never after the demo's today."""
    day = _weekday_on_or_after(submitted.date() + dt.timedelta(days=rng.randint(1, 4)))
    latest = _weekday_on_or_before(data.AS_OF)
    return max(_at(min(day, latest), rng), submitted + dt.timedelta(hours=1))


def _plan_reports(
    rng: random.Random, targets: list[TargetPlan], profiles: dict[str, Profile]
) -> list[ReportPlan]:
    units = list(profiles)
    submitted = _submission_days(rng, units)
    by_unit: dict[str, list[TargetPlan]] = defaultdict(list)
    for target in targets:
        by_unit[target.unit].append(target)
    series: dict[tuple[str, str], list[Decimal]] = {}
    for unit in units:
        numeric = [t for t in by_unit[unit] if t.method == Method.RATIO]
        paces = _october_paces(rng, profiles[unit], numeric)
        for target in numeric:
            series[(unit, target.indicator)] = _series(rng, target, paces[target.indicator])

    awaiting = {(u, t.indicator) for u in data.AWAITING_UNITS for t in by_unit[u]}
    others = [(t.unit, t.indicator) for t in targets if t.unit not in data.AWAITING_UNITS]
    awaiting |= set(rng.sample(others, data.AWAITING_OTHERS))
    reports = []
    for target in targets:
        key = (target.unit, target.indicator)
        offset = by_unit[target.unit].index(target)  # a liaison enters one report after another
        for month in MONTHS:
            october = month == data.LAST_MONTH
            if october and target.indicator in data.MISSING_OCTOBER.get(target.unit, ()):
                continue
            at = submitted[(target.unit, month)] + dt.timedelta(minutes=2 * offset)
            actual = series[key][month - 1] if key in series else None
            if actual is None:
                narrative = _narrative(rng, target, month)
            else:
                narrative = _ratio_narrative(rng, target, month, actual)
            late = month in data.LATE_UNITS.get(target.unit, ())
            reviewed = None if october and key in awaiting else _review_time(rng, at)
            reports.append(
                ReportPlan(
                    unit=target.unit,
                    indicator=target.indicator,
                    month=month,
                    actual=actual,
                    narrative=narrative,
                    submitted_at=at,
                    reviewed_at=reviewed,
                    # The demo liaison's own October reports and the late ones go through
                    # the service; so do the returned ones (see _plan_returns).
                    via_service=late or (october and target.unit == _liaison_unit()),
                )
            )
    _plan_returns(rng, reports, series)
    return reports


def _liaison_unit() -> str:
    return next(unit for _name, role, unit, _full in data.ACCOUNTS if role == "liaison")


def _plan_returns(rng: random.Random, reports: list[ReportPlan], series: dict) -> None:
    """Some reports are returned with a reason and corrected; 龙泉镇's October marketing report
    is returned and still awaits its correction."""
    candidates = [
        r
        for r in reports
        if 3 <= r.month <= 9
        and r.unit not in data.LATE_UNITS
        and r.submitted_at.day <= 22
        and r.reviewed_at is not None
    ]
    # A figure can only be mistaken for the month's increment once something has been done.
    numeric = [
        r
        for r in candidates
        if r.actual and r.actual > series[(r.unit, r.indicator)][r.month - 2] > 0
    ]
    other = [r for r in candidates if r.actual is None]
    chosen = rng.sample(numeric, data.RETURNS - 3) + rng.sample(other, 3)
    for report in chosen:
        kind = "vague" if report.actual is None else rng.choice(["monthly", "evidence", "vague"])
        _return(rng, report, kind, series, corrected=True)
    unit, code = data.RETURNED_OPEN
    report = next(
        r for r in reports if (r.unit, r.indicator, r.month) == (unit, code, data.LAST_MONTH)
    )
    _return(rng, report, "monthly", series, corrected=False)


def _return(rng, report: ReportPlan, kind: str, series: dict, *, corrected: bool) -> None:
    reason = dict(data.RETURN_REASONS)[kind]
    first_actual, first_narrative = report.actual, report.narrative
    if kind == "monthly":
        values = series[(report.unit, report.indicator)]
        previous = values[report.month - 2] if report.month > 1 else Decimal(0)
        first_actual = report.actual - previous
    elif kind == "vague":
        first_narrative = data.VAGUE_NARRATIVE
    else:
        report.narrative += data.EVIDENCE_SENT
    returned_at = _review_time(rng, report.submitted_at)
    resubmitted_at = None
    if corrected:
        resubmitted_at = _at(
            _weekday_on_or_after(returned_at.date() + dt.timedelta(days=rng.randint(1, 2))), rng
        )
        report.reviewed_at = _review_time(rng, resubmitted_at)
    else:
        report.reviewed_at = None
    report.returned = ReturnPlan(first_narrative, first_actual, reason, returned_at, resubmitted_at)
    report.via_service = True


def _plan_reviews(
    rng: random.Random, targets: list[TargetPlan], profiles: dict[str, Profile]
) -> tuple[list[DecisionPlan], list[MidtermPlan]]:
    names = {s.code: s.name for s in data.CATALOG}
    points = {s.code: Decimal(s.max_points or 0) for s in data.CATALOG}
    decisions = []
    for target in targets:
        tier = profiles[target.unit].tier
        decided = _at(_weekday_on_or_before(_day_between(rng, *data.DECISION_DAYS)), rng)
        if target.method == Method.LEVELS:
            level = data.FORCED_LEVELS.get((target.unit, target.indicator))
            level = level or rng.choices(LEVELS, weights=data.LEVEL_ODDS[tier])[0]
            reason = data.DECISION_REASONS[level].format(name=names[target.indicator])
            decisions.append(
                DecisionPlan(target.unit, target.indicator, level, None, reason, decided)
            )
        elif target.method == Method.MANUAL:
            share = Decimal(str(rng.uniform(*data.MANUAL_SHARE[tier])))
            value = _quantize(points[target.indicator] * share * 2) / 2
            reason = data.MANUAL_REASON.format(pct=_quantize(share * 100))
            decisions.append(
                DecisionPlan(target.unit, target.indicator, "", value, reason, decided)
            )
    midterms = []
    for unit in [t.unit for t in targets if t.method == Method.MIDTERM]:
        low, high = data.MIDTERM_SCORES[profiles[unit].tier]
        score = _quantize(rng.uniform(low, high) * 2) / 2
        day = _weekday_on_or_before(_day_between(rng, *data.MIDTERM_DAYS))
        midterms.append(MidtermPlan(unit, score, day))
    return decisions, midterms


def _plan_letters(rng: random.Random, plan: Plan, profiles: dict[str, Profile]) -> list:
    names = dict((u.code, u.name) for u in plan.units)
    letters = []
    for code, profile in profiles.items():
        if profile.kind not in data.LETTER_KINDS:
            continue
        letters.append(
            LetterPlan(
                unit=code,
                title=data.LETTER_TITLE.format(unit=names[code]),
                unit_signatory=plan.principal_of(code).name,
                signed_on=_day_between(rng, *data.LETTER_DAYS),
            )
        )
    return letters


# --- Planning the four checks -----------------------------------------------------------------


class _Checks:
    """Plans the year's inspections from the unit profiles."""

    def __init__(self, rng: random.Random, plan: Plan, profiles: dict[str, Profile]):
        self.rng, self.plan, self.profiles = rng, plan, profiles
        self.names = {u.code: u.name for u in plan.units}
        self.staff: dict[str, list[CadrePlan]] = defaultdict(list)
        for cadre in plan.cadres:
            self.staff[cadre.post.unit].append(cadre)
        office = self.staff["XX-D03"]
        self.office_names = [c.name for c in office if c.post.title == "考核办主任"] + [
            c.name for c in office if c.post.post_kind == PostKind.STAFF
        ]
        self.by_kind = {k: [c for c, p in profiles.items() if p.kind == k] for k in KIND_ORDER}

    def inspectors(self, team: str) -> str:
        names = self.office_names[:1] + self.rng.sample(self.office_names[1:], 1)
        return f"{team}：{'、'.join(names)}"

    def cadre_of(self, unit: str, *, leading: bool | None = None) -> CadrePlan:
        cadres = self.staff[unit]
        if leading is not None:
            cadres = [c for c in cadres if c.post.is_leading == leading] or cadres
        return self.rng.choice(cadres)

    def finding(self, unit: str, spec: data.FindingSpec, held_on: dt.date) -> FindingPlan:
        cadre = None
        if "{cadre}" in spec.description:
            cadre = self.cadre_of(unit, leading=False)
        rectify_by = None
        if spec.rectify and (spec.indicator is None or self.rng.random() < 0.6):
            rectify_by = held_on + dt.timedelta(days=self.rng.randint(15, 40))
        return FindingPlan(
            unit=unit,
            description=spec.description.format(cadre=cadre.name if cadre else ""),
            indicator=spec.indicator,
            points=Decimal(spec.points),
            cadre=cadre.number if cadre else None,
            rectify=spec.rectify if rectify_by else "",
            rectify_by=rectify_by,
        )

    def draw(self, unit: str, pool: list, held_on: dt.date, odds: float) -> FindingPlan | None:
        kind = self.profiles[unit].kind
        specs = [s for s in pool if kind in s.kinds]
        if not specs or self.rng.random() >= odds:
            return None
        return self.finding(unit, self.rng.choice(specs), held_on)

    def odds(self, unit: str, scale: float = 1.0) -> float:
        return data.DEDUCTION_ODDS[self.profiles[unit].tier] * scale

    def summarize(self, inspection: InspectionPlan) -> None:
        problems = [f for f in inspection.findings if f.points <= 0]
        praised = [f for f in inspection.findings if f.points > 0]
        deducted = -sum((f.points for f in problems), Decimal(0))
        inspection.summary = data.CHECK_SUMMARY.format(
            units=len(inspection.units), found=len(problems), points=_plain(deducted)
        )
        if praised:
            inspection.summary += data.CHECK_PRAISE.format(praised=len(praised))

    # -- the four kinds --

    def centralized(self) -> list[InspectionPlan]:
        rounds = []
        for held_on, title in data.CENTRALIZED_ROUNDS:
            units = list(self.by_kind[data.TOWNSHIP])
            for kind, count in data.CENTRALIZED_SCOPE.items():
                units += sorted(self.rng.sample(self.by_kind[kind], count))
            inspection = InspectionPlan(
                data.CENTRALIZED, title, held_on, self.inspectors(data.OFFICE_TEAM), units
            )
            inspection.cadres = [self.plan.principal_of(u).number for u in units[:8]]
            for unit in units:
                found = self.draw(unit, data.CENTRALIZED_FINDINGS, held_on, self.odds(unit))
                found = found or self.draw(unit, data.CENTRALIZED_NOTES, held_on, 0.08)
                if found:
                    inspection.findings.append(found)
            rounds.append(inspection)
        for unit, code, points, description, index in data.POSITIVE_FINDINGS:
            inspection = rounds[index]
            if unit not in inspection.units:
                inspection.units.append(unit)
            inspection.findings.append(FindingPlan(unit, description, code, Decimal(points)))
        for inspection in rounds:
            self.summarize(inspection)
        return rounds

    def _scope(self, parts: list) -> list[str]:
        units: list[str] = []
        parts = list(parts)
        while parts:
            part = parts.pop(0)
            if part == "townships":
                units += self.by_kind[data.TOWNSHIP]
            elif part == "big_projects":
                count = parts.pop(0)
                others = [u for u in self.by_kind[data.DEPARTMENT] if u not in data.BIG_PROJECTS]
                units += sorted(data.BIG_PROJECTS) + sorted(self.rng.sample(others, count))
            elif part == "random":
                count = parts.pop(0)
                units += sorted(self.rng.sample(list(self.profiles), count))
            else:
                units.append(part)
        return list(dict.fromkeys(units))

    def special(self) -> list[InspectionPlan]:
        checks = []
        for held_on, title, team, scope, pool in data.SPECIAL_CHECKS:
            units = self._scope(scope)
            inspection = InspectionPlan(data.SPECIAL, title, held_on, self.inspectors(team), units)
            inspection.cadres = [
                self.plan.principal_of(u).number for u in self.rng.sample(units, min(4, len(units)))
            ]
            is_safety = any(s.indicator == "T5" for s in pool)
            for unit in units:
                if is_safety and unit == data.VETO_UNIT:
                    veto = self.finding(unit, data.VETO_FINDING, held_on)
                    veto.vetoes = True
                    veto.rectify = data.VETO_FINDING.rectify
                    veto.rectify_by = dt.date(2015, 9, 15)
                    veto.cadre = self.plan.principal_of(unit).number
                    inspection.findings.append(veto)
                    continue
                found = self.draw(unit, pool, held_on, self.odds(unit, 1.2))
                if found:
                    inspection.findings.append(found)
            self.summarize(inspection)
            checks.append(inspection)
        return checks

    def _dates(self, count: int, first: dt.date, last: dt.date) -> list[dt.date]:
        span = (last - first).days
        days = []
        for i in range(count):
            start = first + dt.timedelta(days=span * i // count)
            end = first + dt.timedelta(days=span * (i + 1) // count - 1)
            days.append(_weekday_on_or_before(_day_between(self.rng, start, end)))
        return [max(d, first) for d in days]

    def spot(self) -> list[InspectionPlan]:
        checks = []
        count = data.INSPECTION_COUNTS[data.SPOT]
        for n, held_on in enumerate(self._dates(count, dt.date(2015, 1, 12), data.AS_OF), 1):
            units = sorted(self.rng.sample(list(self.profiles), self.rng.randint(1, 3)))
            cadres = []
            for unit in units:
                pool = self.staff[unit]
                cadres += [c.number for c in self.rng.sample(pool, min(len(pool), 2))]
            inspection = InspectionPlan(
                data.SPOT,
                data.SPOT_TITLE.format(n=n),
                held_on,
                self.inspectors(data.OFFICE_TEAM),
                units,
                sorted(cadres),
            )
            for unit in units:
                found = self.draw(unit, data.SPOT_FINDINGS, held_on, self.odds(unit))
                found = found or self.draw(unit, data.SPOT_NOTES, held_on, 0.2)
                if found:
                    inspection.findings.append(found)
            names = "、".join(self.names[u] for u in units)
            if inspection.findings:
                text = data.SPOT_DIRTY.format(units=names, n=len(inspection.findings))
            else:
                text = data.SPOT_CLEAN.format(units=names)
            inspection.summary = text
            checks.append(inspection)
        return checks

    def interview(self) -> list[InspectionPlan]:
        checks = []
        count = data.INSPECTION_COUNTS[data.INTERVIEW]
        townships = self.rng.sample(self.by_kind[data.TOWNSHIP], count)
        for township, held_on in zip(
            townships, self._dates(count, dt.date(2015, 4, 1), data.AS_OF), strict=True
        ):
            departments = self.rng.sample(self.by_kind[data.DEPARTMENT], self.rng.randint(1, 2))
            units = [township, *sorted(departments)]
            leaders = [c for c in self.staff[township] if c.post.is_leading]
            cadres = [c.number for c in leaders[:4]]
            cadres += [self.plan.principal_of(d).number for d in departments]
            names = "、".join(self.names[u] for u in units)
            inspection = InspectionPlan(
                data.INTERVIEW,
                data.INTERVIEW_TITLE.format(units=names),
                held_on,
                self.inspectors(data.OFFICE_TEAM),
                units,
                cadres,
            )
            for unit in units:
                found = self.draw(unit, data.INTERVIEW_FINDINGS, held_on, self.odds(unit, 0.8))
                found = found or self.draw(unit, data.INTERVIEW_NOTES, held_on, 0.5)
                if found:
                    inspection.findings.append(found)
            inspection.summary = data.INTERVIEW_SUMMARY.format(
                cadres=len(cadres),
                people=self.rng.randint(40, 120),
                forms=self.rng.randint(100, 300),
                rate=self.rng.randint(86, 97),
            )
            checks.append(inspection)
        return checks

    def close_rectifications(self, inspections: list[InspectionPlan]) -> None:
        """Most items are put right by their deadline; a few are still open, some of them
        overdue (the weakest units' most recent ones)."""
        items = [
            (i.held_on, f) for i in inspections for f in i.findings if f.rectify_by is not None
        ]
        due = [(held, f) for held, f in items if f.rectify_by <= data.AS_OF - dt.timedelta(days=5)]
        weak = [
            (held, f)
            for held, f in due
            if self.profiles[f.unit].tier in "CD" and held >= dt.date(2015, 7, 1) and not f.vetoes
        ]
        overdue = {
            id(f) for _held, f in self.rng.sample(weak, min(len(weak), data.OVERDUE_RECTIFICATIONS))
        }
        for held, finding in items:
            if id(finding) in overdue:
                continue
            if finding.rectify_by <= data.AS_OF:
                earliest = held + dt.timedelta(days=3)
                closed = finding.rectify_by - dt.timedelta(days=self.rng.randint(0, 10))
                finding.closed_on = max(closed, earliest)
            elif held + dt.timedelta(days=10) <= data.AS_OF and self.rng.random() < 0.35:
                finding.closed_on = _day_between(self.rng, held + dt.timedelta(days=5), data.AS_OF)
            if finding.closed_on:
                finding.closing_note = self.rng.choice(data.CLOSING_NOTES)


def plan_progress(plan: Plan) -> ProgressPlan:
    """The demo county's 2015 at the end of October, the same on every call."""
    rng = random.Random(data.PROGRESS_SEED)
    profiles = _profiles(rng, plan)
    targets = _plan_targets(rng, plan)
    reports = _plan_reports(rng, targets, profiles)
    decisions, midterms = _plan_reviews(rng, targets, profiles)
    checks = _Checks(rng, plan, profiles)
    inspections = checks.centralized() + checks.special() + checks.spot() + checks.interview()
    checks.close_rectifications(inspections)
    inspections.sort(key=lambda i: i.held_on)
    letters = _plan_letters(rng, plan, profiles)
    return ProgressPlan(profiles, targets, reports, inspections, decisions, midterms, letters)


# --- Writing (through the services) ------------------------------------------------------------


def _is_recompute_request(func) -> bool:
    return getattr(func, "kaohe_recompute_year", None) is not None


@contextmanager
def _scores_computed_once(year: AssessmentYear) -> Iterator[None]:
    """Run the block's writes, then compute the year's scores once.

    The services ask for one recompute of the year when the transaction commits; as the demo
    computes the scores here, inside the transaction, that request is dropped (any other
    on-commit work is kept), so loading does not compute the whole year twice."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("The demo year must be loaded inside a transaction.")
    start = len(connection.run_on_commit)
    yield
    queued = connection.run_on_commit[start:]
    connection.run_on_commit[start:] = [e for e in queued if not _is_recompute_request(e[1])]
    services.scores_compute(year=year)


def _approve(report: ProgressReport, at: dt.datetime, by) -> ProgressReport:
    """The office's approval (progress_approve's rule: only a submitted report), dated."""
    if report.status != ProgressReport.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be approved."))
    report.status = ProgressReport.Status.APPROVED
    report.reviewed_at, report.reviewed_by = at, by
    return report


def _report_row(target: Target, plan: ReportPlan, by, reviewer) -> ProgressReport:
    """A routine report, submitted (and approved when reviewed), built for one bulk insert.

    The rules are those of ``progress_submit`` and ``progress_approve``; the fields are checked
    by ``full_clean``. The one-report-per-month and check constraints are left to the database,
    which enforces them on the insert (checking them here would cost queries per row)."""
    now, month, narrative = plan.submitted_at, plan.month, plan.narrative.strip()
    today = timezone.localdate(now)
    year = target.year
    if (year.year, month) > (today.year, today.month):
        raise ValidationError({"month": _("A month cannot be reported before it has begun.")})
    if not year.is_editable:
        raise ValidationError(_("The year is closed; progress can no longer be reported."))
    if target.indicator.method == Method.RATIO and plan.actual is None:
        raise ValidationError({"actual_value": _("Enter the cumulative actual value.")})
    if not narrative:
        raise ValidationError({"narrative": _("Describe the progress.")})
    report = ProgressReport(
        target=target,
        month=month,
        actual_value=plan.actual,
        narrative=narrative,
        status=ProgressReport.Status.SUBMITTED,
        submitted_at=now,
        submitted_by=by,
        is_late=today > report_deadline(target, month),
    )
    if plan.reviewed_at is not None:
        _approve(report, plan.reviewed_at, reviewer)
    report.full_clean(
        exclude=["target", "submitted_by", "reviewed_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    return report


def _decision_row(target: Target, plan: DecisionPlan, by) -> Decision:
    """A decision on a graded or manual target, built for one bulk insert into a year whose
    targets have none yet. The rules are those of ``decision_set``; the fields are checked by
    ``full_clean``, the one-per-target and check constraints by the database on the insert."""
    indicator = target.indicator
    method = indicator.method
    if method == Method.LEVELS and not plan.level:
        raise ValidationError({"level": _("Choose a level.")})
    if method == Method.MANUAL:
        if plan.points is None:
            raise ValidationError({"points": _("Enter the points.")})
        if not 0 <= plan.points <= indicator.max_points:
            raise ValidationError(
                {
                    "points": _("Points must be between 0 and %(max)s.")
                    % {"max": indicator.max_points}
                }
            )
    if method not in (Method.LEVELS, Method.MANUAL):
        raise ValidationError(
            _("%(method)s indicators are not scored by a decision.")
            % {"method": indicator.get_method_display()}
        )
    if not plan.reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    decision = Decision(
        target=target,
        level=plan.level if method == Method.LEVELS else "",
        points=plan.points if method == Method.MANUAL else None,
        reason=plan.reason.strip(),
        decided_by=by,
        decided_at=plan.decided_at,
    )
    decision.full_clean(
        exclude=["target", "decided_by"], validate_unique=False, validate_constraints=False
    )
    return decision


class _Writer:
    def __init__(self, year: AssessmentYear, units: dict[str, Unit], progress: ProgressPlan):
        self.year, self.units, self.progress = year, units, progress
        # The county office reviews, decides and inspects; the liaison reports for its unit,
        # and the office records the other units' reports (they have no demo liaison login).
        office = next(a[0] for a in data.ACCOUNTS if a[1:3] == ("office", data.COUNTY[0]))
        liaison = next(a[0] for a in data.ACCOUNTS if a[1] == "liaison")
        users = get_user_model().objects.in_bulk([office, liaison], field_name="username")
        self.office, self.liaison = users[office], users[liaison]
        self.liaison_unit = _liaison_unit()
        self.indicators = {i.code: i for i in year.indicators.all()}
        self.targets: dict[tuple[str, str], Target] = {}

    def targets_and_milestones(self) -> tuple[int, int]:
        by_indicator: dict[str, list[TargetPlan]] = defaultdict(list)
        for target in self.progress.targets:
            by_indicator[target.indicator].append(target)
        for spec in leaf_indicators():
            indicator = self.indicators.get(spec.code)
            if indicator is None:
                continue  # taken out of the catalog by the office
            if spec.method == Method.RATIO:
                for t in by_indicator[spec.code]:
                    services.target_assign(
                        indicator=indicator,
                        unit=self.units[t.unit],
                        target_value=t.value,
                        measure=t.measure,
                        deadline=data.TARGET_DEADLINE,
                        note=t.note,
                    )
            else:
                for kind in spec.unit_kinds:
                    services.targets_assign_bulk(
                        indicator=indicator, unit_kind=kind, deadline=data.TARGET_DEADLINE
                    )
        self.targets = {
            (t.unit.code, t.indicator.code): t
            for t in Target.objects.filter(year=self.year).select_related(
                "unit", "indicator", "year"
            )
        }
        milestones = 0
        for plan in self.progress.targets:
            if plan.milestones and (plan.unit, plan.indicator) in self.targets:
                target = self.targets[(plan.unit, plan.indicator)]
                milestones += len(services.milestones_set(target=target, planned=plan.milestones))
        return len(self.targets), milestones

    def reports(self) -> None:
        rows, reviewed = [], []
        for plan in self.progress.reports:
            target = self.targets.get((plan.unit, plan.indicator))
            if target is None:
                continue
            by = self.liaison if plan.unit == self.liaison_unit else self.office
            if not plan.via_service:
                rows.append(_report_row(target, plan, by, self.office))
                continue
            first = plan.returned
            report = services.progress_submit(
                target=target,
                month=plan.month,
                narrative=first.narrative if first else plan.narrative,
                actual_value=first.actual if first else plan.actual,
                by=by,
                now=plan.submitted_at,
            )
            if first is not None:
                report = services.progress_return(
                    report=report, by=self.office, reason=first.reason
                )
                if first.resubmitted_at is None:
                    report.reviewed_at = first.returned_at  # dated like the rest of the demo
                    reviewed.append(report)
                    continue
                report = services.progress_submit(
                    target=target,
                    month=plan.month,
                    narrative=plan.narrative,
                    actual_value=plan.actual,
                    by=by,
                    now=first.resubmitted_at,
                )
            if plan.reviewed_at is not None:
                reviewed.append(_approve(report, plan.reviewed_at, self.office))
        ProgressReport.objects.bulk_create(rows, batch_size=500)
        ProgressReport.objects.bulk_update(
            reviewed, ["status", "reviewed_at", "reviewed_by"], batch_size=500
        )

    def reviews(self) -> tuple[int, int]:
        for plan in self.progress.midterms:
            services.midterm_set(
                year=self.year,
                unit=self.units[plan.unit],
                score=plan.score,
                reviewed_on=plan.reviewed_on,
                note=data.MIDTERM_NOTE,
            )
        decisions = [
            _decision_row(self.targets[(plan.unit, plan.indicator)], plan, self.office)
            for plan in self.progress.decisions
            if (plan.unit, plan.indicator) in self.targets
        ]
        Decision.objects.bulk_create(decisions, batch_size=500)
        return len(self.progress.midterms), len(decisions)

    def inspections(self) -> tuple[int, int, int]:
        numbers = {n for i in self.progress.inspections for n in i.cadres}
        numbers |= {f.cadre for i in self.progress.inspections for f in i.findings if f.cadre}
        cadres = {
            c.number: c for c in Cadre.objects.filter(number__in=numbers).select_related("unit")
        }
        findings = rectifications = 0
        for plan in self.progress.inspections:
            inspection = services.inspection_create(
                year=self.year,
                kind=plan.kind,
                title=plan.title,
                held_on=plan.held_on,
                inspectors=plan.inspectors,
                units=[self.units[u] for u in plan.units],
                cadres=[cadres[n] for n in plan.cadres if n in cadres],
                summary=plan.summary,
                by=self.office,
            )
            for f in plan.findings:
                finding = services.finding_add(
                    inspection=inspection,
                    unit=self.units[f.unit],
                    description=f.description,
                    indicator=self.indicators[f.indicator] if f.indicator else None,
                    points=f.points,
                    vetoes=f.vetoes,
                    cadre=cadres.get(f.cadre) if f.cadre else None,
                    rectify=f.rectify,
                    rectify_by=f.rectify_by,
                )
                findings += 1
                if f.rectify_by:
                    rectifications += 1
                if f.closed_on:
                    services.rectification_close(
                        item=finding.rectification,
                        closed_on=f.closed_on,
                        note=f.closing_note,
                        by=self.office,
                    )
        return len(self.progress.inspections), findings, rectifications

    def awards(self) -> int:
        for unit, code, points, honour, awarded_on in data.BONUS_AWARDS:
            services.bonus_award(
                year=self.year,
                unit=self.units[unit],
                indicator=self.indicators[code],
                points=Decimal(points),
                reason=honour,
                awarded_on=awarded_on,
                by=self.office,
            )
        return len(data.BONUS_AWARDS)

    def letters(self) -> int:
        party = defaultdict(list)
        for (unit, _code), target in sorted(
            self.targets.items(), key=lambda kv: (kv[0][0], kv[1].indicator.sort_order)
        ):
            if target.indicator.category == "party":
                party[unit].append(target)
        for plan in self.progress.letters:
            services.letter_create(
                year=self.year,
                title=plan.title,
                issuer=self.units[data.COUNTY[0]],
                issuer_signatory=data.COUNTY_SECRETARY,
                unit=self.units[plan.unit],
                unit_signatory=plan.unit_signatory,
                signed_on=plan.signed_on,
                targets=party[plan.unit],
            )
        return len(self.progress.letters)


def load_progress(plan: Plan, units: dict[str, Unit], year: AssessmentYear | None) -> dict:
    """Write the 2015 year as of October 2015, unless the year already has targets (then it is
    loaded, or the office has started it by hand: either way it is left alone). Returns how many
    rows of each were created (keys: ``COUNT_KEYS``)."""
    counts = dict.fromkeys(COUNT_KEYS, 0)
    if year is None or not year.is_editable or year.targets.exists():
        return counts
    progress = plan_progress(plan)
    with transaction.atomic(), _scores_computed_once(year):
        writer = _Writer(year, units, progress)
        counts["targets"], counts["milestones"] = writer.targets_and_milestones()
        writer.reports()
        counts["midterm_reviews"], counts["decisions"] = writer.reviews()
        inspections = writer.inspections()
        counts["inspections"], counts["findings"], counts["rectifications"] = inspections
        counts["bonus_awards"] = writer.awards()
        counts["letters"] = writer.letters()
        leads = load_leads(year)  # the lead departments' sheets (kaohe/demo/leads.py)
        counts["decisions"] += leads.pop("decisions")
        counts.update(leads)
    reports = ProgressReport.objects.filter(target__year=year)
    counts["reports"] = reports.count()
    counts["late_reports"] = reports.filter(is_late=True).count()
    counts["returned_reports"] = (
        reports.filter(revision__gt=1).count()
        + reports.filter(status=ProgressReport.Status.RETURNED).count()
    )
    counts["scored_units"] = year.unit_scores.count()
    return counts
