"""Rows of the permission matrix: several years open at once (the confirmation page before a
year's status changes)."""

from .base import OFFICE_ONLY

ROWS = {
    "assessments:year_status_confirm": ("get", "year", OFFICE_ONLY, {"status": "closed"}),
}


def objects(world):
    return {}
