"""Renderers of a :class:`~mieval.core.trends.table.TrendTable`: CSV, XLSX and a terminal table.

Pure functions, no Django; the CLI writes what they return. CSV keeps full precision (the CLI
adds the UTF-8 byte-order mark); XLSX stores full precision and only *formats* the cells; the
terminal table is the one place where figures are rounded:

- a figure is printed with the indicator's ``decimals`` from the ``labels`` frame; without one,
  with no decimals when ``|x| >= 100`` and one decimal below (``11,740``, ``12.5``);
  thousands are separated by commas;
- a growth rate is a percentage with one decimal (``7.6%``); an undefined rate is ``—[k]`` and
  note ``k`` below the table says why.

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


def trends_to_wide(table: TrendTable) -> pd.DataFrame:
    """One row per indicator and group: ``indicator, group, <year>..., n_<year>..., cagr,
    cagr_note`` (year columns named by the year as a string)."""
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
    return wide


def trends_to_csv(table: TrendTable) -> str:
    """The table as wide CSV text, full precision, empty cells for missing figures and rates."""
    return trends_to_wide(table).to_csv(index=False, lineterminator="\n")


# --- XLSX -------------------------------------------------------------------------------------


def trends_to_xlsx(table: TrendTable, labels: pd.DataFrame) -> bytes:
    """The table as an Excel workbook: Chinese headers on row 1, English on row 2.

    Figures are stored at full precision and displayed with the indicator's decimals; growth
    rates are stored as fractions and displayed as percentages with one decimal.
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

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _excel_number_format(decimals: int | None) -> str:
    if decimals is None:
        return "General"
    return "#,##0" if decimals == 0 else "#,##0." + "0" * decimals


def _cell_number(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


# --- terminal table ---------------------------------------------------------------------------


def trends_to_text(table: TrendTable, labels: pd.DataFrame) -> str:
    """A bilingual fixed-width table for a terminal.

    Each indicator and group takes two lines: the Chinese names and the figures, then the
    English names and the number of bases behind each figure (``n=28``). The last column is
    the average annual growth rate; notes on undefined rates follow the table.
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
    return "\n".join(out) + "\n"


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
