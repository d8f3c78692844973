"""Writes for the close-range identification ledger."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Cadre, LedgerNote


@transaction.atomic
def ledger_note_add(
    *, cadre: Cadre, noted_on: dt.date, kind: str, note: str, points: int, by
) -> LedgerNote:
    """Record what was observed of a cadre (close-range identification ledger)."""
    if noted_on > timezone.localdate():
        raise ValidationError({"noted_on": _("The date cannot be in the future.")})
    entry = LedgerNote(
        cadre=cadre, noted_on=noted_on, kind=kind, note=note.strip(), points=points, recorded_by=by
    )
    entry.full_clean()
    entry.save()
    return entry
