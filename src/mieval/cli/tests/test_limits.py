"""Size-like options of the ``mieval`` command are bounded (``mieval.core.limits``): exit status 2
with a message naming the option and the allowed range, before any work starts."""

from pathlib import Path

import pytest

from mieval.cli import main

EXAMPLE = Path(__file__).resolve().parents[4] / "examples" / "coinr-asem"
INDEX = [
    "index",
    str(EXAMPLE / "units.csv"),
    str(EXAMPLE / "values.csv"),
    "--framework",
    str(EXAMPLE / "framework.toml"),
]

BASES_CSV = """code,name_zh,name_en,category,subcategory,province,batch
R1,区域一,Region one,region,urban_district,11,2016
"""
VALUES_CSV = """base_code,indicator_code,year,value
R1,new_market_entities,2016,100
R1,new_market_entities,2018,144
"""


@pytest.fixture
def files(tmp_path):
    (tmp_path / "bases.csv").write_text(BASES_CSV, encoding="utf-8")
    (tmp_path / "values.csv").write_text(VALUES_CSV, encoding="utf-8")
    return [str(tmp_path / "bases.csv"), str(tmp_path / "values.csv")]


def usage_error(args, capsys) -> str:
    """argparse's usage error: exit status 2; its last line of standard error."""
    with pytest.raises(SystemExit) as caught:
        main(args)
    assert caught.value.code == 2
    return capsys.readouterr().err.strip().splitlines()[-1]


# issue 13: --to 99999999999 exhausted memory building the range of years.
@pytest.mark.parametrize(
    ("option", "value", "shown"),
    [
        ("--to", "99999999999", "99999999999"),
        ("--to", "9999999999999999999999", "9999999999999999999999"),
        ("--from", "1899", "1899"),
        ("--from", "9" * 5000, "9" * 20 + "..."),
    ],
)
def test_trends_years_outside_the_calendar_range(files, capsys, option, value, shown):
    last = usage_error(["trends", *files, option, value], capsys)

    assert last == (
        f"mieval trends: error: argument {option}: {shown} is outside the allowed range "
        "1900 to 2100"
    )


def test_trends_years_are_bounded_to_the_values_file(files, capsys):
    assert main(["trends", *files, "--from", "2015", "--to", "2019"]) == 2

    assert capsys.readouterr().err.splitlines() == [
        "mieval trends: --from 2015 is outside the years of the values file, 2016-2018",
        "mieval trends: --to 2019 is outside the years of the values file, 2016-2018",
    ]


def test_trends_within_the_values_file(files, capsys):
    assert main(["trends", *files, "--from", "2017", "--format", "csv"]) == 0

    header = capsys.readouterr().out.lstrip("\ufeff").splitlines()[0]
    assert "2016" not in header
    assert "2018" in header


@pytest.mark.django_db
def test_trends_years_are_bounded_to_the_campaign(campaign_c, capsys):
    assert main(["trends", "--campaign", "c", "--to", "2020"]) == 2

    assert capsys.readouterr().err.splitlines() == [
        "mieval trends: --to 2020 is outside the years of campaign 'c', 2016-2018"
    ]


@pytest.mark.parametrize(
    ("args", "last"),
    [
        (
            [*INDEX, "--runs", "5001"],
            "mieval index: error: argument --runs: 5001 is outside the allowed range 1 to 5000",
        ),
        (
            [*INDEX, "--runs", "0"],
            "mieval index: error: argument --runs: 0 is outside the allowed range 1 to 5000",
        ),
        (
            [*INDEX, "--runs", "5", "--noise", "5"],
            "mieval index: error: argument --noise: 5 is outside the allowed range 0 to 1",
        ),
        (
            [*INDEX, "--runs", "5", "--noise", "nan"],
            "mieval index: error: argument --noise: nan is outside the allowed range 0 to 1",
        ),
        (
            [*INDEX, "--runs", "5", "--seed", "-1"],
            "mieval index: error: argument --seed: -1 is outside the allowed range 0 to 2147483647",
        ),
        (
            [*INDEX, "--year", "99999999999999999999"],
            "mieval index: error: argument --year: 99999999999999999999 is outside the allowed "
            "range 1900 to 2100",
        ),
        (
            ["import", "--campaign", "x", "--create", "2016-99999999999999999999"],
            "mieval import: error: argument --create: '2016-99999999999999999999': the years "
            "must lie within the allowed range 1900 to 2100",
        ),
        (
            ["sample", "--out", "x", "--seed", "-1"],
            "mieval sample: error: argument --seed: -1 is outside the allowed range 0 to "
            "2147483647",
        ),
        (
            ["sample", "--out", "x", "--seed", "2147483648"],
            "mieval sample: error: argument --seed: 2147483648 is outside the allowed range 0 "
            "to 2147483647",
        ),
    ],
)
def test_size_like_options_are_bounded(capsys, tmp_path, monkeypatch, args, last):
    monkeypatch.chdir(tmp_path)  # where a sample would go if the option were taken
    assert usage_error(args, capsys) == last


# The management commands (``mieval manage ...``) take the same bounds.
@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (
            ["request_index_runs", "--campaign", "c", "--runs", "99999999999"],
            "argument --runs: 99999999999 is outside the allowed range 0 to 5000",
        ),
        (
            ["request_index_runs", "--campaign", "c", "--noise", "2"],
            "argument --noise: 2 is outside the allowed range 0 to 1",
        ),
        (
            ["request_index_runs", "--campaign", "c", "--seed", "-1"],
            "argument --seed: -1 is outside the allowed range 0 to 2147483647",
        ),
        (
            ["load_exchange_sample", "--campaign", "c", "--seed", "2147483648"],
            "argument --seed: 2147483648 is outside the allowed range 0 to 2147483647",
        ),
        (
            ["load_panels_demo", "--dir", ".", "--time-limit", "1e9"],
            "argument --time-limit: 1e9 is outside the allowed range 1 to 3600",
        ),
        (
            ["load_panels_demo", "--dir", ".", "--seed", "2147483648"],
            "argument --seed: 2147483648 is outside the allowed range 0 to 2147483647",
        ),
        (
            ["send_score_reminders", "--within", "99999999999999999999"],
            "argument --within: 99999999999999999999 is outside the allowed range 0 to 366",
        ),
        (
            # Not "inf": before the fix the worker would wait for ever.
            ["run_jobs", "--poll", "-1"],
            "argument --poll: -1 is outside the allowed range 0.01 to 3600",
        ),
    ],
)
@pytest.mark.django_db
def test_management_commands_bound_their_options(args, reason):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError) as caught:
        call_command(*args)
    assert str(caught.value) == f"Error: {reason}"
