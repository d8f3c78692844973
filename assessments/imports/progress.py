"""Monthly progress reports, keyed by (target, month), the target by (year, unit code,
indicator code).

New reports are checked with the rules of ``progress_submit`` (and ``progress_approve`` when the
row asks for approval) and each is ``full_clean``-ed, then all are inserted in one bulk insert:
a county's year has some 14,000 of them, and the service costs about ten queries a report.
The database enforces one report per target and month and the check constraints on the insert.
A row that changes a known report goes through the services themselves: a returned report is
resubmitted with ``progress_submit`` (which refuses to overwrite a submitted or approved one) and
approval goes through ``progress_approve``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.scope import units_for

from .. import services
from ..models import Indicator, ProgressReport, Target
from ..services.progress import report_deadline
from ..services.scoring import scores_request_recompute
from .base import Column, Date, Importer, Integer, Number, Row, SheetSpec, Text, YesNo
from .units import duplicates

SHEET = "月度进度"
Status = ProgressReport.Status


class ProgressImporter(Importer):
    kind = "progress"
    title = gettext_lazy("Monthly progress")
    description = gettext_lazy(
        "For the year chosen on the import page. One row per target and month, keyed by the unit "
        "code, the indicator code and the month; the target must already exist (import targets "
        "first). A new key records a report submitted by you; 审核通过 = 是 also approves it. A "
        "known report is left alone when the row says the same; a different value or narrative "
        "resubmits it only if it was returned, otherwise the row is refused. If any row has a "
        "problem, nothing is imported."
    )
    filename = "月度进度导入模板.xlsx"
    year_bound = True
    sheets = (
        SheetSpec(
            SHEET,
            (
                Column("单位代码", "unit", Text(32), required=True, example="XX-T1"),
                Column("指标代码", "indicator", Text(32), required=True, example="I-9"),
                Column("月份", "month", Integer(1, 12), required=True, example=3, width=6),
                Column(
                    "累计完成值",
                    "actual_value",
                    Number(2),
                    help=gettext_lazy(
                        "Cumulative since January; required for completion-ratio indicators."
                    ),
                    example=800,
                ),
                Column(
                    "进展情况",
                    "narrative",
                    Text(5000),
                    required=True,
                    example="已完成新栽植800亩。",
                    width=40,
                ),
                Column(
                    "报送日期",
                    "submitted_on",
                    Date(),
                    help=gettext_lazy(
                        "When the unit reported (decides whether it was late); empty: today. "
                        "Used only for a new report."
                    ),
                    example=dt.date(2015, 4, 20),
                ),
                Column(
                    "审核通过",
                    "approved",
                    YesNo(),
                    default=False,
                    help=gettext_lazy("是 approves the report; 否 leaves its review as it is."),
                    example="否",
                    width=9,
                ),
            ),
            error_fields={"target": "指标代码"},
        ),
    )

    def apply(self, rows):
        rows = rows[SHEET]
        report = self.report(SHEET)
        if not self.year.is_editable:
            self.problem(
                SHEET, None, "", _("The year is closed; progress can no longer be reported.")
            )
            return
        duplicates(self, SHEET, rows, lambda r: (r["unit"], r["indicator"], r["month"]), "月份")
        targets = {
            (t.unit.code, t.indicator.code): t
            for t in Target.objects.filter(
                year=self.year, unit__in=units_for(self.user)
            ).select_related("unit", "indicator", "year")
        }
        existing = {
            (r.target_id, r.month): r for r in ProgressReport.objects.filter(target__year=self.year)
        }
        now = timezone.now()
        new: list[ProgressReport] = []
        self.touched = False
        for row in rows:
            target = targets.get((row["unit"], row["indicator"]))
            if target is None and row["unit"] and row["indicator"]:
                self.problem(
                    SHEET,
                    row,
                    "指标代码",
                    _("The unit %(unit)s has no target on indicator %(indicator)s this year.")
                    % {"unit": row["unit"], "indicator": row["indicator"]},
                )
            if target is None or not row.ok:
                continue
            unit, indicator = target.unit, target.indicator
            key = f"{unit.code} {unit.name} · {indicator.code} · {row['month']}月"
            known = existing.get((target.pk, row["month"]))
            if known is None:
                built = self.build(row, target, now)
                if built is not None:
                    new.append(built)
                    report.created.append(key)
            else:
                self.update(row, target, known, key, report)
        if new and self.result.ok:
            try:
                ProgressReport.objects.bulk_create(new, batch_size=500)
            except IntegrityError as error:
                self.problem(
                    SHEET,
                    None,
                    "",
                    _("The database refused the rows: %(error)s") % {"error": error},
                )
        if new or self.touched:
            scores_request_recompute(self.year)

    def build(self, row: Row, target: Target, now: dt.datetime) -> ProgressReport | None:
        """A new report by the rules of ``progress_submit``, checked but not yet saved."""
        month = row["month"]
        submitted_at = now
        if row["submitted_on"] is not None:
            if row["submitted_on"] > timezone.localdate(now):
                self.problem(
                    SHEET, row, "报送日期", _("The submission date cannot be in the future.")
                )
                return None
            submitted_at = timezone.make_aware(
                dt.datetime.combine(row["submitted_on"], dt.time(12))
            )
        today = timezone.localdate(submitted_at)
        if (self.year.year, month) > (today.year, today.month):
            self.problem(SHEET, row, "月份", _("A month cannot be reported before it has begun."))
            return None
        if target.indicator.method == Indicator.Method.RATIO and row["actual_value"] is None:
            self.problem(SHEET, row, "累计完成值", _("Enter the cumulative actual value."))
            return None
        report = ProgressReport(
            target=target,
            month=month,
            actual_value=row["actual_value"],
            narrative=row["narrative"],
            status=Status.SUBMITTED,
            submitted_at=submitted_at,
            submitted_by=self.user,
            is_late=today > report_deadline(target, month),
        )
        if row["approved"]:
            report.status = Status.APPROVED
            report.reviewed_at, report.reviewed_by = now, self.user
        try:
            report.full_clean(
                exclude=["target", "submitted_by", "reviewed_by"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            self.refusal(SHEET, row, error)
            return None
        return report

    def update(self, row: Row, target: Target, known: ProgressReport, key, report) -> None:
        changes = self.diff(
            SHEET,
            {"actual_value": known.actual_value, "narrative": known.narrative},
            {"actual_value": row["actual_value"], "narrative": row["narrative"]},
        )
        if changes:
            known = self.attempt(
                SHEET,
                row,
                services.progress_submit,
                target=target,
                month=row["month"],
                narrative=row["narrative"],
                actual_value=row["actual_value"],
                by=self.user,
            )
            if known is None:
                return
        if row["approved"] and known.status != Status.APPROVED:
            before = known.get_status_display()
            known = self.attempt(SHEET, row, services.progress_approve, report=known, by=self.user)
            if known is None:
                return
            changes["status"] = (_("status"), before, known.get_status_display())
        if not changes:
            report.unchanged += 1
            return
        self.touched = True
        self.changed(SHEET, key, changes)
