"""Rows of the permission matrix: a long job's page, its status and its file.

Only the user who started a job sees it; everyone else gets 404, office staff included (the
world's job is the office user's; tests/assessments/test_jobs.py checks another office user)."""

from django.core.files.base import ContentFile

from assessments.models import Job

OWNER_ONLY = {"office": 200, "leader": 404, "liaison": 404, "cadre": 404}

ROWS = {
    "assessments:job_detail": ("get", "job", OWNER_ONLY, {}),
    "assessments:job_status": ("get", "job", OWNER_ONLY, {}),
    "assessments:job_download": ("get", "job", OWNER_ONLY, {}),
}


def objects(world):
    job = Job(
        kind=Job.Kind.SCORECARDS_EXPORT,
        owner=world["users"]["office"],
        params={"year": world["year"].pk},
        status=Job.Status.DONE,
        done=1,
        total=1,
        outcome={"download": True},
        result_name="scorecards.xlsx",
    )
    job.result.save("matrix.xlsx", ContentFile(b"PK matrix"), save=False)
    job.save()
    return {"job": job}
