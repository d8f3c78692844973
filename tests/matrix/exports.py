"""Rows of the permission matrix: the Excel exports, each as open as the page it mirrors."""

from .base import STAFF_READ

UNIT_READERS = {"office": 200, "leader": 200, "liaison": 200, "cadre": 403}

ROWS = {
    "assessments:rankings_xlsx": ("get", "year", STAFF_READ, {}),
    "assessments:scorecards_xlsx": ("get", "year", STAFF_READ, {}),
    # The scores area's unit score is the liaison's own township: the page opens for them.
    "assessments:scorecard_xlsx": ("get", "scorecard", UNIT_READERS, {}),
    "assessments:progress_overview_xlsx": ("get", "year", STAFF_READ, {}),
    "assessments:results_xlsx": ("get", "year", STAFF_READ, {}),
}


def objects(world):
    """The objects come from the scores, progress and grading areas."""
    return {}
