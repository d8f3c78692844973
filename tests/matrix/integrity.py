"""Rows of the permission matrix: the integrity archive (廉政档案).

Each row: url name -> (method, object key or None, {role: status}, POST data).
The demo roles hold none of the integrity permissions, and the office role does not imply
them: every role gets 403 on every page, reads and writes alike. The permitted paths (with the
permissions granted) are tested in ``tests/cadres/test_integrity.py``.
``objects(world)`` adds an entry in the archive of the county's cadre.
"""

import datetime as dt

from cadres.services import integrity as services_integrity

NOBODY = {"office": 403, "leader": 403, "liaison": 403, "cadre": 403}

ROWS = {
    "cadres:integrity_archive": ("get", "cadre", NOBODY, {}),
    "cadres:integrity_entry_create": ("get", "cadre", NOBODY, {}),
    "cadres:integrity_sanction_create": ("get", "cadre", NOBODY, {}),
    "cadres:integrity_entry_detail": ("get", "integrity_entry", NOBODY, {}),
    "cadres:integrity_log": ("get", None, NOBODY, {}),
    "cadres:integrity_entry_status": (
        "post",
        "integrity_entry",
        NOBODY,
        {"status": "verifying"},
    ),
    "cadres:integrity_reporter_set": (
        "post",
        "integrity_entry",
        NOBODY,
        {"name": "举报人", "contact": "13800000000"},
    ),
}


def objects(world):
    entry = services_integrity.entry_record(
        cadre=world["cadre"],
        source="12380_phone",
        received_on=dt.date(2015, 3, 2),
        summary="反映其违规收受礼金。",
        by=world["users"]["office"],
        reporter_name="王举报",
    )
    return {"integrity_entry": entry}
