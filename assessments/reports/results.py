"""The year's annual grades (年度考核结果) as a spreadsheet: every cadre with the parts of the
composite, the proposed and final grade and the rules applied, then the unit grades.

It takes the rows the results page lists (the same filters, every page of them) and writes the
figures as the page shows them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kaohe.lib.xlsx import Sheet

from ..models import AssessmentYear, CadreResult, GradingPolicy, UnitResult
from .common import shown


def policy_line(policy: GradingPolicy | None) -> str:
    """The policy's stage and the weights of the composite."""
    if policy is None:
        return ""
    weights = _(
        "Composite: 德 %(m)s%%, 廉 %(i)s%%, 绩 %(p)s%%, unit %(u)s%% (for leading cadres)"
    ) % {
        "m": policy.weight_moral,
        "i": policy.weight_integrity,
        "p": policy.weight_performance,
        "u": policy.weight_unit,
    }
    return " · ".join([policy.get_stage_display(), weights])


def rules_applied(result: CadreResult) -> str:
    """The rules applied to a cadre's grade, one a line."""
    return "\n".join(c.get("text", "") for c in result.caps)


def _cadre_row(r: CadreResult) -> tuple:
    return (
        r.group_label,
        r.rank,
        r.cadre.name,
        r.unit.name,
        r.cadre.title,
        shown(r.moral) if r.moral is not None else _("no moral-assessment result"),
        shown(r.integrity),
        shown(r.performance),
        shown(r.unit_score),
        shown(r.composite),
        r.get_proposed_grade_display(),
        r.get_grade_display(),
        rules_applied(r),
    )


def _cadre_sheet(year: AssessmentYear, subtitle: str, rows) -> Sheet:
    return Sheet(
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
        rows=(_cadre_row(r) for r in rows),
    )


def _unit_row(u: UnitResult) -> tuple:
    review = getattr(u, "review", None)
    return (
        u.unit.name,
        shown(u.total),
        u.get_proposed_grade_display(),
        u.get_grade_display(),
        _("veto failed") if u.veto_failed else "",
        review.get_outcome_display() if review else "",
    )


def _unit_sheet(year: AssessmentYear, subtitle: str, unit_results: list[UnitResult]) -> Sheet:
    return Sheet(
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
        rows=[_unit_row(u) for u in unit_results],
    )


def sheets(
    year: AssessmentYear, policy: GradingPolicy | None, rows, unit_results: list[UnitResult]
) -> list[Sheet]:
    """The cadres' grades (``rows``: the results page's rows), then the unit grades if any."""
    subtitle = policy_line(policy)
    result = [_cadre_sheet(year, subtitle, rows)]
    if unit_results:
        result.append(_unit_sheet(year, subtitle, unit_results))
    return result


def filename(year: AssessmentYear) -> str:
    return _("%(year)s annual grades") % {"year": year.year}
