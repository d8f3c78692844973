"""Early warnings (预警通报) and reporting reminders, run daily.

The rule: at the latest month whose reporting deadline has passed, a target whose progress is
red (actual / plan below the year's amber threshold) or whose report is missing gets a warning
— at most one per target and month — with a deadline to catch up. Warnings past that deadline
and not closed are escalated. Each unit with new warnings gets one notice by email.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import Role

from ..models import AssessmentYear, EarlyWarning, OutboxMessage, ProgressReport, Target
from ..selectors.progress import Color, target_statuses
from .outbox import outbox_dispatch, outbox_queue

OPEN = [EarlyWarning.Status.ISSUED, EarlyWarning.Status.ACKNOWLEDGED, EarlyWarning.Status.ESCALATED]


def period_due(on: dt.date, deadline_day: int) -> tuple[int, int]:
    """(year, month) of the latest month whose reporting deadline is before ``on``."""
    if on.day > deadline_day:
        return on.year, on.month
    return (on.year, on.month - 1) if on.month > 1 else (on.year - 1, 12)


@transaction.atomic
def warnings_check(*, on: dt.date | None = None) -> list[EarlyWarning]:
    """Issue the day's warnings, escalate overdue ones, and queue one notice per unit.
    Running it twice on a day issues nothing more and sends nothing twice."""
    on = on or timezone.localdate()
    issued: list[EarlyWarning] = []
    for year in AssessmentYear.objects.filter(
        status=AssessmentYear.Status.IN_PROGRESS
    ).select_related("county"):
        period_year, month = period_due(on, year.report_deadline_day)
        if period_year != year.year:
            continue
        issued += _issue(year, month, on)
        EarlyWarning.objects.filter(
            year=year,
            status__in=[EarlyWarning.Status.ISSUED, EarlyWarning.Status.ACKNOWLEDGED],
            catch_up_by__lt=on,
        ).update(status=EarlyWarning.Status.ESCALATED, escalated_on=on)
    messages = _queue_notices(issued, on)
    outbox_dispatch(m.pk for m in messages)
    return issued


def _issue(year: AssessmentYear, month: int, on: dt.date) -> list[EarlyWarning]:
    targets = list(Target.objects.filter(year=year).select_related("indicator", "unit"))
    warned = set(
        EarlyWarning.objects.filter(year=year, month=month).values_list("target_id", flat=True)
    )
    statuses = target_statuses(
        [t for t in targets if t.pk not in warned], year=year, month=month, today=on
    )
    new = [
        EarlyWarning(
            year=year,
            unit=s.target.unit,
            target=s.target,
            month=month,
            kind=EarlyWarning.Kind.MISSING if s.color == Color.MISSING else EarlyWarning.Kind.LAG,
            plan=s.plan,
            actual=s.actual,
            ratio=s.ratio,
            issued_on=on,
            catch_up_by=on + dt.timedelta(days=year.warning_catch_up_days),
        )
        for s in statuses.values()
        if s.needs_warning
    ]
    return EarlyWarning.objects.bulk_create(new)


def _queue_notices(warnings: list[EarlyWarning], on: dt.date) -> list[OutboxMessage]:
    by_unit: dict[int, list[EarlyWarning]] = defaultdict(list)
    for w in warnings:
        by_unit[w.unit_id].append(w)
    queued = []
    for items in by_unit.values():
        unit, year = items[0].unit, items[0].year
        if not unit.head_email:
            continue
        context = {"unit": unit, "year": year, "warnings": items, "on": on}
        context["WarningKind"] = EarlyWarning.Kind  # the template compares w.kind by name
        message = outbox_queue(
            kind=OutboxMessage.Kind.WARNING,
            key=f"warning-notice:{unit.pk}:{year.pk}:{items[0].month}:{on.isoformat()}",
            year=year,
            unit=unit,
            warning=items[0],
            recipient_email=unit.head_email,
            recipient_name=_("Head of %(unit)s") % {"unit": unit.name},
            reason=_("you are the head of %(unit)s, which has targets lagging or unreported")
            % {"unit": unit.name},
            subject=_("Early warning: %(count)s targets of %(unit)s lag (%(year)s-%(month)s)")
            % {"count": len(items), "unit": unit.name, "year": year.year, "month": items[0].month},
            body_text=render_to_string("emails/warning.txt", context),
            body_html=render_to_string("emails/warning.html", context),
        )
        if message is not None:
            queued.append(message)
    return queued


@transaction.atomic
def warning_acknowledge(*, warning: EarlyWarning, plan: str, by) -> EarlyWarning:
    """The unit acknowledges the warning with its catch-up plan."""
    warning = EarlyWarning.objects.select_for_update().get(pk=warning.pk)
    if warning.status == EarlyWarning.Status.CLOSED:
        raise ValidationError(_("The warning is closed."))
    if not plan.strip():
        raise ValidationError({"catch_up_plan": _("Describe how the unit will catch up.")})
    warning.catch_up_plan = plan.strip()
    warning.acknowledged_at, warning.acknowledged_by = timezone.now(), by
    if warning.status == EarlyWarning.Status.ISSUED:
        warning.status = EarlyWarning.Status.ACKNOWLEDGED
    warning.full_clean()
    warning.save()
    return warning


@transaction.atomic
def warning_close(*, warning: EarlyWarning, note: str, on: dt.date | None = None) -> EarlyWarning:
    warning = EarlyWarning.objects.select_for_update().get(pk=warning.pk)
    if warning.status == EarlyWarning.Status.CLOSED:
        raise ValidationError(_("The warning is already closed."))
    if not note.strip():
        raise ValidationError({"closing_note": _("Record why the warning is closed.")})
    warning.status = EarlyWarning.Status.CLOSED
    warning.closed_on = on or timezone.localdate()
    warning.closing_note = note.strip()
    warning.full_clean()
    warning.save()
    return warning


@transaction.atomic
def reminders_queue(*, on: dt.date | None = None) -> list[OutboxMessage]:
    """A few days before the month's reporting deadline, remind the liaisons of units that have
    not reported every target for the month."""
    on = on or timezone.localdate()
    queued = []
    liaisons = defaultdict(list)
    for user in (
        get_user_model()
        .objects.filter(account__role=Role.LIAISON)
        .exclude(email="")
        .select_related("account")
    ):
        liaisons[user.account.unit_id].append(user)
    for year in AssessmentYear.objects.filter(
        status=AssessmentYear.Status.IN_PROGRESS, year=on.year
    ):
        deadline = dt.date(on.year, on.month, year.report_deadline_day)
        if (deadline - on).days != year.reminder_days_before:
            continue
        reported = set(
            ProgressReport.objects.filter(target__year=year, month=on.month)
            .exclude(status=ProgressReport.Status.RETURNED)
            .values_list("target_id", flat=True)
        )
        pending = defaultdict(list)
        for target in Target.objects.filter(year=year).select_related("indicator", "unit"):
            if target.pk not in reported:
                pending[target.unit_id].append(target)
        for unit_id, targets in pending.items():
            unit = targets[0].unit
            for user in liaisons.get(unit_id, []):
                name = user.get_full_name() or user.username
                context = {
                    "unit": unit,
                    "year": year,
                    "targets": targets,
                    "deadline": deadline,
                    "name": name,
                }
                message = outbox_queue(
                    kind=OutboxMessage.Kind.REMINDER,
                    key=f"reminder:{year.pk}:{on.month}:{unit.pk}",
                    year=year,
                    unit=unit,
                    recipient_email=user.email,
                    recipient_name=name,
                    reason=_("you report progress for %(unit)s") % {"unit": unit.name},
                    subject=_("Reminder: %(unit)s's progress reports are due on %(date)s")
                    % {"unit": unit.name, "date": f"{deadline.month}月{deadline.day}日"},
                    body_text=render_to_string("emails/reminder.txt", context),
                )
                if message is not None:
                    queued.append(message)
    outbox_dispatch(m.pk for m in queued)
    return queued
