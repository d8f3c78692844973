"""Long jobs that leave the web request (``assessments.models.Job``).

``job_start`` records the job and hands one Celery task (``assessments.run_job``) its id; without
a broker the task runs inline, during the request, so a test and ``make run`` go the same way as
production, only synchronously. When the broker cannot take the task the job runs inline as
well: the user waits as before instead of getting nothing.

``job_run`` (the task's body) runs the job's function with a progress callback, keeps its result
(a file under MEDIA_ROOT/jobs/, and a small ``outcome`` for the page) and marks the job done, or
failed with a message for the user: the service's refusal, or a plain sentence for anything
unexpected (the traceback goes to the log, never to the page).

The progress of a running job is written to the cache (a job that runs inside a transaction,
an import, cannot make its row's progress visible before it ends) and, when no transaction is
open, to the row too. Call ``job_start`` outside a transaction: a worker must see the row.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import secrets
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.lib import queue

from ..models import AssessmentYear, Bulletin, Job
from ..selectors.jobs import progress_key

logger = logging.getLogger(__name__)

TASK = "assessments.run_job"
PROGRESS_SECONDS = 24 * 3600  # how long the cache keeps a job's live progress
KEEP_RESULTS = dt.timedelta(days=1)  # how long a job's result file is kept
SOFT_TIME_LIMIT, HARD_TIME_LIMIT = 1740, 1800  # seconds: the task's limits (tasks_jobs)
TIME_LIMIT = dt.timedelta(seconds=HARD_TIME_LIMIT + 60)


class Progress(Protocol):
    """A job's progress callback: ``done`` steps of ``total`` (``None``: as told before)."""

    def __call__(self, done: int, total: int | None = None) -> None: ...


class JobFailed(Exception):
    """A job's refusal: ``message`` is shown to its owner as it is (translated)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def job_start(kind: str, user, /, **params) -> Job:
    """Record a job of ``kind`` for ``user`` working on ``params`` (JSON values: ids, names)
    and have it run: by a worker when there is a broker, else now."""
    jobs_sweep()
    job = Job(kind=kind, owner=user, params=params)
    job.clean_fields(exclude=["owner"])  # a new row of the server's own values: no queries
    job.save()
    if not queue.enqueue(TASK, job.pk) and Job.objects.filter(pk=job.pk, status="queued").exists():
        job_run(job_id=job.pk)  # the broker did not take it: run it here rather than never
    return job


def jobs_sweep(*, now=None) -> int:
    """Delete the result files of jobs that ended more than ``KEEP_RESULTS`` ago (a preview
    never confirmed, an export downloaded long ago, initial passwords never shown): the rows
    stay, their pages say the file is gone. Returns how many files were deleted."""
    cutoff = (now or timezone.now()) - KEEP_RESULTS
    old = list(Job.objects.filter(finished_at__lt=cutoff).exclude(result="")[:100])
    for job in old:
        job.result.delete(save=False)
    Job.objects.filter(pk__in=[job.pk for job in old]).update(result="")
    return len(old)


def _progress(job: Job) -> Progress:
    state = {"done": 0, "total": job.total}

    def report(done: int, total: int | None = None) -> None:
        if total is not None:
            state["total"] = total
        state["done"] = min(done, state["total"]) if state["total"] else done
        cache.set(progress_key(job.pk), (state["done"], state["total"]), PROGRESS_SECONDS)
        if not connection.in_atomic_block:
            Job.objects.filter(pk=job.pk).update(done=state["done"], total=state["total"])

    return report


def _finish(job: Job, *, status: str, message: str = "", outcome: dict | None = None) -> None:
    job.status = status
    job.message = message[:1000]
    job.outcome = outcome or {}
    job.finished_at = timezone.now()
    if status == Job.Status.DONE:
        job.done = job.total = max(job.total, job.done, 1)
    else:
        job.done = min(job.done, job.total)
    job.save(
        update_fields=[
            "status", "message", "outcome", "finished_at", "done", "total", "result", "result_name"
        ]
    )  # fmt: skip
    cache.delete(progress_key(job.pk))


def job_run(*, job_id: int) -> None:
    """Run the queued job ``job_id`` once: a redelivered task finds it taken and returns,
    unless the run that took it has been running past the task's time limit (its worker was
    killed: every job's writes are one transaction, so running it again is safe)."""
    now = timezone.now()
    abandoned = Q(status=Job.Status.RUNNING, started_at__lt=now - TIME_LIMIT)
    claimed = Job.objects.filter(Q(status=Job.Status.QUEUED) | abandoned, pk=job_id).update(
        status=Job.Status.RUNNING, started_at=now
    )
    if not claimed:
        return
    job = Job.objects.select_related("owner").get(pk=job_id)
    try:
        outcome = RUNNERS[job.kind](job, _progress(job))
    except JobFailed as refused:
        _finish(job, status=Job.Status.FAILED, message=refused.message)
    except ValidationError as error:
        _finish(job, status=Job.Status.FAILED, message=" ".join(error.messages))
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        message = _(
            "The job stopped on an unexpected error and what it was doing was not kept. Try "
            "again; if it fails again, tell the system administrator (job no. %(id)s)."
        ) % {"id": job.pk}
        _finish(job, status=Job.Status.FAILED, message=message)
    else:
        _finish(job, status=Job.Status.DONE, outcome=outcome)


def _keep(job: Job, data: bytes | File, *, name: str, ext: str) -> None:
    """Store ``data`` (bytes or a file) as the job's result under a random name; ``name``: the
    download's."""
    content = data if isinstance(data, File) else ContentFile(data)
    job.result.save(f"{secrets.token_hex(16)}{ext}", content, save=False)
    job.result_name = name


# -- Imports -------------------------------------------------------------------------------------


def import_upload_path(token: str) -> Path:
    """Where an upload waits between its preview and its confirmation."""
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{token}.xlsx"


def _importer(job: Job, progress: Progress):
    from ..imports import KINDS

    importer_class = KINDS[job.params["kind"]]
    year = None
    if importer_class.year_bound:
        year = AssessmentYear.objects.select_related("county").get(pk=job.params["year"])
    importer = importer_class(user=job.owner, year=year)
    importer.progress = progress
    return importer


def result_to_json(result) -> dict:
    return {
        "sheets": [asdict(s) for s in result.sheets],
        "problems": [asdict(p) for p in result.problems],
        "committed": result.committed,
    }


def result_from_json(data: dict):
    from ..imports.base import Change, Problem, Result, SheetReport

    sheets = [
        SheetReport(
            name=s["name"],
            created=s["created"],
            changed=[Change(c["key"], [tuple(f) for f in c["fields"]]) for c in s["changed"]],
            unchanged=s["unchanged"],
        )
        for s in data["sheets"]
    ]
    problems = [Problem(**p) for p in data["problems"]]
    return Result(sheets=sheets, problems=problems, committed=data["committed"])


def _run_import(job: Job, progress: Progress, *, commit: bool) -> dict:
    from ..imports import FileRefused, run_import

    path = import_upload_path(job.params["token"])
    importer = _importer(job, progress)
    keep = False
    try:
        with open(path, "rb") as stored:  # read under the name it was uploaded as
            result = run_import(importer, File(stored, name=job.params["name"]), commit=commit)
        keep = not commit and result.ok and bool(result.created or result.changed)
    except (FileRefused, FileNotFoundError) as refused:
        if commit:
            raise JobFailed(
                _("That upload is no longer waiting to be imported; upload again.")
            ) from None
        raise JobFailed(getattr(refused, "message", "")) from None
    finally:
        if not keep:
            path.unlink(missing_ok=True)
    data = result_to_json(result)
    # Initial passwords of new logins: kept until the owner's page shows them, then dropped.
    data["slips"] = [(a.pk, p) for a, p in getattr(importer, "slips", ())]
    _keep(job, json.dumps(data).encode(), name="", ext=".json")
    return {"token": job.params["token"] if keep else "", "committed": result.committed}


def _import_preview(job: Job, progress: Progress) -> dict:
    return _run_import(job, progress, commit=False)


def _import_confirm(job: Job, progress: Progress) -> dict:
    return _run_import(job, progress, commit=True)


def import_result(job: Job) -> tuple[object, list]:
    """The import's ``Result`` and the initial passwords (account id, password) it opened."""
    with job.result.open("rb") as stored:
        data = json.loads(stored.read())
    return result_from_json(data), data.get("slips", [])


def import_forget_slips(job: Job) -> None:
    """Drop the initial passwords from the stored result, once the page showed them."""
    with job.result.open("rb") as stored:
        data = json.loads(stored.read())
    if not data.get("slips"):
        return
    data["slips"] = []
    job.result.delete(save=False)
    _keep(job, json.dumps(data).encode(), name="", ext=".json")
    job.save(update_fields=["result"])


# -- Bulletin publication ------------------------------------------------------------------------


def _bulletin_publish(job: Job, progress: Progress) -> dict:
    from .bulletins import bulletin_publish

    bulletin = Bulletin.objects.select_related("year").get(pk=job.params["bulletin"])
    progress(0, 1)
    queued = bulletin_publish(bulletin=bulletin, by=job.owner)
    return {
        "count": len(queued),
        "redirect": reverse("assessments:bulletin_detail", args=[bulletin.pk]),
    }


# -- Exports -------------------------------------------------------------------------------------


def _scorecards_export(job: Job, progress: Progress) -> dict:
    from kaohe.lib.xlsx import add_sheet, streaming_workbook

    from ..reports import scorecard
    from ..selectors.scoring import year_scorecards

    year = AssessmentYear.objects.select_related("county").get(pk=job.params["year"])
    cards = year_scorecards(year)
    progress(0, len(cards) + 1)
    wb = streaming_workbook()  # rows go to disk as they come: memory flat in the units
    for done, sheet in enumerate(scorecard.year_sheets(year, cards), start=1):
        add_sheet(wb, **vars(sheet))
        progress(done)
    with tempfile.TemporaryFile() as file:
        wb.save(file)
        file.seek(0)
        _keep(job, File(file), name=f"{scorecard.year_filename(year)}.xlsx", ext=".xlsx")
    return {"download": True, "count": len(cards)}


def _unit_archive_pdfs(job: Job, progress: Progress) -> dict:
    """The team archive of a unit and the archive of each of its cadres the owner may open,
    as PDFs in one zip."""
    from weasyprint import HTML

    from ..reports import cadre_archive as cadre_report
    from ..reports import team_archive as team_report
    from ..selectors import archive as selectors

    unit = selectors.archive_units_for(job.owner).get(pk=job.params["unit"])
    cadres = list(selectors.archive_cadres_for(job.owner).filter(unit=unit).order_by("number"))
    progress(0, len(cadres) + 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        context = {"archive": selectors.team_archive(unit), "unit": unit}
        html = render_to_string("assessments/archive/unit_pdf.html", context)
        archive.writestr(team_report.pdf_filename(unit)[0], HTML(string=html).write_pdf())
        progress(1)
        for done, cadre in enumerate(cadres, start=2):
            context = {"archive": selectors.cadre_archive(cadre), "cadre": cadre}
            html = render_to_string("assessments/archive/cadre_pdf.html", context)
            name = f"{cadre.number} {cadre_report.pdf_filename(cadre)[0]}"
            archive.writestr(name, HTML(string=html).write_pdf())
            progress(done)
    name = _("%(name)s archive PDFs.zip") % {"name": unit.name}
    _keep(job, buffer.getvalue(), name=name, ext=".zip")
    return {"download": True, "count": len(cadres) + 1}


RUNNERS: dict[str, Callable[[Job, Progress], dict]] = {
    Job.Kind.IMPORT_PREVIEW: _import_preview,
    Job.Kind.IMPORT_CONFIRM: _import_confirm,
    Job.Kind.BULLETIN_PUBLISH: _bulletin_publish,
    Job.Kind.SCORECARDS_EXPORT: _scorecards_export,
    Job.Kind.UNIT_ARCHIVE_PDFS: _unit_archive_pdfs,
}
