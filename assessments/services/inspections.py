"""The four checks: inspections, findings that adjust points or fail a veto, and
rectification items tracked to closure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cadres.models import Cadre, Unit
from kaohe.lib.cache import year_changed

from ..models import AssessmentYear, Finding, Indicator, Inspection, Rectification, Target
from .catalog import year_is_open
from .scoring import scores_request_recompute


def _require_editable(year: AssessmentYear) -> None:
    if not year_is_open(year):
        raise ValidationError(
            _("The %(year)s assessment is %(status)s: its inspections can no longer change.")
            % {"year": year.year, "status": year.get_status_display()}
        )


def inspection_check_checked(*, year: AssessmentYear, units: list[Unit], cadres: list[Cadre]):
    """The units and cadres an inspection checked: at least one unit, all in the county, the
    cadres of those units (for a new inspection and for its correction)."""
    if not units:
        raise ValidationError({"units": _("Choose at least one unit checked.")})
    if any(not u.path.startswith(year.county.path) for u in units):
        raise ValidationError({"units": _("The unit is not in this county.")})
    unit_paths = tuple(u.path for u in units)
    if any(not c.unit.path.startswith(unit_paths) for c in cadres):
        raise ValidationError({"cadres": _("The cadres checked must belong to the units checked.")})


@transaction.atomic
def inspection_create(
    *,
    year: AssessmentYear,
    kind: str,
    title: str,
    held_on: dt.date,
    inspectors: str,
    units,
    by,
    cadres=(),
    summary: str = "",
) -> Inspection:
    _require_editable(year)
    units, cadres = list(units), list(cadres)
    inspection_check_checked(year=year, units=units, cadres=cadres)
    inspection = Inspection(
        year=year,
        kind=kind,
        title=title,
        held_on=held_on,
        inspectors=inspectors,
        summary=summary,
        recorded_by=by,
    )
    inspection.full_clean()
    inspection.save()
    inspection.units.set(units)
    inspection.cadres.set(cadres)
    return inspection


def finding_errors(
    *,
    inspection: Inspection,
    unit: Unit,
    indicator: Indicator | None,
    points: Decimal,
    vetoes: bool,
    cadre: Cadre | None,
) -> dict[str, str]:
    """What is wrong with a finding at ``unit`` (field -> message; empty when nothing is),
    for a new finding and for its correction."""
    errors: dict[str, str] = {}
    if indicator is not None and indicator.year_id != inspection.year_id:
        errors["indicator"] = _("The indicator belongs to another year.")
    elif not inspection.units.filter(pk=unit.pk).exists():
        errors["unit"] = _("The unit was not checked by this inspection.")
    if indicator is not None and not Target.objects.filter(indicator=indicator, unit=unit).exists():
        errors["indicator"] = _("The unit has no target on this indicator.")
    if (points or vetoes) and indicator is None:
        errors["indicator"] = _("Points and vetoes need the indicator they apply to.")
    if vetoes and indicator is not None and not indicator.is_veto:
        errors["vetoes"] = _("%(indicator)s is not a one-vote-veto indicator.") % {
            "indicator": indicator.name
        }
    if cadre is not None and cadre.unit_id != unit.pk:
        errors["cadre"] = _("The cadre does not belong to that unit.")
    return errors


@transaction.atomic
def finding_add(
    *,
    inspection: Inspection,
    unit: Unit,
    description: str,
    indicator: Indicator | None = None,
    points: Decimal = Decimal(0),
    vetoes: bool = False,
    cadre: Cadre | None = None,
    rectify: str = "",
    rectify_by: dt.date | None = None,
) -> Finding:
    """Record a finding at a unit. Points adjust the unit's indicator (the score stays within
    [0, max]); ``vetoes`` fails a veto indicator; ``rectify`` opens a rectification item."""
    _require_editable(inspection.year)
    errors = finding_errors(
        inspection=inspection,
        unit=unit,
        indicator=indicator,
        points=points,
        vetoes=vetoes,
        cadre=cadre,
    )
    if bool(rectify.strip()) != bool(rectify_by):
        errors["rectify_by"] = _("A rectification needs both what to rectify and a deadline.")
    if errors:
        raise ValidationError(errors)
    finding = Finding(
        inspection=inspection,
        unit=unit,
        indicator=indicator,
        points=points,
        vetoes=vetoes,
        cadre=cadre,
        description=description,
    )
    finding.full_clean()
    finding.save()
    # Checked above: what to rectify and its deadline come together.
    if rectify.strip() and rectify_by is not None:
        item = Rectification(
            year=inspection.year,
            unit=unit,
            finding=finding,
            description=rectify.strip(),
            deadline=rectify_by,
        )
        item.full_clean()
        item.save()
    if indicator is not None:
        scores_request_recompute(inspection.year, units=[unit])
    return finding


@transaction.atomic
def rectification_close(*, item: Rectification, closed_on: dt.date, note: str, by) -> Rectification:
    item = Rectification.objects.select_for_update().get(pk=item.pk)
    if item.status == Rectification.Status.CLOSED:
        raise ValidationError(_("The item is already closed."))
    if not note.strip():
        raise ValidationError({"closing_note": _("Record how the item was put right.")})
    item.status = Rectification.Status.CLOSED
    item.closed_on, item.closing_note, item.closed_by = closed_on, note.strip(), by
    item.full_clean()
    item.save()
    year_changed(item.year_id)  # the dashboard's rectification figures
    return item
