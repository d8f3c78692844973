"""Reads for the job pages: a user's own jobs, and a job's live progress."""

from django.core.cache import cache
from django.db.models import QuerySet

from ..models import Job


def progress_key(job_id: int) -> str:
    """The cache key of a running job's (done, total)."""
    return f"kaohe:job:{job_id}:progress"


def jobs_for(user) -> QuerySet[Job]:
    """The jobs ``user`` started: nobody else's (another user's job answers 404)."""
    return Job.objects.filter(owner=user)


def job_status(job: Job) -> dict:
    """What the polling page shows: status, progress and the message. A running job's
    progress comes from the cache (``services.jobs``), the rest from its row: one query to
    read the row, none here."""
    done, total = job.done, job.total
    if job.status == Job.Status.RUNNING:
        done, total = cache.get(progress_key(job.pk)) or (done, total)
    percent = 100 if job.status == Job.Status.DONE else (done * 100 // total if total else 0)
    return {
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "done": done,
        "total": total,
        "percent": min(percent, 100),
        "over": job.over,
        "message": job.message,
    }
