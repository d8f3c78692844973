"""Rows of the permission matrix: the assessment archive (考核档案), the annual registration form
and the team analysis reports.

Office staff and leaders read; office staff write the team analysis reports (leaders 403).
Liaisons have no archive: 404 everywhere. A cadre opens their own archive (page and PDF) and
registration form (page and PDF), in the own view (the world's cadre is the cadre user's own
record); the rest is 404 for them.
"""

READ = {"office": 200, "leader": 200, "liaison": 404, "cadre": 404}
# A lead department sees no cadre: 404 like a liaison.
OWN = {"office": 200, "leader": 200, "liaison": 404, "cadre": 200, "lead": 404}

ROWS = {
    "assessments:cadre_archive": ("get", "cadre", OWN, {}),
    "assessments:cadre_archive_pdf": ("get", "cadre", OWN, {}),
    "assessments:cadre_archive_xlsx": ("get", "cadre", READ, {}),
    "assessments:cadre_registration": ("get", "cadre", OWN, {}),
    "assessments:cadre_registration_pdf": ("get", "cadre", OWN, {}),
    "assessments:unit_archive": ("get", "unit", READ, {}),
    "assessments:unit_archive_pdf": ("get", "unit", READ, {}),
    # Starts the zip of the unit's archive PDFs as a job and goes to its page.
    "assessments:unit_archive_pdfs": (
        "post",
        "unit",
        {"office": 302, "leader": 302, "liaison": 404, "cadre": 404},
        {},
    ),
    "assessments:unit_archive_xlsx": ("get", "unit", READ, {}),
    "assessments:team_analysis_edit": (
        "get",
        "unit",
        {"office": 200, "leader": 403, "liaison": 404, "cadre": 404},
        {},
    ),
}


def objects(world):
    return {}
