"""Units: the organization tree, keyed by unit code."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres import services as cadre_services
from cadres.models import Unit
from cadres.scope import account_of

from .base import Choice, Column, Date, Importer, Integer, Row, SheetSpec, Text

SHEET = "单位"

UNIT_FIELDS = (
    "name",
    "short_name",
    "kind",
    "sort_order",
    "established_on",
    "dissolved_on",
    "head_email",
)


def in_order(rows: list[Row], key: str, parent_key: str) -> list[Row]:
    """Rows with parents (named in the same file) before their children; rows caught in a
    cycle come last, where the parent lookup reports them."""
    codes = {r[key] for r in rows if r[key]}
    done: set[str] = set()
    pending, ordered = list(rows), []
    while pending:
        ready = [r for r in pending if r[parent_key] not in codes or r[parent_key] in done]
        if not ready:
            ordered.extend(pending)
            break
        taken = {id(r) for r in ready}
        for r in ready:
            done.add(r[key])
            ordered.append(r)
        pending = [r for r in pending if id(r) not in taken]
    return ordered


def duplicates(importer: Importer, sheet: str, rows: list[Row], key, header: str) -> None:
    """Mark the second and later rows that repeat a key."""
    first: dict = {}
    for row in rows:
        value = key(row)
        if value is None:
            continue
        if value in first:
            importer.problem(
                sheet,
                row,
                header,
                _("Repeats row %(row)s; each key may appear once.") % {"row": first[value]},
            )
        else:
            first[value] = row.number


class UnitImporter(Importer):
    kind = "units"
    title = gettext_lazy("Units")
    description = gettext_lazy(
        "One row per unit, keyed by the unit code. A new code creates a unit under its parent; "
        "a known code updates the unit (a new parent code moves it with its whole subtree). "
        "Parents may be earlier or later in the same sheet. If any row has a problem, nothing "
        "is imported."
    )
    filename = "单位导入模板.xlsx"
    sheets = (
        SheetSpec(
            SHEET,
            (
                Column(
                    "单位代码",
                    "code",
                    Text(32),
                    required=True,
                    help=gettext_lazy("Unique and stable: the key of the row."),
                    example="XX-T99",
                ),
                Column("单位名称", "name", Text(100), required=True, example="示例镇", width=24),
                Column("简称", "short_name", Text(40), default="", example="示例"),
                Column(
                    "单位类别",
                    "kind",
                    Choice(Unit.Kind.choices),
                    required=True,
                    example="乡镇",
                ),
                Column(
                    "上级单位代码",
                    "parent",
                    Text(32),
                    default="",
                    help=gettext_lazy(
                        "Required for a new unit; the parent must be in your scope. Left empty "
                        "on a known unit, its parent stays."
                    ),
                    example="XX",
                ),
                Column("排序", "sort_order", Integer(0), default=0, example=99, width=8),
                Column("成立日期", "established_on", Date(), example=None),
                Column(
                    "撤销日期",
                    "dissolved_on",
                    Date(),
                    help=gettext_lazy("Only for a dissolved unit; not before its founding."),
                ),
                Column("负责人邮箱", "head_email", Text(254), default="", width=26),
            ),
        ),
    )

    def apply(self, rows):
        rows = rows[SHEET]
        report = self.report(SHEET)
        duplicates(self, SHEET, rows, lambda r: r["code"] or None, "单位代码")
        scope = account_of(self.user).unit.path
        mentioned = {r["code"] for r in rows} | {r["parent"] for r in rows if r["parent"]}
        self.scope = scope
        self.known = self._load(scope, mentioned)
        for row in in_order(rows, "code", "parent"):
            self.one(row, report)

    def _load(self, scope: str, codes: set[str]) -> dict[str, Unit]:
        units = Unit.objects.filter(Q(path__startswith=scope) | Q(code__in=codes))
        return {u.code: u for u in units.select_related("parent")}

    def in_scope(self, unit: Unit) -> bool:
        return unit.path.startswith(self.scope)

    def one(self, row: Row, report) -> None:
        code = row["code"]
        unit = self.known.get(code)
        if unit is not None and not self.in_scope(unit):
            self.problem(
                SHEET,
                row,
                "单位代码",
                _("The code %(code)s is used by a unit outside your scope.") % {"code": code},
            )
            return
        parent = None
        if row["parent"]:
            parent = self.known.get(row["parent"])
            if parent is None:
                self.problem(
                    SHEET,
                    row,
                    "上级单位代码",
                    _("No unit has the code %(code)s.") % {"code": row["parent"]},
                )
                return
            keeps_parent = unit is not None and unit.parent_id == parent.pk
            if not self.in_scope(parent) and not keeps_parent:
                self.problem(
                    SHEET,
                    row,
                    "上级单位代码",
                    _("The unit %(code)s is outside your scope.") % {"code": row["parent"]},
                )
                return
        elif unit is None:
            self.problem(SHEET, row, "上级单位代码", _("A new unit needs its parent unit's code."))
            return
        if not row.ok:  # references checked; the cells have problems of their own
            return
        present = row["_present"]
        if unit is None:
            fields = {f: row[f] for f in UNIT_FIELDS if f != "dissolved_on"}
            unit = self.attempt(
                SHEET, row, cadre_services.unit_create, code=code, parent=parent, **fields
            )
            if unit is not None and row["dissolved_on"]:
                unit = self.attempt(
                    SHEET,
                    row,
                    cadre_services.unit_update,
                    unit=unit,
                    dissolved_on=row["dissolved_on"],
                )
            if unit is not None:
                self.known[code] = unit
                report.created.append(f"{code} {unit.name}")
            return
        wanted = {f: row[f] for f in UNIT_FIELDS if f in present}
        current = {f: getattr(unit, f) for f in wanted}
        changes = self.diff(SHEET, current, wanted)
        moves = parent is not None and parent.pk != unit.parent_id
        if moves:
            old = unit.parent.code if unit.parent else ""
            changes["parent"] = ("上级单位代码", old or "—", parent.code)
        if not changes:
            report.unchanged += 1
            return
        fields = {f: wanted[f] for f in changes if f != "parent"}
        updated = self.attempt(
            SHEET,
            row,
            cadre_services.unit_update,
            unit=unit,
            parent=parent if moves else None,
            **fields,
        )
        if updated is None:
            return
        self.changed(SHEET, f"{code} {updated.name}", changes)
        if moves:  # the subtree's paths changed: read them again
            self.known = self._load(self.scope, set(self.known))
