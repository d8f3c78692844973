"""Targets of a year with their monthly milestones, keyed by (year, unit code, indicator code)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from cadres.scope import units_for

from .. import services
from ..models import Indicator, Milestone, Target
from ..services.scoring import scores_request_recompute
from ..services.targets import milestones_check, target_check
from .base import Column, Date, Importer, Number, Row, SheetSpec, Text, show, template_workbook
from .units import duplicates

SHEET = "目标任务"
MONTHS = range(1, 13)
TARGET_FIELDS = ("target_value", "measure", "deadline", "note")


def target_lookups(importer: Importer, rows: list[Row]):
    """The units (in scope) and the year's indicators the rows name, by code."""
    unit_codes = {r["unit"] for r in rows}
    units = {u.code: u for u in units_for(importer.user).filter(code__in=unit_codes)}
    year = importer.year
    year.county  # noqa: B018 - loaded once here, not once per row by the target service
    indicators = {}
    indicators_of_year = (
        Indicator.objects.filter(year=year)
        .select_related("lead_department")
        .prefetch_related("children")  # the leaf check then costs no query per row
    )
    for indicator in indicators_of_year:
        indicator.year = year
        indicators[indicator.code] = indicator
    return units, indicators


class TargetImporter(Importer):
    kind = "targets"
    title = gettext_lazy("Targets and milestones")
    description = gettext_lazy(
        "For the year chosen on the import page. One row per target, keyed by the unit code and "
        "the indicator code: a new pair assigns the indicator to the unit, a known pair updates "
        "the target. The columns 1月计划值 … 12月计划值 are cumulative milestones: when any is "
        "filled in they replace the target's milestones; when all are empty the milestones stay "
        "as they are. If any row has a problem, nothing is imported."
    )
    filename = "目标任务导入模板.xlsx"
    year_bound = True
    sheets = (
        SheetSpec(
            SHEET,
            (
                Column(
                    "单位代码",
                    "unit",
                    Text(32),
                    required=True,
                    help=gettext_lazy("A unit in your scope; with the indicator code, the key."),
                    example="XX-T1",
                ),
                Column(
                    "单位名称",
                    "unit_name",
                    Text(100),
                    default="",
                    help=gettext_lazy("For reading only: the unit code decides."),
                    example="龙泉镇",
                    width=20,
                ),
                Column(
                    "指标代码",
                    "indicator",
                    Text(32),
                    required=True,
                    help=gettext_lazy(
                        "A leaf indicator of the year's catalog that applies to the unit's kind."
                    ),
                    example="I-9",
                ),
                Column(
                    "目标值",
                    "target_value",
                    Number(2, positive=True),
                    help=gettext_lazy("Required for completion-ratio indicators."),
                    example=3000,
                ),
                Column("计量单位", "measure", Text(20), default="", example="亩", width=9),
                Column("截止日期", "deadline", Date(), example=dt.date(2015, 12, 31)),
                Column(
                    "牵头考核部门代码",
                    "lead_department",
                    Text(32),
                    default="",
                    help=gettext_lazy("Empty: the indicator's lead assessing department."),
                    width=18,
                ),
                Column("备注", "note", Text(200), default="", width=20),
                *(
                    Column(
                        f"{m}月计划值",
                        f"m{m}",
                        Number(2),
                        help=gettext_lazy("Cumulative value planned by the end of the month."),
                        example=(1500 if m == 6 else 3000 if m == 12 else None),
                        width=10,
                    )
                    for m in MONTHS
                ),
            ),
            error_fields={"indicator": "指标代码", "unit": "单位代码"},
        ),
    )

    def apply(self, rows):
        rows = rows[SHEET]
        report = self.report(SHEET)
        if not self.year.is_editable:  # as the targets pages: no assigning once it is closed
            self.problem(
                SHEET,
                None,
                "",
                _("The %(year)s targets can no longer change: the year is %(status)s.")
                % {"year": self.year.year, "status": self.year.get_status_display()},
            )
            return
        duplicates(self, SHEET, rows, lambda r: (r["unit"], r["indicator"]), "指标代码")
        units, indicators = target_lookups(self, rows)
        codes = {r["lead_department"] for r in rows if r["lead_department"]}
        departments = {u.code: u for u in units_for(self.user).filter(code__in=codes)}
        targets = {
            (t.unit_id, t.indicator_id): t
            for t in Target.objects.filter(year=self.year)
            .select_related("lead_department")
            .prefetch_related("milestones")
        }
        self.new = []
        for row in rows:
            unit = units.get(row["unit"])
            indicator = indicators.get(row["indicator"])
            lead = departments.get(row["lead_department"]) if row["lead_department"] else None
            if unit is None and row["unit"]:
                self.problem(
                    SHEET,
                    row,
                    "单位代码",
                    _("No unit in your scope has the code %(code)s.") % {"code": row["unit"]},
                )
            if indicator is None and row["indicator"]:
                self.problem(
                    SHEET,
                    row,
                    "指标代码",
                    _("No indicator of this year has the code %(code)s.")
                    % {"code": row["indicator"]},
                )
            if row["lead_department"] and lead is None:
                self.problem(
                    SHEET,
                    row,
                    "牵头考核部门代码",
                    _("No unit in your scope has the code %(code)s.")
                    % {"code": row["lead_department"]},
                )
            if not row.ok or unit is None or indicator is None:
                continue
            planned = {m: row[f"m{m}"] for m in MONTHS if row[f"m{m}"] is not None}
            target = targets.get((unit.pk, indicator.pk))
            key = f"{unit.code} {unit.name} · {indicator.code} {indicator.name}"
            lead = lead or indicator.lead_department
            if target is None:
                self.create(row, unit, indicator, lead, planned, key, report)
            else:
                self.update(row, target, lead, planned, key, report)
        self.insert()

    def create(self, row, unit, indicator, lead, planned, key, report) -> None:
        """A new target by the rules of ``target_assign`` (``target_check`` and
        ``full_clean``) and milestones by those of ``milestones_set`` (``milestones_check``),
        kept for one bulk insert at the end."""
        target = Target(
            year=self.year,
            indicator=indicator,
            unit=unit,
            lead_department=lead,
            **{f: row[f] for f in TARGET_FIELDS},
        )
        try:
            target.full_clean(
                exclude=["year", "indicator", "unit", "lead_department"],
                validate_unique=False,
                validate_constraints=False,
            )
            target_check(target)
            milestones_check(planned)
        except ValidationError as error:
            self.refusal(SHEET, row, error)
            return
        self.new.append((target, planned))
        report.created.append(key)

    def insert(self) -> None:
        """The new targets and their milestones in two bulk inserts; the database enforces one
        target per unit and indicator, and the check constraints."""
        if not self.new or not self.result.ok:
            return
        try:
            Target.objects.bulk_create([t for t, _p in self.new], batch_size=500)
            Milestone.objects.bulk_create(
                [
                    Milestone(target=t, month=m, planned_value=v)
                    for t, planned in self.new
                    for m, v in sorted(planned.items())
                ],
                batch_size=500,
            )
        except IntegrityError as error:
            self.problem(
                SHEET, None, "", _("The database refused the rows: %(error)s") % {"error": error}
            )
            return
        scores_request_recompute(self.year, units=[t.unit_id for t, _p in self.new])

    def update(self, row, target, lead, planned, key, report) -> None:
        present = row["_present"]
        wanted = {f: row[f] for f in TARGET_FIELDS if f in present}
        changes = self.diff(SHEET, {f: getattr(target, f) for f in wanted}, wanted)
        if "lead_department" in present and lead != target.lead_department:
            old = target.lead_department
            changes["lead_department"] = (
                "牵头考核部门代码",
                old.code if old else "—",
                lead.code if lead else "—",
            )
            wanted["lead_department"] = lead
        current = {m.month: m.planned_value for m in target.milestones.all()}
        milestones_change = bool(planned) and planned != current
        if milestones_change:
            changes["milestones"] = (
                _("milestones"),
                "、".join(f"{m}月 {show(v)}" for m, v in sorted(current.items())) or "—",
                "、".join(f"{m}月 {show(v)}" for m, v in sorted(planned.items())),
            )
        if not changes:
            report.unchanged += 1
            return
        fields = {f: wanted[f] for f in changes if f in wanted}
        if (
            fields
            and self.attempt(SHEET, row, services.target_update, target=target, **fields) is None
        ):
            return
        if (
            milestones_change
            and self.attempt(SHEET, row, services.milestones_set, target=target, planned=planned)
            is None
        ):
            return
        self.changed(SHEET, key, changes)


def grid_workbook(indicator: Indicator, rows) -> Workbook:
    """The import file for one indicator, filled in with every unit of the assignment grid
    (``rows``: (unit, target or None)) and the targets so far: enter each unit's value, delete
    the rows of units that do not get the target, and import it."""
    lines = []
    for unit, target in rows:
        line = {"unit": unit.code, "unit_name": unit.name, "indicator": indicator.code}
        if target is not None:
            line.update(
                target_value=target.target_value,
                measure=target.measure,
                deadline=target.deadline,
                note=target.note,
            )
        lines.append(line)
    return template_workbook(TargetImporter, rows={SHEET: lines})
