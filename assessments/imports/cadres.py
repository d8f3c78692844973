"""Cadres with their current post, keyed by cadre number."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres import services as cadre_services
from cadres.models import PRINCIPAL_IS_LEADING, Cadre, Post, PostKind, Rank
from cadres.scope import account_of, units_for

from .base import Choice, Column, Date, Importer, Row, SheetSpec, Text, YesNo
from .units import duplicates

SHEET = "干部"


PERSONAL = ("name", "gender", "birth_date", "party_member", "education", "is_active")
POST = ("unit", "title", "rank", "post_kind", "is_leading", "is_principal")


class CadreImporter(Importer):
    kind = "cadres"
    title = gettext_lazy("Cadres")
    description = gettext_lazy(
        "One row per cadre, keyed by the cadre number; the unit must already exist (import "
        "units first). A new number creates the cadre with a first post from the appointment "
        "date. For a known number, personal details are updated; a different unit, post, rank, "
        "post kind or leading status is a move: the current post closes the day before the "
        "appointment date and the new one opens, so the cadre keeps one record. If any row has "
        "a problem, nothing is imported."
    )
    filename = "干部导入模板.xlsx"
    sheets = (
        SheetSpec(
            SHEET,
            (
                Column(
                    "干部编号",
                    "number",
                    Text(32),
                    required=True,
                    help=gettext_lazy("Unique and stable: the key of the row."),
                    example="XX-9001",
                ),
                Column("姓名", "name", Text(50), required=True, example="王示例", width=10),
                Column(
                    "性别",
                    "gender",
                    Choice(Cadre.Gender.choices),
                    required=True,
                    example="男",
                    width=6,
                ),
                Column("出生日期", "birth_date", Date(), example=dt.date(1985, 6, 1)),
                Column("是否党员", "party_member", YesNo(), default=True, example="是", width=9),
                Column("学历", "education", Text(40), default="", example="大学本科"),
                Column(
                    "单位代码",
                    "unit",
                    Text(32),
                    required=True,
                    help=gettext_lazy("The code of a unit in your scope."),
                    example="XX-T1",
                ),
                Column("职务", "title", Text(100), required=True, example="副镇长", width=20),
                Column(
                    "职级", "rank", Choice(Rank.choices), required=True, example="副科级", width=16
                ),
                Column(
                    "职务类别",
                    "post_kind",
                    Choice(PostKind.choices),
                    required=True,
                    example="班子成员",
                ),
                Column("是否领导干部", "is_leading", YesNo(), default=False, example="是"),
                Column(
                    "是否主要负责人",
                    "is_principal",
                    YesNo(),
                    default=False,
                    help=PRINCIPAL_IS_LEADING,
                    example="否",
                ),
                Column(
                    "任职日期",
                    "started_on",
                    Date(),
                    required=True,
                    help=gettext_lazy(
                        "When the current post began. Used for a new cadre and for a move; "
                        "a move must start after the current post."
                    ),
                    example=dt.date(2015, 1, 1),
                ),
                Column("是否在职", "is_active", YesNo(), default=True, example="是", width=9),
            ),
            error_fields={"on": "任职日期"},
        ),
    )

    def apply(self, rows):
        rows = rows[SHEET]
        report = self.report(SHEET)
        duplicates(self, SHEET, rows, lambda r: r["number"] or None, "干部编号")
        scope = account_of(self.user).unit.path
        numbers = {r["number"] for r in rows}
        cadres = {
            c.number: c for c in Cadre.objects.filter(number__in=numbers).select_related("unit")
        }
        unit_codes = {r["unit"] for r in rows}
        units = {u.code: u for u in units_for(self.user).filter(code__in=unit_codes)}
        self.new = []
        for row in rows:
            cadre = cadres.get(row["number"])
            if cadre is not None and not cadre.unit.path.startswith(scope):
                self.problem(
                    SHEET,
                    row,
                    "干部编号",
                    _("The number %(number)s is used by a cadre outside your scope.")
                    % {"number": row["number"]},
                )
                continue
            unit = units.get(row["unit"])
            if unit is None and row["unit"]:
                self.problem(
                    SHEET,
                    row,
                    "单位代码",
                    _("No unit in your scope has the code %(code)s.") % {"code": row["unit"]},
                )
                continue
            if unit is None or not row.ok:
                continue
            if cadre is None:
                self.create(row, unit, report)
            else:
                self.update(row, cadre, unit, report)
        self.insert()

    def create(self, row: Row, unit, report) -> None:
        """A new cadre and their first post as ``cadre_create`` makes them (each ``full_clean``-ed),
        kept for two bulk inserts at the end; the database enforces the unique number and the
        check constraints on the insert."""
        post_fields = {f: row[f] for f in POST if f != "unit"}
        cadre = Cadre(
            number=row["number"],
            unit=unit,
            **{f: row[f] for f in PERSONAL},
            **post_fields,
        )
        post = Post(cadre=cadre, unit=unit, started_on=row["started_on"], **post_fields)
        try:
            if cadre.is_principal and not cadre.is_leading:
                raise ValidationError({"is_principal": PRINCIPAL_IS_LEADING})
            cadre.full_clean(
                exclude=["unit", "user"], validate_unique=False, validate_constraints=False
            )
            post.full_clean(
                exclude=["cadre", "unit"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            self.refusal(SHEET, row, error)
            return
        self.new.append((cadre, post))
        report.created.append(f"{cadre.number} {cadre.name}")

    def insert(self) -> None:
        if not self.new or not self.result.ok:
            return
        try:
            Cadre.objects.bulk_create([c for c, _p in self.new], batch_size=500)
            for cadre, post in self.new:
                post.cadre = cadre  # now that it has its id
            Post.objects.bulk_create([p for _c, p in self.new], batch_size=500)
        except IntegrityError as error:
            self.problem(
                SHEET, None, "", _("The database refused the rows: %(error)s") % {"error": error}
            )

    def update(self, row: Row, cadre: Cadre, unit, report) -> None:
        present = row["_present"]
        personal = {f: row[f] for f in PERSONAL if f in present}
        personal_changes = self.diff(SHEET, {f: getattr(cadre, f) for f in personal}, personal)
        post = {f: row[f] for f in POST if f in present}
        current = {f: getattr(cadre, f) for f in post if f != "unit"}
        current["unit"] = cadre.unit.code
        post_changes = self.diff(SHEET, current, post)
        if not personal_changes and not post_changes:
            report.unchanged += 1
            return
        if personal_changes:
            fields = {f: personal[f] for f in personal_changes}
            if self.attempt(SHEET, row, cadre_services.cadre_update, cadre=cadre, **fields) is None:
                return
        if post_changes:
            moved = self.attempt(
                SHEET,
                row,
                cadre_services.cadre_move,
                cadre=cadre,
                unit=unit,
                title=row["title"],
                rank=row["rank"],
                post_kind=row["post_kind"],
                is_leading=row["is_leading"],
                is_principal=row["is_principal"],
                on=row["started_on"],
            )
            if moved is None:
                return
        self.changed(SHEET, f"{cadre.number} {cadre.name}", {**personal_changes, **post_changes})
