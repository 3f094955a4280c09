"""Reading, validating and writing the interchange files: every problem, located exactly."""

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from mieval.core.indicators import builtin_indicators_frame
from mieval.core.problems import InputError, ProblemCode
from mieval.core.tables.files import (
    read_bases,
    read_indicators,
    read_rows,
    read_values,
    write_table,
)

C = ProblemCode
VALUES_HEADER = "base_code,indicator_code,year,value\n"
BASES_HEADER = "code,name_zh,name_en,category,subcategory,province,batch\n"


@pytest.fixture
def indicators() -> pd.DataFrame:
    return builtin_indicators_frame()


@pytest.fixture
def bases() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": ["R001", "U001", "E001"],
            "category": ["region", "university_institute", "enterprise"],
        }
    )


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def problems(read, *args, **kwargs) -> list[tuple[ProblemCode, int | None, str | None]]:
    with pytest.raises(InputError) as caught:
        read(*args, **kwargs)
    return [(p.code, p.line, p.column) for p in caught.value.problems]


def messages(read, *args, **kwargs) -> list[str]:
    with pytest.raises(InputError) as caught:
        read(*args, **kwargs)
    return [str(p) for p in caught.value.problems]


# --- headers ---------------------------------------------------------------------------------


def test_misspelt_column_is_missing_and_unknown_with_a_suggestion(tmp_path, indicators):
    path = write(tmp_path, "values.csv", "base_code,indicator_code,yaer,value\nR001,x,2017,abc\n")

    found = messages(read_values, path, indicators=indicators)

    assert found == [
        f"{path}, column 'year': missing from the header (required: base_code, indicator_code,"
        " year, value); the header has 'yaer', a misspelling?",
        f"{path}, line 1, column 'yaer': unknown column (allowed: base_code,"
        " indicator_code, year, value); did you mean 'year'?",
    ]


def test_every_missing_column_is_reported_and_rows_are_not_checked(tmp_path):
    path = write(tmp_path, "bases.csv", "code,name_zh,name_en,category,subcategory\nR 1,,,x,y\n")

    assert problems(read_bases, path) == [
        (C.MISSING_COLUMN, None, "province"),
        (C.MISSING_COLUMN, None, "batch"),
    ]


def test_data_without_header_says_the_first_line_must_be_the_header(tmp_path, indicators):
    path = write(tmp_path, "values.csv", "R001;patents_granted;2017;5\n")

    found = messages(read_values, path, indicators=indicators)

    assert len(found) == 5  # four missing columns and the one unknown
    assert found[0].endswith(
        "the first non-empty line must be the header, with the columns separated by ','"
    )


def test_extra_column_in_values_is_reported_and_rows_still_checked(tmp_path, indicators):
    path = write(
        tmp_path,
        "values.csv",
        "base_code,indicator_code,year,value,comment\nR001,patents_granted,2017,abc,n/a\n",
    )

    assert problems(read_values, path, indicators=indicators) == [
        (C.UNKNOWN_COLUMN, 1, "comment"),
        (C.NOT_A_NUMBER, 2, "value"),
    ]


def test_duplicate_header(tmp_path, indicators):
    path = write(
        tmp_path, "values.csv", "base_code,indicator_code,year,Value,value \nR001,a,1,2,3\n"
    )

    found = messages(read_values, path, indicators=indicators)

    assert found == [
        f"{path}, line 1, column 'value': appears twice in the header (columns 4 and 5); keep one"
    ]
    assert problems(read_rows, path) == [(C.DUPLICATE_COLUMN, 1, "value")]


def test_line_is_a_reserved_column_name(tmp_path):
    path = write(tmp_path, "bases.csv", BASES_HEADER.strip() + ",Line\n")

    assert problems(read_bases, path) == [(C.NOT_ALLOWED, 1, "line")]


def test_header_names_are_stripped_and_lower_cased(tmp_path):
    path = write(tmp_path, "t.csv", " Code , NAME \nA,B\n")

    table = read_rows(path)

    assert table.header == ["code", "name"]
    assert table.rows == [["A", "B"]]


# --- values: each problem --------------------------------------------------------------------


def test_unknown_base_code(tmp_path, indicators, bases):
    path = write(tmp_path, "values.csv", VALUES_HEADER + "R002,patents_granted,2017,5\n")

    found = messages(read_values, path, indicators=indicators, bases=bases)

    assert found == [
        f"{path}, line 2, column 'base_code': unknown base code 'R002' (not among the 3 bases);"
        " did you mean 'R001'?"
    ]


def test_unknown_indicator_code_suggests_close_matches(tmp_path, indicators):
    path = write(
        tmp_path,
        "values.csv",
        VALUES_HEADER + "R001,patent_granted,2017,5\nR001,zzz,2017,5\nR001,专利授权数量,2017,5\n",
    )

    found = messages(read_values, path, indicators=indicators)

    assert found == [
        f"{path}, line 2, column 'indicator_code': unknown indicator code 'patent_granted'"
        " (not among the 12 indicators); did you mean 'patents_granted'?",
        f"{path}, line 3, column 'indicator_code': unknown indicator code 'zzz'"
        " (not among the 12 indicators)",
        f"{path}, line 4, column 'indicator_code': unknown indicator code '专利授权数量'"
        " (not among the 12 indicators); that is the name of 'patents_granted', write its code",
    ]


def test_text_in_a_number(tmp_path, indicators):
    path = write(tmp_path, "values.csv", VALUES_HEADER + "R001,patents_granted,2017,12 pieces\n")

    assert messages(read_values, path, indicators=indicators) == [
        f"{path}, line 2, column 'value': '12 pieces' is not a number"
    ]


def test_negative_count(tmp_path, indicators):
    path = write(tmp_path, "values.csv", VALUES_HEADER + "R001,patents_granted,2017,-3\n")

    assert messages(read_values, path, indicators=indicators) == [
        f"{path}, line 2, column 'value': -3 is negative; indicator 'patents_granted'"
        " cannot be below 0"
    ]


def test_negative_allowed_where_the_indicator_allows_it(tmp_path, indicators):
    indicators.loc[indicators["code"] == "patents_granted", "non_negative"] = False
    path = write(tmp_path, "values.csv", VALUES_HEADER + "R001,patents_granted,2017,-3\n")

    frame = read_values(path, indicators=indicators)

    assert frame["value"].tolist() == [-3.0]


def test_duplicate_rows_name_the_first_line_even_with_equal_values(tmp_path, indicators):
    path = write(
        tmp_path,
        "values.csv",
        VALUES_HEADER
        + "R001,patents_granted,2017,5\n"
        + "R001,patents_granted,2018,5\n"
        + "R001,patents_granted,2017.0,5\n",
    )

    assert messages(read_values, path, indicators=indicators) == [
        f"{path}, line 4: base 'R001', indicator 'patents_granted', year 2017 is also on"
        " line 2; keep one row"
    ]


def test_year_outside_the_campaign(tmp_path, indicators):
    path = write(tmp_path, "values.csv", VALUES_HEADER + "R001,patents_granted,2019,5\n")

    found = messages(read_values, path, indicators=indicators, years=(2016, 2018))

    assert found == [
        f"{path}, line 2, column 'year': year 2019 is outside the campaign's years 2016-2018"
    ]


def test_letter_o_in_a_year(tmp_path, indicators):
    path = write(tmp_path, "values.csv", VALUES_HEADER + "R001,patents_granted,2O18,5\n")

    assert messages(read_values, path, indicators=indicators) == [
        f"{path}, line 2, column 'year': '2O18' is not a year; write four digits, e.g. 2018"
    ]


def test_year_out_of_range_and_fractional(tmp_path, indicators):
    path = write(
        tmp_path,
        "values.csv",
        VALUES_HEADER + "R001,patents_granted,1800,5\nR001,patents_granted,2017.5,5\n",
    )

    assert problems(read_values, path, indicators=indicators) == [
        (C.NOT_A_YEAR, 2, "year"),
        (C.NOT_A_YEAR, 3, "year"),
    ]


def test_not_applicable_names_the_category_and_the_categories_that_apply(
    tmp_path, indicators, bases
):
    path = write(
        tmp_path,
        "values.csv",
        VALUES_HEADER
        + "R001,univ_ie_education_investment,2017,5\n"
        + "R001,univ_ie_education_investment,2018,\n"
        + "U001,univ_ie_education_investment,2017,5\n",
    )

    found = messages(read_values, path, indicators=indicators, bases=bases)

    # Line 3 is empty, the same as a missing row: nothing to object to.
    assert found == [
        f"{path}, line 2, column 'indicator_code': indicator 'univ_ie_education_investment'"
        " does not apply to base 'R001' of category 'region'; it applies only to"
        " university_institute"
    ]


def test_refuse_invalid_false_reads_negatives_and_values_that_do_not_apply(
    tmp_path, indicators, bases
):
    # mieval check reads these for data_check to list; text in a number and unknown codes stay
    # problems of the file.
    path = write(
        tmp_path,
        "values.csv",
        VALUES_HEADER
        + "R001,patents_granted,2017,-3\n"
        + "R001,univ_ie_education_investment,2017,5\n",
    )

    frame = read_values(path, indicators=indicators, bases=bases, refuse_invalid=False)

    assert frame[["base_code", "indicator_code", "year", "value"]].values.tolist() == [
        ["R001", "patents_granted", 2017, -3.0],
        ["R001", "univ_ie_education_investment", 2017, 5.0],
    ]
    assert problems(read_values, path, indicators=indicators, bases=bases) == [
        (C.NEGATIVE, 2, "value"),
        (C.NOT_APPLICABLE, 3, "indicator_code"),
    ]
    broken = write(tmp_path, "broken.csv", VALUES_HEADER + "R001,patents_granted,2017,lots\n")
    assert problems(
        read_values, broken, indicators=indicators, bases=bases, refuse_invalid=False
    ) == [(C.NOT_A_NUMBER, 2, "value")]


def test_required_cells(tmp_path, indicators):
    path = write(tmp_path, "values.csv", VALUES_HEADER + ",,,5\n")

    assert problems(read_values, path, indicators=indicators) == [
        (C.REQUIRED, 2, "base_code"),
        (C.REQUIRED, 2, "indicator_code"),
        (C.REQUIRED, 2, "year"),
    ]


def test_several_problems_are_all_reported_top_to_bottom(tmp_path, indicators, bases):
    # Columns in a different order: problems still follow the file's column order.
    path = write(
        tmp_path,
        "values.csv",
        "value,year,indicator_code,base_code\n"
        "5,2017,patents_granted,R001\n"
        "abc,2017,national_talent,R001\n"
        "-1,2017,incubation_area,R001\n"
        "5,2017,patents_granted,R001\n"
        "5,2O18,training_reach,R001\n"
        "5,2017,patent_granted,X001\n",
    )

    assert problems(read_values, path, indicators=indicators, bases=bases) == [
        (C.NOT_A_NUMBER, 3, "value"),
        (C.NEGATIVE, 4, "value"),
        (C.DUPLICATE, 5, None),
        (C.NOT_A_YEAR, 6, "year"),
        (C.UNKNOWN_CODE, 7, "indicator_code"),
        (C.UNKNOWN_CODE, 7, "base_code"),
    ]


# --- values: numbers -------------------------------------------------------------------------


def test_numbers_as_entered(tmp_path, indicators):
    path = write(
        tmp_path,
        "values.csv",
        VALUES_HEADER
        + 'R001,patents_granted,2016,"12,345,678.9"\n'
        + "R001,patents_granted,2017,１２３\n"
        + "R001,patents_granted,2018, +5 \n"
        + "R001,national_talent,2016,1.50\n"
        + "R001,national_talent,2017,.5\n"
        + "R001,national_talent,2018,\n"
        + "R001,incubation_area,2016,1.5e3\n"
        + "R001,incubation_area,2017,０．２５\n"
        + "R001,incubation_area,2018,0\n",
    )

    frame = read_values(path, indicators=indicators)

    assert frame["raw"].tolist() == [
        "12345678.9",
        "123",
        "5",
        "1.50",
        "0.5",
        "",
        "1500",  # positional: the text stored and shown is the number, not its notation
        "0.25",
        "0",
    ]
    assert frame["value"].tolist()[:5] == [12345678.9, 123.0, 5.0, 1.5, 0.5]
    assert math.isnan(frame["value"][5])
    assert frame["value"].tolist()[6:] == [1500.0, 0.25, 0.0]
    assert frame["year"].tolist() == [2016, 2017, 2018] * 3
    assert frame["line"].tolist() == list(range(2, 11))
    assert list(frame.columns) == ["base_code", "indicator_code", "year", "value", "raw", "line"]
    assert frame.dtypes.astype(str).tolist() == ["str", "str", "int64", "float64", "str", "int64"]


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("nan", "'nan' is not a number; leave the cell empty for a missing value"),
        ("inf", "'inf' is not a number; leave the cell empty for a missing value"),
        ("-Infinity", "'-Infinity' is not a number; leave the cell empty for a missing value"),
        ("1e400", "'1e400' is too large to be a number here"),
        ("12.3.4", "'12.3.4' is not a number"),
        ("abc", "'abc' is not a number"),
        (
            "12,5",
            "'12,5' is not a number; ',' may only separate groups of three digits (12,345.6)"
            " and decimals need '.'",
        ),
        ("1,23,456", "'1,23,456' is not a number; ',' may only separate groups of three digits"),
        ("#DIV/0!", "'#DIV/0!' is not a number (an Excel error value; fix the formula)"),
        ("12%", "'12%' is not a number; write the number without '%'"),
        ("2018-01-01", "'2018-01-01' is not a number (a date; format the cell as a number)"),
    ],
)
def test_not_a_number(tmp_path, indicators, text, hint):
    path = write(tmp_path, "values.csv", VALUES_HEADER + f'R001,patents_granted,2017,"{text}"\n')

    found = messages(read_values, path, indicators=indicators)

    assert len(found) == 1
    assert found[0].startswith(f"{path}, line 2, column 'value': {hint}")


def test_header_only_gives_an_empty_typed_table(tmp_path, indicators):
    path = write(tmp_path, "values.csv", VALUES_HEADER)

    frame = read_values(path, indicators=indicators)

    assert len(frame) == 0
    assert frame.dtypes.astype(str).tolist() == ["str", "str", "int64", "float64", "str", "int64"]


# --- file format and encoding ----------------------------------------------------------------


def test_truncated_xlsx(tmp_path, indicators):
    path = tmp_path / "values.xlsx"
    write_table(pd.DataFrame({"base_code": ["R001"] * 50, "value": range(50)}), path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])

    found = problems(read_values, path, indicators=indicators)

    assert found == [(C.NOT_XLSX, None, None)]
    assert "damaged or truncated" in messages(read_values, path, indicators=indicators)[0]


def test_csv_renamed_to_xlsx(tmp_path, indicators):
    path = write(tmp_path, "values.xlsx", VALUES_HEADER + "R001,patents_granted,2017,5\n")

    assert messages(read_values, path, indicators=indicators) == [
        f"{path}: not an .xlsx workbook (perhaps a CSV or another file renamed to .xlsx);"
        " open it in Excel and save it as .xlsx, or give it its real extension"
    ]


def test_random_bytes_as_xlsx(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)))

    assert problems(read_rows, path) == [(C.NOT_XLSX, None, None)]


@pytest.mark.parametrize("name", ["values.xls", "values.txt", "values"])
def test_unsupported_format(tmp_path, indicators, name):
    path = write(tmp_path, name, VALUES_HEADER)

    found = messages(read_values, path, indicators=indicators)

    assert len(found) == 1
    assert found[0].startswith(f"{path}: unsupported file type")
    assert found[0].endswith("use .csv or .xlsx")


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\xef\xbb\xbf \r\n\n", b",,,\n,,\n"])
def test_empty_csv(tmp_path, indicators, content):
    path = tmp_path / "values.csv"
    path.write_bytes(content)

    assert problems(read_values, path, indicators=indicators) == [(C.EMPTY_FILE, None, None)]


def test_bom_only_file_says_so(tmp_path):
    path = tmp_path / "values.csv"
    path.write_bytes(b"\xef\xbb\xbf")

    assert messages(read_rows, path) == [
        f"{path}: the file is empty (only a byte-order mark); expected a header row"
    ]


def test_empty_xlsx(tmp_path):
    empty_bytes = tmp_path / "zero.xlsx"
    empty_bytes.write_bytes(b"")
    no_rows = tmp_path / "blank.xlsx"
    Workbook().save(no_rows)

    assert problems(read_rows, empty_bytes) == [(C.EMPTY_FILE, None, None)]
    assert problems(read_rows, no_rows) == [(C.EMPTY_FILE, None, None)]


def test_utf8_bom_reads_fine(tmp_path, indicators):
    path = write(tmp_path, "values.csv", "\ufeff" + VALUES_HEADER + "R001,patents_granted,2017,5\n")
    notices: list[str] = []

    frame = read_values(path, indicators=indicators, on_notice=notices.append)

    assert read_rows(path).header == ["base_code", "indicator_code", "year", "value"]
    assert read_rows(path).encoding == "utf-8"
    assert frame["base_code"].tolist() == ["R001"]
    assert notices == []


def test_gbk_csv_reads_with_a_notice(tmp_path):
    path = write(
        tmp_path,
        "bases.csv",
        BASES_HEADER + "R001,北京市海淀区,Haidian District,region,urban_district,11,2016\n",
        encoding="gbk",
    )
    notices: list[str] = []

    frame = read_bases(path, on_notice=notices.append)

    assert frame["name_zh"].tolist() == ["北京市海淀区"]
    assert notices == [f"{path}: read as GB18030/GBK (the file is not UTF-8)"]
    assert read_rows(path).encoding == "gb18030"


def test_utf16_is_refused_with_advice(tmp_path):
    path = write(tmp_path, "values.csv", VALUES_HEADER, encoding="utf-16")

    assert messages(read_rows, path) == [
        f"{path}: the file is UTF-16 text (Excel's 'Unicode Text'); save it as 'CSV UTF-8'"
    ]


def test_quoted_newline_and_blank_lines_keep_line_numbers(tmp_path):
    path = write(
        tmp_path,
        "bases.csv",
        BASES_HEADER
        + 'R001,海淀区,"Haidian\nDistrict",region,urban_district,11,2016\n'
        + "\n"
        + "R002,朝阳区,Chaoyang,region,urban_district,11,20l7\n",
    )

    table = read_rows(path)

    assert table.lines == [2, 5]
    assert table.rows[0][2] == "Haidian\nDistrict"
    assert problems(read_bases, path) == [(C.NOT_A_YEAR, 5, "batch")]


def test_unclosed_quote(tmp_path):
    path = write(tmp_path, "t.csv", 'a,b\n1,2\n"3,4\n5,6\n')

    assert messages(read_rows, path) == [
        f"{path}, line 3: not valid CSV: a quoted field starting here is never closed;"
        " add the closing '\"'"
    ]


def test_field_counts(tmp_path):
    path = write(tmp_path, "t.csv", "a,b,c\n1,2\n1,2,3,,\n1,2,3,4\n1,2,3\n")

    found = messages(read_rows, path)

    assert found == [
        f"{path}, line 4: 4 fields but the header has 3 columns; a value with ',' in it must"
        " be quoted (\"12,345\") or written without the ','"
    ]


def test_short_records_are_padded(tmp_path):
    path = write(tmp_path, "t.csv", "a,b,c\n1,2\n1,2,3,,\n")

    table = read_rows(path)

    assert table.rows == [["1", "2", ""], ["1", "2", "3"]]


# --- bases -----------------------------------------------------------------------------------


def test_bases_read(tmp_path):
    path = write(
        tmp_path,
        "bases.csv",
        "code,name_zh,name_en,category,subcategory,province,batch,fields\n"
        "R001,海淀区,Haidian,region,urban_district,110000,2016.0,ai;bio\n"
        "U001,清华大学,Tsinghua University,university_institute,st_university,11,2017,\n",
    )

    frame = read_bases(path)

    assert frame.to_dict("records") == [
        {
            "code": "R001",
            "name_zh": "海淀区",
            "name_en": "Haidian",
            "category": "region",
            "subcategory": "urban_district",
            "province": "11",
            "batch": 2016,
            "fields": "ai;bio",
            "line": 2,
        },
        {
            "code": "U001",
            "name_zh": "清华大学",
            "name_en": "Tsinghua University",
            "category": "university_institute",
            "subcategory": "st_university",
            "province": "11",
            "batch": 2017,
            "fields": "",
            "line": 3,
        },
    ]
    assert frame["batch"].dtype == "int64"


def test_bases_problems(tmp_path):
    path = write(
        tmp_path,
        "bases.csv",
        BASES_HEADER
        + "R001,海淀区,Haidian,region,st_university,11,2016\n"
        + "R002,朝阳区,Chaoyang,region,urban_district,99,2016\n"
        + "R001,东城区,Dongcheng,region,urban_district,北京市,2016\n"
        + "R 4,,,regoin,county,110100,16\n"
        + "E001,某企业,Some firm,enterprise,big_firm,11,2017\n",
    )

    found = messages(read_bases, path)

    hint = (
        "; use the two-digit GB/T 2260 code, e.g. 11 for Beijing or 44 for Guangdong"
        " (a six-digit code such as 110000 is also accepted)"
    )
    assert found == [
        f"{path}, line 2, column 'subcategory': subcategory 'st_university' belongs to"
        " category 'university_institute', not to category 'region' (its subcategories:"
        " urban_district, new_area, hitech_econ_zone, county)",
        f"{path}, line 3, column 'province': '99' is not a province code" + hint,
        f"{path}, line 4, column 'code': code 'R001' is also on line 2; each base needs its"
        " own code",
        f"{path}, line 4, column 'province': '北京市' is not a province code"
        + hint
        + "; that is the name of '11', write its code",
        f"{path}, line 5, column 'code': code 'R 4' contains a space; remove it",
        f"{path}, line 5, column 'name_zh': 'name_zh' is empty; a value is required",
        f"{path}, line 5, column 'name_en': 'name_en' is empty; a value is required",
        f"{path}, line 5, column 'category': unknown category 'regoin' (allowed: region,"
        " university_institute, enterprise); did you mean 'region'?",
        f"{path}, line 5, column 'province': '110100' is not a province code" + hint,
        f"{path}, line 5, column 'batch': '16' is not a batch year between 1900 and 2100",
        f"{path}, line 6, column 'subcategory': unknown subcategory 'big_firm' (allowed of"
        " category 'enterprise': state_owned, private)",
    ]


# --- indicators ------------------------------------------------------------------------------


def test_indicators_round_trip_through_csv(tmp_path, indicators):
    path = tmp_path / "indicators.csv"
    write_table(indicators, path)

    frame = read_indicators(path)

    expected = indicators.assign(line=range(2, 14))
    expected["line"] = expected["line"].astype("int64")
    pd.testing.assert_frame_equal(frame, expected)


def test_indicators_optional_columns_default(tmp_path):
    path = write(
        tmp_path,
        "indicators.csv",
        "code,name_zh,name_en,unit,direction,stat,categories\n"
        "startups,新创企业,Start-ups,count,1,MEDIAN,region; enterprise\n",
    )

    record = read_indicators(path).drop(columns="line").to_dict("records")

    assert record == [
        {
            "code": "startups",
            "name_zh": "新创企业",
            "name_en": "Start-ups",
            "unit": "count",
            "unit_zh": "",
            "direction": 1,
            "stat": "median",
            "categories": ("region", "enterprise"),
            "non_negative": True,
            "decimals": 0,
        }
    ]


def test_indicators_problems(tmp_path):
    path = write(
        tmp_path,
        "indicators.csv",
        "code,name_zh,name_en,unit,direction,stat,categories,non_negative,decimals\n"
        "a,甲,A,count,2,avg,region;firm,maybe,7\n"
        "a,乙,B,count,-1,sum,,false,1.5\n",
    )

    assert problems(read_indicators, path) == [
        (C.NOT_ALLOWED, 2, "direction"),
        (C.NOT_ALLOWED, 2, "stat"),
        (C.UNKNOWN_CODE, 2, "categories"),
        (C.NOT_ALLOWED, 2, "non_negative"),
        (C.OUT_OF_RANGE, 2, "decimals"),
        (C.DUPLICATE, 3, "code"),
        (C.NOT_AN_INTEGER, 3, "decimals"),
    ]


def test_indicators_unknown_column(tmp_path):
    path = write(
        tmp_path,
        "indicators.csv",
        "code,name_zh,name_en,unit,direction,stat,categories,decimal\n",
    )

    assert messages(read_indicators, path)[0].endswith("did you mean 'decimals'?")


# --- writing and XLSX ------------------------------------------------------------------------


def test_csv_is_written_with_bom_and_newlines(tmp_path):
    path = tmp_path / "out" / "t.csv"

    write_table(pd.DataFrame({"a": [1, 2], "b": ["x", "是"], "c": [0.1, float("nan")]}), path)

    assert path.read_bytes() == "\ufeffa,b,c\n1,x,0.1\n2,是,\n".encode()
    assert [p.name for p in path.parent.iterdir()] == ["t.csv"]


def test_xlsx_round_trip_keeps_numbers_as_numbers(tmp_path, indicators):
    frame = pd.DataFrame(
        {
            "base_code": ["R001", "R001", "R001", "R001"],
            "indicator_code": ["patents_granted"] * 4,
            "year": [2016, 2017, 2018, 2019],
            "value": [12.0, 0.1, float("nan"), 1234567.891],
        }
    )
    path = tmp_path / "values.xlsx"

    write_table(frame, path)
    back = read_values(path, indicators=indicators)

    assert back["raw"].tolist() == ["12", "0.1", "", "1234567.891"]
    assert back["year"].tolist() == [2016, 2017, 2018, 2019]
    assert back["line"].tolist() == [2, 3, 4, 5]
    sheet = load_workbook(path).worksheets[0]
    assert [c.value for c in sheet[2]] == ["R001", "patents_granted", 2016, 12]
    assert isinstance(sheet["D3"].value, float)
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"


def test_xlsx_cells_as_text(tmp_path, indicators):
    import datetime as dt

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Base_Code", "indicator_code", "year", "value"])
    sheet.append(["R001", "patents_granted", 2016.0, 5])
    sheet.append([])
    sheet.append(["R001", "patents_granted", 2017, dt.datetime(2018, 1, 1)])
    sheet.append(["  R001 ", "patents_granted", "2018", " n/a"])
    path = tmp_path / "values.xlsx"
    workbook.save(path)

    table = read_rows(path)
    found = messages(read_values, path, indicators=indicators)

    assert table.encoding is None
    assert table.lines == [2, 4, 5]
    assert table.rows[0] == ["R001", "patents_granted", "2016", "5"]
    assert table.rows[1][3] == "2018-01-01"
    assert table.rows[2][0] == "R001"
    assert found == [
        f"{path}, line 4, column 'value': '2018-01-01' is not a number (a date; format the"
        " cell as a number)",
        f"{path}, line 5, column 'value': 'n/a' is not a number",
    ]


def test_xlsx_text_starting_with_equals_is_not_a_formula(tmp_path):
    path = tmp_path / "t.xlsx"

    write_table(pd.DataFrame({"note": ["=HYPERLINK(1)"], "flag": [True]}), path)

    assert read_rows(path).rows == [["=HYPERLINK(1)", "true"]]


def test_write_refuses_other_formats(tmp_path):
    assert problems(write_table, pd.DataFrame({"a": [1]}), tmp_path / "t.json") == [
        (C.UNSUPPORTED_FORMAT, None, None)
    ]


# --- bases: the lifecycle columns -----------------------------------------------------------


def test_bases_lifecycle_columns_are_read_typed(tmp_path):
    path = write(
        tmp_path,
        "bases.csv",
        "code,name_zh,name_en,category,subcategory,province,batch,designated,status\n"
        "R001,海淀区,Haidian,region,urban_district,11,2016,2016-05-12,active\n"
        "R002,朝阳区,Chaoyang,region,urban_district,11,2017,,withdrawn\n"
        "R003,东城区,Dongcheng,region,urban_district,11,2017,２０１７-06-21,\n",
    )

    frame = read_bases(path)

    assert list(frame.columns) == [
        "code",
        "name_zh",
        "name_en",
        "category",
        "subcategory",
        "province",
        "batch",
        "status",
        "designated",
        "line",
    ]
    assert frame[["code", "status", "designated"]].values.tolist() == [
        ["R001", "active", dt.date(2016, 5, 12)],
        ["R002", "withdrawn", None],
        ["R003", "", dt.date(2017, 6, 21)],
    ]


def test_bases_without_the_lifecycle_columns_have_none(tmp_path):
    path = write(
        tmp_path, "bases.csv", BASES_HEADER + "R001,海淀区,Haidian,region,county,11,2016\n"
    )

    assert "status" not in read_bases(path).columns
    assert "designated" not in read_bases(path).columns


def test_bases_lifecycle_problems_are_all_named(tmp_path):
    path = write(
        tmp_path,
        "bases.csv",
        BASES_HEADER.rstrip("\n") + ",status,designated\n"
        "R001,海淀区,Haidian,region,county,11,2016,Withdrawn,2016/5/12\n"
        "R002,朝阳区,Chaoyang,region,county,11,2017,摘牌,2016-05-12\n"
        "R003,东城区,Dongcheng,region,county,11,2017,closed,2017-02-30\n"
        "R004,西城区,Xicheng,region,county,11,17,merged,1899-12-31\n",
    )

    found = messages(read_bases, path)

    assert found == [
        f"{path}, line 2, column 'status': unknown status 'Withdrawn' (allowed: active,"
        " withdrawn, merged); did you mean 'withdrawn'?",
        f"{path}, line 2, column 'designated': '2016/5/12' is not a date; write it as"
        " YYYY-MM-DD, e.g. 2016-05-12",
        f"{path}, line 3, column 'status': unknown status '摘牌' (allowed: active, withdrawn,"
        " merged); that is the name of 'withdrawn', write its code",
        f"{path}, line 3, column 'designated': '2016-05-12' is not in 2017, the year of the"
        " base's batch; a base is designated in the year its batch is named after",
        f"{path}, line 4, column 'status': unknown status 'closed' (allowed: active, withdrawn,"
        " merged)",
        f"{path}, line 4, column 'designated': '2017-02-30' is not a day of the calendar",
        f"{path}, line 5, column 'batch': '17' is not a batch year between 1900 and 2100",
        f"{path}, line 5, column 'designated': '1899-12-31' is not a date between 1900 and 2100",
    ]
    with pytest.raises(InputError) as caught:
        read_bases(path)
    assert [p.code for p in caught.value.problems] == [
        C.UNKNOWN_CODE,
        C.NOT_A_DATE,
        C.UNKNOWN_CODE,
        C.INCONSISTENT,
        C.UNKNOWN_CODE,
        C.NOT_A_DATE,
        C.NOT_A_YEAR,
        C.NOT_A_DATE,
    ]


def test_bases_designated_from_an_xlsx_date_cell(tmp_path):
    import datetime

    workbook = Workbook()
    sheet = workbook.active
    sheet.append([*BASES_HEADER.strip().split(","), "designated"])
    sheet.append(
        [
            "R001",
            "海淀区",
            "Haidian",
            "region",
            "county",
            "11",
            2016,
            datetime.datetime(2016, 5, 12),
        ]
    )
    path = tmp_path / "bases.xlsx"
    workbook.save(path)

    assert read_bases(path)["designated"].tolist() == [dt.date(2016, 5, 12)]
