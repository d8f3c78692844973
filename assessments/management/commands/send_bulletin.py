"""``manage.py send_bulletin --month YYYY-MM [--county CODE] [--resend-failed]``."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessments.models import AssessmentYear, Bulletin, OutboxMessage
from assessments.services.bulletins import bulletin_build_publish
from assessments.services.outbox import outbox_requeue, outbox_send


class Command(BaseCommand):
    help = (
        "Build and publish the month's bulletin and email it; with --resend-failed, only send "
        "again what failed. A recipient never gets the same bulletin twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--county", help="county unit code (default: every county)")
        parser.add_argument("--resend-failed", action="store_true")

    def handle(self, *args, month, county=None, resend_failed=False, **options):
        try:
            first = dt.date.fromisoformat(f"{month}-01")
        except ValueError as error:
            raise CommandError(_("--month must look like 2015-10.")) from error
        years = AssessmentYear.objects.filter(year=first.year).select_related("county")
        if county:
            years = years.filter(county__code=county)
        if not years:
            raise CommandError(_("No assessment year %(year)s.") % {"year": first.year})
        for year in years:
            bulletin = Bulletin.objects.filter(year=year, month=first.month).first()
            if not resend_failed and (bulletin is None or bulletin.status == Bulletin.Status.DRAFT):
                try:  # None: another run published it meanwhile
                    bulletin_build_publish(year=year, month=first.month)
                except ValidationError as error:  # e.g. a month that has not begun
                    self.stdout.write(f"{year.county.name}: {' '.join(error.messages)}")
                bulletin = Bulletin.objects.filter(year=year, month=first.month).first()
            if bulletin is None:
                self.stdout.write(
                    _("%(county)s: no bulletin for that month.") % {"county": year.county}
                )
                continue
            if resend_failed:
                outbox_requeue(messages=bulletin.messages.all())  # held and failed: go again
            pending = bulletin.messages.filter(
                status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.FAILED]
            )
            sent = failed = 0
            for pk in pending.values_list("pk", flat=True):
                try:
                    sent += outbox_send(pk)
                except Exception as error:  # reported per message, then go on
                    failed += 1
                    self.stderr.write(f"{pk}: {error}")
            total = bulletin.messages.count()
            self.stdout.write(
                _(
                    "%(county)s %(month)s: %(sent)s sent now, %(failed)s failed, "
                    "%(total)s recipients."
                )
                % {
                    "county": year.county.name,
                    "month": month,
                    "sent": sent,
                    "failed": failed,
                    "total": total,
                }
            )
