"""Long jobs on a real Celery worker: the request only records the job and hands it to Redis;
the worker runs it while the page polls its status; the result is there once it is over."""

import pytest
from django.urls import reverse

from assessments.models import Job
from cadres.models import Unit
from tests.assessments.test_imports import units_file

from .conftest import start_services, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _over(client, job_id: int) -> dict:
    status = {}

    def poll():
        status.update(client.get(reverse("assessments:job_status", args=[job_id])).json())
        return status["over"]

    wait_until(poll, timeout=60, what=lambda: f"job {job_id} over (status {status})")
    return status


def test_an_import_runs_on_the_worker_while_the_page_polls(request, settings, xx, client):
    worker = start_services(request, settings)
    client.force_login(xx.office)
    response = client.post(
        reverse("assessments:import_preview"), {"kind": "units", "file": units_file()}
    )
    job = Job.objects.get(kind="import_preview")
    assert response.url == reverse("assessments:job_detail", args=[job.pk])
    assert _over(client, job.pk)["status"] == "done"
    page = client.get(response.url)
    assert "XX-T2 城关镇" in page.content.decode()
    token = page.context["token"]
    assert token and not Unit.objects.filter(code="XX-T2").exists()

    response = client.post(reverse("assessments:import_confirm"), {"token": token})
    job = Job.objects.get(kind="import_confirm")
    assert _over(client, job.pk)["status"] == "done"
    assert client.get(response.url).context["done"]
    assert Unit.objects.filter(code__in=["XX-T2", "XX-G1"]).count() == 2
    log = worker.log_path.read_text(errors="replace")
    assert log.count("assessments.run_job[") >= 2, "the worker, not the request, ran the jobs"
