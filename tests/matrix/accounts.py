"""Rows of the permission matrix: account pages (locked logins and their unlock)."""

from .base import OFFICE_ONLY

ROWS = {
    "cadres:locked_list": ("get", None, OFFICE_ONLY, {}),
    # Nothing is locked in the matrix's world: the office's unlock of an unknown name is a 404.
    "cadres:login_unlock": (
        "post",
        None,
        {"office": 404, "leader": 403, "liaison": 403, "cadre": 403},
        {"username": "nobody"},
    ),
}


def objects(world):
    return {}
