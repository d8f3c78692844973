"""Reads for the eligibility pages: rules versions, flags valid on a date, the selection list."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    When,
)
from django.db.models import Value as V

from cadres.models import ASSESSED_KINDS, Cadre, TrainingAssignment, Unit
from cadres.scope import account_of, cadres_for, units_for

from ..models import EligibilityFlag, EligibilityRules
from .quarterly import confirmed_quarters

Kind = EligibilityFlag.Kind

KIND_ORDER = [Kind.PRIORITY, Kind.MERIT, Kind.TRAINING, Kind.NOT_PROMOTABLE, Kind.ADJUSTMENT]
"""How a cadre's flags are listed: the good news first."""


def rules_versions(county: Unit) -> QuerySet[EligibilityRules]:
    return (
        EligibilityRules.objects.filter(county=county)
        .select_related("created_by")
        .order_by("-effective_from")
    )


def flags_valid_on(on: dt.date) -> QuerySet[EligibilityFlag]:
    """Flags in force on ``on``: opened on or before it and not closed by then (a flag closed
    on a date no longer holds on that date)."""
    return EligibilityFlag.objects.filter(valid_from__lte=on).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=on)
    )


def flag_counts(county: Unit, on: dt.date) -> dict[str, int]:
    """Flags in force on ``on`` per kind, for the cadres of the county's subtree."""
    counts = dict(
        flags_valid_on(on)
        .filter(cadre__unit__path__startswith=county.path)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {kind: counts.get(kind, 0) for kind in KIND_ORDER}


# What the selection page and its Excel show of a flag.
SHOWN_FLAG_FIELDS = ("cadre_id", "kind", "reason", "valid_from", "valid_until")


def selection_list(
    user,
    *,
    on: dt.date,
    kind: str = "",
    unit_kind: str = "",
    unit: Unit | None = None,
    q: str = "",
) -> QuerySet[Cadre]:
    """Cadres in the user's scope with a flag in force on ``on`` (of ``kind`` if given), each
    with ``flags_on``: all their flags in force on that date, rules and unit loaded."""
    matching = flags_valid_on(on).filter(cadre=OuterRef("pk"))
    if kind:
        matching = matching.filter(kind=kind)
    cadres = cadres_for(user).filter(Exists(matching))
    if unit_kind:
        cadres = cadres.filter(unit__kind=unit_kind)
    if unit is not None:
        cadres = cadres.filter(unit__path__startswith=unit.path)
    if q:
        cadres = cadres.filter(Q(name__icontains=q) | Q(number__icontains=q))
    order = Case(
        *[When(kind=k, then=V(i)) for i, k in enumerate(KIND_ORDER)],
        output_field=IntegerField(),
    )
    # What the page and its Excel show of each (not the rules' settings, not the quarters'
    # texts: at the root of a province those were most of a chunk's memory).
    flags = flags_valid_on(on).only(*SHOWN_FLAG_FIELDS).order_by(order, "pk")
    quarters = confirmed_quarters(on).only("cadre_id", "year__year", "quarter", "grade")
    return cadres.select_related("unit").prefetch_related(
        Prefetch("flags", queryset=flags, to_attr="flags_on"),
        Prefetch("quarter_records", queryset=quarters, to_attr="quarters_on"),
    )


FILTER_KINDS = (*ASSESSED_KINDS, Unit.Kind.COUNTY, Unit.Kind.CITY)
FILTER_LEVELS = 2  # levels below the user's unit the unit filter offers


def selection_filter_units(user, wanted: str = "") -> list[Unit]:
    """The units the selection list's unit filter offers: the assessed units, counties and
    cities at most ``FILTER_LEVELS`` below the user's unit (a whole county's units, a
    province's cities and counties: not every unit of a province), and the unit ``wanted``
    (an id from the address) if it is in scope below them. In tree order; one or two queries."""
    account = account_of(user)
    if account is None:
        return []
    scope = units_for(user).filter(kind__in=FILTER_KINDS).only("pk", "name", "kind", "path")
    units = list(scope.filter(depth__lte=account.unit.depth + FILTER_LEVELS).order_by("path"))
    if wanted.isdigit() and all(u.pk != int(wanted) for u in units):
        units += list(scope.filter(pk=int(wanted)))
    return units


def training_candidates(user) -> QuerySet[EligibilityFlag]:
    """Open key-training flags (raised by the eligibility rules) of cadres in scope who are
    not in the pool now: the flag, with its cadre and reason."""
    in_pool = TrainingAssignment.objects.filter(
        kind=TrainingAssignment.Kind.KEY_TRAINING, ended_on__isnull=True
    )
    return (
        EligibilityFlag.objects.filter(
            kind=EligibilityFlag.Kind.TRAINING,
            valid_until__isnull=True,
            cadre__in=cadres_for(user).filter(is_active=True),
        )
        .exclude(cadre__in=in_pool.values("cadre"))
        .select_related("cadre", "cadre__unit")
        .order_by("cadre__unit__path", "cadre__number")
    )


def flag_count_rows(county: Unit, on: dt.date) -> list[tuple[str, int]]:
    """The rules page's counts of flags in force: (the flag kind's label, how many)."""
    return [
        (str(EligibilityFlag.Kind(kind).label), n) for kind, n in flag_counts(county, on).items()
    ]
