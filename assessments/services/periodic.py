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
publishes, issues and queues nothing new. ``tests/assessments/test_fanout.py`` holds each body
to the result of the all-county service on the same data, so the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt

from ..models import AssessmentYear, Bulletin, GradingPolicy, OutboxMessage
from . import bulletins, quarterly, warnings

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
    return bulletins.bulletin_build_publish(year=year, month=today.month, today=today)


# --- early warnings ---------------------------------------------------------------------------


def warning_years() -> list[int]:
    return _year_ids(AssessmentYear.objects.filter(status=IN_PROGRESS))


def warnings_check_year(*, year_id: int, on: dt.date) -> warnings.CheckRun:
    """One year's part of ``warnings_check``: the service's own per-year check (under the
    year's lock: twice on a day issues nothing more and sends nothing twice)."""
    return warnings.warnings_check_year(year=year_id, on=on)


# --- reporting reminders ----------------------------------------------------------------------


def reminder_years(on: dt.date) -> list[int]:
    """The in-progress years whose liaisons are reminded on ``on``."""
    years = AssessmentYear.objects.filter(status=IN_PROGRESS, year=on.year).order_by("pk")
    return [
        y.pk
        for y in years.only("pk", "year", "report_deadline_day", "reminder_days_before")
        if warnings.reminder_deadline(y, on)
    ]


def reminders_queue_year(*, year_id: int, on: dt.date) -> list[OutboxMessage]:
    """One year's part of ``reminders_queue``: the service's own per-year reminders."""
    year = _in_progress(year_id)
    return [] if year is None else warnings.reminders_queue_year(year=year, on=on)


# --- quarterly reminders ----------------------------------------------------------------------


def quarterly_years() -> list[int]:
    return _year_ids(AssessmentYear.objects.filter(status=IN_PROGRESS))


def quarterly_reminders_year(*, year_id: int, on: dt.date) -> list[OutboxMessage]:
    """One year's part of ``quarterly_reminders``: the service's own per-year reminders."""
    year = _in_progress(year_id)
    return [] if year is None else quarterly.quarterly_reminders_year(year=year, on=on)


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
