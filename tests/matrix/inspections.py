"""Rows of the permission matrix: the four checks (inspections, findings, rectification items).

Each row: url name -> (method, object key or None, {role: status}, POST data).
``objects(world)`` adds an inspection of the township with a finding that opened a
rectification item.
"""

import datetime as dt

from assessments import services

from .base import OFFICE_ONLY, STAFF_READ

ROWS = {
    "assessments:inspection_list": ("get", "year", STAFF_READ, {}),
    "assessments:inspection_create": ("get", "year", OFFICE_ONLY, {}),
    "assessments:inspection_detail": ("get", "inspection", STAFF_READ, {}),
    # An empty finding: the office gets the detail page back with the form's errors (200).
    "assessments:finding_add": (
        "post",
        "inspection",
        {"office": 200, "leader": 403, "liaison": 403, "cadre": 403},
        {},
    ),
    # A liaison sees what their own unit has to put right.
    "assessments:rectification_list": (
        "get",
        "year",
        {"office": 200, "leader": 200, "liaison": 200, "cadre": 403},
        {},
    ),
    "assessments:rectification_close": ("get", "rectification", OFFICE_ONLY, {}),
}


def objects(world):
    xx = world["xx"]
    inspection = services.inspection_create(
        year=world["year"],
        kind="spot",
        title="随机抽查",
        held_on=dt.date(2015, 5, 12),
        inspectors="考核办",
        units=[world["unit"]],
        by=xx.office,
    )
    finding = services.finding_add(
        inspection=inspection,
        unit=world["unit"],
        description="台账不全",
        rectify="补齐台账",
        rectify_by=dt.date(2015, 6, 30),
    )
    return {"inspection": inspection, "rectification": finding.rectification}
