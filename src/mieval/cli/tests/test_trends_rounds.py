"""``mieval trends`` over several rounds (database mode): the table across the rounds equals the
hand-computed one of ``core/trends/tests/test_rounds.py``; unmapped indicators are said on
standard error and listed in the JSON."""

import json

import pytest

from mieval.cli import main
from mieval.collection.tests.rounds_helpers import three_rounds

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(tmp_path):
    return three_rounds(tmp_path)


def test_the_programmes_rounds_in_json_equal_the_hand_computed_table(programme, capsys):
    assert main(["trends", "--programme", "prog", "--format", "json"]) == 0

    captured = capsys.readouterr()
    document = json.loads(captured.out)
    rows = {r["indicator"]: r for r in document["rows"]}
    # R1's 2016 area from round 2 (30000 m²) and R2's from round 1 (40000 m²), in 10,000 m²
    assert rows["incubation_area"]["values"] == {
        "2016": (30000 * 0.0001 + 40000 * 0.0001) / 2,
        "2017": (50000 * 0.0001 + 60000 * 0.0001) / 2,
        "2018": 8.0,
        "2019": None,
        "2020": (10.0 + 4.0) / 2,
    }
    assert rows["incubation_area"]["cagr"] == pytest.approx((7.0 / 3.5) ** (1 / 4) - 1, rel=1e-12)
    assert rows["patents"]["values"] == {
        "2016": 4.0,
        "2017": 6.0,
        "2018": None,
        "2019": None,
        "2020": 9.0,
    }
    assert list(rows) == ["incubation_area", "patents"]
    assert document["framework"] == {"code": "mie-core", "version": 2}
    assert [u["indicator"] for u in document["unmapped"]] == ["univ_ie_education_investment"]
    assert captured.err.splitlines() == [
        "mieval trends: rounds r2016 (round 1), r2018 (round 2), r2020 (round 3), on framework"
        " mie-core v2",
        "mieval trends: campaign 'r2016' (round 1): 'univ_ie_education_investment' has no"
        " crosswalk row from mie-core v1 to mie-core v2; its 1 value is left out",
    ]


def test_two_campaigns_by_code_are_ordered_by_round(programme, capsys):
    code = main(["trends", "--campaign", "r2020", "--campaign", "r2016", "--format", "json"])

    assert code == 0
    document = json.loads(capsys.readouterr().out)
    assert [r["campaign"] for r in document["rounds"]] == ["r2016", "r2020"]
    area = next(r for r in document["rows"] if r["indicator"] == "incubation_area")
    # Without round 2, R1's 2016 area is round 1's 20000 m²
    assert area["values"]["2016"] == (20000 * 0.0001 + 40000 * 0.0001) / 2


def test_one_campaign_is_the_table_of_that_campaign(programme, capsys):
    assert main(["trends", "--campaign", "r2018", "--format", "json"]) == 0

    document = json.loads(capsys.readouterr().out)
    assert set(document) == {"rows"}
    assert document["rows"][0]["values"]["2016"] == 30000.0


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--programme", "nope"], "mieval trends: there is no programme 'nope'"),
        (["--campaign", "r2016", "--campaign", "zz"], "mieval trends: there is no campaign 'zz'"),
        (
            ["--programme", "prog", "--from", "2015"],
            "mieval trends: --from 2015 is outside the years of the rounds, 2016-2020",
        ),
        (
            ["--programme", "prog", "--campaign", "r2016"],
            "mieval trends: give either --programme or --campaign, not both",
        ),
    ],
)
def test_unusable_options_exit_2_with_the_reason(programme, capsys, args, said):
    assert main(["trends", *args]) == 2

    assert said in capsys.readouterr().err


def test_campaigns_of_two_programmes_are_refused(programme, capsys):
    from mieval.collection.services import campaign_create

    campaign_create(code="other", first_year=2016, last_year=2016)

    assert main(["trends", "--campaign", "other", "--campaign", "r2016"]) == 2
    assert "the campaigns are rounds of different programmes (mie-bases, prog)" in (
        capsys.readouterr().err
    )
