"""Quarterly daily assessment (季度平时考核) and the cadre's personal summary (个人总结).

Each quarter a cadre writes a work record during a window after the quarter ends (written later,
it is marked late, until the unit's grades are confirmed). Their superior grades it: the unit's
principal leader grades the unit's other cadres through their own cadre account (the grading
duty comes from the post: ``Cadre.is_principal``); principal leaders are graded by the office (or
the county leaders, a per-year setting). Confirming a unit's grades of a quarter checks the cap
on 好 (floor(share × cadres assessed in the unit)) under a lock on the unit's row, so two
confirmations cannot both pass. A confirmed grade is shown to the cadre, who may ask once for a
review. The four quarters then count into the annual grade by versioned rules
(``annual_effects``, called by ``grading.results_propose``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import os
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypedDict

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import ASSESSED_KINDS, Cadre, Role, Unit
from cadres.scope import account_of, ancestor_paths
from kaohe.lib.dates import cn_date
from kaohe.lib.models import model_update

from ..models import (
    AssessmentYear,
    Grade,
    Level,
    OutboxMessage,
    PersonalSummary,
    QuarterGradeChange,
    QuarterRecord,
    QuarterReview,
    QuarterSettings,
)
from .outbox import outbox_queue
from .progress import evidence_check

Grader = QuarterSettings.PrincipalGrader
MAX_COMMENT = 500
MAX_SUMMARY = 3000
SETTINGS_FIELDS = (
    "window_days",
    "good_share",
    "principal_graded_by",
    "record_max_chars",
    "remind_days_before",
    "rules",
    "summary_from",
    "summary_until",
)


# --- the calendar -------------------------------------------------------------------------


def quarter_end(year: int, quarter: int) -> dt.date:
    month = 3 * quarter
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def settings_for(year: AssessmentYear) -> QuarterSettings:
    """The year's settings, or the defaults (unsaved) when the office has set none."""
    found = QuarterSettings.objects.filter(year=year).first()
    return found or QuarterSettings(year=year)


@dataclass(frozen=True)
class Window:
    quarter: int
    opens: dt.date  # the day after the quarter ends
    due: dt.date  # the last day on time

    def state(self, today: dt.date) -> str:
        if today < self.opens:
            return "not_open"
        return "open" if today <= self.due else "late"


def window(settings: QuarterSettings, quarter: int) -> Window:
    end = quarter_end(settings.year.year, quarter)
    return Window(
        quarter, end + dt.timedelta(days=1), end + dt.timedelta(days=settings.window_days)
    )


def summary_window(settings: QuarterSettings) -> tuple[dt.date, dt.date]:
    """When personal summaries may be written: the settings' dates, by default December to
    the end of January."""
    year = settings.year.year
    return (
        settings.summary_from or dt.date(year, 12, 1),
        settings.summary_until or dt.date(year + 1, 1, 31),
    )


@transaction.atomic
def quarter_settings_set(*, year: AssessmentYear, **data) -> QuarterSettings:
    instance = QuarterSettings.objects.filter(year=year).first() or QuarterSettings(year=year)
    model_update(instance=instance, data=data, fields=SETTINGS_FIELDS)
    return instance


# --- who grades whom ------------------------------------------------------------------------


def is_assessed(cadre: Cadre) -> bool:
    return cadre.is_active and cadre.unit.kind in ASSESSED_KINDS


def grader_cadre(user) -> Cadre | None:
    """The user's own cadre when it holds a grading duty: the principal leader of a unit."""
    cadre = getattr(user, "cadre", None) if user.is_authenticated else None
    if cadre is not None and cadre.is_principal and cadre.is_active:
        return cadre
    return None


def may_grade(user, record: QuarterRecord, settings: QuarterSettings) -> bool:
    """The unit's principal leader grades its other cadres; principal leaders are graded by
    the office (or the county leaders) whose scope holds the unit."""
    if record.cadre.is_principal:
        account = account_of(user)
        role = Role.OFFICE if settings.principal_graded_by == Grader.OFFICE else Role.LEADER
        return (
            account is not None
            and account.role == role
            and record.unit.path.startswith(account.unit.path)
        )
    principal = grader_cadre(user)
    return (
        principal is not None
        and principal.unit_id == record.unit_id
        and principal.pk != record.cadre_id
    )


def _length_check(settings: QuarterSettings, **parts: str) -> None:
    longest = settings.record_max_chars
    errors = {
        name: _("At most %(n)s characters (now %(len)s).") % {"n": longest, "len": len(text)}
        for name, text in parts.items()
        if len(text) > longest
    }
    if errors:
        raise ValidationError(errors)


# --- the record -----------------------------------------------------------------------------


@transaction.atomic
def quarter_record_write(
    *,
    year: AssessmentYear,
    cadre: Cadre,
    quarter: int,
    work_done: str,
    key_tasks: str = "",
    problems_plans: str = "",
    attachment=None,
    by,
    now: dt.datetime | None = None,
) -> QuarterRecord:
    """Write (or rewrite) the cadre's own record of a quarter."""
    if cadre.user_id != by.pk:
        raise ValidationError(_("Only the cadre writes their own quarterly record."))
    if not is_assessed(cadre):
        raise ValidationError(_("This cadre is not in the quarterly assessment."))
    if quarter not in (1, 2, 3, 4):
        raise ValidationError(_("Choose a quarter from 1 to 4."))
    if year.status not in (AssessmentYear.Status.IN_PROGRESS, AssessmentYear.Status.DRAFT):
        raise ValidationError(_("The year is closed: records cannot be written."))
    settings = settings_for(year)
    now = now or timezone.now()
    state = window(settings, quarter).state(timezone.localdate(now))
    if state == "not_open":
        raise ValidationError(
            _("The record of quarter %(q)s can be written from %(date)s.")
            % {"q": quarter, "date": cn_date(window(settings, quarter).opens)}
        )
    work_done, key_tasks, problems_plans = (
        work_done.strip(),
        key_tasks.strip(),
        problems_plans.strip(),
    )
    if not work_done:
        raise ValidationError({"work_done": _("Describe the work done in the quarter.")})
    _length_check(settings, work_done=work_done, key_tasks=key_tasks, problems_plans=problems_plans)
    record = (
        QuarterRecord.objects.select_for_update()
        .filter(year=year, cadre=cadre, quarter=quarter)
        .first()
    )
    if record is not None and record.confirmed_at:
        raise ValidationError(_("The quarter's grade is confirmed: the record cannot change."))
    record = record or QuarterRecord(year=year, cadre=cadre, quarter=quarter, unit=cadre.unit)
    record.work_done, record.key_tasks, record.problems_plans = work_done, key_tasks, problems_plans
    record.submitted_at, record.late = now, state == "late"
    if attachment is not None:
        record.attachment_type = evidence_check(attachment)
        record.attachment_name = os.path.basename(attachment.name or "")[:200]
        record.attachment.save(record.attachment_name, attachment, save=False)
    record.full_clean(validate_constraints=False)
    record.save()
    return record


def _audit(record: QuarterRecord, *, before: str, after: str, reason: str, by) -> None:
    change = QuarterGradeChange(record=record, before=before, after=after, reason=reason, by=by)
    change.full_clean()
    change.save()


@transaction.atomic
def quarter_grade(
    *, record: QuarterRecord, grade: str, comment: str = "", by, now: dt.datetime | None = None
) -> QuarterRecord:
    """The superior grades (or regrades, until confirmed) a cadre's quarter."""
    record = (
        QuarterRecord.objects.select_for_update()
        .select_related("cadre", "unit", "year")
        .get(pk=record.pk)
    )
    if not may_grade(by, record, settings_for(record.year)):
        raise ValidationError(_("You do not grade this cadre's quarters."))
    if record.confirmed_at:
        raise ValidationError(_("The quarter's grade is confirmed: it can change only on review."))
    if grade not in Level.values:
        raise ValidationError({"grade": _("Choose 好, 较好, 一般 or 较差.")})
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError({"comment": _("At most %(n)s characters.") % {"n": MAX_COMMENT}})
    if grade in (Level.AVERAGE, Level.POOR) and not comment:
        raise ValidationError({"comment": _("Say why the quarter is graded 一般 or 较差.")})
    before = record.grade
    record.grade, record.comment = grade, comment
    record.graded_by, record.graded_at = by, now or timezone.now()
    record.full_clean(validate_constraints=False)
    record.save(update_fields=["grade", "comment", "graded_by", "graded_at"])
    if before != grade:
        _audit(record, before=before, after=grade, reason=comment or _("Quarter graded"), by=by)
    return record


def good_cap(settings: QuarterSettings, assessed: int) -> int:
    """How many 好 a unit of ``assessed`` cadres may have in a quarter (rounded down)."""
    return math.floor(Decimal(settings.good_share) * assessed / 100)


def assessed_in(unit: Unit) -> int:
    return Cadre.objects.filter(unit=unit, is_active=True, unit__kind__in=ASSESSED_KINDS).count()


def _cap_check(settings: QuarterSettings, unit: Unit, quarter: int, goods: int) -> None:
    n = assessed_in(unit)
    cap = good_cap(settings, n)
    if goods > cap:
        raise ValidationError(
            _(
                "%(unit)s: %(goods)s cadres graded 好 in quarter %(q)s, more than the cap of "
                "%(cap)s (%(share)s%% of %(n)s). Nothing was confirmed."
            )
            % {
                "unit": unit.name,
                "goods": goods,
                "q": quarter,
                "cap": cap,
                "share": f"{settings.good_share:g}",
                "n": n,
            }
        )


@transaction.atomic
def quarter_confirm(
    *, year: AssessmentYear, unit: Unit, quarter: int, by, now: dt.datetime | None = None
) -> int:
    """Confirm the grades ``by`` gave in ``unit`` for ``quarter``; returns how many. Refused
    while a record ``by`` grades is ungraded, or when the unit would have more 好 than its cap
    (counting grades confirmed before, by anyone)."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)  # one confirmation at a time
    settings = settings_for(year)
    records = list(
        QuarterRecord.objects.select_for_update()
        .filter(year=year, unit=unit, quarter=quarter, confirmed_at__isnull=True)
        .select_related("cadre", "unit")
    )
    mine = [r for r in records if may_grade(by, r, settings)]
    if not mine:
        raise ValidationError(
            _("%(unit)s: no grades of yours wait for confirmation.") % {"unit": unit.name}
        )
    ungraded = [r.cadre.name for r in mine if not r.grade]
    if ungraded:
        raise ValidationError(
            _("%(unit)s: grade every record first (not yet graded: %(names)s).")
            % {"unit": unit.name, "names": "、".join(ungraded)}
        )
    confirmed_goods = QuarterRecord.objects.filter(
        year=year, unit=unit, quarter=quarter, confirmed_at__isnull=False, grade=Level.GOOD
    ).count()
    _cap_check(settings, unit, quarter, confirmed_goods + sum(r.grade == Level.GOOD for r in mine))
    at = now or timezone.now()
    QuarterRecord.objects.filter(pk__in=[r.pk for r in mine]).update(confirmed_at=at)
    return len(mine)


# --- review ---------------------------------------------------------------------------------


@transaction.atomic
def quarter_review_file(*, record: QuarterRecord, reasons: str, by) -> QuarterReview:
    """The cadre asks, once per quarter, for a review of a confirmed grade."""
    if record.cadre.user_id != by.pk:
        raise ValidationError(_("Only the cadre may ask for a review of their quarter."))
    if not record.confirmed_at:
        raise ValidationError(_("The quarter's grade is not confirmed yet."))
    reasons = reasons.strip()
    if not reasons:
        raise ValidationError({"reasons": _("Say why the grade should be reviewed.")})
    if len(reasons) > MAX_COMMENT:
        raise ValidationError({"reasons": _("At most %(n)s characters.") % {"n": MAX_COMMENT}})
    review = QuarterReview(record=record, reasons=reasons)
    review.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        raise ValidationError(_("A review of this quarter was already asked for.")) from None
    return review


@transaction.atomic
def quarter_review_answer(
    *, review: QuarterReview, answer: str, by, grade: str = "", now: dt.datetime | None = None
) -> QuarterReview:
    """The office answers a review, keeping or changing the grade (recorded; the 好 cap
    still holds)."""
    review = (
        QuarterReview.objects.select_for_update().select_related("record__year").get(pk=review.pk)
    )
    if review.answered_at:
        raise ValidationError(_("This review was already answered."))
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer to the cadre.")})
    record = review.record
    if grade and grade not in Level.values:
        raise ValidationError({"grade": _("Choose 好, 较好, 一般 or 较差.")})
    if grade and grade != record.grade:
        unit = Unit.objects.select_for_update().get(pk=record.unit_id)
        if grade == Level.GOOD:
            goods = QuarterRecord.objects.filter(
                year=record.year, unit=unit, quarter=record.quarter, confirmed_at__isnull=False,
                grade=Level.GOOD,
            ).count()  # fmt: skip
            _cap_check(settings_for(record.year), unit, record.quarter, goods + 1)
        _audit(record, before=record.grade, after=grade, reason=answer[:300], by=by)
        record.grade = grade
        record.save(update_fields=["grade"])
    review.answer, review.answered_by, review.answered_at = answer, by, now or timezone.now()
    review.save(update_fields=["answer", "answered_by", "answered_at"])
    return review


# --- into the annual grade ------------------------------------------------------------------


class QuarterCap(TypedDict):
    """Shaped as grading's ``Cap``: which rule, the best grade it allows, its explanation."""

    rule: str
    max: str
    text: str


@dataclass
class AnnualEffect:
    """What a cadre's quarters do to the annual grade: caps (as in grading's ``_caps``) and
    whether they rank first among equal composites."""

    caps: list[QuarterCap] = field(default_factory=list)
    first_among_equals: bool = False


def _q(quarters: list[int]) -> str:
    return "、".join(f"Q{q}" for q in sorted(quarters))


def _rules_2019(grades: dict[int, str]) -> AnnualEffect:
    effect = AnnualEffect()
    poor = [q for q, g in grades.items() if g == Level.POOR]
    average = [q for q, g in grades.items() if g == Level.AVERAGE]
    if poor:
        effect.caps.append(
            {
                "rule": "quarter_poor",
                "max": Grade.COMPETENT,
                "text": _("A quarter graded 较差 (%(q)s): not 优秀.") % {"q": _q(poor)},
            }
        )
    if len(average) >= 2:
        effect.caps.append(
            {
                "rule": "quarter_average",
                "max": Grade.COMPETENT,
                "text": _("Two or more quarters graded 一般 (%(q)s): not 优秀.")
                % {"q": _q(average)},
            }
        )
    if len(grades) == 4 and all(g == Level.GOOD for g in grades.values()):
        effect.first_among_equals = True
        effect.caps.append(
            {
                "rule": "quarter_all_good",
                "max": Grade.EXCELLENT,
                "text": _("好 in every quarter: ranked first among equal composites."),
            }
        )
    return effect


RULES = {QuarterSettings.Rules.V2019: _rules_2019}


def annual_effects(year: AssessmentYear, cadre_ids) -> dict[int, AnnualEffect]:
    """Per cadre with confirmed quarter grades in ``year``: the effect on the annual grade
    by the year's rules version (one query for the grades)."""
    rules = RULES[QuarterSettings.Rules(settings_for(year).rules)]
    grades: dict[int, dict[int, str]] = defaultdict(dict)
    for cadre_id, quarter, grade in QuarterRecord.objects.filter(
        year=year, cadre_id__in=list(cadre_ids), confirmed_at__isnull=False
    ).values_list("cadre_id", "quarter", "grade"):
        grades[cadre_id][quarter] = grade
    return {cadre_id: rules(g) for cadre_id, g in grades.items()}


# --- the personal summary -------------------------------------------------------------------


@transaction.atomic
def summary_write(
    *, year: AssessmentYear, cadre: Cadre, text: str, by, today: dt.date | None = None
) -> PersonalSummary:
    if cadre.user_id != by.pk:
        raise ValidationError(_("Only the cadre writes their own personal summary."))
    opens, closes = summary_window(settings_for(year))
    today = today or timezone.localdate()
    if not opens <= today <= closes:
        raise ValidationError(
            _("Personal summaries are written from %(opens)s to %(closes)s.")
            % {"opens": opens, "closes": closes}
        )
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the summary.")})
    if len(text) > MAX_SUMMARY:
        raise ValidationError({"text": _("At most %(n)s characters.") % {"n": MAX_SUMMARY}})
    summary = PersonalSummary.objects.filter(year=year, cadre=cadre).first()
    summary = summary or PersonalSummary(year=year, cadre=cadre)
    model_update(instance=summary, data={"text": text}, fields=["text"])
    return summary


# --- reminders --------------------------------------------------------------------------------


def _queue_reminder(
    *, year, unit, user, key: str, reason: str, subject: str, template: str, context
):
    name = user.get_full_name() or user.username
    return outbox_queue(
        kind=OutboxMessage.Kind.REMINDER, key=key, year=year, unit=unit,
        recipient_email=user.email, recipient_name=name, reason=reason, subject=subject,
        body_text=render_to_string(template, {**context, "name": name, "year": year}),
    )  # fmt: skip


def _cadre_reminders(year, settings, w: Window) -> list[OutboxMessage]:
    written = QuarterRecord.objects.filter(year=year, quarter=w.quarter, cadre=OuterRef("pk"))
    cadres = (
        Cadre.objects.filter(
            unit__path__startswith=year.county.path, unit__kind__in=ASSESSED_KINDS, is_active=True
        )
        .filter(~Exists(written), user__isnull=False)
        .exclude(user__email="")
        .select_related("unit", "user")
    )
    return [
        _queue_reminder(
            year=year, unit=c.unit, user=c.user, key=f"quarter:{year.pk}:{w.quarter}:write",
            reason=_("you are in the quarterly assessment of %(unit)s") % {"unit": c.unit.name},
            subject=_("Reminder: your work record of quarter %(q)s is due on %(date)s")
            % {"q": w.quarter, "date": f"{w.due.month}月{w.due.day}日"},
            template="emails/quarter_write.txt", context={"window": w},
        )
        for c in cadres
    ]  # fmt: skip


def _grader_reminders(year, settings, w: Window) -> list[OutboxMessage]:
    waiting = defaultdict(list)
    for record in QuarterRecord.objects.filter(
        year=year, quarter=w.quarter, grade=""
    ).select_related("cadre", "unit"):
        waiting[record.unit_id].append(record)
    principals = {
        c.unit_id: c
        for c in Cadre.objects.filter(unit__in=waiting, is_principal=True, is_active=True)
        .exclude(user=None).exclude(user__email="").select_related("user")
    }  # fmt: skip
    role = Role.OFFICE if settings.principal_graded_by == Grader.OFFICE else Role.LEADER
    staff = list(
        get_user_model()
        .objects.filter(
            account__role=role, account__unit__path__in=ancestor_paths(year.county.path)
        )
        .exclude(email="")
    )
    queued = []
    for unit_id, records in waiting.items():
        unit = records[0].unit
        principal = principals.get(unit_id)
        by_grader = (
            [(principal.user, [r for r in records if not r.cadre.is_principal])]
            if principal
            else []
        )
        by_grader += [(user, [r for r in records if r.cadre.is_principal]) for user in staff]
        for user, mine in by_grader:
            if not mine:
                continue
            queued.append(
                _queue_reminder(
                    year=year, unit=unit, user=user,
                    key=f"quarter:{year.pk}:{w.quarter}:grade:{unit.pk}",
                    reason=_("you grade quarters in %(unit)s") % {"unit": unit.name},
                    subject=_("Reminder: %(n)s quarterly records of %(unit)s wait for your grade")
                    % {"n": len(mine), "unit": unit.name},
                    template="emails/quarter_grade.txt",
                    context={"window": w, "unit": unit, "records": mine},
                )
            )  # fmt: skip
    return queued


@transaction.atomic
def quarterly_reminders(*, on: dt.date | None = None) -> list[OutboxMessage]:
    """Queue, once each (the outbox keeps one message per key and recipient): to cadres without
    a record, the year's ``remind_days_before`` days before it is due; to graders, the day after
    the window closes, when records wait for their grade."""
    on = on or timezone.localdate()
    queued: list[OutboxMessage] = []
    years = AssessmentYear.objects.filter(status=AssessmentYear.Status.IN_PROGRESS)
    for year in years.select_related("county"):
        queued += quarterly_reminders_year(year=year, on=on)
    return queued


@transaction.atomic
def quarterly_reminders_year(*, year: AssessmentYear, on: dt.date) -> list[OutboxMessage]:
    """One year's part of ``quarterly_reminders`` (a task per county calls it too)."""
    queued: list[OutboxMessage | None] = []
    settings = settings_for(year)
    for quarter in (1, 2, 3, 4):
        w = window(settings, quarter)
        if on >= w.opens and (w.due - on).days == settings.remind_days_before:
            queued += _cadre_reminders(year, settings, w)
        if on == w.due + dt.timedelta(days=1):
            queued += _grader_reminders(year, settings, w)
    return [m for m in queued if m is not None]
