"""Reads of the integrity archive: the pages' querysets and the rules the grading work asks.

Scope comes from ``cadres_for``; the permission checks are the views' (``views_integrity``).
Nothing here loads a reporter except ``entry_reporter``, which only the entry page calls, and
only for holders of ``read_integrity_reporter``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from ..models import Cadre, IntegrityEntry, IntegrityReadLog, IntegrityReporter, Sanction
from ..scope import cadres_for


def archive_cadre(user) -> QuerySet[Cadre]:
    """The cadres whose archive the user may ask for, with their unit."""
    return cadres_for(user).select_related("unit")


def archive_entries(cadre: Cadre) -> QuerySet[IntegrityEntry]:
    """The cadre's entries, newest first (the reporter is not loaded)."""
    return IntegrityEntry.objects.filter(cadre=cadre).order_by("-received_on", "-pk")


def archive_sanctions(cadre: Cadre, *, today: dt.date) -> QuerySet[Sanction]:
    """The cadre's sanctions, latest first, each with ``in_force`` (on ``today``)."""
    return (
        Sanction.objects.filter(cadre=cadre)
        .annotate(in_force=ExpressionWrapper(_in_force(today), output_field=BooleanField()))
        .order_by("-in_force_from", "-pk")
    )


def entry_detail(user) -> QuerySet[IntegrityEntry]:
    """The entries of the cadres in the user's scope, with their cadre and sanctions.
    The reporter is not loaded."""
    return (
        IntegrityEntry.objects.filter(cadre__in=cadres_for(user))
        .select_related("cadre", "cadre__unit", "recorded_by")
        .prefetch_related("sanctions")
    )


def entry_reporter(entry: IntegrityEntry) -> IntegrityReporter | None:
    """Who reported the entry (None: anonymous). Only for ``read_integrity_reporter``."""
    return IntegrityReporter.objects.filter(entry=entry).first()


def read_log(
    user, *, cadre: int | None = None, q: str = "", action: str = ""
) -> QuerySet[IntegrityReadLog]:
    """Reads of the archives of cadres in the user's scope, newest first."""
    reads = IntegrityReadLog.objects.filter(cadre__in=cadres_for(user)).select_related(
        "user", "cadre", "cadre__unit"
    )
    if cadre:
        reads = reads.filter(cadre_id=cadre)
    if q:
        reads = reads.filter(Q(cadre__name__icontains=q) | Q(cadre__number__icontains=q))
    if action:
        reads = reads.filter(action=action)
    return reads.order_by("-at", "-pk")


# Rules for the grading work. They read no archive content for a person and are not logged.


def _in_force(on: dt.date) -> Q:
    return Q(in_force_from__lte=on) & (Q(in_force_until__isnull=True) | Q(in_force_until__gte=on))


def _verified_in(year: int) -> Q:
    return Q(
        status__in=IntegrityEntry.VIOLATION,
        verified_on__gte=dt.date(year, 1, 1),
        verified_on__lt=dt.date(year + 1, 1, 1),
    )


def sanction_in_force(cadre: Cadre, on: dt.date) -> Sanction | None:
    """The sanction of the cadre in force on ``on`` (boundary dates included), the one that
    came into force last if several are; None if none is."""
    return (
        Sanction.objects.filter(_in_force(on), cadre=cadre)
        .order_by("-in_force_from", "-pk")
        .first()
    )


def cadres_with_sanction_in_force(
    cadre_ids: Iterable[int] | QuerySet, on: dt.date
) -> dict[int, Sanction]:
    """``sanction_in_force`` for many cadres in one query: cadre id -> sanction, only for the
    cadres that have one. ``cadre_ids`` may be ids or a queryset of ids."""
    found: dict[int, Sanction] = {}
    sanctions = Sanction.objects.filter(_in_force(on), cadre_id__in=cadre_ids).order_by(
        "cadre_id", "-in_force_from", "-pk"
    )
    for sanction in sanctions:
        found.setdefault(sanction.cadre_id, sanction)
    return found


def verified_violation(cadre: Cadre, year: int) -> IntegrityEntry | None:
    """An entry of the cadre verified (or partly verified) in ``year``, the latest; None if
    there is none. Such an entry rules the grade 优秀 out for that year."""
    return (
        IntegrityEntry.objects.filter(_verified_in(year), cadre=cadre)
        .order_by("-verified_on", "-pk")
        .first()
    )


def cadres_with_verified_violation(
    cadre_ids: Iterable[int] | QuerySet, year: int
) -> dict[int, IntegrityEntry]:
    """``verified_violation`` for many cadres in one query: cadre id -> entry, only for the
    cadres that have one. ``cadre_ids`` may be ids or a queryset of ids."""
    found: dict[int, IntegrityEntry] = {}
    entries = IntegrityEntry.objects.filter(_verified_in(year), cadre_id__in=cadre_ids).order_by(
        "cadre_id", "-verified_on", "-pk"
    )
    for entry in entries:
        found.setdefault(entry.cadre_id, entry)
    return found
