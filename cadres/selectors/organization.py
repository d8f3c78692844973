"""Reads for the organization pages: each returns a queryset ready for its page (no N+1)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ..models import Cadre, Post, Unit
from ..scope import account_of, cadres_for, units_for


def _cadre_count():
    """The number of cadres in service of the unit: a subquery, so a page of units in tree order
    reads the path index and counts for its own rows only (a join and GROUP BY would count
    every unit of a province first)."""
    in_service = Cadre.objects.filter(unit=OuterRef("pk"), is_active=True).order_by()
    return Coalesce(Subquery(in_service.values("unit").annotate(n=Count("pk")).values("n")), 0)


def unit_list(user, *, kind: str = "", q: str = "") -> QuerySet[Unit]:
    """Units in scope, in tree order, each with its parent and number of cadres in service."""
    units = units_for(user).select_related("parent").annotate(cadre_count=_cadre_count())
    if kind:
        units = units.filter(kind=kind)
    if q:
        units = units.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return units.order_by("path")


def _tree_rows(units: QuerySet[Unit]) -> QuerySet[Unit]:
    """Units as rows of the tree: with their number of cadres in service and whether they have
    children (the row can be expanded), in tree order."""
    return units.annotate(
        cadre_count=_cadre_count(),
        has_children=Exists(Unit.objects.filter(parent=OuterRef("pk"))),
    ).order_by("path")


def unit_tree_top(user) -> QuerySet[Unit]:
    """The top of the user's tree: their unit and its children (the rest loads on expand,
    ``unit_children``), so the page costs the same at the root of a province as in a county."""
    account = account_of(user)
    if account is None:
        return Unit.objects.none()
    return _tree_rows(units_for(user).filter(depth__lte=account.unit.depth + 1))


def unit_children(user, parent: Unit) -> QuerySet[Unit]:
    """The children of ``parent`` (a unit in the user's scope) as rows of the tree."""
    return _tree_rows(units_for(user).filter(parent=parent))


def unit_detail(user) -> QuerySet[Unit]:
    """The units in scope, each with its children and its cadres (leaders first)."""
    return (
        units_for(user)
        .select_related("parent")
        .prefetch_related(
            Prefetch(
                "children",
                queryset=Unit.objects.annotate(
                    cadre_count=Count("cadres", filter=Q(cadres__is_active=True))
                ).order_by("path"),
            ),
            Prefetch(
                "cadres",
                queryset=Cadre.objects.filter(is_active=True).order_by(
                    "-is_principal", "-is_leading", "post_kind", "number"
                ),
            ),
        )
    )


def cadre_list(
    user,
    *,
    q: str = "",
    unit_kind: str = "",
    unit: int | None = None,
    rank: str = "",
    post_kind: str = "",
    leading: bool | None = None,
    active: bool = True,
) -> QuerySet[Cadre]:
    cadres = cadres_for(user).select_related("unit")
    if active:
        cadres = cadres.filter(is_active=True)
    if q:
        cadres = cadres.filter(
            Q(name__icontains=q) | Q(number__icontains=q) | Q(title__icontains=q)
        )
    if unit_kind:
        cadres = cadres.filter(unit__kind=unit_kind)
    if unit:
        subtree = Unit.objects.filter(pk=unit).values_list("path", flat=True).first()
        cadres = cadres.filter(unit__path__startswith=subtree or "-")
    if rank:
        cadres = cadres.filter(rank=rank)
    if post_kind:
        cadres = cadres.filter(post_kind=post_kind)
    if leading is not None:
        cadres = cadres.filter(is_leading=leading)
    return cadres.order_by("unit__path", "-is_principal", "-is_leading", "number")


def cadre_detail(user) -> QuerySet[Cadre]:
    """The cadres' records the user may open, with their unit and post history. (The page's
    annual grades are read by the assessments app's ``published_results`` template tag.)"""
    return (
        cadres_for(user)
        .select_related("unit", "unit__parent", "user")
        .prefetch_related(
            Prefetch("posts", queryset=Post.objects.select_related("unit").order_by("-started_on")),
        )
    )
