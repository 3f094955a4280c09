"""The trend table of a campaign: DESIGN.md's ``--format json`` document."""

import math

import pytest

from mieval.collection.selectors import campaign_bases_frame, campaign_values_frame
from mieval.core.trends.decompose import trend_decomposition
from mieval.core.trends.table import trend_table
from mieval.indicators.selectors import framework_indicators_frame


def expected(campaign, *, decompose=False, **options) -> dict:
    options = {"year_from": 2016, "year_to": 2018, **options}
    frames = (
        campaign_values_frame(campaign),
        campaign_bases_frame(campaign),
        framework_indicators_frame(campaign.framework),
    )
    split = None
    if decompose:
        split_options = {k: v for k, v in options.items() if k != "stat"}
        split = trend_decomposition(*frames, **split_options)
    return trend_table(*frames, **options).to_json_dict(decomposition=split)


def test_trends_are_the_trend_table_of_the_campaign(api_as, alice, campaign_c):
    response = api_as(alice, via="token").get("/campaigns/c/trends")

    assert response.status_code == 200
    assert response.json() == expected(campaign_c)


def test_trends_hold_the_hand_checked_figures(api_as, victor, campaign_c):
    rows = api_as(victor, via="session").get("/campaigns/c/trends").json()["rows"]

    new_market = rows[0]
    assert (new_market["indicator"], new_market["group"]) == ("new_market_entities", "all")
    # R1 and R2: (100 + 300) / 2, (121 + 330) / 2, then R1 alone (R2's 2018 is empty).
    assert new_market["values"] == {"2016": 200.0, "2017": 225.5, "2018": 144.0}
    assert new_market["n"] == {"2016": 2, "2017": 2, "2018": 1}
    assert new_market["cagr"] == math.sqrt(144 / 200) - 1
    assert new_market["cagr_note"] is None
    assert [r["indicator"] for r in rows] == [
        "new_market_entities",
        "patents_granted",
        "univ_ie_education_investment",
    ]


@pytest.mark.parametrize(
    ("query", "options"),
    [
        ("?by=category", {"by": "category"}),
        ("?by=region_group&stat=sum", {"by": "region_group", "stat": "sum"}),
        ("?stat=median&balanced=true", {"stat": "median", "balanced": True}),
        ("?from=2017&to=2018", {"year_from": 2017, "year_to": 2018}),
        ("?by=batch", {"by": "batch"}),
    ],
)
def test_trends_take_the_options_of_the_command(api_as, alice, campaign_c, query, options):
    response = api_as(alice, via="token").get("/campaigns/c/trends" + query)

    assert response.json() == expected(campaign_c, **options)


def test_trends_decompose_hold_the_hand_checked_split(api_as, victor, campaign_c):
    rows = api_as(victor, via="token").get("/campaigns/c/trends?decompose=true").json()["rows"]

    split = {r["indicator"]: r["decomposition"] for r in rows}
    # new_market_entities: R1 100, 121, 144; R2 300, 330, then empty (R2 leaves).
    # 2017: C = {R1, R2}: within 225.5 - 200 = 25.5, entry 0, exit 0.
    # 2018: C = {R1}: within 144 - 121 = 23, entry 144 - 144 = 0, exit 121 - 225.5 = -104.5.
    assert split["new_market_entities"] == {
        "2017": {"within": 25.5, "entry": 0.0, "exit": 0.0, "note": None},
        "2018": {"within": 23.0, "entry": 0.0, "exit": -104.5, "note": None},
    }
    # patents_granted: R1 10, -, 12 (a gap); U1 40, 0; U2 -, 25; E1 -, -, 7.
    # 2017: S_prev {R1 10, U1 40} M 25, S_now {U1 0, U2 25} M 12.5, C = {U1}:
    #       within 0 - 40 = -40, entry 12.5 - 0 = 12.5, exit 40 - 25 = 15.
    # 2018: {U1, U2} then {R1, E1}: no base in both years.
    assert split["patents_granted"] == {
        "2017": {"within": -40.0, "entry": 12.5, "exit": 15.0, "note": None},
        "2018": {
            "within": None,
            "entry": None,
            "exit": None,
            "note": "no base reported a value in both 2017 and 2018 (2 bases in 2017, "
            "2 bases in 2018, none the same)",
        },
    }
    # univ_ie_education_investment: U1 1417 in 2016 and 2046 in 2018, nothing in 2017.
    assert [y["note"] for y in split["univ_ie_education_investment"].values()] == [
        "no base reported a value in both 2016 and 2017 (none in 2017)",
        "no base reported a value in both 2017 and 2018 (none in 2017)",
    ]


@pytest.mark.parametrize(
    ("query", "options"),
    [
        ("?decompose=true&by=category", {"by": "category"}),
        ("?decompose=true&stat=median&balanced=true", {"stat": "median", "balanced": True}),
        ("?decompose=true&from=2017&to=2018", {"year_from": 2017, "year_to": 2018}),
    ],
)
def test_trends_decompose_as_the_command(api_as, alice, campaign_c, query, options):
    response = api_as(alice, via="token").get("/campaigns/c/trends" + query)

    assert response.status_code == 200
    assert response.json() == expected(campaign_c, decompose=True, **options)


def test_balanced_trends_keep_only_bases_with_every_year(api_as, alice, campaign_c):
    rows = api_as(alice, via="token").get("/campaigns/c/trends?balanced=true").json()["rows"]

    new_market = rows[0]
    # Only R1 reported new_market_entities in 2016, 2017 and 2018.
    assert new_market["values"] == {"2016": 100.0, "2017": 121.0, "2018": 144.0}
    assert new_market["n"] == {"2016": 1, "2017": 1, "2018": 1}
    assert new_market["cagr"] == pytest.approx(0.2, abs=1e-15)


@pytest.mark.parametrize(
    ("query", "loc"),
    [
        ("?by=colour", ["query", "by"]),
        ("?stat=mode", ["query", "stat"]),
        ("?from=2018&to=2016", ["query", "from"]),
    ],
)
def test_bad_trend_options_are_422(api_as, alice, campaign_c, query, loc):
    response = api_as(alice, via="token").get("/campaigns/c/trends" + query)

    assert response.status_code == 422
    assert [p["loc"] for p in response.json()["detail"]] == [loc]


def test_from_after_to_is_explained(api_as, alice, campaign_c):
    response = api_as(alice, via="token").get("/campaigns/c/trends?from=2018&to=2016")

    assert response.json()["detail"][0]["msg"] == "from 2018 is after to 2016"


def test_trends_of_an_unknown_campaign_are_not_found(api_as, alice, campaign_c):
    response = api_as(alice, via="token").get("/campaigns/nope/trends")

    assert response.status_code == 404
