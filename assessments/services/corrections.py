"""Mistakes are mended, not hidden: the office corrects or withdraws an inspection, finding,
bonus award, decision, mid-term review or responsibility letter, with a reason, until the
year's results are published. Each change is an ``InputChange`` (who, when, why, before,
after) and asks for the year's scores to be recomputed."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import Cadre, Unit
from kaohe.lib.models import model_update

from ..models import (
    AssessmentYear,
    BonusAward,
    Decision,
    Finding,
    GradingPolicy,
    Indicator,
    InputChange,
    Inspection,
    MidtermReview,
    Rectification,
    ResponsibilityLetter,
)
from ..selectors.corrections import input_label, snapshot
from . import inspections as inspection_rules
from . import targets as target_rules
from .catalog import year_require_open
from .scoring import scores_request_recompute

Kind = InputChange.Kind
Action = InputChange.Action

# What a correction may change, per kind of input (and what its record shows).
INSPECTION_FIELDS = ("kind", "title", "held_on", "inspectors", "summary")
INSPECTION_M2M = ("units", "cadres")
FINDING_FIELDS = ("unit", "indicator", "points", "vetoes", "cadre", "description")
BONUS_FIELDS = ("unit", "indicator", "points", "reason", "awarded_on")
DECISION_FIELDS = ("level", "points", "reason")
MIDTERM_FIELDS = ("score", "reviewed_on", "note")
LETTER_FIELDS = (
    "title",
    "issuer",
    "issuer_signatory",
    "unit",
    "unit_signatory",
    "signed_on",
    "file",
)


# ---- the rules every correction shares ---------------------------------------------------------


def results_published(year: AssessmentYear) -> bool:
    """Whether the year's results are out: the year is published, or its grades are on
    notice or locked."""
    return (
        year.status == AssessmentYear.Status.PUBLISHED
        or GradingPolicy.objects.filter(year=year, stage__in=GradingPolicy.PUBLISHED).exists()
    )


def require_correctable(year: AssessmentYear) -> None:
    if results_published(year):
        raise ValidationError(
            _(
                "The %(year)s results are published: its inputs can no longer be corrected or "
                "withdrawn. A grade is changed only by a recorded grade correction."
            )
            % {"year": year.year}
        )
    year_require_open(year)  # a closed year is reopened before anything in it changes


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"why": _("Give the reason for the correction.")})
    return reason


def input_change_record(
    *,
    obj: Model,
    kind: str,
    year: AssessmentYear,
    units: Iterable[Unit],
    action: str,
    reason: str,
    before: dict[str, str],
    after: dict[str, str] | None,
    by,
) -> InputChange:
    """Record one correction or withdrawal (``after`` is None for a withdrawal)."""
    change = InputChange(
        year=year,
        kind=kind,
        object_id=obj.pk,
        label=input_label(obj)[:200],
        action=action,
        reason=reason,
        before=before,
        after=after or {},
        changed_at=timezone.now(),
        changed_by=by,
    )
    change.full_clean()
    change.save()
    change.units.set({u.pk for u in units})
    return change


def _changed(before: dict[str, str], after: dict[str, str]) -> None:
    if before == after:
        raise ValidationError(_("Nothing was changed: correct at least one field."))


def _correct(
    obj: Model,
    *,
    kind: str,
    year: AssessmentYear,
    fields: tuple[str, ...],
    data: dict[str, Any],
    why: str,
    by,
    check=None,
    units=(),
) -> InputChange:
    """Change the fields of ``obj`` and record it: the shared path of the simple inputs."""
    require_correctable(year)
    reason = _reason(why)
    before = snapshot(obj, fields)
    model_update(instance=obj, data=data, fields=fields, check=check)
    after = snapshot(obj, fields)
    _changed(before, after)
    change = input_change_record(
        obj=obj,
        kind=kind,
        year=year,
        units=units,
        action=Action.CORRECTED,
        reason=reason,
        before=before,
        after=after,
        by=by,
    )
    if kind != Kind.LETTER:  # a letter is a document: no score reads it
        scores_request_recompute(year, units=units)
    return change


def _withdraw(obj: Model, *, kind, year, fields, why, by, units) -> InputChange:
    require_correctable(year)
    reason = _reason(why)
    before = snapshot(obj, fields)
    change = input_change_record(
        obj=obj,
        kind=kind,
        year=year,
        units=units,
        action=Action.WITHDRAWN,
        reason=reason,
        before=before,
        after=None,
        by=by,
    )
    obj.delete()
    if kind != Kind.LETTER:
        scores_request_recompute(year, units=units)
    return change


# ---- inspections and findings ------------------------------------------------------------------


@transaction.atomic
def inspection_correct(
    *, inspection: Inspection, why: str, by, units, cadres=(), **fields
) -> InputChange:
    """Correct an inspection's record. A unit that has findings stays among the units checked
    (withdraw or correct its findings first)."""
    year = inspection.year
    require_correctable(year)
    units, cadres = list(units), list(cadres)
    inspection_rules.inspection_check_checked(year=year, units=units, cadres=cadres)
    found = Unit.objects.filter(findings__inspection=inspection).exclude(
        pk__in=[u.pk for u in units]
    )
    if found.exists():
        raise ValidationError(
            {
                "units": _("%(units)s have findings of this inspection: keep them checked.")
                % {"units": "、".join(found.distinct().values_list("name", flat=True))}
            }
        )
    names = (*INSPECTION_FIELDS, *INSPECTION_M2M)
    before = snapshot(inspection, names)
    old_units = list(inspection.units.all())
    model_update(instance=inspection, data=fields, fields=INSPECTION_FIELDS)
    inspection.units.set(units)
    inspection.cadres.set(cadres)
    after = snapshot(inspection, names)
    _changed(before, after)
    change = input_change_record(
        obj=inspection,
        kind=Kind.INSPECTION,
        year=year,
        units=[*old_units, *units],
        action=Action.CORRECTED,
        reason=_reason(why),
        before=before,
        after=after,
        by=by,
    )
    scores_request_recompute(year, units=[*old_units, *units])
    return change


def _finding_withdraw(finding: Finding, *, reason: str, by) -> InputChange:
    year = finding.inspection.year
    item = Rectification.objects.filter(finding=finding, status=Rectification.Status.OPEN)
    item.delete()  # an open item exists only because of the finding; a closed one is history
    return _withdraw(
        finding,
        kind=Kind.FINDING,
        year=year,
        fields=FINDING_FIELDS,
        why=reason,
        by=by,
        units=[finding.unit],
    )


@transaction.atomic
def inspection_withdraw(*, inspection: Inspection, why: str, by) -> InputChange:
    """Withdraw an inspection entered wrongly, with its findings (each recorded)."""
    year = inspection.year
    require_correctable(year)
    reason = _reason(why)
    for finding in inspection.findings.select_related("inspection__year", "unit", "indicator"):
        _finding_withdraw(finding, reason=reason, by=by)
    return _withdraw(
        inspection,
        kind=Kind.INSPECTION,
        year=year,
        fields=(*INSPECTION_FIELDS, *INSPECTION_M2M),
        why=reason,
        by=by,
        units=list(inspection.units.all()),
    )


@transaction.atomic
def finding_correct(
    *,
    finding: Finding,
    why: str,
    by,
    unit: Unit,
    description: str,
    indicator: Indicator | None = None,
    points: Decimal = Decimal(0),
    vetoes: bool = False,
    cadre: Cadre | None = None,
) -> InputChange:
    inspection = finding.inspection
    require_correctable(inspection.year)
    errors = inspection_rules.finding_errors(
        inspection=inspection,
        unit=unit,
        indicator=indicator,
        points=points,
        vetoes=vetoes,
        cadre=cadre,
    )
    if errors:
        raise ValidationError(errors)
    old_unit = finding.unit
    data = {
        "unit": unit,
        "indicator": indicator,
        "points": points,
        "vetoes": vetoes,
        "cadre": cadre,
        "description": description,
    }
    return _correct(
        finding,
        kind=Kind.FINDING,
        year=inspection.year,
        fields=FINDING_FIELDS,
        data=data,
        why=why,
        by=by,
        units=[old_unit, unit],
    )


@transaction.atomic
def finding_withdraw(*, finding: Finding, why: str, by) -> InputChange:
    require_correctable(finding.inspection.year)
    return _finding_withdraw(finding, reason=_reason(why), by=by)


# ---- bonus awards, decisions, mid-term reviews, letters ----------------------------------------


@transaction.atomic
def bonus_correct(*, award: BonusAward, why: str, by, **fields) -> InputChange:
    old_unit = award.unit
    return _correct(
        award,
        kind=Kind.BONUS,
        year=award.year,
        fields=BONUS_FIELDS,
        data=fields,
        why=why,
        by=by,
        check=target_rules.bonus_check,
        units=[old_unit, fields.get("unit", old_unit)],
    )


@transaction.atomic
def bonus_withdraw(*, award: BonusAward, why: str, by) -> InputChange:
    return _withdraw(
        award,
        kind=Kind.BONUS,
        year=award.year,
        fields=BONUS_FIELDS,
        why=why,
        by=by,
        units=[award.unit],
    )


@transaction.atomic
def decision_correct(
    *, decision: Decision, why: str, by, reason: str, level: str = "", points=None
) -> InputChange:
    target = decision.target
    target_rules.decision_check(target=target, level=level, points=points, reason=reason)
    method = target.indicator.method
    data = {
        "level": level if method == Indicator.Method.LEVELS else "",
        "points": points if method == Indicator.Method.MANUAL else None,
        "reason": reason.strip(),
    }
    return _correct(
        decision,
        kind=Kind.DECISION,
        year=target.year,
        fields=DECISION_FIELDS,
        data=data,
        why=why,
        by=by,
        units=[target.unit],
    )


@transaction.atomic
def decision_withdraw(*, decision: Decision, why: str, by) -> InputChange:
    target = decision.target
    return _withdraw(
        decision,
        kind=Kind.DECISION,
        year=target.year,
        fields=DECISION_FIELDS,
        why=why,
        by=by,
        units=[target.unit],
    )


@transaction.atomic
def midterm_correct(*, review: MidtermReview, why: str, by, **fields) -> InputChange:
    score = fields.get("score", review.score)
    if score is not None and not 0 <= score <= 100:
        raise ValidationError({"score": _("A review score runs from 0 to 100.")})
    return _correct(
        review,
        kind=Kind.MIDTERM,
        year=review.year,
        fields=MIDTERM_FIELDS,
        data=fields,
        why=why,
        by=by,
        units=[review.unit],
    )


@transaction.atomic
def midterm_withdraw(*, review: MidtermReview, why: str, by) -> InputChange:
    return _withdraw(
        review,
        kind=Kind.MIDTERM,
        year=review.year,
        fields=MIDTERM_FIELDS,
        why=why,
        by=by,
        units=[review.unit],
    )


def _letter_check(letter: ResponsibilityLetter) -> None:
    for unit in (letter.issuer, letter.unit):
        if not unit.path.startswith(letter.year.county.path):
            raise ValidationError({"unit": _("The unit is not in this county.")})


@transaction.atomic
def letter_correct(
    *, letter: ResponsibilityLetter, why: str, by, file=None, **fields
) -> InputChange:
    """Correct a letter's record; a new scan replaces the old one. A letter moved to another
    unit carries that unit's party-building targets."""
    old_unit = letter.unit
    if file:
        target_rules.evidence_check(file)
        fields["file"] = file
    change = _correct(
        letter,
        kind=Kind.LETTER,
        year=letter.year,
        fields=LETTER_FIELDS,
        data=fields,
        why=why,
        by=by,
        check=_letter_check,
        units=[old_unit, fields.get("unit", old_unit)],
    )
    if letter.unit_id != old_unit.pk:
        party = letter.year.targets.filter(unit=letter.unit, indicator__category="party")
        letter.targets.set(party)
    return change


@transaction.atomic
def letter_withdraw(*, letter: ResponsibilityLetter, why: str, by) -> InputChange:
    return _withdraw(
        letter,
        kind=Kind.LETTER,
        year=letter.year,
        fields=LETTER_FIELDS,
        why=why,
        by=by,
        units=[letter.unit],
    )
