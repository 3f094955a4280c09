"""``mieval check``: the poster's tenfold jump on the demo data, a planted outlier, exit
codes, the JSON document."""

import csv
import json

import pytest

from mieval.cli import main
from mieval.core.trends.render import _display_width

JSON_KEYS = ["base_code", "indicator_code", "year", "rule", "severity", "message", "message_zh"]

BASES_HEADER = "code,name_zh,name_en,category,subcategory,province,batch\n"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    assert main(["sample", "--out", str(out)]) == 0
    return out / "bases.csv", out / "values.csv"


@pytest.fixture
def planted(tmp_path):
    """Six S&T universities' patents in 2018, one planted outlier (U6: 5,000)."""
    bases = tmp_path / "bases.csv"
    values = tmp_path / "values.csv"
    bases.write_text(
        BASES_HEADER
        + "".join(
            f"U{i},高校{i},University {i},university_institute,st_university,11,2017\n"
            for i in range(1, 7)
        ),
        encoding="utf-8",
    )
    figures = [100, 110, 120, 130, 140, 5000]
    values.write_text(
        "base_code,indicator_code,year,value\n"
        + "".join(f"U{i},patents_granted,2018,{v}\n" for i, v in enumerate(figures, start=1)),
        encoding="utf-8",
    )
    return bases, values


def check_json(tmp_path, *args, status=0) -> dict:
    out = tmp_path / "check.json"
    assert main(["check", *map(str, args), "--format", "json", "--out", str(out)]) == status
    return json.loads(out.read_text(encoding="utf-8"))


def sample_figures(values_csv) -> dict[tuple[str, str, int], float]:
    with open(values_csv, encoding="utf-8-sig", newline="") as handle:
        return {
            (row["base_code"], row["indicator_code"], int(row["year"])): float(row["value"])
            for row in csv.DictReader(handle)
        }


def test_sample_national_talent_jump_is_flagged(sample, tmp_path):
    # Counted independently from the CSV: bases with national_talent in 2016 and 2017 whose
    # value changed more than five-fold (ratio > 5 or < 1/5).
    figures = sample_figures(sample[1])
    jumps = {
        (base, code, year)
        for (base, code, year), value in figures.items()
        if (before := figures.get((base, code, year - 1))) is not None
        and before > 0
        and (value / before > 5 or value / before < 0.2)
    }
    # The second batch reports from 2017 on: the jump shows at the first batch's bases only.
    assert len(jumps) == 25
    assert {(code, year) for _, code, year in jumps} == {("national_talent", 2017)}
    # 2016 and 2018 with 2017 missing: seen only by the history test.
    gaps = {
        (base, code, year)
        for (base, code, year), value in figures.items()
        if year == 2018
        and (base, code, 2017) not in figures
        and (before := figures.get((base, code, 2016))) is not None
        and before > 0
        and (value / before > 5 or value / before < 0.2)
    }
    assert len(gaps) == 1

    problems = check_json(tmp_path, *sample)["problems"]

    yoy = {
        (p["base_code"], p["indicator_code"], p["year"])
        for p in problems
        if p["rule"] == "yoy_change"
    }
    history = {
        (p["base_code"], p["indicator_code"], p["year"])
        for p in problems
        if p["rule"] == "outlier_history"
    }
    assert yoy == jumps
    assert history == gaps
    assert all(p["severity"] == "warning" for p in problems if p["rule"] == "yoy_change")
    assert not any(p["severity"] == "error" for p in problems)
    first = next(p for p in problems if p["rule"] == "yoy_change")
    base = first["base_code"]
    before, after = (
        figures[(base, "national_talent", 2016)],
        figures[(base, "national_talent", 2017)],
    )
    assert first["message"].startswith(
        f"High-level personnel at the national level rose from {before:,.0f} in 2016 to"
        f" {after:,.0f} in 2017"
    )


def test_planted_outlier_is_the_only_problem(planted, tmp_path):
    # y = ln(1 + x): 4.61512 4.70953 4.79579 4.87520 4.94876 8.51739. Each against the median
    # of the other five: U1 -0.26008 (others' median 4.87520), U2 -0.16567, U3 -0.07941,
    # U4 +0.07941 (4.79579), U5 +0.15297, U6 8.51739 - 4.79579 = +3.72160.
    # Qn of the six: h = 4, k = 6; the pairwise distances sorted 0.07356 0.08626 0.09441
    # 0.15882 0.18067 0.23238 ...: Qn = 0.611 * 2.2219 * 0.23238 = 0.315469;
    # z(U6) = 3.72160 / 0.315469 = +11.80, beyond 3.3 * f_6 = 3.3 * 2.510 = 8.283.
    document = check_json(tmp_path, *planted)

    assert document == {
        "problems": [
            {
                "base_code": "U6",
                "indicator_code": "patents_granted",
                "year": 2018,
                "rule": "outlier_peers",
                "severity": "warning",
                "message": "Patents granted: 5,000 in 2018 against a median of 120 of the other 5"
                " S&T university bases; z = +11.80 on ln(1 + x) with the spread of the 6 bases"
                " reporting it, beyond ±8.28.",
                "message_zh": "专利授权数量：2018年为5,000，同类（理工类高校）其他5个基地的"
                "中位数为120；按填报该指标的6个基地的离散程度，对数尺度z分数为+11.80，超出±8.28。",
            }
        ]
    }
    assert list(document["problems"][0]) == JSON_KEYS


def test_negative_and_not_applicable_values_are_problems_among_the_others(planted, tmp_path):
    # Issue 13, point 9: a negative count and a value of an indicator that does not apply to
    # the base's category were "unreadable input" (exit 2) and hid every other problem.
    bases, values = planted
    with values.open("a", encoding="utf-8") as handle:
        handle.write("U2,patents_granted,2017,-3\n")  # a count cannot be negative
        handle.write("U3,new_market_entities,2018,12\n")  # districts only, U3 is a university

    document = check_json(tmp_path, bases, values, status=1)

    assert [
        (p["base_code"], p["indicator_code"], p["year"], p["rule"], p["severity"])
        for p in document["problems"]
    ] == [
        ("U2", "patents_granted", 2017, "non_negative_patents_granted", "error"),
        ("U3", "new_market_entities", 2018, "not_applicable", "error"),
        # the outlier tests still ran: the planted peer outlier of 2018, unchanged
        ("U6", "patents_granted", 2018, "outlier_peers", "warning"),
    ]
    assert [p["message"] for p in document["problems"][:2]] == [
        "Patents granted is -3; it cannot be negative.",
        "Newly established market entities: 12 in 2018, but the indicator does not apply to"
        " the base's category, Universities and institutes (only to Region).",
    ]
    assert document["problems"][1]["message_zh"] == (
        "新增市场主体数量：2018年填报了12，但该指标不适用于该基地的类别“高校和科研院所”（仅适用于区域）。"
    )
    assert "+11.80" in document["problems"][2]["message"]
    # A rules file without the built-in rules still meets the indicator's constraint.
    rules = tmp_path / "rules.toml"
    rules.write_text("[outliers]\npeers = false\n", encoding="utf-8")
    codes = [
        p["rule"]
        for p in check_json(tmp_path, bases, values, "--rules", rules, status=1)["problems"]
    ]
    assert codes == ["non_negative_patents_granted", "not_applicable"]
    # Unknown codes are still unreadable input.
    with values.open("a", encoding="utf-8") as handle:
        handle.write("U9,patents_granted,2018,1\n")
    assert main(["check", str(bases), str(values)]) == 2


def test_exit_1_on_an_error_and_json_order(planted, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text(
        "[outliers]\npeers = false\n\n"
        '[[rule]]\ncode = "patents_cap"\nleft = "#{patents_granted}"\noperator = "<="\n'
        'right = "120"\nseverity = "error"\n'
        'message_en = "{left} patents in {year}, more than {right}."\n'
        'message_zh = "{year}年专利{left}件，超过{right}件。"\n',
        encoding="utf-8",
    )

    problems = check_json(tmp_path, *planted, "--rules", rules, status=1)["problems"]

    # 130, 140 and 5000 exceed 120, in base order
    assert [(p["base_code"], p["year"], p["severity"], p["message"]) for p in problems] == [
        ("U4", 2018, "error", "130 patents in 2018, more than 120."),
        ("U5", 2018, "error", "140 patents in 2018, more than 120."),
        ("U6", 2018, "error", "5,000 patents in 2018, more than 120."),
    ]
    assert problems[2]["message_zh"] == "2018年专利5,000件，超过120件。"


def test_exit_2_for_unreadable_input(planted, tmp_path, capsys):
    bases, values = planted
    broken = tmp_path / "broken.csv"
    broken.write_text("base_code,indicator_code,year,value\nU1,patents_granted,2018,lots\n")
    bad_rules = tmp_path / "bad.toml"
    bad_rules.write_text('[[rule]]\ncode = "x"\nleft = "#{patents_granted} +"\n')

    assert main(["check", str(bases), str(tmp_path / "absent.csv")]) == 2
    assert main(["check", str(bases), str(broken)]) == 2
    err = capsys.readouterr().err
    assert "absent.csv: no such file" in err
    assert "broken.csv, line 2, column 'value'" in err

    assert main(["check", str(bases), str(values), "--rules", str(bad_rules)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "bad.toml, line 3, rule[1].left: rule 'x': expected a number" in captured.err
    assert "bad.toml, line 1, rule[1].operator: rule 'x': 'operator' is required" in captured.err


def test_table_is_bilingual_and_aligned(planted, capsys):
    assert main(["check", *map(str, planted)]) == 0

    lines = capsys.readouterr().out.splitlines()
    head_zh, head_en = lines[0], lines[1]

    def column_at(line: str, word: str) -> int:
        return _display_width(line[: line.index(word)])

    assert column_at(head_zh, "规则") == column_at(head_en, "Rule")
    assert column_at(head_zh, "说明") == column_at(head_en, "Message")
    row_zh, row_en = lines[3], lines[4]
    assert row_zh.startswith("U6") and "警告" in row_zh and "理工类高校" in row_zh
    assert column_at(row_zh, "警告") == column_at(row_en, "warning")
    assert column_at(row_zh, "outlier_peers") == column_at(head_zh, "规则")
    assert lines[-2:] == [
        "共 1 个问题：错误 0 个，警告 1 个，提示 0 个。",
        "1 problem: 0 errors, 1 warning, 0 info.",
    ]


def test_nothing_found(planted, tmp_path):
    bases, _ = planted
    values = tmp_path / "calm.csv"
    values.write_text(
        "base_code,indicator_code,year,value\n"
        + "".join(f"U{i},patents_granted,2018,{100 + i}\n" for i in range(1, 7))
    )

    assert check_json(tmp_path, bases, values) == {"problems": []}
