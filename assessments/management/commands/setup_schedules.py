"""``manage.py setup_schedules``: install the missing periodic schedules (never overwrites)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from assessments.schedules import SCHEDULES


class Command(BaseCommand):
    help = "Install the periodic schedules of Kaohe that are missing (edits are kept)."

    def handle(self, *args, **options):
        created = 0
        for name, (task, fields, description) in SCHEDULES.items():
            if PeriodicTask.objects.filter(name=name).exists():
                continue
            crontab, _created = CrontabSchedule.objects.get_or_create(
                timezone=settings.TIME_ZONE,
                **{
                    "minute": "*",
                    "hour": "*",
                    "day_of_week": "*",
                    "day_of_month": "*",
                    "month_of_year": "*",
                    **fields,
                },
            )
            PeriodicTask.objects.create(
                name=name, task=task, crontab=crontab, description=str(description)
            )
            created += 1
        self.stdout.write(
            _("%(created)s schedules installed, %(total)s in all.")
            % {"created": created, "total": len(SCHEDULES)}
        )
