"""The helpers every subcommand shares: reading the files of file mode, running on a campaign,
the exit statuses."""

import argparse

import pytest

from mieval.cli import common
from mieval.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_OK,
    add_data_file_arguments,
    read_data_files,
    read_indicators_option,
    run_guarded,
    run_on_campaign,
)
from mieval.collection.tests.conftest import BASES_CSV, VALUES_CSV, write
from mieval.core.indicators import builtin_indicators_frame
from mieval.core.problems import InputError


def _args(tmp_path, values=VALUES_CSV, indicators=None):
    return argparse.Namespace(
        bases=str(write(tmp_path / "bases.csv", BASES_CSV)),
        values=str(write(tmp_path / "values.csv", values)),
        indicators=indicators,
    )


def test_the_exit_statuses():
    assert (EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT) == (0, 1, 2)


def test_read_data_files_reads_bases_values_and_the_builtin_indicators(tmp_path):
    bases, values, indicators = read_data_files(_args(tmp_path))

    assert list(bases["code"]) == ["R1", "R2", "U1"]
    assert values[["base_code", "indicator_code", "year", "value"]].values.tolist() == [
        ["R1", "new_market_entities", 2016, 100.0],
        ["R1", "new_market_entities", 2017, 121.0],
        ["R2", "new_market_entities", 2016, 0.0],
        ["R2", "new_urban_employment", 2016, 1.5],
        ["U1", "univ_ie_education_investment", 2017, 2046.0],
    ]
    assert indicators.equals(builtin_indicators_frame())
    assert read_indicators_option(_args(tmp_path)).equals(builtin_indicators_frame())


def test_read_data_files_keeps_values_that_break_a_rule_only_when_asked(tmp_path, capsys):
    # U1 is a university: new_market_entities applies to regions only.
    args = _args(tmp_path, VALUES_CSV + "U1,new_market_entities,2016,5\n")

    _, kept, _ = read_data_files(args, refuse_invalid=False)
    assert len(kept) == 6
    with pytest.raises(InputError) as caught:
        read_data_files(args)
    assert caught.value.count == 1
    assert run_guarded(lambda: read_data_files(args) and EXIT_OK) == EXIT_BAD_INPUT
    assert capsys.readouterr().err == (
        "mieval: 1 problem found; nothing was written:\n"
        f"  {tmp_path / 'values.csv'}, line 7, column 'indicator_code': indicator"
        " 'new_market_entities' does not apply to base 'U1' of category 'university_institute';"
        " it applies only to region\n"
    )


def test_a_missing_file_is_exit_status_2_naming_it(tmp_path, capsys):
    args = _args(tmp_path)
    args.values = str(tmp_path / "none.csv")

    assert run_guarded(lambda: read_data_files(args) and EXIT_OK) == EXIT_BAD_INPUT
    assert capsys.readouterr().err == f"mieval: {tmp_path / 'none.csv'}: no such file\n"


def test_run_on_campaign_finds_the_campaign_or_says_there_is_none(db, capsys, monkeypatch):
    from mieval.collection.services import campaign_create

    monkeypatch.setattr(common, "setup_django", lambda: None)
    campaign_create(code="c", first_year=2016, last_year=2018, name_zh="c", name_en="c")
    seen = []

    assert run_on_campaign("audit", "c", lambda c: seen.append(c.code) or EXIT_OK) == EXIT_OK
    assert seen == ["c"]
    assert run_on_campaign("audit", "nope", lambda c: seen.append(c) or EXIT_OK) == 2
    assert seen == ["c"]
    assert capsys.readouterr().err == "mieval audit: there is no campaign 'nope'\n"


def test_the_data_file_arguments_with_and_without_a_campaign():
    files = argparse.ArgumentParser()
    add_data_file_arguments(files)
    either = argparse.ArgumentParser()
    add_data_file_arguments(either, campaign="read a campaign")

    assert vars(files.parse_args(["b.csv", "v.csv", "--indicators", "i.csv"])) == {
        "bases": "b.csv",
        "values": "v.csv",
        "indicators": "i.csv",
    }
    assert vars(either.parse_args(["--campaign", "c"])) == {
        "bases": None,
        "values": None,
        "campaign": "c",
        "indicators": None,
    }
    with pytest.raises(SystemExit) as caught:
        files.parse_args(["b.csv"])
    assert caught.value.code == EXIT_BAD_INPUT
