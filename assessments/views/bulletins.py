"""Bulletins, early warnings and the outbox."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.models import Role
from cadres.scope import account_of, get_for_user, role_required
from kaohe.lib.forms import is_id

from ..forms.warnings import WarningFilterForm, WarningsCloseForm
from ..models import Bulletin, Job, OutboxMessage
from ..selectors import default_month
from ..selectors.bulletins import bulletin_detail as select_bulletin
from ..selectors.bulletins import bulletin_list as select_bulletins
from ..selectors.bulletins import outbox_health, warned_units, warnings_for
from ..selectors.bulletins import warning_detail as select_warning
from ..selectors.bulletins import warning_list as select_warnings
from ..selectors.catalog import year_detail
from ..services import bulletins as bulletin_services
from ..services import outbox as outbox_services
from ..services import warnings as warning_services
from ..services.jobs import job_start
from .catalog import YEAR_READERS


def _errors(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@role_required(*YEAR_READERS)
def bulletin_list(request, pk):
    year = get_for_user(request, year_detail, pk)
    return render(
        request,
        "assessments/bulletins/list.html",
        {
            "year": year,
            "bulletins": select_bulletins(request.user, year),
            "months": range(1, 13),
            "default_month": default_month(year, timezone.localdate()),
        },
    )


@require_POST
@role_required(Role.OFFICE, write=True)
def bulletin_build(request, pk):
    year = get_for_user(request, year_detail, pk, write=True)
    try:
        month = int(request.POST.get("month", ""))
        bulletin = bulletin_services.bulletin_build(year=year, month=month)
    except ValueError:
        messages.error(request, _("Choose a month."))
        return redirect("assessments:bulletin_list", pk=year.pk)
    except ValidationError as error:
        _errors(request, error)
        return redirect("assessments:bulletin_list", pk=year.pk)
    return redirect("assessments:bulletin_detail", pk=bulletin.pk)


@role_required(*YEAR_READERS)
def bulletin_detail(request, pk):
    bulletin = get_for_user(request, select_bulletin, pk)
    account = account_of(request.user)
    context = {
        "bulletin": bulletin,
        "year": bulletin.year,
        "c": bulletin.content,
        "highlight": account.unit_id if account.role == Role.LIAISON else None,
    }
    if account.role == Role.OFFICE:
        context["deliveries"] = bulletin.messages.select_related("unit").order_by("recipient_email")
        context["health"] = outbox_health(bulletin.year)
    return render(request, "assessments/bulletins/detail.html", context)


@require_POST
@role_required(Role.OFFICE, write=True)
def bulletin_foreword(request, pk):
    bulletin = get_for_user(request, select_bulletin, pk, write=True)
    try:
        bulletin_services.bulletin_set_foreword(
            bulletin=bulletin, foreword=request.POST.get("foreword", "")
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Foreword saved."))
    return redirect("assessments:bulletin_detail", pk=bulletin.pk)


@require_POST
@role_required(Role.OFFICE, write=True)
def bulletin_publish(request, pk):
    """Publish as a job (rendering the PDF and queueing the emails take a while); its page
    comes back here with the outcome."""
    bulletin = get_for_user(request, select_bulletin, pk, write=True)
    back = reverse("assessments:bulletin_detail", args=[bulletin.pk])
    job = job_start(Job.Kind.BULLETIN_PUBLISH, request.user, bulletin=bulletin.pk, back=back)
    return redirect("assessments:job_detail", pk=job.pk)


@role_required(*YEAR_READERS)
def bulletin_pdf(request, pk):
    bulletin = get_for_user(request, select_bulletin, pk)
    data = None
    if bulletin.pdf:
        try:
            with bulletin.pdf.open("rb") as stored:
                data = stored.read()
        except OSError:  # the file is gone (e.g. a database restored without its media)
            data = None
    if data is None:
        data = bulletin_services.render_bulletin_pdf(bulletin)  # from the frozen content
    if data is None:
        messages.error(request, _("The bulletin's PDF file is missing and cannot be rebuilt."))
        return redirect("assessments:bulletin_detail", pk=bulletin.pk)
    response = HttpResponse(data, content_type="application/pdf")
    name = f"{bulletin.year.year}-{bulletin.month:02d}.pdf"
    response["Content-Disposition"] = f'inline; filename="bulletin-{name}"'
    return response


@require_POST
@role_required(Role.OFFICE, write=True)
def outbox_resend(request, pk):
    """Send again what waits: held, failed and queued messages (the unconfirmed ones only when
    asked, since a recipient may then get them twice); never what was sent."""
    year = get_for_user(request, year_detail, pk, write=True)
    unconfirmed = request.POST.get("unconfirmed") == "1"
    count = outbox_services.outbox_resend(year=year, unconfirmed=unconfirmed)
    messages.info(request, _("%(count)s emails handed to the mail queue.") % {"count": count})
    bulletin = Bulletin.objects.filter(
        year=year, pk=int(request.POST["bulletin"]) if is_id(request.POST.get("bulletin")) else None
    ).first()
    if bulletin is not None:
        return redirect("assessments:bulletin_detail", pk=bulletin.pk)
    return redirect("assessments:outbox", pk=year.pk)


@role_required(Role.OFFICE, write=True)
def outbox(request, pk):
    year = get_for_user(request, year_detail, pk, write=True)
    status = request.GET.get("status", "")
    rows = OutboxMessage.objects.filter(year=year).select_related("unit").order_by("-queued_at")
    if status:
        rows = rows.filter(status=status)
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/bulletins/outbox.html",
        {
            "year": year,
            "page": page,
            "status": status,
            "statuses": OutboxMessage.Status.choices,
            "health": outbox_health(year),
            "query": f"status={status}" if status else "",
        },
    )


@role_required(*YEAR_READERS)
def warning_list(request, pk):
    """A year's notices, one per unit and check run, filtered by unit, status and year."""
    year = get_for_user(request, year_detail, pk)
    data = request.GET.copy()
    data.setdefault("status", "open")
    data.setdefault("year", str(year.pk))
    form = WarningFilterForm(
        data, years=year_detail(request.user), units=warned_units(request.user, year)
    )
    chosen = form.value("year")
    if chosen is not None and chosen.pk != year.pk:
        data.pop("year")
        data.pop("unit", None)
        url = reverse("assessments:warning_list", args=[chosen.pk])
        return redirect(f"{url}?{data.urlencode()}")
    status, unit = form.value("status", "open"), form.value("unit")
    rows = select_warnings(request.user, year, unit=unit, status=status)
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = {"status": status, **({"unit": unit.pk} if unit else {})}
    return render(
        request,
        "assessments/bulletins/warning_list.html",
        {
            "year": year,
            "page": page,
            "form": form,
            "status": status,
            "today": timezone.localdate(),
            "query": urlencode(query),
        },
    )


@require_POST
@role_required(Role.OFFICE, write=True)
def warnings_close(request, pk):
    """Close the ticked notices of a year with one closing record."""
    year = get_for_user(request, year_detail, pk, write=True)
    form = WarningsCloseForm(request.POST, warnings=warnings_for(request.user).filter(year=year))
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        closed = warning_services.warnings_close(
            warnings=form.cleaned_data["warnings"], note=form.cleaned_data["closing_note"]
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("%(count)s warnings closed.") % {"count": len(closed)})
    back = request.POST.get("next", "")
    if not back.startswith(reverse("assessments:warning_list", args=[year.pk])):
        back = reverse("assessments:warning_list", args=[year.pk])
    return redirect(back)


@role_required(*YEAR_READERS)
def warning_detail(request, pk):
    warning = get_for_user(request, select_warning, pk)
    return render(
        request,
        "assessments/bulletins/warning_detail.html",
        {"warning": warning, "year": warning.year, "today": timezone.localdate()},
    )


@require_POST
@role_required(Role.LIAISON)
def warning_acknowledge(request, pk):
    warning = get_for_user(request, select_warning, pk)
    try:
        warning_services.warning_acknowledge(
            warning=warning, plan=request.POST.get("catch_up_plan", ""), by=request.user
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Catch-up plan recorded."))
    return redirect("assessments:warning_detail", pk=warning.pk)


@require_POST
@role_required(Role.OFFICE, write=True)
def warning_close(request, pk):
    warning = get_for_user(request, select_warning, pk, write=True)
    try:
        warning_services.warning_close(warning=warning, note=request.POST.get("closing_note", ""))
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Warning closed."))
    return redirect("assessments:warning_detail", pk=warning.pk)


urlpatterns = [
    path("years/<int:pk>/bulletins/", bulletin_list, name="bulletin_list"),
    path("years/<int:pk>/bulletins/build/", bulletin_build, name="bulletin_build"),
    path("bulletins/<int:pk>/", bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>/foreword/", bulletin_foreword, name="bulletin_foreword"),
    path("bulletins/<int:pk>/publish/", bulletin_publish, name="bulletin_publish"),
    path("bulletins/<int:pk>/pdf/", bulletin_pdf, name="bulletin_pdf"),
    path("years/<int:pk>/outbox/", outbox, name="outbox"),
    path("years/<int:pk>/outbox/resend/", outbox_resend, name="outbox_resend"),
    path("years/<int:pk>/warnings/", warning_list, name="warning_list"),
    path("warnings/<int:pk>/", warning_detail, name="warning_detail"),
    path("warnings/<int:pk>/acknowledge/", warning_acknowledge, name="warning_acknowledge"),
    path("warnings/<int:pk>/close/", warning_close, name="warning_close"),
    path("years/<int:pk>/warnings/close/", warnings_close, name="warnings_close"),
]
