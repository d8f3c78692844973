"""A long job's page (``/jobs/<id>/``): a progress bar that static/js/jobs.js refreshes from
``/jobs/<id>/status/`` every second while the job runs; once it is over, the job's result: the
import's preview or summary, the page the job worked on (a published bulletin), or its file to
download (``/jobs/<id>/download/``).

Only the user who started a job sees it: anyone else gets 404, whatever their role.
"""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kaohe.lib.downloads import content_disposition
from kaohe.lib.xlsx import CONTENT_TYPE as XLSX

from ..models import Job
from ..selectors.jobs import job_status, jobs_for
from .imports import import_job_page

CONTENT_TYPES = {".xlsx": XLSX, ".zip": "application/zip"}
IMPORT_KINDS = (Job.Kind.IMPORT_PREVIEW, Job.Kind.IMPORT_CONFIRM)


def _get_job_for_user(request, pk) -> Job:
    return get_object_or_404(jobs_for(request.user), pk=pk)


def _back(request, job: Job) -> str:
    back = job.params.get("back", "")
    return back if url_has_allowed_host_and_scheme(back, allowed_hosts=None) else ""


@never_cache  # an import's summary may show initial passwords
@login_required
def job_detail(request, pk):
    job = _get_job_for_user(request, pk)
    if job.over and job.kind in IMPORT_KINDS:
        return import_job_page(request, job)
    back = _back(request, job)
    if job.status == Job.Status.DONE and job.kind == Job.Kind.BULLETIN_PUBLISH:
        messages.success(
            request,
            _("Published. %(count)s emails are queued; their delivery is listed below.")
            % {"count": job.outcome.get("count", 0)},
        )
        return redirect(job.outcome["redirect"])
    if job.status == Job.Status.FAILED and job.kind == Job.Kind.BULLETIN_PUBLISH and back:
        messages.error(request, job.message)
        return redirect(back)
    context = {"job": job, "status": job_status(job), "back": back}
    return render(request, "jobs/detail.html", context)


@never_cache
@login_required
def job_status_json(request, pk):
    job = _get_job_for_user(request, pk)
    return JsonResponse(job_status(job))


@login_required
def job_download(request, pk):
    job = _get_job_for_user(request, pk)
    if job.status != Job.Status.DONE or not job.outcome.get("download") or not job.result:
        raise Http404
    try:
        stored = job.result.open("rb")
    except OSError:  # the file is gone (e.g. a database restored without its media)
        raise Http404 from None
    kind = CONTENT_TYPES.get(Path(job.result.name).suffix, "application/octet-stream")
    response = FileResponse(stored, content_type=kind)
    response["Content-Disposition"] = content_disposition(job.result_name)
    return response


urlpatterns = [
    path("jobs/<int:pk>/", job_detail, name="job_detail"),
    path("jobs/<int:pk>/status/", job_status_json, name="job_status"),
    path("jobs/<int:pk>/download/", job_download, name="job_download"),
]
