import pytest

from mieval.cli import main
from mieval.collection.models import Value, ValueAudit
from mieval.collection.tests.conftest import BASES_CSV, VALUES_CSV, write


@pytest.fixture
def files(tmp_path):
    return write(tmp_path / "bases.csv", BASES_CSV), write(tmp_path / "values.csv", VALUES_CSV)


def run_import(*args) -> int:
    return main(["import", "--campaign", "c", *map(str, args)])


@pytest.mark.django_db
def test_import_creates_the_campaign_and_reports_counts(files, capsys):
    bases, values = files

    assert run_import("--create", "2016-2018", "--bases", bases, "--values", values) == 0

    err = capsys.readouterr().err
    assert "Created campaign 'c' (2016-2018)." in err
    assert "Values: 5 created, 0 changed, 0 removed, 0 unchanged (were written)." in err
    assert Value.objects.count() == 5


@pytest.mark.django_db
def test_dry_run_lists_changes_and_writes_nothing(files, tmp_path, capsys):
    bases, values = files
    run_import("--create", "2016-2018", "--bases", bases, "--values", values)
    changed = write(tmp_path / "v2.csv", VALUES_CSV.replace("2016,100", "2016,110"))
    capsys.readouterr()

    assert run_import("--values", changed, "--dry-run") == 0

    err = capsys.readouterr().err
    assert "R1 new_market_entities 2016: 100 → 110" in err
    assert "Dry run: nothing was written." in err
    assert Value.objects.get(base__code="R1", year=2016).raw == "100"
    assert ValueAudit.objects.count() == 5


@pytest.mark.django_db
def test_bad_input_exits_2_and_names_every_problem(files, tmp_path, capsys):
    bases, _ = files
    bad = write(
        tmp_path / "bad.csv",
        "base_code,indicator_code,year,value\n"
        "R1,new_market_entities,2016,1O0\n"
        "R1,new_market_entities,2016,100\n"
        "R1,no_such_indicator,2017,1\n",
    )

    assert run_import("--create", "2016-2018", "--bases", bases, "--values", bad) == 2

    err = capsys.readouterr().err
    assert "3 problems found; nothing was written" in err
    assert f"{bad}, line 2, column 'value'" in err
    assert f"{bad}, line 3" in err
    assert f"{bad}, line 4, column 'indicator_code'" in err
    assert Value.objects.count() == 0


@pytest.mark.django_db
def test_unknown_campaign_without_create_is_refused(files, capsys):
    assert run_import("--values", files[1]) == 2
    assert "there is no campaign 'c'" in capsys.readouterr().err


@pytest.mark.django_db
def test_export_writes_both_files(files, tmp_path, capsys):
    bases, values = files
    run_import("--create", "2016-2018", "--bases", bases, "--values", values)

    assert main(["export", "--campaign", "c", "--out", str(tmp_path / "x")]) == 0

    assert (tmp_path / "x" / "values.csv").read_text(encoding="utf-8-sig") == VALUES_CSV
