"""Writes for targets, milestones, responsibility letters, the mid-term review, decisions on
graded and manual indicators, and bonus awards. Each change to a score's input asks for the
year's scores to be recomputed."""

from __future__ import annotations

import datetime as dt
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
    scores_request_recompute(target.year)
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
    scores_request_recompute(year)
    return created


TARGET_EDITABLE = ("target_value", "measure", "deadline", "lead_department", "note")


@transaction.atomic
def target_update(*, target: Target, **fields) -> Target:
    year_require_open(target.year)
    model_update(instance=target, data=fields, fields=TARGET_EDITABLE, check=target_check)
    scores_request_recompute(target.year)
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
    decision = Decision.objects.filter(target=target).first() or Decision(target=target)
    decision.level = level if method == Method.LEVELS else ""
    decision.points = points if method == Method.MANUAL else None
    decision.reason = reason.strip()
    decision.decided_by = by
    decision.decided_at = timezone.now()
    decision.full_clean()
    decision.save()
    scores_request_recompute(target.year)
    return decision


@transaction.atomic
def midterm_set(
    *, year: AssessmentYear, unit: Unit, score: Decimal, reviewed_on: dt.date, note: str = ""
) -> MidtermReview:
    year_require_open(year)
    if not unit.path.startswith(year.county.path):
        raise ValidationError({"unit": _("The unit is not in this county.")})
    review = MidtermReview.objects.filter(year=year, unit=unit).first()
    review = review or MidtermReview(year=year, unit=unit)
    review.score, review.reviewed_on, review.note = score, reviewed_on, note
    review.full_clean()
    review.save()
    scores_request_recompute(year)
    return review


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
    if indicator.year_id != year.pk or indicator.method != Method.BONUS:
        raise ValidationError({"indicator": _("Choose a bonus indicator of this year.")})
    if not unit.path.startswith(year.county.path) or not indicator.applies_to(unit.kind):
        raise ValidationError({"unit": _("This bonus does not apply to that unit.")})
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
    award.save()
    scores_request_recompute(year)
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
