"""Reads for rankings and scorecards."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from cadres.models import ASSESSED_KINDS, Role, Unit
from cadres.scope import account_of, units_for

from ..models import THREE_THIRDS, AssessmentYear, Category, IndicatorScore, UnitScore
from .catalog import years_for


def unit_scores_for(user) -> QuerySet[UnitScore]:
    """Unit scores the user may see: office and leaders those of visible years; a liaison
    their own unit's."""
    account = account_of(user)
    scores = UnitScore.objects.filter(year__in=years_for(user))
    if account is not None and account.role == Role.LIAISON:
        scores = scores.filter(unit__in=units_for(user))
    return scores


@dataclass
class KindRanking:
    kind: str
    label: str
    weights: dict[str, int]
    scores: list[UnitScore]


def rankings(year: AssessmentYear) -> list[KindRanking]:
    """The year's unit scores ranked within each unit kind (two queries)."""
    weights = {w.unit_kind: w for w in year.weights.all()}
    by_kind: dict[str, list[UnitScore]] = defaultdict(list)
    for score in year.unit_scores.select_related("unit").order_by("rank", "unit__path"):
        by_kind[score.unit_kind].append(score)
    order = [Unit.Kind.TOWNSHIP, Unit.Kind.DEPARTMENT, Unit.Kind.COMMITTEE]
    return [
        KindRanking(
            kind=kind,
            label=str(Unit.Kind(kind).label),
            weights={c: weights[kind].weight_of(c) for c in THREE_THIRDS}
            if kind in weights
            else {},
            scores=by_kind[kind],
        )
        for kind in order
        if kind in ASSESSED_KINDS and by_kind[kind]
    ]


@dataclass
class ScorecardCategory:
    code: str
    label: str
    weight: int | None
    score: Decimal
    items: list[IndicatorScore] = field(default_factory=list)

    @property
    def points(self) -> Decimal:
        return sum((i.points for i in self.items), Decimal(0))

    @property
    def max_points(self) -> Decimal:
        return sum((i.max_points for i in self.items), Decimal(0))


def scorecard(score: UnitScore) -> list[ScorecardCategory]:
    """A unit's score by category, each indicator with its breakdown (one query)."""
    weights = score.year.weights.filter(unit_kind=score.unit_kind).first()
    categories = {
        code: ScorecardCategory(
            code=code,
            label=str(Category(code).label),
            weight=weights.weight_of(code) if weights and code != Category.BONUS else None,
            score=getattr(score, code),
        )
        for code in [*THREE_THIRDS, Category.BONUS]
    }
    items = score.items.select_related("indicator", "indicator__parent", "target").order_by(
        "indicator__sort_order", "indicator__code"
    )
    for item in items:
        categories[item.indicator.category].items.append(item)
    return list(categories.values())
