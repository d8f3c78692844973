"""Progress status (red / amber / green) of targets at a month end.

plan = the milestone for that month (the latest one up to it when milestones are set),
or target × month / 12 without milestones; r = actual / plan, where actual is the cumulative
value of the latest report up to that month that was not returned. Green from the year's
green_min (0.95), amber from amber_min (0.80), red below. A report missing past the month's
deadline is "missing"; one not yet due is "due".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import F, Max, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from ..models import AssessmentYear, Indicator, Milestone, ProgressReport, Target

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TWELVE = Decimal(12)


class Color(models.TextChoices):
    GREEN = "green", _("On track")
    AMBER = "amber", _("Lagging")
    RED = "red", _("Seriously lagging")
    MISSING = "missing", _("Report missing")
    DUE = "due", _("Due")
    REPORTED = "reported", _("Reported")


# Order of severity, worst first (for sorting and for a unit's overall colour).
SEVERITY = [Color.RED, Color.MISSING, Color.AMBER, Color.DUE, Color.GREEN, Color.REPORTED]

# The one way targets are counted by status — in the bulletin, the dashboard and the progress
# overview, on the page, in Excel and in the email — worst first: every target is in exactly
# one of these five, so the counts add up to the number of targets. A target without a numeric
# plan that was reported for the month counts as on track.
COUNTED = [Color.RED, Color.MISSING, Color.AMBER, Color.DUE, Color.GREEN]


def counted_color(color: str) -> str:
    """The one of ``COUNTED`` a target's colour is counted under."""
    return Color.GREEN if color == Color.REPORTED else color


def no_counts() -> dict[str, int]:
    return dict.fromkeys(COUNTED, 0)


def status_counts(statuses: Iterable[TargetStatus]) -> dict[str, int]:
    """How many of ``statuses`` are in each of the five counted statuses (all five keys)."""
    counts = no_counts()
    for status in statuses:
        counts[counted_color(status.color)] += 1
    return counts


# Targets by id: a list, or a query of their ids (a subquery).
TargetIds = list[int] | models.QuerySet[Target, Any]

# What a status reads of a report: never the narrative, never a whole model row.
REPORT_FIELDS = ("id", "target_id", "month", "actual_value", "status", "is_late", "revision")


@dataclass(slots=True)
class ReportRow:
    """A progress report as the statuses read it (``REPORT_FIELDS``, from ``values()``): the
    attributes pages and exports use of ``ProgressReport``, without the rest of the row."""

    id: int | None = None
    target_id: int | None = None
    month: int = 0
    actual_value: Decimal | None = None
    status: str = ProgressReport.Status.SUBMITTED
    is_late: bool = False
    revision: int = 1

    @property
    def pk(self) -> int | None:
        return self.id

    def get_status_display(self) -> StrOrPromise:
        return ProgressReport.Status(self.status).label


@dataclass
class TargetStatus:
    target: Target
    month: int
    plan: Decimal | None
    actual: Decimal | None
    ratio: Decimal | None
    color: str
    report: ReportRow | None  # the report for this very month, if any
    latest: ReportRow | None  # the report the actual comes from
    deadline: dt.date

    @property
    def color_label(self) -> StrOrPromise:
        return Color(self.color).label

    @property
    def needs_warning(self) -> bool:
        return self.color in (Color.RED, Color.MISSING)


def default_month(year: AssessmentYear, today: dt.date) -> int:
    """The month to show: during the year, the latest month whose reporting deadline has
    passed (January until then); for a past year, the last month anything was reported for
    (December if nothing was)."""
    if year.year > today.year:
        return 1
    if year.year == today.year:
        month = today.month if today.day > year.report_deadline_day else today.month - 1
        return max(1, month)
    last = ProgressReport.objects.filter(target__year=year).aggregate(last=Max("month"))["last"]
    return last or 12


def plan_for(target: Target, milestones: list[Milestone], month: int) -> Decimal | None:
    if target.target_value is None:
        return None
    if milestones:
        upto = [m for m in milestones if m.month <= month]
        return upto[-1].planned_value if upto else Decimal(0)
    return target.target_value * month / TWELVE


def _of(queryset: models.QuerySet, target_ids: TargetIds, year: AssessmentYear | None):
    """``queryset`` (of rows with a target) narrowed to the targets, and to their year when
    given: a join PostgreSQL plans from the year's targets (by the subquery alone it scanned
    every county's rows)."""
    queryset = queryset.filter(target_id__in=target_ids)
    return queryset if year is None else queryset.filter(target__year=year)


def milestones_by_target(
    target_ids: TargetIds, *, year: AssessmentYear | None = None
) -> dict[int, list[Milestone]]:
    """The targets' milestones by target, in month order: one query."""
    milestones: dict[int, list[Milestone]] = defaultdict(list)
    for m in _of(Milestone.objects.all(), target_ids, year).order_by("month"):
        milestones[m.target_id].append(m)
    return milestones


def progress_history(
    target_ids: list[int], *, month: int, fields: tuple[str, ...] = ()
) -> tuple[dict[int, list[Milestone]], dict[int, list[ReportRow]]]:
    """The targets' milestones, and their reports up to ``month`` that count (all but the
    returned ones), each by target in month order: two queries for any number of targets.
    The reports are ``ReportRow``s of ``REPORT_FIELDS`` (or of ``fields`` and the target's id
    when given), read with ``values()``."""
    milestones = milestones_by_target(target_ids)
    names = tuple(dict.fromkeys(("target_id", *fields))) if fields else REPORT_FIELDS
    counted = (
        ProgressReport.objects.filter(target_id__in=target_ids, month__lte=month)
        .exclude(status=ProgressReport.Status.RETURNED)
        .order_by("month")
        .values(*names)
    )
    reports: dict[int, list[ReportRow]] = defaultdict(list)
    for values in counted:
        reports[values["target_id"]].append(ReportRow(**values))
    return milestones, reports


def latest_reports(
    target_ids: TargetIds, *, month: int, year: AssessmentYear | None = None
) -> dict[int, ReportRow]:
    """Each target's latest report up to ``month`` that counts (not returned), as a
    ``ReportRow``: one query, one row per target (a window over the target's reports)."""
    latest = (
        _of(ProgressReport.objects.all(), target_ids, year)
        .filter(month__lte=month)
        .exclude(status=ProgressReport.Status.RETURNED)
        .annotate(
            newest=Window(RowNumber(), partition_by=[F("target_id")], order_by=F("month").desc())
        )
        .filter(newest=1)
        .order_by()  # not the reports' default order (it joins the unit and the indicator)
        .values(*REPORT_FIELDS)
    )
    return {values["target_id"]: ReportRow(**values) for values in latest}


def target_statuses(
    targets: list[Target],
    *,
    year: AssessmentYear,
    month: int,
    today: dt.date,
    among: models.QuerySet[Target] | None = None,
) -> dict[int, TargetStatus]:
    """The status of each target at the end of ``month``: two queries for any number (its
    milestones, its latest report). ``among``, the query ``targets`` were read by (all of ``year``),
    finds their milestones and reports by subquery instead of a list of ids (for thousands
    of targets: one parameter instead of one per target).
    A returned report does not count until it is resubmitted."""
    if not targets:
        return {}
    if among is None:
        ids: TargetIds = [t.pk for t in targets]
        milestones, reports = milestones_by_target(ids), latest_reports(ids, month=month)
    else:
        ids = among.values("pk")
        milestones = milestones_by_target(ids, year=year)
        reports = latest_reports(ids, month=month, year=year)
    deadline = dt.date(year.year, month, year.report_deadline_day)
    overdue = today > deadline
    result = {}
    for target in targets:
        latest = reports.get(target.pk)
        this_month = latest if latest and latest.month == month else None
        numeric = (
            target.indicator.method == Indicator.Method.RATIO and target.target_value is not None
        )
        plan = plan_for(target, milestones[target.pk], month) if numeric else None
        actual = latest.actual_value if latest and numeric else None
        # The ratio is shown whenever there is a plan; the colour judges only a month whose
        # report is in (or overdue): before the deadline an unreported month is just "due".
        ratio = ((actual or Decimal(0)) / plan if plan else Decimal(1)) if numeric else None
        if this_month is None:
            color = Color.MISSING if overdue else Color.DUE
        elif not numeric or ratio is None:  # a numeric target always has a ratio
            color = Color.REPORTED
        elif ratio >= year.green_min:
            color = Color.GREEN
        elif ratio >= year.amber_min:
            color = Color.AMBER
        else:
            color = Color.RED
        result[target.pk] = TargetStatus(
            target=target,
            month=month,
            plan=plan,
            actual=actual,
            ratio=ratio,
            color=color,
            report=this_month,
            latest=latest,
            deadline=deadline,
        )
    return result


def progress_mean(statuses: Iterable[TargetStatus]) -> Decimal | None:
    """A unit's (or the county's) progress as the monthly bulletin counts it: the mean of
    min(actual / plan, 1) over the numeric targets; None without any."""
    ratios = [min(s.ratio, Decimal(1)) for s in statuses if s.ratio is not None]
    return sum(ratios, Decimal(0)) / len(ratios) if ratios else None
