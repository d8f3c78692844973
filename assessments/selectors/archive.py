"""Reads for the assessment archive (考核档案): a cadre's and a leadership team's record year
after year, newest first. One read serves the office's page, the print and PDF views, the Excel
export and the cadre's own page ("my assessment"), in a fixed number of queries whatever the
number of years.

Nothing here reads the integrity archive: a result's rules applied (``caps``) may say that a
verified violation ruled 优秀 out, exactly as the grading pages say it, and nothing more.

``cadre_archive(cadre, own=True)`` is the cadre's own view: only grades that have been published
(on notice or locked), no close-range ledger, no inspection findings, moral results (group and
dimension means, never a ballot) only of closed rounds in published years, no one else's names
(who decided a change, who recorded a consequence or answered a review) and no rank.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from assessments.models import (
    AssessmentYear,
    CadreResult,
    CategoryWeights,
    Consequence,
    EligibilityFlag,
    Finding,
    GradeChange,
    GradingPolicy,
    MoralResult,
    MoralRound,
    RaterGroup,
    Rectification,
    TeamAnalysis,
    UnitGradeChange,
    UnitResult,
    UnitScore,
)
from assessments.selectors.eligibility import flags_valid_on
from cadres.models import Cadre, LedgerNote, Post, TrainingAssignment, Unit
from cadres.scope import ancestor_paths, cadres_for, units_for


def archive_cadres_for(user) -> QuerySet[Cadre]:
    """Cadres whose archive the user may open (the roles that have an archive at all are the
    views' concern), with what the archive's heading shows."""
    return cadres_for(user).select_related("unit", "unit__parent")


def archive_units_for(user) -> QuerySet[Unit]:
    """Units whose team archive the user may open."""
    return units_for(user).select_related("parent")


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


@dataclass
class MoralRow:
    """A moral-assessment result with its parts in display order."""

    result: MoralResult
    by_group: list[tuple[str, Decimal | None]]
    by_dimension: list[tuple[str, Decimal | None]]


@dataclass
class CadreYear:
    year: int
    result: CadreResult | None = None
    policy: GradingPolicy | None = None
    changes: list[GradeChange] = field(default_factory=list)
    moral: list[MoralRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    consequences: list[Consequence] = field(default_factory=list)
    trainings: list[TrainingAssignment] = field(default_factory=list)
    notes: list[LedgerNote] = field(default_factory=list)

    @property
    def parts(self) -> list[tuple[str, str, Decimal | None, int | None]]:
        """(key, label, score, weight) of the composite's four parts."""
        r, p = self.result, self.policy
        if r is None:
            return []
        return [
            ("moral", "德", r.moral, p.weight_moral if p else None),
            ("integrity", "廉", r.integrity, p.weight_integrity if p else None),
            ("performance", "绩", r.performance, p.weight_performance if p else None),
            ("unit", "unit", r.unit_score, p.weight_unit if p else None),
        ]

    @property
    def published(self) -> bool:
        return bool(self.policy and self.policy.stage in GradingPolicy.PUBLISHED)

    @property
    def review(self):
        return getattr(self.result, "review", None) if self.result else None


def _moral_row(result: MoralResult) -> MoralRow:
    groups = [(str(label), _decimal(result.by_group.get(g))) for g, label in RaterGroup.choices]
    dims = [(name, _decimal(v)) for name, v in result.by_dimension.items()]
    return MoralRow(result=result, by_group=groups, by_dimension=dims)


def _open_flags(cadre: Cadre, today: dt.date) -> list[EligibilityFlag]:
    return list(
        flags_valid_on(today).filter(cadre=cadre).select_related("rules", "unit").order_by("kind")
    )


def cadre_archive(cadre: Cadre, *, own: bool = False, today: dt.date | None = None) -> dict:
    """A cadre's archive: ``posts``, open ``flags``, ``trainings``, ``results`` (newest first)
    and ``years``: a ``CadreYear`` per calendar year with anything recorded, newest first.

    Office view: 9 queries. Own view (``own=True``): 7 queries (no findings, ledger or
    grade-change authors are read; moral results only of closed rounds of published years)."""
    today = today or timezone.localdate()
    posts = list(
        Post.objects.filter(cadre=cadre).select_related("unit").order_by("-started_on", "-pk")
    )
    results_qs = CadreResult.objects.filter(cadre=cadre).select_related(
        "year", "year__grading", "unit", "review"
    )
    changes = GradeChange.objects.order_by("changed_at", "pk")
    if own:
        results_qs = results_qs.filter(year__grading__stage__in=GradingPolicy.PUBLISHED)
    else:
        changes = changes.select_related("changed_by")
    results = list(
        results_qs.prefetch_related(Prefetch("changes", queryset=changes)).order_by("-year__year")
    )
    consequences_qs = Consequence.objects.filter(cadre=cadre).select_related("year")
    if not own:
        consequences_qs = consequences_qs.select_related("recorded_by")
    consequences = list(consequences_qs.order_by("-decided_on", "-pk"))
    trainings = list(TrainingAssignment.objects.filter(cadre=cadre).order_by("-started_on", "-pk"))
    flags = _open_flags(cadre, today)

    years: dict[int, CadreYear] = {}

    def year_of(number: int) -> CadreYear:
        if number not in years:
            years[number] = CadreYear(year=number)
        return years[number]

    for result in results:
        section = year_of(result.year.year)
        section.result = result
        section.policy = getattr(result.year, "grading", None)
        section.changes = list(result.changes.all())
    for consequence in consequences:
        year_of(consequence.year.year).consequences.append(consequence)
    for training in trainings:
        year_of(training.started_on.year).trainings.append(training)

    morals = MoralResult.objects.filter(cadre=cadre).select_related("round", "round__year")
    if own:
        # A closed round's group and dimension scores, once the year's grades are published
        # (never a ballot: the result holds only the means).
        morals = morals.filter(
            round__status=MoralRound.Status.CLOSED,
            round__year__grading__stage__in=GradingPolicy.PUBLISHED,
        )
    for moral in morals.order_by("round__opens_on", "pk"):
        year_of(moral.round.year.year).moral.append(_moral_row(moral))
    if not own:
        for note in (
            LedgerNote.objects.filter(cadre=cadre)
            .select_related("recorded_by")
            .order_by("-noted_on", "-pk")
        ):
            year_of(note.noted_on.year).notes.append(note)
        # The units the cadre served in, per year: posts overlapping the year and the unit
        # the result was assessed at.
        served: dict[int, set[int]] = defaultdict(set)
        for result in results:
            served[result.year.year].add(result.unit_id)
        unit_ids = {p.unit_id for p in posts} | {r.unit_id for r in results} | {cadre.unit_id}
        findings = (
            Finding.objects.filter(Q(cadre=cadre) | Q(unit_id__in=unit_ids))
            .select_related("inspection", "inspection__year", "unit", "indicator", "rectification")
            .order_by("inspection__held_on", "pk")
        )
        for finding in findings:
            held = finding.inspection.held_on
            number = finding.inspection.year.year
            in_post = any(
                p.unit_id == finding.unit_id
                and p.started_on <= held
                and (p.ended_on is None or p.ended_on >= held)
                for p in posts
            )
            if finding.cadre_id == cadre.pk or in_post or finding.unit_id in served[number]:
                # Read by the page: the finding names the cadre, not only their unit.
                finding.names_cadre = finding.cadre_id == cadre.pk  # type: ignore[attr-defined]
                year_of(number).findings.append(finding)

    return {
        "cadre": cadre,
        "posts": posts,
        "flags": flags,
        "trainings": trainings,
        "results": results,
        "consequences": consequences,
        "rectifications": [c for c in consequences if c.kind == Consequence.Kind.RECTIFICATION],
        "years": [years[n] for n in sorted(years, reverse=True)],
        "own": own,
        "today": today,
    }


# Leadership teams ----------------------------------------------------------------------------


@dataclass
class TeamYear:
    year: int
    result: UnitResult | None = None
    score: UnitScore | None = None
    weights: CategoryWeights | None = None
    changes: list[UnitGradeChange] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    rectifications: list[Rectification] = field(default_factory=list)
    analysis: TeamAnalysis | None = None
    cadre_results: list[CadreResult] = field(default_factory=list)

    @property
    def total(self) -> Decimal | None:
        if self.result is not None:
            return self.result.total
        return self.score.total if self.score else None

    @property
    def veto_failed(self) -> bool | None:
        if self.result is not None:
            return self.result.veto_failed
        return self.score.veto_failed if self.score else None

    @property
    def all_rectifications(self) -> list[Rectification]:
        """The year's rectification items: those opened by a finding, then the others."""
        opened = [f.rectification for f in self.findings if _rectification_of(f)]
        return opened + self.rectifications

    @property
    def open_rectifications(self) -> list[Rectification]:
        return [r for r in self.all_rectifications if r.status == Rectification.Status.OPEN]

    @property
    def categories(self) -> list[tuple[str, Decimal | None, int | None]]:
        """(category, score, weight %) of the three thirds, then the bonus."""
        s, w = self.score, self.weights
        if s is None:
            return []
        return [
            ("party", s.party, w.party if w else None),
            ("industry", s.industry, w.industry if w else None),
            ("tasks", s.tasks, w.tasks if w else None),
            ("bonus", s.bonus, None),
        ]


def _rectification_of(finding: Finding) -> Rectification | None:
    try:
        return finding.rectification
    except Rectification.DoesNotExist:
        return None


def team_years(unit: Unit):
    """The assessment years of the unit's county (for choosing a report's year)."""
    return AssessmentYear.objects.filter(county__path__in=ancestor_paths(unit.path)).order_by(
        "-year"
    )


def team_archive(unit: Unit) -> dict:
    """A leadership team's archive: ``leaders`` (cadres who held a leading post in the unit,
    current ones first), ``grid`` (each leader's grade per year), and ``years``: a ``TeamYear``
    per year with anything recorded, newest first. 9 queries whatever the number of years."""
    results = list(
        UnitResult.objects.filter(unit=unit)
        .select_related("year", "year__grading")
        .prefetch_related(
            Prefetch("changes", queryset=UnitGradeChange.objects.order_by("changed_at", "pk"))
        )
    )
    scores = list(UnitScore.objects.filter(unit=unit).select_related("year"))
    weights = {
        (w.year_id, w.unit_kind): w
        for w in CategoryWeights.objects.filter(
            year_id__in=[s.year_id for s in scores], unit_kind__in={s.unit_kind for s in scores}
        )
    }
    findings = list(
        Finding.objects.filter(unit=unit)
        .select_related("inspection", "inspection__year", "indicator", "cadre", "rectification")
        .order_by("inspection__held_on", "pk")
    )
    loose = list(
        Rectification.objects.filter(unit=unit, finding__isnull=True)
        .select_related("year")
        .order_by("deadline", "pk")
    )
    analyses = list(TeamAnalysis.objects.filter(unit=unit).select_related("year", "recorded_by"))
    leading_posts = list(
        Post.objects.filter(unit=unit, is_leading=True)
        .select_related("cadre")
        .order_by("ended_on", "-is_principal", "-started_on")
    )
    leaders: dict[int, dict] = {}
    for post in sorted(leading_posts, key=lambda p: (p.ended_on is not None, not p.is_principal)):
        entry = leaders.setdefault(post.cadre_id, {"cadre": post.cadre, "posts": []})
        entry["posts"].append(post)
    cadre_results = list(
        CadreResult.objects.filter(unit=unit, cadre_id__in=list(leaders))
        .select_related("year")
        .order_by("-year__year")
    )

    years: dict[int, TeamYear] = {}

    def year_of(number: int) -> TeamYear:
        if number not in years:
            years[number] = TeamYear(year=number)
        return years[number]

    for result in results:
        section = year_of(result.year.year)
        section.result = result
        section.changes = list(result.changes.all())
    for score in scores:
        section = year_of(score.year.year)
        section.score = score
        section.weights = weights.get((score.year_id, score.unit_kind))
    for finding in findings:
        year_of(finding.inspection.year.year).findings.append(finding)
    for rectification in loose:
        year_of(rectification.year.year).rectifications.append(rectification)
    for analysis in analyses:
        year_of(analysis.year.year).analysis = analysis
    for cadre_result in cadre_results:
        year_of(cadre_result.year.year).cadre_results.append(cadre_result)

    numbers = sorted(years, reverse=True)
    by_cadre = {(r.cadre_id, r.year.year): r for r in cadre_results}
    grid = [
        {
            "cadre": entry["cadre"],
            "posts": entry["posts"],
            "current": any(p.ended_on is None for p in entry["posts"]),
            "grades": [by_cadre.get((cadre_id, n)) for n in numbers],
        }
        for cadre_id, entry in leaders.items()
    ]
    return {
        "unit": unit,
        "years": [years[n] for n in numbers],
        "numbers": numbers,
        "grid": grid,
    }
