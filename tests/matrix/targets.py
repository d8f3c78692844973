"""Rows of the permission matrix: targets, milestones and decisions."""

from decimal import Decimal

from assessments import services
from tests.factories import IndicatorFactory

from .base import OFFICE_ONLY, OFFICE_POST, STAFF_READ

UNIT_READERS = {"office": 200, "leader": 200, "liaison": 200, "cadre": 403}

ROWS = {
    "assessments:target_list": ("get", "year", STAFF_READ, {}),
    "assessments:target_assign": ("get", "year", OFFICE_ONLY, {}),
    "assessments:target_detail": ("get", "target", UNIT_READERS, {}),
    "assessments:target_edit": ("post", "target", OFFICE_POST, {"target_value": "120"}),
    "assessments:target_milestones": ("post", "target", OFFICE_POST, {"m6": "50"}),
    "assessments:target_decide": (
        "post",
        "levels_target",
        OFFICE_POST,
        {"level": "good", "reason": "好"},
    ),
}


def objects(world):
    year, town = world["year"], world["xx"].township
    ratio = IndicatorFactory(year=year, code="MX-R", category="industry", method="ratio")
    levels = IndicatorFactory(year=year, code="MX-L", category="party", method="levels")
    return {
        "target": services.target_assign(indicator=ratio, unit=town, target_value=Decimal(100)),
        "levels_target": services.target_assign(indicator=levels, unit=town),
    }
