"""``mieval sample`` + ``mieval trends`` reproduce the poster's development-trend table."""

import json

import openpyxl
import pytest

from mieval.cli import main

# Source: the evaluation poster's "Demonstration base development trends" table
# (../shared/seed/mie-evaluation-poster.txt), transcribed figure by figure:
# 2016, 2017, 2018 as printed, and the average annual growth rate as printed.
POSTER = {
    "new_market_entities": ((11740, 12158, 13598), "7.6%"),
    "national_talent": ((59, 589, 603), "219.7%"),
    "incubation_area": ((60, 74, 105), "32.3%"),
    "provincial_rd_centres": ((38, 49, 51), "15.8%"),
    "patents_granted": ((285, 289, 309), "4.1%"),
    "univ_enterprise_coop": ((582, 714, 775), "15.4%"),
    "enterprise_gov_projects": ((128, 142, 367), "69.3%"),
    "inter_enterprise_projects": ((6707, 8239, 8994), "15.8%"),
    "institute_ie_projects": ((168, 592, 1296), "177.7%"),
    "training_reach": ((13440, 16155, 20209), "22.6%"),
    "univ_ie_education_investment": ((1417, 1768, 2046), "20.2%"),
    "new_urban_employment": ((91.6, 141.1, 146.1), "26.3%"),
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    assert main(["sample", "--out", str(out)]) == 0
    return out / "bases.csv", out / "values.csv"


def trends_json(tmp_path, *args) -> dict:
    out = tmp_path / "trends.json"
    assert main(["trends", *map(str, args), "--format", "json", "--out", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_sample_and_trends_reproduce_the_poster(sample, tmp_path):
    result = trends_json(tmp_path, *sample)

    rows = {row["indicator"]: row for row in result["rows"]}
    assert list(rows) == list(POSTER)
    for code, (figures, growth) in POSTER.items():
        row = rows[code]
        assert row["group"] == "all"
        decimals = 1 if code == "new_urban_employment" else 0
        printed = tuple(round(row["values"][str(y)], decimals) for y in (2016, 2017, 2018))
        assert printed == figures, code
        assert f"{row['cagr'] * 100:.1f}%" == growth, code
        assert row["cagr_note"] is None


def test_table_format_prints_the_poster_growth_rates(sample, capsys):
    assert main(["trends", *map(str, sample)]) == 0

    out = capsys.readouterr().out
    for _, growth in POSTER.values():
        assert growth in out
    assert "新增市场主体数量" in out and "Newly established market entities" in out


def test_csv_and_xlsx_formats(sample, tmp_path):
    csv_path, xlsx_path = tmp_path / "t.csv", tmp_path / "t.xlsx"

    assert main(["trends", *map(str, sample), "--format", "csv", "--out", str(csv_path)]) == 0
    assert main(["trends", *map(str, sample), "--format", "xlsx", "--out", str(xlsx_path)]) == 0

    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    text = csv_path.read_text(encoding="utf-8-sig")
    assert "new_market_entities,all,11740" in text
    sheet = openpyxl.load_workbook(xlsx_path).worksheets[0]
    cells = [c.value for row in sheet.iter_rows() for c in row]
    numbers = [v for v in cells if isinstance(v, int | float)]
    assert 11740 in numbers


def test_bad_files_exit_2_with_every_problem_located(tmp_path, capsys):
    bases = tmp_path / "bases.csv"
    bases.write_text(
        "code,name_zh,name_en,category,subcategory,province,batch\n"
        "R1,区域,Region,region,county,99,2016\n",
        encoding="utf-8",
    )
    values = tmp_path / "values.csv"
    values.write_text(
        "base_code,indicator_code,year,value\nR1,patents_granted,2016,many\n", encoding="utf-8"
    )

    assert main(["trends", str(bases), str(values)]) == 2

    err = capsys.readouterr().err
    assert f"{bases}, line 2, column 'province'" in err
    assert "99" in err


def test_usage_errors_exit_2(capsys):
    assert main(["trends"]) == 2
    with pytest.raises(SystemExit) as caught:
        main(["trends", "a.csv", "b.csv", "--by", "colour"])
    assert caught.value.code == 2


@pytest.mark.django_db
def test_campaign_mode_equals_file_mode(sample, tmp_path):
    bases, values = sample
    assert (
        main(
            [
                "import",
                "--campaign",
                "demo",
                "--create",
                "2016-2018",
                "--bases",
                str(bases),
                "--values",
                str(values),
            ]
        )
        == 0
    )

    for args in (
        [],
        ["--by", "region_group"],
        ["--by", "subcategory", "--stat", "median"],
        ["--decompose", "--by", "batch", "--from", "2017"],
    ):
        from_db = trends_json(tmp_path, "--campaign", "demo", *args)
        from_files = trends_json(tmp_path, bases, values, *args)
        assert from_db == from_files


# --- --decompose ------------------------------------------------------------------------------

# The panel of core/trends/tests/test_decompose.py as files (patents_granted for its x):
#                  2016  2017  2018  2019
#   A region          8    10    12    16    every year
#   B region          4     6     -     -    leaves after 2017
#   C region          -     -    26    27    joins in 2018
#   D enterprise      2     -    10     8    a gap in 2017: enters again in 2018
#   E enterprise     14  (empty)  -     -    leaves after 2016
#   F enterprise      -     -     -    30    joins in 2019
DECOMPOSE_BASES = """code,name_zh,name_en,category,subcategory,province,batch
A,甲,A,region,county,11,2016
B,乙,B,region,county,14,2016
C,丙,C,region,new_area,21,2017
D,丁,D,enterprise,private,44,2016
E,戊,E,enterprise,private,51,2016
F,己,F,enterprise,state_owned,42,2017
"""
DECOMPOSE_VALUES = "base_code,indicator_code,year,value\n" + "".join(
    f"{base},patents_granted,{year},{value}\n"
    for base, year, value in [
        ("A", 2016, 8),
        ("A", 2017, 10),
        ("A", 2018, 12),
        ("A", 2019, 16),
        ("B", 2016, 4),
        ("B", 2017, 6),
        ("C", 2018, 26),
        ("C", 2019, 27),
        ("D", 2016, 2),
        ("D", 2018, 10),
        ("D", 2019, 8),
        ("E", 2016, 14),
        ("E", 2017, ""),
        ("F", 2019, 30),
    ]
)


@pytest.fixture
def panel(tmp_path):
    bases, values = tmp_path / "bases.csv", tmp_path / "values.csv"
    bases.write_text(DECOMPOSE_BASES, encoding="utf-8")
    values.write_text(DECOMPOSE_VALUES, encoding="utf-8")
    return bases, values


def test_decompose_json_is_exactly_designs_document(panel, tmp_path):
    result = trends_json(tmp_path, *panel, "--decompose", "--stat", "median")

    # Means (whatever --stat says): 2016 (8+4+2+14)/4 = 7, 2017 (10+6)/2 = 8,
    # 2018 (12+26+10)/3 = 16, 2019 (16+27+8+30)/4 = 20.25.
    # 2017: C = {A, B}: within 8 - 6 = 2, entry 8 - 8 = 0, exit 6 - 7 = -1.
    # 2018: C = {A}: within 12 - 10 = 2, entry 16 - 12 = 4, exit 10 - 8 = 2.
    # 2019: C = {A, C, D}: within 17 - 16 = 1, entry 20.25 - 17 = 3.25, exit 16 - 16 = 0.
    # The values are medians: 2016 (4+8)/2 = 6, 2017 8, 2018 12, 2019 (16+27)/2 = 21.5.
    assert result == {
        "rows": [
            {
                "indicator": "patents_granted",
                "group": "all",
                "values": {"2016": 6.0, "2017": 8.0, "2018": 12.0, "2019": 21.5},
                "n": {"2016": 4, "2017": 2, "2018": 3, "2019": 4},
                # numpy's power and Python's may differ in the last bit
                "cagr": pytest.approx((21.5 / 6) ** (1 / 3) - 1, rel=1e-12),
                "cagr_note": None,
                "decomposition": {
                    "2017": {"within": 2.0, "entry": 0.0, "exit": -1.0, "note": None},
                    "2018": {"within": 2.0, "entry": 4.0, "exit": 2.0, "note": None},
                    "2019": {"within": 1.0, "entry": 3.25, "exit": 0.0, "note": None},
                },
            }
        ]
    }


def test_decompose_by_category_from_a_year(panel, tmp_path):
    result = trends_json(tmp_path, *panel, "--decompose", "--by", "category", "--from", "2017")

    split = {row["group"]: row["decomposition"] for row in result["rows"]}
    # region 2018: {A 10, B 6} M 8 -> {A 12, C 26} M 19, C = {A}: 12 - 10, 19 - 12, 10 - 8.
    # enterprise 2018: nobody in 2017; 2019: {D 10} -> {D 8, F 30} M 19: 8 - 10, 19 - 8, 0.
    assert split == {
        "region": {
            "2018": {"within": 2.0, "entry": 7.0, "exit": 2.0, "note": None},
            "2019": {"within": 2.5, "entry": 0.0, "exit": 0.0, "note": None},
        },
        "enterprise": {
            "2018": {
                "within": None,
                "entry": None,
                "exit": None,
                "note": "no base reported a value in both 2017 and 2018 (none in 2017)",
            },
            "2019": {"within": -2.0, "entry": 11.0, "exit": 0.0, "note": None},
        },
    }


def test_decompose_balanced_has_no_entry_or_exit(panel, tmp_path):
    result = trends_json(tmp_path, *panel, "--decompose", "--balanced")

    # Only A reported every year: 8, 10, 12, 16.
    [row] = result["rows"]
    assert row["decomposition"] == {
        "2017": {"within": 2.0, "entry": 0.0, "exit": 0.0, "note": None},
        "2018": {"within": 2.0, "entry": 0.0, "exit": 0.0, "note": None},
        "2019": {"within": 4.0, "entry": 0.0, "exit": 0.0, "note": None},
    }


def test_decompose_table_csv_and_xlsx(panel, tmp_path, capsys):
    csv_path, xlsx_path = tmp_path / "d.csv", tmp_path / "d.xlsx"

    assert main(["trends", *map(str, panel), "--decompose"]) == 0
    text = capsys.readouterr().out
    for path, fmt in ((csv_path, "csv"), (xlsx_path, "xlsx")):
        args = ["trends", *map(str, panel), "--decompose", "--format", fmt, "--out", str(path)]
        assert main(args) == 0

    assert "Composition effect" in text
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "专利授权数量（件） 全部 2017 +1 +2 0 -1 2/0/2" in lines
    header, row = csv_path.read_text(encoding="utf-8-sig").splitlines()
    assert header.endswith(
        "within_2017,entry_2017,exit_2017,decomposition_note_2017,"
        "within_2018,entry_2018,exit_2018,decomposition_note_2018,"
        "within_2019,entry_2019,exit_2019,decomposition_note_2019"
    )
    assert row.endswith(",2.0,0.0,-1.0,,2.0,4.0,2.0,,1.0,3.25,0.0,")
    book = openpyxl.load_workbook(xlsx_path)
    assert book.sheetnames == ["趋势 Trends", "构成效应 Composition"]
    years = [r[6] for r in book.worksheets[1].iter_rows(min_row=3, values_only=True)]
    assert years == [2017, 2018, 2019]


def test_help_documents_decompose(capsys):
    with pytest.raises(SystemExit):
        main(["trends", "--help"])

    out = " ".join(capsys.readouterr().out.split())
    assert "--decompose" in out
    assert "whatever --stat says" in out
    assert "decomposition_note_Y" in out
