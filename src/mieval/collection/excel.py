"""The Excel entry template of one base, and reading a filled-in template back.

Pure functions on bytes and pandas frames: no database (the texts in the workbook are bilingual by
design, 中文 / English, whatever the language of the person who downloads it; the Chinese of the
value checker's messages comes from the message catalogue, the only use of Django here).

Layout of the data sheet (:data:`DATA_SHEET`), fixed so that an upload maps back to the cells:

- ``B2`` the base's code, ``B3`` its names, ``B4`` the campaign's code (when known);
- row :data:`HEADER_ROW`: 指标代码 / Indicator code, names, unit, then one column per year
  (the year as a number);
- from row :data:`FIRST_ROW`: one indicator per row, its code in column A.

The sheet is protected without a password: only the value cells are unlocked, so codes, names
and headers stay as written; the workbook's structure (its sheets) is locked too. The value
cells carry data validation (a decimal; at least 0 for an indicator that cannot be negative)
with a bilingual input message and error alert.

Reading back (:func:`entry_read`) follows :mod:`mieval.core.tables.files`: every problem is
collected as a :class:`CellProblem` (a :class:`~mieval.core.problems.Problem` whose ``key`` is the
cell reference, e.g. ``E7``, and which carries the message in Chinese too), and all are raised
together as one :class:`~mieval.core.problems.InputError`; a half-read template is never
returned. The workbook streams in (:func:`~mieval.core.tables.files.xlsx_cells`) within
:data:`~mieval.core.limits.ENTRY_TEMPLATE_LIMITS`; a formula cell is read as its cached result,
and one without a result is a problem of its cell, never an empty cell.
"""

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from types import SimpleNamespace

import pandas as pd

from mieval.core.indicators import indicator_applies
from mieval.core.limits import ENTRY_TEMPLATE_LIMITS, LimitExceeded, excerpt, sizes_text
from mieval.core.problems import InputError, Problem, ProblemCode
from mieval.core.tables.files import FormulaCell, XlsxUnreadable, _cell_text, xlsx_cells
from mieval.core.values import ValueProblem, value_check

DATA_SHEET = "数据 Data"
HELP_SHEET = "说明 Instructions"
BASE_CELL = "B2"
CAMPAIGN_CELL = "B4"
HEADER_ROW = 6
FIRST_ROW = 7
#: Columns before the first year: code, Chinese name, English name, unit.
FIXED_COLUMNS = 4

READ_COLUMNS = ["base_code", "indicator_code", "year", "value", "cell"]

_HEADERS = (
    "指标代码 / Indicator code",
    "指标名称 / Indicator (中文)",
    "Indicator (English)",
    "单位 / Unit",
)
_INSTRUCTIONS = (
    ("填报说明", "How to fill in this template"),
    (
        "1. 只在白色单元格中填写数值，每个年度一列；其余单元格受保护，不能修改。",
        "1. Type numbers only into the white cells, one column per year; the other cells are "
        "protected and cannot change.",
    ),
    (
        "2. 只填数字，不带单位、百分号或文字；千位分隔符可用（12,345）；小数用小数点（1.5）。",
        "2. Numbers only, without units, '%' or words; thousands separators are fine (12,345); "
        "decimals take a point (1.5).",
    ),
    (
        "3. 无数据的单元格留空；0 表示实际值为零。清空已有数值的单元格将删除该数值。",
        "3. Leave a cell empty where there is no figure; 0 means the figure is zero. Emptying a "
        "cell that held a value removes that value.",
    ),
    (
        "4. 单位见“单位”列，例如“万元”表示以一万元为单位。",
        "4. The unit is in the 'Unit' column; '10,000 yuan' means the figure counts units of "
        "10,000 yuan.",
    ),
    (
        "5. 填好后在本平台的数据填报页面上传本文件：系统先列出全部改动及检查结果供您确认，"
        "确认后才写入。",
        "5. Upload this file on the platform's data entry page: every change and the checks' "
        "findings are listed first, and nothing is written until you confirm.",
    ),
    (
        "6. 请勿修改指标代码、年度和基地代码，也不要增删工作表；本模板只适用于表中所列基地"
        "和评估轮次。",
        "6. Do not change the indicator codes, years or base code, nor add or remove sheets; "
        "the template serves only the base and campaign named in it.",
    ),
)


@dataclass(frozen=True)
class CellProblem(Problem):
    """A problem of one cell (``key``, e.g. ``E7``; ``line`` is its row) in both languages."""

    message_zh: str = ""


def applicable(indicators: pd.DataFrame, category: str | None) -> pd.DataFrame:
    """The indicators that apply to a base of ``category`` (empty categories: all), in order."""
    if category is None:
        return indicators.reset_index(drop=True)
    keep = [indicator_applies(cats, category) for cats in indicators["categories"]]
    return indicators.loc[keep].reset_index(drop=True)


def entry_template(
    base: dict, indicators: pd.DataFrame, years: Sequence[int], values: pd.DataFrame
) -> bytes:
    """The entry workbook of one base (XLSX bytes).

    Parameters
    ----------
    base : dict
        ``code``, ``name_zh``, ``name_en``, ``category``; optionally ``campaign`` (its code,
        written into the sheet and checked on upload).
    indicators : pandas.DataFrame
        The framework's indicators (``code, name_zh, name_en, unit, unit_zh, categories,
        non_negative, decimals``); those that do not apply to the base's category are left out.
    years : sequence of int
        The campaign's years, one column each.
    values : pandas.DataFrame
        ``base_code, indicator_code, year, value`` (the value as entered, text or number);
        rows of other bases are ignored.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.protection import WorkbookProtection

    rows = applicable(indicators, base.get("category"))
    years = [int(y) for y in years]
    mine = values[values["base_code"] == base["code"]]
    stored = {
        (str(r.indicator_code), int(r.year)): r.value
        for r in mine.itertuples(index=False)
        if not _is_empty(r.value)
    }

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    bold = Font(bold=True)
    locked_fill = PatternFill("solid", fgColor="EEF0F3")
    header_fill = PatternFill("solid", fgColor="DCE6F2")

    sheet["A1"] = "示范基地年度指标数据填报表 / Yearly indicator data of the demonstration base"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"], sheet[BASE_CELL] = "基地代码 / Base code", str(base["code"])
    sheet["A3"], sheet["B3"] = "基地名称 / Base name", f"{base['name_zh']} / {base['name_en']}"
    sheet["A4"], sheet[CAMPAIGN_CELL] = "评估轮次 / Campaign", str(base.get("campaign") or "")
    sheet["A5"] = (
        "只在白色单元格中填写数值，详见“说明”工作表。 / "
        "Type numbers into the white cells only; see the instructions sheet."
    )
    for ref in ("A2", "A3", "A4"):
        sheet[ref].font = bold
    for ref in (BASE_CELL, "B3", CAMPAIGN_CELL):
        sheet[ref].data_type = "s"

    headers = [*_HEADERS, *years]
    for column, title in enumerate(headers, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=title)
        cell.font = bold
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")

    first_year_column = FIXED_COLUMNS + 1
    last_year_column = FIXED_COLUMNS + len(years)
    non_negative_cells, any_cells = [], []
    for offset, ind in enumerate(rows.itertuples(index=False)):
        row = FIRST_ROW + offset
        unit = (
            f"{ind.unit_zh} / {ind.unit}" if ind.unit_zh and ind.unit_zh != ind.unit else ind.unit
        )
        for column, text in enumerate((ind.code, ind.name_zh, ind.name_en, unit), start=1):
            cell = sheet.cell(row=row, column=column, value=str(text))
            cell.data_type = "s"
            cell.fill = locked_fill
        for position, year in enumerate(years):
            cell = sheet.cell(row=row, column=first_year_column + position)
            value = stored.get((ind.code, year))
            if value is not None:
                cell.value = _number(value)
            # "General": a count formatted '#,##0' would show a typed 12.5 as 13.
            cell.protection = Protection(locked=False)
        first, last = get_column_letter(first_year_column), get_column_letter(last_year_column)
        span = f"{first}{row}:{last}{row}"
        (non_negative_cells if bool(ind.non_negative) else any_cells).append(span)

    _validations(sheet, non_negative_cells, any_cells)

    sheet.protection.sheet = True
    # Widths and row heights may still change: only content is protected.
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.formatCells = False
    workbook.security = WorkbookProtection(lockStructure=True)
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=first_year_column)
    for letter, width in zip("ABCD", (30, 28, 44, 18), strict=True):
        sheet.column_dimensions[letter].width = width
    for column in range(first_year_column, last_year_column + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    sheet.row_dimensions[HEADER_ROW].height = 32

    guide = workbook.create_sheet(HELP_SHEET)
    guide.column_dimensions["A"].width = 70
    guide.column_dimensions["B"].width = 90
    for row, (zh, en) in enumerate(_INSTRUCTIONS, start=1):
        guide.cell(row=row, column=1, value=zh).alignment = Alignment(wrap_text=True)
        guide.cell(row=row, column=2, value=en).alignment = Alignment(wrap_text=True)
    guide["A1"].font = guide["B1"].font = Font(bold=True, size=13)
    guide.protection.sheet = True

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _validations(sheet, non_negative_cells: list[str], any_cells: list[str]) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    common = {
        "type": "decimal",
        "allow_blank": True,
        "showInputMessage": True,
        "showErrorMessage": True,
        "errorStyle": "stop",
        "promptTitle": "数值 / Number",
        "errorTitle": "数值无效 / Not allowed",
    }
    if non_negative_cells:
        rule = DataValidation(
            operator="greaterThanOrEqual",
            formula1="0",
            prompt="请填写不小于0的数字，无数据则留空。 / Type a number of at least 0; "
            "leave the cell empty if there is no figure.",
            error="此处只能填写不小于0的数字。 / Only a number of at least 0 is allowed here.",
            **common,
        )
        rule.sqref = " ".join(non_negative_cells)
        sheet.add_data_validation(rule)
    if any_cells:
        rule = DataValidation(
            operator="between",
            formula1="-1E+20",
            formula2="1E+20",
            prompt="请填写数字，无数据则留空。 / Type a number; leave the cell empty if there "
            "is no figure.",
            error="此处只能填写数字。 / Only a number is allowed here.",
            **common,
        )
        rule.sqref = " ".join(any_cells)
        sheet.add_data_validation(rule)


def _is_empty(value) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _number(value) -> Decimal | float | int:
    """A stored value as an Excel number, exactly as entered where it is text ('1.50')."""
    if isinstance(value, str):
        number = value_check(value, storable=False).number
        if number is None:  # pragma: no cover - stored values are numbers
            raise ValueError(f"stored value {value!r} is not a number")
        return (
            int(number) if number == number.to_integral_value() and abs(number) < 2**53 else number
        )
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


# --- reading back ----------------------------------------------------------------------------


class _Sheet:
    """The cells of the data sheet as read (row, column) -> value, with ``sheet[ref].value``
    and ``sheet.cell(row=, column=).value`` as openpyxl has them."""

    def __init__(self):
        self.cells: dict[tuple[int, int], object] = {}
        self.max_row = 0
        self.max_column = 0

    def __getitem__(self, ref: str) -> SimpleNamespace:
        from openpyxl.utils.cell import coordinate_to_tuple

        return self.cell(*coordinate_to_tuple(ref))

    def cell(self, row: int, column: int) -> SimpleNamespace:
        return SimpleNamespace(value=self.cells.get((row, column)))


class _Problems:
    def __init__(self, file: str):
        self.file = file
        self.items: list[CellProblem] = []

    def add(self, cell: str | None, column: str | None, code, message: str, message_zh: str):
        line = int("".join(c for c in cell if c.isdigit())) if cell else None
        self.items.append(
            CellProblem(self.file, line, column, code, message, key=cell, message_zh=message_zh)
        )

    def formula(self, cell: FormulaCell) -> None:
        formula = excerpt(cell.formula)
        self.add(
            cell.ref,
            None,
            ProblemCode.FORMULA_WITHOUT_RESULT,
            cell.message(),
            f"工作表“{excerpt(cell.sheet)}”的单元格{cell.ref}含公式“{formula}”，但没有计算结果；"
            "请在 Excel 或 WPS 中打开文件，待其计算后保存，或直接填写数值而非公式。",
        )

    def limit(self, exceeded: LimitExceeded) -> None:
        found, maximum = exceeded.found, exceeded.maximum
        size, most = sizes_text(found, maximum, bytes_="字节")
        zh = {
            "max_bytes": f"文件大小为{size}，最多接受{most}。",
            "max_unpacked_bytes": f"工作簿解压后为{size}，最多接受{most}"
            "（这样的工作簿不是数据文件）。",
            "max_members": f"工作簿包含{found}个部件，最多接受{maximum}个。",
            "max_rows": f"工作表超过{maximum:,}行，最多接受{maximum:,}行；请使用本平台的模板。",
            "max_columns": f"该行有{found:,}列，最多接受{maximum:,}列。",
            "max_cell_chars": f"单元格内容有{found:,}个字符，最多接受{maximum:,}个。",
        }[exceeded.limit]
        self.add(exceeded.cell, None, ProblemCode.LIMIT_EXCEEDED, exceeded.message(), zh)
        if exceeded.cell is None and exceeded.line is not None:
            self.items[-1] = replace(self.items[-1], line=exceeded.line)

    def raise_if_any(self) -> None:
        if self.items:
            raise InputError(sorted(self.items, key=_reading_order))


def _reading_order(problem: CellProblem) -> tuple:
    if problem.key is None:
        return (0, 0, 0)
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    letters, row = coordinate_from_string(problem.key)
    return (1, row, column_index_from_string(letters))


def entry_read(
    data: bytes,
    *,
    file: str,
    base_code: str,
    years: Sequence[int],
    indicators: pd.DataFrame,
    campaign_code: str | None = None,
) -> pd.DataFrame:
    """A filled-in entry template as a long values frame, or :class:`InputError` naming every
    problem with its cell.

    ``indicators`` are those that apply to the base (:func:`applicable`), with ``code`` and
    ``non_negative``. Checks: a readable workbook with the data sheet; the base (``B2``) and
    campaign (``B4``) it was made for; exactly the campaign's ``years`` as year columns; known,
    applicable, unrepeated indicator codes; numbers in the value cells (not negative where the
    indicator cannot be, and within the stored precision).

    Returns ``base_code, indicator_code, year`` (int64), ``value`` (the number as entered,
    normalised as :func:`~mieval.core.values.value_check` does; '' for an empty cell) and
    ``cell`` (``E7``), one row per indicator row and year of the sheet.
    """
    from openpyxl.utils import get_column_letter

    problems = _Problems(file)
    if not data:
        problems.add(
            None, None, ProblemCode.EMPTY_FILE, "the file is empty (0 bytes)", "文件为空（0字节）。"
        )
        problems.raise_if_any()
    sheet = _Sheet()
    try:
        for number, values in xlsx_cells(data, limits=ENTRY_TEMPLATE_LIMITS, sheet=DATA_SHEET):
            for column, value in enumerate(values, start=1):
                if isinstance(value, FormulaCell):
                    problems.formula(value)
                    continue
                if value is not None:
                    sheet.cells[(number, column)] = value
            sheet.max_row = number
            sheet.max_column = max(sheet.max_column, len(values))
    except LimitExceeded as exceeded:
        problems.limit(exceeded)
        problems.raise_if_any()
    except XlsxUnreadable as error:
        if error.no_sheet:
            problems.add(
                None,
                None,
                ProblemCode.INVALID_TEMPLATE,
                f"the workbook has no sheet '{DATA_SHEET}'; it is not an entry template of mieval",
                f"工作簿中没有“{DATA_SHEET}”工作表，不是本平台的填报模板。",
            )
        else:
            problems.add(
                None,
                None,
                ProblemCode.NOT_XLSX,
                "not a readable .xlsx workbook (damaged, truncated or another kind of file); "
                "download the template again and fill it in",
                "不是可读取的 .xlsx 工作簿（文件损坏、不完整或为其他类型）；请重新下载模板后填写。",
            )
        problems.raise_if_any()
    # A formula without a result was reported above and is left out of ``sheet``: its cell
    # is refused, never read as empty (the preview would propose deleting its stored value).

    found_base = _cell_text(sheet[BASE_CELL].value)
    if found_base != base_code:
        problems.add(
            BASE_CELL,
            None,
            ProblemCode.INCONSISTENT,
            f"this template is of base '{excerpt(found_base)}', not of '{base_code}'; download the "
            f"template of {base_code}",
            f"该模板属于基地“{excerpt(found_base)}”，而非“{base_code}”；请下载{base_code}的模板。",
        )
    found_campaign = _cell_text(sheet[CAMPAIGN_CELL].value)
    if campaign_code is not None and found_campaign != campaign_code:
        problems.add(
            CAMPAIGN_CELL,
            None,
            ProblemCode.INCONSISTENT,
            f"this template is of campaign '{excerpt(found_campaign)}', not of '{campaign_code}'",
            f"该模板属于评估轮次“{excerpt(found_campaign)}”，而非“{campaign_code}”。",
        )

    year_columns = _year_columns(sheet, years, problems)
    info = {
        str(r["code"]): bool(r.get("non_negative", True)) for r in indicators.to_dict("records")
    }
    out: dict[str, list] = {name: [] for name in READ_COLUMNS}
    seen: dict[str, str] = {}
    for row in range(FIRST_ROW, sheet.max_row + 1):
        ref = f"A{row}"
        code = _cell_text(sheet[ref].value)
        cells = {year: sheet.cell(row=row, column=c).value for c, year in year_columns.items()}
        if not code:
            if any(not _is_empty(v) for v in cells.values()):
                problems.add(
                    ref,
                    "indicator_code",
                    ProblemCode.REQUIRED,
                    "this row has values but no indicator code",
                    "该行有数值但没有指标代码。",
                )
            continue
        if code not in info:
            problems.add(
                ref,
                "indicator_code",
                ProblemCode.UNKNOWN_CODE,
                f"unknown indicator code '{excerpt(code)}' (not among the {len(info)} indicators of"
                " "
                "this base)",
                f"未知的指标代码“{excerpt(code)}”（不在本基地适用的{len(info)}项指标中）。",
            )
            continue
        if code in seen:
            problems.add(
                ref,
                "indicator_code",
                ProblemCode.DUPLICATE,
                f"indicator '{excerpt(code)}' is also in {seen[code]}; keep one row",
                f"指标“{excerpt(code)}”在{seen[code]}中也出现；只保留一行。",
            )
            continue
        seen[code] = ref
        for column, year in year_columns.items():
            cell_ref = f"{get_column_letter(column)}{row}"
            raw = _value(cells[year], cell_ref, code, info[code], problems)
            out["base_code"].append(base_code)
            out["indicator_code"].append(code)
            out["year"].append(year)
            out["value"].append(raw)
            out["cell"].append(cell_ref)
    problems.raise_if_any()
    frame = pd.DataFrame(out, columns=READ_COLUMNS)
    return frame.astype({"year": "int64", "value": "str"})


def _year_columns(sheet, years: Sequence[int], problems: _Problems) -> dict[int, int]:
    """Column index -> year of the header row; problems for unknown, repeated, missing years."""
    from openpyxl.utils import get_column_letter

    wanted = [int(y) for y in years]
    span = f"{wanted[0]}-{wanted[-1]}" if wanted else "-"
    found: dict[int, int] = {}
    by_year: dict[int, str] = {}
    for column in range(FIXED_COLUMNS + 1, max(sheet.max_column, FIXED_COLUMNS) + 1):
        ref = f"{get_column_letter(column)}{HEADER_ROW}"
        text = _cell_text(sheet[ref].value)
        if not text:
            continue
        number = value_check(text, storable=False).number
        year = int(number) if number is not None and number == number.to_integral_value() else None
        if year is None:
            problems.add(
                ref,
                excerpt(text),
                ProblemCode.NOT_A_YEAR,
                f"'{excerpt(text)}' is not a year; the year columns hold the campaign's years"
                f" {span}",
                f"“{excerpt(text)}”不是年度；年度列应为评估轮次的年度{span}。",
            )
        elif year not in wanted:
            problems.add(
                ref,
                excerpt(text),
                ProblemCode.YEAR_OUTSIDE_CAMPAIGN,
                f"year {year} is not a year of the campaign ({span})",
                f"{year}年不在评估轮次的年度范围（{span}）内。",
            )
        elif year in by_year:
            problems.add(
                ref,
                excerpt(text),
                ProblemCode.DUPLICATE_COLUMN,
                f"year {year} is also in {by_year[year]}; keep one column",
                f"{year}年在{by_year[year]}中也出现；只保留一列。",
            )
        else:
            found[column] = year
            by_year[year] = ref
    for year in wanted:
        if year not in by_year:
            problems.add(
                f"A{HEADER_ROW}",
                None,
                ProblemCode.MISSING_COLUMN,
                f"the column of year {year} is missing from row {HEADER_ROW}",
                f"第{HEADER_ROW}行缺少{year}年的列。",
            )
    return found


def _value(value, ref: str, code: str, non_negative: bool, problems: _Problems) -> str:
    if _is_empty(value):
        return ""
    if isinstance(value, float) and math.isfinite(value) and not value.is_integer():
        # Excel keeps 15 significant digits: 0.1 + 0.2 is 0.3 there, not 0.30000000000000004.
        text = format(value, ".15g")
    else:
        text = _cell_text(value)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        problems.add(
            ref,
            "value",
            ProblemCode.NOT_A_NUMBER,
            f"'{excerpt(text)}' is not a number",
            f"“{excerpt(text)}”不是数字；只填数字，不带单位或文字，无数据则留空。",
        )
        return ""
    checked = value_check(text, non_negative=non_negative, indicator=code)
    for problem in checked.problems:
        problems.add(ref, "value", problem.code, problem.message, _in_chinese(problem))
    return checked.raw


def _in_chinese(problem: ValueProblem) -> str:
    """The value checker's message from the catalogue (the workbook's users read both)."""
    from django.utils import translation

    with translation.override("zh-hans"):
        return problem.localized(translation.gettext)
