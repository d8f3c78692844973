"""The year's scores and rankings (综合考核排名): the units of each kind by rank, their three
thirds, bonus, total and proposed grade. The page (``rankings.html``) and its Excel export (one
sheet per unit kind) render these groups and this subtitle.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kaohe.lib.xlsx import Sheet

from ..models import AssessmentYear, UnitScore
from ..selectors.scoring import KindRanking
from .common import shown, when

FIGURES = ("party", "industry", "tasks", "bonus", "total")


@dataclass
class Row:
    score: UnitScore

    @property
    def figures(self) -> list:
        return figures(self.score)

    @property
    def veto(self) -> str:
        return _("veto failed") if self.score.veto_failed else ""

    @property
    def cells(self) -> tuple:
        s = self.score
        return (s.rank, s.unit.name, *self.figures, s.get_proposed_grade_display(), self.veto)


@dataclass
class Table:
    group: KindRanking

    @property
    def thirds(self) -> list[tuple[str, int | None]]:
        return thirds(self.group.weights)

    @property
    def rows(self) -> list[Row]:
        return [Row(s) for s in self.group.scores]


@dataclass
class Rankings:
    year: AssessmentYear
    groups: list[KindRanking]

    @property
    def computed_at(self):
        return max((s.computed_at for g in self.groups for s in g.scores), default=None)

    @property
    def subtitle(self) -> str:
        computed = self.computed_at
        if not computed:
            return _("No scores computed yet.")
        return _("Computed %(at)s; totals are exact, shown to two decimals; ties share a rank.") % {
            "at": when(computed)
        }

    @property
    def tables(self) -> list[Table]:
        return [Table(g) for g in self.groups]

    @property
    def title(self) -> str:
        return f"{self.year} · {_('Scores and rankings')}"


def rankings(year: AssessmentYear, groups: list[KindRanking]) -> Rankings:
    """The rankings of ``year`` from ``selectors.scoring.rankings``."""
    return Rankings(year=year, groups=groups)


def figures(score: UnitScore) -> list:
    """A unit's figures in column order, as the page shows them."""
    return [shown(getattr(score, name)) for name in FIGURES]


def thirds(weights: dict[str, int]) -> list[tuple[str, int | None]]:
    """The three thirds' column headers: (label, weight out of 100, when the kind has one)."""
    labels = [_("Party building"), _("Leading industry"), _("Departmental tasks")]
    return [
        (label, weights[code] if weights else None)
        for label, code in zip(labels, ("party", "industry", "tasks"), strict=True)
    ]


def _columns(weights: dict[str, int]):
    return [
        (pgettext("ranking", "Rank"), 6),
        (_("Unit"), 28),
        *[(f"{label} /{w}" if w is not None else label, 12) for label, w in thirds(weights)],
        (_("Bonus"), 9),
        (_("Total"), 10),
        (_("Proposed grade"), 14),
        (_("one-vote veto"), 14),
    ]


def _groups():
    return [("", 2), (_("Category scores (the three thirds)"), 3), ("", 4)]


def sheets(report: Rankings) -> list[Sheet]:
    """One sheet per unit kind (one empty sheet when nothing is computed yet)."""
    result = [
        Sheet(
            title=f"{report.title} · {table.group.label}",
            sheet_title=table.group.label,
            subtitle=report.subtitle,
            columns=_columns(table.group.weights),
            header_groups=_groups(),
            rows=[row.cells for row in table.rows],
        )
        for table in report.tables
    ]
    return result or [
        Sheet(
            title=report.title,
            subtitle=report.subtitle,
            columns=_columns({}),
            header_groups=_groups(),
            rows=[],
        )
    ]


def filename(year: AssessmentYear) -> str:
    return _("%(year)s scores and rankings") % {"year": year.year}
