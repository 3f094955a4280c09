"""Tests of the findings computed from the data; no database.

Reference values and where they come from:

- the sample campaign reproduces the poster's development-trend table
  (``seed/mie-evaluation-poster.txt``), so its fastest- and slowest-growing indicators are the
  poster's: national talent 59 -> 603, 219.7% a year; patents granted 285 -> 309, 4.1% a year;
- the Mann-Whitney U example of SciPy's documentation (``scipy.stats.mannwhitneyu``, after
  Conover, *Practical Nonparametric Statistics*): males 19, 22, 16, 29, 24 against females
  20, 11, 17, 12 gives U = 17 and the exact two-sided p = 0.1111 (= 14 / 126: 7 of the
  C(9, 4) = 126 rank arrangements have U >= 17, doubled);
- two fully separated samples of five: U = 25, exact two-sided p = 2 / C(10, 5) = 2 / 252;
- Holm's adjustment by hand, as R's ``p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm")`` prints
  ``0.03 0.06 0.06 0.02``;
- the lead/lag and job sums on hand-made frames, with the arithmetic next to each number.
"""

import json
import math

import numpy as np
import pandas as pd
import pytest

from mieval.core.findings.trends import Finding, findings_compute, holm_adjust
from mieval.demo.campaign import POSTER_TREND_TABLE, sample_bases, sample_values

VALUES_COLUMNS = ["base_code", "indicator_code", "year", "value"]


def _bases(rows):
    """Bases from (code, category, subcategory, province) tuples."""
    return pd.DataFrame(
        [
            {
                "code": code,
                "name_zh": code,
                "name_en": code,
                "category": category,
                "subcategory": subcategory,
                "province": province,
                "batch": 2016,
            }
            for code, category, subcategory, province in rows
        ]
    )


def _values(rows):
    return pd.DataFrame(rows, columns=VALUES_COLUMNS)


def _indicators(codes):
    return pd.DataFrame(
        {
            "code": codes,
            "name_zh": [f"指标{c}" for c in codes],
            "name_en": [f"Indicator {c}" for c in codes],
            "unit": ["count"] * len(codes),
            "direction": [1] * len(codes),
            "stat": ["mean"] * len(codes),
            "categories": [""] * len(codes),
        }
    )


def _by_key(found):
    return {f.key: f for f in found}


# --- the sample campaign against the poster -------------------------------------------------


@pytest.fixture(scope="module")
def sample_findings():
    bases = sample_bases()
    return findings_compute(bases, sample_values(bases))


def test_sample_keys_in_order(sample_findings):
    assert [f.key for f in sample_findings] == [
        "headline",
        "growth_fastest",
        "growth_slowest",
        "category_lead:university_institute",
        "category_lag:enterprise",
        "subcategory_lead:county",
        "subcategory_lag:state_owned",
        "east_central_west_gap",
        "jobs_created",
        # The second batch reports from 2017 on: changes driven by the bases joining, e.g. the
        # universities' investment in I&E education, 1,417 -> 2,046, +446.36 of it from the 26
        # bases that joined in 2017.
        "composition_entry:univ_ie_education_investment",
        "composition_entry:university_institute:provincial_rd_centres",
        "composition_entry:enterprise:provincial_rd_centres",
        "composition_entry:university_institute:patents_granted",
        "composition_entry:enterprise:patents_granted",
        "composition_entry:university_institute:univ_enterprise_coop",
    ]


def test_sample_fastest_growth_is_the_posters_national_talent(sample_findings):
    found = _by_key(sample_findings)["growth_fastest"]
    # Poster: "Average number of high-level personnel at the national level 59 589 603 219.7%".
    assert round(found.numbers["cagr"], 3) == 2.197
    assert found.numbers["cagr"] == pytest.approx((603 / 59) ** 0.5 - 1, rel=1e-12)
    assert (found.numbers["first_value"], found.numbers["last_value"]) == (59.0, 603.0)
    assert found.evidence == {
        "indicator": "national_talent",
        "group_field": "all",
        "group": None,
        "years": [2016, 2018],
    }
    assert found.text_zh == (
        "在有年均增长率的12项指标中，“国家级高层次人才数量”增长最快："
        "2016—2018年基地平均值年均增长219.7%（2016年59人，2018年603人）。"
    )
    assert found.text_en == (
        "Of the 12 indicators with a growth rate, “High-level personnel at the national level” "
        "grew fastest: the per-base average rose at an average annual rate of 219.7% from 2016 "
        "to 2018 (59 in 2016, 603 in 2018; unit: persons)."
    )


def test_sample_slowest_growth_is_the_posters_patents_granted(sample_findings):
    found = _by_key(sample_findings)["growth_slowest"]
    # Poster: "Patents granted 285 289 309 4.1%".
    assert round(found.numbers["cagr"], 3) == 0.041
    assert found.evidence["indicator"] == "patents_granted"
    assert found.text_zh == (
        "在有年均增长率的12项指标中，“专利授权数量”增长最慢："
        "2016—2018年基地平均值年均增长4.1%（2016年285件，2018年309件）。"
    )
    assert found.text_en == (
        "Of the 12 indicators with a growth rate, “Patents granted” grew slowest: the per-base "
        "average rose at an average annual rate of 4.1% from 2016 to 2018 (285 in 2016, 309 in "
        "2018)."
    )


def test_sample_headline_counts_the_posters_120_bases(sample_findings):
    found = _by_key(sample_findings)["headline"]
    # Poster / DESIGN.md: batch 2016 17 + 4 + 7, batch 2017 45 + 26 + 21.
    assert found.numbers == {
        "bases": 120,
        "by_category": {"region": 62, "university_institute": 30, "enterprise": 28},
        "years": [2016, 2018],
    }
    assert found.text_zh == (
        "2016—2018年共有120个示范基地报送了数据，其中区域示范基地62个、"
        "高校和科研院所示范基地30个、企业示范基地28个。"
    )
    assert found.text_en == (
        "120 demonstration bases reported data from 2016 to 2018; by category: Region 62, "
        "Universities and institutes 30, Enterprise 28."
    )


def test_sample_jobs_are_the_posters_means_times_the_reporting_bases(sample_findings):
    found = _by_key(sample_findings)["jobs_created"]
    n = found.numbers["n"]
    # 2016: the first batch's region bases only (the second batch reports from 2017 on).
    assert n == {"2016": 16, "2017": 60, "2018": 60}
    # The poster's mean per base (91.6, 141.1, 146.1) times the bases that reported.
    expected = {
        str(year): POSTER_TREND_TABLE["new_urban_employment"][i] * n[str(year)]
        for i, year in enumerate((2016, 2017, 2018))
    }
    assert expected == pytest.approx({"2016": 1465.6, "2017": 8466.0, "2018": 8766.0})
    assert found.numbers["sums"] == pytest.approx(expected, rel=1e-12)
    assert found.numbers["total"] == pytest.approx(1465.6 + 8466.0 + 8766.0, rel=1e-12)
    assert found.numbers["cagr"] == pytest.approx((8766.0 / 1465.6) ** 0.5 - 1, rel=1e-12)
    assert found.text_zh == (
        "2016—2018年，示范基地城镇新增就业累计18,697.6万人；当年新增就业由2016年的1,465.6万人"
        "增至2018年的8,766.0万人，年均增长144.6%（报告基地2016年16个，2018年60个）。"
    )


def test_sample_numbers_are_json_serialisable(sample_findings):
    for found in sample_findings:
        assert isinstance(found, Finding)
        json.dumps(found.numbers)
        json.dumps(found.evidence)
        assert set(found.evidence) == {"indicator", "group_field", "group", "years"}


def test_sample_east_central_west_nothing_significant_after_holm(sample_findings):
    found = _by_key(sample_findings)["east_central_west_gap"]
    tests = {t["indicator"]: t for t in found.numbers["tests"]}
    assert len(tests) == 12
    jobs = tests["new_urban_employment"]
    # The smallest unadjusted p-value, times the 12 tests (Holm's first step).
    assert jobs["p_holm"] == pytest.approx(12 * jobs["p"], rel=1e-12)
    assert min(t["p_holm"] for t in tests.values()) == jobs["p_holm"]
    assert jobs["p_holm"] > 0.05
    assert found.evidence == {
        "indicator": None,
        "group_field": "region_group",
        "group": None,
        "years": [2018, 2018],
    }


# --- lead and lag -----------------------------------------------------------------------------

# Indicators a, b, c, each 10 at every base in 2016. 2018:
#                  a    b    c
#   R1 R2 R3      40   10   40     region / county: CAGR 100%, 0%, 100%
#   E1 E2 E3      10   40   10     enterprise / private: 0%, 100%, 0%
#   U1 U2         10   10   10     university_institute: two bases only, skipped
# All bases, each indicator: 2016 mean 10, 2018 mean (3*40 + 5*10) / 8 = 21.25,
# CAGR sqrt(2.125) - 1 = 45.8%. Region leads on a and c (2 of 3), enterprise on b (1 of 3).
LEAD_BASES = _bases(
    [(f"R{i}", "region", "county", "11") for i in (1, 2, 3)]
    + [(f"E{i}", "enterprise", "private", "11") for i in (1, 2, 3)]
    + [(f"U{i}", "university_institute", "st_university", "11") for i in (1, 2)]
)
LEAD_2018 = {"R": (40, 10, 40), "E": (10, 40, 10), "U": (10, 10, 10)}
LEAD_VALUES = _values(
    [(code, ind, 2016, 10.0) for code in LEAD_BASES["code"] for ind in "abc"]
    + [
        (code, ind, 2018, float(LEAD_2018[code[0]][i]))
        for code in LEAD_BASES["code"]
        for i, ind in enumerate("abc")
    ]
)


def test_lead_and_lag_by_share_of_indicators_growing_faster_than_all_bases():
    found = _by_key(findings_compute(LEAD_BASES, LEAD_VALUES, indicators=_indicators(list("abc"))))
    lead, lag = found["category_lead:region"], found["category_lag:enterprise"]
    assert (lead.numbers["leads"], lead.numbers["compared"]) == (2, 3)
    assert lead.numbers["share"] == pytest.approx(2 / 3)
    assert lead.numbers["indicators_lead"] == ["a", "c"]
    assert lead.numbers["indicators_lag"] == ["b"]
    assert (lag.numbers["leads"], lag.numbers["compared"], lag.numbers["status"]) == (1, 3, "lag")
    assert [g["group"] for g in lead.numbers["groups"]] == ["region", "enterprise"]
    assert lead.evidence == {
        "indicator": None,
        "group_field": "category",
        "group": "region",
        "years": [2016, 2018],
    }
    assert lead.text_zh == (
        "各类别中，“区域”示范基地在3项可比指标中有2项的年均增长率高于全部基地"
        "（2016—2018年），占比最高。"
    )
    assert lead.text_en == (
        "Of the categories, the “Region” bases grew faster than all bases on 2 of the 3 "
        "indicators compared from 2016 to 2018, the largest share of any category."
    )
    assert lag.text_zh == (
        "各类别中，“企业”示范基地在3项可比指标中仅有1项的年均增长率高于全部基地"
        "（2016—2018年），占比最低。"
    )
    assert lag.text_en == (
        "Of the categories, the “Enterprise” bases grew faster than all bases on only 1 of the "
        "3 indicators compared from 2016 to 2018, the smallest share of any category."
    )
    # The subcategories are the categories here, so they lead and lag alike.
    assert found["subcategory_lead:county"].numbers["share"] == pytest.approx(2 / 3)
    assert found["subcategory_lag:private"].numbers["leads"] == 1
    assert "category_lag:university_institute" not in found


def test_lead_lag_needs_two_groups_with_three_bases():
    bases = LEAD_BASES[~LEAD_BASES["code"].str.startswith("E")]
    values = LEAD_VALUES[LEAD_VALUES["base_code"].isin(bases["code"])]
    keys = [f.key for f in findings_compute(bases, values, indicators=_indicators(list("abc")))]
    assert not [k for k in keys if "_lead:" in k or "_lag:" in k]


def test_lead_lag_without_a_subcategory_column_only_by_category():
    bases = LEAD_BASES.drop(columns="subcategory")
    found = findings_compute(bases, LEAD_VALUES, indicators=_indicators(list("abc")))
    keys = [f.key for f in found]
    assert [k for k in keys if "_lead:" in k or "_lag:" in k] == [
        "category_lead:region",
        "category_lag:enterprise",
    ]


# --- East versus Central-West -----------------------------------------------------------------

EAST = ["11", "31", "32", "33", "44"]
CENTRAL_WEST = ["14", "34", "41", "51", "61"]
GAP_BASES = _bases(
    [(f"E{i}", "region", "county", p) for i, p in enumerate(EAST)]
    + [(f"W{i}", "region", "county", p) for i, p in enumerate(CENTRAL_WEST)]
    # Northeast, and a province unknown to the reference: in neither group.
    + [("N0", "region", "county", "21"), ("X0", "region", "county", "99")]
)


def _gap_values(indicator, year, east, west, others=(1000.0, 1000.0)):
    rows = [(f"E{i}", indicator, year, float(x)) for i, x in enumerate(east)]
    rows += [(f"W{i}", indicator, year, float(x)) for i, x in enumerate(west)]
    rows += [("N0", indicator, year, others[0]), ("X0", indicator, year, others[1])]
    return rows


def test_mann_whitney_matches_scipys_documented_example():
    # Males (east) 19, 22, 16, 29, 24 against females (central-west) 20, 11, 17, 12.
    rows = _gap_values("a", 2018, [19, 22, 16, 29, 24], [20, 11, 17, 12])
    rows = [r for r in rows if r[0] != "W4"]
    found = _by_key(findings_compute(GAP_BASES, _values(rows), indicators=_indicators(["a"])))
    (test,) = found["east_central_west_gap"].numbers["tests"]
    assert test["u"] == 17.0
    assert test["p"] == pytest.approx(14 / 126, rel=1e-12)
    assert test["p_holm"] == pytest.approx(14 / 126, rel=1e-12)
    assert (test["n_east"], test["n_central_west"]) == (5, 4)
    assert (test["median_east"], test["median_central_west"]) == (22.0, 14.5)
    assert found["east_central_west_gap"].text_en == (
        "In 2018 no indicator differed significantly between bases in the East and in the "
        "Central and West (two-sided Mann-Whitney U test, Holm-adjusted over 1 indicator, "
        "5% level); the smallest adjusted p-value was that of “Indicator a”, p = 0.111."
    )


def test_gap_significant_after_holm_with_medians_and_narrowing():
    # a: fully separated, p = 2/252; b: SciPy's example, p = 14/126 = 1/9.
    # Holm over 2: a 2 * 2/252 = 0.0159 (significant), b max(0.0159, 1/9) = 0.111 (not).
    rows = _gap_values("a", 2018, [20, 21, 22, 23, 24], [10, 11, 12, 13, 14])
    rows += _gap_values("a", 2016, [30, 31, 32, 33, 34], [10, 11, 12, 13, 14])
    rows += [
        r for r in _gap_values("b", 2018, [19, 22, 16, 29, 24], [20, 11, 17, 12]) if r[0] != "W4"
    ]
    found = findings_compute(GAP_BASES, _values(rows), indicators=_indicators(["a", "b"]))
    gaps = [f for f in found if f.key.startswith("east_central_west_gap")]
    assert [f.key for f in gaps] == ["east_central_west_gap:a"]
    (gap,) = gaps
    assert gap.numbers["u"] == 25.0
    assert gap.numbers["p"] == pytest.approx(2 / 252, rel=1e-12)
    assert gap.numbers["p_holm"] == pytest.approx(4 / 252, rel=1e-12)
    assert (gap.numbers["median_east"], gap.numbers["median_central_west"]) == (22.0, 12.0)
    # Ratio of medians: 32 / 12 in 2016, 22 / 12 in 2018, nearer 1: narrowed.
    assert gap.numbers["ratio_first"] == pytest.approx(32 / 12)
    assert gap.numbers["ratio_last"] == pytest.approx(22 / 12)
    assert gap.numbers["gap_change"] == "narrowed"
    assert gap.evidence == {
        "indicator": "a",
        "group_field": "region_group",
        "group": None,
        "years": [2016, 2018],
    }
    assert gap.text_zh == (
        "2018年，“指标a”的中位数东部示范基地为22，中西部为12，差异显著"
        "（Mann-Whitney U检验，双侧，对2项指标作Holm校正后p=0.016）；"
        "东部与中西部中位数之比由2016年的2.67变为2018年的1.83，差距缩小。"
    )
    assert gap.text_en == (
        "In 2018 the median of “Indicator a” was 22 at bases in the East and 12 in the Central "
        "and West, a significant difference (two-sided Mann-Whitney U test, p = 0.016 after "
        "Holm's adjustment over 2 indicators); the ratio of the East's median to the Central "
        "and West's went from 2.67 in 2016 to 1.83 in 2018, so the gap narrowed."
    )


def test_gap_needs_three_bases_in_each_group():
    rows = _gap_values("a", 2018, [20, 21], [10, 11, 12, 13, 14])
    rows = [r for r in rows if r[0] not in ("E2", "E3", "E4")]
    found = findings_compute(GAP_BASES, _values(rows), indicators=_indicators(["a"]))
    assert not [f for f in found if f.key.startswith("east_central_west_gap")]


def test_gap_skipped_without_a_province_column():
    rows = _gap_values("a", 2018, [20, 21, 22, 23, 24], [10, 11, 12, 13, 14])
    bases = GAP_BASES.drop(columns="province")
    found = findings_compute(bases, _values(rows), indicators=_indicators(["a"]))
    assert [f.key for f in found] == ["headline"]


# --- Holm -----------------------------------------------------------------------------------


def test_holm_adjust_as_r_p_adjust():
    adjusted = holm_adjust([0.01, 0.04, 0.03, 0.005])
    # Sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1: 0.02, 0.03, 0.06, 0.04 -> max so far.
    np.testing.assert_allclose(adjusted, [0.03, 0.06, 0.06, 0.02], rtol=1e-12)


def test_holm_adjust_caps_at_one_and_takes_empty_input():
    np.testing.assert_array_equal(holm_adjust([0.5, 0.6]), [1.0, 1.0])
    assert holm_adjust([]).shape == (0,)


# --- jobs -----------------------------------------------------------------------------------

# new_urban_employment (10,000 persons):  2016  2017  2018
#   R1                                      1.5   1.0   2.0
#   R2                                      2.5   1.0   3.0
#   R3                                        -   1.0   3.0
# Sums 4.0, 3.0, 8.0; total 15.0; growth (8 / 4) ** (1/2) - 1 = 41.4%.
JOB_BASES = _bases([(f"R{i}", "region", "county", "11") for i in (1, 2, 3)])
JOB_VALUES = _values(
    [
        ("R1", "new_urban_employment", 2016, "1.5"),
        ("R2", "new_urban_employment", 2016, "2.5"),
        ("R3", "new_urban_employment", 2016, ""),
        ("R1", "new_urban_employment", 2017, "1.0"),
        ("R2", "new_urban_employment", 2017, "1.0"),
        ("R3", "new_urban_employment", 2017, "1.0"),
        ("R1", "new_urban_employment", 2018, "2.0"),
        ("R2", "new_urban_employment", 2018, "3.0"),
        ("R3", "new_urban_employment", 2018, "3.0"),
    ]
)


def test_jobs_summed_per_year_and_in_total():
    found = _by_key(findings_compute(JOB_BASES, JOB_VALUES))["jobs_created"]
    assert found.numbers == {
        "sums": {"2016": 4.0, "2017": 3.0, "2018": 8.0},
        "n": {"2016": 2, "2017": 3, "2018": 3},
        "total": 15.0,
        "cagr": pytest.approx(math.sqrt(2) - 1, rel=1e-12),
        "unit": "10,000 persons",
    }
    assert found.evidence == {
        "indicator": "new_urban_employment",
        "group_field": "all",
        "group": None,
        "years": [2016, 2018],
    }
    assert found.text_zh == (
        "2016—2018年，示范基地城镇新增就业累计15.0万人；当年新增就业由2016年的4.0万人"
        "增至2018年的8.0万人，年均增长41.4%（报告基地2016年2个，2018年3个）。"
    )
    assert found.text_en == (
        "From 2016 to 2018 the bases created 150,000 new urban jobs in total; the yearly number "
        "rose from 40,000 in 2016 to 80,000 in 2018, at an average annual rate of 41.4% (2 bases "
        "reported in 2016 and 3 in 2018)."
    )


def test_jobs_in_a_range_of_years():
    found = _by_key(findings_compute(JOB_BASES, JOB_VALUES, years=(2017, 2018)))["jobs_created"]
    assert found.numbers["sums"] == {"2017": 3.0, "2018": 8.0}
    assert found.numbers["total"] == 11.0
    assert found.numbers["cagr"] == pytest.approx(8 / 3 - 1, rel=1e-12)


# --- edge cases -----------------------------------------------------------------------------


def test_empty_frames_give_no_findings():
    empty_values = pd.DataFrame(columns=VALUES_COLUMNS)
    assert findings_compute(JOB_BASES, empty_values) == []
    assert findings_compute(JOB_BASES.iloc[0:0], JOB_VALUES) == []
    only_missing = JOB_VALUES.assign(value="")
    assert findings_compute(JOB_BASES, only_missing) == []


def test_single_year():
    values = JOB_VALUES[JOB_VALUES["year"] == 2018]
    found = findings_compute(JOB_BASES, values)
    assert [f.key for f in found] == ["headline", "jobs_created"]
    jobs = found[1]
    assert jobs.numbers["cagr"] is None
    assert jobs.text_zh == "2018年，3个示范基地报告城镇新增就业合计8.0万人。"
    assert jobs.text_en == "In 2018, 3 bases reported 80,000 new urban jobs in total."
    assert found[0].text_en == (
        "3 demonstration bases reported data in 2018; by category: Region 3."
    )


def test_zero_start_has_no_growth_and_falling_indicator_is_slowest():
    # a: mean 0 -> 5 (no rate); b: 10 -> 6.4 (-20% a year); c: 10 -> 12.1 (+10% a year).
    bases = JOB_BASES
    rows = []
    for code in bases["code"]:
        rows += [(code, "a", 2016, 0.0), (code, "a", 2018, 5.0)]
        rows += [(code, "b", 2016, 10.0), (code, "b", 2018, 6.4)]
        rows += [(code, "c", 2016, 10.0), (code, "c", 2018, 12.1)]
    found = _by_key(findings_compute(bases, _values(rows), indicators=_indicators(list("abc"))))
    assert found["growth_fastest"].evidence["indicator"] == "c"
    assert found["growth_fastest"].numbers["indicators_rated"] == 2
    slowest = found["growth_slowest"]
    assert slowest.numbers["cagr"] == pytest.approx(-0.2, rel=1e-12)
    assert slowest.text_zh == (
        "在有年均增长率的2项指标中，“指标b”增长最慢："
        "2016—2018年基地平均值年均下降20.0%（2016年10，2018年6.4）。"
    )
    assert slowest.text_en == (
        "Of the 2 indicators with a growth rate, “Indicator b” grew slowest: the per-base "
        "average fell at an average annual rate of 20.0% from 2016 to 2018 (10 in 2016, "
        "6.4 in 2018)."
    )


def test_jobs_with_a_zero_start_have_no_growth_clause():
    values = JOB_VALUES.copy()
    values.loc[values["year"] == 2016, "value"] = "0"  # R3 too: sums 0, 3, 8
    found = _by_key(findings_compute(JOB_BASES, values))["jobs_created"]
    assert found.numbers["cagr"] is None
    assert found.text_en == (
        "From 2016 to 2018 the bases created 110,000 new urban jobs in total; the yearly number "
        "rose from 0 in 2016 to 80,000 in 2018 (3 bases reported in 2016 and 3 in 2018)."
    )


def test_lead_lag_sentences_with_one_indicator_compared():
    values = LEAD_VALUES[LEAD_VALUES["indicator_code"] == "a"]
    found = _by_key(findings_compute(LEAD_BASES, values, indicators=_indicators(["a"])))
    assert found["category_lead:region"].text_en == (
        "Of the categories, the “Region” bases grew faster than all bases on the only indicator "
        "compared from 2016 to 2018, the largest share of any category."
    )
    lag = found["category_lag:enterprise"]
    assert (lag.numbers["leads"], lag.numbers["compared"]) == (0, 1)
    assert lag.text_en == (
        "Of the categories, the “Enterprise” bases did not grow faster than all bases on the "
        "only indicator compared from 2016 to 2018, the smallest share of any category."
    )
    assert lag.text_zh == (
        "各类别中，“企业”示范基地在1项可比指标中没有一项的年均增长率高于全部基地"
        "（2016—2018年），占比最低。"
    )


def test_gap_widened():
    # 2016: medians 22 and 20, ratio 1.1; 2018: 22 and 12, ratio 1.83, further from 1.
    rows = _gap_values("a", 2018, [20, 21, 22, 23, 24], [10, 11, 12, 13, 14])
    rows += _gap_values("a", 2016, [20, 21, 22, 23, 24], [18, 19, 20, 21, 22])
    found = _by_key(findings_compute(GAP_BASES, _values(rows), indicators=_indicators(["a"])))
    gap = found["east_central_west_gap:a"]
    assert gap.numbers["ratio_first"] == pytest.approx(1.1)
    assert gap.numbers["gap_change"] == "widened"
    assert gap.text_zh.endswith("由2016年的1.10变为2018年的1.83，差距扩大。")
    assert gap.text_en.endswith("went from 1.10 in 2016 to 1.83 in 2018, so the gap widened.")


def test_inputs_are_not_modified():
    values = JOB_VALUES.copy()
    bases = JOB_BASES.copy()
    findings_compute(bases, values)
    pd.testing.assert_frame_equal(values, JOB_VALUES)
    pd.testing.assert_frame_equal(bases, JOB_BASES)


def test_a_value_that_is_not_a_number_is_refused():
    values = JOB_VALUES.copy()
    values.loc[0, "value"] = "1,5x"
    with pytest.raises(ValueError, match="values: column 'value' holds a value that is not a"):
        findings_compute(JOB_BASES, values)


def test_chinese_unit_from_the_english_one_when_the_frame_has_none():
    indicators = _indicators(["new_urban_employment"]).assign(unit="10,000 persons")
    found = _by_key(findings_compute(JOB_BASES, JOB_VALUES, indicators=indicators))
    assert "累计15万人" in found["jobs_created"].text_zh


# --- 6. the composition effect --------------------------------------------------------------


def _panel(rows):
    """Values of indicator ``a`` from (base, [value per year from 2016, None: not reported])."""
    return _values(
        [
            (base, "a", 2016 + k, value)
            for base, series in rows
            for k, value in enumerate(series)
            if value is not None
        ]
    )


def test_growth_driven_by_bases_joining():
    # given   2016  2017  2018
    #   R1      10    10    11
    #   R2      10    10    11
    #   R3       -    40    40      joins in 2017
    #   R4       -    40    40      joins in 2017
    # 2017: M 10 -> (10+10+40+40)/4 = 25, C = {R1, R2}: within 10 - 10 = 0, entry 25 - 10 = 15,
    #       exit 10 - 10 = 0.
    # 2018: M 25 -> (11+11+40+40)/4 = 25.5, C = all four: within 0.5, entry 0, exit 0.
    # Sums: W 0.5, E 15, X 0; change 25.5 - 10 = 15.5: E > W, E > X: driven by joining.
    bases = _bases([(f"R{i}", "region", "county", "11") for i in (1, 2, 3, 4)])
    values = _panel(
        [
            ("R1", [10, 10, 11]),
            ("R2", [10, 10, 11]),
            ("R3", [None, 40, 40]),
            ("R4", [None, 40, 40]),
        ]
    )

    found = findings_compute(bases, values, indicators=_indicators(["a"]))

    # The region category says the same and is not repeated.
    assert [f.key for f in found] == ["headline", "composition_entry:a"]
    finding = found[1]
    assert finding.numbers == {
        "driver": "entry",
        "first_year": 2016,
        "last_year": 2018,
        "first_value": 10.0,
        "last_value": 25.5,
        "change": 15.5,
        "within": 0.5,
        "entry": 15.0,
        "exit": 0.0,
        "entered": 2,
        "exited": 0,
        "n_first": 2,
        "n_last": 4,
        "by_year": {
            "2017": {"within": 0.0, "entry": 15.0, "exit": 0.0},
            "2018": {"within": 0.5, "entry": 0.0, "exit": 0.0},
        },
        "group_field": "all",
        "group": None,
    }
    assert finding.evidence == {
        "indicator": "a",
        "group_field": "all",
        "group": None,
        "years": [2016, 2018],
    }
    assert finding.text_zh == (
        "2016—2018年，全部示范基地“指标a”的基地平均值由10增至25.5，变化+15.5；其中新进入"
        "（含中断后再次报告的）基地带来+15，持续报告的基地自身变化+0.5，退出基地带来0："
        "增长主要来自基地的加入，而非持续报告基地自身的变化（各年合计：基地新进入2次、"
        "退出0次）。"
    )
    assert finding.text_en == (
        "From 2016 to 2018 the per-base average of “Indicator a” over all bases rose from 10 to "
        "25.5 (+15.5); bases that joined (or reported again after a gap) contributed +15, the "
        "change at the bases that reported in consecutive years was +0.5 and bases that left "
        "contributed 0: the rise is driven by bases joining, not by the bases that kept "
        "reporting (2 entries and 0 exits over the years)."
    )
    json.dumps(finding.numbers)  # serialisable, as the snapshot stores it


def test_growth_driven_by_bases_leaving():
    # R1, R2, R3: 8 then 9; R4: 0 then gone.
    # 2016 M (8+8+8+0)/4 = 6; 2017 M 9; C = {R1, R2, R3}: within 9 - 8 = 1, entry 0,
    # exit 8 - 6 = 2. Change 3: X > W: driven by leaving.
    bases = _bases([(f"R{i}", "region", "county", "11") for i in (1, 2, 3, 4)])
    values = _panel([("R1", [8, 9]), ("R2", [8, 9]), ("R3", [8, 9]), ("R4", [0, None])])

    found = _by_key(findings_compute(bases, values, indicators=_indicators(["a"])))

    finding = found["composition_exit:a"]
    assert (finding.numbers["within"], finding.numbers["entry"], finding.numbers["exit"]) == (
        1.0,
        0.0,
        2.0,
    )
    assert finding.numbers["exited"] == 1
    assert finding.text_en.endswith(
        "the rise is driven by bases leaving, not by the bases that kept reporting (0 entries "
        "and 1 exit over the years)."
    )
    assert "增长主要来自基地的退出" in finding.text_zh


def test_a_category_driven_by_joining_where_all_bases_are_not():
    # Regions R1-R3: 10 -> 20 each (within +10). Enterprises E1, E2: 10 -> 10, E3 joins at 16.
    # All bases: 2016 M 10; 2017 M (60 + 20 + 16) / 6 = 16; C = the five: M(C, 2017) = 80 / 5
    #   = 16: within 6, entry 0, exit 0: not composition.
    # Enterprises: M 10 -> (10 + 10 + 16) / 3 = 12; C = {E1, E2}: within 0, entry 12 - 10 = 2.
    bases = _bases(
        [(f"R{i}", "region", "county", "11") for i in (1, 2, 3)]
        + [(f"E{i}", "enterprise", "private", "11") for i in (1, 2, 3)]
    )
    values = _panel(
        [
            ("R1", [10, 20]),
            ("R2", [10, 20]),
            ("R3", [10, 20]),
            ("E1", [10, 10]),
            ("E2", [10, 10]),
            ("E3", [None, 16]),
        ]
    )

    found = findings_compute(bases, values, indicators=_indicators(["a"]))

    assert [f.key for f in found] == ["headline", "composition_entry:enterprise:a"]
    finding = found[1]
    assert finding.evidence == {
        "indicator": "a",
        "group_field": "category",
        "group": "enterprise",
        "years": [2016, 2017],
    }
    assert (finding.numbers["change"], finding.numbers["entry"]) == (2.0, 2.0)
    assert finding.text_zh == (
        "2016—2017年，“企业”示范基地“指标a”的基地平均值由10增至12，变化+2；其中新进入"
        "（含中断后再次报告的）基地带来+2，持续报告的基地自身变化0，退出基地带来0："
        "增长主要来自基地的加入，而非持续报告基地自身的变化（各年合计：基地新进入1次、"
        "退出0次）。"
    )
    assert finding.text_en.startswith(
        "From 2016 to 2017 the per-base average of “Indicator a” over the “Enterprise” bases "
        "rose from 10 to 12 (+2)"
    )
    assert "(1 entry and 0 exits over the years)" in finding.text_en


def test_a_base_back_after_a_gap_counts_as_joining():
    # R1-R3 10 every year; R4 10, -, 50.
    # 2017: M 10 -> 10, C = R1-R3: all parts 0 (R4 leaves: exit 10 - 10 = 0).
    # 2018: M 10 -> (30 + 50) / 4 = 20, C = R1-R3: within 0, entry 20 - 10 = 10 (R4 is back).
    bases = _bases([(f"R{i}", "region", "county", "11") for i in (1, 2, 3, 4)])
    values = _panel(
        [("R1", [10, 10, 10]), ("R2", [10, 10, 10]), ("R3", [10, 10, 10]), ("R4", [10, None, 50])]
    )

    finding = _by_key(findings_compute(bases, values, indicators=_indicators(["a"])))[
        "composition_entry:a"
    ]

    assert finding.numbers["by_year"] == {
        "2017": {"within": 0.0, "entry": 0.0, "exit": 0.0},
        "2018": {"within": 0.0, "entry": 10.0, "exit": 0.0},
    }
    assert (finding.numbers["entered"], finding.numbers["exited"]) == (1, 1)


def test_no_composition_finding_without_a_split_every_year():
    # As the joining panel, but R1 and R2 miss 2017: no base reported both 2016 and 2017.
    bases = _bases([(f"R{i}", "region", "county", "11") for i in (1, 2, 3, 4)])
    values = _panel(
        [
            ("R1", [10, None, 11]),
            ("R2", [10, None, 11]),
            ("R3", [None, 40, 40]),
            ("R4", [None, 40, 40]),
        ]
    )

    found = findings_compute(bases, values, indicators=_indicators(["a"]))

    assert [f.key for f in found] == ["headline"]
