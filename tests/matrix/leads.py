"""Rows of the permission matrix: lead assessing departments (the lead role's home, its
indicators, deduction entries)."""

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments import services
from tests.factories import IndicatorFactory

from .base import OFFICE_ONLY, OFFICE_POST

SCORERS = {"office": 200, "leader": 403, "liaison": 403, "cadre": 403, "lead": 200}
LEAD_POST = {"office": 403, "leader": 403, "liaison": 403, "cadre": 403, "lead": 302}
SCORERS_POST = {"office": 302, "leader": 403, "liaison": 403, "cadre": 403, "lead": 302}

ROWS = {
    "assessments:lead_home": (
        "get",
        None,
        {"office": 403, "leader": 403, "liaison": 403, "cadre": 403, "lead": 200},
        {},
    ),
    "assessments:lead_indicator": ("get", "led_indicator", SCORERS, {}),
    "assessments:target_deductions": ("get", "led_target", SCORERS, {}),
    "assessments:deduction_withdraw": ("post", "deduction", SCORERS_POST, {"reason": "重复"}),
    "assessments:sheet_row": ("post", "sheet_target", LEAD_POST, {"level": "good", "reason": "好"}),
    "assessments:sheet_download": ("get", "led_indicator", SCORERS, {}),
    "assessments:sheet_upload": ("post", "led_indicator", LEAD_POST, {}),
    "assessments:sheet_submit": ("post", "led_indicator", LEAD_POST, {}),
    "assessments:sheet_accept": ("post", "led_indicator", OFFICE_POST, {}),
    "assessments:sheet_return": ("post", "led_indicator", OFFICE_POST, {"reason": "不全"}),
    "assessments:sheet_reopen": ("post", "led_indicator", OFFICE_POST, {"reason": "有误"}),
    "assessments:sheet_row_attachment": ("get", "sheet_target", SCORERS, {}),
    "assessments:deduction_attachment": ("get", "deduction", SCORERS, {}),
    "assessments:sheet_board": ("get", "year", OFFICE_ONLY, {}),
    "assessments:sheets_remind": ("post", "year", OFFICE_POST, {}),
}


def objects(world):
    year, xx = world["year"], world["xx"]
    petitions = IndicatorFactory(
        year=year,
        code="MX-LD",
        category="tasks",
        method="deduction",
        lead_department=xx.department,
    )
    target = services.target_assign(indicator=petitions, unit=xx.township)
    entry = services.deduction_enter(
        target=target,
        occurred_on=dt.date(2015, 4, 1),
        points=Decimal(2),
        reason="越级上访",
        by=xx.office,
        attachment=SimpleUploadedFile("来信.pdf", b"%PDF-1.4 matrix"),
    )
    levels = IndicatorFactory(
        year=year, code="MX-LL", category="tasks", method="levels", lead_department=xx.department
    )
    sheet_target = services.target_assign(indicator=levels, unit=xx.township)
    today = timezone.localdate()
    services.window_open(
        year=year, opens_on=today, closes_on=today + dt.timedelta(days=30), by=xx.office
    )
    services.sheet_row_set(
        target=sheet_target,
        level="good",
        reason="好",
        by=world["users"]["lead"],
        attachment=SimpleUploadedFile("台账.pdf", b"%PDF-1.4 matrix"),
    )
    return {
        "led_indicator": petitions,
        "led_target": target,
        "deduction": entry,
        "sheet_target": sheet_target,
    }
