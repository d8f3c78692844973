"""Excel exports of the rankings, scorecards, progress overview and annual grades.

Each export mirrors one page: the same roles and scope (404 outside it), the same selector and
filters, and the same figures, rounded to two decimals exactly as the page shows them.
"""

from decimal import Decimal

from django.urls import path
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cadres.models import Role, Unit
from cadres.scope import STAFF_ROLES, role_required
from cadres.templatetags.kaohe import points
from kaohe.lib import xlsx

from ..models import (
    Category,
    GradingPolicy,
    Indicator,
    IndicatorScore,
    UnitResult,
    UnitScore,
)
from ..selectors import progress_pages as pages
from ..selectors.progress import Color
from ..selectors.scoring import ScorecardCategory, year_scorecards
from ..selectors.scoring import rankings as select_rankings
from ..selectors.scoring import scorecard as select_scorecard
from ..templatetags.scoring import inspection_kind_label, level_label, method_label, percent
from .catalog import _get_year_for_user
from .grading import _cadre_results
from .progress import _get_overview_for_user
from .scoring import _get_score_for_user

DATETIME = "Y年n月j日 H:i"
DATE = "Y年n月j日"


def _p(value) -> Decimal | None:
    """Points as the page shows them: two decimals (the `points` filter), kept a number."""
    return None if value is None or value == "" else Decimal(points(value))


def _when(value) -> str:
    return date_format(timezone.localtime(value), DATETIME) if value else ""


# -- rankings ----------------------------------------------------------------------------------


def _ranking_columns(weights: dict[str, int]):
    def third(label, code):
        return (f"{label} /{weights[code]}" if weights else label, 12)

    return [
        (pgettext("ranking", "Rank"), 6),
        (_("Unit"), 28),
        third(_("Party building"), "party"),
        third(_("Leading industry"), "industry"),
        third(_("Departmental tasks"), "tasks"),
        (_("Bonus"), 9),
        (_("Total"), 10),
        (_("Proposed grade"), 14),
        (_("one-vote veto"), 14),
    ]


def _ranking_groups():
    return [("", 2), (_("Category scores (the three thirds)"), 3), ("", 4)]


@role_required(*STAFF_ROLES)
def rankings_xlsx(request, pk):
    """The rankings page, one sheet per unit kind."""
    year = _get_year_for_user(request, pk)
    groups = select_rankings(year)
    computed = max((s.computed_at for g in groups for s in g.scores), default=None)
    subtitle = (
        _("Computed %(at)s; totals are exact, shown to two decimals; ties share a rank.")
        % {"at": _when(computed)}
        if computed
        else _("No scores computed yet.")
    )
    wb = xlsx.new_workbook()
    for group in groups:
        xlsx.add_sheet(
            wb,
            title=f"{year} · {_('Scores and rankings')} · {group.label}",
            sheet_title=group.label,
            subtitle=subtitle,
            columns=_ranking_columns(group.weights),
            header_groups=_ranking_groups(),
            rows=(
                (
                    s.rank,
                    s.unit.name,
                    _p(s.party),
                    _p(s.industry),
                    _p(s.tasks),
                    _p(s.bonus),
                    _p(s.total),
                    s.get_proposed_grade_display(),
                    _("veto failed") if s.veto_failed else "",
                )
                for s in group.scores
            ),
        )
    if not groups:
        xlsx.add_sheet(
            wb,
            title=f"{year} · {_('Scores and rankings')}",
            subtitle=subtitle,
            columns=_ranking_columns({}),
            header_groups=_ranking_groups(),
            rows=[],
        )
    return xlsx.xlsx_response(
        wb, filename=_("%(year)s scores and rankings") % {"year": year.year} + ".xlsx"
    )


# -- scorecards --------------------------------------------------------------------------------


def _scorecard_columns():
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


def inputs_text(item: IndicatorScore) -> str:
    """The scorecard page's "Inputs" cell as plain text, line by line."""
    b = item.breakdown
    i = b.get("inputs", {})
    method = b.get("method")
    lines = []
    if method == Indicator.Method.RATIO:
        if i.get("report"):
            lines.append(
                _("%(actual)s of %(target)s %(measure)s (report of month %(month)s)")
                % {
                    "actual": i["actual"],
                    "target": i["target_value"],
                    "measure": i["measure"],
                    "month": i["month"],
                }
                + f" → {percent(i.get('ratio'))}"
            )
        else:
            lines.append(_("no approved report yet"))
    elif method == Indicator.Method.LEVELS:
        if i.get("decision"):
            lines.append(f"{level_label(i['level'])} × {i['factor']}：{i['reason']}")
        else:
            lines.append(_("no decision yet"))
    elif method == Indicator.Method.MANUAL:
        if i.get("decision"):
            lines.append(f"{_('entered')} {i['entered']}：{i['reason']}")
        else:
            lines.append(_("no decision yet"))
    elif method == Indicator.Method.MIDTERM:
        if i.get("review"):
            lines.append(_("mid-term review score %(s)s / 100") % {"s": i["score"]})
        else:
            lines.append(_("no mid-term review yet"))
    elif method == Indicator.Method.DEDUCTION:
        lines.append(_("full points, less deductions"))
    elif method == Indicator.Method.BONUS:
        lines.extend(f"{a['date']} {a['reason']} +{a['points']}" for a in i.get("awards", []))
    for f in b.get("findings", []):
        veto = f" {_('veto')}" if f.get("vetoes") else ""
        lines.append(
            f"{f['date']} {inspection_kind_label(f['kind'])}「{f['title']}」{f['points']}{veto}："
            f"{f['description']}"
        )
    return "\n".join(lines)


def _formula(score: UnitScore, categories: list[ScorecardCategory]) -> str:
    """The page's "Total = ..." line."""
    parts = []
    for cat in categories:
        if cat.code == Category.BONUS:
            continue
        part = f"{cat.label} {points(cat.score)}"
        if cat.weight is not None:
            part += f"（{cat.weight} × {points(cat.points)} / {points(cat.max_points)}）"
        parts.append(part)
    cap = _("capped at %(cap)s") % {"cap": points(score.year.bonus_cap)}
    bonus = f"{_('bonus')} {points(score.bonus)}（{cap}）"
    return f"{_('Total')} = {' + '.join([*parts, bonus])} = {points(score.total)}"


def _scorecard_rows(score: UnitScore, categories: list[ScorecardCategory]):
    for cat in categories:
        for item in cat.items:
            name = f"{item.indicator.code} {item.indicator.name}"
            if item.indicator.is_veto:
                name += f"（{_('one-vote veto')}）"
            yield (
                cat.label,
                name,
                method_label(item.breakdown.get("method", "")),
                inputs_text(item),
                _p(item.base_points),
                _p(item.adjustment) if item.adjustment else None,
                _p(item.points),
                _p(item.max_points),
            )
        is_bonus = cat.code == Category.BONUS
        label = _("Subtotal")
        if cat.weight is not None:
            label += f"（{_('weight')} {cat.weight}%：{cat.weight} × "
            label += f"{points(cat.points)} / {points(cat.max_points)}）"
        yield xlsx.strong_row(
            (
                cat.label,
                label,
                "",
                "",
                None,
                None,
                _p(cat.points if is_bonus else cat.score),
                None if is_bonus else cat.weight,
            )
        )
    grade = f"{_('Proposed grade')} {score.get_proposed_grade_display()}"
    yield xlsx.strong_row((_("Total"), grade, "", "", None, None, _p(score.total), None))


def _scorecard_sheet(wb, score: UnitScore, categories: list[ScorecardCategory]):
    head = [
        score.get_unit_kind_display(),
        f"{pgettext('ranking', 'Rank')} {score.rank}",
        f"{_('Proposed grade')} {score.get_proposed_grade_display()}",
    ]
    if score.veto_failed:
        head.append(_("one-vote veto failed: grade capped at 一般"))
    head.append(f"{_('computed')} {_when(score.computed_at)}")
    xlsx.add_sheet(
        wb,
        title=f"{score.unit.name} · {_('Scorecard')} {score.year.year}",
        sheet_title=score.unit.name,
        subtitle=" · ".join(head) + "\n" + _formula(score, categories),
        columns=_scorecard_columns(),
        header_groups=[("", 4), (_("Points"), 3), ("", 1)],
        rows=_scorecard_rows(score, categories),
    )


@role_required(Role.OFFICE, Role.LEADER, Role.LIAISON)
def scorecard_xlsx(request, pk):
    """One unit's scorecard page (a liaison: their own unit's)."""
    score = _get_score_for_user(request, pk)
    wb = xlsx.new_workbook()
    _scorecard_sheet(wb, score, select_scorecard(score))
    filename = _("%(unit)s scorecard %(year)s") % {"unit": score.unit.name, "year": score.year.year}
    return xlsx.xlsx_response(wb, filename=filename + ".xlsx")


@role_required(*STAFF_ROLES)
def scorecards_xlsx(request, pk):
    """Every unit's scorecard of the year, one sheet per unit, in ranking order."""
    year = _get_year_for_user(request, pk)
    cards = year_scorecards(year)
    wb = xlsx.new_workbook()
    for score, categories in cards:
        _scorecard_sheet(wb, score, categories)
    if not cards:
        xlsx.add_sheet(
            wb,
            title=f"{year} · {_('Scorecard')}",
            subtitle=_("No scores computed yet."),
            columns=_scorecard_columns(),
            rows=[],
        )
    return xlsx.xlsx_response(
        wb, filename=_("%(year)s scorecards of all units") % {"year": year.year} + ".xlsx"
    )


# -- progress overview -------------------------------------------------------------------------


def _progress(statuses) -> Decimal | None:
    """A unit's progress as the monthly bulletin counts it: the mean of min(actual / plan, 1)
    over its numeric targets."""
    ratios = [min(s.ratio, Decimal(1)) for s in statuses if s.ratio is not None]
    return sum(ratios, Decimal(0)) / len(ratios) if ratios else None


def _ratio(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.0001"))


def _floatformat(value) -> Decimal | None:
    """Like the page's ``floatformat:"-2"``: two decimals at most."""
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


@role_required(*STAFF_ROLES)
def progress_overview_xlsx(request, pk):
    """The progress overview page with the same month, filters and order; with ?unit= that
    unit's targets."""
    year = _get_year_for_user(request, pk)
    overview, filters, unit = _get_overview_for_user(request, year, today=timezone.localdate())
    month, kind, category = filters["month"], filters["kind"], filters["category"]
    subtitle = [
        _("Status at the end of month %(month)s; reports due by %(d)s.")
        % {"month": month, "d": date_format(overview.deadline, DATE)}
    ]
    if kind:
        subtitle.append(str(Unit.Kind(kind).label))
    if category:
        subtitle.append(str(Category(category).label))
    title = f"{year} · {_('Progress overview')}"
    filename = _("%(year)s progress, month %(month)s") % {"year": year.year, "month": month}
    if unit is not None:
        title += f" · {unit.name}"
        filename += f" {unit.name}"
        wb = xlsx.build_workbook(
            title=title,
            sheet_title=unit.name,
            subtitle=" · ".join(subtitle),
            columns=[
                (_("Indicator"), 32),
                (_("Category"), 14),
                (_("Target value"), 12),
                (_("Measure"), 8),
                (_("Plan to date"), 12),
                (_("Actual to date"), 12),
                (_("Actual / plan"), 10, "0%"),
                (_("Status"), 12),
                (_("This month's report"), 16),
            ],
            rows=_unit_progress_rows(overview),
        )
        return xlsx.xlsx_response(wb, filename=filename + ".xlsx")
    colors = pages.OVERVIEW_COLORS
    wb = xlsx.build_workbook(
        title=title,
        sheet_title=_("Progress overview"),
        subtitle=" · ".join(subtitle),
        columns=[
            (_("Unit"), 28),
            (_("Unit kind"), 12),
            (_("Targets"), 8),
            *[(str(Color(c).label), 10) for c in colors],
            (_("Progress (mean of actual / plan)"), 14, "0.0%"),
        ],
        header_groups=[("", 3), (_("Targets by status"), len(colors)), ("", 1)],
        rows=[
            *(
                (
                    row.unit.name,
                    row.unit.get_kind_display(),
                    row.total,
                    *[row.counts[c] for c in colors],
                    _ratio(_progress(row.statuses)),
                )
                for row in overview.units
            ),
            xlsx.strong_row(
                (
                    _("Total"),
                    "",
                    overview.total,
                    *[overview.summary[c] for c in colors],
                    _ratio(_progress([s for row in overview.units for s in row.statuses])),
                )
            ),
        ],
    )
    return xlsx.xlsx_response(wb, filename=filename + ".xlsx")


def _unit_progress_rows(overview):
    for row in overview.units:
        for s in row.statuses:
            t = s.target
            report = ""
            if s.report:
                report = s.report.get_status_display()
                if s.report.is_late:
                    report += f"（{_('late')}）"
            yield (
                f"{t.indicator.code} {t.indicator.name}",
                t.indicator.get_category_display(),
                _floatformat(t.target_value),
                t.measure if t.target_value is not None else "",
                _floatformat(s.plan),
                _floatformat(s.actual),
                _ratio(s.ratio),
                s.color_label,
                report,
            )


# -- annual grades -----------------------------------------------------------------------------


def _policy_line(policy: GradingPolicy | None) -> str:
    if policy is None:
        return ""
    parts = [
        policy.get_stage_display(),
        _("Composite: 德 %(m)s%%, 廉 %(i)s%%, 绩 %(p)s%%, unit %(u)s%% (for leading cadres)")
        % {
            "m": policy.weight_moral,
            "i": policy.weight_integrity,
            "p": policy.weight_performance,
            "u": policy.weight_unit,
        },
    ]
    return " · ".join(parts)


@role_required(*STAFF_ROLES)
def results_xlsx(request, pk):
    """The annual grades page: every cadre (all pages, same filters), then the unit grades."""
    year = _get_year_for_user(request, pk)
    policy = GradingPolicy.objects.filter(year=year).first()
    rows, _grade = _cadre_results(request, year)
    unit_results = UnitResult.objects.filter(year=year).select_related("unit", "review")
    wb = xlsx.new_workbook()
    subtitle = _policy_line(policy)
    xlsx.add_sheet(
        wb,
        title=f"{year} · {_('Annual grades of cadres')}",
        sheet_title=_("Annual grades of cadres"),
        subtitle=subtitle,
        columns=[
            (_("Group"), 14),
            (pgettext("ranking", "Rank"), 6),
            (_("Full name"), 10),
            (_("Unit"), 22),
            (_("Post"), 18),
            ("德", 8),
            ("廉", 8),
            ("绩", 8),
            (_("Unit"), 8),
            (_("Composite"), 10),
            (_("Proposed"), 14),
            (_("Grade"), 14),
            (_("Rules applied"), 40),
        ],
        header_groups=[("", 5), (_("Parts of the composite"), 4), ("", 4)],
        rows=(
            (
                r.quota_group,
                r.rank,
                r.cadre.name,
                r.unit.name,
                r.cadre.title,
                _p(r.moral),
                _p(r.integrity),
                _p(r.performance),
                _p(r.unit_score),
                _p(r.composite),
                r.get_proposed_grade_display(),
                r.get_grade_display(),
                "\n".join(c.get("text", "") for c in r.caps),
            )
            for r in rows
        ),
    )
    unit_results = list(unit_results)
    if unit_results:
        xlsx.add_sheet(
            wb,
            title=f"{year} · {_('Unit grades')}",
            sheet_title=_("Unit grades"),
            subtitle=subtitle,
            columns=[
                (_("Unit"), 28),
                (_("Total"), 10),
                (_("Proposed"), 16),
                (_("Grade"), 16),
                (_("one-vote veto"), 14),
                (_("Review request"), 16),
            ],
            rows=[
                (
                    u.unit.name,
                    _p(u.total),
                    u.get_proposed_grade_display(),
                    u.get_grade_display(),
                    _("veto failed") if u.veto_failed else "",
                    _review(u).get_outcome_display() if _review(u) else "",
                )
                for u in unit_results
            ],
        )
    return xlsx.xlsx_response(
        wb, filename=_("%(year)s annual grades") % {"year": year.year} + ".xlsx"
    )


def _review(result):
    return getattr(result, "review", None)


urlpatterns = [
    path("years/<int:pk>/rankings.xlsx", rankings_xlsx, name="rankings_xlsx"),
    path("years/<int:pk>/scorecards.xlsx", scorecards_xlsx, name="scorecards_xlsx"),
    path("scores/<int:pk>/scorecard.xlsx", scorecard_xlsx, name="scorecard_xlsx"),
    path("years/<int:pk>/progress.xlsx", progress_overview_xlsx, name="progress_overview_xlsx"),
    path("years/<int:pk>/results.xlsx", results_xlsx, name="results_xlsx"),
]
