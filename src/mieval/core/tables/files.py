"""Read, validate and write the interchange files of ``DESIGN.md`` (bases, indicators, values).

Pure Python on pandas and openpyxl, no Django: the file-mode commands and the Django importer
both call these functions.

Readers follow one rule: every problem in a file is collected as a :class:`Problem` naming
file, line and column, and raised together as one :class:`InputError`; a reader never returns
a half-read table. Problems are sorted so that they read top to bottom: problems of the whole
file first, then by line and by the column's position in the header.

Naming: ``read_rows`` gives the cells of any CSV or XLSX file as text; ``read_<kind>`` reads
one kind of interchange file into a typed frame with a ``line`` column; ``write_table`` writes
any frame as CSV or XLSX.

Choices where the format leaves room:

- Only ``.csv`` and ``.xlsx`` are read. A ``.txt`` file is refused rather than read as CSV:
  text exports from Excel are tab-separated and would be misread as one column.
- A CSV is UTF-8 with or without a byte-order mark; failing that, GB18030 (a superset of GBK,
  what Chinese Excel writes), with a notice through ``on_notice``.
- A record with fewer fields than the header is padded with empty cells (hand-edited files
  often drop trailing empty cells); a missing required value is then reported by the typed
  reader. A record with more fields is a problem unless the extra fields are all empty
  (trailing separators that Excel leaves after a deleted column).
- Completely empty lines, and lines of separators only, are skipped; line numbers still count
  them. ``lines`` gives the physical line on which each record starts.
- A missing column, a duplicate column or an unnamed column stops the checks of the rows: the
  rows cannot be interpreted. An unknown column in a values file does not.
"""

import csv
import datetime as dt
import difflib
import io
import math
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from mieval.core.indicators import STATS
from mieval.core.lifecycle import STATUS_NAMES, STATUSES
from mieval.core.limits import (
    TABLE_LIMITS,
    YEAR_MAX,
    YEAR_MIN,
    FileLimits,
    LimitExceeded,
    excerpt,
    zip_check,
)
from mieval.core.problems import InputError, Problem, ProblemCode
from mieval.core.reference import (
    CATEGORIES,
    CATEGORY_BY_CODE,
    PROVINCE_BY_CODE,
    PROVINCES,
    SUBCATEGORIES,
    SUBCATEGORY_BY_CODE,
)
from mieval.core.values import value_check

Notice = Callable[[str], None] | None

BASES_COLUMNS = ("code", "name_zh", "name_en", "category", "subcategory", "province", "batch")
#: Optional columns of a bases file: the base's lifecycle (``core.lifecycle``).
BASES_LIFECYCLE = ("status", "designated")
INDICATORS_COLUMNS = ("code", "name_zh", "name_en", "unit", "direction", "stat", "categories")
INDICATORS_OPTIONAL = ("unit_zh", "non_negative", "decimals")
INDICATORS_OUTPUT = (
    "code",
    "name_zh",
    "name_en",
    "unit",
    "unit_zh",
    "direction",
    "stat",
    "categories",
    "non_negative",
    "decimals",
)
VALUES_COLUMNS = ("base_code", "indicator_code", "year", "value")

DECIMALS_MAX = 6

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# ASCII digits: Python's \d and Decimal() take the digits of every script ('٢٠١٨').
_DECIMAL_RE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_ILLEGAL_XLSX_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

#: Problems a reader keeps to sort into reading order before :class:`InputError` keeps the
#: first of them.
_PROBLEMS_KEPT = 1_000

_TRUE = frozenset({"true", "1", "yes", "y", "是"})
_FALSE = frozenset({"false", "0", "no", "n", "否"})


@dataclass
class RawTable:
    """The cells of a CSV or XLSX file as stripped text, with the line of each record.

    ``header`` holds the normalised column names (stripped, lower-case); every row has exactly
    ``len(header)`` cells. ``encoding`` is the CSV encoding used (``None`` for XLSX).
    """

    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    file: str
    encoding: str | None
    header_line: int = 1


class _Collector:
    """Problems of one file, sorted for reading when raised."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []
        self.dropped = 0

    def add(self, line: int | None, column: str | None, code: ProblemCode, message: str) -> None:
        # Rows come in file order: the first problems kept are the first to read; the rest of
        # a file bad on every line is only counted (memory and message stay bounded).
        if len(self.problems) >= _PROBLEMS_KEPT:
            self.dropped += 1
            return
        self.problems.append(Problem(self.file, line, column, code, message))

    def limit(self, exceeded: LimitExceeded, line: int | None = None) -> None:
        """A limit of :mod:`mieval.core.limits` exceeded: reading stops there."""
        line = exceeded.line if exceeded.line is not None else line
        where = f"cell {exceeded.cell}: " if exceeded.cell else ""
        self.add(line, None, ProblemCode.LIMIT_EXCEEDED, where + exceeded.message())

    def raise_if_any(self, header: Sequence[str] = ()) -> None:
        if not self.problems:
            return
        order = {name: i for i, name in enumerate(header)}

        def key(p: Problem) -> tuple[int, int, int]:
            if p.line is None:
                return (0, 0, 0)
            column = -1 if p.column is None else order.get(p.column, len(order))
            return (1, p.line, column)

        raise InputError(sorted(self.problems, key=key), more=self.dropped)


# --- reading cells ---------------------------------------------------------------------------


def read_rows(path, *, on_notice: Notice = None, limits: FileLimits = TABLE_LIMITS) -> RawTable:
    """The header and rows of a CSV or XLSX file as text, or :class:`InputError`.

    Problems found here concern the file's format and shape: unsupported format, not an XLSX
    workbook, empty file, undecodable text, duplicate or unnamed columns, records with too many
    fields, a formula without a computed result, a file beyond ``limits`` (checked before or
    while reading, never after). A missing file raises :class:`FileNotFoundError`.
    """
    collector, table = _start(path, on_notice, limits)
    collector.raise_if_any(table.header)
    return table


def _read_raw(
    path: Path, collector: _Collector, on_notice: Notice, limits: FileLimits
) -> RawTable | None:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        read = _csv_records(path, collector, on_notice, limits)
    elif suffix == ".xlsx":
        read = _xlsx_records(path, collector, limits)
    else:
        hint = ""
        if suffix == ".xls":
            hint = " (the old Excel 97-2003 format; save the workbook as .xlsx)"
        shown = f"'{path.suffix}'" if path.suffix else "no extension"
        collector.add(
            None,
            None,
            ProblemCode.UNSUPPORTED_FORMAT,
            f"unsupported file type {shown}{hint}; use .csv or .xlsx",
        )
        return None
    if read is None:
        return None
    records, encoding = read
    return _shape(records, collector, encoding)


def _shape(
    records: Iterable[tuple[int, list[str]]], collector: _Collector, encoding: str | None
) -> RawTable | None:
    """Header and rows from (line, cells) records: skip empty records, check field counts."""
    header: list[str] | None = None
    header_line = 1
    rows: list[list[str]] = []
    lines: list[int] = []
    for line, cells in records:
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        if header is None:
            header, header_line = _header(cells, line, collector), line
            continue
        width = len(header)
        if len(cells) > width:
            extra = cells[width:]
            if any(extra):
                collector.add(
                    line,
                    None,
                    ProblemCode.WRONG_FIELD_COUNT,
                    f"{len(cells)} fields but the header has {width} columns; a value with"
                    " ',' in it must be quoted (\"12,345\") or written without the ','",
                )
                continue
            cells = cells[:width]
        rows.append(cells + [""] * (width - len(cells)))
        lines.append(line)
    if header is None:
        collector.add(
            None, None, ProblemCode.EMPTY_FILE, "the file is empty; expected a header row"
        )
        return None
    return RawTable(header, rows, lines, collector.file, encoding, header_line)


def _header(cells: list[str], line: int, collector: _Collector) -> list[str]:
    names = [_column_name(cell) for cell in cells]
    while names and not names[-1]:
        names.pop()
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if not name:
            collector.add(
                line,
                None,
                ProblemCode.UNKNOWN_COLUMN,
                f"column {position} of the header has no name; name it or delete the column",
            )
        elif name in seen:
            collector.add(
                line,
                name,
                ProblemCode.DUPLICATE_COLUMN,
                f"appears twice in the header (columns {seen[name]} and {position}); keep one",
            )
        else:
            seen[name] = position
    return names


def _column_name(cell: str) -> str:
    return cell.replace("\ufeff", "").strip().lower()


def _csv_records(
    path: Path, collector: _Collector, on_notice: Notice, limits: FileLimits
) -> tuple[list[tuple[int, list[str]]], str] | None:
    size = path.stat().st_size
    if size > limits.max_bytes:
        collector.limit(LimitExceeded("max_bytes", limits.max_bytes, size))
        return None
    data = path.read_bytes()
    text, encoding = _decode(data, collector, on_notice)
    bom = data.startswith(_UTF8_BOM)
    del data
    if text is None:
        return None
    if not text.strip():
        what = "only a byte-order mark" if bom else "no text"
        collector.add(
            None, None, ProblemCode.EMPTY_FILE, f"the file is empty ({what}); expected a header row"
        )
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            _check_record(cells, start, len(records), limits)
            records.append((start, cells))
            start = reader.line_num + 1
    except LimitExceeded as exceeded:
        collector.limit(exceeded)
        return None
    except csv.Error as error:
        reason = str(error)
        if "field larger than field limit" in reason:
            # The csv module's own bound (131,072 characters) is above ours: same message.
            collector.limit(
                LimitExceeded(
                    "max_cell_chars", limits.max_cell_chars, csv.field_size_limit(), line=start
                )
            )
            return None
        if "unexpected end of data" in reason:
            reason = "a quoted field starting here is never closed; add the closing '\"'"
        elif "expected after" in reason:
            reason = 'a \'"\' inside a quoted field must be doubled ("")'
        collector.add(start, None, ProblemCode.UNREADABLE, f"not valid CSV: {reason}")
        return None
    return records, encoding


def _check_record(cells: list[str], line: int, count: int, limits: FileLimits) -> None:
    """Raise :class:`LimitExceeded` for the ``count``-th record (0: the header) at ``line``."""
    if count >= limits.max_rows:
        raise LimitExceeded("max_rows", limits.max_rows, count, line=line)
    if len(cells) > limits.max_columns and any(cells[limits.max_columns :]):
        raise LimitExceeded("max_columns", limits.max_columns, len(cells), line=line)
    for cell in cells:
        if len(cell) > limits.max_cell_chars:
            raise LimitExceeded("max_cell_chars", limits.max_cell_chars, len(cell), line=line)


def _decode(data: bytes, collector: _Collector, on_notice: Notice) -> tuple[str | None, str]:
    if data.startswith(_UTF16_BOMS):
        collector.add(
            None,
            None,
            ProblemCode.UNREADABLE,
            "the file is UTF-16 text (Excel's 'Unicode Text'); save it as 'CSV UTF-8'",
        )
        return None, ""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as error:
        position = error.start
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        line = data.count(b"\n", 0, position) + 1
        collector.add(
            line,
            None,
            ProblemCode.UNREADABLE,
            "the file is neither UTF-8 nor GB18030/GBK text; save it as 'CSV UTF-8'",
        )
        return None, ""
    if on_notice is not None:
        on_notice(f"{collector.file}: read as GB18030/GBK (the file is not UTF-8)")
    return text, "gb18030"


def _xlsx_records(
    path: Path, collector: _Collector, limits: FileLimits
) -> tuple[list[tuple[int, list[str]]], None] | None:
    with path.open("rb") as handle:
        start = handle.read(8)
    if not start:
        collector.add(None, None, ProblemCode.EMPTY_FILE, "the file is empty (0 bytes)")
        return None
    if start.startswith(_OLE2_MAGIC):
        collector.add(
            None,
            None,
            ProblemCode.NOT_XLSX,
            "not an .xlsx workbook: an old Excel 97-2003 (.xls) or a password-protected file;"
            " save it as an .xlsx workbook without a password",
        )
        return None
    if not start.startswith(_ZIP_MAGIC):
        collector.add(
            None,
            None,
            ProblemCode.NOT_XLSX,
            "not an .xlsx workbook (perhaps a CSV or another file renamed to .xlsx);"
            " open it in Excel and save it as .xlsx, or give it its real extension",
        )
        return None
    records: list[tuple[int, list[str]]] = []
    try:
        for number, values in xlsx_cells(path, limits=limits):
            cells = []
            for value in values:
                if isinstance(value, FormulaCell):
                    collector.add(number, None, ProblemCode.FORMULA_WITHOUT_RESULT, value.message())
                    value = None
                cells.append(_cell_text(value))
            records.append((number, cells))
    except LimitExceeded as exceeded:
        collector.limit(exceeded)
        return None
    except XlsxUnreadable as error:
        if error.no_sheet:
            collector.add(None, None, ProblemCode.EMPTY_FILE, "the workbook has no sheet")
        else:
            collector.add(
                None,
                None,
                ProblemCode.NOT_XLSX,
                f"not a readable .xlsx workbook (damaged or truncated: {excerpt(error)});"
                " open it in Excel and save it again",
            )
        return None
    if not any(any(cells) for _, cells in records):
        collector.add(
            None, None, ProblemCode.EMPTY_FILE, "the first sheet is empty; expected a header row"
        )
        return None
    return records, None


@dataclass(frozen=True)
class FormulaCell:
    """A cell holding a formula but no computed result (the file was written by a program that
    does not calculate, e.g. openpyxl): its value is unknown, never empty."""

    sheet: str
    ref: str
    formula: str

    def message(self) -> str:
        return (
            f"cell {self.ref} of sheet '{excerpt(self.sheet)}' holds the formula"
            f" '{excerpt(self.formula)}' without a computed result; open the file in Excel or"
            " WPS, let it calculate and save it, or type the value instead of the formula"
        )


class XlsxUnreadable(Exception):
    """Not a readable XLSX workbook (``no_sheet``: readable, without the sheet asked for)."""

    def __init__(self, detail: str, *, no_sheet: bool = False):
        super().__init__(detail)
        self.no_sheet = no_sheet


def xlsx_cells(
    source: bytes | Path, *, limits: FileLimits, sheet: str | None = None
) -> Iterator[tuple[int, list[object]]]:
    """The rows of one sheet (``sheet``, default the first) of an XLSX workbook, streaming:
    (row number from 1, cell values without trailing empty cells), empty rows left out.

    A formula cell gives its cached result where the workbook holds one (what Excel or WPS
    showed when it saved the file) and a :class:`FormulaCell` where it does not. ``limits``
    are checked before anything is parsed (packed and unpacked size, zip members) and while
    the rows stream in (rows, columns, characters of a text cell): :class:`LimitExceeded` at
    the first excess, with the row (``line``) and cell. A damaged workbook, or one without
    the sheet, raises :class:`XlsxUnreadable`.
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    size = len(source) if isinstance(source, bytes) else Path(source).stat().st_size
    if size > limits.max_bytes:
        raise LimitExceeded("max_bytes", limits.max_bytes, size)

    def stream():
        # A path, not an open file: the workbook closes what it opened.
        return io.BytesIO(source) if isinstance(source, bytes) else str(source)

    try:
        with zipfile.ZipFile(stream()) as archive:
            zip_check(archive, limits)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise XlsxUnreadable(str(error) or type(error).__name__) from None

    books = []
    try:
        try:
            # Twice, in step: read-only mode gives either the cached results or the formulas.
            for data_only in (True, False):
                books.append(load_workbook(stream(), read_only=True, data_only=data_only))
            if sheet is None:
                if not books[0].worksheets:
                    raise XlsxUnreadable("the workbook has no sheet", no_sheet=True)
                name = books[0].sheetnames[0]
            elif sheet in books[0].sheetnames:
                name = sheet
            else:
                raise XlsxUnreadable(f"no sheet '{sheet}'", no_sheet=True)
            results, formulas = books[0][name], books[1][name]
            # Some writers leave a wrong <dimension>; read every row that is there.
            results.reset_dimensions()
            formulas.reset_dimensions()
            rows = zip(
                results.iter_rows(values_only=True),
                formulas.iter_rows(values_only=True),
                strict=True,
            )
            for number, (values, written) in enumerate(rows, start=1):
                cells = list(values)
                for index, value in enumerate(cells):
                    if value is None and written[index] is not None:
                        formula = getattr(written[index], "text", written[index])
                        ref = f"{get_column_letter(index + 1)}{number}"
                        cells[index] = FormulaCell(name, ref, str(formula))
                while cells and cells[-1] is None:
                    cells.pop()
                if not cells:
                    continue
                if number > limits.max_rows:
                    raise LimitExceeded("max_rows", limits.max_rows, number, line=number)
                if len(cells) > limits.max_columns:
                    raise LimitExceeded(
                        "max_columns",
                        limits.max_columns,
                        len(cells),
                        line=number,
                        cell=f"{get_column_letter(len(cells))}{number}",
                    )
                for index, value in enumerate(cells):
                    if isinstance(value, str) and len(value) > limits.max_cell_chars:
                        raise LimitExceeded(
                            "max_cell_chars",
                            limits.max_cell_chars,
                            len(value),
                            line=number,
                            cell=f"{get_column_letter(index + 1)}{number}",
                        )
                yield number, cells
        except (LimitExceeded, XlsxUnreadable):
            raise
        except Exception as error:  # any failure inside the zip is one problem
            raise XlsxUnreadable(str(error) or type(error).__name__) from None
    finally:
        for book in books:
            book.close()


def _cell_text(value: object) -> str:
    """An XLSX cell as the text a person typed: 12.0 is '12', 0.1 is '0.1'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


# --- parsing cells ---------------------------------------------------------------------------


def _parse_year(text: str) -> tuple[int | None, str]:
    """A year 1900-2100 from a cell ('2018', '2018.0'), or the reason it is not one."""
    normal = unicodedata.normalize("NFKC", text).strip()
    reason = f"'{excerpt(text)}' is not a year; write four digits, e.g. 2018"
    if not _DECIMAL_RE.fullmatch(normal) or "e" in normal.lower():
        return None, reason
    number = Decimal(normal)
    if number != number.to_integral_value():
        return None, reason
    year = int(number)
    if not YEAR_MIN <= year <= YEAR_MAX:
        return None, f"'{excerpt(text)}' is not a year between {YEAR_MIN} and {YEAR_MAX}"
    return year, ""


_ISO_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _parse_date(text: str) -> tuple[dt.date | None, str]:
    """An ISO date (YYYY-MM-DD) in the years 1900-2100 from a cell, or the reason it is not one.
    (An XLSX date cell arrives as that text already.)"""
    normal = unicodedata.normalize("NFKC", text).strip()
    reason = f"'{excerpt(text)}' is not a date; write it as YYYY-MM-DD, e.g. 2016-05-12"
    if not _ISO_DATE_RE.fullmatch(normal):
        return None, reason
    try:
        day = dt.date.fromisoformat(normal)
    except ValueError:
        return None, f"'{excerpt(text)}' is not a day of the calendar"
    if not YEAR_MIN <= day.year <= YEAR_MAX:
        return None, f"'{excerpt(text)}' is not a date between {YEAR_MIN} and {YEAR_MAX}"
    return day, ""


def _parse_integer(text: str) -> int | None:
    normal = unicodedata.normalize("NFKC", text).strip()
    if not _DECIMAL_RE.fullmatch(normal) or "e" in normal.lower():
        return None
    number = Decimal(normal)
    if number != number.to_integral_value():
        return None
    return int(number)


def _suggest(
    value: str, choices: Iterable[str], names: dict[str, Iterable[str]] | None = None
) -> str:
    """' did you mean ...?' for a mistyped code, or '' when nothing is close."""
    choices = list(choices)
    folded = value.casefold()
    for code in choices:
        if code.casefold() == folded:
            return f"; did you mean '{excerpt(code)}'?"
    for code, code_names in (names or {}).items():
        if any(folded == name.casefold() for name in code_names if name):
            return f"; that is the name of '{excerpt(code)}', write its code"
    close = difflib.get_close_matches(value, choices, n=3, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"'{excerpt(c)}'" for c in close) + "?"


def _check_columns(
    table: RawTable,
    collector: _Collector,
    required: Sequence[str],
    optional: Sequence[str] = (),
    *,
    extra_allowed: bool,
) -> bool:
    """Report missing (and, where not allowed, unknown) columns; True if rows can be read."""
    present = set(table.header)
    missing = [name for name in required if name not in present]
    known = set(required) | set(optional)
    unknown = [name for name in table.header if name and name not in known]
    for name in missing:
        message = f"missing from the header (required: {', '.join(required)})"
        close = difflib.get_close_matches(name, unknown, n=1, cutoff=0.6)
        if close:
            message += f"; the header has '{excerpt(close[0])}', a misspelling?"
        elif len(missing) == len(required):
            message += "; the first non-empty line must be the header"
            if len(table.header) == 1 and any(sep in table.header[0] for sep in ";\t"):
                message += ", with the columns separated by ','"
        collector.add(None, name, ProblemCode.MISSING_COLUMN, message)
    if not extra_allowed:
        for name in unknown:
            message = f"unknown column (allowed: {', '.join([*required, *optional])})"
            close = difflib.get_close_matches(name, [*required, *optional], n=1, cutoff=0.6)
            if close:
                message += f"; did you mean '{excerpt(close[0])}'?"
            collector.add(table.header_line, name, ProblemCode.UNKNOWN_COLUMN, message)
    if extra_allowed and "line" in present:
        collector.add(
            table.header_line,
            "line",
            ProblemCode.NOT_ALLOWED,
            "the name 'line' is reserved for line numbers; rename the column",
        )
    # Set by _header: with a duplicate or unnamed column, cells cannot be matched to names.
    header_broken = any(
        p.code == ProblemCode.DUPLICATE_COLUMN
        or (p.code == ProblemCode.UNKNOWN_COLUMN and p.column is None)
        for p in collector.problems
    )
    return not missing and not header_broken


def _start(
    path, on_notice: Notice, limits: FileLimits = TABLE_LIMITS
) -> tuple[_Collector, RawTable]:
    collector = _Collector(str(path))
    table = _read_raw(Path(path), collector, on_notice, limits)
    if table is None:  # _read_raw has reported why
        collector.raise_if_any()
        raise AssertionError("no table and no problem")  # pragma: no cover
    return collector, table


class _Row:
    """One record by column name, reporting problems at its line."""

    def __init__(self, table: RawTable, index: int, collector: _Collector):
        self.cells = dict(zip(table.header, table.rows[index], strict=True))
        self.line = table.lines[index]
        self.collector = collector

    def get(self, column: str) -> str:
        return self.cells.get(column, "")

    def problem(self, column: str | None, code: ProblemCode, message: str) -> None:
        self.collector.add(self.line, column, code, message)

    def required(self, column: str) -> str:
        value = self.get(column)
        if not value:
            self.problem(column, ProblemCode.REQUIRED, f"'{column}' is empty; a value is required")
        return value

    def code(self, column: str) -> str:
        value = self.required(column)
        if value and any(ch.isspace() for ch in value):
            self.problem(
                column,
                ProblemCode.NOT_ALLOWED,
                f"code '{excerpt(value)}' contains a space; remove it",
            )
            return ""
        return value


# --- bases -----------------------------------------------------------------------------------


def read_bases(
    path, *, on_notice: Notice = None, limits: FileLimits = TABLE_LIMITS
) -> pd.DataFrame:
    """A bases file as a frame, or :class:`InputError` naming every problem.

    Columns: ``code, name_zh, name_en, category, subcategory, province`` (two-digit GB/T 2260
    code, a six-digit code is cut to its first two digits), ``batch`` (int64); where the file
    has them, ``status`` (one of ``core.lifecycle.STATUSES``, '' where the cell is empty) and
    ``designated`` (a :class:`datetime.date` in the batch's year, None where empty); the file's
    other columns as text attributes (e.g. ``fields``), and ``line``; in file order.
    """
    collector, table = _start(path, on_notice, limits)
    if not _check_columns(table, collector, BASES_COLUMNS, BASES_LIFECYCLE, extra_allowed=True):
        collector.raise_if_any(table.header)
    lifecycle = [name for name in BASES_LIFECYCLE if name in table.header]
    known = (*BASES_COLUMNS, *BASES_LIFECYCLE)
    extras = [name for name in table.header if name not in known]
    out: dict[str, list] = {name: [] for name in [*BASES_COLUMNS, *lifecycle, *extras, "line"]}
    first_line: dict[str, int] = {}
    for index in range(len(table.rows)):
        row = _Row(table, index, collector)
        code = row.code("code")
        if code in first_line:
            row.problem(
                "code",
                ProblemCode.DUPLICATE,
                f"code '{excerpt(code)}' is also on line {first_line[code]}; each base needs its"
                " own code",
            )
        elif code:
            first_line[code] = row.line
        name_zh = row.required("name_zh")
        name_en = row.required("name_en")
        category = _base_category(row)
        subcategory = _base_subcategory(row, category)
        province = _base_province(row)
        batch = _base_batch(row)
        out["code"].append(code)
        out["name_zh"].append(name_zh)
        out["name_en"].append(name_en)
        out["category"].append(category)
        out["subcategory"].append(subcategory)
        out["province"].append(province)
        out["batch"].append(batch or 0)
        if "status" in lifecycle:
            out["status"].append(_base_status(row))
        if "designated" in lifecycle:
            out["designated"].append(_base_designated(row, batch))
        for name in extras:
            out[name].append(row.get(name))
        out["line"].append(row.line)
    collector.raise_if_any(table.header)
    frame = pd.DataFrame({name: pd.Series(values, dtype="str") for name, values in out.items()})
    frame["batch"] = pd.Series(out["batch"], dtype="int64")
    if "designated" in lifecycle:
        frame["designated"] = pd.Series(out["designated"], dtype="object")
    frame["line"] = pd.Series(out["line"], dtype="int64")
    return frame


def _base_category(row: _Row) -> str:
    value = row.required("category")
    if value and value not in CATEGORY_BY_CODE:
        names = {c.code: (c.name_zh, c.name_en) for c in CATEGORIES}
        row.problem(
            "category",
            ProblemCode.UNKNOWN_CODE,
            f"unknown category '{excerpt(value)}' (allowed: {', '.join(CATEGORY_BY_CODE)})"
            + _suggest(value, CATEGORY_BY_CODE, names),
        )
        return ""
    return value


def _base_subcategory(row: _Row, category: str) -> str:
    value = row.required("subcategory")
    if not value:
        return ""
    subcategory = SUBCATEGORY_BY_CODE.get(value)
    if subcategory is None:
        allowed = [s.code for s in SUBCATEGORIES if not category or s.category == category]
        names = {s.code: (s.name_zh, s.name_en) for s in SUBCATEGORIES}
        within = f" of category '{category}'" if category else ""
        row.problem(
            "subcategory",
            ProblemCode.UNKNOWN_CODE,
            f"unknown subcategory '{excerpt(value)}' (allowed{within}: {', '.join(allowed)})"
            + _suggest(value, allowed, names),
        )
        return ""
    if category and subcategory.category != category:
        allowed = [s.code for s in SUBCATEGORIES if s.category == category]
        row.problem(
            "subcategory",
            ProblemCode.INCONSISTENT,
            f"subcategory '{excerpt(value)}' belongs to category '{subcategory.category}', not to"
            f" category '{category}' (its subcategories: {', '.join(allowed)})",
        )
    return value


def _base_province(row: _Row) -> str:
    value = row.required("province")
    if not value:
        return ""
    normal = unicodedata.normalize("NFKC", value)
    code = normal[:2] if re.fullmatch(r"\d{2}0000", normal) else normal
    if code in PROVINCE_BY_CODE:
        return code
    names = {p.code: (p.name_zh, p.name_en, p.name_zh.rstrip("省市")) for p in PROVINCES}
    row.problem(
        "province",
        ProblemCode.UNKNOWN_CODE,
        f"'{excerpt(value)}' is not a province code; use the two-digit GB/T 2260 code, e.g. 11 for"
        " Beijing or 44 for Guangdong (a six-digit code such as 110000 is also accepted)"
        + _suggest(value, [], names),
    )
    return ""


def _base_batch(row: _Row) -> int | None:
    value = row.required("batch")
    if not value:
        return None
    year, reason = _parse_year(value)
    if year is None:
        row.problem("batch", ProblemCode.NOT_A_YEAR, reason.replace("a year", "a batch year", 1))
    return year


def _base_status(row: _Row) -> str:
    """The optional ``status`` cell: '' (not given) or one of the statuses."""
    value = row.get("status")
    if not value or value in STATUSES:
        return value
    row.problem(
        "status",
        ProblemCode.UNKNOWN_CODE,
        f"unknown status '{excerpt(value)}' (allowed: {', '.join(STATUSES)})"
        + _suggest(value, STATUSES, STATUS_NAMES),
    )
    return ""


def _base_designated(row: _Row, batch: int | None) -> dt.date | None:
    """The optional ``designated`` cell: None (not given) or a date in the batch's year (a
    batch is named after the year its bases were designated)."""
    value = row.get("designated")
    if not value:
        return None
    day, reason = _parse_date(value)
    if day is None:
        row.problem("designated", ProblemCode.NOT_A_DATE, reason)
        return None
    if batch is not None and day.year != batch:
        row.problem(
            "designated",
            ProblemCode.INCONSISTENT,
            f"'{day.isoformat()}' is not in {batch}, the year of the base's batch; a base is"
            " designated in the year its batch is named after",
        )
        return None
    return day


# --- indicators ------------------------------------------------------------------------------


def read_indicators(
    path, *, on_notice: Notice = None, limits: FileLimits = TABLE_LIMITS
) -> pd.DataFrame:
    """An indicators file as a frame shaped like ``builtin_indicators_frame()``, plus ``line``.

    ``categories`` become tuples of category codes (empty: all categories); optional columns
    default to ``unit_zh`` '', ``non_negative`` True, ``decimals`` 0.
    """
    collector, table = _start(path, on_notice, limits)
    if not _check_columns(
        table, collector, INDICATORS_COLUMNS, INDICATORS_OPTIONAL, extra_allowed=False
    ):
        collector.raise_if_any(table.header)
    out: dict[str, list] = {name: [] for name in [*INDICATORS_OUTPUT, "line"]}
    first_line: dict[str, int] = {}
    for index in range(len(table.rows)):
        row = _Row(table, index, collector)
        code = row.code("code")
        if code in first_line:
            row.problem(
                "code",
                ProblemCode.DUPLICATE,
                f"code '{excerpt(code)}' is also on line {first_line[code]}; each indicator needs"
                " its"
                " own code",
            )
        elif code:
            first_line[code] = row.line
        out["code"].append(code)
        out["name_zh"].append(row.required("name_zh"))
        out["name_en"].append(row.required("name_en"))
        out["unit"].append(row.get("unit"))
        out["unit_zh"].append(row.get("unit_zh"))
        out["direction"].append(_indicator_direction(row))
        out["stat"].append(_indicator_stat(row))
        out["categories"].append(_indicator_categories(row))
        out["non_negative"].append(_indicator_non_negative(row))
        out["decimals"].append(_indicator_decimals(row))
        out["line"].append(row.line)
    collector.raise_if_any(table.header)
    dtypes = {"direction": "int64", "categories": object, "non_negative": bool}
    dtypes |= {"decimals": "int64", "line": "int64"}
    return pd.DataFrame(
        {name: pd.Series(values, dtype=dtypes.get(name, "str")) for name, values in out.items()}
    )


def _indicator_direction(row: _Row) -> int:
    value = row.required("direction")
    if value and _parse_integer(value) not in (1, -1):
        row.problem(
            "direction",
            ProblemCode.NOT_ALLOWED,
            f"direction '{excerpt(value)}' is not allowed; use 1 (more is better) or -1 (less is"
            " better)",
        )
        return 1
    return _parse_integer(value) or 1


def _indicator_stat(row: _Row) -> str:
    value = row.required("stat").lower()
    if value and value not in STATS:
        row.problem(
            "stat",
            ProblemCode.NOT_ALLOWED,
            f"stat '{excerpt(row.get('stat'))}' is not allowed; use {', '.join(STATS)}",
        )
    return value


def _indicator_categories(row: _Row) -> tuple[str, ...]:
    value = unicodedata.normalize("NFKC", row.get("categories"))
    codes: list[str] = []
    for part in value.split(";"):
        code = part.strip()
        if not code or code in codes:
            continue
        if code not in CATEGORY_BY_CODE:
            names = {c.code: (c.name_zh, c.name_en) for c in CATEGORIES}
            row.problem(
                "categories",
                ProblemCode.UNKNOWN_CODE,
                f"unknown category '{excerpt(code)}' (allowed: {', '.join(CATEGORY_BY_CODE)},"
                " separated"
                " by ';'; empty for all)" + _suggest(code, CATEGORY_BY_CODE, names),
            )
            continue
        codes.append(code)
    return tuple(codes)


def _indicator_non_negative(row: _Row) -> bool:
    value = row.get("non_negative").lower()
    if not value or value in _TRUE:
        return True
    if value in _FALSE:
        return False
    row.problem(
        "non_negative",
        ProblemCode.NOT_ALLOWED,
        f"'{excerpt(row.get('non_negative'))}' is not allowed; use true or false (empty means"
        " true)",
    )
    return True


def _indicator_decimals(row: _Row) -> int:
    value = row.get("decimals")
    if not value:
        return 0
    decimals = _parse_integer(value)
    if decimals is None:
        row.problem(
            "decimals",
            ProblemCode.NOT_AN_INTEGER,
            f"'{excerpt(value)}' is not a whole number of decimals",
        )
        return 0
    if not 0 <= decimals <= DECIMALS_MAX:
        row.problem(
            "decimals",
            ProblemCode.OUT_OF_RANGE,
            f"decimals {decimals} is out of range; use 0 to {DECIMALS_MAX}",
        )
        return 0
    return decimals


# --- values ----------------------------------------------------------------------------------


def read_values(
    path,
    *,
    indicators: pd.DataFrame,
    bases: pd.DataFrame | None = None,
    years: tuple[int, int] | None = None,
    storable: bool = False,
    refuse_invalid: bool = True,
    on_notice: Notice = None,
    limits: FileLimits = TABLE_LIMITS,
) -> pd.DataFrame:
    """A values file (long format) as a frame, or :class:`InputError` naming every problem.

    With ``refuse_invalid`` false, a negative value of an indicator that cannot be negative and
    a value of an indicator that does not apply to the base's category are read as they are:
    they are problems of the data, not of the file, which ``mieval check`` lists with every
    other problem (:func:`mieval.core.checks.run.data_check`). An import keeps refusing them.

    ``indicators`` needs ``code`` and may carry ``categories`` (tuples or ';'-separated text)
    and ``non_negative``; ``bases``, when given, needs ``code`` and ``category``; ``years`` is
    the campaign's first and last year; ``storable``: every value must be one the database keeps
    exactly (:func:`mieval.core.values.value_check`; a number with more digits is a problem).

    Returns ``base_code, indicator_code, year`` (int64), ``value`` (float64, NaN where the cell
    is empty), ``raw`` (the number as entered, normalised: '12,345.60' is '12345.60', '+5' is
    '5', '1.5e3' is '1500', '' where empty) and ``line``; in file order.

    An empty value is a missing value, the same as a missing row: it is not checked against
    the indicator's categories (templates list every indicator for every base). A repeated
    (base, indicator, year) is always a problem, even with equal or empty values.
    """
    collector, table = _start(path, on_notice, limits)
    if not _check_columns(table, collector, VALUES_COLUMNS, extra_allowed=False):
        collector.raise_if_any(table.header)
    indicator_info = indicator_lookup(indicators)
    indicator_names = {
        str(code): (str(zh), str(en))
        for code, zh, en in zip(
            indicators["code"],
            indicators.get("name_zh", pd.Series("", index=indicators.index)),
            indicators.get("name_en", pd.Series("", index=indicators.index)),
            strict=True,
        )
    }
    base_category = None
    if bases is not None:
        base_category = dict(zip(bases["code"].astype(str), bases["category"], strict=True))
    out: dict[str, list] = {name: [] for name in [*VALUES_COLUMNS, "raw", "line"]}
    first_line: dict[tuple[str, str, int], int] = {}
    for index in range(len(table.rows)):
        row = _Row(table, index, collector)
        base_code = row.required("base_code")
        if base_code and base_category is not None and base_code not in base_category:
            row.problem(
                "base_code",
                ProblemCode.UNKNOWN_CODE,
                f"unknown base code '{excerpt(base_code)}' (not among the {len(base_category)}"
                " bases)" + _suggest(base_code, base_category),
            )
            base_code_known = False
        else:
            base_code_known = bool(base_code)
        indicator_code = row.required("indicator_code")
        info = indicator_info.get(indicator_code)
        if indicator_code and info is None:
            row.problem(
                "indicator_code",
                ProblemCode.UNKNOWN_CODE,
                f"unknown indicator code '{excerpt(indicator_code)}' (not among the"
                f" {len(indicator_info)} indicators)"
                + _suggest(indicator_code, indicator_info, indicator_names),
            )
        year = _value_year(row, years)
        number, raw = _value_decimal_and_raw(row, info, storable, refuse_invalid)
        if (
            refuse_invalid
            and info is not None
            and number is not None
            and base_category is not None
            and base_code_known
            and info[0]
            and base_category[base_code] not in info[0]
        ):
            row.problem(
                "indicator_code",
                ProblemCode.NOT_APPLICABLE,
                f"indicator '{excerpt(indicator_code)}' does not apply to base"
                f" '{excerpt(base_code)}' of category"
                f" '{base_category[base_code]}'; it applies only to {', '.join(info[0])}",
            )
        if base_code and indicator_code and year is not None:
            key = (base_code, indicator_code, year)
            if key in first_line:
                row.problem(
                    None,
                    ProblemCode.DUPLICATE,
                    f"base '{excerpt(base_code)}', indicator '{excerpt(indicator_code)}', year"
                    f" {year} is also on"
                    f" line {first_line[key]}; keep one row",
                )
            else:
                first_line[key] = row.line
        out["base_code"].append(base_code)
        out["indicator_code"].append(indicator_code)
        out["year"].append(year or 0)
        out["value"].append(np.nan if number is None else float(number) + 0.0)
        out["raw"].append(raw)
        out["line"].append(row.line)
    collector.raise_if_any(table.header)
    dtypes = {"year": "int64", "value": "float64", "line": "int64"}
    return pd.DataFrame(
        {name: pd.Series(values, dtype=dtypes.get(name, "str")) for name, values in out.items()}
    )


def indicator_lookup(indicators: pd.DataFrame) -> dict[str, tuple[tuple[str, ...], bool]]:
    """code -> (categories it applies to, empty for all; whether values must be >= 0)."""
    lookup = {}
    for record in indicators.to_dict("records"):
        categories = record.get("categories", ())
        if isinstance(categories, str):
            categories = tuple(c.strip() for c in categories.split(";") if c.strip())
        elif categories is None or (isinstance(categories, float) and math.isnan(categories)):
            categories = ()
        non_negative = record.get("non_negative", True)
        lookup[str(record["code"])] = (tuple(categories), bool(non_negative))
    return lookup


def _value_year(row: _Row, years: tuple[int, int] | None) -> int | None:
    value = row.required("year")
    if not value:
        return None
    year, reason = _parse_year(value)
    if year is None:
        row.problem("year", ProblemCode.NOT_A_YEAR, reason)
        return None
    if years is not None and not years[0] <= year <= years[1]:
        row.problem(
            "year",
            ProblemCode.YEAR_OUTSIDE_CAMPAIGN,
            f"year {year} is outside the campaign's years {years[0]}-{years[1]}",
        )
    return year


def _value_decimal_and_raw(
    row: _Row,
    info: tuple[tuple[str, ...], bool] | None,
    storable: bool,
    refuse_negative: bool = True,
) -> tuple[Decimal | None, str]:
    """The row's value checked (:func:`~mieval.core.values.value_check`): the Decimal (None
    when empty or not a number) and the text to store ('' when empty or refused); each
    problem is noted on the row."""
    checked = value_check(
        row.get("value"),
        non_negative=refuse_negative and info is not None and info[1],
        indicator=row.get("indicator_code"),
        storable=storable,
    )
    for problem in checked.problems:
        row.problem("value", problem.code, problem.message)
    return checked.number, checked.raw


# --- writing ---------------------------------------------------------------------------------


def write_table(frame: pd.DataFrame, path) -> None:
    """Write ``frame`` as ``.csv`` (UTF-8 with BOM, '\\n' line ends) or ``.xlsx`` (first sheet,
    bold frozen header, numbers as numbers); tuples become ';'-separated text, booleans
    'true'/'false'. The file appears whole or not at all."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputError(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    ProblemCode.UNSUPPORTED_FORMAT,
                    f"cannot write '{path.suffix or path.name}'; use .csv or .xlsx",
                )
            ]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(handle)
    try:
        if suffix == ".csv":
            _write_csv(frame, Path(temporary))
        else:
            _write_xlsx(frame, Path(temporary))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or out[column].dtype == bool:
            out[column] = out[column].map(_text_cell)
    out.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")


def _text_cell(value: object) -> object:
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return ";".join(str(v) for v in value)
    return value


def _write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    bold = Font(bold=True)
    widths = []
    for index, name in enumerate(frame.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=str(name))
        cell.font = bold
        widths.append(len(str(name)))
    for row_number, record in enumerate(frame.itertuples(index=False), start=2):
        for index, value in enumerate(record, start=1):
            value = _xlsx_value(value)
            cell = sheet.cell(row=row_number, column=index, value=value)
            if isinstance(value, str):
                # Text is text: a value starting with '=' must not become a formula.
                cell.data_type = "s"
                widths[index - 1] = max(widths[index - 1], len(value))
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    workbook.save(path)


def _xlsx_value(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, tuple | list):
        return ";".join(str(v) for v in value)
    if isinstance(value, dt.date | dt.time | Decimal):
        return value
    return _ILLEGAL_XLSX_CHARS.sub("", str(value))
