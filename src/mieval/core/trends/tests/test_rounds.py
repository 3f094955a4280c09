"""The trend table across rounds against values computed by hand: three rounds, the older two
on framework v1 mapped to v2 through a crosswalk with a unit factor of 0.0001 and a rename;
the later round's value wins for a year two rounds cover; an unmapped indicator is reported."""

import json

import pandas as pd
import pytest

from mieval.core.trends.rounds import RoundData, rounds_combine, rounds_json, rounds_trend

V1 = pd.DataFrame(
    {
        "code": ["incubation_area", "patents_granted", "univ_ie_education_investment"],
        "unit": ["m²", "count", "10,000 yuan"],
        "stat": ["mean", "mean", "mean"],
    }
)
V2 = pd.DataFrame(
    {"code": ["incubation_area", "patents"], "unit": ["10,000 m²", "count"], "stat": ["mean"] * 2}
)
FRAMEWORKS = {("core", 1): V1, ("core", 2): V2}
CROSSWALK = pd.DataFrame(
    [
        ("core", 1, "incubation_area", "core", 2, "incubation_area", 0.0001),
        ("core", 1, "patents_granted", "core", 2, "patents", 1.0),
    ],
    columns=[
        "from_framework",
        "from_version",
        "from_code",
        "to_framework",
        "to_version",
        "to_code",
        "factor",
    ],
)


def bases(*codes):
    return pd.DataFrame(
        {
            "code": list(codes),
            "category": ["region"] * len(codes),
            "subcategory": ["county"] * len(codes),
            "province": ["42"] * len(codes),
            "batch": [2016] * len(codes),
        }
    )


def values(*rows):
    return pd.DataFrame(rows, columns=["base_code", "indicator_code", "year", "value"])


ROUNDS = [
    RoundData(
        3,
        "r3",
        ("core", 2),
        2018,
        2020,
        bases("A", "C"),
        values(
            ("A", "incubation_area", 2018, 8.0),  # wins over round 2's 70000 m²
            ("A", "incubation_area", 2020, 10.0),
            ("C", "incubation_area", 2020, 4.0),
            ("A", "patents", 2020, 9.0),
        ),
    ),
    RoundData(
        1,
        "r1",
        ("core", 1),
        2016,
        2016,
        bases("A", "B"),
        values(
            ("A", "incubation_area", 2016, 20000.0),  # round 2 reports A's 2016 again
            ("B", "incubation_area", 2016, 40000.0),
            ("A", "patents_granted", 2016, 4.0),
            ("A", "univ_ie_education_investment", 2016, 100.0),  # unmapped
        ),
    ),
    RoundData(
        2,
        "r2",
        ("core", 1),
        2016,
        2018,
        bases("A", "B"),
        values(
            ("A", "incubation_area", 2016, 30000.0),
            ("A", "incubation_area", 2017, 50000.0),
            ("B", "incubation_area", 2017, 60000.0),
            ("A", "incubation_area", 2018, 70000.0),
            ("A", "patents_granted", 2017, 6.0),
        ),
    ),
]


def test_the_cross_round_trend_table_equals_the_hand_computed_one():
    combined = rounds_combine(ROUNDS, CROSSWALK, FRAMEWORKS)

    table = rounds_json(rounds_trend(combined), combined)

    area, patents = table["rows"]
    # 2016: A from round 2 (30000 m², not round 1's 20000) and B from round 1, in 10,000 m²
    assert area["values"] == {
        "2016": (30000 * 0.0001 + 40000 * 0.0001) / 2,
        "2017": (50000 * 0.0001 + 60000 * 0.0001) / 2,
        "2018": 8.0,
        "2019": None,
        "2020": (10.0 + 4.0) / 2,
    }
    assert area["n"] == {"2016": 2, "2017": 2, "2018": 1, "2019": 0, "2020": 2}
    assert area["values"]["2016"] == pytest.approx(3.5, abs=1e-15)
    assert area["cagr"] == pytest.approx((7.0 / 3.5) ** (1 / 4) - 1, rel=1e-12)
    assert patents["indicator"] == "patents"
    assert patents["values"] == {"2016": 4.0, "2017": 6.0, "2018": None, "2019": None, "2020": 9.0}
    assert patents["cagr"] == pytest.approx((9 / 4) ** (1 / 4) - 1, rel=1e-12)
    assert table["framework"] == {"code": "core", "version": 2}
    assert [(r["round"], r["campaign"], r["version"]) for r in table["rounds"]] == [
        (1, "r1", 1),
        (2, "r2", 1),
        (3, "r3", 2),
    ]
    assert table["unmapped"] == [
        {
            "round": 1,
            "campaign": "r1",
            "indicator": "univ_ie_education_investment",
            "to_indicator": None,
            "reason": "no_row",
            "values": 1,
            "message": "campaign 'r1' (round 1): 'univ_ie_education_investment' has no crosswalk"
            " row from core v1 to core v2; its 1 value is left out",
        }
    ]
    json.dumps(table)  # plain JSON types only


def test_each_value_says_which_round_it_comes_from():
    combined = rounds_combine(ROUNDS, CROSSWALK, FRAMEWORKS)

    area = combined.values.loc[combined.values["indicator_code"] == "incubation_area"]
    assert [(r.base_code, r.year, r.round) for r in area.itertuples()] == [
        ("A", 2016, 2),
        ("A", 2017, 2),
        ("A", 2018, 3),
        ("A", 2020, 3),
        ("B", 2016, 1),
        ("B", 2017, 2),
        ("C", 2020, 3),
    ]
    assert list(combined.bases["code"]) == ["A", "B", "C"]


def test_a_round_without_a_crosswalk_to_the_newest_version_is_reported_whole():
    combined = rounds_combine(ROUNDS, CROSSWALK.iloc[0:0], FRAMEWORKS)

    assert set(combined.values["round"]) == {3}
    unmapped = combined.unmapped.itertuples()
    assert [(r.round, r.indicator_code, r.reason, r.values) for r in unmapped] == [
        (1, "incubation_area", "no_crosswalk", 2),
        (1, "patents_granted", "no_crosswalk", 1),
        (1, "univ_ie_education_investment", "no_crosswalk", 1),
        (2, "incubation_area", "no_crosswalk", 4),
        (2, "patents_granted", "no_crosswalk", 1),
    ]


def test_two_rounds_with_one_number_are_refused():
    with pytest.raises(ValueError, match=r"the round numbers \[1, 1\] repeat"):
        rounds_combine([ROUNDS[1], ROUNDS[1]], CROSSWALK, FRAMEWORKS)


def test_the_findings_compare_the_first_and_the_last_round_in_both_languages():
    from mieval.core.findings.rounds import rounds_findings

    indicators = pd.DataFrame(
        {
            "code": ["incubation_area", "patents"],
            "name_zh": ["孵化载体面积", "专利授权数量"],
            "name_en": ["Incubation area", "Patents granted"],
            "unit": ["10,000 m²", "count"],
            "unit_zh": ["万平方米", "件"],
            "stat": ["mean", "mean"],
            "decimals": [1, 0],
        }
    )
    combined = rounds_combine(ROUNDS, CROSSWALK, {("core", 1): V1, ("core", 2): indicators})

    found = rounds_findings(rounds_trend(combined), combined)

    # round 1 ends in 2016, round 3 in 2020: area 3.5 -> 7 (2 ** 0.25 - 1 = 18.9% a year),
    # patents 4 -> 9 (2.25 ** 0.25 - 1 = 22.5% a year)
    assert [f.key for f in found] == [
        "rounds_scope",
        "rounds_growth_fastest",
        "rounds_growth_slowest",
        "rounds_unmapped",
    ]
    scope, fastest, slowest, unmapped = found
    assert scope.text_en == (
        "The 3 rounds cover 2016 to 2020; the bases with data were 2 in round 1, 2 in round 2,"
        " 2 in round 3; every round is compared on framework core v2."
    )
    assert scope.text_zh == (
        "3轮评估覆盖2016—2020年，有数据的基地数为第1轮2个、第2轮2个、第3轮2个；"
        "各轮数据统一按指标体系 core v2 比较。"
    )
    assert fastest.numbers["rate"] == pytest.approx(2.25**0.25 - 1, rel=1e-12)
    assert fastest.text_en == (
        "From round 1 (2016) to round 3 (2020), the fastest-growing indicator was Patents"
        " granted: from 4 to 9, up 22.5% a year."
    )
    assert slowest.text_zh == (
        "从第1轮（2016年）到第3轮（2020年），增长最慢的指标是“孵化载体面积”，由3.5万平方米变为"
        "7.0万平方米，年均增长18.9%。"
    )
    assert unmapped.text_en == (
        "1 indicator of earlier rounds could not be mapped to framework core v2:"
        " univ_ie_education_investment (1); this value is left out of the comparison."
    )
    assert unmapped.text_zh == (
        "早期轮次有1项指标未能对照到指标体系 core v2：univ_ie_education_investment（1个），"
        "共1个数值未纳入跨轮次比较。"
    )
