"""Reads for using the results (结果运用): what a year's published results call for and what has
been recorded, and the county's rectifications tracked to closure.

What is due (the page says the same):
- a commendation for each cadre graded 优秀;
- a third-class merit for each open merit flag that this year's result completed (the last
  of the flag's years is this year);
- for each bottom-ranked leading cadre, an admonishment talk, a county-wide notice and a
  rectification with a deadline. Bottom-ranked: a leading cadre graded 基本称职 or 不称职;
  and, where the 优秀 quota groups are county-wide (all cadres of one unit kind), the leading
  cadre ranked last among the leading cadres of the group (of at least two). Per-unit groups
  are small, so "last of the group" would single out one leader in every unit: not used there;
- an organizational adjustment for each open adjustment flag that this year's unit grade
  completed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from cadres.models import Unit

from ..models import AssessmentYear, CadreResult, Consequence, EligibilityFlag, Grade, GradingPolicy
from ..services.consequences import FLAG_FOR_KIND
from .catalog import years_for

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Kind = Consequence.Kind
BOTTOM_KINDS = (Kind.ADMONISHMENT, Kind.NOTICE, Kind.RECTIFICATION)
LOW_GRADES = (Grade.BASIC, Grade.INCOMPETENT)
# The consequence that answers an open flag (the service's FLAG_FOR_KIND, read the other way).
CONSEQUENCE_FOR_FLAG = {flag: kind for kind, flag in FLAG_FOR_KIND.items()}


@dataclass
class Bottom:
    """A bottom-ranked leading cadre: why, and which of the three measures are recorded."""

    result: CadreResult
    why: list[str] = field(default_factory=list)
    done: dict[str, Consequence] = field(default_factory=dict)

    @property
    def missing(self) -> list[str]:
        return [k for k in BOTTOM_KINDS if k not in self.done]


@dataclass
class ResultsUse:
    year: AssessmentYear
    policy: GradingPolicy | None
    published: bool
    commendations: list[CadreResult]
    merits: list[EligibilityFlag]
    bottom: list[Bottom]
    adjustments: list[EligibilityFlag]
    recorded: list[tuple[str, StrOrPromise, list[Consequence]]]

    @property
    def due_count(self) -> int:
        return (
            len(self.commendations)
            + len(self.merits)
            + sum(len(b.missing) for b in self.bottom)
            + len(self.adjustments)
        )


def _bottom(results: list[CadreResult], quota_group: str | None) -> list[Bottom]:
    leading = [r for r in results if r.cadre.is_leading]
    rows: dict[int, Bottom] = {}
    for r in leading:
        if r.grade in LOW_GRADES:
            rows.setdefault(r.pk, Bottom(r)).why.append(
                _("graded %(grade)s") % {"grade": r.get_grade_display()}
            )
    if quota_group == GradingPolicy.QuotaGroup.UNIT_KIND:
        groups: dict[str, list[CadreResult]] = defaultdict(list)
        for r in leading:
            groups[r.quota_group].append(r)
        for members in groups.values():
            ranks = [r.rank for r in members if r.rank is not None]
            if len(ranks) < 2:
                continue
            last = max(ranks)
            for r in members:
                if r.rank == last:
                    rows.setdefault(r.pk, Bottom(r)).why.append(
                        _("last of %(n)s leading cadres in %(group)s")
                        % {"n": len(members), "group": r.group_label}
                    )
    return sorted(
        rows.values(),
        key=lambda b: (b.result.quota_group, b.result.rank is None, b.result.rank or 0),
    )


def results_use(year: AssessmentYear) -> ResultsUse:
    """The year's results-use page in five queries whatever the number of cadres."""
    policy = GradingPolicy.objects.filter(year=year).first()
    published = policy is not None and policy.stage in GradingPolicy.PUBLISHED
    recorded = list(
        Consequence.objects.filter(year=year)
        .select_related("cadre", "cadre__unit", "recorded_by")
        .order_by("kind", "cadre__unit__path", "cadre__number", "decided_on", "pk")
    )
    by_cadre: dict[int, dict[str, Consequence]] = defaultdict(dict)
    by_flag: set[int] = set()
    for c in recorded:
        by_cadre[c.cadre_id].setdefault(c.kind, c)
        if c.flag_id:
            by_flag.add(c.flag_id)
    commendations: list[CadreResult] = []
    bottom: list[Bottom] = []
    merits: list[EligibilityFlag] = []
    adjustments: list[EligibilityFlag] = []
    if published and policy is not None:  # published: there is a policy
        results = list(
            CadreResult.objects.filter(year=year)
            .filter(Q(grade=Grade.EXCELLENT) | Q(cadre__is_leading=True))
            .select_related("cadre", "unit")
            .order_by("quota_group", F("rank").asc(nulls_last=True), "cadre__number")
        )
        commendations = [
            r
            for r in results
            if r.grade == Grade.EXCELLENT and Kind.COMMENDATION not in by_cadre[r.cadre_id]
        ]
        for b in _bottom(results, policy.quota_group):
            b.done = {
                k: by_cadre[b.result.cadre_id][k]
                for k in BOTTOM_KINDS
                if k in by_cadre[b.result.cadre_id]
            }
            if b.missing:
                bottom.append(b)
        flags = (
            EligibilityFlag.objects.filter(
                valid_until__isnull=True,
                kind__in=list(CONSEQUENCE_FOR_FLAG),
                cadre__unit__path__startswith=year.county.path,
            )
            .select_related("cadre", "cadre__unit", "unit")
            .order_by("cadre__unit__path", "cadre__number")
        )
        for flag in flags:
            if max(flag.years, default=None) != year.year or flag.pk in by_flag:
                continue
            kind = CONSEQUENCE_FOR_FLAG[flag.kind]
            if kind in by_cadre[flag.cadre_id]:
                continue
            (merits if kind == Kind.MERIT else adjustments).append(flag)
    grouped: dict[str, list[Consequence]] = defaultdict(list)
    for c in recorded:
        grouped[c.kind].append(c)
    return ResultsUse(
        year=year,
        policy=policy,
        published=published,
        commendations=commendations,
        merits=merits,
        bottom=bottom,
        adjustments=adjustments,
        recorded=[(k, label, grouped[k]) for k, label in Kind.choices if grouped[k]],
    )


def consequence_detail(user) -> QuerySet[Consequence]:
    """The consequences of the years the user may see, with their year, county and cadre."""
    return Consequence.objects.filter(year__in=years_for(user)).select_related(
        "year", "year__county", "cadre"
    )


RECTIFICATION_STATUS = ("open", "overdue", "closed")


def rectifications(county: Unit, *, status: str = "", today: dt.date) -> QuerySet[Consequence]:
    """The county's rectifications (all years), the most urgent first: open ones by deadline,
    then closed ones, latest first. ``status``: open, overdue or closed."""
    items = Consequence.objects.filter(kind=Kind.RECTIFICATION, year__county=county).select_related(
        "cadre", "cadre__unit", "year", "recorded_by"
    )
    if status == "open":
        items = items.filter(closed_on__isnull=True)
    elif status == "overdue":
        items = items.filter(closed_on__isnull=True, deadline__lt=today)
    elif status == "closed":
        items = items.filter(closed_on__isnull=False)
    return items.order_by(F("closed_on").desc(nulls_first=True), "deadline", "cadre__number", "pk")


def rectification_counts(county: Unit, *, today: dt.date) -> dict[str, int]:
    return Consequence.objects.filter(kind=Kind.RECTIFICATION, year__county=county).aggregate(
        open=Count("pk", filter=Q(closed_on__isnull=True)),
        overdue=Count("pk", filter=Q(closed_on__isnull=True, deadline__lt=today)),
        closed=Count("pk", filter=Q(closed_on__isnull=False)),
    )
