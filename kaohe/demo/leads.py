"""The lead assessing departments of 2015: the scoring window (评分期) and their sheets, as they
stood at the demo's today: most sheets accepted, 信访 returned for a missing referral letter,
全面深化改革 not started. Rows are written in bulk (a county's sheets have some 1,500 rows);
the year's scores are computed once afterwards by the progress loader."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils.translation import gettext as _

from assessments import services
from assessments.models import (
    AssessmentYear,
    Decision,
    DeductionEntry,
    Indicator,
    ScoringSheet,
    SheetEvent,
    SheetRow,
    Target,
)
from assessments.services.leads import SHEET_METHODS
from cadres.models import Account, Role
from kaohe.lib.dates import cn_date

WINDOW = (dt.date(2015, 10, 26), dt.date(2015, 11, 20))
RETURNED = "T4"  # 信访: returned, the referral letters missing
MISSING = "P7"  # 全面深化改革: the county party office has not started it
RETURN_REASON = "龙泉镇3月、6月两起越级访未附县信访局交办单，请补齐来源后重新提交。"
# (indicator, unit index among its targets, date, points, reason, source, vetoes)
ENTRIES = [
    (
        "T4",
        0,
        dt.date(2015, 3, 12),
        "2",
        "群众赴市越级上访1起",
        "县信访局交办单〔2015〕17号",
        False,
    ),
    ("T4", 0, dt.date(2015, 6, 3), "2", "重复上访1起", "", False),
    (
        "T4",
        3,
        dt.date(2015, 8, 21),
        "1.5",
        "集体访（5人以上）1起",
        "县信访局交办单〔2015〕42号",
        False,
    ),
    ("P3", 2, dt.date(2015, 5, 18), "1", "违规发放津补贴问题查实", "县纪委通报〔2015〕5号", False),
    ("P3", 7, dt.date(2015, 9, 9), "0.5", "“一岗双责”落实不到位被约谈", "县纪委谈话记录", False),
    ("T6.2", 5, dt.date(2015, 7, 2), "1", "涉恶线索未按期移交", "县公安局移交通知", False),
]
AT = dt.datetime(2015, 10, 30, 8, 0, tzinfo=dt.UTC)  # 16:00 in Xi County


def _scorers(year: AssessmentYear) -> dict[int, object]:
    accounts = Account.objects.filter(role=Role.LEAD, unit__path__startswith=year.county.path)
    return {a.unit_id: a.user for a in accounts.select_related("user")}


def load_leads(year: AssessmentYear) -> dict[str, int]:
    """Write the window and the sheets (counts: sheets, sheet_rows, deduction_entries)."""
    office = get_user_model().objects.get(username="office")
    services.window_open(year=year, opens_on=WINDOW[0], closes_on=WINDOW[1], by=office)
    scorers = _scorers(year)
    indicators = list(
        year.indicators.filter(lead_department_id__in=scorers, method__in=SHEET_METHODS)
        .annotate(units=Count("targets"))
        .filter(units__gt=0)
        .exclude(code=MISSING)
        .order_by("sort_order")
    )
    targets: dict[int, list[Target]] = {}
    led = Target.objects.filter(indicator__in=[i.pk for i in indicators]).order_by("unit__path")
    for target in led:
        targets.setdefault(target.indicator_id, []).append(target)
    decisions = {d.target_id: d for d in Decision.objects.filter(target__year=year)}
    sheets, rows, events, entries, new_decisions = [], [], [], [], []
    for indicator in indicators:
        by = scorers[indicator.lead_department_id]
        returned = indicator.code == RETURNED
        status = ScoringSheet.Status.RETURNED if returned else ScoringSheet.Status.ACCEPTED
        sheet = ScoringSheet(
            indicator=indicator,
            status=status,
            updated_at=AT,
            return_reason=RETURN_REASON if returned else "",
        )
        sheets.append(sheet)
        events.append(SheetEvent(sheet=sheet, action="submitted", by=by, at=AT))
        events.append(
            SheetEvent(
                sheet=sheet,
                action="returned" if returned else "accepted",
                by=office,
                at=AT + dt.timedelta(hours=18),
                reason=RETURN_REASON if returned else "",
            )
        )
        if indicator.method == Indicator.Method.DEDUCTION:
            continue
        for target in targets.get(indicator.pk, []):
            decision = decisions.get(target.pk)
            if decision is None:  # the sheet fills what the office had not decided yet
                decision = Decision(
                    target=target,
                    level="fair" if indicator.method == Indicator.Method.LEVELS else "",
                    points=None
                    if indicator.method == Indicator.Method.LEVELS
                    else indicator.max_points * Decimal("0.8"),
                    reason="按牵头部门评分表评定",
                    decided_at=AT,
                    decided_by=by,
                )
                new_decisions.append(decision)
            rows.append(
                SheetRow(
                    sheet=sheet,
                    target=target,
                    level=decision.level,
                    points=decision.points,
                    reason=decision.reason,
                    entered_by=by,
                    entered_at=AT,
                )
            )
    ScoringSheet.objects.bulk_create(sheets)
    by_code = {s.indicator.code: s for s in sheets}
    SheetEvent.objects.bulk_create(events)  # each takes its sheet's id, now that it has one
    SheetRow.objects.bulk_create(rows, batch_size=500)
    Decision.objects.bulk_create(new_decisions, batch_size=500)
    accepted = [s.indicator_id for s in sheets if s.status == ScoringSheet.Status.ACCEPTED]
    for unit_id, user in scorers.items():  # an accepted sheet's decisions are the department's
        Decision.objects.filter(
            target__indicator_id__in=accepted, target__indicator__lead_department_id=unit_id
        ).update(decided_by=user)
    for code, index, day, points, reason, source, vetoes in ENTRIES:
        sheet = by_code.get(code)
        listed = targets.get(sheet.indicator_id, []) if sheet else []
        if index >= len(listed):
            continue
        entries.append(
            DeductionEntry(
                target=listed[index],
                occurred_on=day,
                points=Decimal(points),
                reason=reason,
                source=source,
                vetoes=vetoes,
                entered_by=scorers[sheet.indicator.lead_department_id],
                entered_at=AT,
                sheet=sheet,
            )
        )
    DeductionEntry.objects.bulk_create(entries)
    return {
        "sheets": len(sheets),
        "sheet_rows": len(rows),
        "deduction_entries": len(entries),
        "decisions": len(new_decisions),
    }


def lead_notes(counts: dict[str, int]) -> list[str]:
    """What the load of the lead departments' sheets created, in words."""
    return [
        _(
            "Scoring window %(opens)s to %(closes)s: %(sheets)d lead-department sheets "
            "(%(sheet_rows)d rows, %(deduction_entries)d deduction entries); %(returned)s "
            "returned, %(missing)s not started."
        )
        % {
            "opens": cn_date(WINDOW[0]),
            "closes": cn_date(WINDOW[1]),
            "returned": RETURNED,
            "missing": MISSING,
            **counts,
        }
    ]
