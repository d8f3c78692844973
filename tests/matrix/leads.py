"""Rows of the permission matrix: lead assessing departments (the lead role's home, its
indicators, deduction entries)."""

import datetime as dt
from decimal import Decimal

from assessments import services
from tests.factories import IndicatorFactory

SCORERS = {"office": 200, "leader": 403, "liaison": 403, "cadre": 403, "lead": 200}
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
    )
    return {"led_indicator": petitions, "led_target": target, "deduction": entry}
