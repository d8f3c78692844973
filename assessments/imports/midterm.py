"""Mid-term review (联述联评联考) scores of a year, keyed by the unit code: the bulk entry of the
mid-term page by Excel. The page's download comes filled in with every unit that has a
mid-term-review target; each row goes through ``midterm_set`` (a changed score is a recorded
correction and needs its reason in 更正理由)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from cadres.scope import units_for

from .. import services
from ..models import AssessmentYear, MidtermReview
from ..selectors.scoring import midterm_units
from ..services.corrections import results_published
from .base import Column, Date, Importer, Number, SheetSpec, Text, show, template_workbook
from .units import duplicates

SHEET = "中期考核"
FIELDS = ("score", "reviewed_on", "note")


class MidtermImporter(Importer):
    kind = "midterm"
    title = gettext_lazy("Mid-term review scores")
    description = gettext_lazy(
        "For the year chosen on the import page (the mid-term page downloads this file filled in "
        "with its units). One row per unit that has a mid-term-review target, keyed by the unit "
        "code; an empty score leaves the unit as it is. Changing a score already entered is a "
        "correction: give its reason in 更正理由. If any row has a problem, nothing is imported."
    )
    filename = "中期考核导入模板.xlsx"
    year_bound = True
    sheets = (
        SheetSpec(
            SHEET,
            (
                Column("单位代码", "unit", Text(32), required=True, example="XX-T1"),
                Column(
                    "单位名称",
                    "unit_name",
                    Text(100),
                    default="",
                    help=gettext_lazy("For reading only: the unit code decides."),
                    example="龙泉镇",
                    width=24,
                ),
                Column(
                    "考核得分",
                    "score",
                    Number(2),
                    help=gettext_lazy("0 to 100; empty: the unit is left as it is."),
                    example=85,
                    width=10,
                ),
                Column("考核日期", "reviewed_on", Date(), example=dt.date(2015, 7, 10)),
                Column("备注", "note", Text(200), default="", width=24),
                Column(
                    "更正理由",
                    "why",
                    Text(500),
                    default="",
                    help=gettext_lazy("Required when a score already entered changes."),
                    width=24,
                ),
            ),
        ),
    )

    def apply(self, rows):
        rows = rows[SHEET]
        report = self.report(SHEET)
        if results_published(self.year):
            self.problem(SHEET, None, "", _("The year's results are published."))
            return
        duplicates(self, SHEET, rows, lambda r: r["unit"], "单位代码")
        units = {u.code: u for u in midterm_units(self.year).filter(pk__in=units_for(self.user))}
        existing = {r.unit_id: r for r in MidtermReview.objects.filter(year=self.year)}
        for row in rows:
            unit = units.get(row["unit"])
            if unit is None and row["unit"]:
                self.problem(
                    SHEET,
                    row,
                    "单位代码",
                    _("%(code)s is not a unit with a mid-term-review target this year.")
                    % {"code": row["unit"]},
                )
            if unit is None or not row.ok:
                continue
            if row["score"] is None:
                report.unchanged += 1
                continue
            key = f"{unit.code} {unit.name}"
            known = existing.get(unit.pk)
            wanted = {f: row[f] for f in FIELDS}
            changes = (
                self.diff(SHEET, {f: getattr(known, f) for f in FIELDS}, wanted) if known else {}
            )
            if known is not None and not changes:
                report.unchanged += 1
                continue
            if row["reviewed_on"] is None:
                self.problem(SHEET, row, "考核日期", _("Enter the date of the review."))
                continue
            done = self.attempt(
                SHEET,
                row,
                services.midterm_set,
                year=self.year,
                unit=unit,
                why=row["why"],
                by=self.user,
                **wanted,
            )
            if done is None:
                continue
            if known is None:
                report.created.append(f"{key} {show(row['score'])}")
            else:
                self.changed(SHEET, key, changes)


def midterm_workbook(year: AssessmentYear, user) -> Workbook:
    """The import file filled in with the year's units that have a mid-term-review target and
    their scores so far."""
    reviews = {r.unit_id: r for r in MidtermReview.objects.filter(year=year)}
    lines = []
    for unit in midterm_units(year).filter(pk__in=units_for(user)):
        review = reviews.get(unit.pk)
        line = {"unit": unit.code, "unit_name": unit.name}
        if review is not None:
            line.update(score=review.score, reviewed_on=review.reviewed_on, note=review.note)
        lines.append(line)
    return template_workbook(MidtermImporter, rows={SHEET: lines})
