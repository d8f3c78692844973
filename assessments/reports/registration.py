"""The annual registration form (年度考核登记表) of a cadre: the page and its PDF render
``templates/assessments/archive/_registration_body.html`` with what ``registration`` returns.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from cadres.models import Cadre
from cadres.scope import ancestor_paths

from ..models import AssessmentYear
from ..selectors import archive as selectors
from ..selectors.quarterly import registration_quarters


def registration(cadre: Cadre, year: int | None, *, own: bool = False) -> dict | None:
    """The form of ``year`` (default: the latest year with a result, else the county's latest
    year): the cadre, the assessment year, the year's section of the archive and the post held
    at the end of the year. None when the county has no such year.
    ``own``: the cadre's own form, from the archive's own view (a result not yet published is
    left out, so the form shows no score or grade for that year)."""
    years = AssessmentYear.objects.filter(county__path__in=ancestor_paths(cadre.unit.path))
    archive = selectors.cadre_archive(cadre, own=own)
    if year is None:
        year = next((y.year for y in archive["years"] if y.result), None)
        if year is None:
            year = years.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        return None
    assessment_year = years.filter(year=year).select_related("county").first()
    if assessment_year is None:
        return None
    section = next((y for y in archive["years"] if y.year == year and y.result), None)
    section = section or selectors.CadreYear(year=year)
    # The post held at the end of the year (or the last one begun by then).
    post = next(
        (p for p in archive["posts"] if p.started_on.year <= year),
        archive["posts"][-1] if archive["posts"] else None,
    )
    return {
        "cadre": cadre,
        "year": assessment_year,
        "section": section,
        "post": post,
        **registration_quarters(cadre, assessment_year),
    }


def pdf_filename(form: dict) -> tuple[str, str]:
    """The PDF's name, and its ASCII fallback."""
    cadre, year = form["cadre"], form["year"].year
    name = _("%(name)s %(year)s registration form.pdf") % {"name": cadre.name, "year": year}
    return name, f"registration-{cadre.number}-{year}.pdf"
