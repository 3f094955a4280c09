"""Reading the input files of ``mieval index``: a units file and a values file for a framework.

Every problem is located (file, line, column) and all are raised together as one
:class:`~mieval.core.problems.InputError`, following :mod:`mieval.core.tables.files`.

- UNITS: any CSV/XLSX with a ``code`` column; the other columns are attributes (names
  lower-cased, values as text, empty cells missing).
- VALUES: DESIGN's values format ``base_code,indicator_code,year,value``. Codes that are neither
  an indicator nor a denominator of the framework are ignored (a values file may carry more
  indicators than one index uses); every framework indicator and denominator must have at least
  one value in the year scored, so that a misspelt code is caught; every base code must be a
  unit.
"""

from __future__ import annotations

import pandas as pd

from mieval.core.index.framework import IndexDefinition
from mieval.core.limits import excerpt
from mieval.core.problems import InputError, Problem, ProblemCode
from mieval.core.tables import files as tables

UNIT_KEY = "code"


def read_units(path, *, on_notice=None) -> pd.DataFrame:
    """A units file as a frame of text columns (``code`` first), or :class:`InputError`."""
    table = tables.read_rows(path, on_notice=on_notice)
    problems: list[Problem] = []
    file = str(path)
    if UNIT_KEY not in table.header:
        problems.append(
            Problem(
                file,
                None,
                UNIT_KEY,
                ProblemCode.MISSING_COLUMN,
                "missing from the header; a units file needs a 'code' column",
            )
        )
        raise InputError(problems)
    position = table.header.index(UNIT_KEY)
    seen: dict[str, int] = {}
    for line, row in zip(table.lines, table.rows, strict=True):
        code = row[position]
        if not code:
            problems.append(Problem(file, line, UNIT_KEY, ProblemCode.REQUIRED, "'code' is empty"))
        elif code in seen:
            problems.append(
                Problem(
                    file,
                    line,
                    UNIT_KEY,
                    ProblemCode.DUPLICATE,
                    f"unit '{excerpt(code)}' is also on line {seen[code]}; keep one row",
                )
            )
        else:
            seen[code] = line
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame(table.rows, columns=table.header, dtype=object)
    frame = frame.replace("", None)
    return frame[[UNIT_KEY, *[c for c in table.header if c != UNIT_KEY]]]


def read_values_for(
    path,
    framework: IndexDefinition,
    units: pd.DataFrame,
    *,
    year: int | None = None,
    framework_file: str = "framework",
    on_notice=None,
) -> pd.DataFrame:
    """A values file as ``year, unit, code, value`` for the framework's codes, or InputError."""
    file = str(path)
    wanted = [*framework.indicators, *framework.denominators]
    indicators = pd.DataFrame(
        {
            "code": wanted,
            "name_zh": wanted,
            "name_en": wanted,
            "categories": [()] * len(wanted),
            "non_negative": [False] * len(wanted),
        }
    )
    try:
        values = tables.read_values(path, indicators=indicators, on_notice=on_notice)
    except InputError as error:
        kept = [
            p
            for p in error.problems
            if not (p.code == ProblemCode.UNKNOWN_CODE and p.column == "indicator_code")
        ]
        if kept:
            kept += _unknown_units(path, units)
            raise InputError(sorted(kept, key=lambda p: (p.line or 0, p.column or ""))) from None
        values = _read_known(path, set(wanted), on_notice)
    values = values[values["indicator_code"].isin(set(wanted))]
    problems = _unknown_units(path, units)
    if values.empty:
        problems.append(
            Problem(file, None, None, ProblemCode.EMPTY_FILE, "no value for the framework's codes")
        )
    else:
        chosen = int(values["year"].max()) if year is None else year
        present = values[(values["year"] == chosen) & values["value"].notna()]
        if present.empty:
            problems.append(
                Problem(file, None, "year", ProblemCode.NOT_A_YEAR, f"no value for year {chosen}")
            )
        else:
            have = set(present["indicator_code"])
            for code in wanted:
                if code not in have:
                    problems.append(
                        Problem(
                            framework_file,
                            None,
                            None,
                            ProblemCode.UNKNOWN_CODE,
                            f"'{excerpt(code)}' has no value in {file} for year {chosen}",
                            key=code,
                        )
                    )
    if problems:
        raise InputError(problems)
    return values.rename(columns={"base_code": "unit", "indicator_code": "code"})[
        ["year", "unit", "code", "value"]
    ].reset_index(drop=True)


def _read_known(path, wanted: set[str], on_notice) -> pd.DataFrame:
    """Read the values again, telling the reader every code in the file (others dropped)."""
    table = tables.read_rows(path, on_notice=None)
    position = table.header.index("indicator_code")
    codes = sorted({row[position] for row in table.rows if row[position]})
    indicators = pd.DataFrame(
        {
            "code": codes,
            "name_zh": codes,
            "name_en": codes,
            "categories": [()] * len(codes),
            "non_negative": [False] * len(codes),
        }
    )
    return tables.read_values(path, indicators=indicators, on_notice=on_notice)


def _unknown_units(path, units: pd.DataFrame) -> list[Problem]:
    """A problem for every row whose base code is not a unit."""
    table = tables.read_rows(path)
    if "base_code" not in table.header:
        return []
    position = table.header.index("base_code")
    known = set(units[UNIT_KEY])
    return [
        Problem(
            str(path),
            line,
            "base_code",
            ProblemCode.UNKNOWN_CODE,
            f"unknown base code '{excerpt(row[position])}' (not among the {len(known)} units)",
        )
        for line, row in zip(table.lines, table.rows, strict=True)
        if row[position] and row[position] not in known
    ]
