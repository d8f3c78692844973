"""The demo year's early warnings: the office's daily check run the day after each month's
reporting deadline from May to October, as Celery beat would have run it, so the warnings page
and the dashboard show a real history. Units answer two warnings in three with a catch-up plan;
a warning still open when its catch-up date has passed is escalated by the next check (the demo's
lagging units do not catch up)."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import AssessmentYear, EarlyWarning
from assessments.services.warnings import warning_acknowledge, warnings_check

FIRST_MONTH, LAST_MONTH = 5, 10
WARNING_KEYS = ("warnings", "warnings_acknowledged", "warnings_escalated")
PLANS = (
    "已召开专题会议分析滞后原因，倒排工期，月底前追上序时进度。",
    "已落实专人盯办，加快项目推进，下月按时足额报送。",
    "已向分管领导汇报，协调资金和人员，确保按计划完成。",
)


@transaction.atomic
def load_warnings(year: AssessmentYear, *, by) -> dict[str, int]:
    """Run the checks of May to October on ``year`` (which must have no warnings yet);
    return how many warnings were issued, answered and escalated."""
    day = year.report_deadline_day + 1
    for month in range(FIRST_MONTH, LAST_MONTH + 1):
        issued = warnings_check(on=dt.date(year.year, month, day))
        # Two in three units answer with a plan; the rest are escalated by the next check.
        for i, warning in enumerate(issued):
            if i % 3:
                warning_acknowledge(warning=warning, plan=PLANS[i % len(PLANS)], by=by)
    warnings = EarlyWarning.objects.filter(year=year)
    return {
        "warnings": warnings.count(),
        "warnings_escalated": warnings.filter(status=EarlyWarning.Status.ESCALATED).count(),
        "warnings_acknowledged": warnings.filter(acknowledged_at__isnull=False).count(),
    }


def warning_notes(counts: dict[str, int]) -> list[str]:
    return [
        _(
            "Early warnings May to October: %(warnings)d issued, %(warnings_acknowledged)d "
            "answered with a catch-up plan, %(warnings_escalated)d escalated."
        )
        % counts
    ]
