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
``sheets_response``. An export of a whole scope passes ``stream=True`` to ``sheets_response`` or
``workbook_response`` (``stream_response``): the same workbook, written by a write-only workbook
row by row to a temporary file, so memory stays flat in the number of rows.
A row wrapped in ``strong_row(...)`` prints bold (subtotals, totals).

Cells: ``Decimal`` and ``float`` are numbers shown with 2 decimals, ``int`` whole numbers,
``date`` / ``datetime`` Excel dates (aware datetimes in local time), ``None`` an empty cell,
``bool`` Yes/No, lazy translations and anything else their text, always as text: a value that
starts with "=" is never written as a formula.
"""

import datetime
import math
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.cell_range import CellRange
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
    styles = _styles(wb)
    chars = sum(column[1] for column in columns)
    formats = [column[2] if len(column) > 2 else None for column in columns]
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column[1]
    lines = [(str(title), _TITLE_FONT, 24)]
    if subtitle:
        lines.append((str(subtitle), _SUBTITLE_FONT, 16))
    header_top = len(lines) + 1
    header_bottom = header_top + (1 if header_groups else 0)
    # Rows are appended top to bottom, each with its height set first, and the page set up
    # before the first: a write-only sheet writes them as they come (``stream_response``).
    _print_setup(ws, header_top, header_bottom, landscape)

    row = 0
    merges = []  # (first row, first column, last row, last column), made once the rows are in
    for text, font, line_height in lines:
        row += 1
        if width > 1:
            merges.append((row, 1, row, width))
        scale = font.sz / _BODY_FONT.sz
        _append(
            ws,
            row,
            [_styled(ws, text, font, _CENTER)],
            line_height * _lines(text, chars, scale) + 6,
        )

    header_lines = max(_lines(column[0], column[1]) for column in columns)
    header_height = _LINE_HEIGHT * header_lines + 4 if header_lines > 1 else None
    headers: list[str | None] = [column[0] for column in columns]
    if header_groups:
        group_labels: list = []
        col = 1
        for label, span in header_groups:
            last = col + span - 1
            if not label:
                # No group: each column's header takes both rows.
                for c in range(col, last + 1):
                    group_labels.append(headers[c - 1])
                    headers[c - 1] = None
                    merges.append((header_top, c, header_bottom, c))
            else:
                group_labels += [label] + [None] * (span - 1)
                if span > 1:
                    merges.append((header_top, col, header_top, last))
            col = last + 1
        row += 1
        _append(ws, row, [_header_cell(ws, label) for label in group_labels], None)
    row += 1
    _append(ws, row, [_header_cell(ws, label) for label in headers], header_height)

    for values in rows:
        font = _STRONG_FONT if isinstance(values, strong_row) else _BODY_FONT
        values = tuple(values)
        if len(values) != width:
            raise ValueError(f"row has {len(values)} cells for {width} columns: {values!r}")
        row += 1
        cells, lines_needed = [], 1
        for index, value in enumerate(values, start=1):
            cell = _data_cell(ws, value, font, formats[index - 1], styles)
            if cell.data_type == "s" and cell.value:
                lines_needed = max(lines_needed, _lines(cell.value, columns[index - 1][1]))
            cells.append(cell)
        # Not every spreadsheet program grows a row for wrapped text when it opens a file.
        _append(ws, row, cells, _LINE_HEIGHT * lines_needed + 4 if lines_needed > 1 else None)

    for merge in merges:
        _merge(ws, *merge)
    ws.print_area = f"A1:{get_column_letter(width)}{row}"
    return ws


def _append(ws, row: int, cells: list, height: float | None) -> None:
    """Append ``cells`` as row ``row`` of ``ws``, ``height`` points tall if given. A write-only
    sheet writes the row out at once, so its height is forgotten again (memory stays flat)."""
    if height is not None:
        ws.row_dimensions[row].height = height
    ws.append(cells)
    if isinstance(ws, WriteOnlyWorksheet) and height is not None:
        del ws.row_dimensions[row]


def _merge(ws, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
    if isinstance(ws, WriteOnlyWorksheet):  # merges are written after the rows
        ws.merged_cells.add(
            CellRange(min_col=first_col, min_row=first_row, max_col=last_col, max_row=last_row)
        )
    else:
        ws.merge_cells(
            start_row=first_row, start_column=first_col, end_row=last_row, end_column=last_col
        )


def xlsx_response(wb: Workbook, *, filename: str) -> HttpResponse:
    """The workbook as a download named ``filename`` (Chinese names survive: RFC 6266)."""
    if not filename.lower().endswith(".xlsx"):
        filename += ".xlsx"
    buffer = BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def sheets_response(
    sheets: Iterable[Sheet], *, filename: str, stream: bool = False
) -> HttpResponse | FileResponse:
    """The sheets, in order, as one workbook to download named ``filename``; with ``stream``
    written row by row (``stream_response``)."""
    if stream:
        return stream_response(sheets, filename=filename)
    wb = new_workbook()
    for sheet in sheets:
        add_sheet(wb, **vars(sheet))
    return xlsx_response(wb, filename=filename)


def streaming_workbook() -> Workbook:
    """A write-only workbook for ``add_sheet``: each row is written out as it comes."""
    return Workbook(write_only=True)


def stream_response(sheets: Iterable[Sheet], *, filename: str) -> FileResponse:
    """The sheets as one workbook to download, for exports of a whole scope: a write-only
    workbook writes each row to a temporary file as it comes, so memory does not grow with the
    number of rows (give the rows as an iterator, e.g. ``queryset.iterator()``), and the file
    is sent in chunks. Same layout, widths, formats and styles as ``xlsx_response``."""
    if not filename.lower().endswith(".xlsx"):
        filename += ".xlsx"
    wb = streaming_workbook()
    for sheet in sheets:
        add_sheet(wb, **vars(sheet))
    file = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    wb.save(file)
    file.seek(0)
    response = FileResponse(file, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def workbook_response(
    *,
    filename: str,
    title: str,
    columns: list[tuple[str, int]],
    rows: Iterable[Sequence],
    subtitle: str = "",
    header_groups: list[tuple[str, int]] | None = None,
    landscape: bool = True,
    stream: bool = False,
) -> HttpResponse | FileResponse:
    """A one-sheet export as a download: the usual way a view returns a table as Excel. With
    ``stream`` (a whole scope's rows), written row by row (``stream_response``)."""
    if stream:
        sheet = Sheet(title, columns, rows, subtitle, header_groups, landscape)
        return stream_response([sheet], filename=filename)
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


def _styled(ws, text: str, font: Font, alignment: Alignment) -> Cell:
    cell = WriteOnlyCell(ws, value=text)
    _never_formula(cell)
    cell.font = font
    cell.alignment = alignment
    return cell


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


def _header_cell(ws, label) -> Cell:
    cell = WriteOnlyCell(ws, value=None if label is None else str(label))
    _never_formula(cell)
    styles = _styles(ws.parent)
    if "header" in styles:
        cell._style = copy(styles["header"])
        return cell
    cell.font = _HEADER_FONT
    cell.alignment = _CENTER
    cell.border = _BORDER
    cell.fill = _HEADER_FILL
    styles["header"] = copy(cell._style)
    return cell


def _data_cell(ws, value, font: Font, number_format, styles) -> Cell:
    """One data cell, its style from ``styles`` once set up (see ``_styles``)."""
    value, default_format = _cell_value(value)
    cell = WriteOnlyCell(ws, value=value)
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


def _print_setup(ws, header_top: int, header_bottom: int, landscape: bool):
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = (
        Worksheet.ORIENTATION_LANDSCAPE if landscape else Worksheet.ORIENTATION_PORTRAIT
    )
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_title_rows = f"{header_top}:{header_bottom}"
    ws.freeze_panes = f"A{header_bottom + 1}"
    ws.oddFooter.center.text = "&P / &N"
    ws.oddFooter.center.size = 9
