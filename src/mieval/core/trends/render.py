"""Renderers of a :class:`~mieval.core.trends.table.TrendTable`: CSV, XLSX and a terminal table.

Pure functions, no Django; the CLI writes what they return. CSV keeps full precision (the CLI
adds the UTF-8 byte-order mark); XLSX stores full precision and only *formats* the cells; the
terminal table is the one place where figures are rounded:

- a figure is printed with the indicator's ``decimals`` from the ``labels`` frame; without one,
  with no decimals when ``|x| >= 100`` and one decimal below (``11,740``, ``12.5``);
  thousands are separated by commas;
- a growth rate is a percentage with one decimal (``7.6%``); an undefined rate is ``—[k]`` and
  note ``k`` below the table says why.

Each renderer takes an optional ``decomposition``, the frame of
:func:`~mieval.core.trends.decompose.trend_decomposition` for the same options (``mieval trends
--decompose``): CSV gets the columns ``within_<year>``, ``entry_<year>``, ``exit_<year>`` and
``decomposition_note_<year>`` for every year after the first; XLSX a second sheet with one row
per indicator, group and year; the terminal table a second table below the first, figures
signed and rounded like the first's.

``labels`` is an indicators frame: ``code``, ``name_zh``, ``name_en``, ``unit``, ``unit_zh`` and
optionally ``decimals`` (see :func:`mieval.core.indicators.builtin_indicators_frame`).
"""

import io
import math
import unicodedata

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from mieval.core import reference
from mieval.core.trends.table import TrendTable

STAT_NAMES = {"mean": ("均值", "mean"), "median": ("中位数", "median"), "sum": ("合计", "total")}


# --- CSV --------------------------------------------------------------------------------------


def trends_to_wide(table: TrendTable, decomposition: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per indicator and group: ``indicator, group, <year>..., n_<year>..., cagr,
    cagr_note`` (year columns named by the year as a string); with ``decomposition``, then
    ``within_<year>, entry_<year>, exit_<year>, decomposition_note_<year>`` for every year
    after the first."""
    years = [str(y) for y in table.years]
    width = len(years)
    rows = len(table.growth)
    values = table.yearly["value"].to_numpy(dtype=np.float64).reshape(rows, width)
    counts = table.yearly["n"].to_numpy(dtype=np.int64).reshape(rows, width)
    wide = pd.DataFrame(
        {
            "indicator": table.growth["indicator"].to_numpy(dtype=object),
            "group": table.growth["group"].to_numpy(dtype=object),
        }
    )
    for position, year in enumerate(years):
        wide[year] = values[:, position]
    for position, year in enumerate(years):
        wide[f"n_{year}"] = counts[:, position]
    wide["cagr"] = table.growth["cagr"].to_numpy(dtype=np.float64)
    wide["cagr_note"] = table.growth["cagr_note"].to_numpy(dtype=object)
    if decomposition is not None:
        cells = _decomposition_cells(table, decomposition)
        for position, year in enumerate(table.years[1:]):
            for column, name in (
                ("within", "within"),
                ("entry", "entry"),
                ("exit", "exit"),
                ("note", "decomposition_note"),
            ):
                wide[f"{name}_{year}"] = cells[column][:, position]
    return wide


def _decomposition_cells(table: TrendTable, decomposition: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each column of the decomposition as an array (table row, year after the first), aligned
    on the table's rows by indicator, group and year (NaN or None where it has no row)."""
    rows, later = len(table.growth), table.years[1:]
    wanted = pd.MultiIndex.from_arrays(
        [
            np.repeat(table.growth["indicator"].to_numpy(dtype=object), len(later)),
            np.repeat(table.growth["group"].to_numpy(dtype=object), len(later)),
            np.tile(np.asarray(later, dtype=np.int64), rows),
        ],
        names=["indicator", "group", "year"],
    )
    aligned = decomposition.set_index(["indicator", "group", "year"]).reindex(wanted)
    out = {}
    for column in aligned.columns:
        array = aligned[column].to_numpy()
        if column in ("note", "note_code"):
            array = np.array([x if isinstance(x, str) else None for x in array], dtype=object)
        out[column] = array.reshape(rows, len(later))
    return out


def trends_to_csv(table: TrendTable, decomposition: pd.DataFrame | None = None) -> str:
    """The table as wide CSV text, full precision, empty cells for missing figures and rates;
    with ``decomposition``, its columns too (:func:`trends_to_wide`)."""
    return trends_to_wide(table, decomposition).to_csv(index=False, lineterminator="\n")


# --- XLSX -------------------------------------------------------------------------------------


def trends_to_xlsx(
    table: TrendTable, labels: pd.DataFrame, decomposition: pd.DataFrame | None = None
) -> bytes:
    """The table as an Excel workbook: Chinese headers on row 1, English on row 2.

    Figures are stored at full precision and displayed with the indicator's decimals; growth
    rates are stored as fractions and displayed as percentages with one decimal. With
    ``decomposition``, a second sheet (:func:`_decomposition_sheet`).
    """
    names = _labels_by_code(labels)
    field = table.by or ""
    book = Workbook()
    sheet = book.active
    sheet.title = "趋势 Trends"
    year_zh = [f"{y}年" for y in table.years]
    header_zh = [
        "指标代码",
        "指标",
        "指标（英文）",
        "单位",
        "统计量",
        "分组",
        "分组名称",
        "分组名称（英文）",
        *year_zh,
        *[f"{y}样本数" for y in year_zh],
        "年均增长率",
        "说明",
    ]
    header_en = [
        "Indicator code",
        "Indicator (Chinese)",
        "Indicator",
        "Unit",
        "Statistic",
        "Group",
        "Group (Chinese)",
        "Group name",
        *[str(y) for y in table.years],
        *[f"n {y}" for y in table.years],
        "Average annual growth",
        "Note",
    ]
    sheet.append(header_zh)
    sheet.append(header_en)
    for row in sheet.iter_rows(min_row=1, max_row=2):
        for cell in row:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", wrap_text=True)

    wide = trends_to_wide(table)
    width = len(table.years)
    first_value_column = 9
    for record in wide.itertuples(index=False):
        code, group = record[0], record[1]
        label = names.get(code, {})
        group_zh, group_en = reference.group_label(field, group)
        stat = table.stats.get(code, "mean")
        figures = [_cell_number(x) for x in record[2 : 2 + width]]
        counts = [int(n) for n in record[2 + width : 2 + 2 * width]]
        cagr, note = record[2 + 2 * width], record[3 + 2 * width]
        sheet.append(
            [
                code,
                label.get("name_zh", code),
                label.get("name_en", code),
                _unit_text(label),
                f"{STAT_NAMES[stat][0]} {STAT_NAMES[stat][1]}",
                group,
                group_zh,
                group_en,
                *figures,
                *counts,
                _cell_number(cagr),
                note,
            ]
        )
        row = sheet.max_row
        number_format = _excel_number_format(label.get("decimals"))
        for column in range(first_value_column, first_value_column + width):
            sheet.cell(row=row, column=column).number_format = number_format
        sheet.cell(row=row, column=first_value_column + 2 * width).number_format = "0.0%"
    sheet.freeze_panes = sheet.cell(row=3, column=first_value_column)
    for column, size in zip("ABCDEFGH", (24, 26, 40, 14, 14, 16, 18, 22), strict=True):
        sheet.column_dimensions[column].width = size
    if decomposition is not None:
        _decomposition_sheet(book, table, names, decomposition)

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


DECOMPOSITION_HEADERS = (
    ("指标代码", "Indicator code"),
    ("指标", "Indicator (Chinese)"),
    ("指标（英文）", "Indicator"),
    ("分组", "Group"),
    ("分组名称", "Group (Chinese)"),
    ("分组名称（英文）", "Group name"),
    ("年份", "Year"),
    ("上年均值", "Mean of the year before"),
    ("本年均值", "Mean"),
    ("均值变化", "Change of the mean"),
    ("存续基地变化", "Within"),
    ("新进入基地", "Entry"),
    ("退出基地", "Exit"),
    ("上年基地数", "Bases the year before"),
    ("本年基地数", "Bases"),
    ("两年均报告的基地数", "Bases in both years"),
    ("新进入基地数", "Bases that joined"),
    ("退出基地数", "Bases that left"),
    ("说明", "Note"),
)


def _decomposition_sheet(book, table: TrendTable, names: dict, decomposition: pd.DataFrame):
    """The sheet "构成效应 Composition": one row per indicator, group and year after the first,
    the means and the three parts at full precision (shown with the indicator's decimals)."""
    sheet = book.create_sheet("构成效应 Composition")
    sheet.append([zh for zh, _ in DECOMPOSITION_HEADERS])
    sheet.append([en for _, en in DECOMPOSITION_HEADERS])
    for row in sheet.iter_rows(min_row=1, max_row=2):
        for cell in row:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
    field = table.by or ""
    cells = _decomposition_cells(table, decomposition)
    later = table.years[1:]
    for position, growth in enumerate(table.growth.itertuples(index=False)):
        label = names.get(growth.indicator, {})
        group_zh, group_en = reference.group_label(field, growth.group)
        number_format = _excel_number_format(label.get("decimals"))
        for k, year in enumerate(later):
            figures = [
                _cell_number(cells[c][position, k])
                for c in ("mean_prev", "mean_now", "change", "within", "entry", "exit")
            ]
            counts = [
                _cell_count(cells[c][position, k])
                for c in ("n_prev", "n_now", "n_common", "n_entered", "n_exited")
            ]
            sheet.append(
                [
                    growth.indicator,
                    label.get("name_zh", growth.indicator),
                    label.get("name_en", growth.indicator),
                    growth.group,
                    group_zh,
                    group_en,
                    year,
                    *figures,
                    *counts,
                    cells["note"][position, k],
                ]
            )
            for column in range(8, 14):
                sheet.cell(row=sheet.max_row, column=column).number_format = number_format
    sheet.freeze_panes = sheet.cell(row=3, column=8)
    for column, size in zip("ABCDEF", (24, 26, 40, 16, 18, 22), strict=True):
        sheet.column_dimensions[column].width = size


def _cell_count(x) -> int | None:
    return None if x is None or pd.isna(x) else int(x)


def _excel_number_format(decimals: int | None) -> str:
    if decimals is None:
        return "General"
    return "#,##0" if decimals == 0 else "#,##0." + "0" * decimals


def _cell_number(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


# --- terminal table ---------------------------------------------------------------------------


def trends_to_text(
    table: TrendTable, labels: pd.DataFrame, decomposition: pd.DataFrame | None = None
) -> str:
    """A bilingual fixed-width table for a terminal.

    Each indicator and group takes two lines: the Chinese names and the figures, then the
    English names and the number of bases behind each figure (``n=28``). The last column is
    the average annual growth rate; notes on undefined rates follow the table. With
    ``decomposition``, the composition effect follows as a second table
    (:func:`_decomposition_text`), its notes numbered on from the first table's.
    """
    names = _labels_by_code(labels)
    field = table.by or ""
    years = [str(y) for y in table.years]
    width = len(years)
    wide = trends_to_wide(table)

    head_zh = ["指标", "分组", *years, "年均增长"]
    head_en = ["Indicator", "Group", *["" for _ in years], "CAGR"]
    lines: list[list[str]] = []
    notes: list[str] = []
    for record in wide.itertuples(index=False):
        code, group = record[0], record[1]
        label = names.get(code, {})
        stat_zh, stat_en = STAT_NAMES[table.stats.get(code, "mean")]
        unit_zh, unit_en = label.get("unit_zh") or "", label.get("unit") or ""
        name_zh = label.get("name_zh", code) + f"（{unit_zh + '，' if unit_zh else ''}{stat_zh}）"
        name_en = label.get("name_en", code) + f" ({unit_en + ', ' if unit_en else ''}{stat_en})"
        group_zh, group_en = reference.group_label(field, group)
        decimals = label.get("decimals")
        figures = [_figure_text(x, decimals) for x in record[2 : 2 + width]]
        counts = [f"n={int(n)}" for n in record[2 + width : 2 + 2 * width]]
        cagr, note = record[2 + 2 * width], record[3 + 2 * width]
        if pd.isna(cagr):
            notes.append(f"[{len(notes) + 1}] {label.get('name_en', code)}, {group_en}: {note}")
            growth = f"—[{len(notes)}]"
        else:
            growth = f"{cagr * 100:.1f}%"
        lines.append([name_zh, group_zh, *figures, growth])
        lines.append([name_en, group_en, *counts, ""])

    rows = [head_zh, head_en, *lines]
    widths = [max(_display_width(row[c]) for row in rows) for c in range(len(head_zh))]
    # Text columns are left-aligned, numbers right-aligned.
    align = ["<", "<", *[">" for _ in years], ">"]

    def render(row: list[str]) -> str:
        cells = [_pad(text, widths[c], align[c]) for c, text in enumerate(row)]
        return "  ".join(cells).rstrip()

    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    out = [render(head_zh), render(head_en), rule]
    for position in range(0, len(lines), 2):
        out.append(render(lines[position]))
        out.append(render(lines[position + 1]))
    out.append(rule)
    if not lines:
        out.append("（无数据）No values in the range.")
    out.extend(notes)
    if decomposition is not None and lines and len(years) > 1:
        out.append("")
        out.extend(_decomposition_text(table, names, decomposition, len(notes)))
    return "\n".join(out) + "\n"


def _decomposition_text(
    table: TrendTable, names: dict, decomposition: pd.DataFrame, notes_before: int
) -> list[str]:
    """The composition effect as a fixed-width table: per indicator and group, one line per
    year after the first with the change of the mean and its three parts (signed, rounded like
    the trend table's figures) and the bases in both years / joined / left. Names take the
    first two lines of a block, Chinese then English."""
    field = table.by or ""
    later = [str(y) for y in table.years[1:]]
    cells = _decomposition_cells(table, decomposition)
    head_zh = [
        "指标",
        "分组",
        "年份",
        "均值变化",
        "存续基地",
        "新进入基地",
        "退出基地",
        "两年/进入/退出",
    ]
    head_en = ["Indicator", "Group", "Year", "Change", "Within", "Entry", "Exit", "both/in/out"]
    blocks: list[list[list[str]]] = []
    notes: list[str] = []
    for position, growth in enumerate(table.growth.itertuples(index=False)):
        label = names.get(growth.indicator, {})
        unit_zh, unit_en = label.get("unit_zh") or "", label.get("unit") or ""
        name_zh = label.get("name_zh", growth.indicator) + (f"（{unit_zh}）" if unit_zh else "")
        name_en = label.get("name_en", growth.indicator) + (f" ({unit_en})" if unit_en else "")
        group_zh, group_en = reference.group_label(field, growth.group)
        decimals = label.get("decimals")
        block = []
        for k, year in enumerate(later):
            within = cells["within"][position, k]
            if pd.isna(within):
                notes.append(
                    f"[{notes_before + len(notes) + 1}] {label.get('name_en', growth.indicator)}, "
                    f"{group_en}, {year}: {cells['note'][position, k]}"
                )
                parts = [f"—[{notes_before + len(notes)}]", "—", "—"]
            else:
                parts = [
                    _signed_text(cells[c][position, k], decimals)
                    for c in ("within", "entry", "exit")
                ]
            counts = "/".join(
                str(_cell_count(cells[c][position, k]) or 0)
                for c in ("n_common", "n_entered", "n_exited")
            )
            change = _signed_text(cells["change"][position, k], decimals)
            block.append(["", "", year, change, *parts, counts])
        block[0][:2] = [name_zh, group_zh]
        if len(block) == 1:
            block.append(["" for _ in head_zh])
        block[1][:2] = [name_en, group_en]
        blocks.append(block)

    rows = [head_zh, head_en, *(line for block in blocks for line in block)]
    widths = [max(_display_width(row[c]) for row in rows) for c in range(len(head_zh))]
    align = ["<", "<", "<", ">", ">", ">", ">", ">"]

    def render(row: list[str]) -> str:
        return "  ".join(_pad(t, widths[c], align[c]) for c, t in enumerate(row)).rstrip()

    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    out = [
        "构成效应：均值的逐年变化 = 存续基地变化 + 新进入基地 + 退出基地（均值，不论所选统计量）",
        "Composition effect: the yearly change of the mean = within + entry + exit "
        "(always the mean, whatever the statistic)",
        render(head_zh),
        render(head_en),
        rule,
    ]
    out.extend(render(line) for block in blocks for line in block)
    out.append(rule)
    out.extend(notes)
    return out


def _signed_text(x: float, decimals) -> str:
    """A change rounded like :func:`_figure_text`, with its sign (``+1,234``, ``-0.5``, and
    ``-0`` for a small fall); exactly zero is ``0``."""
    if pd.isna(x):
        return "—"
    if x == 0:
        return "0"
    if decimals is None:
        decimals = 0 if abs(x) >= 100 else 1
    return f"{x:+,.{int(decimals)}f}"


def _figure_text(x: float, decimals) -> str:
    """A figure rounded for reading: the indicator's decimals, else 0 from 100 up, else 1."""
    if pd.isna(x):
        return "—"
    if decimals is None:
        decimals = 0 if abs(x) >= 100 else 1
    return f"{x:,.{int(decimals)}f}"


def _display_width(text: str) -> int:
    """Terminal columns taken by ``text``: wide and full-width (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int, align: str) -> str:
    space = " " * (width - _display_width(text))
    return space + text if align == ">" else text + space


# --- labels -----------------------------------------------------------------------------------


def _labels_by_code(labels: pd.DataFrame) -> dict[str, dict]:
    """Indicator labels keyed by code; ``decimals`` as int or None, empty texts dropped."""
    out: dict[str, dict] = {}
    for record in labels.to_dict("records"):
        entry = {}
        for key in ("name_zh", "name_en", "unit", "unit_zh"):
            value = record.get(key)
            if isinstance(value, str) and value:
                entry[key] = value
        decimals = record.get("decimals")
        if decimals is not None and not (isinstance(decimals, float) and math.isnan(decimals)):
            entry["decimals"] = int(decimals)
        out[str(record["code"])] = entry
    return out


def _unit_text(label: dict) -> str:
    unit_zh, unit_en = label.get("unit_zh", ""), label.get("unit", "")
    return f"{unit_zh} {unit_en}".strip()
