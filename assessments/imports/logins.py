"""Logins for cadres, from a list of cadre numbers: each listed cadre gets a login named by the
number (or by the user name given) with an initial password, printed on a slip after the
import. The same service as the office's ticked list (``accounts_open_for_cadres``)."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres import services as cadre_services
from cadres.models import Role
from cadres.scope import cadres_for

from .base import Column, Importer, SheetSpec, Text
from .units import duplicates

SHEET = "登录账号"
USER_NAME = r"^[\w.@+-]+$"


class LoginImporter(Importer):
    kind = "logins"
    title = gettext_lazy("Cadre logins")
    description = gettext_lazy(
        "One row per cadre who needs a login, by cadre number (the cadre must be in your scope "
        "and have no login yet). The login is named by the user name given, or else by the "
        "number; after the import each one's initial password is shown once on a slip to print. "
        "If any row has a problem, nobody gets a login."
    )
    filename = "干部登录账号导入模板.xlsx"
    sheets = (
        SheetSpec(
            SHEET,
            (
                Column(
                    "干部编号",
                    "number",
                    Text(32),
                    required=True,
                    help=gettext_lazy("The number of a cadre of your scope without a login."),
                    example="XX-9001",
                ),
                Column(
                    "用户名",
                    "username",
                    Text(150),
                    default="",
                    help=gettext_lazy("Optional; letters, digits and @ . + - _ only."),
                    example="",
                ),
            ),
            error_fields={"username": "用户名"},
        ),
    )

    def __init__(self, *, user, year=None):
        super().__init__(user=user, year=year)
        self.slips: list = []  # (account, initial password) after a committed import

    def apply(self, rows):
        rows = rows[SHEET]
        cadres = {
            c.number: c
            for c in cadres_for(self.user)
            .filter(number__in=[r["number"] for r in rows if r["number"]])
            .select_related("unit")
        }
        names = {row.number: row["username"] or row["number"] for row in rows}
        duplicates(self, SHEET, rows, lambda r: r["number"], "干部编号")
        duplicates(self, SHEET, rows, lambda r: (names[r.number] or "").lower(), "用户名")
        taken = {
            n.lower()
            for n in get_user_model()
            .objects.filter(username__in=[n for n in names.values() if n])
            .values_list("username", flat=True)
        }
        chosen = []
        for row in rows:
            cadre = cadres.get(row["number"])
            if cadre is None:
                self.problem(SHEET, row, "干部编号", _("No cadre of your scope has this number."))
            elif cadre.user_id or not cadre.is_active:
                self.problem(
                    SHEET, row, "干部编号", _("This cadre already has a login or has left.")
                )
            if not re.match(USER_NAME, names[row.number]):
                self.problem(SHEET, row, "用户名", _("Letters, digits and @ . + - _ only."))
            elif names[row.number].lower() in taken:
                self.problem(SHEET, row, "用户名", _("This user name is taken."))
            if row.ok:
                chosen.append((row, cadre))
        if not self.result.ok:
            return
        report = self.report(SHEET)
        for row, cadre in chosen:
            opened = self.attempt(
                SHEET,
                row,
                cadre_services.account_open,
                by=self.user,
                username=names[row.number],
                role=Role.CADRE,
                cadre=cadre,
                full_name=cadre.name,
            )
            if opened is not None:
                report.created.append(f"{cadre.unit.name} {cadre.name} → {names[row.number]}")
                self.slips.append(opened)
