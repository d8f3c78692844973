"""The import centre: template workbooks to download, upload → preview → confirm → summary.

The uploaded file waits between preview and confirm under MEDIA_ROOT/imports/<token>.xlsx, where
the token is random and recorded in the uploader's session with the kind and the year: the client
only ever sends the token back, never a path. The file is deleted once imported or cancelled, or
when its preview finds nothing to import (and any left behind is swept after a day).

The preview and the import run as jobs (``services.jobs``: a Celery task, inline without a
broker): both answer with a redirect to the job's page, which polls until the job is over and
then shows the preview or the summary (``import_job_page``).
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.models import Account, Role
from cadres.scope import get_for_user, role_required
from kaohe.lib.xlsx import xlsx_response

from .. import selectors
from ..imports import KINDS, template_workbook
from ..models import Job
from ..services.jobs import import_forget_slips, import_result, import_upload_path, job_start

SESSION_KEY = "kaohe_imports"
TOKEN = re.compile(r"^[0-9a-f]{32}$")
KEEP_SECONDS = 24 * 3600
MAX_PREVIEW_ITEMS = 200
MAX_PROBLEMS_SHOWN = 500


def _folder() -> Path:
    return import_upload_path("x").parent


def _sweep(folder: Path) -> None:
    """Delete uploads that were never confirmed nor cancelled."""
    cutoff = time.time() - KEEP_SECONDS
    for old in folder.glob("*.xlsx"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


def _kind_or_404(name: str):
    try:
        return KINDS[name]
    except KeyError:
        raise Http404 from None


def _year_for(request, importer_class, pk: str | None):
    """The year a year-bound import works on: one in the user's scope, else 404."""
    if not importer_class.year_bound:
        return None
    if not pk or not (str(pk).isascii() and str(pk).isdigit()):  # not "²"
        return None
    return get_for_user(request, selectors.year_detail, pk, write=True)


def _centre(request, *, chosen_year=None, error: str = "", kind: str = "", status: int = 200):
    years = list(selectors.years_for(request.user).select_related("county").order_by("-year"))
    if chosen_year is None and years:
        chosen_year = years[0]
    return render(
        request,
        "assessments/imports/centre.html",
        {
            "kinds": list(KINDS.values()),
            "years": years,
            "chosen_year": chosen_year,
            "error": error,
            "error_kind": kind,
        },
        status=status,
    )


@role_required(Role.OFFICE, write=True)
def import_centre(request):
    pk = request.GET.get("year")
    plain = pk and pk.isascii() and pk.isdigit()  # "²".isdigit() is true too
    year = get_for_user(request, selectors.year_detail, pk, write=True) if plain else None
    return _centre(request, chosen_year=year)


@role_required(Role.OFFICE, write=True)
def import_template(request):
    importer_class = _kind_or_404(request.GET.get("kind", ""))
    return xlsx_response(template_workbook(importer_class), filename=importer_class.filename)


def _shown(result):
    """The preview's lists, capped so a 14,000-row file still renders a readable page."""
    sheets = [
        {
            "name": s.name,
            "created": s.created[:MAX_PREVIEW_ITEMS],
            "created_more": max(0, len(s.created) - MAX_PREVIEW_ITEMS),
            "changed": s.changed[:MAX_PREVIEW_ITEMS],
            "changed_more": max(0, len(s.changed) - MAX_PREVIEW_ITEMS),
            "counts": (len(s.created), len(s.changed), s.unchanged),
        }
        for s in result.sheets
    ]
    problems = result.problems[:MAX_PROBLEMS_SHOWN]
    return sheets, problems, max(0, len(result.problems) - MAX_PROBLEMS_SHOWN)


def _render_result(request, *, importer_class, year, name, result, token="", done=False, slips=()):
    sheets, problems, problems_more = _shown(result)
    return render(
        request,
        "assessments/imports/result.html",
        {
            "importer": importer_class,
            "year": year,
            "name": name,
            "result": result,
            "sheets": sheets,
            "problems": problems,
            "problems_more": problems_more,
            "token": token,
            "done": done,
            "slips": slips,  # initial passwords of new logins: shown once (never_cache)
        },
    )


def _store(upload) -> str:
    """Keep the upload where its preview and its confirmation read it; returns its token."""
    folder = _folder()
    _sweep(folder)
    token = secrets.token_hex(16)
    with open(import_upload_path(token), "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return token


@require_POST
@role_required(Role.OFFICE, write=True)
def import_preview(request):
    """Store the upload and start a job that runs the import without keeping anything; its
    page shows what the import would do."""
    importer_class = _kind_or_404(request.POST.get("kind", ""))
    year = _year_for(request, importer_class, request.POST.get("year"))
    upload = request.FILES.get("file")
    if importer_class.year_bound and year is None:
        return _centre(request, error=_("Choose the assessment year."), kind=importer_class.kind)
    if upload is None:
        return _centre(
            request, chosen_year=year, error=_("Choose a file to upload."), kind=importer_class.kind
        )
    name = Path(upload.name or "").name[:200]
    token = _store(upload)
    entry = {"kind": importer_class.kind, "year": year.pk if year else None, "name": name}
    pending = request.session.get(SESSION_KEY, {})
    pending[token] = {**entry, "user": request.user.pk}
    request.session[SESSION_KEY] = pending
    job = job_start(Job.Kind.IMPORT_PREVIEW, request.user, token=token, **entry)
    return redirect("assessments:job_detail", pk=job.pk)


def _pending(request) -> tuple[str, dict] | None:
    """The upload the posted token names, if this user's session holds it."""
    token = request.POST.get("token", "")
    entry = request.session.get(SESSION_KEY, {}).get(token) if TOKEN.match(token) else None
    if entry is None or entry.get("user") != request.user.pk:
        return None
    return token, entry


def _forget(request, token: str, *, delete: bool = True) -> None:
    if delete:
        import_upload_path(token).unlink(missing_ok=True)
    pending = request.session.get(SESSION_KEY, {})
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending


@require_POST
@role_required(Role.OFFICE, write=True)
def import_confirm(request):
    """Start the job that imports the previewed upload (and deletes it); its page shows the
    summary."""
    found = _pending(request)
    if found is None:
        messages.error(request, _("That upload is no longer waiting to be imported; upload again."))
        return redirect("assessments:import_centre")
    token, entry = found
    importer_class = _kind_or_404(entry["kind"])
    year = _year_for(request, importer_class, entry["year"])  # still in the user's scope
    _forget(request, token, delete=False)  # the job deletes the file once it has read it
    params = {"kind": entry["kind"], "year": year.pk if year else None, "name": entry["name"]}
    job = job_start(Job.Kind.IMPORT_CONFIRM, request.user, token=token, **params)
    return redirect("assessments:job_detail", pk=job.pk)


def import_job_page(request, job):
    """The page of an import job that is over (``views.jobs``): the preview or the summary;
    a refused file back on the centre with the reason, as a refused upload always was."""
    importer_class = _kind_or_404(job.params["kind"])
    year = _year_for(request, importer_class, job.params.get("year"))
    confirm = job.kind == Job.Kind.IMPORT_CONFIRM
    if job.status == Job.Status.FAILED and confirm:
        messages.error(request, job.message)
        return redirect("assessments:import_centre")
    if job.status == Job.Status.FAILED:
        return _centre(request, chosen_year=year, error=job.message, kind=importer_class.kind)
    if not job.result:  # swept (services.jobs.jobs_sweep)
        messages.error(request, _("This import's result is no longer kept; upload the file again."))
        return redirect("assessments:import_centre")
    result, slips = import_result(job)
    token = job.outcome.get("token", "")
    if not confirm and not token:
        _forget(request, job.params["token"], delete=False)  # nothing to confirm
    if slips:
        import_forget_slips(job)  # shown once, on this response
    accounts = Account.objects.select_related("user", "unit").in_bulk([pk for pk, _p in slips])
    return _render_result(
        request,
        importer_class=importer_class,
        year=year,
        name=job.params.get("name", ""),
        result=result,
        token=token,
        done=confirm and result.committed,
        slips=[(accounts[pk], password) for pk, password in slips if pk in accounts],
    )


@require_POST
@role_required(Role.OFFICE, write=True)
def import_cancel(request):
    found = _pending(request)
    if found is not None:
        _forget(request, found[0])
        messages.info(request, _("Import cancelled; nothing was changed."))
    return redirect("assessments:import_centre")


urlpatterns = [
    path("imports/", import_centre, name="import_centre"),
    path("imports/template/", import_template, name="import_template"),
    path("imports/preview/", import_preview, name="import_preview"),
    path("imports/confirm/", import_confirm, name="import_confirm"),
    path("imports/cancel/", import_cancel, name="import_cancel"),
]
