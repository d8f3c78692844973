"""Reads for the schedules page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django_celery_beat.models import PeriodicTask

from ..models import ScheduleChange
from ..schedules import SCHEDULES, TITLES
from ..services.schedules import describe, is_interval


@dataclass
class ScheduleRow:
    name: str
    title: str
    description: str
    task: PeriodicTask
    now: str
    is_interval: bool

    @property
    def time(self) -> str:
        """The time of day for the form's time field ("07:00"); empty for an interval job."""
        cron = self.task.crontab
        if self.is_interval or cron is None:
            return ""
        return f"{int(cron.hour):02d}:{int(cron.minute):02d}"

    @property
    def every(self) -> str:
        return self.task.crontab.minute.removeprefix("*/") if self.is_interval else ""


def schedule_rows() -> list[ScheduleRow]:
    """Kaohe's schedules in their defined order, with their current state."""
    tasks = {
        t.name: t for t in PeriodicTask.objects.filter(name__in=SCHEDULES).select_related("crontab")
    }
    return [
        ScheduleRow(
            name=name,
            title=str(TITLES.get(name, name)),
            description=str(description),
            task=tasks[name],
            now=describe(tasks[name]),
            is_interval=is_interval(tasks[name].crontab),
        )
        for name, (_task, _fields, description) in SCHEDULES.items()
        if name in tasks
    ]


def schedule_changes(limit: int = 50) -> QuerySet[ScheduleChange]:
    return ScheduleChange.objects.select_related("by")[:limit]
