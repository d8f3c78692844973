"""Rows of the permission matrix: monthly progress (unit home, report form, evidence, report
detail, the office's review queue and actions, the progress overview).

Each row: url name -> (method, object key or None, {role: status}, POST data).
``objects(world)`` adds a ratio target of the township with a submitted January report that
carries one evidence file.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import services
from tests.factories import IndicatorFactory

from .base import OFFICE_POST, STAFF_READ

LIAISON_ONLY = {"office": 403, "leader": 403, "liaison": 200, "cadre": 403}
UNIT_READERS = {"office": 200, "leader": 200, "liaison": 200, "cadre": 403}

ROWS = {
    "assessments:my_unit": ("get", None, LIAISON_ONLY, {}),
    "assessments:report_submit": ("get", "progress_target", LIAISON_ONLY, {}),
    # The cadre role never sees evidence: 403 by role, before any scope check.
    # A lead department sees only the reports on the indicators it leads (404 for this one).
    "assessments:evidence": ("get", "progress_evidence", {**UNIT_READERS, "lead": 404}, {}),
    "assessments:report_detail": ("get", "progress_report", {**UNIT_READERS, "lead": 404}, {}),
    "assessments:report_queue": ("get", "year", STAFF_READ, {}),
    "assessments:report_approve": ("post", "progress_report", OFFICE_POST, {}),
    "assessments:report_return": ("post", "progress_report", OFFICE_POST, {"reason": "证据不全"}),
    "assessments:progress_overview": ("get", "year", STAFF_READ, {}),
}


def objects(world):
    year, xx = world["year"], world["xx"]
    indicator = IndicatorFactory(year=year, code="MX-P", category="industry", method="ratio")
    target = services.target_assign(
        indicator=indicator, unit=xx.township, target_value=Decimal(1200), measure="亩"
    )
    report = services.progress_submit(
        target=target,
        month=1,
        narrative="新栽玉露香梨100亩",
        actual_value=Decimal(100),
        files=[SimpleUploadedFile("验收单.pdf", b"%PDF-1.4 evidence", "application/pdf")],
        by=xx.liaison,
        now=dt.datetime(year.year, 1, 20, 9, tzinfo=ZoneInfo("Asia/Shanghai")),
    )
    return {
        "progress_target": target,
        "progress_report": report,
        "progress_evidence": report.evidence.get(),
    }
