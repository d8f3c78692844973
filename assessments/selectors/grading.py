"""Reads for the annual results that pages outside the grading pages show."""

from __future__ import annotations

from django.db.models import QuerySet

from cadres.models import Cadre, Role, Unit
from cadres.scope import account_of, cadres_for, units_for

from ..models import (
    CadreResult,
    GradingPolicy,
    GradingPolicyVersion,
    ReviewRequest,
    UnitResult,
    UnitReviewRequest,
)
from .catalog import years_for


def results_for(user) -> QuerySet[CadreResult]:
    """The results of the cadres the user may open, with what their page shows. A cadre sees
    only their own, and only once published (on notice or locked): before publication their
    result does not exist for them (404), exactly as "my assessment" hides it."""
    results = CadreResult.objects.filter(cadre__in=cadres_for(user))
    account = account_of(user)
    if account is not None and account.role == Role.CADRE:
        results = results.filter(year__grading__stage__in=GradingPolicy.PUBLISHED)
    return results.select_related("year", "year__county", "cadre", "unit", "review")


def unit_results_for(user) -> QuerySet[UnitResult]:
    """The units' results of the years the user may see; a liaison sees their unit's once it is
    published (on notice or locked)."""
    results = UnitResult.objects.filter(year__in=years_for(user))
    account = account_of(user)
    if account is not None and account.role == Role.LIAISON:
        results = results.filter(
            unit__in=units_for(user), year__grading__stage__in=GradingPolicy.PUBLISHED
        )
    return results.select_related("year", "year__county", "unit", "review")


def published_results(cadre: Cadre) -> list[CadreResult]:
    """A cadre's annual results that have been published (on notice or locked), newest first,
    with what their rows show (year, stage, review)."""
    return list(
        CadreResult.objects.filter(cadre=cadre, year__grading__stage__in=GradingPolicy.PUBLISHED)
        .select_related("year", "year__grading", "review")
        .order_by("-year__year")
    )


def pending_reviews(year) -> dict[str, int]:
    """The year's review requests awaiting an answer: ``cadres``, ``units`` and ``total``."""
    pending = ReviewRequest.Outcome.PENDING
    cadres = ReviewRequest.objects.filter(result__year=year, outcome=pending).count()
    units = UnitReviewRequest.objects.filter(result__year=year, outcome=pending).count()
    return {"cadres": cadres, "units": units, "total": cadres + units}


def result_units(year) -> QuerySet[Unit]:
    """The units the year's cadres were assessed at (the results page's unit filter)."""
    return Unit.objects.filter(
        pk__in=CadreResult.objects.filter(year=year).values("unit_id")
    ).order_by("path")


def grading_policy_versions(policy: GradingPolicy | None) -> list[GradingPolicyVersion]:
    """The policy's versions, newest first, with who saved each (one query)."""
    if policy is None:
        return []
    return list(policy.versions.select_related("changed_by").order_by("-number"))
