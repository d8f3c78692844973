"""Reads for assessment years and the indicator catalog."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q, QuerySet

from cadres.models import ASSESSED_KINDS, Role, Unit
from cadres.scope import account_of, ancestor_paths, cadres_for, role_of, units_for

from ..models import (
    THREE_THIRDS,
    AssessmentYear,
    Category,
    CategoryWeights,
    GradingPolicy,
    Indicator,
)


def years_for(user) -> QuerySet[AssessmentYear]:
    """Years the user may see: office staff and leaders those of the counties in their scope;
    a liaison those of the county their unit belongs to."""
    account = account_of(user)
    if account is None or account.role == Role.CADRE:
        return AssessmentYear.objects.none()
    if account.role == Role.LIAISON:
        return AssessmentYear.objects.filter(county__path__in=ancestor_paths(account.unit.path))
    return AssessmentYear.objects.filter(county__path__startswith=account.unit.path)


def year_detail(user) -> QuerySet[AssessmentYear]:
    """The years the user may open, each with its county (what every year page shows)."""
    return years_for(user).select_related("county")


def year_switch_options(user, year: AssessmentYear) -> list[AssessmentYear]:
    """The years a year switcher offers next to ``year``: those of its county the user may
    see, newest first (one query); a liaison is not offered years still in draft."""
    years = years_for(user).filter(county_id=year.county_id)
    if role_of(user) == Role.LIAISON:
        years = years.exclude(status=AssessmentYear.Status.DRAFT)
    return list(years.order_by("-year"))


def county_years_of(user, pk: int) -> list[AssessmentYear]:
    """The years the user may see of the county of their year ``pk``, newest first, each with
    its county and grading: what a page with a year switcher needs, bounded by one county
    however many counties are in scope. Empty when ``pk`` is not one of the user's years.
    One query."""
    mine = years_for(user)
    return list(
        mine.filter(county__in=mine.filter(pk=pk).values("county_id"))
        .select_related("county", "grading")
        .order_by("-year")
    )


def default_year_pk(user, *, today: dt.date) -> int | None:
    """The pk of ``pick_default_year`` among the user's years, read as narrow rows (a province
    has hundreds of years): one query."""
    years = list(
        years_for(user)
        .select_related("grading")
        .only("pk", "year", "status", "county_id", "grading__stage")
        .order_by("-year", "county__path")
    )
    year = pick_default_year(years, role=role_of(user), today=today)
    return year.pk if year else None


def _reporting_begun(year: AssessmentYear, today: dt.date) -> bool:
    """A year's reporting has begun once it is started and its first month has come."""
    return year.status != AssessmentYear.Status.DRAFT and year.year <= today.year


def _grading_locked(year: AssessmentYear) -> bool:
    try:
        return year.grading.stage == GradingPolicy.Stage.LOCKED
    except ObjectDoesNotExist:
        return False


def pick_default_year(
    years: list[AssessmentYear], *, role: str | None, today: dt.date
) -> AssessmentYear | None:
    """The year a user's pages open on when the address names none (DOMAIN "Several years
    open at once"), never simply the newest year created. ``years`` newest first.

    A liaison: the latest year open for reporting whose reporting has begun (a year started
    in December opens from January on). Office staff and leaders: the latest year whose
    grading is not locked and whose reporting has begun, so a new year's empty pages wait
    until it has data, else the latest begun, not a draft, or at all. A liaison with no year
    in progress has none."""
    begun = [y for y in years if _reporting_begun(y, today)]
    chain: tuple[list[AssessmentYear], ...]
    if role == Role.LIAISON:
        open_years = [y for y in years if y.status == AssessmentYear.Status.IN_PROGRESS]
        chain = ([y for y in open_years if y in begun], open_years)
    else:
        chain = (
            [y for y in begun if not _grading_locked(y)],
            begun,
            [y for y in years if y.status != AssessmentYear.Status.DRAFT],
            years,
        )
    return next((choice[0] for choice in chain if choice), None)


def default_year(user, *, today: dt.date, years=None) -> AssessmentYear | None:
    """``pick_default_year`` over the years the user may see (or ``years``, a queryset of
    them), in one query."""
    account = account_of(user)
    qs = years if years is not None else years_for(user)
    candidates = list(qs.select_related("county", "grading").order_by("-year", "county__path"))
    return pick_default_year(candidates, role=account.role if account else None, today=today)


def indicator_detail(user) -> QuerySet[Indicator]:
    """The indicators of the years the user may open, with their year and county."""
    return Indicator.objects.filter(year__in=years_for(user)).select_related("year", "year__county")


def year_list(user) -> QuerySet[AssessmentYear]:
    return (
        years_for(user)
        .select_related("county")
        .annotate(
            indicator_count=Count("indicators", distinct=True),
            weight_count=Count("weights", distinct=True),
        )
        .order_by("county__path", "-year")
    )


@dataclass
class CatalogNode:
    indicator: Indicator
    children: list[CatalogNode] = field(default_factory=list)
    depth: int = 0

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def points(self) -> Decimal:
        """A group's points are its leaves' points; a leaf's are its own maximum."""
        if self.is_leaf:
            return self.indicator.max_points
        return sum((c.points for c in self.children), Decimal(0))

    def points_for(self, kind: str) -> Decimal:
        if self.is_leaf:
            return self.indicator.max_points if self.indicator.applies_to(kind) else Decimal(0)
        return sum((c.points_for(kind) for c in self.children), Decimal(0))


@dataclass
class CatalogCategory:
    code: str
    label: str
    nodes: list[CatalogNode]
    weights: dict[str, int]  # unit kind -> weight (the three thirds only)
    points_by_kind: dict[str, Decimal]

    def flat(self):
        """Nodes depth-first, for a table."""
        stack = list(reversed(self.nodes))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


@dataclass
class Catalog:
    year: AssessmentYear
    categories: list[CatalogCategory]
    weights: list[CategoryWeights]
    kinds: list[tuple[str, str]]

    @property
    def indicator_count(self) -> int:
        return sum(1 for c in self.categories for _ in c.flat())


def catalog(year: AssessmentYear) -> Catalog:
    """The year's catalog as a tree per category, with weights and maximum points per unit kind.
    Two queries whatever the catalog's size."""
    indicators = list(
        year.indicators.select_related("lead_department").order_by("sort_order", "code")
    )
    weights = list(year.weights.all())
    nodes = {i.pk: CatalogNode(i) for i in indicators}
    roots: dict[str, list[CatalogNode]] = defaultdict(list)
    for i in indicators:
        node = nodes[i.pk]
        if i.parent_id in nodes:
            nodes[i.parent_id].children.append(node)
        else:
            roots[i.category].append(node)

    def set_depth(node: CatalogNode, depth: int) -> None:
        node.depth = depth
        for child in node.children:
            set_depth(child, depth + 1)

    kinds: list[tuple[str, str]] = [(k, str(Unit.Kind(k).label)) for k in ASSESSED_KINDS]
    categories = []
    for code in [*THREE_THIRDS, Category.BONUS]:
        for root in roots[code]:
            set_depth(root, 0)
        categories.append(
            CatalogCategory(
                code=code,
                label=str(Category(code).label),
                nodes=roots[code],
                weights={w.unit_kind: w.weight_of(code) for w in weights}
                if code != Category.BONUS
                else {},
                points_by_kind={
                    k: sum((n.points_for(k) for n in roots[code]), Decimal(0)) for k, _ in kinds
                },
            )
        )
    return Catalog(year=year, categories=categories, weights=weights, kinds=kinds)


def overview_counts(user) -> dict:
    """Headline counts for the office overview, in three queries."""
    units = units_for(user).aggregate(
        total=Count("pk"),
        townships=Count("pk", filter=Q(kind=Unit.Kind.TOWNSHIP)),
        departments=Count("pk", filter=Q(kind=Unit.Kind.DEPARTMENT)),
        committees=Count("pk", filter=Q(kind=Unit.Kind.COMMITTEE)),
    )
    cadres = (
        cadres_for(user)
        .filter(is_active=True)
        .aggregate(
            total=Count("pk"),
            leading=Count("pk", filter=Q(is_leading=True)),
            principal=Count("pk", filter=Q(is_principal=True)),
        )
    )
    return {"units": units, "cadres": cadres}
