"""The periodic jobs, one county at a time (issue #18: jobs fan out).

Each daily or monthly job is a dispatcher task that finds, in one query, the years (or counties)
concerned, and a group of one task per year: ``assessments/tasks.py``. This module holds both
halves' service code: the dispatch queries (``*_years``, ``flag_counties``) and the body of each
per-year task (``*_year``). A year belongs to one county, so one task per in-progress year is one
task per county.

Each body is the loop body of the all-county service it stands for, run for one year, with the
same once guards: the year's row is locked first (a second run at once waits, then finds the work
done), the database holds one bulletin per month and one warning per unit and day, and the outbox
keeps one message per key and recipient. Running a body twice for the same year and day therefore
publishes, issues and queues nothing new. ``tests/assessments/test_periodic.py`` holds each body
to the result of the all-county service on the same data, so the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from cadres.models import Role

from ..models import AssessmentYear, Bulletin, GradingPolicy, OutboxMessage, ProgressReport, Target
from . import bulletins, quarterly, warnings
from .outbox import outbox_dispatch, outbox_queue

IN_PROGRESS = AssessmentYear.Status.IN_PROGRESS


def _year_ids(years) -> list[int]:
    return list(years.order_by("pk").values_list("pk", flat=True))


def _in_progress(year_id: int, *, lock: bool = False) -> AssessmentYear | None:
    """The year, if it is still in progress (it may have closed since it was dispatched)."""
    years = AssessmentYear.objects.filter(pk=year_id, status=IN_PROGRESS).select_related("county")
    if lock:
        years = years.select_for_update(of=("self",))
    return years.first()


# --- month-end bulletin -----------------------------------------------------------------------


def month_end_years(today: dt.date) -> list[int]:
    """The years whose bulletin is due on ``today``: none unless it is the last day of a month."""
    if not bulletins.is_last_day_of_month(today):
        return []
    return _year_ids(AssessmentYear.objects.filter(status=IN_PROGRESS, year=today.year))


def month_end_publish_year(*, year_id: int, today: dt.date) -> Bulletin | None:
    """One year's part of ``bulletins_month_end``: build and publish the month's bulletin unless
    it is published already (then None)."""
    year = _in_progress(year_id)
    if year is None or year.year != today.year or not bulletins.is_last_day_of_month(today):
        return None
    return bulletins._month_end_publish(year, today)


# --- early warnings ---------------------------------------------------------------------------


def warning_years() -> list[int]:
    return _year_ids(AssessmentYear.objects.filter(status=IN_PROGRESS))


@transaction.atomic
def warnings_check_year(*, year_id: int, on: dt.date) -> warnings.CheckRun:
    """One year's part of ``warnings_check``: issue the day's notices, escalate overdue ones
    and queue their emails. Twice on a day issues nothing more and sends nothing twice."""
    run = warnings.CheckRun()
    # The lock: a second run waits here until the first has committed, then finds its work.
    year = _in_progress(year_id, lock=True)
    if year is None:
        return run
    period_year, month = warnings.period_due(on, year.report_deadline_day)
    if period_year == year.year:
        run.issued += warnings._issue(year, month, on)
    run.escalated += warnings._escalate(year, on)
    messages = warnings._queue_notices(run.issued, on)
    messages += warnings._queue_escalations(run.escalated, on)
    run.emails = len(messages)
    outbox_dispatch(m.pk for m in messages)
    return run


# --- reporting reminders ----------------------------------------------------------------------


def _reminder_deadline(year: AssessmentYear, on: dt.date) -> dt.date | None:
    """The month's reporting deadline when ``on`` is the year's reminder day, else None."""
    deadline = dt.date(on.year, on.month, year.report_deadline_day)
    return deadline if (deadline - on).days == year.reminder_days_before else None


def reminder_years(on: dt.date) -> list[int]:
    """The in-progress years whose liaisons are reminded on ``on``."""
    years = AssessmentYear.objects.filter(status=IN_PROGRESS, year=on.year).order_by("pk")
    return [
        y.pk
        for y in years.only("pk", "report_deadline_day", "reminder_days_before")
        if _reminder_deadline(y, on)
    ]


@transaction.atomic
def reminders_queue_year(*, year_id: int, on: dt.date) -> list[OutboxMessage]:
    """One year's part of ``reminders_queue``: on the year's reminder day, remind the liaisons
    (of the year's county) of units that have not reported every target for the month."""
    year = _in_progress(year_id)
    if year is None or year.year != on.year:
        return []
    deadline = _reminder_deadline(year, on)
    if deadline is None:
        return []
    liaisons = defaultdict(list)
    for user in (
        get_user_model()
        .objects.filter(
            account__role=Role.LIAISON, account__unit__path__startswith=year.county.path
        )
        .exclude(email="")
        .select_related("account")
    ):
        liaisons[user.account.unit_id].append(user)
    reported = set(
        ProgressReport.objects.filter(target__year=year, month=on.month)
        .exclude(status=ProgressReport.Status.RETURNED)
        .values_list("target_id", flat=True)
    )
    pending = defaultdict(list)
    for target in Target.objects.filter(year=year).select_related("indicator", "unit"):
        if target.pk not in reported:
            pending[target.unit_id].append(target)
    queued = []
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


# --- quarterly reminders ----------------------------------------------------------------------


def quarterly_years() -> list[int]:
    return _year_ids(AssessmentYear.objects.filter(status=IN_PROGRESS))


@transaction.atomic
def quarterly_reminders_year(*, year_id: int, on: dt.date) -> list[OutboxMessage]:
    """One year's part of ``quarterly_reminders``: queued once each (the outbox keeps one
    message per key and recipient)."""
    year = _in_progress(year_id)
    if year is None:
        return []
    queued: list[OutboxMessage | None] = []
    settings = quarterly.settings_for(year)
    for quarter in (1, 2, 3, 4):
        w = quarterly.window(settings, quarter)
        if on >= w.opens and (w.due - on).days == settings.remind_days_before:
            queued += quarterly._cadre_reminders(year, settings, w)
        if on == w.due + dt.timedelta(days=1):
            queued += quarterly._grader_reminders(year, settings, w)
    return [m for m in queued if m is not None]


# --- eligibility flags ------------------------------------------------------------------------


def flag_counties() -> list[int]:
    """The counties with a locked year: the only ones whose rules can raise a flag."""
    return sorted(
        set(
            AssessmentYear.objects.filter(grading__stage=GradingPolicy.Stage.LOCKED).values_list(
                "county_id", flat=True
            )
        )
    )
