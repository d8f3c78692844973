"""``manage.py check_warnings [--date YYYY-MM-DD]``: run the early-warning rule for a day."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessments.services.warnings import warnings_check


class Command(BaseCommand):
    help = "Issue early warnings for lagging or unreported targets (default: today)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD; default today")

    def handle(self, *args, date=None, **options):
        try:
            on = dt.date.fromisoformat(date) if date else None
        except ValueError as error:
            raise CommandError(_("--date must look like 2015-10-28.")) from error
        run = warnings_check(on=on)
        self.stdout.write(
            _(
                "%(issued)s warning notices issued to %(units)s units (%(targets)s targets); "
                "%(escalated)s escalated; %(emails)s emails queued."
            )
            % {
                "issued": len(run.issued),
                "units": run.units,
                "targets": run.targets,
                "escalated": len(run.escalated),
                "emails": run.emails,
            }
        )
