"""The integrity archive (廉政档案): a cadre's archive, its entries, sanctions, and the read log.

Who may read: office staff and leaders (in their county's scope) who also hold the Django
permission ``cadres.read_integrity_archive``; the office role alone does not grant it. Who may
write: office staff with that permission (leaders stay read-only). Who reported an entry needs
``read_integrity_reporter`` as well; the read log needs ``read_integrity_log``. Liaisons and
cadres get 403 on every page here, whatever permissions they were given, and no one opens the
archive of their own cadre record. Every page that shows archive content logs the read.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kaohe.lib.forms import apply_errors
from kaohe.lib.http import client_ip

from ..forms.integrity import (
    EntryForm,
    EntryStatusForm,
    ReadLogFilterForm,
    ReporterForm,
    SanctionForm,
)
from ..models import Cadre, IntegrityReadLog
from ..scope import STAFF_ROLES, can_write, get_for_user, role_required
from ..selectors import integrity as selectors
from ..services import integrity as services

READ_ARCHIVE = "cadres.read_integrity_archive"
READ_REPORTER = "cadres.read_integrity_reporter"
READ_LOG = "cadres.read_integrity_log"

Action = IntegrityReadLog.Action


def integrity_required(*perms: str, write: bool = False):
    """Login, a staff role (office or leader; with ``write``, office only) and every one of
    ``perms``; otherwise 403. Liaisons and cadres never pass, whatever they were granted.
    No integrity page is ever stored by a browser or a proxy (``Cache-Control: no-store``)."""

    def decorator(view):
        @never_cache
        @role_required(*STAFF_ROLES, write=write)
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perms(perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _not_own(request, cadre: Cadre) -> None:
    """Nobody reads the archive of their own cadre record (office staff are cadres too):
    403, checked after the lookup (404 outside the scope comes first)."""
    if cadre.user_id is not None and cadre.user_id == request.user.pk:
        raise PermissionDenied


@integrity_required(READ_ARCHIVE)
def archive(request, pk):
    cadre = get_for_user(request, selectors.archive_cadre, pk)
    _not_own(request, cadre)
    services.archive_read(request.user, cadre, action=Action.ARCHIVE, ip=client_ip(request))
    today = timezone.localdate()
    return render(
        request,
        "cadres/integrity/archive.html",
        {
            "cadre": cadre,
            "entries": selectors.archive_entries(cadre),
            "sanctions": selectors.archive_sanctions(cadre, today=today),
            "today": today,
        },
    )


def _render_entry(
    request, entry, *, status_form=None, reporter_form=None, status=200, reveal=False
):
    """The entry page; logs the read of the entry. Who reported is shown only when asked for
    (``reveal``: 查看举报人, or a correction of it) to a holder of the reporter permission, and
    that read is logged on its own."""
    user = request.user
    services.archive_read(
        user, entry.cadre, action=Action.ENTRY, entry=entry, ip=client_ip(request)
    )
    writer = can_write(user)
    context = {"entry": entry, "cadre": entry.cadre, "sanctions": entry.sanctions.all()}
    if writer and services.STATUS_FLOW[entry.status]:
        context["status_form"] = status_form or EntryStatusForm(entry=entry)
    context["may_reveal"] = user.has_perm(READ_REPORTER)
    if context["may_reveal"] and reveal:
        reporter = selectors.entry_reporter(entry)
        services.archive_read(
            user, entry.cadre, action=Action.REPORTER, entry=entry, ip=client_ip(request)
        )
        context["show_reporter"] = True
        context["reporter"] = reporter
        if writer:
            context["reporter_form"] = reporter_form or ReporterForm(
                initial={"name": reporter.name, "contact": reporter.contact, "note": reporter.note}
                if reporter
                else None
            )
    return render(request, "cadres/integrity/entry_detail.html", context, status=status)


@integrity_required(READ_ARCHIVE)
def entry_detail(request, pk):
    entry = get_for_user(request, selectors.entry_detail, pk)
    _not_own(request, entry.cadre)
    return _render_entry(request, entry, reveal=request.GET.get("show") == "reporter")


@integrity_required(READ_ARCHIVE, write=True)
def entry_create(request, pk):
    cadre = get_for_user(request, selectors.archive_cadre, pk, write=True)
    _not_own(request, cadre)
    form = EntryForm(request.POST or None)
    reporter_form = ReporterForm(request.POST or None, prefix="reporter")
    if request.method == "POST" and form.is_valid() and reporter_form.is_valid():
        reporter = reporter_form.cleaned_data
        try:
            entry = services.entry_record(
                cadre=cadre,
                by=request.user,
                reporter_name=reporter["name"],
                reporter_contact=reporter["contact"],
                reporter_note=reporter["note"],
                **form.cleaned_data,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "name" in error.error_dict:
                apply_errors(reporter_form, error)
            else:
                apply_errors(form, error)
        else:
            messages.success(request, _("Entry #%(pk)s recorded.") % {"pk": entry.pk})
            return redirect("cadres:integrity_archive", pk=cadre.pk)
    return render(
        request,
        "cadres/integrity/entry_form.html",
        {"cadre": cadre, "form": form, "reporter_form": reporter_form},
    )


@integrity_required(READ_ARCHIVE, write=True)
@require_POST
def entry_status(request, pk):
    entry = get_for_user(request, selectors.entry_detail, pk, write=True)
    _not_own(request, entry.cadre)
    if not services.STATUS_FLOW[entry.status]:
        messages.error(request, _("The verification of this entry is concluded."))
        return redirect("cadres:integrity_entry_detail", pk=entry.pk)
    form = EntryStatusForm(request.POST, entry=entry)
    if form.is_valid():
        try:
            services.entry_set_status(entry=entry, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Status saved."))
            return redirect("cadres:integrity_entry_detail", pk=entry.pk)
    return _render_entry(request, entry, status_form=form, status=200)


@integrity_required(READ_ARCHIVE, READ_REPORTER, write=True)
@require_POST
def reporter_set(request, pk):
    entry = get_for_user(request, selectors.entry_detail, pk, write=True)
    _not_own(request, entry.cadre)
    form = ReporterForm(request.POST)
    if form.is_valid():
        try:
            services.reporter_set(entry=entry, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Reporter saved."))
            return redirect("cadres:integrity_entry_detail", pk=entry.pk)
    return _render_entry(request, entry, reporter_form=form, reveal=True)


@integrity_required(READ_ARCHIVE, write=True)
def sanction_create(request, pk):
    cadre = get_for_user(request, selectors.archive_cadre, pk, write=True)
    _not_own(request, cadre)
    # The form lists the cadre's verified entries to link: a read of the archive.
    ip = client_ip(request)
    services.archive_read(request.user, cadre, action=Action.SANCTION_FORM, ip=ip)
    form = SanctionForm(request.POST or None, cadre=cadre)
    if request.method == "POST" and form.is_valid():
        try:
            services.sanction_record(cadre=cadre, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Sanction recorded."))
            return redirect("cadres:integrity_archive", pk=cadre.pk)
    return render(request, "cadres/integrity/sanction_form.html", {"cadre": cadre, "form": form})


@integrity_required(READ_LOG)
def read_log(request):
    form = ReadLogFilterForm(request.GET or None)
    if not form.is_bound:
        filters = {}
    elif form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    else:
        filters = {"cadre": -1}  # a malformed filter shows nothing rather than everything
    reads = selectors.read_log(request.user, **filters)
    page = Paginator(reads, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cadres/integrity/read_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


urlpatterns = [
    path("cadres/<int:pk>/integrity/", archive, name="integrity_archive"),
    path("cadres/<int:pk>/integrity/new/", entry_create, name="integrity_entry_create"),
    path(
        "cadres/<int:pk>/integrity/sanctions/new/",
        sanction_create,
        name="integrity_sanction_create",
    ),
    path("integrity/entries/<int:pk>/", entry_detail, name="integrity_entry_detail"),
    path("integrity/entries/<int:pk>/status/", entry_status, name="integrity_entry_status"),
    path("integrity/entries/<int:pk>/reporter/", reporter_set, name="integrity_reporter_set"),
    path("integrity/log/", read_log, name="integrity_log"),
]
