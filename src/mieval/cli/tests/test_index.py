"""``mieval index`` on the ASEM example: the JSON contract, --stages files, bad input."""

import csv
import json
from pathlib import Path

import pytest

from mieval.cli import main

EXAMPLE = Path(__file__).resolve().parents[4] / "examples" / "coinr-asem"
ARGS = [
    str(EXAMPLE / "units.csv"),
    str(EXAMPLE / "values.csv"),
    "--framework",
    str(EXAMPLE / "framework.toml"),
]
AGGREGATES = {
    "Index", "Conn", "Sust", "Physical", "ConEcFin", "Political", "Instit", "P2P", "Environ",
    "Social", "SusEcFin",
}  # fmt: skip


def test_json_shape_exactly(tmp_path):
    out = tmp_path / "index.json"
    assert main(["index", *ARGS, "--format", "json", "--out", str(out)]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert list(document) == ["scores"]
    rows = document["scores"]
    assert len(rows) == 51 * 11
    assert all(list(r) == ["base_code", "code", "score", "rank"] for r in rows)
    assert {r["code"] for r in rows} == AGGREGATES
    assert rows[0] == {
        "base_code": "CHE",
        "code": "Index",
        "score": pytest.approx(68.38372423834171, rel=1e-12),
        "rank": 1,
    }
    index = [r for r in rows if r["code"] == "Index"]
    assert sorted(r["rank"] for r in index) == list(range(1, 52))
    assert all(isinstance(r["rank"], int) and isinstance(r["score"], float) for r in rows)


def test_stages_files(tmp_path):
    stages = tmp_path / "stages"
    assert main(["index", *ARGS, "--stages", str(stages), "--format", "csv", "--out",
                 str(tmp_path / "s.csv")]) == 0  # fmt: skip
    names = sorted(p.name for p in stages.iterdir())
    expected = ["aggregated.csv", "denominated.csv", "imputed.csv", "normalised.csv", "treated.csv"]
    assert names == expected
    for name in names:
        with (stages / name).open(encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
        assert list(rows[0]) == ["base_code", "code", "value"]
        assert len(rows) == 51 * (60 if name == "aggregated.csv" else 49)
    with (stages / "imputed.csv").open(encoding="utf-8-sig") as handle:
        assert all(row["value"] != "" for row in csv.DictReader(handle))
    with (tmp_path / "s.csv").open(encoding="utf-8-sig") as handle:
        first = next(csv.DictReader(handle))
    assert first["base_code"] == "CHE" and first["code"] == "Index" and first["rank"] == "1"


def test_table_and_monte_carlo(tmp_path, capsys):
    assert main(["index", *ARGS, "--runs", "20", "--seed", "1"]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0] == "Composite index Index, 2018"
    assert "median" in text.splitlines()[1]
    assert text.splitlines()[2].split()[:3] == ["1", "CHE", "68.38"]


def test_bad_input_exits_2_with_located_problems(tmp_path, capsys):
    values = tmp_path / "values.csv"
    lines = (EXAMPLE / "values.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = "AUT,LPI,2018,four"
    lines[2] = "XXX,Flights,2018,1.0"
    values.write_text("\n".join(lines) + "\n", encoding="utf-8")
    framework = tmp_path / "f.toml"
    framework.write_text((EXAMPLE / "framework.toml").read_text(encoding="utf-8"), encoding="utf-8")
    code = main(["index", ARGS[0], str(values), "--framework", str(framework)])
    assert code == 2
    err = capsys.readouterr().err
    assert "line 2, column 'value'" in err
    err_lines = err.splitlines()
    assert any("line 3, column 'base_code'" in line and "XXX" in line for line in err_lines)


def test_bad_framework_exits_2(tmp_path, capsys):
    framework = tmp_path / "f.toml"
    text = (EXAMPLE / "framework.toml").read_text(encoding="utf-8")
    framework.write_text(text.replace('method = "minmax"', 'method = "maxmin"'), encoding="utf-8")
    assert main(["index", ARGS[0], ARGS[1], "--framework", str(framework)]) == 2
    err = capsys.readouterr().err
    assert "step[3].method: 'maxmin' is not allowed" in err


def test_monte_carlo_over_method_alternatives(tmp_path, capsys):
    out = tmp_path / "mc.json"
    args = ["index", *ARGS, "--runs", "60", "--seed", "3", "--format", "json", "--out", str(out)]

    assert main([*args, "--impute-alternatives", "mean,median"]) == 0
    first = json.loads(out.read_text(encoding="utf-8"))["uncertainty"]
    assert main([*args, "--impute-alternatives", "mean,median"]) == 0
    again = json.loads(out.read_text(encoding="utf-8"))["uncertainty"]

    assert first == again  # the same seed, the same runs
    assert len(first) == 51
    assert all(r["q05"] <= r["median_rank"] <= r["q95"] for r in first)


def test_method_alternatives_are_checked(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["index", *ARGS, "--runs", "5", "--normalise-alternatives", "zzz"])
    assert caught.value.code == 2
    assert "zzz: not a normalise method" in capsys.readouterr().err

    # z-scores are negative: a geometric mean of them is refused, with the reason.
    code = main(
        [
            "index",
            *ARGS,
            "--runs",
            "5",
            "--normalise-alternatives",
            "zscore",
            "--aggregate-alternatives",
            "geometric",
        ]
    )
    assert code == 2
    assert "cannot be aggregated by geometric or harmonic means" in capsys.readouterr().err


def test_audit_file_has_the_contract_keys_and_equals_the_example(tmp_path):
    # given the ASEM example; when audited
    audit = tmp_path / "audit.json"
    assert main(["index", *ARGS, "--audit", str(audit), "--out", str(tmp_path / "t.txt")]) == 0
    document = json.loads(audit.read_text(encoding="utf-8"))
    # then the contract's five keys (beside year and flags), one row per pair, aggregate, node
    assert list(document) == [
        "year", "correlations", "cronbach", "pca", "main_effects", "removal", "flags",
    ]  # fmt: skip
    assert (len(document["correlations"]), len(document["cronbach"]), len(document["pca"])) == (
        213,
        11,
        11,
    )
    assert len(document["main_effects"]) == len(document["removal"]) == 59
    assert document["cronbach"][-1] == {
        "code": "Index",
        "alpha": pytest.approx(0.7024253, abs=1e-6),
        "n_children": 2,
    }
    # and it is the file kept in examples/coinr-asem (regenerate it with this command)
    stored = json.loads((EXAMPLE / "audit.json").read_text(encoding="utf-8"))
    assert [r["code"] for r in stored["removal"]] == [r["code"] for r in document["removal"]]
    assert stored["removal"] == document["removal"]
    assert [r["alpha"] for r in stored["cronbach"]] == pytest.approx(
        [r["alpha"] for r in document["cronbach"]], rel=1e-12
    )


def test_audit_with_optimised_weights_reports_them_beside_the_nominal(tmp_path):
    audit = tmp_path / "audit.json"
    assert main(["index", *ARGS, "--audit", str(audit), "--optimise-weights",
                 "--out", str(tmp_path / "t.txt")]) == 0  # fmt: skip
    document = json.loads(audit.read_text(encoding="utf-8"))
    rows = document["optimised_weights"]
    assert len(rows) == 59
    assert list(rows[0]) == [
        "code", "parent", "nominal_weight", "optimised_weight", "correlation_ratio",
        "importance_share",
    ]  # fmt: skip
    index = [r for r in rows if r["parent"] == "Index"]
    assert [r["nominal_weight"] for r in index] == [0.5, 0.5]
    assert sum(r["optimised_weight"] for r in index) == pytest.approx(1.0, abs=1e-12)
    # the nominal weights, not the proposal, built the index
    assert [r["nominal_weight"] for r in document["main_effects"][-2:]] == [0.5, 0.5]


def test_audit_of_a_panel_gives_every_year(tmp_path):
    # given the ASEM values as 2018 and, scaled by 1.1 on one indicator, as 2017
    with (EXAMPLE / "values.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    values = tmp_path / "values.csv"
    with values.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            earlier = {**row, "year": "2017"}
            if row["indicator_code"] == "LPI" and row["value"]:
                earlier["value"] = repr(float(row["value"]) ** 1.5)
            writer.writerow(earlier)
    audit = tmp_path / "audit.json"
    args = [str(EXAMPLE / "units.csv"), str(values), *ARGS[2:]]
    # when audited
    assert main(["index", *args, "--audit", str(audit), "--out", str(tmp_path / "t.txt")]) == 0
    document = json.loads(audit.read_text(encoding="utf-8"))
    # then every year, the top keys for the year of the results, and the changes
    assert document["year"] == 2018
    assert sorted(document["years"]) == ["2017", "2018"]
    assert document["years"]["2018"]["removal"] == document["removal"]
    changes = {(c["parent"], c["a"], c["b"]): c for c in document["correlation_changes"]}
    assert len(changes) == 213
    unchanged = changes[("Physical", "Flights", "Ship")]
    assert unchanged["change"] == pytest.approx(0.0, abs=1e-12)
    assert list(unchanged["pearson"]) == ["2017", "2018"]


def test_optimise_weights_needs_audit(capsys):
    assert main(["index", *ARGS, "--optimise-weights"]) == 2
    assert "--optimise-weights needs --audit FILE" in capsys.readouterr().err
