"""Rows of the permission matrix: the quarterly assessment. A cadre writes their own records;
the township's principal leader ("grader", a cadre account whose post holds the duty) grades
and confirms the township's other cadres; the office grades principal leaders, answers reviews
and keeps the settings; a liaison sees their unit's records and overview."""

import datetime as dt

from django.core.files.base import ContentFile

from assessments.models import QuarterRecord, QuarterReview

WHEN = dt.datetime(2015, 4, 5, 10, tzinfo=dt.UTC)
CADRES_ONLY = {"office": 403, "leader": 403, "liaison": 403, "cadre": 200, "grader": 200}
EVERYONE = {"office": 200, "leader": 200, "liaison": 200, "cadre": 200, "grader": 200}
STAFF = {"office": 200, "leader": 200, "liaison": 403, "cadre": 403, "grader": 403}

ROWS = {
    "assessments:quarter_mine": ("get", None, CADRES_ONLY, {}),
    "assessments:quarter_write": ("get", "year", CADRES_ONLY, {"quarter": "1"}),
    "assessments:summary_write": ("get", "year", CADRES_ONLY, {}),
    # A lead department's scorer sees no cadre's record.
    "assessments:quarter_record": ("get", "quarter_record", {**EVERYONE, "lead": 403}, {}),
    "assessments:quarter_attachment": ("get", "quarter_record", {**EVERYONE, "lead": 403}, {}),
    "assessments:quarter_grade": (
        "post",
        "quarter_record",
        {"office": 403, "leader": 403, "liaison": 403, "cadre": 403, "grader": 302},
        {"grade": "fair", "comment": "较好"},
    ),
    "assessments:quarter_review": (
        "post",
        "quarter_confirmed",
        {"office": 403, "leader": 403, "liaison": 403, "cadre": 302, "grader": 404},
        {"reasons": "请复核"},
    ),
    "assessments:quarter_answer": (
        "post",
        "quarter_reviewed",
        {"office": 302, "leader": 403, "liaison": 403, "cadre": 403, "grader": 403},
        {"answer": "维持原等次"},
    ),
    "assessments:quarter_overview": (
        "get",
        "year",
        {"office": 200, "leader": 200, "liaison": 200, "cadre": 403, "grader": 403},
        {"quarter": "1"},
    ),
    "assessments:quarter_queue": (
        "get",
        "year",
        {"office": 200, "leader": 403, "liaison": 403, "cadre": 403, "grader": 200},
        {"quarter": "1"},
    ),
    "assessments:quarter_confirm": (
        "post",
        "unit",
        {"office": 302, "leader": 403, "liaison": 403, "cadre": 404, "grader": 302, "lead": 403},
        {"year": "2015", "quarter": "1"},
    ),
    "assessments:quarter_export": ("get", "year", STAFF, {"quarter": "1"}),
    "assessments:quarter_settings": (
        "get",
        "year",
        {"office": 200, "leader": 403, "liaison": 403, "cadre": 403, "grader": 403},
        {},
    ),
    "assessments:summaries": ("get", "year", STAFF, {}),
}


def objects(world):
    year, cadre, other = world["year"], world["cadre"], world["xx"].other_cadre
    township = world["xx"].township

    def record(of, quarter, **extra):
        return QuarterRecord.objects.create(
            year=year, cadre=of, unit=township, quarter=quarter, work_done="完成了季度工作",
            submitted_at=WHEN, **extra,
        )  # fmt: skip

    first = record(cadre, 1)
    first.attachment_name, first.attachment_type = "纪实.pdf", "application/pdf"
    first.attachment.save("纪实.pdf", ContentFile(b"%PDF-1.4 quarter"), save=True)
    confirmed = record(cadre, 2, grade="fair", confirmed_at=WHEN)
    reviewed = record(other, 2, grade="average", comment="一般", confirmed_at=WHEN)
    QuarterReview.objects.create(record=reviewed, reasons="请复核")
    return {"quarter_record": first, "quarter_confirmed": confirmed, "quarter_reviewed": reviewed}
