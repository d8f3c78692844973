"""A cadre's assessment archive (干部考核档案), year after year, newest first.

The page and the PDF render ``templates/assessments/archive/_cadre_body.html`` from the archive
selector's read (``selectors.archive.cadre_archive``); the Excel export writes the same read as
four sheets, here: the annual results, consequences, training and eligibility flags.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from cadres.models import Cadre
from kaohe.lib.dates import cn_date
from kaohe.lib.xlsx import Sheet

from ..selectors.archive import CadreYear
from .results import rules_applied


def grade(result) -> str:
    return result.get_grade_display() if result else ""


def title(cadre: Cadre) -> str:
    return _("Assessment archive of %(name)s") % {"name": cadre.name}


def subtitle(cadre: Cadre) -> str:
    return f"{cadre.unit.name} · {cadre.title} · {cadre.number}"


def _year_row(y: CadreYear) -> tuple:
    r = y.result
    changes = "\n".join(
        f"{c.get_before_display()} → {c.get_after_display()}: {c.reason}" for c in y.changes
    )
    findings = "\n".join(f"{cn_date(f.inspection.held_on)} {f.description}" for f in y.findings)
    if r is None:
        return (y.year, "", "", None, None, None, None, None, None, "", changes, findings)
    return (
        y.year,
        grade(r),
        r.get_proposed_grade_display(),
        r.composite,
        r.moral,
        r.integrity,
        r.performance,
        r.unit_score,
        r.rank,
        rules_applied(r),
        changes,
        findings,
    )


def _years_sheet(head: dict, archive: dict) -> Sheet:
    return Sheet(
        **head,
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
        rows=[_year_row(y) for y in archive["years"]],
    )


def _consequences_sheet(head: dict, archive: dict) -> Sheet:
    return Sheet(
        **head,
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


def _trainings_sheet(head: dict, archive: dict) -> Sheet:
    return Sheet(
        **head,
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


def _flags_sheet(head: dict, archive: dict) -> Sheet:
    return Sheet(
        **head,
        sheet_title=_("Eligibility flags"),
        columns=[(_("Flag"), 24), (_("Reason"), 60), (_("Valid from"), 12)],
        rows=[(f.get_kind_display(), f.reason, f.valid_from) for f in archive["flags"]],
    )


def sheets(cadre: Cadre, archive: dict) -> list[Sheet]:
    """The archive (``selectors.archive.cadre_archive``) as four sheets."""
    head = {"title": title(cadre), "subtitle": subtitle(cadre)}
    return [
        _years_sheet(head, archive),
        _consequences_sheet(head, archive),
        _trainings_sheet(head, archive),
        _flags_sheet(head, archive),
    ]


def filename(cadre: Cadre) -> str:
    return _("%(name)s assessment archive.xlsx") % {"name": cadre.name}


def pdf_filename(cadre: Cadre) -> tuple[str, str]:
    """The PDF's name, and its ASCII fallback."""
    name = _("%(name)s assessment archive.pdf") % {"name": cadre.name}
    return name, f"archive-{cadre.number}.pdf"
