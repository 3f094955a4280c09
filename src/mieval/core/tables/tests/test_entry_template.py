"""The Excel entry template and reading it back (pure: no Django)."""

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from mieval.core.indicators import builtin_indicators_frame
from mieval.core.problems import InputError, ProblemCode
from mieval.core.tables import entry_template
from mieval.core.values import NOT_A_NUMBER

YEARS = [2016, 2017, 2018]
R1 = {"code": "R1", "name_zh": "区域一", "name_en": "Region one", "category": "region"}
R1 |= {"campaign": "c"}
VALUES = pd.DataFrame(
    {
        "base_code": ["R1", "R1", "R1", "R1", "R2"],
        "indicator_code": [
            "new_market_entities",
            "new_market_entities",
            "new_urban_employment",
            "patents_granted",
            "patents_granted",
        ],
        "year": [2016, 2017, 2016, 2018, 2016],
        "value": ["100", "121", "1.50", "12", "99"],
    }
)


@pytest.fixture
def indicators():
    return builtin_indicators_frame()


@pytest.fixture
def template(indicators) -> bytes:
    return entry_template.entry_template(R1, indicators, YEARS, VALUES)


def data_sheet(data: bytes):
    return load_workbook(io.BytesIO(data))[entry_template.DATA_SHEET]


def edited(data: bytes, cells: dict) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    for ref, value in cells.items():
        workbook[entry_template.DATA_SHEET][ref].value = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# The message catalogue's Chinese of the value checker's message these tests read (the pages
# pass Django's gettext in Chinese: collection/tests/test_entry_template_chinese.py).
CATALOGUE_ZH = {NOT_A_NUMBER: "“%(value)s”不是数字；只填数字，不带单位或文字，无数据则留空。"}


def translate_zh(message: str) -> str:
    return CATALOGUE_ZH.get(message, message)


def read(data: bytes, indicators, base_code="R1", years=YEARS):
    return entry_template.entry_read(
        data,
        file="upload.xlsx",
        base_code=base_code,
        years=years,
        indicators=entry_template.applicable(indicators, "region"),
        campaign_code="c",
        translate_zh=translate_zh,
    )


def problems_of(data: bytes, indicators, **kwargs) -> list[tuple]:
    with pytest.raises(InputError) as caught:
        read(data, indicators, **kwargs)
    return [(p.key, p.code) for p in caught.value.problems]


# --- the template ----------------------------------------------------------------------------


def test_the_template_has_bilingual_headers_and_the_bases_indicators(template, indicators):
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook[entry_template.DATA_SHEET]

    assert workbook.sheetnames == ["数据 Data", "说明 Instructions"]
    assert [c.value for c in sheet[6]] == [
        "指标代码 / Indicator code",
        "指标名称 / Indicator (中文)",
        "Indicator (English)",
        "单位 / Unit",
        2016,
        2017,
        2018,
    ]
    assert (sheet["B2"].value, sheet["B3"].value, sheet["B4"].value) == (
        "R1",
        "区域一 / Region one",
        "c",
    )
    # A region: the ten indicators that apply to regions, in the framework's order.
    codes = [sheet.cell(row=r, column=1).value for r in range(7, sheet.max_row + 1)]
    assert codes == list(entry_template.applicable(indicators, "region")["code"])
    assert len(codes) == 10
    assert [c.value for c in sheet[7]] == [
        "new_market_entities",
        "新增市场主体数量",
        "Newly established market entities",
        "个 / count",
        100,
        121,
        None,
    ]
    assert [c.value for c in sheet[16]][3:] == ["万人 / 10,000 persons", 1.5, None, None]
    guide = workbook[entry_template.HELP_SHEET]
    assert guide["A1"].value == "填报说明" and guide["B1"].value == "How to fill in this template"


def test_the_value_cells_carry_bilingual_validation(template):
    sheet = data_sheet(template)

    [rule] = sheet.data_validations.dataValidation  # all twelve indicators cannot be negative
    assert (rule.type, rule.operator, rule.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert rule.showErrorMessage and rule.showInputMessage and rule.errorStyle == "stop"
    assert "不小于0" in rule.prompt and "at least 0" in rule.prompt
    assert "不小于0" in rule.error and "at least 0" in rule.error
    assert str(rule.sqref).split() == [f"E{r}:G{r}" for r in range(7, 17)]


def test_an_indicator_that_may_be_negative_gets_a_plain_number_rule(indicators):
    may_be_negative = indicators.assign(non_negative=indicators["code"] == "patents_granted")

    sheet = data_sheet(entry_template.entry_template(R1, may_be_negative, YEARS, VALUES))

    rules = {r.operator: str(r.sqref) for r in sheet.data_validations.dataValidation}
    assert rules["greaterThanOrEqual"] == "E11:G11"
    assert len(rules["between"].split()) == 9


def test_only_the_value_cells_are_unlocked(template):
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook[entry_template.DATA_SHEET]

    assert sheet.protection.sheet is True
    assert sheet.protection.password is None  # no password needed to enter values
    assert workbook.security.lockStructure is True
    unlocked = {
        cell.coordinate
        for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row)
        for cell in row
        if not cell.protection.locked
    }
    assert unlocked == {f"{c}{r}" for c in "EFG" for r in range(7, 17)}
    assert workbook[entry_template.HELP_SHEET].protection.sheet is True


def test_a_template_read_back_gives_the_same_values(template, indicators):
    frame = read(template, indicators)

    assert list(frame.columns) == ["base_code", "indicator_code", "year", "value", "cell"]
    assert len(frame) == 30  # ten indicators, three years
    filled = frame[frame["value"] != ""]
    assert filled[["indicator_code", "year", "value", "cell"]].values.tolist() == [
        ["new_market_entities", 2016, "100", "E7"],
        ["new_market_entities", 2017, "121", "F7"],
        ["patents_granted", 2018, "12", "G11"],
        ["new_urban_employment", 2016, "1.5", "E16"],  # 1.50 as a number
    ]
    assert set(frame["base_code"]) == {"R1"}


def test_typed_numbers_are_read_as_a_person_typed_them(template, indicators):
    data = edited(template, {"F11": 0.1 + 0.2, "G7": "12,345", "E8": "１２", "F8": 7.0})

    frame = read(data, indicators).set_index("cell")["value"]

    assert (frame["F11"], frame["G7"], frame["E8"], frame["F8"]) == ("0.3", "12345", "12", "7")


# --- bad uploads -----------------------------------------------------------------------------


def test_another_bases_template_is_refused(indicators):
    r2 = R1 | {"code": "R2", "name_zh": "区域二", "name_en": "Region two"}
    data = entry_template.entry_template(r2, indicators, YEARS, VALUES)

    with pytest.raises(InputError) as caught:
        read(data, indicators)

    [problem] = caught.value.problems
    assert (problem.key, problem.code) == ("B2", ProblemCode.INCONSISTENT)
    assert "'R2', not of 'R1'" in problem.message
    assert "R2" in problem.message_zh and "R1" in problem.message_zh


def test_a_text_and_a_negative_number_are_located(template, indicators):
    data = edited(template, {"E11": "12件", "F7": -5, "G8": True})

    with pytest.raises(InputError) as caught:
        read(data, indicators)

    problems = caught.value.problems
    assert [(p.key, p.line, p.code) for p in problems] == [
        ("F7", 7, ProblemCode.NEGATIVE),
        ("G8", 8, ProblemCode.NOT_A_NUMBER),
        ("E11", 11, ProblemCode.NOT_A_NUMBER),
    ]
    assert problems[2].message == "'12件' is not a number"
    assert problems[2].message_zh.startswith("“12件”不是数字")
    assert str(problems[2]) == ("upload.xlsx, line 11, column 'value', E11: '12件' is not a number")


def test_a_wrong_year_column_is_located(template, indicators):
    data = edited(template, {"G6": 2019, "F6": "year"})

    assert problems_of(data, indicators) == [
        ("A6", ProblemCode.MISSING_COLUMN),
        ("A6", ProblemCode.MISSING_COLUMN),
        ("F6", ProblemCode.NOT_A_YEAR),
        ("G6", ProblemCode.YEAR_OUTSIDE_CAMPAIGN),
    ]


def test_the_campaigns_years_must_match(template, indicators):
    assert problems_of(template, indicators, years=[2016, 2017, 2018, 2019]) == [
        ("A6", ProblemCode.MISSING_COLUMN)
    ]


def test_unknown_and_repeated_indicator_rows_are_located(template, indicators):
    data = edited(template, {"A8": "univ_ie_education_investment", "A9": "new_market_entities"})

    assert problems_of(data, indicators) == [
        ("A8", ProblemCode.UNKNOWN_CODE),
        ("A9", ProblemCode.DUPLICATE),
    ]


@pytest.mark.parametrize(
    "data",
    [b"", b"PK\x03\x04 truncated", b"base_code,indicator_code\n"],
    ids=["empty", "truncated", "csv"],
)
def test_an_unreadable_file_is_one_problem_of_the_whole_file(data, indicators):
    with pytest.raises(InputError) as caught:
        read(data, indicators)

    [problem] = caught.value.problems
    assert (problem.key, problem.line) == (None, None)
    assert problem.code in {ProblemCode.EMPTY_FILE, ProblemCode.NOT_XLSX}


def test_a_truncated_template_is_refused(template, indicators):
    assert problems_of(template[: len(template) // 2], indicators) == [(None, ProblemCode.NOT_XLSX)]
