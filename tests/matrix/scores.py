"""Rows of the permission matrix: rankings, scorecards, mid-term review, bonus, letters."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import services
from tests.factories import IndicatorFactory

from .base import OFFICE_ONLY, OFFICE_POST, STAFF_READ

UNIT_READERS = {"office": 200, "leader": 200, "liaison": 200, "cadre": 403}

ROWS = {
    "assessments:rankings": ("get", "year", STAFF_READ, {}),
    "assessments:scores_recompute": ("post", "year", OFFICE_POST, {}),
    "assessments:scorecard": ("get", "scorecard", UNIT_READERS, {}),
    "assessments:midterm": ("get", "year", STAFF_READ, {}),
    "assessments:bonus_list": ("get", "year", STAFF_READ, {}),
    "assessments:letter_list": ("get", "year", STAFF_READ, {}),
    "assessments:letter_create": ("get", "year", OFFICE_ONLY, {}),
    "assessments:letter_file": ("get", "letter", UNIT_READERS, {}),
}


def objects(world):
    year, xx = world["year"], world["xx"]
    manual = IndicatorFactory(year=year, code="MX-S", category="tasks", method="manual")
    target = services.target_assign(indicator=manual, unit=xx.township)
    services.decision_set(target=target, points=manual.max_points, reason="满分", by=xx.office)
    scores = services.scores_compute(year=year)
    letter = services.letter_create(
        year=year,
        title="党建目标责任书",
        issuer=xx.county,
        issuer_signatory="县委书记",
        unit=xx.township,
        unit_signatory="镇党委书记",
        signed_on=dt.date(2015, 2, 10),
        file=SimpleUploadedFile("letter.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    score = next(s for s in scores if s.unit_id == xx.township.pk)
    return {"scorecard": (score.year_id, score.unit.code), "letter": letter}
