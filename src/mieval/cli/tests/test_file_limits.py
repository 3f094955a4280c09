"""``mieval import`` and ``mieval check`` with hostile or formula-holding files (issue 13,
points 3 and 4): exit 2, the cell or line and the limit named, nothing written."""

import pytest
from openpyxl import Workbook

from mieval.cli import main
from mieval.collection.models import Value, ValueAudit
from mieval.collection.tests.conftest import BASES_CSV, VALUES_CSV, write
from mieval.core.tests.hostile import with_cached_result, with_huge_shared_string

HEADER = ["base_code", "indicator_code", "year", "value"]
FORMULA_MESSAGE = (
    "line 3: cell D3 of sheet 'Sheet' holds the formula '=100*1.21' without a computed result;"
    " open the file in Excel or WPS, let it calculate and save it, or type the value instead of"
    " the formula"
)


def values_xlsx(path, rows) -> bytes:
    workbook = Workbook()
    workbook.active.append(HEADER)
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path.read_bytes()


@pytest.fixture
def imported(db, tmp_path):
    bases = write(tmp_path / "bases.csv", BASES_CSV)
    values = write(tmp_path / "values.csv", VALUES_CSV)
    assert (
        main(
            [
                "import",
                "--campaign",
                "c",
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
    return bases


FORMULA_ROWS = [
    ["R1", "new_market_entities", 2016, 100],
    ["R1", "new_market_entities", 2017, "=100*1.21"],
]


@pytest.mark.django_db
def test_import_refuses_a_formula_without_a_result_and_keeps_the_stored_value(
    imported, tmp_path, capsys
):
    path = tmp_path / "values.xlsx"
    values_xlsx(path, FORMULA_ROWS)
    audits = ValueAudit.objects.count()
    capsys.readouterr()

    assert main(["import", "--campaign", "c", "--values", str(path)]) == 2

    err = capsys.readouterr().err
    assert "1 problem found; nothing was written" in err
    assert f"{path}, {FORMULA_MESSAGE}" in err
    assert Value.objects.get(base__code="R1", year=2017).raw == "121"
    assert ValueAudit.objects.count() == audits


@pytest.mark.django_db
def test_import_takes_the_cached_result_of_a_formula(imported, tmp_path, capsys):
    path = tmp_path / "values.xlsx"
    data = values_xlsx(path, [["R1", "new_market_entities", 2017, "=100*1.3"]])
    path.write_bytes(with_cached_result(data, "D2", "130"))

    assert main(["import", "--campaign", "c", "--values", str(path)]) == 0

    assert Value.objects.get(base__code="R1", year=2017).raw == "130"


def test_check_refuses_a_formula_without_a_result(tmp_path, capsys):
    bases = write(tmp_path / "bases.csv", BASES_CSV)
    path = tmp_path / "values.xlsx"
    values_xlsx(path, FORMULA_ROWS)

    assert main(["check", str(bases), str(path)]) == 2

    err = capsys.readouterr().err
    assert f"{path}, {FORMULA_MESSAGE}" in err


def test_check_reads_the_cached_result_of_a_formula(tmp_path):
    bases = write(tmp_path / "bases.csv", BASES_CSV)
    path = tmp_path / "values.xlsx"
    data = values_xlsx(path, [["R1", "new_market_entities", 2017, "=100*1.21"]])
    path.write_bytes(with_cached_result(data, "D2", "121"))

    assert main(["check", str(bases), str(path)]) == 0


def test_check_refuses_a_small_xlsx_with_a_huge_shared_string(tmp_path, capsys):
    bases = write(tmp_path / "bases.csv", BASES_CSV)
    path = tmp_path / "values.xlsx"
    data = values_xlsx(path, [["R1", "new_market_entities", 2017, "x"]])
    path.write_bytes(with_huge_shared_string(data, "D2", 300 * 1024 * 1024))

    assert main(["check", str(bases), str(path)]) == 2

    err = capsys.readouterr().err
    assert (
        f"{path}: the workbook unpacks to 300.0 MB; at most 200.0 MB are accepted (a workbook "
        "that packs this much is not a data file)"
    ) in err


def test_check_refuses_a_csv_with_a_huge_line(tmp_path, capsys):
    bases = write(tmp_path / "bases.csv", BASES_CSV)
    path = tmp_path / "values.csv"
    path.write_text(",".join(HEADER) + "\nR1,new_market_entities,2017," + "9" * 5_000_000)

    assert main(["check", str(bases), str(path)]) == 2

    err = capsys.readouterr().err
    assert f"{path}, line 2: a value of 131,072 characters; at most 2,000 are accepted" in err
    assert len(err) < 1_000


def test_a_file_bad_on_every_line_lists_the_first_hundred_problems(tmp_path, capsys):
    bases = write(tmp_path / "bases.csv", BASES_CSV)
    path = tmp_path / "values.csv"
    rows = [f"R1,new_market_entities,{1900 + i},lots" for i in range(150)]
    path.write_text(",".join(HEADER) + "\n" + "\n".join(rows) + "\n")

    assert main(["check", str(bases), str(path)]) == 2

    err = capsys.readouterr().err.splitlines()
    assert err[0] == "mieval: 150 problems found; nothing was written:"
    assert len(err) == 102
    assert err[-1] == "  ... and 50 more (not listed; correct those above first)"


@pytest.mark.parametrize(
    ("command", "option"),
    [
        (["check"], "--rules"),
        (["index", "--format", "json"], "--framework"),
        (["panels"], "--config"),
    ],
)
def test_a_settings_file_over_1_mb_is_refused_before_it_is_read(
    tmp_path, capsys, monkeypatch, command, option
):
    from mieval.core.tables import files as tables

    bases = write(tmp_path / "bases.csv", BASES_CSV)
    values = write(tmp_path / "values.csv", VALUES_CSV)
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * (1024 * 1024) + "\n")
    read_bytes = tables.Path.read_bytes

    def refuse_big(self):
        assert self != big, "the settings file was read"
        return read_bytes(self)

    monkeypatch.setattr(tables.Path, "read_bytes", refuse_big)
    files = [str(bases), str(values)]
    if command == ["panels"]:
        files = [str(bases), str(tmp_path / "experts.csv"), str(tmp_path / "orgs.csv")]
        write(tmp_path / "experts.csv", "code,name,organisation,province,fields,roles,max_panels\n")
        write(tmp_path / "orgs.csv", "code,name_zh,name_en,kind,province\n")

    assert main([command[0], *files, *command[1:], option, str(big)]) == 2

    err = capsys.readouterr().err
    assert f"{big}: the file is 1,048,579 bytes; at most 1,048,576 bytes are accepted" in err
