"""Rows of the permission matrix: using the results (结果运用): the year's due and recorded
consequences, recording one, the rectification tracker and closing a rectification.

Office staff read and write; leaders read (403 on every POST); liaisons and cadres get 403.
``objects(world)`` adds an open rectification of the county's cadre for the year.
"""

import datetime as dt

from assessments.models import Consequence

from .base import OFFICE_POST, STAFF_READ

ROWS = {
    "assessments:results_use": ("get", "year", STAFF_READ, {}),
    "assessments:consequence_create": (
        "post",
        "year",
        OFFICE_POST,
        {"kind": "commendation", "decided_on": "2016-01-20", "summary": "嘉奖"},
    ),
    "assessments:consequence_rectifications": ("get", "year", STAFF_READ, {}),
    "assessments:consequence_close": (
        "post",
        "consequence_rectification",
        OFFICE_POST,
        {"closed_on": "2016-03-01", "closing_note": "已整改到位"},
    ),
}


def objects(world):
    item = Consequence.objects.create(
        cadre=world["cadre"],
        year=world["year"],
        kind=Consequence.Kind.RECTIFICATION,
        decided_on=dt.date(2016, 1, 20),
        deadline=dt.date(2016, 4, 20),
        summary="限期三个月整改考核中发现的问题。",
        recorded_by=world["users"]["office"],
    )
    return {"consequence_rectification": item}
