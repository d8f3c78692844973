"""Rows of the permission matrix: the periodic schedules (read by office staff; changed by the
office of the top unit only, so the county office of the matrix's world gets 403)."""

ROWS = {
    "assessments:schedules": (
        "get",
        None,
        {"office": 200, "leader": 403, "liaison": 403, "cadre": 403},
        {},
    ),
    "assessments:schedule_edit": (
        "post",
        None,
        {"office": 403, "leader": 403, "liaison": 403, "cadre": 403},
        {"name": "outbox flush", "enabled": "on", "every": "5"},
    ),
}


def objects(world):
    return {}
