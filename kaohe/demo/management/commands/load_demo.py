"""``manage.py load_demo``: load the demo county (隰县) and print its logins."""

import unicodedata

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kaohe.demo.daily import daily_summary
from kaohe.demo.loader import demo_logins, load_demo, progress_summary


def _width(text: str) -> int:
    """Columns the text takes in a terminal: CJK characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * width for width in widths))
    return lines


class Command(BaseCommand):
    help = (
        "Load the demo county (Xi County, Linfen): units, cadres, the 2014 and 2015 assessment "
        "years with their catalogs, demo logins, and the 2015 year as it stood at the end of "
        "October 2015 (targets, monthly progress, inspections, reviews and scores), and its "
        "daily assessment of cadres (a closed moral-assessment round, ledger notes, integrity "
        "archive entries and the proposed annual grades). Safe to run again: it only adds "
        "what is missing."
    )

    def handle(self, *args, **options):
        counts = load_demo(stdout=self.stdout)
        if any(counts.values()):
            summary = _(
                "Created %(units)d units, %(cadres)d cadres (%(moves)d moved), %(years)d "
                "assessment years, %(weights)d weights, %(indicators)d indicators and "
                "%(accounts)d logins."
            )
            self.stdout.write(self.style.SUCCESS(summary % counts))
            if counts["targets"]:
                self.stdout.write(self.style.SUCCESS(progress_summary(counts)))
            if counts["moral_rounds"]:
                self.stdout.write(self.style.SUCCESS(daily_summary(counts)))
        else:
            self.stdout.write(
                self.style.SUCCESS(_("The demo county is already loaded; nothing to add."))
            )

        logins = demo_logins()
        if not logins:
            return
        password = logins[0]["password"]
        self.stdout.write("")
        self.stdout.write(_("Demo logins (password: %(password)s)") % {"password": password})
        header = [
            pgettext("demo logins", "Username"),
            pgettext("demo logins", "Password"),
            pgettext("demo logins", "Role"),
            pgettext("demo logins", "Scope"),
        ]
        rows = [[r["username"], r["password"], r["role"], r["scope"]] for r in logins]
        for line in _table([header, *rows]):
            self.stdout.write(line)
