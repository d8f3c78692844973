"""Writes for the periodic schedules: office staff of the installation's top unit change a
job's time and switch it on or off; every change is recorded."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from cadres.models import Role
from cadres.scope import account_of

from ..models import ScheduleChange
from ..schedules import SCHEDULES


def may_edit_schedules(user) -> bool:
    """The schedules run for every county: only office staff of a top unit (no parent: the
    city or province the installation serves) change them."""
    account = account_of(user)
    return bool(account and account.role == Role.OFFICE and account.unit.parent_id is None)


def is_interval(cron: CrontabSchedule | None) -> bool:
    """Whether a crontab runs every N minutes (the outbox flush) rather than at a time of day."""
    return cron is not None and cron.hour == "*" and cron.minute.startswith("*/")


def describe(task: PeriodicTask) -> str:
    """A schedule as a clerk reads it: on or off, and its time."""
    cron = task.crontab
    state = _("switched on") if task.enabled else _("switched off")
    if cron is None:
        return state
    if is_interval(cron):
        when = _("every %(n)s minutes") % {"n": cron.minute[2:]}
    else:
        when = f"{int(cron.hour):02d}:{int(cron.minute):02d}"
        if cron.day_of_month != "*":
            when = _("days %(days)s of the month, %(time)s") % {
                "days": cron.day_of_month,
                "time": when,
            }
    return f"{state} · {when}"


@transaction.atomic
def schedule_update(
    *, name: str, enabled: bool, by, hour: int | None = None, minute: int | None = None,
    every: int | None = None,
) -> PeriodicTask:  # fmt: skip
    """Change one of Kaohe's schedules: at ``hour``:``minute`` (keeping its days), or
    ``every`` N minutes for an interval job; on or off."""
    if not may_edit_schedules(by):
        raise PermissionDenied
    if name not in SCHEDULES:
        raise ValidationError(_("There is no such schedule."))
    task = (
        PeriodicTask.objects.select_for_update(of=("self",))
        .select_related("crontab")
        .get(name=name)
    )
    before = describe(task)
    cron = task.crontab
    fields = {
        "minute": cron.minute,
        "hour": cron.hour,
        "day_of_week": cron.day_of_week,
        "day_of_month": cron.day_of_month,
        "month_of_year": cron.month_of_year,
    }
    if every is not None:
        if not 1 <= every <= 60:
            raise ValidationError({"every": _("Between 1 and 60 minutes.")})
        fields.update(minute=f"*/{every}", hour="*")
    else:
        if hour is None or minute is None or not (0 <= hour <= 23 and 0 <= minute <= 59):
            raise ValidationError({"hour": _("Give a time of day, 00:00 to 23:59.")})
        fields.update(minute=str(minute), hour=str(hour))
    task.crontab, _created = CrontabSchedule.objects.get_or_create(
        timezone=settings.TIME_ZONE, **fields
    )
    task.enabled = enabled
    task.save()
    after = describe(task)
    if after != before:
        ScheduleChange.objects.create(name=name, before=before, after=after, by=by)
    return task
