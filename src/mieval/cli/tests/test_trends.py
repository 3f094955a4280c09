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

    for args in ([], ["--by", "region_group"], ["--by", "subcategory", "--stat", "median"]):
        from_db = trends_json(tmp_path, "--campaign", "demo", *args)
        from_files = trends_json(tmp_path, bases, values, *args)
        assert from_db == from_files
