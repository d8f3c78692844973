"""The Celery task of the long jobs (``assessments.models.Job``): a thin entry point that calls
``services.jobs.job_run``. Registered by ``AssessmentsConfig.ready`` (web and worker alike),
queued by name from ``services.jobs.job_start``."""

from celery import shared_task

from .services.jobs import HARD_TIME_LIMIT, SOFT_TIME_LIMIT, job_run


@shared_task(
    name="assessments.run_job",
    acks_late=True,  # a worker killed mid-job: the task comes back (job_run takes it again)
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=HARD_TIME_LIMIT,
)
def run_job(job_id: int) -> None:
    """Run one job; it records its own success or failure (a rerun finds it taken)."""
    job_run(job_id=job_id)
