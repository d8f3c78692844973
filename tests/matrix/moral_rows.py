"""Rows of the permission matrix: saving every row of the moral-assessment template's table at
once (the world's template is the moral template area's; no row posted saves nothing)."""

from .base import OFFICE_POST

ROWS = {
    "assessments:moral_rows_save": ("post", "moral_template", OFFICE_POST, {}),
}


def objects(world):
    return {}
