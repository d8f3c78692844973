"""Writes of training assignments (培养): the key-training pool (重点培养对象), secondments out
(外派), village first secretaries (下派第一书记) and training courses, each a dated record."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.lib.dates import cn_date

from ..models import Cadre, TrainingAssignment

Kind = TrainingAssignment.Kind
AWAY = (Kind.SECONDMENT, Kind.FIRST_SECRETARY)
"""Kinds that take the cadre away from their post: one at a time, each with its place."""

__all__ = ["AWAY", "training_assign", "training_end"]


@transaction.atomic
def training_assign(
    *,
    cadre: Cadre,
    kind: str,
    started_on: dt.date,
    place: str = "",
    purpose: str = "",
    ended_on: dt.date | None = None,
    by,
) -> TrainingAssignment:
    """Record a training assignment of a cadre.

    Refused (nothing written): an unknown kind; a cadre no longer in service (for a new open
    assignment); a secondment or first-secretary stay without its place (the village for a
    first secretary); an end before the start; a second open entry in the key-training pool;
    a secondment or first-secretary stay that overlaps another one of the cadre.
    """
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Unknown kind of training assignment.")})
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    place, purpose = place.strip(), purpose.strip()
    errors: dict[str, str] = {}
    if kind == Kind.FIRST_SECRETARY and not place:
        errors["place"] = _("Name the village where the cadre serves as first secretary.")
    elif kind == Kind.SECONDMENT and not place:
        errors["place"] = _("Name where the cadre is seconded to.")
    if ended_on is not None and ended_on < started_on:
        errors["ended_on"] = _("The end cannot be before the start.")
    if ended_on is None and not cadre.is_active:
        errors["cadre"] = _("The cadre is no longer in service.")
    if errors:
        raise ValidationError(errors)
    mine = TrainingAssignment.objects.filter(cadre=cadre)
    if kind == Kind.KEY_TRAINING and ended_on is None:
        if mine.filter(kind=Kind.KEY_TRAINING, ended_on__isnull=True).exists():
            raise ValidationError(_("The cadre is already in the key-training pool."))
    if kind in AWAY:
        overlap = mine.filter(kind__in=AWAY).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=started_on)
        )
        if ended_on is not None:
            overlap = overlap.filter(started_on__lte=ended_on)
        clash = overlap.order_by("started_on").first()
        if clash is not None:
            raise ValidationError(
                _("The cadre is away then already: %(kind)s at %(place)s from %(date)s.")
                % {
                    "kind": clash.get_kind_display(),
                    "place": clash.place,
                    "date": clash.started_on,
                }
            )
    assignment = TrainingAssignment(
        cadre=cadre,
        kind=kind,
        place=place,
        purpose=purpose,
        started_on=started_on,
        ended_on=ended_on,
        recorded_by=by,
    )
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def training_end(*, assignment: TrainingAssignment, ended_on: dt.date, by) -> TrainingAssignment:
    """End a current assignment (a cadre leaves the pool, comes back from a secondment or a
    village). Refused for one already ended, for a date before its start or in the future."""
    item = TrainingAssignment.objects.select_for_update().get(pk=assignment.pk)
    if item.ended_on is not None:
        raise ValidationError(
            _("This assignment already ended on %(date)s.") % {"date": cn_date(item.ended_on)}
        )
    if ended_on < item.started_on:
        raise ValidationError(
            {
                "ended_on": _("The end cannot be before the start (%(date)s).")
                % {"date": cn_date(item.started_on)}
            }
        )
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": _("The date cannot be in the future.")})
    item.ended_on = ended_on
    item.full_clean()
    item.save(update_fields=["ended_on"])
    return item
