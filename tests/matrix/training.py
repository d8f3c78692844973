"""Rows of the permission matrix: training (培养): the key-training pool, secondments and first
secretaries, adding an assignment, putting a cadre in the pool, ending an assignment.

Office staff read and write; leaders read (403 on every POST and on the form); liaisons and
cadres get 403. ``objects(world)`` sends the county's cadre to a village as first secretary.
"""

import datetime as dt

from cadres.services.training import training_assign

from .base import OFFICE_ONLY, OFFICE_POST, STAFF_READ

ROWS = {
    "assessments:training_pool": ("get", None, STAFF_READ, {}),
    "cadres:training_list": ("get", None, STAFF_READ, {}),
    "cadres:training_create": ("get", None, OFFICE_ONLY, {}),
    "assessments:training_pool_add": ("post", "cadre", OFFICE_POST, {}),
    "cadres:training_end": (
        "post",
        "training_assignment",
        OFFICE_POST,
        {"ended_on": "2016-06-30"},
    ),
}


def objects(world):
    assignment = training_assign(
        cadre=world["cadre"],
        kind="first_secretary",
        place="龙泉镇东村",
        purpose="驻村帮扶",
        started_on=dt.date(2015, 3, 1),
        by=world["users"]["office"],
    )
    return {"training_assignment": assignment}
