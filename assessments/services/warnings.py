"""Early warnings (预警通报) and reporting reminders, run daily.

The rule: at the latest month whose reporting deadline has passed, a target whose progress is
red (actual / plan below the year's amber threshold) or whose report is missing is warned — at
most once per target and month. Each check run gives a unit at most one notice, listing all its
newly warned targets with how far behind they are and one date to catch up; the notice is
answered and closed as one. A notice past that date and not closed is escalated: the unit head
and the office get an escalation notice of its own by email.

Two runs at once never issue twice: each run locks the year's row first, and the database holds
one notice per unit and day, one item per target and month.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.translation import gettext as _

from cadres.models import Account, Role
from kaohe.lib.numbers import percent_text, points_text
from kaohe.lib.rendering import split_at_insertions

from ..models import (
    AssessmentYear,
    EarlyWarning,
    OutboxMessage,
    ProgressReport,
    Target,
    WarningItem,
)
from ..selectors.progress import Color, target_statuses
from .outbox import outbox_dispatch, outbox_queue_many

logger = logging.getLogger(__name__)

OPEN = [EarlyWarning.Status.ISSUED, EarlyWarning.Status.ACKNOWLEDGED, EarlyWarning.Status.ESCALATED]
ESCALATABLE = [EarlyWarning.Status.ISSUED, EarlyWarning.Status.ACKNOWLEDGED]


@dataclass
class CheckRun:
    """What one check run did: the notices it issued and the notices it escalated."""

    issued: list[EarlyWarning] = field(default_factory=list)
    escalated: list[EarlyWarning] = field(default_factory=list)
    emails: int = 0

    @property
    def units(self) -> int:
        return len({w.unit_id for w in self.issued})

    @property
    def targets(self) -> int:
        return sum(len(w.lagging) for w in self.issued)


def period_due(on: dt.date, deadline_day: int) -> tuple[int, int]:
    """(year, month) of the latest month whose reporting deadline is before ``on``."""
    if on.day > deadline_day:
        return on.year, on.month
    return (on.year, on.month - 1) if on.month > 1 else (on.year - 1, 12)


def warnings_check(*, on: dt.date | None = None) -> CheckRun:
    """Issue the day's notices (one per unit), escalate overdue ones, and queue their emails,
    for every year in progress: each county in a transaction of its own
    (``warnings_check_year``). Running it twice on a day issues nothing more and sends nothing
    twice."""
    on = on or timezone.localdate()
    run = CheckRun()
    years = AssessmentYear.objects.filter(status=AssessmentYear.Status.IN_PROGRESS)
    for year_id in years.order_by("pk").values_list("pk", flat=True):
        county = warnings_check_year(year=year_id, on=on)
        run.issued += county.issued
        run.escalated += county.escalated
        run.emails += county.emails
    return run


@transaction.atomic
def warnings_check_year(*, year: AssessmentYear | int, on: dt.date | None = None) -> CheckRun:
    """The day's check of one assessment year (one county): a fixed number of queries however
    many units and targets it has. Callable on its own (one task per county); a year that is
    not in progress (any more) is left alone."""
    on = on or timezone.localdate()
    run = CheckRun()
    # The lock: a second run waits here until the first has committed, then finds its work.
    locked = (
        AssessmentYear.objects.select_for_update(of=("self",))
        .select_related("county")
        .filter(pk=year.pk if isinstance(year, AssessmentYear) else year)
        .first()
    )
    if locked is None or locked.status != AssessmentYear.Status.IN_PROGRESS:
        return run
    period_year, month = period_due(on, locked.report_deadline_day)
    if period_year == locked.year:
        run.issued = _issue(locked, month, on)
    run.escalated = _escalate(locked, on)
    messages = outbox_queue_many(
        _notice_messages(run.issued, on) + _escalation_messages(run.escalated, on)
    )
    run.emails = len(messages)
    outbox_dispatch(m.pk for m in messages)
    return run


WARNED_TARGET_FIELDS = (
    "year_id",
    "target_value",
    "measure",
    "indicator__code",
    "indicator__name",
    "indicator__method",
    "unit__name",
    "unit__head_email",
)


def _issue(year: AssessmentYear, month: int, on: dt.date) -> list[EarlyWarning]:
    """The new notices: the candidates (targets not yet warned for the month, of units without
    a notice today) in one query, their statuses in two, and two inserts."""
    # Uncorrelated subqueries of this year only: PostgreSQL hashes each once, whatever its
    # statistics say (a correlated EXISTS against items inserted since the last ANALYZE was
    # planned as a scan per target: 7 s a county at province scale, growing with each county).
    # The warned targets are found from the year's notices of the month (an item's month is
    # its notice's): a filter on the items' own month was planned from the month index over
    # every county's items (15 ms a county at city scale, ten times that at province).
    warned = WarningItem.objects.filter(
        warning__in=EarlyWarning.objects.filter(year=year, month=month)
    ).values("target_id")
    noticed_today = EarlyWarning.objects.filter(year=year, issued_on=on).values("unit_id")
    unwarned = Target.objects.filter(year=year).exclude(pk__in=warned)
    unwarned = unwarned.exclude(unit_id__in=noticed_today)
    targets = list(
        unwarned.select_related("indicator", "unit")
        # What the statuses, the items and the emails read (not the catalog's long texts).
        .only(*WARNED_TARGET_FIELDS)
    )
    lagging = defaultdict(list)
    found = target_statuses(targets, year=year, month=month, today=on, among=unwarned)
    for s in found.values():
        if s.needs_warning:
            lagging[s.target.unit_id].append(s)
    catch_up_by = on + dt.timedelta(days=year.warning_catch_up_days)
    notices = EarlyWarning.objects.bulk_create(
        EarlyWarning(
            year=year,
            unit=statuses[0].target.unit,
            month=month,
            issued_on=on,
            catch_up_by=catch_up_by,
        )
        for statuses in lagging.values()
    )
    items = []
    for notice, statuses in zip(notices, lagging.values(), strict=True):
        notice.lagging = [
            WarningItem(
                warning=notice,
                target=s.target,
                month=month,
                kind=EarlyWarning.Kind.MISSING
                if s.color == Color.MISSING
                else EarlyWarning.Kind.LAG,
                plan=s.plan,
                actual=s.actual,
                ratio=s.ratio,
            )
            for s in sorted(statuses, key=lambda s: s.target.indicator.code)
        ]
        items += notice.lagging
    WarningItem.objects.bulk_create(items)
    return notices


def _escalate(year: AssessmentYear, on: dt.date) -> list[EarlyWarning]:
    due = list(
        EarlyWarning.objects.select_for_update(of=("self",))
        .filter(year=year, status__in=ESCALATABLE, catch_up_by__lt=on)
        .select_related("unit", "year__county")
        .prefetch_related("items__target__indicator")
    )
    EarlyWarning.objects.filter(pk__in=[w.pk for w in due]).update(
        status=EarlyWarning.Status.ESCALATED, escalated_on=on
    )
    for warning in due:
        warning.status, warning.escalated_on = EarlyWarning.Status.ESCALATED, on
        warning.lagging = list(warning.items.all())
    return due


def office_recipients(county) -> list:
    """The office staff of ``county`` (or above it) who have an email address."""
    accounts = Account.objects.filter(
        role=Role.OFFICE, user__is_active=True, unit__isnull=False
    ).select_related("user", "unit")
    return [a.user for a in accounts if a.user.email and county.path.startswith(a.unit.path)]


def item_lines(items: list[WarningItem]) -> list[tuple[str, str]]:
    """Each warned target as the notice and escalation emails list it: (indicator, how far
    behind), with the figures as stored (two places, half up); translated once for all."""
    missing = _("report missing")
    behind = _("%(actual)s of %(plan)s %(measure)s planned (%(pct)s)")
    return [
        (
            item.target.indicator.name,
            missing
            if item.kind == EarlyWarning.Kind.MISSING
            else behind
            % {
                "actual": points_text(item.actual or 0),
                "plan": points_text(item.plan),
                "measure": item.target.measure,
                "pct": percent_text(item.ratio),
            },
        )
        for item in items
    ]


def _context(warning: EarlyWarning, on: dt.date) -> dict:
    return {
        "unit": warning.unit,
        "year": warning.year,
        "warning": warning,
        "lines": item_lines(warning.lagging),
        "on": on,
    }


def _rendered_for_each(template: str, notices: list[EarlyWarning], on: dt.date) -> list[str]:
    """``template`` rendered for each of ``notices`` (one year's, of one month and catch-up
    date: one check run's) as ``render_to_string`` would, from two renders instead of one per
    notice: the unit's name and one item line are markers, the lines are repeated at the place
    the one line took and the markers filled in (escaped in HTML). Any doubt (notices that
    differ in more than their unit and lines, copies that do not line up so, or a sample that
    differs from a real render) renders each."""

    def render(notice: EarlyWarning) -> str:
        return render_to_string(template, _context(notice, on))

    sample = max(notices, key=lambda n: len(n.lagging))
    shared = {(n.year_id, n.month, n.catch_up_by) for n in notices}
    if len(notices) < 3 or len(shared) != 1:
        return [render(n) for n in notices]
    token = uuid.uuid4().hex
    unit_mark, name_mark, what_mark = f"u{token}", f"n{token}", f"w{token}"

    def frame(lines: list[tuple[str, str]]) -> str:
        unit = SimpleNamespace(name=unit_mark)  # the unit, its name a marker
        context = {"unit": unit, "year": sample.year, "warning": sample}
        return render_to_string(template, context | {"lines": lines, "on": on})

    base = frame([])
    parts = split_at_insertions(base, frame([(name_mark, what_mark)]), 1)
    if parts is None or name_mark not in parts[0]:
        return [render(n) for n in notices]
    line, (before, after) = parts
    escape = conditional_escape if template.endswith(".html") else str
    texts = []
    for notice in notices:
        lines = "".join(
            line.replace(name_mark, escape(name)).replace(what_mark, escape(what))
            for name, what in item_lines(notice.lagging)
        )
        text = before + lines + after
        texts.append(text.replace(unit_mark, escape(notice.unit.name)))
    if texts[notices.index(sample)] != render(sample):
        logger.warning("warnings of year %s: %s rendered for each notice", sample.year_id, template)
        return [render(n) for n in notices]
    return texts


def _notice_messages(notices: list[EarlyWarning], on: dt.date) -> list[OutboxMessage]:
    """The notices' emails (unsaved), to the heads of their units."""
    notices = [n for n in notices if n.unit.head_email]
    if not notices:
        return []
    texts = _rendered_for_each("emails/warning.txt", notices, on)
    pages = _rendered_for_each("emails/warning.html", notices, on)
    rows = []
    for notice, body_text, body_html in zip(notices, texts, pages, strict=True):
        unit, year = notice.unit, notice.year
        rows.append(
            OutboxMessage(
                kind=OutboxMessage.Kind.WARNING,
                key=f"warning-notice:{notice.pk}",
                year=year,
                unit=unit,
                warning=notice,
                recipient_email=unit.head_email,
                recipient_name=_("Head of %(unit)s") % {"unit": unit.name},
                reason=_("you are the head of %(unit)s, which has targets lagging or unreported")
                % {"unit": unit.name},
                subject=_("Early warning: %(count)s targets of %(unit)s lag (%(year)s-%(month)s)")
                % {
                    "count": len(notice.lagging),
                    "unit": unit.name,
                    "year": year.year,
                    "month": notice.month,
                },
                body_text=body_text,
                body_html=body_html,
            )
        )
    return rows


def _escalation_messages(notices: list[EarlyWarning], on: dt.date) -> list[OutboxMessage]:
    """The escalation notice's emails (unsaved): to the unit head and to every office member
    with an email."""
    rows = []
    office: dict[int, list] = {}
    for notice in notices:
        unit, year = notice.unit, notice.year
        if year.pk not in office:
            office[year.pk] = office_recipients(year.county)
        recipients = [(unit.head_email, _("Head of %(unit)s") % {"unit": unit.name}, True)]
        recipients += [(u.email, u.get_full_name() or u.username, False) for u in office[year.pk]]
        context = _context(notice, on)
        subject = _("Escalated early warning: %(unit)s has not caught up (%(year)s-%(month)s)") % {
            "unit": unit.name,
            "year": year.year,
            "month": notice.month,
        }
        for email, name, is_head in recipients:
            if not email:
                continue
            context["is_head"] = is_head
            rows.append(
                OutboxMessage(
                    kind=OutboxMessage.Kind.WARNING,
                    key=f"warning-escalation:{notice.pk}",
                    year=year,
                    unit=unit,
                    warning=notice,
                    recipient_email=email,
                    recipient_name=name,
                    reason=(
                        _("you are the head of %(unit)s, whose early warning was escalated")
                        if is_head
                        else _("you follow early warnings at the assessment office")
                    )
                    % {"unit": unit.name},
                    subject=subject,
                    body_text=render_to_string("emails/warning_escalation.txt", context),
                    body_html=render_to_string("emails/warning_escalation.html", context),
                )
            )
    return rows


@transaction.atomic
def warning_acknowledge(*, warning: EarlyWarning, plan: str, by) -> EarlyWarning:
    """The unit answers the whole notice with its catch-up plan."""
    warning = EarlyWarning.objects.select_for_update().get(pk=warning.pk)
    if warning.status == EarlyWarning.Status.CLOSED:
        raise ValidationError(_("The warning is closed."))
    if not plan.strip():
        raise ValidationError({"catch_up_plan": _("Describe how the unit will catch up.")})
    warning.catch_up_plan = plan.strip()
    warning.acknowledged_at, warning.acknowledged_by = timezone.now(), by
    if warning.status == EarlyWarning.Status.ISSUED:
        warning.status = EarlyWarning.Status.ACKNOWLEDGED
    warning.full_clean()
    warning.save()
    return warning


@transaction.atomic
def warning_close(*, warning: EarlyWarning, note: str, on: dt.date | None = None) -> EarlyWarning:
    (closed,) = warnings_close(warnings=[warning], note=note, on=on)
    return closed


@transaction.atomic
def warnings_close(*, warnings, note: str, on: dt.date | None = None) -> list[EarlyWarning]:
    """Close several notices with one closing record. All or nothing: one already closed
    refuses the lot."""
    ids = [w.pk for w in warnings]
    if not ids:
        raise ValidationError(_("Choose the warnings to close."))
    if not note.strip():
        raise ValidationError({"closing_note": _("Record why the warning is closed.")})
    rows = list(
        EarlyWarning.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("unit")
        .order_by("pk")
    )
    done = [w for w in rows if w.status == EarlyWarning.Status.CLOSED]
    if len(rows) == 1 and done:
        raise ValidationError(_("The warning is already closed."))
    if done:
        raise ValidationError(
            _("Already closed: %(units)s. Nothing was changed.")
            % {"units": "、".join(w.unit.name for w in done)}
        )
    for warning in rows:
        warning.status = EarlyWarning.Status.CLOSED
        warning.closed_on = on or timezone.localdate()
        warning.closing_note = note.strip()
        warning.full_clean()
        warning.save(update_fields=["status", "closed_on", "closing_note"])
    return rows


def reminder_deadline(year: AssessmentYear, on: dt.date) -> dt.date | None:
    """The month's reporting deadline when ``on`` is the year's reminder day, else None."""
    deadline = dt.date(on.year, on.month, year.report_deadline_day)
    return deadline if (deadline - on).days == year.reminder_days_before else None


@transaction.atomic
def reminders_queue(*, on: dt.date | None = None) -> list[OutboxMessage]:
    """A few days before the month's reporting deadline, remind the liaisons of units that have
    not reported every target for the month: every county, one year at a time
    (``reminders_queue_year``, which a task per county also calls)."""
    on = on or timezone.localdate()
    queued = []
    years = AssessmentYear.objects.filter(status=AssessmentYear.Status.IN_PROGRESS, year=on.year)
    for year in years.select_related("county").order_by("pk"):
        queued += reminders_queue_year(year=year, on=on)
    return queued


@transaction.atomic
def reminders_queue_year(*, year: AssessmentYear, on: dt.date) -> list[OutboxMessage]:
    """One year's reminders on its reminder day (else none): the liaisons of the year's
    county whose units have not reported every target for the month, in a fixed number of
    queries (the outbox's bulk queue keeps one message per key and recipient)."""
    deadline = reminder_deadline(year, on)
    if deadline is None or year.year != on.year:
        return []
    liaisons = defaultdict(list)
    for user in (
        get_user_model()
        .objects.filter(
            account__role=Role.LIAISON, account__unit__path__startswith=year.county.path
        )
        .exclude(email="")
        .select_related("account")
    ):
        liaisons[user.account.unit_id].append(user)
    reported = set(
        ProgressReport.objects.filter(target__year=year, month=on.month)
        .exclude(status=ProgressReport.Status.RETURNED)
        .values_list("target_id", flat=True)
    )
    pending = defaultdict(list)
    for target in Target.objects.filter(year=year).select_related("indicator", "unit"):
        if target.pk not in reported:
            pending[target.unit_id].append(target)
    rows = []
    for unit_id, targets in pending.items():
        unit = targets[0].unit
        for user in liaisons.get(unit_id, []):
            name = user.get_full_name() or user.username
            context = {
                "unit": unit,
                "year": year,
                "targets": targets,
                "deadline": deadline,
                "name": name,
            }
            rows.append(
                OutboxMessage(
                    kind=OutboxMessage.Kind.REMINDER,
                    key=f"reminder:{year.pk}:{on.month}:{unit.pk}",
                    year=year,
                    unit=unit,
                    recipient_email=user.email,
                    recipient_name=name,
                    reason=_("you report progress for %(unit)s") % {"unit": unit.name},
                    subject=_("Reminder: %(unit)s's progress reports are due on %(date)s")
                    % {"unit": unit.name, "date": f"{deadline.month}月{deadline.day}日"},
                    body_text=render_to_string("emails/reminder.txt", context),
                )
            )
    queued = outbox_queue_many(rows)
    outbox_dispatch(m.pk for m in queued)
    return queued
