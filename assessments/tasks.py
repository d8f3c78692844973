"""Celery tasks: thin entry points that call services. JSON arguments only (ids and dates)."""

import datetime as dt
from smtplib import SMTPException

from celery import shared_task

from kaohe.lib.cache import year_changed

from .models import AssessmentYear
from .services import bulletins, outbox, quarterly, warnings
from .services.scoring import scores_recompute_requested, scores_sweep_stale


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
    """Safety net: queue the recomputes whose hand-off to the broker was lost."""
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


@shared_task(name="assessments.month_end_bulletin", soft_time_limit=600, time_limit=900)
def month_end_bulletin(today: str | None = None) -> list[int]:
    """On the last day of a month, publish each in-progress year's bulletin."""
    day = dt.date.fromisoformat(today) if today else None
    return [b.pk for b in bulletins.bulletins_month_end(today=day)]


@shared_task(name="assessments.check_warnings", soft_time_limit=600, time_limit=900)
def check_warnings(on: str | None = None) -> dict[str, int]:
    """Issue the day's early warnings and escalate overdue ones."""
    day = dt.date.fromisoformat(on) if on else None
    run = warnings.warnings_check(on=day)
    for year_id in {w.year_id for w in [*run.issued, *run.escalated]}:
        year_changed(year_id)  # the dashboard's warning counts
    return {"issued": len(run.issued), "escalated": len(run.escalated)}


@shared_task(name="assessments.send_reminders", soft_time_limit=300, time_limit=360)
def send_reminders(on: str | None = None) -> int:
    """Remind liaisons a few days before the reporting deadline."""
    day = dt.date.fromisoformat(on) if on else None
    return len(warnings.reminders_queue(on=day))


@shared_task(name="assessments.quarterly_reminders", soft_time_limit=300, time_limit=360)
def quarterly_reminders(on: str | None = None) -> int:
    """Remind cadres before a quarterly record is due and graders when records wait."""
    day = dt.date.fromisoformat(on) if on else None
    return len(quarterly.quarterly_reminders(on=day))
