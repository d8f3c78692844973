"""Monthly progress: the liaison's unit home and report form, evidence downloads, report detail,
the office's review queue (approve / return) and the county progress overview."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.models import ASSESSED_KINDS, Role, Unit
from cadres.scope import STAFF_ROLES, can_write, get_for_user, role_required, units_for
from kaohe.lib.cache import year_cached
from kaohe.lib.forms import apply_errors

from .. import services
from ..forms.progress import ReportForm, ReturnForm
from ..models import THREE_THIRDS, Category, ProgressReport
from ..selectors import progress_pages as pages
from ..selectors.catalog import year_detail
from ..selectors.progress import default_month, target_statuses
from .years import chosen_year

REPORT_READERS = (Role.OFFICE, Role.LEADER, Role.LIAISON, Role.LEAD)


def _int_param(request, name: str, choices) -> int | None:
    try:
        value = int(request.GET.get(name, ""))
    except ValueError:
        return None
    return value if value in choices else None


@role_required(Role.LIAISON)
def my_unit(request):
    """The liaison's home: this month's targets, what is due, what was returned; for the year
    of ?year=, else the latest year whose reporting has begun (``chosen_year``)."""
    year = chosen_year(request)
    if year is None:
        return render(request, "assessments/progress/my_unit.html", {"year": None})
    today = timezone.localdate()
    home = pages.unit_home(request.user, year, today=today)
    return render(
        request,
        "assessments/progress/my_unit.html",
        {"year": year, "home": home, "today": today},
    )


def _submit(request, target, form: ReportForm) -> bool:
    """Submit the valid form's report; False (with the refusal on the form) if refused."""
    data = form.cleaned_data
    try:
        report = services.progress_submit(
            target=target,
            month=data["month"],
            narrative=data["narrative"],
            actual_value=data["actual_value"],
            files=data["files"],
            by=request.user,
        )
    except ValidationError as error:
        apply_errors(form, error)
        return False
    messages.success(
        request,
        _("Report for month %(month)s submitted.") % {"month": report.month}
        + (" " + _("It was late.") if report.is_late else ""),
    )
    return True


@role_required(Role.LIAISON)
def report_submit(request, pk):
    """The monthly report on a target: cumulative actual, narrative and evidence files."""
    target = get_for_user(request, pages.target_for_report, pk)
    year = target.year
    today = timezone.localdate()
    months = pages.reportable_months(year, today) or [1]
    month = _int_param(request, "month", months) or months[-1]
    existing = ProgressReport.objects.filter(target=target, month=month).first()
    initial = {"month": month}
    if existing is not None and existing.status == ProgressReport.Status.RETURNED:
        initial.update(actual_value=existing.actual_value, narrative=existing.narrative)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        target=target,
        months=months,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid() and _submit(request, target, form):
        return redirect(f"{reverse('assessments:my_unit')}?year={year.pk}")
    if form.is_bound and form.cleaned_data.get("month", month) != month:
        # The side panel follows the month chosen in the form, not the one in the address.
        month = form.cleaned_data["month"]
        existing = ProgressReport.objects.filter(target=target, month=month).first()
    status = target_statuses([target], year=year, month=month, today=today)[target.pk]
    return render(
        request,
        "assessments/progress/report_form.html",
        {"target": target, "year": year, "form": form, "existing": existing, "status": status},
    )


@role_required(*REPORT_READERS)
def evidence(request, pk):
    """An evidence file, only for those who may see its unit."""
    item = get_for_user(request, pages.evidence_detail, pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )


@role_required(*REPORT_READERS)
def report_detail(request, pk):
    report = get_for_user(request, pages.report_detail, pk)
    target = report.target
    today = timezone.localdate()
    status = target_statuses([target], year=target.year, month=report.month, today=today)
    return render(
        request,
        "assessments/progress/report_detail.html",
        {
            "report": report,
            "target": target,
            "year": target.year,
            "status": status[target.pk],
            "return_form": ReturnForm(),
            "next": _next_url(request, report),
            "reviews": can_write(request.user) and report.status == ProgressReport.Status.SUBMITTED,
        },
    )


@role_required(*STAFF_ROLES)
def report_queue(request, pk):
    """Submitted reports of the year awaiting review, oldest first."""
    year = get_for_user(request, year_detail, pk)
    kind = request.GET.get("kind", "")
    filters = {
        "month": _int_param(request, "month", range(1, 13)),
        "kind": kind if kind in ASSESSED_KINDS else "",
        "q": request.GET.get("q", "").strip(),
    }
    page = Paginator(pages.report_queue(year, **filters), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessments/progress/report_queue.html",
        {
            "year": year,
            "page": page,
            "query": query.urlencode(),
            "filters": filters,
            "kinds": [(k, Unit.Kind(k).label) for k in ASSESSED_KINDS],
            "months": range(1, 13),
        },
    )


def _next_url(request, report: ProgressReport) -> str:
    """Where a review returns to: ?next= when it is on this site, else the year's queue."""
    target = request.POST.get("next") or request.GET.get("next")
    # A path on this site only: anything else would be read as a URL name by redirect().
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return reverse("assessments:report_queue", args=[report.target.year_id])


def _back(request, report: ProgressReport):
    return redirect(_next_url(request, report))


def _label(report: ProgressReport) -> str:
    return f"{report.target.unit.name} · {report.target.indicator.name} · {report.month}月"


@require_POST
@role_required(Role.OFFICE, write=True)
def report_approve(request, pk):
    report = get_for_user(request, pages.report_detail, pk, write=True)
    try:
        services.progress_approve(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Approved: %(report)s.") % {"report": _label(report)})
    return _back(request, report)


@require_POST
@role_required(Role.OFFICE, write=True)
def report_return(request, pk):
    report = get_for_user(request, pages.report_detail, pk, write=True)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the report is returned."))
        return _back(request, report)
    try:
        services.progress_return(report=report, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Returned to the unit: %(report)s.") % {"report": _label(report)}
        )
    return _back(request, report)


def _get_overview_for_user(
    request, year, *, today
) -> tuple[pages.ProgressOverview, dict, Unit | None]:
    """The progress overview as the page's ?month=, ?kind=, ?category=, ?sort= and ?unit= ask
    for it (unknown values fall back to the defaults), with the filters in effect and the unit;
    404 for a unit outside the user's scope or the year's county. Shared by the page and its
    export."""
    month = _int_param(request, "month", range(1, 13)) or default_month(year, today)
    kind = request.GET.get("kind", "")
    kind = kind if kind in ASSESSED_KINDS else ""
    category = request.GET.get("category", "")
    category = category if category in THREE_THIRDS else ""
    sort = request.GET.get("sort", "worst")
    sort = sort if sort in pages.OVERVIEW_SORTS else "worst"
    unit = None
    if request.GET.get("unit"):
        unit = get_for_user(
            request,
            lambda user: units_for(user).filter(path__startswith=year.county.path),
            request.GET["unit"],
        )
    unit_id = unit.pk if unit else None
    overview = year_cached(  # per year, month, day and filters, until the inputs change
        year.pk,
        ("progress", month, today, kind, category, unit_id, sort),
        lambda: pages.progress_overview(
            year, month=month, today=today, kind=kind, category=category, unit=unit_id, sort=sort
        ),
    )
    filters = {"kind": kind, "category": category, "month": month, "sort": sort}
    return overview, filters, unit


@role_required(*STAFF_ROLES)
def progress_overview(request, pk):
    """Status counts per unit, worst first; with ?unit= one unit's targets."""
    year = get_for_user(request, year_detail, pk)
    overview, filters, unit = _get_overview_for_user(request, year, today=timezone.localdate())
    return render(
        request,
        "assessments/progress/overview.html",
        {
            "year": year,
            "overview": overview,
            "unit": unit,
            "filters": filters,
            "kinds": [(k, Unit.Kind(k).label) for k in ASSESSED_KINDS],
            "categories": [(c, Category(c).label) for c in THREE_THIRDS],
            "months": range(1, 13),
            "colors": pages.OVERVIEW_COLORS,
        },
    )


urlpatterns = [
    path("my-unit/", my_unit, name="my_unit"),
    path("targets/<int:pk>/report/", report_submit, name="report_submit"),
    path("evidence/<int:pk>/", evidence, name="evidence"),
    path("reports/<int:pk>/", report_detail, name="report_detail"),
    path("reports/<int:pk>/approve/", report_approve, name="report_approve"),
    path("reports/<int:pk>/return/", report_return, name="report_return"),
    path("years/<int:pk>/reports/", report_queue, name="report_queue"),
    path("years/<int:pk>/progress/", progress_overview, name="progress_overview"),
]
