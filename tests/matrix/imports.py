"""Rows of the permission matrix: the Excel import centre (office staff only)."""

from .base import OFFICE_ONLY, OFFICE_POST

ROWS = {
    "assessments:import_centre": ("get", None, OFFICE_ONLY, {}),
    "assessments:import_template": ("get", None, OFFICE_ONLY, {"kind": "units"}),
    # Without a file the office sees the centre again with the error: 200.
    "assessments:import_preview": ("post", None, OFFICE_ONLY, {"kind": "units"}),
    # An unknown token: back to the centre with a message.
    "assessments:import_confirm": ("post", None, OFFICE_POST, {"token": "0" * 32}),
    "assessments:import_cancel": ("post", None, OFFICE_POST, {"token": "0" * 32}),
}


def objects(world):
    return {}
