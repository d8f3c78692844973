"""Monthly progress reports with evidence files, and the office's review of them."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.lib.cache import year_changed

from ..models import Evidence, Indicator, ProgressReport, Target
from .catalog import year_is_open, year_require_open
from .scoring import scores_request_recompute

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_FILES = 10

# Accepted evidence: extension -> (content type, the file's first bytes).
EVIDENCE_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    ".xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0",)),
}


def evidence_check(upload) -> str:
    """Check an uploaded file's size, extension and content; return its content type.
    The content must match the extension: a renamed executable is refused."""
    name = os.path.basename(upload.name or "")
    ext = os.path.splitext(name)[1].lower()
    if ext not in EVIDENCE_TYPES:
        raise ValidationError(
            _("%(name)s: only PDF, JPG, PNG, Word and Excel files are accepted.") % {"name": name}
        )
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(mb)s MB.")
            % {"name": name, "mb": MAX_EVIDENCE_BYTES // 2**20}
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    content_type, signatures = EVIDENCE_TYPES[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(
            _("%(name)s is not really a %(ext)s file.") % {"name": name, "ext": ext[1:].upper()}
        )
    return content_type


def report_deadline(target: Target, month: int) -> dt.date:
    """The day by which a month's report is due (the year's deadline day of that month)."""
    return dt.date(target.year.year, month, target.year.report_deadline_day)


@transaction.atomic
def progress_submit(
    *,
    target: Target,
    month: int,
    narrative: str,
    by,
    actual_value: Decimal | None = None,
    files=(),
    now: dt.datetime | None = None,
) -> ProgressReport:
    """Submit (or, after a return, resubmit) a unit's report on a target for a month.
    Every file is checked before anything is written; one bad file refuses the whole report."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    year = target.year
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("Months run from 1 to 12.")})
    if (year.year, month) > (today.year, today.month):
        raise ValidationError({"month": _("A month cannot be reported before it has begun.")})
    if not year_is_open(year):
        raise ValidationError(_("The year is closed; progress can no longer be reported."))
    if target.indicator.method == Indicator.Method.RATIO and actual_value is None:
        raise ValidationError({"actual_value": _("Enter the cumulative actual value.")})
    if not narrative.strip():
        raise ValidationError({"narrative": _("Describe the progress.")})
    files = list(files)
    if len(files) > MAX_EVIDENCE_FILES:
        raise ValidationError(_("At most %(n)s files per report.") % {"n": MAX_EVIDENCE_FILES})
    content_types = [evidence_check(f) for f in files]

    report = ProgressReport.objects.select_for_update().filter(target=target, month=month).first()
    if report is None:
        report = ProgressReport(target=target, month=month)
    elif report.status == ProgressReport.Status.RETURNED:
        report.revision += 1
        report.return_reason = ""
        report.reviewed_at = report.reviewed_by = None
    else:
        raise ValidationError(
            _("The report for month %(month)s is already %(status)s.")
            % {"month": month, "status": report.get_status_display()}
        )
    report.actual_value = actual_value
    report.narrative = narrative.strip()
    report.status = ProgressReport.Status.SUBMITTED
    report.submitted_at = now
    report.submitted_by = by
    report.is_late = today > report_deadline(target, month)
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():  # a savepoint: two first submits at once, one wins
            report.save()
    except IntegrityError as error:
        raise ValidationError(
            _("The report for month %(month)s was just submitted by someone else.")
            % {"month": month}
        ) from error
    for upload, content_type in zip(files, content_types, strict=True):
        evidence = Evidence(
            report=report,
            original_name=os.path.basename(upload.name)[:200],
            content_type=content_type,
            size=upload.size,
            uploaded_by=by,
        )
        evidence.file.save(evidence.original_name, upload, save=False)
        evidence.save()
    year_changed(year.pk)  # the cached progress overview and dashboard
    return report


@transaction.atomic
def progress_approve(*, report: ProgressReport, by) -> ProgressReport:
    report = (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("target__year")
        .get(pk=report.pk)
    )
    if report.status != ProgressReport.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be approved."))
    year_require_open(report.target.year)
    report.status = ProgressReport.Status.APPROVED
    report.reviewed_at, report.reviewed_by = timezone.now(), by
    report.save(update_fields=["status", "reviewed_at", "reviewed_by"])
    scores_request_recompute(report.target.year, units=[report.target.unit_id])
    return report


@transaction.atomic
def progress_return(*, report: ProgressReport, by, reason: str) -> ProgressReport:
    report = (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("target__year")
        .get(pk=report.pk)
    )
    if report.status != ProgressReport.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."))
    year_require_open(report.target.year)
    if not reason.strip():
        raise ValidationError({"return_reason": _("Say why the report is returned.")})
    report.status = ProgressReport.Status.RETURNED
    report.return_reason = reason.strip()
    report.reviewed_at, report.reviewed_by = timezone.now(), by
    report.save(update_fields=["status", "return_reason", "reviewed_at", "reviewed_by"])
    year_changed(report.target.year_id)
    return report
