"""Long jobs (assessments.models.Job): they leave the request, report their progress, end done
or failed with a message for the user, and only their owner sees them."""

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Job
from assessments.services import jobs as job_services
from assessments.services.bulletins import bulletin_build, bulletin_publish
from cadres.models import Role
from kaohe.lib import queue
from tests.assessments.test_exports import open_year, score_county, workbook
from tests.assessments.test_imports import UNIT_HEADERS, run, where, xlsx
from tests.factories import CadreFactory, make_user


def _status(client, job) -> dict:
    response = client.get(reverse("assessments:job_status", args=[job.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    return response.json()


@pytest.fixture
def scored(xx):
    year = open_year(xx)
    score_county(xx, year, 3)
    return year


@pytest.fixture
def broker_took_it(monkeypatch):
    """A broker that accepts the task and a worker that has not run it yet."""
    sent = []
    monkeypatch.setattr(queue, "enqueue", lambda task, *args: sent.append((task, args)) or True)
    return sent


def test_a_job_goes_queued_running_done_and_its_page_follows_it(
    client, xx, scored, broker_took_it, monkeypatch
):
    client.force_login(xx.office)
    response = client.post(reverse("assessments:scorecards_xlsx", args=[scored.pk]))
    job = Job.objects.get()
    assert response.url == reverse("assessments:job_detail", args=[job.pk])
    assert broker_took_it == [("assessments.run_job", (job.pk,))]
    assert _status(client, job) | {"status_label": ""} == {
        "status": "queued",
        "status_label": "",
        "done": 0,
        "total": 0,
        "percent": 0,
        "over": False,
        "message": "",
    }
    page = client.get(response.url).content.decode()
    assert '<progress class="w-100" id="job-progress" max="100" value="0">' in page
    assert "js/jobs.js" in page
    assert f'data-status-url="{reverse("assessments:job_status", args=[job.pk])}"' in page

    seen = []
    real = job_services._progress

    def watched(job):
        report = real(job)

        def observe(done, total=None):
            report(done, total)
            seen.append(_status(client, job))

        return observe

    monkeypatch.setattr(job_services, "_progress", watched)
    job_services.job_run(job_id=job.pk)  # what the worker does
    assert [(s["status"], s["done"], s["total"]) for s in seen] == [
        ("running", 0, 4),
        ("running", 1, 4),
        ("running", 2, 4),
        ("running", 3, 4),
    ]
    assert [s["percent"] for s in seen] == [0, 25, 50, 75]
    status = _status(client, job)
    assert (status["status"], status["percent"], status["over"]) == ("done", 100, True)
    job.refresh_from_db()
    assert job.started_at <= job.finished_at
    page = client.get(response.url).content.decode()
    assert "<progress" not in page
    assert reverse("assessments:job_download", args=[job.pk]) in page
    # A redelivered task finds the job taken and does nothing.
    job_services.job_run(job_id=job.pk)
    assert Job.objects.get().finished_at == job.finished_at


def test_without_a_broker_the_job_runs_in_the_request_and_the_file_downloads(client, xx, scored):
    client.force_login(xx.office)
    page = client.post(reverse("assessments:scorecards_xlsx", args=[scored.pk]), follow=True)
    job = page.context["job"]
    assert job.status == "done"
    response = client.get(reverse("assessments:job_download", args=[job.pk]))
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert len(workbook(response).sheetnames) == 3
    assert job.result.name.startswith("jobs/")  # under MEDIA_ROOT, which no URL serves


def test_when_the_broker_refuses_the_job_runs_in_the_request(client, xx, scored, monkeypatch):
    monkeypatch.setattr(queue, "enqueue", lambda task, *args: False)
    client.force_login(xx.office)
    client.post(reverse("assessments:scorecards_xlsx", args=[scored.pk]))
    assert Job.objects.get().status == "done"


def test_an_unexpected_error_fails_the_job_with_a_plain_message_and_no_traceback(
    client, xx, scored, monkeypatch, caplog
):
    def broken(year, cards):
        raise RuntimeError("secret internals at line 42")

    monkeypatch.setattr("assessments.reports.scorecard.year_sheets", broken)
    client.force_login(xx.office)
    page = client.post(reverse("assessments:scorecards_xlsx", args=[scored.pk]), follow=True)
    job = Job.objects.get()
    assert job.status == "failed"
    expected = _(
        "The job stopped on an unexpected error and what it was doing was not kept. Try "
        "again; if it fails again, tell the system administrator (job no. %(id)s)."
    ) % {"id": job.pk}
    assert job.message == expected
    text = page.content.decode()
    assert expected in text
    assert "secret internals" not in text and "Traceback" not in text
    assert "secret internals" in caplog.text  # the log has it
    assert _status(client, job)["message"] == expected
    assert client.get(reverse("assessments:job_download", args=[job.pk])).status_code == 404


def test_a_publication_job_comes_back_to_the_bulletin_with_its_outcome(client, xx, scored):
    bulletin = bulletin_build(year=scored, month=3)
    client.force_login(xx.office)
    response = client.post(reverse("assessments:bulletin_publish", args=[bulletin.pk]), follow=True)
    job = Job.objects.get()
    detail = reverse("assessments:bulletin_detail", args=[bulletin.pk])
    assert [url for url, _code in response.redirect_chain] == [
        reverse("assessments:job_detail", args=[job.pk]),
        detail,
    ]
    bulletin.refresh_from_db()
    assert bulletin.status == "published" and bulletin.published_by == xx.office
    notice = _("Published. %(count)s emails are queued; their delivery is listed below.") % {
        "count": job.outcome["count"]
    }
    assert notice in response.content.decode()


def test_a_refused_publication_comes_back_to_the_bulletin_with_the_reason(client, xx, scored):
    bulletin = bulletin_build(year=scored, month=3)
    bulletin_publish(bulletin=bulletin, by=xx.office)  # published already: a second is refused
    client.force_login(xx.office)
    response = client.post(reverse("assessments:bulletin_publish", args=[bulletin.pk]), follow=True)
    job = Job.objects.get()
    assert job.status == "failed" and job.message
    assert response.redirect_chain[-1][0] == reverse(
        "assessments:bulletin_detail", args=[bulletin.pk]
    )
    assert job.message in response.content.decode()


def test_only_the_owner_sees_a_job_its_status_and_its_file(client, xx, pq, scored):
    client.force_login(xx.office)
    client.post(reverse("assessments:scorecards_xlsx", args=[scored.pk]))
    job = Job.objects.get()
    names = ("job_detail", "job_status", "job_download")
    urls = [reverse(f"assessments:{name}", args=[job.pk]) for name in names]
    for url in urls:
        assert client.get(url).status_code == 200, url
    colleague = make_user(Role.OFFICE, xx.county, username="office-2")
    for user in (colleague, xx.leader, pq.office):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)


def test_the_status_endpoint_costs_the_same_queries_queued_running_and_done(
    client, xx, scored, broker_took_it, django_assert_num_queries
):
    client.force_login(xx.office)
    client.post(reverse("assessments:scorecards_xlsx", args=[scored.pk]))
    job = Job.objects.get()
    url = reverse("assessments:job_status", args=[job.pk])
    with django_assert_num_queries(4):  # session, user, account (middleware), the job
        client.get(url)
    Job.objects.filter(pk=job.pk).update(status="running")
    job_services._progress(job)(5, 10)
    with django_assert_num_queries(4):
        assert client.get(url).json()["percent"] == 50
    Job.objects.filter(pk=job.pk).update(status="queued")
    job_services.job_run(job_id=job.pk)
    with django_assert_num_queries(4):
        assert client.get(url).json()["status"] == "done"


# -- Imports through jobs ------------------------------------------------------------------------


def test_an_import_preview_job_shows_the_same_problems_as_the_import_itself(client, xx):
    rows = [
        UNIT_HEADERS,
        ["XX-N1", "甲", "", "村", "XX", 0, None],
        ["XX-N2", "", "", "乡镇", "XX-NONE", "x", None],
    ]
    direct = run("units", xlsx({"单位": rows}), xx.office, commit=False)
    assert len(direct.problems) >= 3
    client.force_login(xx.office)
    page = client.post(
        reverse("assessments:import_preview"),
        {"kind": "units", "file": xlsx({"单位": rows})},
        follow=True,
    )
    job = Job.objects.get(kind="import_preview")
    assert page.redirect_chain == [(reverse("assessments:job_detail", args=[job.pk]), 302)]
    assert page.context["problems"] == direct.problems
    assert where(page.context["result"]) == where(direct)
    text = page.content.decode()
    for problem in direct.problems:
        assert problem.message in text


def test_a_large_import_reports_its_rows_as_it_reads_them(client, xx, broker_took_it, monkeypatch):
    monkeypatch.setattr("assessments.imports.base.PROGRESS_EVERY", 2)
    rows = [UNIT_HEADERS] + [["XX-T1", "龙泉镇", "", "乡镇", "XX", i, None] for i in range(6)]
    client.force_login(xx.office)
    client.post(
        reverse("assessments:import_preview"), {"kind": "units", "file": xlsx({"单位": rows})}
    )
    job = Job.objects.get()
    reported = []
    real = job_services._progress

    def watched(job):
        report = real(job)
        return lambda done, total=None: (report(done, total), reported.append(_status(client, job)))

    monkeypatch.setattr(job_services, "_progress", watched)
    job_services.job_run(job_id=job.pk)
    assert [(s["done"], s["total"]) for s in reported] == [(0, 6), (1, 6), (3, 6), (5, 6)]
    assert Job.objects.get().status == "done"


def test_the_initial_passwords_of_an_import_are_shown_once(client, xx):
    CadreFactory(unit=xx.township, number="XX-0301", name="隰县吴一")
    upload = xlsx({"登录账号": [["干部编号", "用户名"], ["XX-0301", ""]]})
    client.force_login(xx.office)
    preview = client.post(
        reverse("assessments:import_preview"), {"kind": "logins", "file": upload}, follow=True
    )
    done = client.post(
        reverse("assessments:import_confirm"), {"token": preview.context["token"]}, follow=True
    )
    assert done.context["done"]
    assert "initial-password" in done.content.decode()
    again = client.get(done.redirect_chain[-1][0])
    assert again.context["done"]
    assert "initial-password" not in again.content.decode()


# -- A unit's archive PDFs -----------------------------------------------------------------------


def test_a_units_archive_pdfs_download_as_one_zip(client, xx):
    CadreFactory(unit=xx.township, number="XX-0501", name="隰县孙一")
    client.force_login(xx.leader)
    page = client.post(reverse("assessments:unit_archive_pdfs", args=[xx.township.pk]), follow=True)
    job = page.context["job"]
    assert job.status == "done", job.message
    response = client.get(reverse("assessments:job_download", args=[job.pk]))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    cadres = xx.township.cadres.count()
    assert len(names) == 1 + cadres
    assert any("XX-0501" in name for name in names)
    assert all(archive.read(name).startswith(b"%PDF") for name in names)
    client.force_login(xx.office)  # the zip is the leader's: another user gets 404
    assert client.get(reverse("assessments:job_download", args=[job.pk])).status_code == 404


def test_result_files_are_deleted_a_day_after_the_job(client, xx, scored):
    client.force_login(xx.office)
    client.post(reverse("assessments:scorecards_xlsx", args=[scored.pk]))
    job = Job.objects.get()
    stored = Path(settings.MEDIA_ROOT) / job.result.name
    assert stored.exists()
    assert job_services.jobs_sweep(now=job.finished_at + dt.timedelta(hours=23)) == 0
    assert job_services.jobs_sweep(now=job.finished_at + dt.timedelta(hours=25)) == 1
    assert not stored.exists()
    page = client.get(reverse("assessments:job_detail", args=[job.pk]))
    assert reverse("assessments:job_download", args=[job.pk]) not in page.content.decode()
    assert client.get(reverse("assessments:job_download", args=[job.pk])).status_code == 404


def test_a_job_abandoned_by_a_killed_worker_runs_again_when_its_task_comes_back(
    client, xx, scored, broker_took_it
):
    client.force_login(xx.office)
    client.post(reverse("assessments:scorecards_xlsx", args=[scored.pk]))
    job = Job.objects.get()
    started = timezone.now() - dt.timedelta(minutes=10)
    Job.objects.filter(pk=job.pk).update(status="running", started_at=started)
    job_services.job_run(job_id=job.pk)  # still within the time limit: someone runs it
    assert Job.objects.get().status == "running"
    started = timezone.now() - job_services.TIME_LIMIT - dt.timedelta(seconds=1)
    Job.objects.filter(pk=job.pk).update(started_at=started)
    job_services.job_run(job_id=job.pk)
    assert Job.objects.get().status == "done"
