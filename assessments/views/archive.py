"""The assessment archive (考核档案): a cadre's and a leadership team's record year after year,
the annual registration form (年度考核登记表), their PDF and Excel exports, and the team
analysis reports.

Who: office staff and leaders read the archives of their scope; office staff write the team
analysis reports (leaders get 403 there). Liaisons and cadres have no archive at all: every
URL here answers them 404, a cadre's own archive included — a cadre reads "my assessment"
(``assessments:me``), which shows their own records from the same selector.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import AssessmentYear, TeamAnalysis
from cadres.models import Cadre, Role, Unit
from cadres.scope import (
    STAFF_ROLES,
    ancestor_paths,
    cadres_for,
    can_write,
    role_of,
    role_required,
    units_for,
)
from kaohe.lib.downloads import content_disposition
from kaohe.lib.forms import apply_errors
from kaohe.lib.xlsx import add_sheet, build_workbook, xlsx_response

from ..forms.archive import TeamAnalysisForm
from ..selectors import archive as selectors
from ..services import archive as services

ANY_ROLE = tuple(Role.values)


def _get_cadre_for_user(request, pk: int) -> Cadre:
    """A cadre in the user's scope; 404 for anyone without an archive (liaisons, cadres —
    even for their own record) and for cadres outside the scope."""
    if role_of(request.user) not in STAFF_ROLES:
        raise Http404
    try:
        return cadres_for(request.user).select_related("unit", "unit__parent").get(pk=pk)
    except Cadre.DoesNotExist:
        raise Http404 from None


def _get_unit_for_user(request, pk: int, *, write: bool = False) -> Unit:
    """A unit in the user's scope; 404 for liaisons and cadres and outside the scope, 403 for
    a leader who tries to write."""
    if role_of(request.user) not in STAFF_ROLES:
        raise Http404
    try:
        unit = units_for(request.user).select_related("parent").get(pk=pk)
    except Unit.DoesNotExist:
        raise Http404 from None
    if write and not can_write(request.user):
        raise PermissionDenied
    return unit


def _pdf(template: str, context: dict, filename: str, ascii_name: str, request) -> HttpResponse:
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename, fallback=ascii_name)
    return response


# A cadre's archive -------------------------------------------------------------------------


@role_required(*ANY_ROLE)
def cadre_archive(request, pk):
    cadre = _get_cadre_for_user(request, pk)
    archive = selectors.cadre_archive(cadre)
    return render(request, "assessments/archive/cadre.html", {"archive": archive, "cadre": cadre})


@role_required(*ANY_ROLE)
def cadre_archive_pdf(request, pk):
    cadre = _get_cadre_for_user(request, pk)
    archive = selectors.cadre_archive(cadre)
    filename = _("%(name)s assessment archive.pdf") % {"name": cadre.name}
    return _pdf(
        "assessments/archive/cadre_pdf.html",
        {"archive": archive, "cadre": cadre},
        filename,
        f"archive-{cadre.number}.pdf",
        request,
    )


def _grade(result) -> str:
    return result.get_grade_display() if result else ""


@role_required(*ANY_ROLE)
def cadre_archive_xlsx(request, pk):
    cadre = _get_cadre_for_user(request, pk)
    archive = selectors.cadre_archive(cadre)
    title = _("Assessment archive of %(name)s") % {"name": cadre.name}
    subtitle = f"{cadre.unit.name} · {cadre.title} · {cadre.number}"
    wb = build_workbook(
        title=title,
        subtitle=subtitle,
        sheet_title=_("Annual results"),
        columns=[
            (_("Year"), 8),
            (_("Grade"), 14),
            (_("Proposed grade"), 14),
            (_("Composite"), 10),
            ("德", 9),
            ("廉", 9),
            ("绩", 9),
            (_("Unit's score"), 10),
            (_("Rank in quota group"), 10),
            (_("Rules applied"), 40),
            (_("Changes to the grade"), 40),
            (_("Findings"), 40),
        ],
        rows=[
            (
                y.year,
                _grade(y.result),
                y.result.get_proposed_grade_display() if y.result else "",
                y.result.composite if y.result else None,
                y.result.moral if y.result else None,
                y.result.integrity if y.result else None,
                y.result.performance if y.result else None,
                y.result.unit_score if y.result else None,
                y.result.rank if y.result else None,
                "\n".join(c.get("text", "") for c in y.result.caps) if y.result else "",
                "\n".join(
                    f"{c.get_before_display()} → {c.get_after_display()}: {c.reason}"
                    for c in y.changes
                ),
                "\n".join(f"{f.inspection.held_on} {f.description}" for f in y.findings),
            )
            for y in archive["years"]
        ],
    )
    add_sheet(
        wb,
        title=title,
        subtitle=subtitle,
        sheet_title=_("Consequences"),
        columns=[
            (_("Year"), 8),
            (_("Date"), 12),
            (_("Kind"), 24),
            (_("Content"), 40),
            (_("Deadline"), 12),
            (_("Closed on"), 12),
            (_("How it was closed"), 30),
        ],
        rows=[
            (
                c.year.year,
                c.decided_on,
                c.get_kind_display(),
                c.summary,
                c.deadline,
                c.closed_on,
                c.closing_note,
            )
            for c in archive["consequences"]
        ],
    )
    add_sheet(
        wb,
        title=title,
        subtitle=subtitle,
        sheet_title=_("Training"),
        columns=[
            (_("Kind"), 24),
            (_("Where"), 24),
            (_("Purpose"), 40),
            (_("From"), 12),
            (_("Until"), 12),
        ],
        rows=[
            (t.get_kind_display(), t.place, t.purpose, t.started_on, t.ended_on)
            for t in archive["trainings"]
        ],
    )
    add_sheet(
        wb,
        title=title,
        subtitle=subtitle,
        sheet_title=_("Eligibility flags"),
        columns=[(_("Flag"), 24), (_("Reason"), 60), (_("Valid from"), 12)],
        rows=[(f.get_kind_display(), f.reason, f.valid_from) for f in archive["flags"]],
    )
    return xlsx_response(wb, filename=_("%(name)s assessment archive.xlsx") % {"name": cadre.name})


# The annual registration form ----------------------------------------------------------------


def _registration_context(request, pk, year):
    cadre = _get_cadre_for_user(request, pk)
    years = AssessmentYear.objects.filter(county__path__in=ancestor_paths(cadre.unit.path))
    archive = selectors.cadre_archive(cadre)
    if year is None:
        year = next((y.year for y in archive["years"] if y.result), None)
        if year is None:
            year = years.order_by("-year").values_list("year", flat=True).first()
    assessment_year = years.filter(year=year).select_related("county").first()
    if assessment_year is None:
        raise Http404
    section = next((y for y in archive["years"] if y.year == year and y.result), None)
    section = section or selectors.CadreYear(year=year)
    # The post held at the end of the year (or the last one begun by then).
    post = next(
        (p for p in archive["posts"] if p.started_on.year <= year),
        archive["posts"][-1] if archive["posts"] else None,
    )
    return {"cadre": cadre, "year": assessment_year, "section": section, "post": post}


@role_required(*ANY_ROLE)
def cadre_registration(request, pk, year=None):
    context = _registration_context(request, pk, year)
    return render(request, "assessments/archive/registration.html", context)


@role_required(*ANY_ROLE)
def cadre_registration_pdf(request, pk, year=None):
    context = _registration_context(request, pk, year)
    filename = _("%(name)s %(year)s registration form.pdf") % {
        "name": context["cadre"].name,
        "year": context["year"].year,
    }
    ascii_name = f"registration-{context['cadre'].number}-{context['year'].year}.pdf"
    return _pdf("assessments/archive/registration_pdf.html", context, filename, ascii_name, request)


# A leadership team's archive -----------------------------------------------------------------


@role_required(*ANY_ROLE)
def unit_archive(request, pk):
    unit = _get_unit_for_user(request, pk)
    archive = selectors.team_archive(unit)
    return render(request, "assessments/archive/unit.html", {"archive": archive, "unit": unit})


@role_required(*ANY_ROLE)
def unit_archive_pdf(request, pk):
    unit = _get_unit_for_user(request, pk)
    archive = selectors.team_archive(unit)
    filename = _("%(name)s team archive.pdf") % {"name": unit.name}
    return _pdf(
        "assessments/archive/unit_pdf.html",
        {"archive": archive, "unit": unit},
        filename,
        f"team-archive-{unit.code}.pdf",
        request,
    )


@role_required(*ANY_ROLE)
def unit_archive_xlsx(request, pk):
    unit = _get_unit_for_user(request, pk)
    archive = selectors.team_archive(unit)
    title = _("Assessment archive of the leadership team of %(name)s") % {"name": unit.name}
    subtitle = f"{unit.get_kind_display()} · {unit.code}"
    wb = build_workbook(
        title=title,
        subtitle=subtitle,
        sheet_title=_("Annual results"),
        header_groups=[("", 4), (_("Score by category"), 4), ("", 5)],
        columns=[
            (_("Year"), 8),
            (_("Grade"), 14),
            (_("Proposed grade"), 14),
            (_("Total"), 10),
            (_("Party building"), 10),
            (_("Leading industry"), 10),
            (_("Departmental tasks"), 10),
            (_("Bonus"), 8),
            (_("Rank within kind"), 8),
            (_("Veto failed"), 8),
            (_("Findings"), 8),
            (_("Open rectification items"), 10),
            (_("Team analysis: conclusion"), 50),
        ],
        rows=[
            (
                y.year,
                y.result.get_grade_display() if y.result else "",
                y.result.get_proposed_grade_display() if y.result else "",
                y.total,
                y.score.party if y.score else None,
                y.score.industry if y.score else None,
                y.score.tasks if y.score else None,
                y.score.bonus if y.score else None,
                y.score.rank if y.score else None,
                y.veto_failed,
                len(y.findings),
                len(y.open_rectifications),
                y.analysis.conclusion if y.analysis else "",
            )
            for y in archive["years"]
        ],
    )
    add_sheet(
        wb,
        title=title,
        subtitle=subtitle,
        sheet_title=_("Leading cadres"),
        columns=[(_("Full name"), 12), (_("Post"), 24)]
        + [(str(n), 14) for n in archive["numbers"]],
        rows=[
            (
                row["cadre"].name,
                row["posts"][0].title,
                *[_grade(r) for r in row["grades"]],
            )
            for row in archive["grid"]
        ],
    )
    add_sheet(
        wb,
        title=title,
        subtitle=subtitle,
        sheet_title=_("Findings"),
        columns=[
            (_("Date"), 12),
            (_("Inspection"), 30),
            (_("Finding"), 50),
            (_("Points"), 8),
            (_("Rectification"), 30),
            (_("Status"), 10),
        ],
        rows=[
            (
                f.inspection.held_on,
                f.inspection.title,
                f.description,
                f.points,
                f.rectification.description if getattr(f, "rectification", None) else "",
                f.rectification.get_status_display() if getattr(f, "rectification", None) else "",
            )
            for y in archive["years"]
            for f in y.findings
        ],
    )
    return xlsx_response(wb, filename=_("%(name)s team archive.xlsx") % {"name": unit.name})


@role_required(*ANY_ROLE)
def team_analysis_edit(request, pk):
    """Add or edit the team analysis report of one year (office staff)."""
    unit = _get_unit_for_user(request, pk, write=True)
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
    path("units/<int:pk>/archive/xlsx/", unit_archive_xlsx, name="unit_archive_xlsx"),
    path("units/<int:pk>/archive/analysis/", team_analysis_edit, name="team_analysis_edit"),
]
