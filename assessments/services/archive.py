"""Writes for the assessment archive: a leadership team's analysis report (班子分析研判报告)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import AssessmentYear, TeamAnalysis
from cadres.models import Unit
from cadres.scope import ancestor_paths


@transaction.atomic
def team_analysis_save(
    *,
    unit: Unit,
    year: AssessmentYear,
    by,
    written_on: dt.date,
    strengths: str,
    weaknesses: str = "",
    conclusion: str,
) -> TeamAnalysis:
    """Add the unit's team analysis report for ``year``, or replace the one already there
    (one per unit and year). The year must be one of the unit's county."""
    if year.county.path not in ancestor_paths(unit.path):
        raise ValidationError({"year": _("This assessment year is not the unit's county's.")})
    analysis = TeamAnalysis.objects.select_for_update().filter(
        unit=unit, year=year
    ).first() or TeamAnalysis(unit=unit, year=year)
    analysis.written_on = written_on
    analysis.strengths = strengths.strip()
    analysis.weaknesses = weaknesses.strip()
    analysis.conclusion = conclusion.strip()
    analysis.recorded_by = by
    analysis.full_clean()
    analysis.save()
    return analysis
