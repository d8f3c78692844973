"""Lead assessing departments: deduction entries (扣分记录) entered by the lead department or
the office, and withdrawn with a reason (kept on record)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import DeductionEntry, Indicator, Target
from .scoring import scores_request_recompute


def _require_editable(target: Target) -> None:
    year = target.year
    if not year.is_editable:
        raise ValidationError(
            _("The %(year)s assessment is %(status)s: its deductions can no longer change.")
            % {"year": year.year, "status": year.get_status_display()}
        )


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
) -> DeductionEntry:
    """Record one deduction on a unit's target of a deduction indicator. ``vetoes`` (only on a
    veto indicator) is the event that fails the one-vote veto."""
    _require_editable(target)
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
    )
    if attachment:
        entry.attachment = attachment
    entry.full_clean()
    entry.save()
    scores_request_recompute(target.year)
    return entry


@transaction.atomic
def deduction_withdraw(*, entry: DeductionEntry, reason: str, by) -> DeductionEntry:
    """Withdraw an entry entered wrongly: it stays on record (who, when, why) and no longer
    counts."""
    entry = (
        DeductionEntry.objects.select_for_update().select_related("target__year").get(pk=entry.pk)
    )
    _require_editable(entry.target)
    if entry.is_withdrawn:
        raise ValidationError(_("The entry is already withdrawn."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    entry.withdrawn_at, entry.withdrawn_by = timezone.now(), by
    entry.withdrawal_reason = reason.strip()
    entry.full_clean()
    entry.save()
    scores_request_recompute(entry.target.year)
    return entry
