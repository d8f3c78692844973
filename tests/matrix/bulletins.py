"""Rows of the permission matrix: bulletins, early warnings and the outbox."""

import datetime as dt
from decimal import Decimal
from unittest import mock

from assessments.services import bulletins, warnings
from assessments.services.targets import target_assign
from tests.factories import IndicatorFactory

from .base import OFFICE_ONLY, OFFICE_POST

READERS = {"office": 200, "leader": 200, "liaison": 200, "cadre": 403}

ROWS = {
    "assessments:bulletin_list": ("get", "year", READERS, {}),
    "assessments:bulletin_build": ("post", "year", OFFICE_POST, {"month": "2"}),
    "assessments:bulletin_detail": ("get", "bulletin", READERS, {}),
    "assessments:bulletin_foreword": ("post", "bulletin", OFFICE_POST, {"foreword": "x"}),
    "assessments:bulletin_publish": ("post", "bulletin", OFFICE_POST, {}),
    "assessments:bulletin_pdf": ("get", "bulletin", READERS, {}),
    "assessments:outbox": ("get", "year", OFFICE_ONLY, {}),
    "assessments:outbox_resend": ("post", "year", OFFICE_POST, {}),
    "assessments:warning_list": ("get", "year", READERS, {}),
    "assessments:warning_detail": ("get", "warning", READERS, {}),
    "assessments:warning_acknowledge": (
        "post",
        "warning",
        {"office": 403, "leader": 403, "liaison": 302, "cadre": 403},
        {"catch_up_plan": "追赶计划"},
    ),
    "assessments:warning_close": ("post", "warning", OFFICE_POST, {"closing_note": "已完成"}),
    "assessments:warnings_close": ("post", "year", OFFICE_POST, {"closing_note": "已完成"}),
}


def objects(world):
    year, town = world["year"], world["xx"].township
    ind = IndicatorFactory(year=year, code="MX-W", category="industry", method="ratio")
    target_assign(indicator=ind, unit=town, target_value=Decimal(10))
    bulletin = bulletins.bulletin_build(year=year, month=1, today=dt.date(year.year, 1, 31))
    # Published as the service would, less the PDF rendering (slow, and tested elsewhere).
    with mock.patch.object(bulletins, "render_bulletin_pdf", return_value=None):
        bulletins.bulletin_publish(bulletin=bulletin, today=dt.date(year.year, 1, 31))
    warned = warnings.warnings_check(on=dt.date(year.year, 2, 1)).issued
    return {"bulletin": bulletin, "warning": next(w for w in warned if w.unit_id == town.pk)}
