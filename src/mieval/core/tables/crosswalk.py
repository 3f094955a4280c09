"""Read a crosswalk file (``DESIGN.md``: ``from_framework, from_version, from_code,
to_framework, to_version, to_code, factor``) with every problem located by file, line and
column, as :mod:`mieval.core.tables.files` reads the other interchange files.

What the rows mean and how values are mapped through them: :mod:`mieval.core.crosswalk`.
"""

import pandas as pd

from mieval.core.crosswalk import CROSSWALK_COLUMNS, crosswalk_check, factor_check
from mieval.core.limits import TABLE_LIMITS, FileLimits, excerpt
from mieval.core.problems import ProblemCode
from mieval.core.tables.files import Notice, _check_columns, _parse_integer, _Row, _start


def read_crosswalk(
    path,
    *,
    frameworks: dict[tuple[str, int], pd.DataFrame] | None = None,
    on_notice: Notice = None,
    limits: FileLimits = TABLE_LIMITS,
) -> pd.DataFrame:
    """A crosswalk file as a frame, or :class:`~mieval.core.problems.InputError` naming every
    problem at once.

    Columns: :data:`~mieval.core.crosswalk.CROSSWALK_COLUMNS` (versions int64, ``factor``
    float64: an empty factor is 1; a factor is a positive finite number) and ``line``, in file
    order. With ``frameworks`` (``(code, version)`` to the version's ``indicators`` frame) the
    rows are also checked against the framework versions they name
    (:func:`~mieval.core.crosswalk.crosswalk_check`): unknown versions and codes, duplicates,
    merges into an indicator that does not add up.
    """
    collector, table = _start(path, on_notice, limits)
    if not _check_columns(table, collector, CROSSWALK_COLUMNS, extra_allowed=False):
        collector.raise_if_any(table.header)
    out: dict[str, list] = {name: [] for name in [*CROSSWALK_COLUMNS, "line"]}
    rows_ok = []
    for index in range(len(table.rows)):
        row = _Row(table, index, collector)
        before = len(collector.problems)
        out["from_framework"].append(row.code("from_framework"))
        out["from_version"].append(_version(row, "from_version"))
        out["from_code"].append(row.code("from_code"))
        out["to_framework"].append(row.code("to_framework"))
        out["to_version"].append(_version(row, "to_version"))
        out["to_code"].append(row.code("to_code"))
        factor, problem = factor_check(row.get("factor"))
        if problem is not None:
            row.problem("factor", *problem)
        out["factor"].append(factor if factor is not None else 1.0)
        out["line"].append(row.line)
        rows_ok.append(len(collector.problems) == before)
    frame = pd.DataFrame(
        {
            name: pd.Series(
                values,
                dtype={"from_version": "int64", "to_version": "int64", "factor": "float64"}.get(
                    name, "int64" if name == "line" else "str"
                ),
            )
            for name, values in out.items()
        }
    )
    if frameworks is not None:
        # Only rows whose own cells are readable are checked against the frameworks: a row
        # without a version says nothing about which version's codes it means.
        readable = frame.loc[rows_ok].reset_index(drop=True)
        lines = readable["line"].tolist()
        found = crosswalk_check(
            readable, frameworks, where=lambda position: f"on line {lines[position]}"
        )
        for position, column, code, message in found:
            collector.add(lines[position], column, code, message)
    collector.raise_if_any(table.header)
    return frame


def _version(row: _Row, column: str) -> int:
    value = row.required(column)
    if not value:
        return 0
    version = _parse_integer(value)
    if version is None or version < 1:
        row.problem(
            column,
            ProblemCode.NOT_AN_INTEGER,
            f"'{excerpt(value)}' is not a version number; use a whole number from 1",
        )
        return 0
    return version
