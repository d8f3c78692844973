"""The progress overview (进度总览) as a spreadsheet: per unit the targets by status and the
progress as the monthly bulletin counts it; with a unit chosen, that unit's targets.

It takes the overview the page reads (``selectors.progress_pages.progress_overview``) with the
same month, filters and order, and writes the page's counts and figures.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from cadres.models import Unit
from kaohe.lib.numbers import PERCENT_FORMAT
from kaohe.lib.xlsx import Sheet, strong_row

from ..models import AssessmentYear, Category
from ..selectors import progress_pages as pages
from ..selectors.progress import Color, progress_mean
from .common import DATE, shown_ratio


def _floatformat(value) -> Decimal | None:
    """Like the page's ``floatformat:"-2"``: two decimals at most."""
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def _subtitle(overview, filters: dict) -> str:
    parts = [
        _("Status at the end of month %(month)s; reports due by %(d)s.")
        % {"month": filters["month"], "d": date_format(overview.deadline, DATE)}
    ]
    if filters["kind"]:
        parts.append(str(Unit.Kind(filters["kind"]).label))
    if filters["category"]:
        parts.append(str(Category(filters["category"]).label))
    return " · ".join(parts)


def _report_cell(status) -> str:
    if not status.report:
        return ""
    text = status.report.get_status_display()
    return text + (f"（{_('late')}）" if status.report.is_late else "")


def _unit_rows(overview):
    for row in overview.units:
        for s in row.statuses:
            t = s.target
            yield (
                f"{t.indicator.code} {t.indicator.name}",
                t.indicator.get_category_display(),
                _floatformat(t.target_value),
                t.measure if t.target_value is not None else "",
                _floatformat(s.plan),
                _floatformat(s.actual),
                shown_ratio(s.ratio),
                s.color_label,
                _report_cell(s),
            )


def _unit_sheet(title: str, unit: Unit, subtitle: str, overview) -> Sheet:
    return Sheet(
        title=f"{title} · {unit.name}",
        sheet_title=unit.name,
        subtitle=subtitle,
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
        rows=_unit_rows(overview),
    )


def _county_rows(overview, colors):
    for row in overview.units:
        yield (
            row.unit.name,
            row.unit.get_kind_display(),
            row.total,
            *[row.counts[c] for c in colors],
            shown_ratio(progress_mean(row.statuses)),
        )
    every = [s for row in overview.units for s in row.statuses]
    yield strong_row(
        (
            _("Total"),
            "",
            overview.total,
            *[overview.summary[c] for c in colors],
            shown_ratio(progress_mean(every)),
        )
    )


def _county_sheet(title: str, subtitle: str, overview) -> Sheet:
    colors = pages.OVERVIEW_COLORS
    return Sheet(
        title=title,
        sheet_title=_("Progress overview"),
        subtitle=subtitle,
        columns=[
            (_("Unit"), 28),
            (_("Unit kind"), 12),
            (_("Targets"), 8),
            *[(str(Color(c).label), 10) for c in colors],
            (_("Progress (mean of actual / plan)"), 14, PERCENT_FORMAT),
        ],
        header_groups=[("", 3), (_("Targets by status"), len(colors)), ("", 1)],
        rows=_county_rows(overview, colors),
    )


def sheets(year: AssessmentYear, overview, filters: dict, unit: Unit | None) -> list[Sheet]:
    """The overview as the page shows it: the units, or with ``unit`` that unit's targets."""
    title = f"{year} · {_('Progress overview')}"
    subtitle = _subtitle(overview, filters)
    if unit is not None:
        return [_unit_sheet(title, unit, subtitle, overview)]
    return [_county_sheet(title, subtitle, overview)]


def filename(year: AssessmentYear, filters: dict, unit: Unit | None) -> str:
    name = _("%(year)s progress, month %(month)s") % {"year": year.year, "month": filters["month"]}
    return f"{name} {unit.name}" if unit is not None else name
