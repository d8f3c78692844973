"""Excel workbooks for download, laid out for printing.

Every sheet has the same shape: a title row (and an optional subtitle row) merged across the
table, an optional row of merged group headers, the column headers, then the data. Printing
repeats the header rows on each page, the panes freeze below them, and the page is A4, landscape
by default, fitted to one page wide.

    return workbook_response(
        filename="排名.xlsx",
        title="2026年度 乡镇 综合考核排名",
        columns=[("Rank", 6), ("Unit", 24), ("Total", 10)],
        rows=[(1, "城关镇", Decimal("95.50"))],
    )

``header_groups`` is a list of (label, span) covering every column left to right; a group with
an empty label leaves its columns ungrouped, their headers taking both header rows.

A multi-sheet export builds the workbook with ``build_workbook`` and ``add_sheet`` and hands it to
``xlsx_response``, or describes each sheet as a ``Sheet`` and hands the list to
``sheets_response``. A row wrapped in ``strong_row(...)`` prints bold (subtotals, totals).

Cells: ``Decimal`` and ``float`` are numbers shown with 2 decimals, ``int`` whole numbers,
``date`` / ``datetime`` Excel dates (aware datetimes in local time), ``None`` an empty cell,
``bool`` Yes/No, lazy translations and anything else their text, always as text: a value that
starts with "=" is never written as a formula.
"""

import datetime
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .downloads import content_disposition

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DECIMAL_FORMAT = "0.00"
INTEGER_FORMAT = "0"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'  # dates in Chinese format, as on the pages
DATETIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'

FONT_NAME = "SimSun"  # 宋体: standard on Chinese Windows; WPS and LibreOffice substitute it
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="E7E6E6")
_TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True)
_SUBTITLE_FONT = Font(name=FONT_NAME, size=11)
_HEADER_FONT = Font(name=FONT_NAME, size=11, bold=True)
_BODY_FONT = Font(name=FONT_NAME, size=11)
_STRONG_FONT = Font(name=FONT_NAME, size=11, bold=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TEXT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_NUMBER = Alignment(horizontal="right", vertical="center")
_LINE_HEIGHT = 14.5  # points per line of 11 pt text

# Sheet names: at most 31 characters, none of these.
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_MAX = 31

Column = tuple[str, int] | tuple[str, int, str]
"""(header, width in characters) or (header, width, number format for that column's numbers)."""


class strong_row(tuple):  # noqa: N801 - reads as a marker at the call site: strong_row(values)
    """A row printed bold, e.g. a subtotal or total."""

    __slots__ = ()


@dataclass
class Sheet:
    """One sheet as ``add_sheet`` lays it out: what a report hands to ``sheets_response``."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]
    subtitle: str = ""
    header_groups: Sequence[tuple[str, int]] | None = None
    landscape: bool = True
    sheet_title: str = ""


def new_workbook() -> Workbook:
    """A workbook without sheets, for ``add_sheet`` to fill."""
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def build_workbook(**sheet) -> Workbook:
    """A workbook with one sheet laid out as described in the module docstring; ``sheet`` are
    the keyword arguments of ``add_sheet``."""
    wb = new_workbook()
    add_sheet(wb, **sheet)
    return wb


def add_sheet(
    wb: Workbook,
    *,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    subtitle: str = "",
    header_groups: Sequence[tuple[str, int]] | None = None,
    landscape: bool = True,
    sheet_title: str = "",
) -> Worksheet:
    """Append a sheet to ``wb``; ``sheet_title`` names its tab (default: ``title``), shortened
    and made unique as Excel requires."""
    if not columns:
        raise ValueError("an export needs at least one column")
    width = len(columns)
    if header_groups is not None and any(span < 1 for _, span in header_groups):
        raise ValueError("each header group spans at least one column")
    if header_groups is not None and sum(span for _, span in header_groups) != width:
        raise ValueError(
            f"header groups span {sum(span for _, span in header_groups)} columns, not {width}"
        )
    ws = wb.create_sheet(title=_sheet_name(wb, sheet_title or title))

    row = 1
    chars = sum(column[1] for column in columns)
    _merged_line(ws, row, chars, width, str(title), _TITLE_FONT, line_height=24)
    if subtitle:
        row += 1
        _merged_line(ws, row, chars, width, str(subtitle), _SUBTITLE_FONT, line_height=16)
    header_top = row + 1

    group_row = None
    if header_groups:
        row += 1
        group_row = row
    row += 1
    formats = []
    for index, column in enumerate(columns, start=1):
        header, chars = column[0], column[1]
        formats.append(column[2] if len(column) > 2 else None)
        _header_cell(ws, row, index, header)
        ws.column_dimensions[get_column_letter(index)].width = chars
    header_lines = max(_lines(column[0], column[1]) for column in columns)
    if header_lines > 1:
        ws.row_dimensions[row].height = _LINE_HEIGHT * header_lines + 4
    header_bottom = row

    if group_row is not None:
        col = 1
        for label, span in header_groups:
            last = col + span - 1
            if not label:
                # No group: each column's header takes both rows.
                for c in range(col, last + 1):
                    _header_cell(ws, group_row, c, ws.cell(row=row, column=c).value)
                    ws.cell(row=row, column=c).value = None
                    ws.merge_cells(start_row=group_row, start_column=c, end_row=row, end_column=c)
            else:
                for c in range(col, last + 1):
                    _header_cell(ws, group_row, c, label if c == col else None)
                if span > 1:
                    ws.merge_cells(
                        start_row=group_row, start_column=col, end_row=group_row, end_column=last
                    )
            col = last + 1

    styles = _styles(wb)
    for values in rows:
        font = _STRONG_FONT if isinstance(values, strong_row) else _BODY_FONT
        values = tuple(values)
        if len(values) != width:
            raise ValueError(f"row has {len(values)} cells for {width} columns: {values!r}")
        row += 1
        lines = 1
        for index, value in enumerate(values, start=1):
            cell = _data_cell(ws, row, index, value, font, formats[index - 1], styles)
            if cell.data_type == "s" and cell.value:
                lines = max(lines, _lines(cell.value, columns[index - 1][1]))
        if lines > 1:
            # Not every spreadsheet program grows a row for wrapped text when it opens a file.
            ws.row_dimensions[row].height = _LINE_HEIGHT * lines + 4

    _print_setup(ws, header_top, header_bottom, width, landscape)
    return ws


def xlsx_response(wb: Workbook, *, filename: str) -> HttpResponse:
    """The workbook as a download named ``filename`` (Chinese names survive: RFC 6266)."""
    if not filename.lower().endswith(".xlsx"):
        filename += ".xlsx"
    buffer = BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def sheets_response(sheets: Iterable[Sheet], *, filename: str) -> HttpResponse:
    """The sheets, in order, as one workbook to download named ``filename``."""
    wb = new_workbook()
    for sheet in sheets:
        add_sheet(wb, **vars(sheet))
    return xlsx_response(wb, filename=filename)


def workbook_response(
    *,
    filename: str,
    title: str,
    columns: list[tuple[str, int]],
    rows: Iterable[Sequence],
    subtitle: str = "",
    header_groups: list[tuple[str, int]] | None = None,
    landscape: bool = True,
) -> HttpResponse:
    """A one-sheet export as a download: the usual way a view returns a table as Excel."""
    wb = build_workbook(
        title=title,
        columns=columns,
        rows=rows,
        subtitle=subtitle,
        header_groups=header_groups,
        landscape=landscape,
    )
    return xlsx_response(wb, filename=filename)


def _sheet_name(wb: Workbook, wanted: str) -> str:
    base = _SHEET_NAME_FORBIDDEN.sub("_", str(wanted)).strip("' ") or "Sheet"
    base = base[:_SHEET_NAME_MAX]
    taken = {name.lower() for name in wb.sheetnames}
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: _SHEET_NAME_MAX - len(suffix)] + suffix
    return name


def _merged_line(
    ws: Worksheet, row: int, chars: int, width: int, text: str, font: Font, *, line_height: float
):
    """A line merged across the table, tall enough for its text to wrap (Excel does not grow
    merged rows by itself)."""
    cell = ws.cell(row=row, column=1, value=text)
    _never_formula(cell)
    cell.font = font
    cell.alignment = _CENTER
    if width > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.row_dimensions[row].height = line_height * _lines(text, chars, font.sz / _BODY_FONT.sz) + 6


def _lines(text: str, chars: int, scale: float = 1.0) -> int:
    """How many lines ``text`` wraps to in a width of ``chars`` character units."""
    chars = max(chars - 1, 1)  # cell padding
    return sum(
        max(1, math.ceil(_display_width(line) * scale / chars)) for line in str(text).split("\n")
    )


def _display_width(text: str) -> int:
    """Width in Excel's character units: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _styles(wb: Workbook) -> dict:
    """Styles already set up in the workbook, by what they are for. Copying a cell's style
    from here is many times faster than setting its font, border and alignment, which
    otherwise dominates the time of a large export."""
    if not hasattr(wb, "_kaohe_styles"):
        wb._kaohe_styles = {}
    return wb._kaohe_styles


def _header_cell(ws: Worksheet, row: int, col: int, label) -> None:
    cell = ws.cell(row=row, column=col, value=None if label is None else str(label))
    _never_formula(cell)
    styles = _styles(ws.parent)
    if "header" in styles:
        cell._style = copy(styles["header"])
        return
    cell.font = _HEADER_FONT
    cell.alignment = _CENTER
    cell.border = _BORDER
    cell.fill = _HEADER_FILL
    styles["header"] = copy(cell._style)


def _data_cell(ws: Worksheet, row: int, col: int, value, font: Font, number_format, styles):
    """Write one data cell, its style from ``styles`` once set up (see ``_styles``)."""
    value, default_format = _cell_value(value)
    cell = ws.cell(row=row, column=col, value=value)
    if default_format is None:
        _never_formula(cell)
        key = (id(font), None)
    else:
        is_number = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
        key = (id(font), number_format if (number_format and is_number) else default_format)
    if key in styles:
        cell._style = copy(styles[key])
        return cell
    cell.font = font
    cell.border = _BORDER
    if key[1] is None:
        cell.alignment = _TEXT
    else:
        cell.alignment = _NUMBER
        cell.number_format = key[1]
    styles[key] = copy(cell._style)
    return cell


def _never_formula(cell) -> None:
    """Text from users ("=HYPERLINK(...)") stays text: openpyxl would write it as a formula."""
    if cell.data_type == "f":
        cell.data_type = "s"


def _cell_value(value):
    """(value openpyxl can store, number format or None for text)."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return (gettext("Yes") if value else gettext("No")), None
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None, None
        return value, DECIMAL_FORMAT
    if isinstance(value, float):
        return value, DECIMAL_FORMAT
    if isinstance(value, int):
        return value, INTEGER_FORMAT
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        return value, DATETIME_FORMAT
    if isinstance(value, datetime.date):
        return value, DATE_FORMAT
    if isinstance(value, Promise):
        return str(value), None
    return str(value), None


def _print_setup(ws: Worksheet, header_top: int, header_bottom: int, width: int, landscape: bool):
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_title_rows = f"{header_top}:{header_bottom}"
    ws.freeze_panes = ws.cell(row=header_bottom + 1, column=1)
    ws.oddFooter.center.text = "&P / &N"
    ws.oddFooter.center.size = 9
    last = get_column_letter(width)
    ws.print_area = f"A1:{last}{max(ws.max_row, header_bottom)}"
