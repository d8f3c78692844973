"""Celery tasks: thin entry points that call services."""

from celery import shared_task

from .models import AssessmentYear
from .services.scoring import scores_compute


@shared_task(
    name="assessments.recompute_scores",
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=300,
    time_limit=360,
)
def recompute_scores(year_id: int) -> int:
    """Recompute a year's unit scores; returns the number of units scored."""
    year = AssessmentYear.objects.filter(pk=year_id).first()
    if year is None:
        return 0
    return len(scores_compute(year=year))
