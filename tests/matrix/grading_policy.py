"""Rows of the permission matrix: the year's grading-policy page (office staff change it until
the grades are published; leaders read it)."""

from .base import STAFF_READ

ROWS = {
    "assessments:grading_policy": ("get", "year", STAFF_READ, {}),
}


def objects(world):
    return {}
