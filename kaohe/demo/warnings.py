"""The demo year's early warnings: the office's daily check run the day after each month's
reporting deadline from May to October, as Celery beat would have run it, so the warnings page
and the dashboard show a real history: one notice per lagging unit and run (a few dozen, not one
per target). Two units in three answer their notice with a catch-up plan; a notice still open
when its catch-up date has passed is escalated by the next check (the demo's lagging units do
not catch up); the office closes half of the answered notices before the next check."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import AssessmentYear, EarlyWarning
from assessments.services.warnings import warning_acknowledge, warnings_check, warnings_close

FIRST_MONTH, LAST_MONTH = 5, 10
CLOSING = "经核查，该单位已按整改计划追上序时进度，予以销号。"
WARNING_KEYS = ("warnings", "warnings_acknowledged", "warnings_escalated", "warnings_closed")
PLANS = (
    "已召开专题会议分析滞后原因，倒排工期，月底前追上序时进度。",
    "已落实专人盯办，加快项目推进，下月按时足额报送。",
    "已向分管领导汇报，协调资金和人员，确保按计划完成。",
)


@transaction.atomic
def load_warnings(year: AssessmentYear, *, by) -> dict[str, int]:
    """Run the checks of May to October on ``year`` (which must have no warnings yet);
    return how many unit notices were issued, answered, escalated and closed."""
    day = year.report_deadline_day + 1
    answered: list[EarlyWarning] = []
    for month in range(FIRST_MONTH, LAST_MONTH + 1):
        on = dt.date(year.year, month, day)
        # By the catch-up date the office closes every other answered notice (caught up).
        if answered:
            warnings_close(warnings=answered[::2], note=CLOSING, on=answered[0].catch_up_by)
        issued = warnings_check(on=on).issued
        # Two in three units answer with a plan; the rest are escalated by the next check.
        answered = [
            warning_acknowledge(warning=warning, plan=PLANS[i % len(PLANS)], by=by)
            for i, warning in enumerate(issued)
            if i % 3
        ]
    warnings = EarlyWarning.objects.filter(year=year)
    return {
        "warnings": warnings.count(),
        "warnings_escalated": warnings.filter(status=EarlyWarning.Status.ESCALATED).count(),
        "warnings_acknowledged": warnings.filter(acknowledged_at__isnull=False).count(),
        "warnings_closed": warnings.filter(status=EarlyWarning.Status.CLOSED).count(),
    }


def warning_notes(counts: dict[str, int]) -> list[str]:
    return [
        _(
            "Early warnings May to October: %(warnings)d unit notices issued, "
            "%(warnings_acknowledged)d answered with a catch-up plan, %(warnings_escalated)d "
            "escalated, %(warnings_closed)d closed."
        )
        % counts
    ]
