"""The entry template's limits and its formula cells (issue 13, points 3 and 4; pure)."""

import tracemalloc

import pytest

from mieval.core.indicators import builtin_indicators_frame
from mieval.core.limits import ENTRY_TEMPLATE_LIMITS
from mieval.core.problems import InputError, ProblemCode
from mieval.core.tables import entry_template
from mieval.core.tables.tests.test_entry_template import R1, VALUES, YEARS, edited, read
from mieval.core.tests.hostile import with_cached_result, with_huge_shared_string


@pytest.fixture
def indicators():
    return builtin_indicators_frame()


@pytest.fixture
def template(indicators) -> bytes:
    return entry_template.entry_template(R1, indicators, YEARS, VALUES)


def refused(data: bytes, indicators) -> InputError:
    with pytest.raises(InputError) as caught:
        read(data, indicators)
    return caught.value


def test_a_template_with_a_huge_shared_string_is_refused_before_it_is_unpacked(
    template, indicators
):
    # 1 GB of text packs into about 1 MB: the file.
    data = with_huge_shared_string(template, "B3", 1024 * 1024 * 1024)
    assert len(data) < 2 * 1024 * 1024

    tracemalloc.start()
    try:
        error = refused(data, indicators)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    [problem] = error.problems
    assert (problem.key, problem.code) == (None, ProblemCode.LIMIT_EXCEEDED)
    assert problem.message == (
        "the workbook unpacks to 1024.0 MB; at most 20.0 MB are accepted (a workbook that "
        "packs this much is not a data file)"
    )
    assert problem.message_zh == (
        "工作簿解压后为1024.0 MB，最多接受20.0 MB（这样的工作簿不是数据文件）。"
    )
    assert peak < 20 * 1024 * 1024


def test_a_long_shared_string_within_the_unpacked_size_is_refused_with_its_cell(
    template, indicators
):
    data = with_huge_shared_string(template, "B3", 5_000)

    [problem] = refused(data, indicators).problems

    assert (problem.key, problem.line, problem.code) == ("B3", 3, ProblemCode.LIMIT_EXCEEDED)
    assert problem.message == "a value of 5,000 characters; at most 1,000 are accepted"
    assert problem.message_zh == "单元格内容有5,000个字符，最多接受1,000个。"


def test_a_template_with_too_many_rows_is_refused_at_the_first_row_beyond(template, indicators):
    rows = {f"A{row}": "patents_granted" for row in range(20, 3_000)}

    [problem] = refused(edited(template, rows), indicators).problems

    assert (problem.key, problem.line, problem.code) == (None, 2001, ProblemCode.LIMIT_EXCEEDED)
    assert problem.message == (
        "the file has more than 2,000 rows; at most 2,000 are accepted (split the file)"
    )
    assert ENTRY_TEMPLATE_LIMITS.max_rows == 2_000


def test_a_template_with_too_many_columns_names_the_cell(template, indicators):
    [problem] = refused(edited(template, {"GS7": 1}), indicators).problems

    assert (problem.key, problem.code) == ("GS7", ProblemCode.LIMIT_EXCEEDED)
    assert problem.message == "201 columns; at most 200 are accepted"


def test_a_formula_without_a_result_is_refused_with_its_cell_not_read_as_empty(
    template, indicators
):
    # E7 holds 100 today: read as empty, the preview would propose deleting it.
    data = edited(template, {"E7": "=SUM(F7:G7)", "F8": "=E8*2"})

    error = refused(data, indicators)

    assert [(p.key, p.code) for p in error.problems] == [
        ("E7", ProblemCode.FORMULA_WITHOUT_RESULT),
        ("F8", ProblemCode.FORMULA_WITHOUT_RESULT),
    ]
    assert error.problems[0].message == (
        "cell E7 of sheet '数据 Data' holds the formula '=SUM(F7:G7)' without a computed "
        "result; open the file in Excel or WPS, let it calculate and save it, or type the value "
        "instead of the formula"
    )
    assert error.problems[0].message_zh == (
        "工作表“数据 Data”的单元格E7含公式“=SUM(F7:G7)”，但没有计算结果；请在 Excel 或 WPS 中"
        "打开文件，待其计算后保存，或直接填写数值而非公式。"
    )


def test_a_formula_with_a_cached_result_is_read_as_that_result(template, indicators):
    data = with_cached_result(edited(template, {"E7": "=100+21"}), "E7", "121")

    values = read(data, indicators)

    row = values[values["cell"] == "E7"]
    assert row[["indicator_code", "year", "value"]].values.tolist() == [
        ["new_market_entities", 2016, "121"]
    ]
