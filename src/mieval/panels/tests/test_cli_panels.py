"""``mieval panels``: the JSON shape and the exit statuses 0, 2 and 3.

Kept with the panels tests (not in ``cli/tests``) so that the pure test run, without Django,
covers the command.
"""

import json

from mieval.cli import main
from mieval.panels.tests.conftest import BASES, CONFLICTS, EXPERTS, ORGANISATIONS

CONFIG = """groups = 2
min_size = 2
max_size = 4
min_professional = 1
min_operational = 1
time_limit = 30
"""


def files(tmp_path, bases=BASES, experts=EXPERTS):
    bases = bases.assign(category="region", subcategory="county", batch=2017)
    bases = bases[
        ["code", "name_zh", "name_en", "category", "subcategory", "province", "batch", "fields"]
    ]
    paths = {}
    for name, frame in (
        ("bases", bases),
        ("experts", experts),
        ("organisations", ORGANISATIONS),
        ("conflicts", CONFLICTS),
    ):
        paths[name] = tmp_path / f"{name}.csv"
        frame.to_csv(paths[name], index=False)
    paths["config"] = tmp_path / "panels.toml"
    paths["config"].write_text(CONFIG, encoding="utf-8")
    return paths


def run(paths, *extra):
    return main(
        [
            "panels",
            str(paths["bases"]),
            str(paths["experts"]),
            str(paths["organisations"]),
            "--conflicts",
            str(paths["conflicts"]),
            "--config",
            str(paths["config"]),
            *extra,
        ]
    )


def test_json_result_has_the_designed_shape(tmp_path, capsys):
    paths = files(tmp_path)
    out = tmp_path / "panels.json"

    assert run(paths, "--format", "json", "--out", str(out)) == 0

    result = json.loads(out.read_text(encoding="utf-8"))
    assert list(result) == ["status", "objective", "bound", "panels", "unmet"]
    assert result["status"] == "optimal"
    assert result["objective"] == result["bound"] == 15
    assert [list(p) for p in result["panels"]] == [["panel", "experts", "bases"]] * 2
    assert sorted(b for p in result["panels"] for b in p["bases"]) == list(BASES["code"])
    for unmet in result["unmet"]:
        assert unmet["rule"] == "field_coverage"
        assert set(unmet) == {"rule", "message", "base", "field", "experts"}
    assert "objective 15" in capsys.readouterr().err


def test_table_is_bilingual(tmp_path, capsys):
    assert run(files(tmp_path)) == 0
    out = capsys.readouterr().out
    assert "专家组 Panel 1" in out
    assert "第三方机构 third-party institution" in out
    assert "人工智能 artificial intelligence" in out


def test_bad_rows_exit_2_with_located_problems(tmp_path, capsys):
    experts = EXPERTS.copy()
    experts.loc[1, "organisation"] = "O99"
    experts.loc[3, "roles"] = "boss"
    assert run(files(tmp_path, experts=experts)) == 2
    err = capsys.readouterr().err
    assert "experts.csv, line 3, column 'organisation': unknown organisation code 'O99'" in err
    assert "experts.csv, line 5, column 'roles': role 'boss' is not allowed" in err


def test_infeasible_exits_3_and_names_the_rule(tmp_path, capsys):
    experts = EXPERTS.assign(roles="operational")
    out = tmp_path / "panels.json"

    assert run(files(tmp_path, experts=experts), "--format", "json", "--out", str(out)) == 3

    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["status"] == "infeasible"
    assert result["panels"] == []
    assert result["objective"] is None
    assert [u["rule"] for u in result["unmet"]] == ["min_professional"]
    assert "min_professional: 2 groups need 2 professional expert seats" in capsys.readouterr().err
