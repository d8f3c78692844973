"""Lead assessing departments: the indicators a department leads, the units assessed on them,
the deduction entries (扣分记录) it or the office enters and withdraws, and each indicator's
scoring sheet (page and Excel round trip), submitted, accepted or returned; the office's board
of sheets with the year's scoring window and reminders."""

import os

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.models import Role
from cadres.scope import get_for_user, role_of, role_required
from kaohe.lib.forms import apply_errors
from kaohe.lib.xlsx import xlsx_response

from .. import services
from ..forms.leads import DeductionForm, SheetRowForm, WindowForm, WithdrawForm
from ..imports import FileRefused
from ..imports.leads import sheet_filename, sheet_import, sheet_workbook
from ..models import Level, ScoringWindow
from ..selectors import leads as select
from ..selectors.catalog import year_detail

SCORERS = (Role.OFFICE, Role.LEAD)


@role_required(Role.LEAD)
def lead_home(request):
    """A lead department's home: the indicators it leads, every year."""
    indicators = select.led_indicator_list(request.user)
    return render(request, "assessments/leads/home.html", {"indicators": indicators})


def _sheet_page(request, indicator, *, result=None, status=200):
    """The sheet page of one led indicator: every unit assessed on it, its progress, evidence,
    the sheet's rows or entries, and (after an upload) the check's result."""
    window = ScoringWindow.objects.filter(year=indicator.year).first()
    sheet = select.sheet_of(indicator)
    context = {
        "indicator": indicator,
        "year": indicator.year,
        "targets": select.indicator_units(indicator),
        "rows": select.sheet_rows(indicator),
        "sheet": sheet,
        "window": window,
        "window_open": window is not None and window.is_open(timezone.localdate()),
        "fills": role_of(request.user) == Role.LEAD and (sheet is None or sheet.is_open),
        "result": result,
        "levels": Level.choices,
    }
    return render(request, "assessments/leads/indicator.html", context, status=status)


@role_required(*SCORERS)
def lead_indicator(request, pk):
    return _sheet_page(request, get_for_user(request, select.led_indicator_detail, pk))


@require_POST
@role_required(Role.LEAD)
def sheet_row(request, pk):
    """A unit's level or points (and reason) on the lead department's sheet."""
    target = get_for_user(request, select.target_deductions, pk)
    form = SheetRowForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError([e for errs in form.errors.values() for e in errs])
        services.sheet_row_set(target=target, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, f"{target.unit.name}：" + " ".join(error.messages))
    else:
        messages.success(request, _("%(unit)s saved on the sheet.") % {"unit": target.unit.name})
    return redirect("assessments:lead_indicator", pk=target.indicator_id)


@role_required(*SCORERS)
def sheet_download(request, pk):
    indicator = get_for_user(request, select.led_indicator_detail, pk)
    return xlsx_response(sheet_workbook(indicator), filename=sheet_filename(indicator))


@require_POST
@role_required(Role.LEAD)
def sheet_upload(request, pk):
    """Check the uploaded sheet (every problem by row and column), and with "import" keep it
    when it has none: all or nothing."""
    indicator = get_for_user(request, select.led_indicator_detail, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to upload."))
        return redirect("assessments:lead_indicator", pk=indicator.pk)
    commit = request.POST.get("action") == "import"
    try:
        result = sheet_import(user=request.user, indicator=indicator, upload=upload, commit=commit)
    except FileRefused as refused:
        messages.error(request, refused.message)
        return redirect("assessments:lead_indicator", pk=indicator.pk)
    if result.committed:
        messages.success(request, _("The sheet was imported."))
        return redirect("assessments:lead_indicator", pk=indicator.pk)
    return _sheet_page(request, indicator, result=result)


def _sheet_action(request, pk, action, **kwargs):
    indicator = get_for_user(request, select.led_indicator_detail, pk)
    sheet = select.sheet_of(indicator)
    try:
        if sheet is None:
            raise ValidationError(_("The sheet is not started yet."))
        action(sheet=sheet, by=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The sheet is now %(status)s.") % {"status": _status(sheet)})
    return redirect("assessments:lead_indicator", pk=indicator.pk)


def _status(sheet) -> str:
    sheet.refresh_from_db()
    return sheet.get_status_display()


@require_POST
@role_required(Role.LEAD)
def sheet_submit(request, pk):
    indicator = get_for_user(request, select.led_indicator_detail, pk)
    sheet = select.sheet_of(indicator)
    if sheet is None:  # an untouched deduction sheet: no deductions for anyone
        try:
            sheet = services.sheet_open_for(indicator)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("assessments:lead_indicator", pk=indicator.pk)
    return _sheet_action(request, pk, services.sheet_submit)


@require_POST
@role_required(Role.OFFICE, write=True)
def sheet_accept(request, pk):
    return _sheet_action(request, pk, services.sheet_accept)


@require_POST
@role_required(Role.OFFICE, write=True)
def sheet_return(request, pk):
    return _sheet_action(request, pk, services.sheet_return, reason=request.POST.get("reason", ""))


@require_POST
@role_required(Role.OFFICE, write=True)
def sheet_reopen(request, pk):
    return _sheet_action(request, pk, services.sheet_reopen, reason=request.POST.get("reason", ""))


def _attachment(field):
    """A stored attachment to download; a missing file is a 404, never a 500."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(field.name))


@role_required(*SCORERS)
def sheet_row_attachment(request, pk):
    """The attachment of a unit's row on a sheet (by the row's target)."""
    target = get_for_user(request, select.target_deductions, pk)
    row = select.sheet_rows(target.indicator).get(target.pk)
    return _attachment(row.attachment if row else None)


@role_required(*SCORERS)
def deduction_attachment(request, pk):
    return _attachment(get_for_user(request, select.deductions_for, pk).attachment)


@role_required(Role.OFFICE, write=True)
def sheet_board(request, pk):
    """The office's board of the year's led indicators × sheet status, with the window."""
    year = get_for_user(request, year_detail, pk, write=True)
    window = ScoringWindow.objects.filter(year=year).first()
    initial = {"opens_on": window.opens_on, "closes_on": window.closes_on} if window else None
    form = WindowForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.window_open(year=year, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Scoring window saved."))
            return redirect("assessments:sheet_board", pk=year.pk)
    board = select.sheet_board(year)
    context = {"year": year, "window": window, "form": form, "board": board}
    return render(request, "assessments/leads/board.html", context)


@require_POST
@role_required(Role.OFFICE, write=True)
def sheets_remind(request, pk):
    year = get_for_user(request, year_detail, pk, write=True)
    try:
        count = services.sheets_remind(year=year, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)s reminders queued.") % {"count": count})
    return redirect("assessments:sheet_board", pk=year.pk)


@role_required(*SCORERS)
def target_deductions(request, pk):
    target = get_for_user(request, select.target_deductions, pk)
    veto = target.indicator.is_veto
    form = DeductionForm(request.POST or None, request.FILES or None, veto=veto)
    if request.method == "POST" and form.is_valid():
        try:
            on_sheet = role_of(request.user) == Role.LEAD
            data = form.cleaned_data
            services.deduction_enter(target=target, by=request.user, on_sheet=on_sheet, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Deduction entry recorded."))
            return redirect("assessments:target_deductions", pk=target.pk)
    context = {
        "target": target,
        "year": target.year,
        "entries": select.entries_of(target),
        "form": form,
        "withdraw_form": WithdrawForm(),
    }
    return render(request, "assessments/leads/deductions.html", context)


@require_POST
@role_required(*SCORERS)
def deduction_withdraw(request, pk):
    entry = get_for_user(request, select.deductions_for, pk)
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason for the withdrawal."))
        on_sheet = role_of(request.user) == Role.LEAD
        services.deduction_withdraw(
            entry=entry, by=request.user, on_sheet=on_sheet, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Deduction entry withdrawn."))
    return redirect("assessments:target_deductions", pk=entry.target_id)


urlpatterns = [
    path("leads/", lead_home, name="lead_home"),
    path("leads/indicators/<int:pk>/", lead_indicator, name="lead_indicator"),
    path("targets/<int:pk>/deductions/", target_deductions, name="target_deductions"),
    path("deductions/<int:pk>/withdraw/", deduction_withdraw, name="deduction_withdraw"),
    path("leads/targets/<int:pk>/row/", sheet_row, name="sheet_row"),
    path("leads/indicators/<int:pk>/sheet.xlsx", sheet_download, name="sheet_download"),
    path("leads/indicators/<int:pk>/upload/", sheet_upload, name="sheet_upload"),
    path("leads/indicators/<int:pk>/submit/", sheet_submit, name="sheet_submit"),
    path("leads/indicators/<int:pk>/accept/", sheet_accept, name="sheet_accept"),
    path("leads/indicators/<int:pk>/return/", sheet_return, name="sheet_return"),
    path("leads/indicators/<int:pk>/reopen/", sheet_reopen, name="sheet_reopen"),
    path("leads/targets/<int:pk>/attachment/", sheet_row_attachment, name="sheet_row_attachment"),
    path("deductions/<int:pk>/attachment/", deduction_attachment, name="deduction_attachment"),
    path("years/<int:pk>/sheets/", sheet_board, name="sheet_board"),
    path("years/<int:pk>/sheets/remind/", sheets_remind, name="sheets_remind"),
]
