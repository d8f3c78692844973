"""Reads for bulletins, warnings and the outbox."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from cadres.models import Role
from cadres.scope import account_of, units_for

from ..models import Bulletin, EarlyWarning, OutboxMessage, WarningItem
from .catalog import years_for

DELAYED = dt.timedelta(minutes=5)


def bulletins_for(user) -> QuerySet[Bulletin]:
    """Office staff see drafts too; everyone else only published bulletins of their county."""
    account = account_of(user)
    bulletins = Bulletin.objects.filter(year__in=years_for(user))
    if account is None or account.role != Role.OFFICE:
        bulletins = bulletins.filter(status=Bulletin.Status.PUBLISHED)
    return bulletins


def warnings_for(user) -> QuerySet[EarlyWarning]:
    """Office and leaders: the county's warnings; a liaison: their unit's."""
    account = account_of(user)
    warnings = EarlyWarning.objects.filter(year__in=years_for(user))
    if account is not None and account.role == Role.LIAISON:
        warnings = warnings.filter(unit__in=units_for(user))
    return warnings


def bulletin_detail(user) -> QuerySet[Bulletin]:
    """The bulletins the user may open, with their year and county."""
    return bulletins_for(user).select_related("year", "year__county")


def warning_detail(user) -> QuerySet[EarlyWarning]:
    """The warnings the user may open, with what their page shows: each lagging target."""
    return (
        warnings_for(user)
        .select_related("year", "year__county", "unit", "acknowledged_by")
        .prefetch_related(_items())
    )


def _items() -> Prefetch:
    return Prefetch(
        "items",
        queryset=WarningItem.objects.select_related("target__indicator").order_by(
            "target__indicator__code", "pk"
        ),
    )


def warning_list(user, year, *, unit=None, status: str = "open") -> QuerySet[EarlyWarning]:
    """A year's notices the user may see, filtered by unit and status ("open" for every status
    but closed, "" for all), each with its lagging targets."""
    warnings = warnings_for(user).filter(year=year)
    if unit is not None:
        warnings = warnings.filter(unit=unit)
    if status == "open":
        warnings = warnings.exclude(status=EarlyWarning.Status.CLOSED)
    elif status:
        warnings = warnings.filter(status=status)
    return (
        warnings.select_related("unit")
        .prefetch_related(_items())
        .order_by("-issued_on", "unit__path", "pk")
    )


def warned_units(user, year) -> QuerySet:
    """The units in the user's scope that have a warning in ``year`` (the list's unit filter)."""
    return units_for(user).filter(warnings__year=year).distinct().order_by("path")


def bulletin_list(user, year) -> QuerySet[Bulletin]:
    return (
        bulletins_for(user)
        .filter(year=year)
        .annotate(
            recipients=Count("messages"),
            sent=Count("messages", filter=Q(messages__status=OutboxMessage.Status.SENT)),
        )
        .order_by("-month")
    )


def outbox_health(year) -> dict:
    """Counts by status, and how many are queued for longer than a broker hiccup explains."""
    messages = OutboxMessage.objects.filter(year=year)
    counts = dict(messages.values_list("status").annotate(n=Count("pk")).order_by())
    delayed = messages.filter(
        status=OutboxMessage.Status.QUEUED, queued_at__lt=timezone.now() - DELAYED
    ).count()
    return {
        "counts": counts,
        "delayed": delayed,
        "failed": counts.get(OutboxMessage.Status.FAILED, 0),
        "held": counts.get(OutboxMessage.Status.HELD, 0),
        "unconfirmed": counts.get(OutboxMessage.Status.UNCONFIRMED, 0),
    }
