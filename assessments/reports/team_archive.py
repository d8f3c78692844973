"""A leadership team's assessment archive (领导班子考核档案), year after year, newest first.

The page and the PDF render ``templates/assessments/archive/_unit_body.html`` from the archive
selector's read (``selectors.archive.team_archive``); the Excel export writes the same read as
three sheets, here: the annual results, the leading cadres' grades and the findings.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from cadres.models import Unit
from kaohe.lib.xlsx import Sheet

from ..selectors.archive import TeamYear
from .cadre_archive import grade


def title(unit: Unit) -> str:
    return _("Assessment archive of the leadership team of %(name)s") % {"name": unit.name}


def _year_row(y: TeamYear) -> tuple:
    r, s = y.result, y.score
    return (
        y.year,
        r.get_grade_display() if r else "",
        r.get_proposed_grade_display() if r else "",
        y.total,
        s.party if s else None,
        s.industry if s else None,
        s.tasks if s else None,
        s.bonus if s else None,
        s.rank if s else None,
        y.veto_failed,
        len(y.findings),
        len(y.open_rectifications),
        y.analysis.conclusion if y.analysis else "",
    )


def _years_sheet(head: dict, archive: dict) -> Sheet:
    return Sheet(
        **head,
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
        rows=[_year_row(y) for y in archive["years"]],
    )


def _leaders_sheet(head: dict, archive: dict) -> Sheet:
    return Sheet(
        **head,
        sheet_title=_("Leading cadres"),
        columns=[(_("Full name"), 12), (_("Post"), 24)]
        + [(str(n), 14) for n in archive["numbers"]],
        rows=[
            (row["cadre"].name, row["posts"][0].title, *[grade(r) for r in row["grades"]])
            for row in archive["grid"]
        ],
    )


def _finding_row(f) -> tuple:
    rectification = getattr(f, "rectification", None)
    return (
        f.inspection.held_on,
        f.inspection.title,
        f.description,
        f.points,
        rectification.description if rectification else "",
        rectification.get_status_display() if rectification else "",
    )


def _findings_sheet(head: dict, archive: dict) -> Sheet:
    return Sheet(
        **head,
        sheet_title=_("Findings"),
        columns=[
            (_("Date"), 12),
            (_("Inspection"), 30),
            (_("Finding"), 50),
            (_("Points"), 8),
            (_("Rectification"), 30),
            (_("Status"), 10),
        ],
        rows=[_finding_row(f) for y in archive["years"] for f in y.findings],
    )


def sheets(unit: Unit, archive: dict) -> list[Sheet]:
    """The archive (``selectors.archive.team_archive``) as three sheets."""
    head = {"title": title(unit), "subtitle": f"{unit.get_kind_display()} · {unit.code}"}
    return [
        _years_sheet(head, archive),
        _leaders_sheet(head, archive),
        _findings_sheet(head, archive),
    ]


def filename(unit: Unit) -> str:
    return _("%(name)s team archive.xlsx") % {"name": unit.name}


def pdf_filename(unit: Unit) -> tuple[str, str]:
    """The PDF's name, and its ASCII fallback."""
    return _("%(name)s team archive.pdf") % {"name": unit.name}, f"team-archive-{unit.code}.pdf"
