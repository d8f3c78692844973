"""Rows of the permission matrix: eligibility rules and the selection reference list."""

from .base import OFFICE_POST, STAFF_READ

ROWS = {
    "assessments:eligibility_rules": ("get", "eligibility_county", STAFF_READ, {}),
    "assessments:eligibility_recompute": ("post", "eligibility_county", OFFICE_POST, {}),
    "assessments:selection": ("get", None, STAFF_READ, {}),
    "assessments:selection_export": ("get", None, STAFF_READ, {}),
}


def objects(world):
    return {"eligibility_county": world["xx"].county}
