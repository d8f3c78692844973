"""Rows of the permission matrix: the close-range identification ledger."""

from .base import OFFICE_POST

ROWS = {
    "cadres:ledger_add": (
        "post",
        "cadre",
        OFFICE_POST,
        {"noted_on": "2015-06-01", "kind": "hard_task", "note": "抗洪抢险冲在一线", "points": "3"},
    ),
}


def objects(world):
    return {}
