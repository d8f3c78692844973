"""The demo county's daily assessment of cadres in 2015: a closed moral-assessment round of
anonymous ballots, close-range ledger notes, the integrity archive of a few cadres, and the
year's annual grades as proposed (not yet on notice).

Like the rest of the demo, it is planned in memory first (``random.Random(data.DAILY_SEED)``:
the same every time), then written through the services: ``moral_template_create``,
``moral_round_open``, ``ballot_codes_issue``, ``ballot_cast`` (one call per ballot paper),
``moral_round_close``, ``ledger_note_add``, ``entry_record`` / ``entry_set_status`` /
``sanction_record``, ``policy_set`` and ``results_propose``. The ballot codes themselves are
drawn by the service (``secrets``), so they differ between loads; what is written on the
ballots does not.

The whole part is loaded in one piece, only while the year has no moral-assessment template.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import AssessmentYear, Grade, Judgement, MoralItem, MoralTemplate
from assessments.services import grading
from assessments.services import moral as moral_services
from assessments.services.moral import DEFAULT_DIMENSIONS
from cadres import services as cadre_services
from cadres.models import Cadre, IntegrityEntry, PostKind, Unit
from cadres.services import integrity

from . import data

if TYPE_CHECKING:
    from .loader import CadrePlan, Plan

CAP_RULES = ("quota", "sanction", "violation", "unit", "ballots")
DAILY_KEYS = (
    "moral_rounds",
    "ballot_codes",
    "ballot_papers",
    "ballots",
    "moral_results",
    "threshold_breaches",
    "ledger_notes",
    "integrity_entries",
    "sanctions",
    "cadre_results",
    *(f"grade_{g}" for g in Grade.values),
    *(f"capped_{rule}" for rule in CAP_RULES),
)
ITEM_CODES = [code for _dim, _name, items in DEFAULT_DIMENSIONS for code, _n, _w in items]
LEVEL_SCORES = {"good": 100, "fair": 80, "fairly_poor": 60, "poor": 40}
GROUPS = list(data.BALLOT_CODES)
OFFICE_PERMISSIONS = ["read_integrity_archive", "read_integrity_reporter", "read_integrity_log"]
LEADER_PERMISSIONS = ["read_integrity_archive"]


# --- The plan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paper:
    """One rater's ballot paper: for each cadre rated (by number), the level of every item (in
    the order of ``ITEM_CODES``) and the overall judgement."""

    unit: str
    group: str
    answers: tuple[tuple[str, tuple[str, ...], str], ...]


@dataclass(frozen=True)
class LedgerPlan:
    cadre: str
    noted_on: dt.date
    kind: str
    points: int
    note: str


@dataclass(frozen=True)
class DailyPlan:
    units: list[str]  # the units of the round
    profiles: dict[str, float]  # cadre number -> the impression the raters have of them
    breach: str  # the cadre judged 不称职 on more than a third of the ballots
    codes: dict[tuple[str, str], int]  # (unit, group) -> codes issued
    papers: list[Paper]  # the ballot papers cast, in the order they are cast
    ledger: list[LedgerPlan]
    integrity: list[tuple[str, data.IntegrityCase]]  # (cadre number, case)


def _level(value: float) -> str:
    if value >= 88:
        return "good"
    if value >= 68:
        return "fair"
    if value >= 45:
        return "fairly_poor"
    return "poor"


def _judgement(score: float) -> str:
    if score >= 93:
        return Judgement.EXCELLENT
    if score >= 72:
        return Judgement.COMPETENT
    if score >= 58:
        return Judgement.BASIC
    return Judgement.INCOMPETENT


def _answer(rng: random.Random, impression: float, *, hostile: bool) -> tuple:
    if hostile:
        impression = data.BREACH_IMPRESSION + rng.gauss(0, 4)
    elif rng.random() < data.HARSH_BALLOT:
        impression -= rng.uniform(15, 25)
    levels = tuple(_level(impression + rng.gauss(0, 9)) for _code in ITEM_CODES)
    score = sum(LEVEL_SCORES[lv] for lv in levels) / len(levels)
    judgement = Judgement.INCOMPETENT if hostile else _judgement(score + rng.gauss(0, 3))
    return levels, judgement


def _round_units(rng: random.Random) -> list[str]:
    townships = [code for code, _name in data.TOWNSHIPS]
    others = [code for code, _n, _c in data.DEPARTMENTS if code not in data.MORAL_ALWAYS]
    drawn = rng.sample(others, data.MORAL_DEPARTMENTS - len(data.MORAL_ALWAYS))
    return townships + sorted([*data.MORAL_ALWAYS, *drawn])


def _leaders(plan: Plan, unit: str) -> list[CadrePlan]:
    """The cadres a ballot of the unit rates."""
    return sorted(
        (c for c in plan.cadres if c.post.unit == unit and c.post.is_leading),
        key=lambda c: c.number,
    )


def plan_daily(plan: Plan) -> DailyPlan:
    """The daily assessment of 2015, the same on every call."""
    rng = random.Random(data.DAILY_SEED)
    units = _round_units(rng)
    leaders = {unit: _leaders(plan, unit) for unit in units}
    profiles = {
        c.number: round(rng.uniform(*data.MORAL_PROFILE[c.post.post_kind]), 1)
        for unit in units
        for c in leaders[unit]
    }
    breach = next(
        c.number for c in leaders[data.BREACH_UNIT] if c.post.post_kind == PostKind.DEPUTY
    )
    profiles[breach] = data.BREACH_PROFILE
    codes: dict[tuple[str, str], int] = {}
    papers: list[Paper] = []
    hostile_papers = 0
    for unit in units:
        breach_start = len(papers)  # hostile papers are spread evenly over the unit's papers
        for group in GROUPS:
            issued = data.BALLOT_CODES[group]
            codes[unit, group] = issued
            for _paper in range(issued - rng.randint(*data.BALLOTS_UNUSED[group])):
                bias = data.GROUP_BIAS[group] + rng.gauss(0, 2.5)  # this rater's leniency
                answers = []
                for cadre in leaders[unit]:
                    hostile = cadre.number == breach and (
                        hostile_papers < data.BREACH_SHARE * (len(papers) - breach_start + 1)
                    )
                    hostile_papers += hostile
                    impression = profiles[cadre.number] + bias + rng.gauss(0, 2)
                    answers.append((cadre.number, *_answer(rng, impression, hostile=hostile)))
                papers.append(Paper(unit, group, tuple(answers)))
    rng.shuffle(papers)  # raters come in any order

    # Story cadres: the integrity archive and the ledger go to leading cadres of the round.
    candidates = sorted(n for n in profiles if n != breach)
    chosen = rng.sample(candidates, len(data.INTEGRITY_CASES) + data.LEDGER_CADRES)
    integrity = list(zip(chosen, data.INTEGRITY_CASES, strict=False))
    noted = chosen[len(data.INTEGRITY_CASES) :]
    ledger = []
    notes = list(data.LEDGER_NOTES)
    rng.shuffle(notes)
    first, last = data.LEDGER_DAYS
    for i, (kind, points, note) in enumerate(notes):
        day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
        ledger.append(LedgerPlan(noted[i % len(noted)], day, kind, points, note))
    ledger.sort(key=lambda n: (n.noted_on, n.cadre))
    return DailyPlan(units, profiles, breach, codes, papers, ledger, integrity)


# --- Writing -------------------------------------------------------------------------------------


def _grant_permissions() -> None:
    """The office demo login reads the integrity archive, its reporters and its read log; the
    leader reads the archive only."""
    perms = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="cadres", codename__in=OFFICE_PERMISSIONS
        )
    }
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["office", "leader"])
    }
    for username, codenames in (("office", OFFICE_PERMISSIONS), ("leader", LEADER_PERMISSIONS)):
        if username in users:
            users[username].user_permissions.add(*(perms[c] for c in codenames))


def _moral_round(year: AssessmentYear, daily: DailyPlan, counts: dict[str, int]) -> None:
    moral_services.moral_template_create(year=year)
    counts["moral_rounds"] = 1
    units = {u.code: u for u in Unit.objects.filter(code__in=daily.units)}
    round_ = moral_services.moral_round_open(
        year=year,
        name=data.MORAL_ROUND_NAME,
        units=[units[code] for code in daily.units],
        opens_on=data.MORAL_OPENS,
        closes_on=data.MORAL_CLOSES,
    )
    items = {i.code: i.pk for i in MoralItem.objects.filter(dimension__template__year=year)}
    cadres = dict(Cadre.objects.filter(number__in=daily.profiles).values_list("number", "pk"))
    free: dict[tuple[str, str], list[str]] = {}
    for (unit, group), count in daily.codes.items():
        issued = moral_services.ballot_codes_issue(
            round_=round_, unit=units[unit], group=group, count=count
        )
        free[unit, group] = [c.code for c in issued]
        counts["ballot_codes"] += count
    for paper in daily.papers:
        answers = {
            cadres[number]: {
                "levels": dict(zip((items[c] for c in ITEM_CODES), levels, strict=True)),
                "judgement": judgement,
            }
            for number, levels, judgement in paper.answers
        }
        code = free[paper.unit, paper.group].pop()
        ballots = moral_services.ballot_cast(code=code, answers=answers, today=data.MORAL_CAST_ON)
        counts["ballot_papers"] += 1
        counts["ballots"] += len(ballots)
    results = moral_services.moral_round_close(round_=round_)
    counts["moral_results"] = len(results)
    counts["threshold_breaches"] = sum(r.threshold_breached for r in results)


def _ledger(daily: DailyPlan, by, cadres: dict[str, Cadre]) -> int:
    for note in daily.ledger:
        cadre_services.ledger_note_add(
            cadre=cadres[note.cadre],
            noted_on=note.noted_on,
            kind=note.kind,
            note=note.note,
            points=note.points,
            by=by,
        )
    return len(daily.ledger)


def _integrity(daily: DailyPlan, by, cadres: dict[str, Cadre]) -> tuple[int, int]:
    sanctions = 0
    for number, case in daily.integrity:
        name, contact, note = case.reporter or ("", "", "")
        entry = integrity.entry_record(
            cadre=cadres[number],
            source=case.source,
            received_on=case.received_on,
            summary=case.summary,
            by=by,
            reporter_name=name,
            reporter_contact=contact,
            reporter_note=note,
        )
        if case.status != IntegrityEntry.Status.RECEIVED:
            entry = integrity.entry_set_status(
                entry=entry, status=IntegrityEntry.Status.VERIFYING, by=by
            )
        if case.status in IntegrityEntry.CONCLUDED:
            entry = integrity.entry_set_status(
                entry=entry,
                status=case.status,
                by=by,
                verified_on=case.verified_on,
                conclusion=case.conclusion,
            )
        if case.sanction is not None:
            kind, decided_on, start, until, sanction_note = case.sanction
            integrity.sanction_record(
                cadre=cadres[number],
                kind=kind,
                decided_on=decided_on,
                in_force_from=start,
                in_force_until=until,
                entry=entry,
                note=sanction_note,
                by=by,
            )
            sanctions += 1
    return len(daily.integrity), sanctions


def _grades(year: AssessmentYear, counts: dict[str, int]) -> None:
    grading.policy_set(year=year)
    results = grading.results_propose(year=year)
    counts["cadre_results"] = len(results)
    for grade, n in Counter(r.grade for r in results).items():
        counts[f"grade_{grade}"] = n
    rules = Counter(rule for r in results for rule in {c["rule"] for c in r.caps})
    for rule in CAP_RULES:
        counts[f"capped_{rule}"] = rules[rule]


def _has_template(year: AssessmentYear) -> bool:
    """Whether the year has a moral-assessment template (no query if it was selected along)."""
    try:
        year.moral_template  # noqa: B018 - the access is the check
    except MoralTemplate.DoesNotExist:
        return False
    return True


def load_daily(plan: Plan, year: AssessmentYear | None) -> dict[str, int]:
    """Write the daily assessment of 2015, unless the year already has a moral-assessment
    template (then it is loaded, or the office has set it up by hand: either way it is left
    alone). Returns how many rows of each were created (keys: ``DAILY_KEYS``)."""
    counts = dict.fromkeys(DAILY_KEYS, 0)
    if year is None or _has_template(year):
        return counts
    office = get_user_model().objects.filter(username="office").first()
    if office is None:  # the office login records the ledger and the archive
        return counts
    daily = plan_daily(plan)
    with transaction.atomic():
        _grant_permissions()
        _moral_round(year, daily, counts)
        story = [n.cadre for n in daily.ledger] + [number for number, _case in daily.integrity]
        cadres = {c.number: c for c in Cadre.objects.filter(number__in=story)}
        counts["ledger_notes"] = _ledger(daily, office, cadres)
        counts["integrity_entries"], counts["sanctions"] = _integrity(daily, office, cadres)
        _grades(year, counts)
    return counts


def daily_notes(counts: dict[str, int]) -> list[str]:
    """What the load of the daily assessment created, in words."""
    return [
        _(
            "Moral assessment: %(moral_rounds)d round, %(ballot_codes)d ballot codes issued, "
            "%(ballot_papers)d ballot papers cast with %(ballots)d ballots; %(moral_results)d "
            "cadres scored, %(threshold_breaches)d of them judged 不称职 on more than a third "
            "of the ballots."
        )
        % counts,
        _(
            "Close-range ledger notes: %(ledger_notes)d; integrity archive entries: "
            "%(integrity_entries)d, with %(sanctions)d sanctions."
        )
        % counts,
        _(
            "Annual grades proposed for %(cadre_results)d cadres: %(grade_excellent)d 优秀, "
            "%(grade_competent)d 称职, %(grade_basic)d 基本称职, %(grade_incompetent)d 不称职."
        )
        % counts,
        _(
            "Grades capped by the 优秀 quota: %(capped_quota)d; by a sanction: "
            "%(capped_sanction)d; by a verified violation: %(capped_violation)d; by the unit's "
            "grade: %(capped_unit)d; by the ballots: %(capped_ballots)d."
        )
        % counts,
    ]


def daily_summary(counts: dict[str, int]) -> str:
    """One sentence on the daily assessment as loaded (for the command's closing summary)."""
    return _(
        "The %(year)d daily assessment: %(ballots)d moral-assessment ballots, "
        "%(cadre_results)d annual results proposed (%(grade_excellent)d 优秀, "
        "%(grade_competent)d 称职, %(grade_basic)d 基本称职, %(grade_incompetent)d 不称职)."
    ) % {"year": data.DAILY_YEAR, **counts}
