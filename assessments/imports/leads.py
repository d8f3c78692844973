"""A lead department's scoring sheet (评分表) as an Excel round trip: the download lists every
unit assessed on the indicator (with what the sheet holds so far), the upload fills the sheet
back in through the services, all or nothing.

Graded-level and manual indicators: one row per unit (level or points, and the reason).
Deduction indicators: one row per deduction entry; a unit's row with nothing but its code means
no deduction. The entries of the sheet that the file no longer lists are withdrawn (recorded).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from .. import services
from ..models import DeductionEntry, Indicator, Level, SheetRow, Target
from .base import (
    _HEAD_FONT,
    _OPTIONAL_FILL,
    _REQUIRED_FILL,
    REQUIRED_MARK,
    Change,
    Choice,
    Column,
    Date,
    Importer,
    Number,
    Row,
    SheetSpec,
    Text,
    YesNo,
    run_import,
    show,
)
from .units import duplicates

SHEET = "评分表"
Method = Indicator.Method

UNIT = Column("单位代码", "unit", Text(32), required=True, example="XX-T1")
NAME = Column("单位名称", "unit_name", Text(200), width=24)
REASON = Column("理由", "reason", Text(2000), required=True, width=40)
SPECS = {
    Method.LEVELS: SheetSpec(
        SHEET,
        (UNIT, NAME, Column("等次", "level", Choice(Level.choices), required=True), REASON),
    ),
    Method.MANUAL: SheetSpec(
        SHEET, (UNIT, NAME, Column("得分", "points", Number(2), required=True), REASON)
    ),
    Method.DEDUCTION: SheetSpec(
        SHEET,
        (
            UNIT,
            NAME,
            Column("日期", "occurred_on", Date(), width=12),
            Column("扣分", "points", Number(2), width=8),
            Column("扣分事由", "reason", Text(2000), width=40),
            Column("来源", "source", Text(200), width=20),
            Column("一票否决", "vetoes", YesNo(), default=False, width=9),
        ),
    ),
}


class SheetImporter(Importer):
    kind = "sheet"
    title = gettext_lazy("Scoring sheet")

    def __init__(self, *, user, indicator: Indicator, on_sheet: bool = True):
        super().__init__(user=user, year=indicator.year)
        self.indicator = indicator
        self.on_sheet = on_sheet
        self.sheets = (SPECS[indicator.method],)

    def apply(self, rows):
        rows = rows[SHEET]
        targets = {
            t.unit.code: t
            for t in self.indicator.targets.select_related("unit", "indicator", "year")
        }
        for row in rows:
            if row["unit"] and row["unit"] not in targets:
                self.problem(
                    SHEET,
                    row,
                    "单位代码",
                    _("%(unit)s is not assessed on this indicator.") % {"unit": row["unit"]},
                )
        if self.indicator.method == Method.DEDUCTION:
            self.apply_entries([r for r in rows if r.ok], targets)
        else:
            duplicates(self, SHEET, rows, lambda r: r["unit"], "单位代码")
            self.apply_rows([r for r in rows if r.ok], targets)

    def apply_rows(self, rows: list[Row], targets: dict[str, Target]) -> None:
        report = self.report(SHEET)
        known = {r.target_id: r for r in SheetRow.objects.filter(sheet__indicator=self.indicator)}
        for row in rows:
            target = targets[row["unit"]]
            wanted = {"level": row.get("level") or "", "points": row.get("points")}
            wanted["reason"] = row["reason"]
            current = known.get(target.pk)
            key = f"{target.unit.code} {target.unit.name}"
            if current is not None:
                was = {"level": current.level, "points": current.points, "reason": current.reason}
                changes = self.diff(SHEET, was, wanted)
                if not changes:
                    report.unchanged += 1
                    continue
            done = self.attempt(
                SHEET, row, services.sheet_row_set, target=target, by=self.user, **wanted
            )
            if done is None:
                continue
            if current is None:
                report.created.append(key)
            else:
                self.changed(SHEET, key, changes)

    def apply_entries(self, rows: list[Row], targets: dict[str, Target]) -> None:
        report = self.report(SHEET)
        kept = {
            (e.target_id, e.occurred_on, e.points, e.reason, e.source, e.vetoes): e
            for e in DeductionEntry.objects.filter(
                sheet__indicator=self.indicator, withdrawn_at__isnull=True
            )
        }
        for row in rows:
            target = targets[row["unit"]]
            if row["points"] is None and not row["reason"] and not row["vetoes"]:
                continue  # the unit's row without an entry: no deduction
            if row["occurred_on"] is None:
                self.problem(SHEET, row, "日期", _("Enter the date of the case."))
                continue
            entry = {
                "occurred_on": row["occurred_on"],
                "points": row["points"] if row["points"] is not None else Decimal(0),
                "reason": row["reason"] or "",
                "source": row["source"] or "",
                "vetoes": bool(row["vetoes"]),
            }
            key = tuple([target.pk, *entry.values()])
            if kept.pop(key, None) is not None:
                report.unchanged += 1
                continue
            done = self.attempt(
                SHEET,
                row,
                services.deduction_enter,
                target=target,
                by=self.user,
                on_sheet=self.on_sheet,
                **entry,
            )
            if done is not None:
                label = (
                    f"{target.unit.code} {target.unit.name} {row['occurred_on']} −{entry['points']}"
                )
                report.created.append(label)
        for gone in kept.values():
            try:
                services.deduction_withdraw(
                    entry=gone,
                    reason=_("Not in the uploaded sheet."),
                    by=self.user,
                    on_sheet=self.on_sheet,
                )
            except ValidationError as error:
                self.refusal(SHEET, None, error)
                continue
            label = f"{gone.target.unit.code} {gone.target.unit.name} {gone.occurred_on}"
            report.changed.append(Change(label, [("扣分", show(gone.points), _("withdrawn"))]))


def _entries_by_target(indicator: Indicator) -> dict[int, list[DeductionEntry]]:
    found: dict[int, list[DeductionEntry]] = {}
    for entry in DeductionEntry.objects.filter(
        target__indicator=indicator, withdrawn_at__isnull=True
    ).order_by("occurred_on", "pk"):
        found.setdefault(entry.target_id, []).append(entry)
    return found


def _lines(indicator: Indicator) -> list[list]:
    """The download's rows: every unit assessed on the indicator, with the sheet's contents."""
    targets = list(indicator.targets.select_related("unit").order_by("unit__path"))
    if indicator.method == Method.DEDUCTION:
        entries = _entries_by_target(indicator)
        lines = []
        for t in targets:
            for e in entries.get(t.pk, []) or [None]:
                if e is None:
                    lines.append([t.unit.code, t.unit.name, None, None, None, None, None])
                else:
                    vetoes = "是" if e.vetoes else "否"
                    points = float(e.points)
                    lines.append(
                        [
                            t.unit.code,
                            t.unit.name,
                            e.occurred_on,
                            points,
                            e.reason,
                            e.source,
                            vetoes,
                        ]
                    )
        return lines
    rows = {r.target_id: r for r in SheetRow.objects.filter(sheet__indicator=indicator)}
    labels = Choice(Level.choices)
    lines = []
    for t in targets:
        row = rows.get(t.pk)
        if indicator.method == Method.LEVELS:
            value = labels.label_of(row.level) if row and row.level else None
        else:
            value = float(row.points) if row and row.points is not None else None
        lines.append([t.unit.code, t.unit.name, value, row.reason if row else None])
    return lines


def sheet_workbook(indicator: Indicator) -> Workbook:
    """The sheet to fill in: the headers (required ones marked *), then every unit."""
    spec = SPECS[indicator.method]
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    for index, column in enumerate(spec.columns, start=1):
        cell = ws.cell(
            row=1, column=index, value=column.header + (REQUIRED_MARK if column.required else "")
        )
        cell.font = _HEAD_FONT
        cell.fill = _REQUIRED_FILL if column.required else _OPTIONAL_FILL
        ws.column_dimensions[get_column_letter(index)].width = column.width
    for number, line in enumerate(_lines(indicator), start=2):
        for index, value in enumerate(line, start=1):
            cell = ws.cell(row=number, column=index, value=value)
            if index == 3 and indicator.method == Method.DEDUCTION and value is not None:
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    return wb


def sheet_filename(indicator: Indicator) -> str:
    return f"{indicator.year.year}评分表-{indicator.code}.xlsx"


def sheet_import(*, user, indicator: Indicator, upload, commit: bool, on_sheet: bool = True):
    """Check (``commit=False``) or import an uploaded sheet, all or nothing."""
    return run_import(
        SheetImporter(user=user, indicator=indicator, on_sheet=on_sheet), upload, commit=commit
    )
