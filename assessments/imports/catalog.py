"""A year's catalog: the weights of the three thirds per unit kind, and the indicators."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.models import Unit
from cadres.scope import units_for

from .. import services
from ..models import Category, CategoryWeights, Indicator
from .base import (
    Choice,
    Column,
    Importer,
    Integer,
    MultiChoice,
    Number,
    Row,
    SheetSpec,
    Text,
    YesNo,
)
from .units import duplicates, in_order

WEIGHTS = "权重"
INDICATORS = "指标"

INDICATOR_FIELDS = (
    "name",
    "category",
    "method",
    "max_points",
    "unit_kinds",
    "is_veto",
    "sort_order",
    "description",
)


def year_closed(importer: Importer, sheet: str) -> bool:
    """One problem for the whole file when the year's catalog can no longer change."""
    if importer.year.is_editable:
        return False
    importer.problem(
        sheet,
        None,
        "",
        _("The %(year)s catalog is %(status)s and can no longer change.")
        % {"year": importer.year.year, "status": importer.year.get_status_display()},
    )
    return True


class CatalogImporter(Importer):
    kind = "catalog"
    title = gettext_lazy("Indicator catalog and weights")
    description = gettext_lazy(
        "For the year chosen on the import page. Sheet 权重: one row per unit kind with the "
        "weights of the three thirds, whole percentages adding up to 100 (this sheet may be left "
        "empty). Sheet 指标: one row per indicator, keyed by the indicator code within the year; "
        "a parent indicator may be earlier or later in the sheet or already in the catalog. A "
        "known code updates the indicator. If any row has a problem, nothing is imported."
    )
    filename = "考核指标导入模板.xlsx"
    year_bound = True
    sheets = (
        SheetSpec(
            WEIGHTS,
            (
                Column(
                    "单位类别",
                    "unit_kind",
                    Choice(Unit.Kind.choices),
                    required=True,
                    help=gettext_lazy("The key of the row: one row per kind."),
                    example="乡镇",
                ),
                Column("党的建设", "party", Integer(0, 100), required=True, example=30),
                Column("主导产业", "industry", Integer(0, 100), required=True, example=40),
                Column(
                    "部门任务和社会管理",
                    "tasks",
                    Integer(0, 100),
                    required=True,
                    example=30,
                    width=20,
                ),
            ),
            allow_empty=True,
            help=gettext_lazy("The three weights of a kind add up to exactly 100."),
        ),
        SheetSpec(
            INDICATORS,
            (
                Column(
                    "指标代码",
                    "code",
                    Text(32),
                    required=True,
                    help=gettext_lazy("Unique within the year: the key of the row."),
                    example="I-9",
                ),
                Column(
                    "指标名称",
                    "name",
                    Text(200),
                    required=True,
                    example="玉露香梨新增面积",
                    width=28,
                ),
                Column(
                    "上级指标代码",
                    "parent",
                    Text(32),
                    default="",
                    help=gettext_lazy(
                        "Empty for a top-level indicator; a child is in its parent's category."
                    ),
                ),
                Column(
                    "类别", "category", Choice(Category.choices), required=True, example="主导产业"
                ),
                Column(
                    "计分方法",
                    "method",
                    Choice(Indicator.Method.choices),
                    required=True,
                    help=gettext_lazy(
                        "Bonus indicators, and only they, are in the bonus category; the "
                        "mid-term review is a party-building indicator."
                    ),
                    example="完成率",
                ),
                Column(
                    "满分",
                    "max_points",
                    Number(2, positive=True),
                    required=True,
                    example=20,
                    width=8,
                ),
                Column(
                    "适用单位类别",
                    "unit_kinds",
                    MultiChoice(Unit.Kind.choices),
                    required=True,
                    example="乡镇",
                    width=18,
                ),
                Column(
                    "牵头考核部门代码",
                    "lead_department",
                    Text(32),
                    default="",
                    help=gettext_lazy("The code of a county department in your scope."),
                    example="XX-D1",
                    width=18,
                ),
                Column("一票否决", "is_veto", YesNo(), default=False, example="否", width=9),
                Column("排序", "sort_order", Integer(0), default=0, example=9, width=8),
                Column("说明", "description", Text(2000), default="", width=30),
            ),
        ),
    )

    def apply(self, rows):
        if year_closed(self, INDICATORS):
            return
        self.apply_weights(rows[WEIGHTS])
        self.apply_indicators(rows[INDICATORS])

    def apply_weights(self, rows: list[Row]) -> None:
        report = self.report(WEIGHTS)
        duplicates(self, WEIGHTS, rows, lambda r: r["unit_kind"], "单位类别")
        known = {w.unit_kind: w for w in CategoryWeights.objects.filter(year=self.year)}
        for row in rows:
            if not row.ok:
                continue
            label = str(Unit.Kind(row["unit_kind"]).label)
            wanted = {f: row[f] for f in ("party", "industry", "tasks")}
            weights = known.get(row["unit_kind"])
            changes = {}
            if weights is not None:
                changes = self.diff(WEIGHTS, {f: getattr(weights, f) for f in wanted}, wanted)
                if not changes:
                    report.unchanged += 1
                    continue
            done = self.attempt(
                WEIGHTS,
                row,
                services.weights_set,
                year=self.year,
                unit_kind=row["unit_kind"],
                **wanted,
            )
            if done is None:
                continue
            if weights is None:
                report.created.append(label)
            else:
                self.changed(WEIGHTS, label, changes)

    def apply_indicators(self, rows: list[Row]) -> None:
        report = self.report(INDICATORS)
        duplicates(self, INDICATORS, rows, lambda r: r["code"] or None, "指标代码")
        self.known = {
            i.code: i
            for i in Indicator.objects.filter(year=self.year).select_related(
                "parent", "lead_department"
            )
        }
        codes = {r["lead_department"] for r in rows if r["lead_department"]}
        self.departments = {u.code: u for u in units_for(self.user).filter(code__in=codes)}
        for row in in_order(rows, "code", "parent"):
            self.one(row, report)

    def one(self, row: Row, report) -> None:
        parent = lead = None
        if row["parent"]:
            parent = self.known.get(row["parent"])
            if parent is None:
                self.problem(
                    INDICATORS,
                    row,
                    "上级指标代码",
                    _("No indicator of this year has the code %(code)s.") % {"code": row["parent"]},
                )
                return
        if row["lead_department"]:
            lead = self.departments.get(row["lead_department"])
            if lead is None:
                self.problem(
                    INDICATORS,
                    row,
                    "牵头考核部门代码",
                    _("No unit in your scope has the code %(code)s.")
                    % {"code": row["lead_department"]},
                )
                return
        if not row.ok:  # references checked; the cells have problems of their own
            return
        present = row["_present"]
        wanted = {f: row[f] for f in INDICATOR_FIELDS if f in present}
        indicator = self.known.get(row["code"])
        if indicator is None:
            wanted.update(parent=parent, lead_department=lead)
            created = self.attempt(
                INDICATORS,
                row,
                services.indicator_create,
                year=self.year,
                code=row["code"],
                **wanted,
            )
            if created is not None:
                self.known[created.code] = created
                report.created.append(f"{created.code} {created.name}")
            return
        current = {f: getattr(indicator, f) for f in wanted}
        if set(current.get("unit_kinds", [])) == set(wanted.get("unit_kinds", [None])):
            wanted["unit_kinds"] = current["unit_kinds"]
        changes = self.diff(INDICATORS, current, wanted)
        objects = {}
        if "parent" in present and parent != indicator.parent:
            objects["parent"] = parent
            changes["parent"] = (
                "上级指标代码",
                indicator.parent.code if indicator.parent else "—",
                parent.code if parent else "—",
            )
        if "lead_department" in present and lead != indicator.lead_department:
            objects["lead_department"] = lead
            old = indicator.lead_department
            changes["lead_department"] = (
                "牵头考核部门代码",
                old.code if old else "—",
                lead.code if lead else "—",
            )
        if not changes:
            report.unchanged += 1
            return
        fields = {f: wanted[f] for f in changes if f in wanted}
        updated = self.attempt(
            INDICATORS, row, services.indicator_update, indicator=indicator, **fields, **objects
        )
        if updated is not None:
            self.changed(INDICATORS, f"{updated.code} {updated.name}", changes)
