"""Rows of the permission matrix: corrections and withdrawals of the inputs behind scores
(office only: a leader reads, a liaison and a cadre never reach them), the year's record
of corrections (office and leaders), and the bulk entry pages (office only).

``objects(world)`` adds an inspection with a finding on a manual indicator, that indicator's
decision, a bonus award, a mid-term review and a responsibility letter, all of their own.
"""

import datetime as dt
from decimal import Decimal

from assessments import services
from tests.factories import IndicatorFactory

from .base import OFFICE_ONLY, STAFF_READ

OBJECTS = {
    "inspection": "corr_inspection",
    "finding": "corr_finding",
    "bonus": "corr_bonus",
    "decision": "corr_decision",
    "midterm": "corr_midterm",
    "letter": "corr_letter",
}

# The grid's Excel names its indicator in the query; objects() fills the id in.
GRID_QUERY: dict = {}

ROWS = {
    "assessments:change_list": ("get", "year", STAFF_READ, {}),
    # Bulk entry: the mid-term sheet's Excel, the assignment grid and its Excel.
    "assessments:midterm_xlsx": ("get", "year", OFFICE_ONLY, {}),
    "assessments:target_grid": ("get", "year", OFFICE_ONLY, {}),
    "assessments:target_grid_xlsx": ("get", "year", OFFICE_ONLY, GRID_QUERY),
    **{
        f"assessments:{kind}_{verb}": ("get", key, OFFICE_ONLY, {})
        for kind, key in OBJECTS.items()
        for verb in ("correct", "withdraw")
    },
}


def objects(world):
    year, xx = world["year"], world["xx"]
    unit = xx.department
    manual = IndicatorFactory(year=year, code="CORR-M", category="tasks", method="manual")
    bonus = IndicatorFactory(year=year, code="CORR-B", category="bonus", method="bonus")
    target = services.target_assign(indicator=manual, unit=unit)
    GRID_QUERY["indicator"] = manual.pk
    inspection = services.inspection_create(
        year=year,
        kind="spot",
        title="抽查（更正）",
        held_on=dt.date(2015, 5, 12),
        inspectors="督导办",
        units=[unit],
        by=xx.office,
    )
    return {
        "corr_inspection": inspection,
        "corr_finding": services.finding_add(
            inspection=inspection,
            unit=unit,
            indicator=manual,
            points=Decimal(-1),
            description="台账不全",
        ),
        "corr_decision": services.decision_set(
            target=target, points=Decimal(5), reason="评定", by=xx.office
        ),
        "corr_bonus": services.bonus_award(
            year=year,
            unit=unit,
            indicator=bonus,
            points=Decimal(1),
            reason="市级表彰",
            awarded_on=dt.date(2015, 5, 1),
            by=xx.office,
        ),
        "corr_midterm": services.midterm_set(
            year=year, unit=unit, score=Decimal(85), reviewed_on=dt.date(2015, 7, 1)
        ),
        "corr_letter": services.letter_create(
            year=year,
            title="目标责任书（更正）",
            issuer=xx.county,
            issuer_signatory="县委书记",
            unit=unit,
            unit_signatory="局长",
            signed_on=dt.date(2015, 2, 10),
        ),
    }
