"""A long job in the browser: with a worker that has not run it yet, the import preview's page
shows a progress bar that static/js/jobs.js polls (no inline script: the CSP holds); once the
worker has run the job, the page turns into the preview by itself."""

import threading

import pytest
from django.db import connection

from assessments.models import Job
from assessments.services.jobs import job_run
from kaohe.lib import queue
from tests.assessments.test_imports import units_file
from tests.e2e.browser import browser_page, log_in, shot, with_password
from tests.e2e.test_journeys import XLSX

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _worker(job_id: int) -> None:
    """What the Celery worker does, in a thread of its own (its own connection, closed)."""
    try:
        job_run(job_id=job_id)
    finally:
        connection.close()


def test_the_import_page_polls_until_the_worker_is_done(live_server, xx, monkeypatch):
    monkeypatch.setattr(queue, "enqueue", lambda task, *args: True)  # the broker took it
    with_password(xx.office)
    upload = units_file().read()
    problems = []
    with browser_page() as page:
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        log_in(page, live_server.url, xx.office.username)
        page.goto(f"{live_server.url}/assess/imports/")
        form = page.locator("form", has=page.locator("input[name=kind][value=units]"))
        form.locator("input[type=file]").set_input_files(
            files=[{"name": "units.xlsx", "mimeType": XLSX, "buffer": upload}]
        )
        form.locator("button[type=submit]").click()
        page.wait_for_selector("progress#job-progress")
        shot(page, "jobs-1-waiting")
        job_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
        worker = threading.Thread(target=_worker, args=(job_id,))
        worker.start()
        worker.join()
        page.wait_for_selector("#counts", timeout=10_000)  # the preview's table, by polling
        shot(page, "jobs-2-preview")
        preview = page.content()
    assert Job.objects.get(pk=job_id).status == "done"
    assert "XX-T2 城关镇" in preview
    assert not [p for p in problems if "Content Security Policy" in p], problems
