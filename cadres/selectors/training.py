"""Reads for the training pages: the key-training pool, and the dated
assignments away (secondments, first secretaries) and courses. Each ready for its page."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet

from ..models import TrainingAssignment
from ..scope import cadres_for

Kind = TrainingAssignment.Kind


def pool(user) -> QuerySet[TrainingAssignment]:
    """Current members of the key-training pool in the user's scope."""
    return (
        TrainingAssignment.objects.filter(
            cadre__in=cadres_for(user), kind=Kind.KEY_TRAINING, ended_on__isnull=True
        )
        .select_related("cadre", "cadre__unit")
        .order_by(
            "cadre__unit__path", "-cadre__is_principal", "-cadre__is_leading", "cadre__number"
        )
    )


def assignment_detail(user) -> QuerySet[TrainingAssignment]:
    """The assignments of the cadres the user may open, with their cadre."""
    return TrainingAssignment.objects.filter(cadre__in=cadres_for(user)).select_related("cadre")


def assignments(
    user, *, kind: str = "", on: dt.date | None = None, status: str = "", today: dt.date
) -> QuerySet[TrainingAssignment]:
    """Secondments, first-secretary stays and courses in scope, current ones first.
    ``on``: those under way on that date; ``status``: current or past (as of ``today``)."""
    items = TrainingAssignment.objects.filter(cadre__in=cadres_for(user)).exclude(
        kind=Kind.KEY_TRAINING
    )
    if kind:
        items = items.filter(kind=kind)
    if on:
        items = items.filter(started_on__lte=on).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=on)
        )
    current = Q(started_on__lte=today) & (Q(ended_on__isnull=True) | Q(ended_on__gte=today))
    if status == "current":
        items = items.filter(current)
    elif status == "past":
        items = items.filter(ended_on__lt=today)
    return items.select_related("cadre", "cadre__unit").order_by(
        F("ended_on").desc(nulls_first=True), "-started_on", "cadre__number"
    )
