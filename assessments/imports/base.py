"""The generic part of the Excel imports: open an uploaded workbook, read a sheet whose first
row holds Chinese column headers, parse each cell, and collect every problem as
(sheet, row, column, message).

An importer (one module per kind) declares its sheets and columns and applies the parsed rows
through the services, inside one transaction that ``run_import`` rolls back on any problem or
for a preview. A problem with the file itself (wrong type, not a workbook, a missing sheet, an
empty sheet, an unknown or missing header) refuses the whole file with ``FileRefused``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Limits on what is read, not only on what is uploaded: a small .xlsx can unpack to gigabytes
# (a decompression bomb) or hold a million blank rows. The declared sizes in the zip directory
# bound what is read: Python's zipfile never reads a member past its declared size.
MAX_UNCOMPRESSED_BYTES = 120 * 1024 * 1024
MAX_ROWS = 50_000  # rows of one sheet, blank rows included
MAX_CELL_CHARS = 10_000
REQUIRED_MARK = "*"
HELP_SHEET = "说明"


class FileRefused(Exception):
    """The file as a whole cannot be read: nothing in it is looked at further."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------------------------
# Cell parsers: each turns a cell's value into a Python value or raises ValueError(message).


class Parser:
    def parse(self, value):  # pragma: no cover - every parser overrides it
        raise NotImplementedError

    def describe(self) -> str:
        return ""


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass
class Text(Parser):
    max_length: int = 200

    def parse(self, value):
        text = _cell_text(value)
        if len(text) > self.max_length:
            raise ValueError(
                _("At most %(n)s characters (this one has %(len)s).")
                % {"n": self.max_length, "len": len(text)}
            )
        return text

    def describe(self):
        return _("Text, at most %(n)s characters.") % {"n": self.max_length}


@dataclass
class Integer(Parser):
    minimum: int | None = None
    maximum: int | None = None

    def parse(self, value):
        if isinstance(value, bool):
            raise ValueError(_("Enter a whole number."))
        if isinstance(value, str):
            value = value.strip().rstrip("月").strip()
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise ValueError(_("Enter a whole number.")) from None
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueError(_("Enter a whole number."))
        number = int(number)
        if self.minimum is not None and number < self.minimum:
            raise ValueError(_("At least %(n)s.") % {"n": self.minimum})
        if self.maximum is not None and number > self.maximum:
            raise ValueError(_("At most %(n)s.") % {"n": self.maximum})
        return number

    def describe(self):
        if self.minimum is not None and self.maximum is not None:
            return _("Whole number from %(a)s to %(b)s.") % {"a": self.minimum, "b": self.maximum}
        if self.minimum is not None:
            return _("Whole number, at least %(n)s.") % {"n": self.minimum}
        return _("Whole number.")


@dataclass
class Number(Parser):
    places: int = 2
    positive: bool = False

    def parse(self, value):
        if isinstance(value, bool):
            raise ValueError(_("Enter a number."))
        text = repr(value) if isinstance(value, float) else str(value).strip().replace(",", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("Enter a number.")) from None
        if not number.is_finite():
            raise ValueError(_("Enter a number."))
        if number.as_tuple().exponent < -self.places and number != round(number, self.places):
            raise ValueError(_("At most %(n)s decimal places.") % {"n": self.places})
        try:
            number = round(number, self.places)
        except InvalidOperation:  # more digits than a decimal holds
            raise ValueError(_("This number is too large.")) from None
        if self.positive and number <= 0:
            raise ValueError(_("Must be greater than 0."))
        if number < 0:
            raise ValueError(_("Cannot be negative."))
        return number

    def describe(self):
        if self.positive:
            return _("Number greater than 0, at most %(n)s decimal places.") % {"n": self.places}
        return _("Number, 0 or more, at most %(n)s decimal places.") % {"n": self.places}


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class Date(Parser):
    def parse(self, value):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool) and 1 < value < 100000:
            return from_excel(value).date()
        match = _DATE_TEXT.match(str(value).strip())
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                pass
        raise ValueError(_("Enter a date such as 2015-03-31."))

    def describe(self):
        return _("Date, such as 2015-03-31 (an Excel date cell also works).")


YES = {"是", "y", "yes", "true", "1", "√", "✓"}
NO = {"否", "n", "no", "false", "0", "×", "✗"}


class YesNo(Parser):
    def parse(self, value):
        if isinstance(value, bool):
            return value
        text = _cell_text(value).lower()
        if text in YES:
            return True
        if text in NO:
            return False
        raise ValueError(_("Enter 是 or 否."))

    def describe(self):
        return _("是 or 否.")


def _labels(choices, zh: bool) -> list[tuple[str, str]]:
    if zh:
        with translation.override("zh-hans"):
            return [(value, str(label)) for value, label in choices]
    return [(value, str(label)) for value, label in choices]


class Choice(Parser):
    """One of a model's choices, given by its Chinese label (the English label and the stored
    value are accepted too)."""

    def __init__(self, choices: Iterable[tuple[str, object]]):
        self.choices = list(choices)
        self._lookups: dict[str, dict[str, str]] = {}

    def lookup(self) -> dict[str, str]:
        language = translation.get_language() or ""
        if language not in self._lookups:
            found = {}
            for value, label in [*_labels(self.choices, False), *_labels(self.choices, True)]:
                found[value.lower()] = value
                found[label.lower()] = value
            self._lookups[language] = found
        return self._lookups[language]

    def parse(self, value):
        text = _cell_text(value)
        choice = self.lookup().get(text.lower())
        if choice is None:
            raise ValueError(
                _("“%(value)s” is not one of: %(allowed)s.")
                % {"value": text, "allowed": self.allowed()}
            )
        return choice

    def allowed(self) -> str:
        return "、".join(label for _value, label in _labels(self.choices, True))

    def label_of(self, value: str) -> str:
        return dict(_labels(self.choices, True)).get(value, value)

    def describe(self):
        return _("One of: %(allowed)s.") % {"allowed": self.allowed()}


_SEPARATORS = re.compile(r"[、,，;；/\s]+")


class MultiChoice(Choice):
    def parse(self, value):
        lookup, chosen = self.lookup(), []
        for part in _SEPARATORS.split(_cell_text(value)):
            if not part:
                continue
            choice = lookup.get(part.lower())
            if choice is None:
                raise ValueError(
                    _("“%(value)s” is not one of: %(allowed)s.")
                    % {"value": part, "allowed": self.allowed()}
                )
            if choice not in chosen:
                chosen.append(choice)
        if not chosen:
            raise ValueError(_("Choose at least one."))
        return chosen

    def describe(self):
        return _("One or more of: %(allowed)s, separated by 、.") % {"allowed": self.allowed()}


# ---------------------------------------------------------------------------------------------
# Sheets, columns and rows.


@dataclass(frozen=True)
class Column:
    header: str  # the Chinese header in the workbook: part of the file format, not translated
    field: str
    parser: Parser
    required: bool = False
    help: object = ""  # a lazy translation
    example: object = None
    width: int = 14
    default: object = None


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]
    allow_empty: bool = False
    help: object = ""
    # Other keys a service's error may name, mapped to this sheet's column headers.
    error_fields: dict = field(default_factory=dict)

    def header_of(self, field_name: str) -> str:
        for column in self.columns:
            if column.field == field_name:
                return column.header
        return self.error_fields.get(field_name, "")


@dataclass
class Row:
    number: int  # the row number Excel shows
    values: dict
    ok: bool = True

    def __getitem__(self, name):
        return self.values[name]

    def get(self, name, default=None):
        return self.values.get(name, default)


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str


@dataclass
class Change:
    key: str
    fields: list[tuple[str, str, str]]  # (column header, before, after)


@dataclass
class SheetReport:
    name: str
    created: list[str] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0

    @property
    def total(self) -> int:
        return len(self.created) + len(self.changed) + self.unchanged


@dataclass
class Result:
    sheets: list[SheetReport] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def created(self) -> int:
        return sum(len(s.created) for s in self.sheets)

    @property
    def changed(self) -> int:
        return sum(len(s.changed) for s in self.sheets)

    @property
    def unchanged(self) -> int:
        return sum(s.unchanged for s in self.sheets)


def open_workbook(upload) -> Workbook:
    """Open an uploaded file (or a path) as a workbook, refusing anything that is not an .xlsx."""
    name = os.path.basename(getattr(upload, "name", None) or str(upload))
    if os.path.splitext(name)[1].lower() != ".xlsx":
        raise FileRefused(
            _("%(name)s is not an Excel workbook (.xlsx). Save it as .xlsx and upload it again.")
            % {"name": name}
        )
    size = getattr(upload, "size", None)
    if size is None:
        size = os.path.getsize(upload)
    if size > MAX_UPLOAD_BYTES:
        raise FileRefused(
            _("%(name)s is larger than %(mb)s MB.")
            % {"name": name, "mb": MAX_UPLOAD_BYTES // 2**20}
        )
    _refuse_bombs(upload, name)
    if hasattr(upload, "seek"):
        upload.seek(0)
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # not a zip, not a workbook, a damaged one: openpyxl raises many kinds
        raise FileRefused(
            _("%(name)s cannot be read as an Excel workbook (.xlsx).") % {"name": name}
        ) from None
    return wb


def _refuse_bombs(upload, name: str) -> None:
    """Refuse a workbook that would unpack to more than ``MAX_UNCOMPRESSED_BYTES``, before
    anything of it is decompressed."""
    if hasattr(upload, "seek"):
        upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRefused(
            _("%(name)s cannot be read as an Excel workbook (.xlsx).") % {"name": name}
        ) from None
    if unpacked > MAX_UNCOMPRESSED_BYTES:
        raise FileRefused(
            _(
                "%(name)s unpacks to more than %(mb)s MB: it holds far more than a sheet of data."
                " Keep only the data (no pictures, no huge cells) and upload it again."
            )
            % {"name": name, "mb": MAX_UNCOMPRESSED_BYTES // 2**20}
        )


def _header(value) -> str:
    return re.sub(r"\s+", "", str(value)).rstrip(REQUIRED_MARK + "＊") if value is not None else ""


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


PROGRESS_EVERY = 500  # rows between two reports to a ``progress`` callback


def read_sheet(
    wb: Workbook,
    spec: SheetSpec,
    problems: list[Problem],
    progress: Callable[[int, int | None], None] | None = None,
) -> list[Row]:
    """The sheet's rows, each cell parsed. Cell problems are collected; the row is marked.
    ``progress(done, total)`` hears how many rows were read, every ``PROGRESS_EVERY`` rows
    (``total``: the rows the sheet declares, at most ``MAX_ROWS``; ``None`` once known)."""
    if spec.name not in wb.sheetnames:
        raise FileRefused(
            _("The workbook has no sheet named “%(sheet)s” (it has: %(found)s).")
            % {"sheet": spec.name, "found": "、".join(wb.sheetnames)}
        )
    sheet = wb[spec.name]
    if progress is not None:
        progress(0, min(max((sheet.max_row or 1) - 1, 0), MAX_ROWS))
    rows = sheet.iter_rows(values_only=True)
    header_row = next(rows, None)
    headers = [_header(v) for v in header_row or ()]
    if not any(headers):
        if spec.allow_empty:
            return []
        raise FileRefused(_("The sheet “%(sheet)s” is empty.") % {"sheet": spec.name})
    known = {c.header: c for c in spec.columns}
    unknown = [h for h in headers if h and h not in known]
    if unknown:
        raise FileRefused(
            _("The sheet “%(sheet)s” has columns this import does not know: %(columns)s.")
            % {"sheet": spec.name, "columns": "、".join(unknown)}
        )
    duplicated = sorted({h for h in headers if h and headers.count(h) > 1})
    if duplicated:
        raise FileRefused(
            _("The sheet “%(sheet)s” has the column %(columns)s more than once.")
            % {"sheet": spec.name, "columns": "、".join(duplicated)}
        )
    missing = [c.header for c in spec.columns if c.required and c.header not in headers]
    if missing:
        raise FileRefused(
            _("The sheet “%(sheet)s” lacks the required columns: %(columns)s.")
            % {"sheet": spec.name, "columns": "、".join(missing)}
        )
    positions = [(i, known[h]) for i, h in enumerate(headers) if h]
    present = {c.field for _i, c in positions}
    result = []
    for number, values in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:  # blank rows count: each costs reading all the same
            raise FileRefused(
                _("The sheet “%(sheet)s” has more than %(n)s rows; split the file.")
                % {"sheet": spec.name, "n": MAX_ROWS}
            )
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number - 1, None)
        if values is None or all(
            v is None or (isinstance(v, str) and not v.strip()) for v in values
        ):
            continue
        row = Row(number=number, values={})
        for index, column in positions:
            value = values[index] if index < len(values) else None
            if isinstance(value, str):
                value = value.strip()
                if len(value) > MAX_CELL_CHARS:
                    problems.append(
                        Problem(
                            spec.name,
                            number,
                            column.header,
                            _("This cell holds more than %(n)s characters.")
                            % {"n": MAX_CELL_CHARS},
                        )
                    )
                    row.ok = False
                    row.values[column.field] = column.default
                    continue
            if value is None or value == "":
                if column.required:
                    problems.append(
                        Problem(spec.name, number, column.header, _("This column is required."))
                    )
                    row.ok = False
                row.values[column.field] = column.default
                continue
            try:
                row.values[column.field] = column.parser.parse(value)
            except ValueError as error:
                problems.append(Problem(spec.name, number, column.header, str(error)))
                row.ok = False
                row.values[column.field] = column.default
        for column in spec.columns:
            if column.field not in present:
                row.values[column.field] = column.default
        row.values["_present"] = present
        result.append(row)
    if not result and not spec.allow_empty:
        raise FileRefused(_("The sheet “%(sheet)s” has no data rows.") % {"sheet": spec.name})
    return result


# ---------------------------------------------------------------------------------------------
# Importers.


def show(value) -> str:
    """A value as the preview shows it before and after a change."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, list | tuple | set):
        return "、".join(str(v) for v in value)
    return str(value)


class Importer:
    """One kind of import. Subclasses set ``kind``, ``title``, ``sheets`` and write ``apply``."""

    do_not_call_in_templates = True  # pages list the classes themselves
    kind = ""
    title = gettext_lazy("Import")
    description = ""
    year_bound = False
    sheets: tuple[SheetSpec, ...] = ()
    filename = "import.xlsx"

    # read_sheet's callback (a job's progress bar): set on an instance before it runs.
    progress: Callable[[int, int | None], None] | None = None

    def __init__(self, *, user, year=None):
        self.user = user
        self.year = year
        self.result = Result()

    # -- reading and reporting

    def read(self, wb: Workbook) -> dict[str, list[Row]]:
        return {
            spec.name: read_sheet(wb, spec, self.result.problems, self.progress)
            for spec in self.sheets
        }

    def spec(self, name: str) -> SheetSpec:
        return next(s for s in self.sheets if s.name == name)

    def report(self, name: str) -> SheetReport:
        for sheet in self.result.sheets:
            if sheet.name == name:
                return sheet
        sheet = SheetReport(name)
        self.result.sheets.append(sheet)
        return sheet

    def problem(self, sheet: str, row: Row | None, column: str, message) -> None:
        self.result.problems.append(
            Problem(sheet, row.number if row else None, column, str(message))
        )
        if row is not None:
            row.ok = False

    def refusal(self, sheet: str, row: Row, error: ValidationError) -> None:
        """Every message of a service's refusal, under the column it concerns."""
        spec = self.spec(sheet)
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                column = "" if name == NON_FIELD_ERRORS else spec.header_of(name)
                for message in ValidationError(errors).messages:
                    self.problem(sheet, row, column, message)
        else:
            for message in error.messages:
                self.problem(sheet, row, "", message)

    def attempt(self, sheet: str, row: Row, call: Callable, **kwargs):
        """Call a service for one row; a refusal becomes that row's problems and ``None``."""
        try:
            return call(**kwargs)
        except ValidationError as error:
            self.refusal(sheet, row, error)
        except IntegrityError as error:
            self.problem(
                sheet, row, "", _("The database refused the row: %(error)s") % {"error": error}
            )
        return None

    def diff(self, sheet: str, current: dict, wanted: dict) -> dict[str, tuple[str, str, str]]:
        """{field: (column header, before, after)} for each wanted value that differs."""
        spec = self.spec(sheet)
        return {
            name: (spec.header_of(name) or name, show(current[name]), show(new))
            for name, new in wanted.items()
            if current[name] != new
        }

    def changed(self, sheet: str, key: str, changes: dict) -> None:
        self.report(sheet).changed.append(Change(key, list(changes.values())))

    # -- the import itself

    def apply(self, rows: dict[str, list[Row]]) -> None:  # pragma: no cover
        raise NotImplementedError

    def run(self, wb: Workbook) -> Result:
        rows = self.read(wb)
        self.apply(rows)
        order = {spec.name: index for index, spec in enumerate(self.sheets)}
        self.result.problems.sort(key=lambda p: (order.get(p.sheet, -1), p.row or 0))
        return self.result


def run_import(importer: Importer, upload, *, commit: bool) -> Result:
    """Read ``upload`` and apply it in one transaction, kept only when ``commit`` is true and no
    row has a problem. Raises ``FileRefused`` for a file that cannot be read at all."""
    wb = open_workbook(upload)
    try:
        with transaction.atomic():
            result = importer.run(wb)
            result.committed = commit and result.ok
            if not result.committed:
                transaction.set_rollback(True)
    finally:
        wb.close()
    return result


# ---------------------------------------------------------------------------------------------
# Template workbooks.

_HEAD_FONT = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
_OPTIONAL_FILL = PatternFill("solid", fgColor="E7E6E6")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _cell_value(value):
    return float(value) if isinstance(value, Decimal) else value


def template_workbook(
    importer_class: type[Importer], rows: dict[str, list[dict]] | None = None
) -> Workbook:
    """A workbook to fill in: one sheet per import sheet with its headers (required ones marked
    *), an example row, frozen headers and widths; then a sheet “说明” on every column.

    With ``rows`` ({sheet name: [{field: value}]}) the sheets come filled in with those rows
    instead of the example (e.g. every unit of a page, ready for its values)."""
    wb = Workbook()
    wb.remove(wb.active)
    for spec in importer_class.sheets:
        ws = wb.create_sheet(spec.name)
        for index, column in enumerate(spec.columns, start=1):
            cell = ws.cell(
                row=1,
                column=index,
                value=column.header + (REQUIRED_MARK if column.required else ""),
            )
            cell.font = _HEAD_FONT
            cell.fill = _REQUIRED_FILL if column.required else _OPTIONAL_FILL
            filled = (
                rows.get(spec.name, []) if rows is not None else [{column.field: column.example}]
            )
            for line, values in enumerate(filled, start=2):
                value = _cell_value(values.get(column.field))
                cell = ws.cell(row=line, column=index, value=value)
                if isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
            ws.column_dimensions[get_column_letter(index)].width = column.width
        ws.freeze_panes = "A2"
    help_ws = wb.create_sheet(HELP_SHEET)
    headers = [_("Sheet"), _("Column"), _("Required"), _("Type and allowed values"), _("Notes")]
    for index, (text, width) in enumerate(zip(headers, (12, 18, 8, 48, 60), strict=True), 1):
        help_ws.cell(row=1, column=index, value=text).font = _HEAD_FONT
        help_ws.column_dimensions[get_column_letter(index)].width = width
    line = 2
    intro = "\n".join(
        [
            str(importer_class.description),
            _("Row 2 of each sheet is an example: replace or delete it before importing.")
            if rows is None
            else _("The rows come filled in from the system: enter or change the values."),
        ]
    )
    help_ws.cell(row=line, column=1, value=intro).alignment = _WRAP
    help_ws.merge_cells(start_row=line, start_column=1, end_row=line, end_column=5)
    help_ws.row_dimensions[line].height = 90
    for spec in importer_class.sheets:
        if spec.help:
            line += 1
            help_ws.cell(row=line, column=1, value=spec.name)
            help_ws.cell(row=line, column=5, value=str(spec.help)).alignment = _WRAP
        for column in spec.columns:
            line += 1
            notes = str(column.help)
            if column.default not in (None, ""):
                default = _("Empty: %(value)s.") % {"value": show(column.default)}
                notes = f"{notes} {default}".strip()
            values = (
                spec.name,
                column.header,
                "是" if column.required else "否",
                column.parser.describe(),
                notes,
            )
            for index, value in enumerate(values, start=1):
                help_ws.cell(row=line, column=index, value=value).alignment = _WRAP
    help_ws.freeze_panes = "A2"
    return wb
