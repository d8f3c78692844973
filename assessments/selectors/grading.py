"""Reads for the annual results that pages outside the grading pages show."""

from __future__ import annotations

from cadres.models import Cadre

from ..models import CadreResult, GradingPolicy


def published_results(cadre: Cadre) -> list[CadreResult]:
    """A cadre's annual results that have been published (on notice or locked), newest first,
    with what their rows show (year, stage, review)."""
    return list(
        CadreResult.objects.filter(cadre=cadre, year__grading__stage__in=GradingPolicy.PUBLISHED)
        .select_related("year", "year__grading", "review")
        .order_by("-year__year")
    )
