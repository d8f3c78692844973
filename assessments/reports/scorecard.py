"""A unit's scorecard (计分卡): each indicator with its method, the inputs behind its points and
the inspections that moved them, each category's subtotal and the formula of the total.

The page (``scorecard.html``), the Excel export of one unit's scorecard and that of all units
(one sheet each) render these rows: every figure and explanation line comes from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cadres.models import Role
from cadres.templatetags.kaohe import points
from kaohe.lib.dates import cn_date
from kaohe.lib.xlsx import Sheet, strong_row

from ..models import AssessmentYear, Category, Indicator, IndicatorScore, UnitScore
from ..selectors.scoring import ScorecardCategory
from ..templatetags.scoring import inspection_kind_label, level_label, method_label, percent
from .common import shown, when


@dataclass(frozen=True)
class Line:
    """One line of an indicator's explanation: ``text``, then (for a finding that fails the
    one-vote veto) the ``veto`` mark, then ``tail``. ``tone`` is "danger" for a deduction and
    "success" for an addition (the page colours the line; Excel has the text)."""

    text: str
    veto: str = ""
    tail: str = ""
    tone: str = ""

    def __str__(self) -> str:
        return self.text + (f" {self.veto}" if self.veto else "") + self.tail


def _method_lines(method: str | None, i: dict) -> list[Line]:
    """What the method computed the points from."""
    if method == Indicator.Method.RATIO:
        if not i.get("report"):
            return [Line(_("no approved report yet"))]
        text = _("%(actual)s of %(target)s %(measure)s (report of month %(month)s)") % {
            "actual": i["actual"],
            "target": i["target_value"],
            "measure": i["measure"],
            "month": i["month"],
        }
        return [Line(f"{text} → {percent(i.get('ratio'))}")]
    if method == Indicator.Method.LEVELS:
        if not i.get("decision"):
            return [Line(_("no decision yet"))]
        return [Line(f"{level_label(i['level'])} × {i['factor']}：{i['reason']}")]
    if method == Indicator.Method.MANUAL:
        if not i.get("decision"):
            return [Line(_("no decision yet"))]
        return [Line(f"{_('entered')} {i['entered']}：{i['reason']}")]
    if method == Indicator.Method.MIDTERM:
        if not i.get("review"):
            return [Line(_("no mid-term review yet"))]
        return [Line(_("mid-term review score %(s)s / 100") % {"s": i["score"]})]
    if method == Indicator.Method.DEDUCTION:
        head = Line(_("full points, less deductions"))
        return [head, *(_entry_line(e) for e in i.get("entries", []))]
    if method == Indicator.Method.BONUS:
        return [
            Line(f"{cn_date(a['date'])} {a['reason']} +{a['points']}") for a in i.get("awards", [])
        ]
    return []


def entered_by(by: dict) -> str:
    """Who entered a deduction entry: the lead department (or the office) and the person."""
    where = by.get("unit", "") if by.get("role") == Role.LEAD else _("assessment office")
    return _("entered by %(where)s %(name)s") % {"where": where, "name": by.get("name", "")}


def _entry_line(e: dict) -> Line:
    source = f"（{e['source']}）" if e.get("source") else ""
    return Line(
        text=f"{cn_date(e['date'])} {_('deduction entry')} −{e['points']}",
        veto=_("veto") if e.get("vetoes") else "",
        tail=f"：{e['reason']}{source} · {entered_by(e.get('by', {}))}",
        tone="danger",
    )


def _finding_line(f: dict) -> Line:
    return Line(
        text=(
            f"{cn_date(f['date'])} {inspection_kind_label(f['kind'])}「{f['title']}」{f['points']}"
        ),
        veto=_("veto") if f.get("vetoes") else "",
        tail=f"：{f['description']}",
        tone="danger" if str(f["points"]).startswith("-") else "success",
    )


def input_lines(breakdown: dict) -> list[Line]:
    """An indicator's "Inputs": the method's inputs, then each inspection finding."""
    lines = _method_lines(breakdown.get("method"), breakdown.get("inputs", {}))
    return lines + [_finding_line(f) for f in breakdown.get("findings", [])]


def inputs_text(item: IndicatorScore) -> str:
    """The "Inputs" cell as plain text, line by line (as Excel has it)."""
    return "\n".join(str(line) for line in input_lines(item.breakdown))


@dataclass
class IndicatorRow:
    item: IndicatorScore
    name: str
    method: str
    lines: list[Line]

    @property
    def is_veto(self) -> bool:
        return self.item.indicator.is_veto

    @property
    def text(self) -> str:
        return "\n".join(str(line) for line in self.lines)


def _share(cat: ScorecardCategory) -> str:
    """How a weighted category's score comes about: "30 × 24.00 / 30.00"."""
    return f"{cat.weight} × {points(cat.points)} / {points(cat.max_points)}"


@dataclass
class CategoryRow:
    category: ScorecardCategory
    rows: list[IndicatorRow]
    # The bonus only: what counts into the total (its points capped), and the year's cap.
    counted: Decimal | None = None
    cap: Decimal | None = None

    @property
    def is_bonus(self) -> bool:
        return self.category.code == Category.BONUS

    @property
    def raw(self) -> Decimal:
        """The bonus points awarded, before the cap."""
        return self.category.points

    @property
    def figure(self) -> Decimal:
        """The category's result as the total counts it: its weighted score (the bonus: its
        points capped)."""
        if self.is_bonus:
            return self.category.points if self.counted is None else self.counted
        return self.category.score

    @property
    def limit(self) -> int | Decimal | None:
        """The most it can give: its weight (the bonus: its cap)."""
        return self.cap if self.is_bonus else self.category.weight

    @property
    def weight_text(self) -> str:
        if self.is_bonus and self.cap is not None:
            return bonus_text(self.raw, self.cap)
        return "" if self.category.weight is None else f"{_('weight')} {self.category.weight}%"

    @property
    def subtotal(self) -> str:
        label = _("Subtotal")
        if self.category.weight is not None:
            label += f"（{self.weight_text}：{_share(self.category)}）"
        elif self.is_bonus and self.cap is not None:
            label += f"（{self.weight_text}）"
        return label


def bonus_text(raw: Decimal, cap: Decimal) -> str:
    """ "awarded 3.50, capped at 3.00": the bonus before and after its cap."""
    return _("awarded %(raw)s, capped at %(cap)s") % {"raw": points(raw), "cap": points(cap)}


@dataclass
class Scorecard:
    score: UnitScore
    categories: list[CategoryRow]

    @property
    def rank_text(self) -> str:
        return f"{pgettext('ranking', 'Rank')} {self.score.rank}"

    @property
    def grade_text(self) -> str:
        return f"{_('Proposed grade')} {self.score.get_proposed_grade_display()}"

    @property
    def veto_events(self) -> list[str]:
        """What failed the one-vote veto: each finding or deduction entry marked so."""
        kinds = {"finding": _("inspection finding"), "deduction": _("deduction entry")}
        return [
            f"{row.item.indicator.name}：{cn_date(e['date'])} "
            f"{kinds.get(e['kind'], '')}「{e['text']}」"
            for cat in self.categories
            for row in cat.rows
            for e in row.item.breakdown.get("veto_events", [])
        ]

    @property
    def veto_text(self) -> str:
        return _("one-vote veto failed: grade capped at 一般") if self.score.veto_failed else ""

    @property
    def veto_detail(self) -> str:
        """Which events failed the veto, for the line under the grade."""
        events = self.veto_events if self.score.veto_failed else []
        return _("failed by: %(events)s") % {"events": "；".join(events)} if events else ""

    @property
    def computed_text(self) -> str:
        return f"{_('computed')} {when(self.score.computed_at)}"

    @property
    def formula_head(self) -> str:
        """The "Total = ..." line up to its result."""
        parts = []
        for row in self.categories:
            cat = row.category
            if row.is_bonus:
                continue
            part = f"{cat.label} {points(cat.score)}"
            if cat.weight is not None:
                part += f"（{_share(cat)}）"
            parts.append(part)
        raw = sum((row.raw for row in self.categories if row.is_bonus), Decimal(0))
        cap = bonus_text(raw, self.score.year.bonus_cap)
        bonus = f"{_('bonus')} {points(self.score.bonus)}（{cap}）"
        return f"{_('Total')} = {' + '.join([*parts, bonus])} = "

    @property
    def formula_total(self) -> str:
        return points(self.score.total)

    @property
    def formula(self) -> str:
        return self.formula_head + self.formula_total


def _indicator_row(item: IndicatorScore) -> IndicatorRow:
    return IndicatorRow(
        item=item,
        name=f"{item.indicator.code} {item.indicator.name}",
        method=method_label(item.breakdown.get("method", "")),
        lines=input_lines(item.breakdown),
    )


def scorecard(score: UnitScore, categories: list[ScorecardCategory]) -> Scorecard:
    """The scorecard of ``score`` from its categories (``selectors.scoring.scorecard``)."""
    return Scorecard(
        score=score,
        categories=[
            CategoryRow(
                category=cat,
                rows=[_indicator_row(i) for i in cat.items],
                **(
                    {"counted": score.bonus, "cap": score.year.bonus_cap}
                    if cat.code == Category.BONUS
                    else {}
                ),
            )
            for cat in categories
        ],
    )


# -- Excel ---------------------------------------------------------------------------------------


def _columns():
    return [
        (_("Category"), 14),
        (_("Indicator"), 30),
        (_("Scoring method"), 12),
        (_("Inputs"), 50),
        (_("By method"), 10),
        (_("Inspections"), 10),
        (_("Points"), 10),
        (_("Max"), 8),
    ]


def _rows(card: Scorecard):
    for cat in card.categories:
        label = cat.category.label
        for row in cat.rows:
            item = row.item
            name = row.name + (f"（{_('one-vote veto')}）" if row.is_veto else "")
            yield (
                label,
                name,
                row.method,
                row.text,
                shown(item.base_points),
                shown(item.adjustment) if item.adjustment else None,
                shown(item.points),
                shown(item.max_points),
            )
        yield strong_row((label, cat.subtotal, "", "", None, None, shown(cat.figure), cat.limit))
    yield strong_row(
        (_("Total"), card.grade_text, "", "", None, None, shown(card.score.total), None)
    )


def sheet(card: Scorecard) -> Sheet:
    score = card.score
    head = [score.get_unit_kind_display(), card.rank_text, card.grade_text]
    if card.veto_text:
        head.append(card.veto_text)
    if card.veto_detail:
        head.append(card.veto_detail)
    head.append(card.computed_text)
    return Sheet(
        title=f"{score.unit.name} · {_('Scorecard')} {score.year.year}",
        sheet_title=score.unit.name,
        subtitle=" · ".join(head) + "\n" + card.formula,
        columns=_columns(),
        header_groups=[("", 4), (_("Points"), 3), ("", 1)],
        rows=_rows(card),
    )


def filename(score: UnitScore) -> str:
    return _("%(unit)s scorecard %(year)s") % {"unit": score.unit.name, "year": score.year.year}


def year_sheets(
    year: AssessmentYear, cards: list[tuple[UnitScore, list[ScorecardCategory]]]
) -> list[Sheet]:
    """Every unit's scorecard (``selectors.scoring.year_scorecards``), one sheet each; one empty
    sheet when nothing is computed yet."""
    if not cards:
        return [
            Sheet(
                title=f"{year} · {_('Scorecard')}",
                subtitle=_("No scores computed yet."),
                columns=_columns(),
                rows=[],
            )
        ]
    return [sheet(scorecard(score, categories)) for score, categories in cards]


def year_filename(year: AssessmentYear) -> str:
    return _("%(year)s scorecards of all units") % {"year": year.year}
