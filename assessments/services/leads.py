"""Lead assessing departments: deduction entries (扣分记录) entered by the lead department or
the office, and withdrawn with a reason (kept on record); the year's scoring window (评分期);
each led indicator's sheet, filled in during the window, submitted, then accepted (its rows
become the targets' decisions, its entries count) or returned with a reason; reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import Account, Role

from ..models import (
    AssessmentYear,
    DeductionEntry,
    Indicator,
    Level,
    OutboxMessage,
    ScoringSheet,
    ScoringWindow,
    SheetEvent,
    SheetRow,
    Target,
)
from .catalog import year_require_open
from .outbox import outbox_queue
from .progress import evidence_check
from .scoring import scores_request_recompute
from .targets import decision_set

Status = ScoringSheet.Status
SHEET_METHODS = (Indicator.Method.LEVELS, Indicator.Method.MANUAL, Indicator.Method.DEDUCTION)


def _require_editable(target: Target) -> None:
    """Closed means closed: read (and on PostgreSQL hold) the year's status under its lock."""
    year_require_open(target.year)


@transaction.atomic
def deduction_enter(
    *,
    target: Target,
    occurred_on: dt.date,
    points: Decimal,
    reason: str,
    by,
    source: str = "",
    vetoes: bool = False,
    attachment=None,
    on_sheet: bool = False,
    today: dt.date | None = None,
) -> DeductionEntry:
    """Record one deduction on a unit's target of a deduction indicator. ``vetoes`` (only on a
    veto indicator) is the event that fails the one-vote veto. ``on_sheet`` (a lead department)
    puts it on the indicator's sheet: during the scoring window, counted once accepted."""
    _require_editable(target)
    sheet = sheet_open_for(target.indicator, today=today) if on_sheet else None
    indicator = target.indicator
    errors: dict[str, str] = {}
    if indicator.method != Indicator.Method.DEDUCTION:
        raise ValidationError(
            _("%(indicator)s is not scored by deductions.") % {"indicator": indicator.name}
        )
    if vetoes and not indicator.is_veto:
        errors["vetoes"] = _("%(indicator)s is not a one-vote-veto indicator.") % {
            "indicator": indicator.name
        }
    if points is None or points < 0 or (points == 0 and not vetoes):
        errors["points"] = _("Deduct more than 0 points (0 only for an entry that vetoes).")
    elif points > indicator.max_points:
        errors["points"] = _("One entry deducts at most the indicator's %(max)s points.") % {
            "max": indicator.max_points
        }
    if not reason.strip():
        errors["reason"] = _("Give the reason for the deduction.")
    if errors:
        raise ValidationError(errors)
    entry = DeductionEntry(
        target=target,
        occurred_on=occurred_on,
        points=points,
        reason=reason.strip(),
        source=source.strip(),
        vetoes=vetoes,
        entered_by=by,
        entered_at=timezone.now(),
        sheet=sheet,
    )
    if attachment:
        evidence_check(attachment)
        entry.attachment = attachment
    entry.full_clean()
    entry.save()
    scores_request_recompute(target.year, units=[target.unit_id])
    return entry


@transaction.atomic
def deduction_withdraw(
    *, entry: DeductionEntry, reason: str, by, on_sheet: bool = False
) -> DeductionEntry:
    """Withdraw an entry entered wrongly: it stays on record (who, when, why) and no longer
    counts."""
    entry = (
        DeductionEntry.objects.select_for_update().select_related("target__year").get(pk=entry.pk)
    )
    _require_editable(entry.target)
    if on_sheet:  # a lead department withdraws only from its own sheet, while it may change it
        if entry.sheet_id is None:
            raise ValidationError(_("An entry of the office is withdrawn by the office."))
        sheet_open_for(entry.target.indicator)
    if entry.is_withdrawn:
        raise ValidationError(_("The entry is already withdrawn."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    entry.withdrawn_at, entry.withdrawn_by = timezone.now(), by
    entry.withdrawal_reason = reason.strip()
    entry.full_clean()
    entry.save()
    scores_request_recompute(entry.target.year, units=[entry.target.unit_id])
    return entry


# -- the scoring window and the sheets -----------------------------------------------------------


def sheet_indicators(year: AssessmentYear):
    """The year's indicators scored on a lead department's sheet: those with a lead department,
    scored by level, manual points or deductions, assessed on at least one unit."""
    return (
        year.indicators.filter(lead_department__isnull=False, method__in=SHEET_METHODS)
        .filter(targets__isnull=False)
        .distinct()
    )


@transaction.atomic
def window_open(
    *, year: AssessmentYear, opens_on: dt.date, closes_on: dt.date, by
) -> ScoringWindow:
    """Open (or move) the year's scoring window."""
    if not year.is_editable:
        raise ValidationError(
            _("The %(year)s assessment is %(status)s: its scoring window can no longer change.")
            % {"year": year.year, "status": year.get_status_display()}
        )
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The window closes on or after it opens.")})
    window = ScoringWindow.objects.filter(year=year).first() or ScoringWindow(year=year)
    window.opens_on, window.closes_on = opens_on, closes_on
    window.opened_by, window.opened_at = by, timezone.now()
    window.full_clean()
    window.save()
    return window


@transaction.atomic
def sheet_open_for(indicator: Indicator, *, today: dt.date | None = None) -> ScoringSheet:
    """The indicator's sheet, started as a draft if need be, when the lead department may change
    it: during the year's scoring window, while a draft or returned."""
    today = today or timezone.localdate()
    window = ScoringWindow.objects.filter(year_id=indicator.year_id).first()
    if window is None or not window.is_open(today):
        raise ValidationError(_("The scoring window is not open: sheets cannot change now."))
    if indicator.method not in SHEET_METHODS:
        raise ValidationError(
            _("%(method)s indicators are not scored on a sheet.")
            % {"method": indicator.get_method_display()}
        )
    sheet, _created = ScoringSheet.objects.select_for_update().get_or_create(
        indicator=indicator, defaults={"updated_at": timezone.now()}
    )
    if not sheet.is_open:
        raise ValidationError(
            _("The sheet is %(status)s: it can no longer change.")
            % {"status": sheet.get_status_display()}
        )
    sheet.updated_at = timezone.now()
    sheet.save(update_fields=["updated_at"])
    return sheet


@transaction.atomic
def sheet_row_set(
    *,
    target: Target,
    reason: str,
    by,
    level: str = "",
    points: Decimal | None = None,
    attachment=None,
    today: dt.date | None = None,
) -> SheetRow:
    """A unit's level (graded-level indicator) or points (manual) on the lead department's
    sheet, with an optional attachment (checked like evidence; a row saved without one keeps
    the one it had); written to the target's decision when the sheet is accepted."""
    _require_editable(target)
    indicator = target.indicator
    sheet = sheet_open_for(indicator, today=today)
    if indicator.method == Indicator.Method.LEVELS:
        if level not in Level.values:
            raise ValidationError({"level": _("Choose a level.")})
        points = None
    elif indicator.method == Indicator.Method.MANUAL:
        if points is None:
            raise ValidationError({"points": _("Enter the points.")})
        if not 0 <= points <= indicator.max_points:
            raise ValidationError(
                {
                    "points": _("Points must be between 0 and %(max)s.")
                    % {"max": indicator.max_points}
                }
            )
        level = ""
    else:
        raise ValidationError(_("Deduction indicators are scored by their deduction entries."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    row = SheetRow.objects.filter(sheet=sheet, target=target).first() or SheetRow(
        sheet=sheet, target=target
    )
    row.level, row.points, row.reason = level, points, reason.strip()
    row.entered_by, row.entered_at = by, timezone.now()
    if attachment:
        evidence_check(attachment)
        row.attachment = attachment
    row.full_clean()
    row.save()
    return row


def _event(sheet: ScoringSheet, action: str, by, reason: str = "") -> None:
    event = SheetEvent(sheet=sheet, action=action, by=by, reason=reason, at=timezone.now())
    event.full_clean()
    event.save()


def _locked(sheet: ScoringSheet) -> ScoringSheet:
    return (
        ScoringSheet.objects.select_for_update().select_related("indicator__year").get(pk=sheet.pk)
    )


@transaction.atomic
def sheet_submit(*, sheet: ScoringSheet, by, today: dt.date | None = None) -> ScoringSheet:
    """Submit the sheet for all units at once: every unit needs its row (a level or points);
    a deduction sheet may have no entries for a unit (full points)."""
    sheet = sheet_open_for(_locked(sheet).indicator, today=today)
    indicator = sheet.indicator
    if indicator.method != Indicator.Method.DEDUCTION:
        missing = indicator.targets.exclude(sheet_rows__sheet=sheet).select_related("unit")
        names = [t.unit.name for t in missing.order_by("unit__path")]
        if names:
            raise ValidationError(
                _("Fill in every unit before submitting; missing: %(units)s.")
                % {"units": "、".join(names)}
            )
    sheet.status = Status.SUBMITTED
    sheet.updated_at = timezone.now()
    sheet.full_clean()
    sheet.save()
    _event(sheet, SheetEvent.Action.SUBMITTED, by)
    return sheet


def _require_submitted(sheet: ScoringSheet) -> None:
    if sheet.status != Status.SUBMITTED:
        raise ValidationError(
            _("Only a submitted sheet can be accepted or returned (this one is %(status)s).")
            % {"status": sheet.get_status_display()}
        )
    year_require_open(sheet.indicator.year)


@transaction.atomic
def sheet_accept(*, sheet: ScoringSheet, by) -> ScoringSheet:
    """Accept a submitted sheet: its rows become the targets' decisions (entered by the lead
    department's scorer) and its deduction entries count."""
    sheet = _locked(sheet)
    _require_submitted(sheet)
    for row in sheet.rows.select_related("target__indicator", "target__year", "entered_by"):
        decision_set(
            target=row.target,
            level=row.level,
            points=row.points,
            reason=row.reason,
            by=row.entered_by,
        )
    sheet.status, sheet.return_reason = Status.ACCEPTED, ""
    sheet.updated_at = timezone.now()
    sheet.full_clean()
    sheet.save()
    _event(sheet, SheetEvent.Action.ACCEPTED, by)
    scores_request_recompute(sheet.indicator.year)
    return sheet


@transaction.atomic
def sheet_return(*, sheet: ScoringSheet, reason: str, by) -> ScoringSheet:
    """Return a submitted sheet with the reason: the lead department fixes and resubmits it."""
    sheet = _locked(sheet)
    _require_submitted(sheet)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for returning the sheet.")})
    return _send_back(sheet, reason.strip(), SheetEvent.Action.RETURNED, by)


def _send_back(sheet: ScoringSheet, reason: str, action: str, by) -> ScoringSheet:
    """Back to the lead department as returned, with the office's reason on the sheet and in
    its history (returned when submitted, reopened when accepted)."""
    sheet.status, sheet.return_reason = Status.RETURNED, reason
    sheet.updated_at = timezone.now()
    sheet.full_clean()
    sheet.save()
    _event(sheet, action, by, reason)
    return sheet


@transaction.atomic
def sheet_reopen(*, sheet: ScoringSheet, reason: str, by) -> ScoringSheet:
    """Reopen an accepted sheet with the reason (a mistake found after acceptance): it goes back
    to the lead department as returned; until it is accepted again the scores keep the
    decisions and entries it last fed. Not once the year is closed."""
    sheet = _locked(sheet)
    if sheet.status != Status.ACCEPTED:
        raise ValidationError(
            _("Only an accepted sheet can be reopened (this one is %(status)s).")
            % {"status": sheet.get_status_display()}
        )
    year_require_open(sheet.indicator.year)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening the sheet.")})
    return _send_back(sheet, reason.strip(), SheetEvent.Action.REOPENED, by)


@transaction.atomic
def sheets_remind(*, year: AssessmentYear, by, today: dt.date | None = None) -> int:
    """Email every scorer of each lead department whose sheet is not submitted (not started,
    draft or returned), through the outbox; once a day per indicator and scorer."""
    today = today or timezone.localdate()
    window = ScoringWindow.objects.filter(year=year).first()
    if window is None:
        raise ValidationError(_("Open the scoring window first."))
    pending = (
        sheet_indicators(year)
        .exclude(sheet__status__in=[Status.SUBMITTED, Status.ACCEPTED])
        .select_related("lead_department", "sheet")
        .order_by("sort_order", "code")
    )
    by_department: dict[int, list[Indicator]] = {}
    for indicator in pending:
        if indicator.lead_department_id is not None:  # filtered above; for the type checker
            by_department.setdefault(indicator.lead_department_id, []).append(indicator)
    scorers = Account.objects.filter(
        role=Role.LEAD, unit_id__in=by_department, user__is_active=True
    ).select_related("user", "unit")
    queued = 0
    for account in scorers:
        user = account.user
        if not user.email:
            continue
        indicators = by_department[account.unit_id]
        name = user.get_full_name() or user.get_username()
        context = {
            "name": name,
            "unit": account.unit,
            "year": year,
            "window": window,
            "indicators": indicators,
        }
        message = outbox_queue(
            kind=OutboxMessage.Kind.REMINDER,
            key=f"sheet-reminder:{year.pk}:{account.unit_id}:{today.isoformat()}",
            year=year,
            recipient_email=user.email,
            recipient_name=name,
            reason=_("lead department scorer of %(unit)s") % {"unit": account.unit.name},
            subject=_("%(year)s: scoring sheets of %(unit)s not yet submitted")
            % {"year": year.year, "unit": account.unit.name},
            body_text=render_to_string("emails/sheet_reminder.txt", context),
            unit=account.unit,
        )
        queued += message is not None
    for indicators in by_department.values():
        for indicator in indicators:
            sheet = getattr(indicator, "sheet", None)
            if sheet is not None:
                _event(sheet, SheetEvent.Action.REMINDED, by)
    return queued
