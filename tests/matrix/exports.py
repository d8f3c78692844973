"""Rows of the permission matrix: the Excel exports, each as open as the page it mirrors."""

from .base import STAFF_READ

STAFF_POST = {"office": 302, "leader": 302, "liaison": 403, "cadre": 403}

UNIT_READERS = {"office": 200, "leader": 200, "liaison": 200, "cadre": 403}

ROWS = {
    "assessments:rankings_xlsx": ("get", "year", STAFF_READ, {}),
    # Starts the export as a job and goes to its page.
    "assessments:scorecards_xlsx": ("post", "year", STAFF_POST, {}),
    # The scores area's unit score is the liaison's own township: the page opens for them.
    "assessments:scorecard_xlsx": ("get", "scorecard", UNIT_READERS, {}),
    "assessments:progress_overview_xlsx": ("get", "year", STAFF_READ, {}),
    "assessments:results_xlsx": ("get", "year", STAFF_READ, {}),
}


def objects(world):
    """The objects come from the scores, progress and grading areas."""
    return {}
