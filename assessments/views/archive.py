"""The assessment archive (考核档案): a cadre's and a leadership team's record year after year,
the annual registration form (年度考核登记表), their PDF and Excel exports, and the team
analysis reports.

Who: office staff and leaders read the archives of their scope; office staff write the team
analysis reports (leaders get 403 there). A cadre opens their own archive and registration form
(page and PDF) in the selector's own view (``own=True``: only published results, nothing about
anyone else), linked from "my assessment" (``assessments:me``); every other URL here answers a
cadre 404, and a liaison 404 everywhere.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.models import Job, TeamAnalysis
from cadres.models import Cadre, Role
from cadres.scope import STAFF_ROLES, can_write, get_for_user, role_of, role_required
from kaohe.lib.downloads import content_disposition
from kaohe.lib.forms import apply_errors
from kaohe.lib.xlsx import sheets_response

from ..forms.archive import TeamAnalysisForm
from ..reports import cadre_archive as cadre_report
from ..reports import registration
from ..reports import team_archive as team_report
from ..selectors import archive as selectors
from ..services import archive as services
from ..services.jobs import job_start

ANY_ROLE = tuple(Role.values)
# Who may open a cadre's archive page, its PDF and the registration form: a cadre only their own
# (``cadres_for``), in the own view.
OWN_ROLES = (*STAFF_ROLES, Role.CADRE)


def _own(request) -> bool:
    return role_of(request.user) == Role.CADRE


def _archive_of(request, pk) -> tuple[Cadre, dict]:
    cadre = get_for_user(request, selectors.archive_cadres_for, pk, roles=OWN_ROLES)
    return cadre, selectors.cadre_archive(cadre, own=_own(request))


def _pdf(request, template: str, context: dict, names: tuple[str, str]) -> HttpResponse:
    """``template`` as a PDF download; ``names``: its name and the ASCII fallback."""
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    filename, ascii_name = names
    response["Content-Disposition"] = content_disposition(filename, fallback=ascii_name)
    return response


# A cadre's archive -------------------------------------------------------------------------


@role_required(*ANY_ROLE)
def cadre_archive(request, pk):
    cadre, archive = _archive_of(request, pk)
    return render(request, "assessments/archive/cadre.html", {"archive": archive, "cadre": cadre})


@role_required(*ANY_ROLE)
def cadre_archive_pdf(request, pk):
    cadre, archive = _archive_of(request, pk)
    context = {"archive": archive, "cadre": cadre}
    names = cadre_report.pdf_filename(cadre)
    return _pdf(request, "assessments/archive/cadre_pdf.html", context, names)


@role_required(*ANY_ROLE)
def cadre_archive_xlsx(request, pk):
    cadre = get_for_user(request, selectors.archive_cadres_for, pk, roles=STAFF_ROLES)
    sheets = cadre_report.sheets(cadre, selectors.cadre_archive(cadre))
    return sheets_response(sheets, filename=cadre_report.filename(cadre))


# The annual registration form ----------------------------------------------------------------


def _registration(request, pk, year) -> dict:
    cadre = get_for_user(request, selectors.archive_cadres_for, pk, roles=OWN_ROLES)
    form = registration.registration(cadre, year, own=_own(request))
    if form is None:
        raise Http404
    return form


@role_required(*ANY_ROLE)
def cadre_registration(request, pk, year=None):
    context = _registration(request, pk, year)
    return render(request, "assessments/archive/registration.html", context)


@role_required(*ANY_ROLE)
def cadre_registration_pdf(request, pk, year=None):
    context = _registration(request, pk, year)
    names = registration.pdf_filename(context)
    return _pdf(request, "assessments/archive/registration_pdf.html", context, names)


# A leadership team's archive -----------------------------------------------------------------


@role_required(*ANY_ROLE)
def unit_archive(request, pk):
    unit = get_for_user(request, selectors.archive_units_for, pk, roles=STAFF_ROLES)
    archive = selectors.team_archive(unit)
    return render(request, "assessments/archive/unit.html", {"archive": archive, "unit": unit})


@role_required(*ANY_ROLE)
def unit_archive_pdf(request, pk):
    unit = get_for_user(request, selectors.archive_units_for, pk, roles=STAFF_ROLES)
    context = {"archive": selectors.team_archive(unit), "unit": unit}
    names = team_report.pdf_filename(unit)
    return _pdf(request, "assessments/archive/unit_pdf.html", context, names)


@require_POST
@role_required(*ANY_ROLE)
def unit_archive_pdfs(request, pk):
    """The team archive and every cadre's archive of the unit as PDFs in one zip: built by a
    job, whose page offers the zip to download."""
    unit = get_for_user(request, selectors.archive_units_for, pk, roles=STAFF_ROLES)
    back = reverse("assessments:unit_archive", args=[unit.pk])
    job = job_start(Job.Kind.UNIT_ARCHIVE_PDFS, request.user, unit=unit.pk, back=back)
    return redirect("assessments:job_detail", pk=job.pk)


@role_required(*ANY_ROLE)
def unit_archive_xlsx(request, pk):
    unit = get_for_user(request, selectors.archive_units_for, pk, roles=STAFF_ROLES)
    sheets = team_report.sheets(unit, selectors.team_archive(unit))
    return sheets_response(sheets, filename=team_report.filename(unit))


@role_required(*ANY_ROLE)
def team_analysis_edit(request, pk):
    """Add or edit the team analysis report of one year (office staff)."""
    # 404 outside the scope before 403 for a leader: the unit's existence never leaks.
    unit = get_for_user(request, selectors.archive_units_for, pk, roles=STAFF_ROLES)
    if not can_write(request.user):
        raise PermissionDenied
    years = selectors.team_years(unit)
    wanted = request.GET.get("year", "")
    plain = wanted.isascii() and wanted.isdigit()  # "²".isdigit() is true too
    chosen = years.filter(pk=wanted).first() if plain else None
    instance = TeamAnalysis.objects.filter(unit=unit, year=chosen).first() if chosen else None
    initial = {"year": chosen.pk if chosen else None, "written_on": timezone.localdate()}
    form = TeamAnalysisForm(
        request.POST or None, instance=instance, years=years, initial=None if instance else initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.team_analysis_save(
                unit=unit,
                year=data["year"],
                by=request.user,
                written_on=data["written_on"],
                strengths=data["strengths"],
                weaknesses=data["weaknesses"],
                conclusion=data["conclusion"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Team analysis report saved."))
            return redirect("assessments:unit_archive", pk=unit.pk)
    return render(request, "assessments/archive/analysis_form.html", {"form": form, "unit": unit})


@role_required(Role.CADRE)
def me(request):
    """A cadre's own page ("my assessment"): their published grades with the explanations,
    review requests, rectification items, training and flags, from the archive selector's
    own view (nothing about anyone else, nothing from the integrity archive)."""
    cadre = Cadre.objects.select_related("unit").filter(user=request.user).first()
    if cadre is None:
        raise Http404
    archive = selectors.cadre_archive(cadre, own=True)
    cadre.published_results = archive["results"]
    return render(
        request, "assessments/archive/me.html", {"cadre": cadre, "archive": archive, "is_me": True}
    )


urlpatterns = [
    path("me/", me, name="me"),
    path("cadres/<int:pk>/archive/", cadre_archive, name="cadre_archive"),
    path("cadres/<int:pk>/archive/pdf/", cadre_archive_pdf, name="cadre_archive_pdf"),
    path("cadres/<int:pk>/archive/xlsx/", cadre_archive_xlsx, name="cadre_archive_xlsx"),
    path("cadres/<int:pk>/registration/", cadre_registration, name="cadre_registration"),
    path("cadres/<int:pk>/registration/<int:year>/", cadre_registration, name="cadre_registration"),
    path(
        "cadres/<int:pk>/registration/pdf/", cadre_registration_pdf, name="cadre_registration_pdf"
    ),
    path(
        "cadres/<int:pk>/registration/<int:year>/pdf/",
        cadre_registration_pdf,
        name="cadre_registration_pdf",
    ),
    path("units/<int:pk>/archive/", unit_archive, name="unit_archive"),
    path("units/<int:pk>/archive/pdf/", unit_archive_pdf, name="unit_archive_pdf"),
    path("units/<int:pk>/archive/pdfs/", unit_archive_pdfs, name="unit_archive_pdfs"),
    path("units/<int:pk>/archive/xlsx/", unit_archive_xlsx, name="unit_archive_xlsx"),
    path("units/<int:pk>/archive/analysis/", team_analysis_edit, name="team_analysis_edit"),
]
