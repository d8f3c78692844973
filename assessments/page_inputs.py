"""What the cached dashboard and progress overview are computed from (``kaohe.lib.cache``):
a save or delete of any of these rows forgets the cached pages of its year.

The services call ``year_changed`` where they change these rows (and where they change them
with ``update()``, which sends no signal); these receivers catch the writes a service does not
name (a target's value, a weight, a warning closed, a year's thresholds), so a page never
shows figures older than its inputs. They read no rows: a row whose year is not on it
(a milestone, a report, a finding) names it through the object it was saved with.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from kaohe.lib.cache import year_changed

from .models import (
    AssessmentYear,
    CategoryWeights,
    EarlyWarning,
    Finding,
    Indicator,
    Inspection,
    Milestone,
    ProgressReport,
    Rectification,
    Target,
    UnitScore,
)

WITH_YEAR = (CategoryWeights, EarlyWarning, Indicator, Inspection, Rectification, Target, UnitScore)
THROUGH = {Milestone: "target", ProgressReport: "target", Finding: "inspection"}


def year_of(instance) -> int | None:
    """The pk of the year ``instance`` belongs to, if it can tell without a query."""
    if isinstance(instance, AssessmentYear):
        return instance.pk
    if isinstance(instance, WITH_YEAR):
        return instance.year_id
    related = instance._state.fields_cache.get(THROUGH[type(instance)])
    return getattr(related, "year_id", None)


def _changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata
        return
    if (year_id := year_of(instance)) is not None:
        year_changed(year_id)


def connect() -> None:
    for model in (AssessmentYear, *WITH_YEAR, *THROUGH):
        uid = f"kaohe-page-inputs-{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + "-delete")
