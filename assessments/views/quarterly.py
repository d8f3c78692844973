"""Quarterly daily assessment (季度平时考核): the cadre's quarters and record, the grader's queue
and confirmation, the office's overview, export and settings, reviews, and the personal summary.

A principal leader grades through their own cadre account: the duty comes from their post
(``Cadre.is_principal``), so every grading view checks ``may_grade`` rather than a role."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.models import Cadre, Role
from cadres.scope import STAFF_ROLES, get_for_user, role_of, role_required
from kaohe.lib.forms import apply_errors
from kaohe.lib.xlsx import workbook_response

from ..forms.quarterly import (
    AnswerForm,
    ConfirmForm,
    GradeForm,
    RecordForm,
    ReviewForm,
    SettingsForm,
    SummaryForm,
    quarter_param,
)
from ..models import PersonalSummary, QuarterRecord
from ..selectors import quarterly as selectors
from ..services import quarterly as services

ALL_ROLES = (Role.OFFICE, Role.LEADER, Role.LIAISON, Role.CADRE)
OVERVIEW_ROLES = (Role.OFFICE, Role.LEADER, Role.LIAISON)


def _own_cadre(request) -> Cadre:
    cadre = Cadre.objects.select_related("unit").filter(user=request.user).first()
    if cadre is None:
        raise Http404
    return cadre


def _year(request, pk, **kwargs):
    return get_for_user(request, selectors.quarter_years_for, pk, **kwargs)


def _quarter(request, year) -> int:
    default = selectors.default_quarter(year, timezone.localdate())
    return quarter_param(request.GET.get("quarter", request.POST.get("quarter")), default)


def _queue_url(year_id) -> str:
    return reverse("assessments:quarter_queue", args=[year_id])


def _errors(request, form) -> None:
    messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))


@role_required(Role.CADRE)
def mine(request):
    cadre = _own_cadre(request)
    context = {
        "cadre": cadre,
        "years": selectors.my_quarters(cadre, timezone.localdate()),
        "grader": services.grader_cadre(request.user) is not None,
    }
    return render(request, "assessments/quarterly/mine.html", context)


@role_required(Role.CADRE)
def record_write(request, pk):
    year, cadre = _year(request, pk), _own_cadre(request)
    quarter = _quarter(request, year)
    settings = services.settings_for(year)
    record = QuarterRecord.objects.filter(year=year, cadre=cadre, quarter=quarter).first()
    initial = (
        {f: getattr(record, f) for f in ("work_done", "key_tasks", "problems_plans")}
        if record
        else None
    )
    form = RecordForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        max_chars=settings.record_max_chars,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.quarter_record_write(
                year=year, cadre=cadre, quarter=quarter, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your record of quarter %(q)s is saved.") % {"q": quarter})
            return redirect("assessments:quarter_mine")
    context = {"year": year, "quarter": quarter, "form": form, "record": record,
               "window": services.window(settings, quarter)}  # fmt: skip
    return render(request, "assessments/quarterly/record_form.html", context)


@role_required(*ALL_ROLES)
def record_detail(request, pk):
    record = get_for_user(request, selectors.records_for, pk)
    settings = services.settings_for(record.year)
    grader = services.may_grade(request.user, record, settings)
    own = record.cadre.user_id == request.user.pk
    context = {
        "record": record,
        "grader": grader,
        "own": own,
        "show_grade": bool(record.confirmed_at) or not own or grader,
        "grade_form": GradeForm(initial={"grade": record.grade, "comment": record.comment}),
        "review": getattr(record, "review", None),
        "changes": record.changes.select_related("by") if not own or grader else [],
        "office": role_of(request.user) == Role.OFFICE,
    }
    return render(request, "assessments/quarterly/record_detail.html", context)


@require_POST
@role_required(*ALL_ROLES)
def record_grade(request, pk):
    record = get_for_user(request, selectors.records_for, pk)
    if not services.may_grade(request.user, record, services.settings_for(record.year)):
        raise PermissionDenied
    form = GradeForm(request.POST)
    if form.is_valid():
        try:
            services.quarter_grade(record=record, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
    if form.errors:
        _errors(request, form)
    else:
        messages.success(request, _("%(name)s's quarter is graded.") % {"name": record.cadre.name})
    if request.POST.get("back") == "queue":
        return redirect(f"{_queue_url(record.year_id)}?quarter={record.quarter}")
    return redirect("assessments:quarter_record", record.pk)


@require_POST
@role_required(Role.CADRE)
def review_file(request, pk):
    record = get_for_user(request, selectors.own_records, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.quarter_review_file(record=record, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
    if form.errors:
        _errors(request, form)
    else:
        messages.success(request, _("Your request for a review is filed."))
    return redirect("assessments:quarter_record", record.pk)


@require_POST
@role_required(Role.OFFICE, write=True)
def review_answer(request, pk):
    record = get_for_user(request, selectors.records_for, pk, write=True)
    review = getattr(record, "review", None)
    if review is None:
        raise Http404
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.quarter_review_answer(review=review, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
    if form.errors:
        _errors(request, form)
    else:
        messages.success(request, _("The review is answered."))
    return redirect("assessments:quarter_record", record.pk)


@role_required(*ALL_ROLES)
def record_attachment(request, pk):
    record = get_for_user(request, selectors.records_for, pk)
    if not record.attachment:
        raise Http404
    try:
        handle = record.attachment.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=record.attachment_name,
                        content_type=record.attachment_type)  # fmt: skip


@role_required(Role.CADRE, Role.OFFICE, Role.LEADER)
def queue(request, pk):
    year = _year(request, pk)
    quarter = _quarter(request, year)
    units = selectors.grader_queue(request.user, year, quarter)
    if units is None:
        raise PermissionDenied
    context = {"year": year, "quarter": quarter, "units": units, "quarters": (1, 2, 3, 4),
               "grades": GradeForm.base_fields["grade"].choices}  # fmt: skip
    return render(request, "assessments/quarterly/queue.html", context)


@require_POST
@role_required(Role.CADRE, Role.OFFICE, Role.LEADER)
def confirm(request, pk):
    """Confirm the grades the user gave in a unit for a quarter of a year (by its number)."""
    unit = get_for_user(request, selectors.confirmable_units, pk)
    form = ConfirmForm(request.POST)
    year = form.is_valid() and selectors.year_of_unit(request.user, unit, form.cleaned_data["year"])
    if not year:
        raise Http404
    if not selectors.grades_anyone(request.user, year):
        raise PermissionDenied
    quarter = form.cleaned_data["quarter"]
    try:
        n = services.quarter_confirm(year=year, unit=unit, quarter=quarter, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(unit)s: %(n)s grades confirmed.") % {"unit": unit.name, "n": n}
        )
    return redirect(f"{_queue_url(year.pk)}?quarter={quarter}")


@role_required(*OVERVIEW_ROLES)
def overview(request, pk):
    year = _year(request, pk)
    quarter = _quarter(request, year)
    board = selectors.overview(request.user, year, quarter, timezone.localdate())
    context = {"year": year, "quarter": quarter, "quarters": (1, 2, 3, 4), **board}
    return render(request, "assessments/quarterly/overview.html", context)


@role_required(*STAFF_ROLES)
def export(request, pk):
    year = _year(request, pk)
    quarter = _quarter(request, year)
    rows = [
        (r.unit.name, r.cadre.name, r.cadre.title, r.submitted_at, _("Yes") if r.late else "",
         r.get_grade_display() if r.confirmed_at else "", r.comment if r.confirmed_at else "",
         r.work_done, r.key_tasks, r.problems_plans)
        for r in selectors.export_rows(request.user, year, quarter)
    ]  # fmt: skip
    return workbook_response(
        filename=f"{year.year}年第{quarter}季度平时考核.xlsx",
        title=_("%(year)s quarter %(q)s daily assessment") % {"year": year.year, "q": quarter},
        subtitle=year.county.name,
        columns=[(_("Unit"), 18), (_("Full name"), 10), (_("Post"), 16), (_("Written at"), 16),
                 (_("Late"), 6), (_("Quarter grade"), 8), (_("Comment"), 24), (_("Work done"), 40),
                 (_("Key and urgent tasks"), 30), (_("Problems and plans"), 30)],
        rows=rows,
    )  # fmt: skip


@role_required(Role.OFFICE)
def settings_edit(request, pk):
    year = _year(request, pk)
    form = SettingsForm(request.POST or None, instance=services.settings_for(year))
    if request.method == "POST":
        _year(request, pk, write=True)
        if form.is_valid():
            try:
                services.quarter_settings_set(year=year, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The quarterly settings are saved."))
                return redirect("assessments:quarter_overview", year.pk)
    return render(request, "assessments/quarterly/settings.html", {"year": year, "form": form})


@role_required(Role.CADRE)
def summary_write(request, pk):
    year, cadre = _year(request, pk), _own_cadre(request)
    summary = PersonalSummary.objects.filter(year=year, cadre=cadre).first()
    form = SummaryForm(request.POST or None, initial={"text": summary.text if summary else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.summary_write(year=year, cadre=cadre, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your personal summary is saved."))
            return redirect("assessments:quarter_mine")
    opens, closes = services.summary_window(services.settings_for(year))
    context = {"year": year, "form": form, "opens": opens, "closes": closes}
    return render(request, "assessments/quarterly/summary_form.html", context)


@role_required(*STAFF_ROLES)
def summaries(request, pk):
    year = _year(request, pk)
    missing = selectors.summaries_missing(request.user, year)
    return render(
        request, "assessments/quarterly/summaries.html", {"year": year, "missing": missing}
    )


urlpatterns = [
    path("me/quarters/", mine, name="quarter_mine"),
    path("me/quarters/<int:pk>/write/", record_write, name="quarter_write"),
    path("me/summary/<int:pk>/", summary_write, name="summary_write"),
    path("quarters/<int:pk>/", record_detail, name="quarter_record"),
    path("quarters/<int:pk>/grade/", record_grade, name="quarter_grade"),
    path("quarters/<int:pk>/review/", review_file, name="quarter_review"),
    path("quarters/<int:pk>/answer/", review_answer, name="quarter_answer"),
    path("quarters/<int:pk>/attachment/", record_attachment, name="quarter_attachment"),
    path("years/<int:pk>/quarters/", overview, name="quarter_overview"),
    path("years/<int:pk>/quarters/queue/", queue, name="quarter_queue"),
    path("units/<int:pk>/quarters/confirm/", confirm, name="quarter_confirm"),
    path("years/<int:pk>/quarters/xlsx/", export, name="quarter_export"),
    path("years/<int:pk>/quarters/settings/", settings_edit, name="quarter_settings"),
    path("years/<int:pk>/summaries/", summaries, name="summaries"),
]
