"""Writes of the integrity archive: entries, their verification, reporters, sanctions, and
the read log.

The rule helpers for the grading work (``sanction_in_force``, ``verified_violation`` and their
set-based variants) are reads; they live in ``selectors_integrity`` and are re-exported here.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Cadre, IntegrityEntry, IntegrityReadLog, IntegrityReporter, Sanction
from ..selectors.integrity import (
    cadres_with_sanction_in_force,
    cadres_with_verified_violation,
    sanction_in_force,
    verified_violation,
)

__all__ = [
    "STATUS_FLOW",
    "archive_read",
    "cadres_with_sanction_in_force",
    "cadres_with_verified_violation",
    "entry_record",
    "entry_set_status",
    "reporter_set",
    "sanction_in_force",
    "sanction_record",
    "verified_violation",
]

Status = IntegrityEntry.Status

STATUS_FLOW: dict[str, tuple[str, ...]] = {
    Status.RECEIVED: (Status.VERIFYING,),
    Status.VERIFYING: (Status.VERIFIED, Status.PARTLY, Status.UNFOUNDED),
    Status.VERIFIED: (),
    Status.PARTLY: (),
    Status.UNFOUNDED: (),
}
"""Allowed status changes: received → verifying → verified / partly verified / unfounded.
A concluded entry is final."""


def _not_in_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


@transaction.atomic
def archive_read(
    user,
    cadre: Cadre,
    *,
    action: str,
    entry: IntegrityEntry | None = None,
    ip: str | None = None,
) -> IntegrityReadLog:
    """Log one read of the cadre's archive (``action``: the archive's list, the sanction
    form's list of entries, an entry or its reporter; the two last name the entry)."""
    if action not in IntegrityReadLog.Action.values:
        raise ValueError(f"unknown read: {action}")
    lists = (IntegrityReadLog.Action.ARCHIVE, IntegrityReadLog.Action.SANCTION_FORM)
    if entry is None and action not in lists:
        raise ValueError(f"a read of {action} names the entry")
    if entry is not None and entry.cadre_id != cadre.pk:
        raise ValueError("the entry belongs to another cadre")
    read = IntegrityReadLog(user=user, cadre=cadre, entry=entry, action=action, ip=ip or None)
    # Written on every page view: the rows given are saved objects and the checks above are
    # the constraints', so only the plain fields are validated (no lookups).
    read.full_clean(exclude=["user", "cadre", "entry"], validate_constraints=False)
    read.save()
    return read


def _reporter_fields(name: str, contact: str, note: str) -> tuple[str, str, str]:
    name, contact, note = name.strip(), contact.strip(), note.strip()
    if note and not (name or contact):
        raise ValidationError({"name": _("Give the reporter's name or contact.")})
    return name, contact, note


@transaction.atomic
def entry_record(
    *,
    cadre: Cadre,
    source: str,
    received_on: dt.date,
    summary: str,
    by,
    reporter_name: str = "",
    reporter_contact: str = "",
    reporter_note: str = "",
) -> IntegrityEntry:
    """Record a report or finding (status "received"), with the reporter if not anonymous."""
    _not_in_future(received_on, "received_on")
    name, contact, note = _reporter_fields(reporter_name, reporter_contact, reporter_note)
    entry = IntegrityEntry(
        cadre=cadre,
        source=source,
        received_on=received_on,
        summary=summary.strip(),
        status=Status.RECEIVED,
        recorded_by=by,
    )
    entry.full_clean()
    entry.save()
    if name or contact:
        reporter = IntegrityReporter(entry=entry, name=name, contact=contact, note=note)
        reporter.full_clean()
        reporter.save()
    return entry


@transaction.atomic
def entry_set_status(
    *,
    entry: IntegrityEntry,
    status: str,
    by,
    verified_on: dt.date | None = None,
    conclusion: str = "",
) -> IntegrityEntry:
    """Move an entry along received → verifying → verified / partly verified / unfounded.
    A concluding status needs the date the verification concluded and a conclusion."""
    entry = IntegrityEntry.objects.select_for_update().get(pk=entry.pk)
    if status not in STATUS_FLOW.get(entry.status, ()):
        raise ValidationError(
            {
                "status": _("An entry that is %(current)s cannot become %(new)s.")
                % {
                    "current": entry.get_status_display(),
                    "new": Status(status).label if status in Status.values else status,
                }
            }
        )
    conclusion = conclusion.strip()
    if status in IntegrityEntry.CONCLUDED:
        errors = {}
        if verified_on is None:
            errors["verified_on"] = _("Give the date the verification concluded.")
        elif verified_on < entry.received_on:
            errors["verified_on"] = _(
                "The verification cannot conclude before the report was received."
            )
        elif verified_on > timezone.localdate():
            errors["verified_on"] = _("The date cannot be in the future.")
        if not conclusion:
            errors["conclusion"] = _("Write the conclusion of the verification.")
        if errors:
            raise ValidationError(errors)
    else:
        verified_on, conclusion = None, ""
    entry.status, entry.verified_on, entry.conclusion = status, verified_on, conclusion
    entry.full_clean()
    entry.save(update_fields=["status", "verified_on", "conclusion"])
    return entry


@transaction.atomic
def reporter_set(
    *, entry: IntegrityEntry, name: str, contact: str, note: str = ""
) -> IntegrityReporter:
    """Record or correct who reported an entry. Name or contact is required; the record is
    never cleared (a mistaken clear would lose the identity for good)."""
    name, contact, note = _reporter_fields(name, contact, note)
    if not (name or contact):
        raise ValidationError({"name": _("Give the reporter's name or contact.")})
    reporter = IntegrityReporter.objects.filter(entry=entry).first() or IntegrityReporter(
        entry=entry
    )
    reporter.name, reporter.contact, reporter.note = name, contact, note
    reporter.full_clean()
    reporter.save()
    return reporter


@transaction.atomic
def sanction_record(
    *,
    cadre: Cadre,
    kind: str,
    decided_on: dt.date,
    in_force_from: dt.date,
    by,
    in_force_until: dt.date | None = None,
    entry: IntegrityEntry | None = None,
    note: str = "",
) -> Sanction:
    """Record a sanction and the dates it is in force (``in_force_until`` empty: until further
    notice). If it rests on an entry, the entry is the cadre's and has been verified."""
    errors = {}
    if entry is not None:
        # The entry's status as it stands now, held until the sanction is saved.
        entry = IntegrityEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.cadre_id != cadre.pk:
            errors["entry"] = _("The entry belongs to another cadre.")
        elif entry.status not in IntegrityEntry.VIOLATION:
            errors["entry"] = _(
                "A sanction can only rest on a verified or partly verified entry; "
                "until then the report is an allegation."
            )
    if in_force_until is not None and in_force_until < in_force_from:
        errors["in_force_until"] = _("A sanction cannot end before it comes into force.")
    if in_force_from < decided_on:
        errors["in_force_from"] = _("A sanction cannot come into force before it was decided.")
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    sanction = Sanction(
        cadre=cadre,
        entry=entry,
        kind=kind,
        decided_on=decided_on,
        in_force_from=in_force_from,
        in_force_until=in_force_until,
        note=note.strip(),
        recorded_by=by,
    )
    sanction.full_clean()
    sanction.save()
    return sanction
