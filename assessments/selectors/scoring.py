"""Reads for rankings and scorecards."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from cadres.models import ASSESSED_KINDS, Role, Unit
from cadres.scope import account_of, units_for

from ..models import (
    THREE_THIRDS,
    AssessmentYear,
    Category,
    CategoryWeights,
    Indicator,
    IndicatorScore,
    MidtermReview,
    ResponsibilityLetter,
    UnitScore,
)
from .catalog import years_for


def unit_scores_for(user) -> QuerySet[UnitScore]:
    """Unit scores the user may see: office and leaders those of visible years; a liaison
    their own unit's."""
    account = account_of(user)
    scores = UnitScore.objects.filter(year__in=years_for(user))
    if account is not None and account.role == Role.LIAISON:
        scores = scores.filter(unit__in=units_for(user))
    return scores


def score_years_for(user) -> QuerySet[AssessmentYear]:
    """Years whose rankings, scorecards and score inputs the user may open (with the county
    their pages name)."""
    return years_for(user).select_related("county")


def scorecards_for(user) -> QuerySet[UnitScore]:
    """The unit scores whose scorecard the user may open, with what the scorecard shows."""
    return unit_scores_for(user).select_related("year", "year__county", "unit")


UNIT_CODE_MAX = 32  # Unit.code's max_length


def scorecard_at(user, year_id: int, unit_code: str) -> UnitScore | None:
    """The unit score of a year and unit, by the unit's code: the scorecard's address, which
    says what it shows (a score row is kept by recomputes, but goes when its unit is no longer
    scored). None outside the user's scope, and for a code no unit can have (too long, or with
    a NUL byte PostgreSQL refuses to compare)."""
    if len(unit_code) > UNIT_CODE_MAX or "\x00" in unit_code:
        return None
    return scorecards_for(user).filter(year_id=year_id, unit__code=unit_code).first()


def letters_for(user) -> QuerySet[ResponsibilityLetter]:
    """Responsibility letters the user may download: those of visible years; a liaison their
    own unit's."""
    account = account_of(user)
    letters = ResponsibilityLetter.objects.filter(year__in=years_for(user))
    if account is not None and account.role == Role.LIAISON:
        letters = letters.filter(unit__in=units_for(user))
    return letters


@dataclass
class KindRanking:
    kind: str
    label: str
    weights: dict[str, int]
    scores: list[UnitScore]


# Unit kinds in the order the rankings and scorecards list them.
KIND_ORDER: list[str] = [Unit.Kind.TOWNSHIP, Unit.Kind.DEPARTMENT, Unit.Kind.COMMITTEE]


def _ranked_scores(year: AssessmentYear) -> QuerySet[UnitScore]:
    return year.unit_scores.select_related("unit").order_by("rank", "unit__path")


def rankings(year: AssessmentYear) -> list[KindRanking]:
    """The year's unit scores ranked within each unit kind (two queries)."""
    weights = {w.unit_kind: w for w in year.weights.all()}
    by_kind: dict[str, list[UnitScore]] = defaultdict(list)
    for score in _ranked_scores(year):
        by_kind[score.unit_kind].append(score)
    return [
        KindRanking(
            kind=kind,
            label=str(Unit.Kind(kind).label),
            weights={c: weights[kind].weight_of(c) for c in THREE_THIRDS}
            if kind in weights
            else {},
            scores=by_kind[kind],
        )
        for kind in KIND_ORDER
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


# How a scorecard lists its indicators, and what each item needs to show its breakdown.
_ITEM_RELATED = ("indicator", "indicator__parent", "target")
_ITEM_ORDER = ("indicator__sort_order", "indicator__code")


def _categories(
    score: UnitScore, weights: CategoryWeights | None, items: Iterable[IndicatorScore]
) -> list[ScorecardCategory]:
    """The score's categories (the three thirds, then the bonus), each with its items."""
    categories: dict[str, ScorecardCategory] = {
        code: ScorecardCategory(
            code=code,
            label=str(Category(code).label),
            weight=weights.weight_of(code) if weights and code != Category.BONUS else None,
            score=getattr(score, code),
        )
        for code in [*THREE_THIRDS, Category.BONUS]
    }
    for item in items:
        categories[item.indicator.category].items.append(item)
    return list(categories.values())


def scorecard(score: UnitScore) -> list[ScorecardCategory]:
    """A unit's score by category, each indicator with its breakdown (one query)."""
    weights = score.year.weights.filter(unit_kind=score.unit_kind).first()
    items = score.items.select_related(*_ITEM_RELATED).order_by(*_ITEM_ORDER)
    return _categories(score, weights, items)


def year_scorecards(year: AssessmentYear) -> list[tuple[UnitScore, list[ScorecardCategory]]]:
    """Every unit's scorecard of the year, in ranking order, as ``scorecard`` builds one
    (same categories, weights and item order) but in three queries for all units."""
    weights = {w.unit_kind: w for w in year.weights.all()}
    scores = list(_ranked_scores(year))
    for score in scores:
        score.year = year
    scores.sort(
        key=lambda s: (
            KIND_ORDER.index(s.unit_kind) if s.unit_kind in KIND_ORDER else len(KIND_ORDER)
        )
    )
    items = (
        IndicatorScore.objects.filter(unit_score__year=year)
        .select_related(*_ITEM_RELATED)
        .order_by(*_ITEM_ORDER)
    )
    by_score: dict[int, list[IndicatorScore]] = defaultdict(list)
    for item in items:
        by_score[item.unit_score_id].append(item)
    return [
        (score, _categories(score, weights.get(score.unit_kind), by_score[score.pk]))
        for score in scores
    ]


def midterm_units(year: AssessmentYear) -> QuerySet[Unit]:
    """The units whose score counts a mid-term review this year (a mid-term-review target), in
    tree order."""
    return (
        Unit.objects.filter(targets__year=year, targets__indicator__method=Indicator.Method.MIDTERM)
        .distinct()
        .order_by("path")
    )


def midterm_rows(year: AssessmentYear) -> list[tuple[Unit, MidtermReview | None]]:
    """The mid-term sheet: each unit with its review so far (None: not entered)."""
    reviews = {r.unit_id: r for r in MidtermReview.objects.filter(year=year)}
    return [(unit, reviews.get(unit.pk)) for unit in midterm_units(year)]
