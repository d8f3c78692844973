"""Celery tasks: thin entry points that call services. JSON arguments only (ids and dates).

The periodic jobs fan out (issue #18): the task a schedule names is a dispatcher that finds the
years (or counties) concerned in one query and starts a Celery group of one task per year, so
that N worker hosts share the work. A year belongs to one county: one task per county. Each
per-county task is idempotent (the services' once guards: a locked year row, one bulletin per
month, one warning per unit and day, one outbox message per key and recipient), so a redelivery
after a worker died (``acks_late``) or a second beat tick does nothing new. Without a broker the
group runs inline, one county after the other, in the dispatcher's process.
"""

import datetime as dt
import logging
from smtplib import SMTPException

from celery import group, shared_task
from django.utils import timezone

from cadres.models import Unit
from kaohe.lib.cache import year_changed

from .models import AssessmentYear
from .services import eligibility, outbox, periodic
from .services.scoring import scores_recompute_requested, scores_sweep_stale

logger = logging.getLogger(__name__)

# One county's share of a job: a bulletin with its PDF and emails, a day's warnings, reminders
# or flags. Sized with room for a large county on a loaded host; the dispatcher only queries
# and publishes, so its limit is short. (Celery's default, CELERY_TASK_TIME_LIMIT, is 600 s.)
COUNTY_SOFT_LIMIT, COUNTY_HARD_LIMIT = 240, 300
DISPATCH_SOFT_LIMIT, DISPATCH_HARD_LIMIT = 60, 90


@shared_task(
    name="assessments.recompute_scores",
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=300,
    time_limit=360,
)
def recompute_scores(year_id: int) -> int:
    """Recompute a year's unit scores; returns the number of units scored."""
    year = AssessmentYear.objects.filter(pk=year_id).first()
    if year is None:
        return 0
    return scores_recompute_requested(year=year)


@shared_task(name="assessments.sweep_stale_scores", soft_time_limit=60, time_limit=90)
def sweep_stale_scores() -> int:
    """Safety net: queue the recomputes whose hand-off to the broker was lost. It fans out
    already: one ``recompute_scores`` task per year (through ``kaohe.lib.queue``, which stops
    at the first broker failure and leaves the rest for the next sweep)."""
    return scores_sweep_stale()


@shared_task(
    bind=True,
    name="assessments.send_outbox_message",
    acks_late=True,
    max_retries=outbox.MAX_ATTEMPTS,
    soft_time_limit=60,
    time_limit=90,
)
def send_outbox_message(self, message_id: int) -> bool:
    """Send one outbox message (claimed first, so never twice). A failure the row says is
    worth retrying is retried when the row's next attempt is due: one chain, bounded by the
    row's attempt count, whatever the flush does meanwhile."""
    try:
        return outbox.outbox_send(message_id)
    except (SMTPException, OSError) as error:
        if self.request.is_eager:
            return False  # inline mode: the row is marked failed; the flush job retries it
        countdown = outbox.retry_countdown(message_id)
        if countdown is None:
            return False  # held for the office's resend, or unconfirmed: no retry
        raise self.retry(exc=error, countdown=countdown, max_retries=None) from error


@shared_task(name="assessments.flush_outbox", soft_time_limit=120, time_limit=180)
def flush_outbox() -> int:
    """Safety net: nudge every queued, failed or stale message (e.g. after a broker outage)."""
    return outbox.outbox_flush()


def _day(value: str | None) -> dt.date:
    return dt.date.fromisoformat(value) if value else timezone.localdate()


def _fan_out(task, ids: list[int], day: dt.date) -> int:
    """Start ``task(id, day)`` for each id as one Celery group (inline without a broker).
    The day is fixed here, once, so a county task that runs late still does that day's work.
    Returns how many were started."""
    if ids:
        group([task.si(pk, day.isoformat()) for pk in ids]).apply_async()
    logger.info("started %d %s tasks for %s", len(ids), task.name, day.isoformat())
    return len(ids)


def _per_county(name: str):
    """A per-county task: idempotent, so acknowledged only once done (a redelivery after a
    worker died runs it again, and that does nothing new)."""
    return shared_task(
        name=name,
        acks_late=True,
        soft_time_limit=COUNTY_SOFT_LIMIT,
        time_limit=COUNTY_HARD_LIMIT,
    )


def _dispatcher(name: str):
    return shared_task(
        name=name, soft_time_limit=DISPATCH_SOFT_LIMIT, time_limit=DISPATCH_HARD_LIMIT
    )


@_per_county("assessments.month_end_bulletin_county")
def month_end_bulletin_county(year_id: int, today: str) -> int | None:
    """Publish one year's month-end bulletin; its id, or None when it was published already
    (or the year is no longer in progress, or ``today`` is not a month's last day)."""
    bulletin = periodic.month_end_publish_year(year_id=year_id, today=_day(today))
    return None if bulletin is None else bulletin.pk


@_dispatcher("assessments.month_end_bulletin")
def month_end_bulletin(today: str | None = None) -> int:
    """On the last day of a month, one task per in-progress year publishes its bulletin.
    Returns how many were started (none on other days)."""
    day = _day(today)
    return _fan_out(month_end_bulletin_county, periodic.month_end_years(day), day)


@_per_county("assessments.check_warnings_county")
def check_warnings_county(year_id: int, on: str) -> dict[str, int]:
    """Issue one year's early warnings of the day and escalate its overdue ones."""
    run = periodic.warnings_check_year(year_id=year_id, on=_day(on))
    if run.issued or run.escalated:
        year_changed(year_id)  # the dashboard's warning counts
    return {"issued": len(run.issued), "escalated": len(run.escalated)}


@_dispatcher("assessments.check_warnings")
def check_warnings(on: str | None = None) -> int:
    """Every in-progress year's early warnings, one task per year. Returns how many started."""
    day = _day(on)
    return _fan_out(check_warnings_county, periodic.warning_years(), day)


@_per_county("assessments.send_reminders_county")
def send_reminders_county(year_id: int, on: str) -> int:
    """Remind one year's liaisons; returns the number of reminders queued."""
    return len(periodic.reminders_queue_year(year_id=year_id, on=_day(on)))


@_dispatcher("assessments.send_reminders")
def send_reminders(on: str | None = None) -> int:
    """Remind liaisons a few days before the reporting deadline: one task per year whose
    reminder day it is. Returns how many were started."""
    day = _day(on)
    return _fan_out(send_reminders_county, periodic.reminder_years(day), day)


@_per_county("assessments.quarterly_reminders_county")
def quarterly_reminders_county(year_id: int, on: str) -> int:
    """One year's quarterly reminders; returns the number queued."""
    return len(periodic.quarterly_reminders_year(year_id=year_id, on=_day(on)))


@_dispatcher("assessments.quarterly_reminders")
def quarterly_reminders(on: str | None = None) -> int:
    """Remind cadres before a quarterly record is due and graders when records wait: one task
    per in-progress year. Returns how many were started."""
    day = _day(on)
    return _fan_out(quarterly_reminders_county, periodic.quarterly_years(), day)


@_per_county("assessments.recompute_flags_county")
def recompute_flags_county(county_id: int, on: str) -> dict[str, int]:
    """Recompute one county's eligibility flags under the rules in force on ``on``; the
    number of flags in force per kind. Unchanged flags stay as they are."""
    county = Unit.objects.get(pk=county_id)
    return eligibility.flags_recompute(county=county, on=_day(on))


@_dispatcher("assessments.recompute_flags")
def recompute_flags(on: str | None = None) -> int:
    """Every county with a locked year: its flags under the rules in force today (a rules
    version dated in the future takes effect on its day). Returns how many were started."""
    day = _day(on)
    return _fan_out(recompute_flags_county, periodic.flag_counties(), day)
