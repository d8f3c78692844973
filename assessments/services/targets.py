"""Writes for targets, milestones, responsibility letters, the mid-term review, decisions on
graded and manual indicators, and bonus awards. Each change to a score's input asks for the
year's scores to be recomputed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import Unit
from kaohe.lib.models import model_update

from ..models import (
    AssessmentYear,
    BonusAward,
    Category,
    Decision,
    Indicator,
    MidtermReview,
    Milestone,
    ResponsibilityLetter,
    Target,
)
from ..selectors.corrections import snapshot
from . import corrections
from .catalog import year_require_open
from .progress import evidence_check
from .scoring import scores_request_recompute

Method = Indicator.Method


def target_check(target: Target) -> None:
    """The rules of a target beyond its fields (also applied by the Excel import)."""
    indicator, unit, year = target.indicator, target.unit, target.year
    errors = {}
    if indicator.year_id != year.pk:
        errors["indicator"] = _("The indicator belongs to another year.")
    elif indicator.children.exists():
        errors["indicator"] = _("Assign a leaf indicator, not a group.")
    elif indicator.category == Category.BONUS:
        errors["indicator"] = _("Bonus indicators are awarded, not assigned as targets.")
    elif not indicator.applies_to(unit.kind):
        errors["unit"] = _("%(indicator)s does not apply to a %(kind)s.") % {
            "indicator": indicator.name,
            "kind": unit.get_kind_display(),
        }
    if not unit.path.startswith(year.county.path):
        errors["unit"] = _("The unit is not in this county.")
    if indicator.method == Method.RATIO and not target.target_value:
        errors["target_value"] = _("A completion-ratio indicator needs a target value.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def target_assign(
    *,
    indicator: Indicator,
    unit: Unit,
    target_value: Decimal | None = None,
    measure: str = "",
    deadline: dt.date | None = None,
    lead_department: Unit | None = None,
    note: str = "",
) -> Target:
    """Assign one indicator to one unit. The lead assessing department defaults to the
    indicator's."""
    year_require_open(indicator.year)
    target = Target(
        year=indicator.year,
        indicator=indicator,
        unit=unit,
        target_value=target_value,
        measure=measure,
        deadline=deadline,
        lead_department=lead_department or indicator.lead_department,
        note=note,
    )
    target.full_clean()
    target_check(target)
    target.save()
    scores_request_recompute(target.year, units=[target.unit_id])
    return target


@transaction.atomic
def targets_assign_bulk(
    *,
    indicator: Indicator,
    unit_kind: str,
    target_value: Decimal | None = None,
    measure: str = "",
    deadline: dt.date | None = None,
) -> list[Target]:
    """Assign an indicator to every unit of a kind in the county that does not have it yet."""
    year = year_require_open(indicator.year)
    units = Unit.objects.filter(
        kind=unit_kind, path__startswith=year.county.path, dissolved_on__isnull=True
    ).exclude(targets__indicator=indicator)
    created = []
    for unit in units:
        target = Target(
            year=year,
            indicator=indicator,
            unit=unit,
            target_value=target_value,
            measure=measure,
            deadline=deadline,
            lead_department=indicator.lead_department,
        )
        target_check(target)
        created.append(target)
    Target.objects.bulk_create(created)
    scores_request_recompute(year, units=[t.unit_id for t in created])
    return created


@dataclass(frozen=True)
class GridRow:
    """One unit's line of the assignment grid: assign it (or keep its target) with a value."""

    unit: Unit
    assign: bool
    target_value: Decimal | None


@transaction.atomic
def targets_assign_grid(
    *,
    indicator: Indicator,
    rows: list[GridRow],
    measure: str = "",
    deadline: dt.date | None = None,
) -> tuple[int, int]:
    """Assign an indicator to many units at once, each with its own target value, by the rules
    of ``target_assign``; a unit that has the target already gets its value changed. Each
    unit's problems are collected under its id; any problem and nothing is saved. Returns
    (assigned, changed)."""
    year = indicator.year
    if not year.is_editable:
        raise ValidationError(
            _("The %(year)s targets can no longer change: the year is %(status)s.")
            % {"year": year.year, "status": year.get_status_display()}
        )
    existing = {t.unit_id: t for t in Target.objects.filter(indicator=indicator)}
    errors: dict[str, list[str]] = {}
    assigned = changed = 0
    for row in rows:
        target = existing.get(row.unit.pk)
        if target is None and not row.assign and row.target_value is None:
            continue
        try:
            with transaction.atomic():
                if target is None:
                    target_assign(
                        indicator=indicator,
                        unit=row.unit,
                        target_value=row.target_value,
                        measure=measure,
                        deadline=deadline,
                    )
                    assigned += 1
                elif target.target_value != row.target_value:
                    target_update(target=target, target_value=row.target_value)
                    changed += 1
        except ValidationError as error:
            errors[str(row.unit.pk)] = error.messages
    if errors:
        raise ValidationError(errors)
    return assigned, changed


TARGET_EDITABLE = ("target_value", "measure", "deadline", "lead_department", "note")


@transaction.atomic
def target_update(*, target: Target, **fields) -> Target:
    year_require_open(target.year)
    model_update(instance=target, data=fields, fields=TARGET_EDITABLE, check=target_check)
    scores_request_recompute(target.year, units=[target.unit_id])
    return target


def milestones_check(planned: dict[int, Decimal | None]) -> dict[int, Decimal]:
    """The milestones that are set, checked: months 1 to 12, cumulative (never decreasing),
    never negative (also applied by the Excel import)."""
    values = {m: v for m, v in planned.items() if v is not None}
    if any(not 1 <= m <= 12 for m in values):
        raise ValidationError(_("Months run from 1 to 12."))
    ordered = [values[m] for m in sorted(values)]
    if any(b < a for a, b in zip(ordered, ordered[1:], strict=False)):
        raise ValidationError(_("Milestones are cumulative and cannot decrease."))
    if any(v < 0 for v in ordered):
        raise ValidationError(_("Milestones cannot be negative."))
    return values


@transaction.atomic
def milestones_set(*, target: Target, planned: dict[int, Decimal | None]) -> list[Milestone]:
    """Replace the target's monthly milestones ({month: cumulative value}; None drops a month).
    Milestones may not decrease from one month to the next."""
    year_require_open(target.year)
    values = milestones_check(planned)
    target.milestones.all().delete()
    return Milestone.objects.bulk_create(
        Milestone(target=target, month=m, planned_value=v) for m, v in sorted(values.items())
    )


def decision_check(*, target: Target, level: str, points: Decimal | None, reason: str) -> None:
    """A decision's rules: a level on a graded-level indicator, points within [0, max] on a
    manual one, always a reason (for a decision and for its correction)."""
    method = target.indicator.method
    if method == Method.LEVELS and not level:
        raise ValidationError({"level": _("Choose a level.")})
    if method == Method.MANUAL:
        if points is None:
            raise ValidationError({"points": _("Enter the points.")})
        if not 0 <= points <= target.indicator.max_points:
            raise ValidationError(
                {
                    "points": _("Points must be between 0 and %(max)s.")
                    % {"max": target.indicator.max_points}
                }
            )
    if method not in (Method.LEVELS, Method.MANUAL):
        raise ValidationError(
            _("%(method)s indicators are not scored by a decision.")
            % {"method": target.indicator.get_method_display()}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})


@transaction.atomic
def decision_set(
    *,
    target: Target,
    reason: str,
    by,
    level: str = "",
    points: Decimal | None = None,
) -> Decision:
    """The reviewer's level (graded-level indicator) or points (manual) on a target."""
    year_require_open(target.year)
    decision_check(target=target, level=level, points=points, reason=reason)
    method = target.indicator.method
    existing = Decision.objects.filter(target=target).select_related("target__year").first()
    if existing is not None:  # deciding again is a correction: recorded, the reason its why
        same = (existing.level, existing.points, existing.reason) == (
            level if method == Method.LEVELS else "",
            points if method == Method.MANUAL else None,
            reason.strip(),
        )
        if not same:
            corrections.decision_correct(
                decision=existing, why=reason, by=by, reason=reason, level=level, points=points
            )
        return existing
    decision = Decision(target=target)
    decision.level = level if method == Method.LEVELS else ""
    decision.points = points if method == Method.MANUAL else None
    decision.reason = reason.strip()
    decision.decided_by = by
    decision.decided_at = timezone.now()
    decision.full_clean()
    decision.save()
    scores_request_recompute(target.year, units=[target.unit_id])
    return decision


def _midterm_differs(review: MidtermReview, data: dict) -> bool:
    """Whether ``data`` would change the review as its record shows it (85 and 85.00 agree)."""
    wanted = MidtermReview(year=review.year, unit=review.unit, **data)
    return snapshot(review, data) != snapshot(wanted, data)


@transaction.atomic
def midterm_set(
    *,
    year: AssessmentYear,
    unit: Unit,
    score: Decimal,
    reviewed_on: dt.date,
    note: str = "",
    why: str = "",
    by=None,
) -> MidtermReview:
    """The unit's mid-term review score. Changing a score already entered is a correction:
    it needs ``why`` and ``by`` and is recorded."""
    year_require_open(year)
    if not unit.path.startswith(year.county.path):
        raise ValidationError({"unit": _("The unit is not in this county.")})
    if not 0 <= score <= 100:
        raise ValidationError({"score": _("A review score runs from 0 to 100.")})
    review = MidtermReview.objects.filter(year=year, unit=unit).first()
    if review is not None:
        data = {"score": score, "reviewed_on": reviewed_on, "note": note}
        if _midterm_differs(review, data):
            corrections.midterm_correct(review=review, why=why, by=by, **data)
        return review
    review = MidtermReview(year=year, unit=unit)
    review.score, review.reviewed_on, review.note = score, reviewed_on, note
    review.full_clean()
    review.save()
    scores_request_recompute(year, units=[unit])
    return review


@dataclass(frozen=True)
class MidtermRow:
    """One unit's line of the mid-term sheet (``score`` None: left as it is)."""

    unit: Unit
    score: Decimal | None
    reviewed_on: dt.date | None
    note: str = ""


@transaction.atomic
def midterms_set(*, year: AssessmentYear, rows: list[MidtermRow], by, why: str = "") -> int:
    """Every unit's mid-term review score in one save, by the rules of ``midterm_set``; a
    score already entered changes only with ``why`` (a recorded correction). Each unit's
    problems are collected under its id; any problem and nothing is saved. Returns how many
    reviews were entered or changed."""
    corrections.require_correctable(year)
    errors: dict[str, list[str]] = {}
    existing = {r.unit_id: r for r in MidtermReview.objects.filter(year=year)}
    count = 0
    for row in rows:
        if row.score is None:
            continue
        review = existing.get(row.unit.pk)
        data = {"score": row.score, "reviewed_on": row.reviewed_on, "note": row.note}
        if review is not None and not _midterm_differs(review, data):
            continue
        try:
            with transaction.atomic():
                if row.reviewed_on is None:
                    raise ValidationError({"reviewed_on": _("Enter the date of the review.")})
                midterm_set(
                    year=year,
                    unit=row.unit,
                    score=row.score,
                    reviewed_on=row.reviewed_on,
                    note=row.note,
                    why=why,
                    by=by,
                )
        except ValidationError as error:
            errors[str(row.unit.pk)] = error.messages
        else:
            count += 1
    if errors:
        raise ValidationError(errors)
    return count


def bonus_check(award: BonusAward) -> None:
    """A bonus award's rules: a bonus indicator of its year that applies to the unit."""
    year, unit, indicator = award.year, award.unit, award.indicator
    if indicator.year_id != year.pk or indicator.method != Method.BONUS:
        raise ValidationError({"indicator": _("Choose a bonus indicator of this year.")})
    if not unit.path.startswith(year.county.path) or not indicator.applies_to(unit.kind):
        raise ValidationError({"unit": _("This bonus does not apply to that unit.")})


@transaction.atomic
def bonus_award(
    *,
    year: AssessmentYear,
    unit: Unit,
    indicator: Indicator,
    points: Decimal,
    reason: str,
    awarded_on: dt.date,
    by,
) -> BonusAward:
    year_require_open(year)
    award = BonusAward(
        year=year,
        unit=unit,
        indicator=indicator,
        points=points,
        reason=reason,
        awarded_on=awarded_on,
        recorded_by=by,
    )
    award.full_clean()
    bonus_check(award)
    award.save()
    scores_request_recompute(year, units=[award.unit_id])
    return award


@transaction.atomic
def letter_create(
    *,
    year: AssessmentYear,
    title: str,
    issuer: Unit,
    issuer_signatory: str,
    unit: Unit,
    unit_signatory: str,
    signed_on: dt.date,
    file=None,
    targets=(),
) -> ResponsibilityLetter:
    year_require_open(year)
    for u in (issuer, unit):
        if not u.path.startswith(year.county.path):
            raise ValidationError({"unit": _("The unit is not in this county.")})
    letter = ResponsibilityLetter(
        year=year,
        title=title,
        issuer=issuer,
        issuer_signatory=issuer_signatory,
        unit=unit,
        unit_signatory=unit_signatory,
        signed_on=signed_on,
    )
    if file:
        evidence_check(file)
        letter.file = file
    letter.full_clean()
    letter.save()
    targets = list(targets)
    if any(t.unit_id != unit.pk or t.year_id != year.pk for t in targets):
        raise ValidationError({"targets": _("A letter carries only the unit's own targets.")})
    letter.targets.set(targets)
    return letter
