"""Resource limits of the interchange-file readers (issue 13, point 3) and formula cells without
a computed result (point 4): hostile files are built in memory and refused early, with a
message naming the limit and where it was exceeded."""

import io
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import Workbook

from mieval.core import limits as limits_module
from mieval.core.indicators import builtin_indicators_frame
from mieval.core.limits import FileLimits, excerpt
from mieval.core.problems import InputError, Problem, ProblemCode
from mieval.core.tables.files import read_rows, read_values
from mieval.core.tests.hostile import (
    with_cached_result,
    with_entity_bomb,
    with_huge_shared_string,
    with_lying_size,
)

SMALL = FileLimits(
    max_bytes=10_000,
    max_unpacked_bytes=100_000,
    max_members=20,
    max_rows=10,
    max_columns=6,
    max_cell_chars=50,
)


def refused(read, *args, **kwargs) -> InputError:
    with pytest.raises(InputError) as caught:
        read(*args, **kwargs)
    return caught.value


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def values_xlsx(tmp_path: Path, rows: list[list], name="values.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(xlsx([["base_code", "indicator_code", "year", "value"], *rows]))
    return path


# --- excerpt and the bounded problem list ------------------------------------------------------


def test_excerpt_keeps_short_text_and_cuts_long_text_with_its_length():
    assert excerpt("abc") == "abc"
    assert excerpt("x" * 40) == "x" * 40
    assert excerpt("y" * 1_000_000) == "y" * 40 + "… (1,000,000 characters)"


def test_input_error_keeps_the_first_hundred_problems_and_counts_the_rest():
    problems = [
        Problem("f.csv", line, "value", ProblemCode.NOT_A_NUMBER, "bad") for line in range(2, 302)
    ]

    error = InputError(problems)

    assert len(error.problems) == 100
    assert error.problems[0].line == 2 and error.problems[-1].line == 101
    assert (error.more, error.count) == (200, 300)
    assert str(error).splitlines()[0] == "300 problems found; nothing was written."
    assert str(error).splitlines()[-1] == "... and 200 more problems"


def test_a_file_bad_on_every_line_gives_a_bounded_error(tmp_path):
    lines = ["base_code,indicator_code,year,value"] + [
        f"R1,patents_granted,{2000 + i % 50},not-a-number-{i}" for i in range(5_000)
    ]
    path = tmp_path / "values.csv"
    path.write_text("\n".join(lines), encoding="utf-8")

    error = refused(read_values, path, indicators=builtin_indicators_frame())

    assert len(error.problems) == limits_module.PROBLEMS_MAX == 100
    # Every row is a bad number, and the rows from line 52 on also repeat a (base, year).
    assert error.count > 5_000
    assert error.problems[0].line == 2
    assert len(str(error)) < 20_000


def test_a_long_bad_value_is_quoted_as_an_excerpt(tmp_path, monkeypatch):
    path = tmp_path / "values.csv"
    long_code = "Q" * 1_500
    path.write_text(
        f"base_code,indicator_code,year,value\nR1,{long_code},2016,{'9' * 1_900}x\n",
        encoding="utf-8",
    )

    error = refused(read_values, path, indicators=builtin_indicators_frame())

    messages = [p.message for p in error.problems]
    assert messages[0].startswith(f"unknown indicator code '{'Q' * 40}… (1,500 characters)'")
    assert messages[1] == (
        f"'{'9' * 40}… (1,901 characters)' is too long; a value has at most 64 characters"
    )
    assert all(len(m) < 300 for m in messages)


# --- CSV ---------------------------------------------------------------------------------------


def test_a_csv_larger_than_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "values.csv"
    path.write_text("base_code,indicator_code,year,value\n" + "R1,x,2016,1\n" * 1_000)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the file was read"))

    error = refused(read_rows, path, limits=SMALL)

    assert [(p.line, p.code) for p in error.problems] == [(None, ProblemCode.LIMIT_EXCEEDED)]
    assert error.problems[0].message == (
        "the file is 12,036 bytes; at most 10,000 bytes are accepted"
    )


def test_a_csv_with_a_huge_line_is_refused_at_that_line(tmp_path):
    path = tmp_path / "values.csv"
    # 3 MB without a line break: the csv module's own bound (131,072) is hit first.
    path.write_text("base_code,indicator_code,year,value\nR1," + "z" * 3_000_000, encoding="utf-8")

    error = refused(read_rows, path)

    assert [(p.line, p.code) for p in error.problems] == [(2, ProblemCode.LIMIT_EXCEEDED)]
    assert error.problems[0].message == (
        "a value of 131,072 characters; at most 2,000 are accepted"
    )


def test_a_csv_field_longer_than_the_limit_is_refused_at_its_line(tmp_path):
    path = tmp_path / "values.csv"
    path.write_text(
        f"base_code,indicator_code,year,value\nR1,a,2016,1\nR1,{'n' * 2_001},2016,1\n",
        encoding="utf-8",
    )

    error = refused(read_rows, path)

    assert [(p.line, p.code) for p in error.problems] == [(3, ProblemCode.LIMIT_EXCEEDED)]
    assert str(error.problems[0]) == (
        f"{path}, line 3: a value of 2,001 characters; at most 2,000 are accepted"
    )


def test_a_csv_with_too_many_rows_stops_at_the_first_row_beyond_the_limit(tmp_path):
    path = tmp_path / "values.csv"
    path.write_text("a,b\n" + "1,2\n" * 50)

    error = refused(read_rows, path, limits=SMALL)

    assert [(p.line, p.code) for p in error.problems] == [(11, ProblemCode.LIMIT_EXCEEDED)]
    assert error.problems[0].message == (
        "the file has more than 10 rows; at most 10 are accepted (split the file)"
    )


def test_a_csv_with_too_many_columns(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(7)) + "\n")

    error = refused(read_rows, path, limits=SMALL)

    assert [(p.line, p.message) for p in error.problems] == [
        (1, "7 columns; at most 6 are accepted")
    ]


def test_a_csv_within_the_limits_is_read(tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text("a,b\n" + "1,2\n" * 9)

    assert len(read_rows(path, limits=SMALL).rows) == 9


# --- XLSX --------------------------------------------------------------------------------------


def test_a_small_xlsx_with_a_huge_shared_string_is_refused_before_it_is_unpacked(tmp_path):
    path = tmp_path / "values.xlsx"
    # 300 MB of 'x' pack into about 300 KB.
    path.write_bytes(with_huge_shared_string(xlsx([["code"], ["a"]]), "A2", 300 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024

    tracemalloc.start()
    try:
        error = refused(read_rows, path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert [(p.line, p.code) for p in error.problems] == [(None, ProblemCode.LIMIT_EXCEEDED)]
    assert error.problems[0].message.startswith(
        "the workbook unpacks to 300.0 MB; at most 200.0 MB are accepted"
    )
    assert peak < 20 * 1024 * 1024


def test_an_xlsx_member_that_lies_about_its_size_is_not_unpacked_beyond_it(tmp_path):
    path = tmp_path / "values.xlsx"
    data = xlsx([["code"], ["y" * 2_000]] + [["z" * 1_000] for _ in range(3_000)])
    path.write_bytes(with_lying_size(data, "xl/worksheets/sheet1.xml", 2_000))

    tracemalloc.start()
    try:
        error = refused(read_rows, path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert [p.code for p in error.problems] == [ProblemCode.NOT_XLSX]
    assert peak < 20 * 1024 * 1024


def test_an_xlsx_with_an_entity_bomb_is_refused_without_expanding_it(tmp_path):
    path = tmp_path / "values.xlsx"
    path.write_bytes(with_entity_bomb(xlsx([["code"], ["a"]])))

    tracemalloc.start()
    try:
        error = refused(read_rows, path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert [p.code for p in error.problems] == [ProblemCode.NOT_XLSX]
    assert peak < 5 * 1024 * 1024


def test_an_xlsx_with_too_many_rows_is_refused_while_streaming(tmp_path):
    path = tmp_path / "values.xlsx"
    path.write_bytes(xlsx([["a"]] + [[i] for i in range(1, 200)]))

    error = refused(read_rows, path, limits=SMALL)

    assert [(p.line, p.message) for p in error.problems] == [
        (11, "the file has more than 10 rows; at most 10 are accepted (split the file)")
    ]


def test_an_xlsx_with_a_too_long_cell_names_the_cell(tmp_path):
    path = tmp_path / "values.xlsx"
    path.write_bytes(xlsx([["a", "b"], ["ok", "w" * 51]]))

    error = refused(read_rows, path, limits=SMALL)

    assert [(p.line, p.message) for p in error.problems] == [
        (2, "cell B2: a value of 51 characters; at most 50 are accepted")
    ]


def test_an_xlsx_with_too_many_columns_names_the_last_cell(tmp_path):
    path = tmp_path / "values.xlsx"
    path.write_bytes(xlsx([["a"], [1, 2, 3, 4, 5, 6, 7]]))

    error = refused(read_rows, path, limits=SMALL)

    assert [(p.line, p.message) for p in error.problems] == [
        (2, "cell G2: 7 columns; at most 6 are accepted")
    ]


def test_an_xlsx_with_too_many_parts_is_refused(tmp_path):
    path = tmp_path / "values.xlsx"
    workbook = Workbook()
    for i in range(25):
        workbook.create_sheet(f"s{i}")
    workbook.save(path)

    error = refused(read_rows, path, limits=replace(SMALL, max_bytes=1_000_000))

    assert error.problems[0].message.startswith("the workbook holds ")
    assert error.problems[0].message.endswith(" parts; at most 20 are accepted")


# --- formulas ----------------------------------------------------------------------------------


def test_a_formula_without_a_result_is_refused_with_its_cell_never_read_as_empty(tmp_path):
    path = values_xlsx(
        tmp_path,
        [["R1", "patents_granted", 2016, "=10*12"], ["R1", "patents_granted", 2017, 5]],
    )

    error = refused(read_values, path, indicators=builtin_indicators_frame())

    assert [(p.line, p.code, p.message) for p in error.problems] == [
        (
            2,
            ProblemCode.FORMULA_WITHOUT_RESULT,
            "cell D2 of sheet 'Sheet' holds the formula '=10*12' without a computed result; "
            "open the file in Excel or WPS, let it calculate and save it, or type the value "
            "instead of the formula",
        )
    ]


def test_a_long_formula_is_quoted_as_an_excerpt(tmp_path):
    formula = "=" + "+".join(["1"] * 500)
    path = values_xlsx(tmp_path, [["R1", "patents_granted", 2016, formula]])

    error = refused(read_values, path, indicators=builtin_indicators_frame())

    assert f"'{formula[:40]}… (1,000 characters)'" in error.problems[0].message


def test_a_formula_with_a_cached_result_is_read_as_that_result(tmp_path):
    data = xlsx(
        [
            ["base_code", "indicator_code", "year", "value"],
            ["R1", "patents_granted", 2016, "=10*12"],
        ]
    )
    path = tmp_path / "values.xlsx"
    path.write_bytes(with_cached_result(data, "D2", "120"))

    values = read_values(path, indicators=builtin_indicators_frame())

    assert values[["base_code", "year", "raw"]].values.tolist() == [["R1", 2016, "120"]]
