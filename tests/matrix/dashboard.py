"""Rows of the permission matrix: the county dashboard and a unit's three-thirds profile."""

from .base import STAFF_READ

UNIT_READERS = {"office": 200, "leader": 200, "liaison": 200, "cadre": 403}

ROWS = {
    "assessments:dashboard": ("get", None, STAFF_READ, {}),
    "assessments:unit_profile": ("get", "unit", UNIT_READERS, {}),
}


def objects(world):
    return {}
