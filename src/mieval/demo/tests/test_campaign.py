"""The demo campaign: composition of the bases, calibration of the values to the poster, files.

The expected figures are transcribed here a second time, independently of ``mieval.demo.campaign``,
and the means are recomputed exactly (``fractions.Fraction``) from the strings that would be
written to ``values.csv``, without any of mieval's trend code.
"""

import csv
import re
from fractions import Fraction

import pandas as pd
import pytest

from mieval.core.indicators import POSTER_INDICATORS
from mieval.core.panels.vocabulary import FIELD_TAGS
from mieval.demo.campaign import (
    POSTER_GROWTH,
    POSTER_TREND_TABLE,
    SAMPLE_YEARS,
    sample_bases,
    sample_roster,
    sample_values,
    write_sample,
)

# Source: seed/mie-evaluation-poster.txt, "Demonstration base development trends":
# indicator -> (2016, 2017, 2018, average annual growth rate), as printed on the poster.
POSTER = {
    "new_market_entities": ("11740", "12158", "13598", "7.6%"),
    "national_talent": ("59", "589", "603", "219.7%"),
    "incubation_area": ("60", "74", "105", "32.3%"),
    "provincial_rd_centres": ("38", "49", "51", "15.8%"),
    "patents_granted": ("285", "289", "309", "4.1%"),
    "univ_enterprise_coop": ("582", "714", "775", "15.4%"),
    "enterprise_gov_projects": ("128", "142", "367", "69.3%"),
    "inter_enterprise_projects": ("6707", "8239", "8994", "15.8%"),
    "institute_ie_projects": ("168", "592", "1296", "177.7%"),
    "training_reach": ("13440", "16155", "20209", "22.6%"),
    "univ_ie_education_investment": ("1417", "1768", "2046", "20.2%"),
    "new_urban_employment": ("91.6", "141.1", "146.1", "26.3%"),
}
YEARS = (2016, 2017, 2018)
SPECS = {s.code: s for s in POSTER_INDICATORS}

# DESIGN.md, "Reference data": batch -> category -> number of bases.
COMPOSITION = {
    (2016, "region"): 17,
    (2016, "university_institute"): 4,
    (2016, "enterprise"): 7,
    (2017, "region"): 45,
    (2017, "university_institute"): 26,
    (2017, "enterprise"): 21,
}
SUBCATEGORY_CATEGORY = {
    "urban_district": "region",
    "new_area": "region",
    "hitech_econ_zone": "region",
    "county": "region",
    "st_university": "university_institute",
    "comprehensive_university": "university_institute",
    "specialized_college": "university_institute",
    "cas_institute": "university_institute",
    "miit_institute": "university_institute",
    "state_owned": "enterprise",
    "private": "enterprise",
}
PROVINCE_CODES = [
    "11",
    "12",
    "13",
    "14",
    "15",
    "21",
    "22",
    "23",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "50",
    "51",
    "52",
    "53",
    "54",
    "61",
    "62",
    "63",
    "64",
    "65",
]
EAST = ["11", "12", "13", "31", "32", "33", "35", "37", "44", "46"]


def printed_growth(text: str) -> Fraction:
    return Fraction(text.rstrip("%")) / 100


def exact_means(values: pd.DataFrame) -> dict[tuple[str, int], Fraction]:
    sums: dict[tuple[str, int], Fraction] = {}
    counts: dict[tuple[str, int], int] = {}
    for row in values.itertuples(index=False):
        key = (row.indicator_code, int(row.year))
        sums[key] = sums.get(key, Fraction(0)) + Fraction(row.value)
        counts[key] = counts.get(key, 0) + 1
    return {key: sums[key] / counts[key] for key in sums}


@pytest.fixture(scope="module")
def bases() -> pd.DataFrame:
    return sample_bases(0)


@pytest.fixture(scope="module")
def values(bases) -> pd.DataFrame:
    return sample_values(bases, 0)


# --- the poster's table --------------------------------------------------------------------


def test_module_transcription_equals_the_poster():
    assert SAMPLE_YEARS == YEARS
    assert set(POSTER_TREND_TABLE) == set(POSTER) == set(SPECS)
    for code, (*figures, growth) in POSTER.items():
        assert [Fraction(str(x)) for x in POSTER_TREND_TABLE[code]] == [
            Fraction(f) for f in figures
        ]
        assert Fraction(str(POSTER_GROWTH[code])) == printed_growth(growth)


@pytest.mark.parametrize("code", list(POSTER))
def test_printed_growth_follows_from_printed_figures(code):
    first, _, last, growth = POSTER[code]
    rate = (float(last) / float(first)) ** 0.5 - 1
    assert round(rate, 3) == float(printed_growth(growth))


# --- calibration ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2024])
def test_means_equal_the_poster_exactly(seed):
    # given the demo campaign of a seed
    values = sample_values(sample_bases(seed), seed)

    # when the mean over the reporting bases is computed exactly, per indicator and year
    means = exact_means(values)

    # then it is the poster's figure, as a rational number
    expected = {
        (code, year): Fraction(figure)
        for code, (*figures, _) in POSTER.items()
        for year, figure in zip(YEARS, figures, strict=True)
    }
    assert means == expected


def test_growth_rates_round_to_the_printed_ones(values):
    means = exact_means(values)
    for code, (*_, growth) in POSTER.items():
        rate = (float(means[(code, 2018)]) / float(means[(code, 2016)])) ** 0.5 - 1
        assert round(rate, 3) == float(printed_growth(growth)), code


# --- bases ---------------------------------------------------------------------------------


def test_bases_columns_and_count(bases):
    assert list(bases.columns) == [
        "code",
        "name_zh",
        "name_en",
        "category",
        "subcategory",
        "province",
        "batch",
    ]
    assert len(bases) == 120
    assert bases["code"].is_unique
    assert bases["name_zh"].is_unique
    assert bases["name_en"].is_unique


def test_batch_and_category_composition(bases):
    counts = bases.groupby(["batch", "category"]).size().to_dict()
    assert counts == COMPOSITION


def test_codes_follow_the_batch(bases):
    for row in bases.itertuples(index=False):
        assert re.fullmatch(rf"MIE-{row.batch}-\d{{3}}", row.code), row.code
    assert sorted(bases.loc[bases["batch"] == 2016, "code"])[-1] == "MIE-2016-028"
    assert sorted(bases.loc[bases["batch"] == 2017, "code"])[-1] == "MIE-2017-092"


def test_every_subcategory_has_at_least_two_bases_of_its_category(bases):
    counts = bases["subcategory"].value_counts().to_dict()
    assert set(counts) == set(SUBCATEGORY_CATEGORY)
    assert min(counts.values()) >= 2
    for row in bases.itertuples(index=False):
        assert SUBCATEGORY_CATEGORY[row.subcategory] == row.category


def test_every_province_has_a_base_and_the_east_the_most(bases):
    assert set(bases["province"]) == set(PROVINCE_CODES)
    assert all(isinstance(p, str) and len(p) == 2 for p in bases["province"])
    east_share = bases["province"].isin(EAST).mean()
    # 10 of 31 provinces are in the east; they hold clearly more than their share of bases.
    assert east_share > 0.40


def test_names_say_demo_data_in_both_languages(bases):
    assert bases["name_zh"].str.endswith("（演示）").all()
    assert bases["name_en"].str.endswith(" (demo)").all()
    row = bases.loc[bases["subcategory"] == "comprehensive_university"].iloc[0]
    assert "大学" in row["name_zh"]
    assert "University" in row["name_en"]


def test_names_look_like_real_ones_of_their_subcategory(bases):
    # A county is named province, city, county ("湖北省黄冈市罗田县"), a CAS institute
    # "中国科学院…所/院", a new area "…新区", a private company "…有限公司".
    patterns = {
        "county": r"\w+(省|自治区)\w+(市|州)\w+县（演示）|海南省\w+县（演示）|重庆市\w+县（演示）",
        "urban_district": r"\w+(省|市|区)\w*区（演示）",
        "new_area": r"\w+新区（演示）",
        "hitech_econ_zone": r"\w+(高新技术产业开发区|经济技术开发区)（演示）",
        "cas_institute": r"中国科学院\w+(所|院)(第\d+分院)?（演示）",
        "private": r"\w+有限公司（演示）",
    }
    for row in bases.itertuples(index=False):
        if row.subcategory in patterns:
            assert re.fullmatch(patterns[row.subcategory], row.name_zh), row
    assert not bases["name_zh"].str.contains("演示基地").any()


def test_provinces_follow_the_category(bases):
    # Central state-owned groups are mostly seated in Beijing; universities and institutes are
    # where universities are, not in Tibet, Qinghai, Ningxia or Hainan.
    state_owned = bases[bases["subcategory"] == "state_owned"]
    assert (state_owned["province"] == "11").mean() > 0.5
    universities = bases[bases["category"] == "university_institute"]
    assert not universities["province"].isin(["54", "63", "64", "46"]).any()
    assert (universities["province"] == "11").sum() >= 3


def test_the_second_batch_reports_from_2017_on(bases, values):
    # given the batches of the bases
    batch = dict(zip(bases["code"], bases["batch"], strict=True))
    # then no base designated in 2017 has a value of 2016, and every one has 2017 values
    years = values.assign(batch=values["base_code"].map(batch))
    assert not ((years["batch"] == 2017) & (years["year"] == 2016)).any()
    second = set(years.loc[(years["batch"] == 2017) & (years["year"] == 2017), "base_code"])
    assert second == {code for code, b in batch.items() if b == 2017}
    # so the 2016 figures are means over the first batch's 28 bases
    assert set(years.loc[years["year"] == 2016, "base_code"]) <= {
        code for code, b in batch.items() if b == 2016
    }


def test_bases_dtypes(bases):
    assert bases["batch"].dtype == "int64"
    assert set(bases["batch"]) == {2016, 2017}


# --- values --------------------------------------------------------------------------------


def test_values_columns_and_unique_keys(values):
    assert list(values.columns) == ["base_code", "indicator_code", "year", "value"]
    assert not values.duplicated(["base_code", "indicator_code", "year"]).any()
    assert set(values["year"]) == set(YEARS)
    assert set(values["indicator_code"]) == set(POSTER)


def test_values_only_where_the_indicator_applies(bases, values):
    category = dict(zip(bases["code"], bases["category"], strict=True))
    for row in values.itertuples(index=False):
        applies_to = SPECS[row.indicator_code].categories
        assert not applies_to or category[row.base_code] in applies_to, row


def test_values_are_non_negative_at_the_indicator_resolution(values):
    for row in values.itertuples(index=False):
        pattern = r"\d+" if SPECS[row.indicator_code].decimals == 0 else r"\d+\.\d"
        assert re.fullmatch(pattern, row.value), row


def test_a_few_values_are_missing_but_no_yearly_cell_is_empty(bases, values):
    # given how many bases each indicator applies to, each year (the second batch from 2017)
    def applicable(code: str, year: int) -> int:
        categories = SPECS[code].categories
        return int(
            (
                (bases["category"].isin(categories) if categories else True)
                & (bases["batch"] <= year)
            ).sum()
        )

    expected_rows = sum(applicable(code, year) for code in SPECS for year in YEARS)

    # then between 1% and 5% of the possible rows are missing
    missing_share = 1 - len(values) / expected_rows
    assert 0.01 <= missing_share <= 0.05

    # and every one of the 36 cells keeps most of its bases
    reported = values.groupby(["indicator_code", "year"]).size().to_dict()
    assert len(reported) == 36
    for (code, year), count in reported.items():
        assert count >= 0.75 * applicable(code, year)


def test_a_big_base_stays_big(values):
    wide = (
        values[values["indicator_code"] == "new_market_entities"]
        .assign(value=lambda f: f["value"].astype(int))
        .pivot(index="base_code", columns="year", values="value")
        .dropna()
    )
    rank_correlation = wide[2016].rank().corr(wide[2018].rank())
    assert rank_correlation > 0.8


def test_the_national_talent_jump_shows_in_the_bases(values):
    wide = (
        values[values["indicator_code"] == "national_talent"]
        .assign(value=lambda f: f["value"].astype(int))
        .pivot(index="base_code", columns="year", values="value")
        .dropna()
    )
    wide = wide[wide[2016] > 0]
    ratio = (wide[2017] / wide[2016]).median()
    assert 7 < ratio < 13


def test_sample_values_does_not_modify_the_bases(bases):
    before = bases.copy()
    sample_values(bases, 0)
    pd.testing.assert_frame_equal(bases, before)


# --- determinism ---------------------------------------------------------------------------


def test_same_seed_same_files_byte_for_byte(tmp_path):
    first = write_sample(tmp_path / "a", seed=3)
    second = write_sample(tmp_path / "b", seed=3)
    for name in ("bases", "values", "organisations", "experts", "conflicts", "posts"):
        assert first[name].read_bytes() == second[name].read_bytes()


def test_other_seed_other_values_same_means():
    values_0 = sample_values(sample_bases(0), 0)
    values_1 = sample_values(sample_bases(1), 1)
    assert not values_0.equals(values_1)
    assert exact_means(values_0) == exact_means(values_1)


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_a_bad_seed_is_refused(seed):
    with pytest.raises(ValueError, match=r"seed: .* use a non-negative integer"):
        sample_bases(seed)


def test_bases_of_an_unknown_category_are_refused(bases):
    odd = bases.copy()
    odd.loc[3, "category"] = "club"
    with pytest.raises(ValueError, match=r"bases line 5, column 'category': 'club'"):
        sample_values(odd, 0)


# --- files ---------------------------------------------------------------------------------


def test_write_sample_writes_bom_headers_and_lf(tmp_path):
    # when the demo campaign is written
    paths = write_sample(tmp_path / "demo", seed=0)

    # then every file is there, UTF-8 with a BOM, with the interchange headers and LF ends;
    # the bases' domain tags come after the interchange columns
    names = ("bases", "values", "organisations", "experts", "conflicts", "posts")
    assert paths == {name: tmp_path / f"demo/{name}.csv" for name in names}
    headers = {
        "bases": "code,name_zh,name_en,category,subcategory,province,batch,fields",
        "values": "base_code,indicator_code,year,value",
        "organisations": "code,name_zh,name_en,kind,province",
        "experts": "code,name,organisation,province,fields,roles,max_panels",
        "conflicts": "expert_code,base_code,reason",
        "posts": "post_id,base_code,kind,category,title,text,tags,language,preferred_regions,"
        "expires",
    }
    for name, header in headers.items():
        raw = paths[name].read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        assert b"\r" not in raw
        text = raw.decode("utf-8-sig")
        assert text.split("\n", 1)[0] == header
        assert text.endswith("\n")


def test_written_files_hold_the_frames(tmp_path, bases, values):
    paths = write_sample(tmp_path, seed=0)

    with open(paths["bases"], encoding="utf-8-sig", newline="") as handle:
        base_rows = list(csv.DictReader(handle))
    assert len(base_rows) == 120
    assert base_rows[0]["code"] == bases["code"].iloc[0]
    assert base_rows[0]["province"] == bases["province"].iloc[0]
    assert {row["batch"] for row in base_rows} == {"2016", "2017"}

    with open(paths["values"], encoding="utf-8-sig", newline="") as handle:
        value_rows = list(csv.DictReader(handle))
    assert len(value_rows) == len(values)
    assert [row["value"] for row in value_rows] == values["value"].to_list()


def test_written_bases_keep_the_frame_and_append_the_fields(tmp_path, bases):
    # given the written demo bases
    paths = write_sample(tmp_path, seed=0)
    written = pd.read_csv(paths["bases"], dtype=str, encoding="utf-8-sig", keep_default_na=False)

    # then the interchange columns are sample_bases' values, unchanged, and 'fields' is last
    expected = bases.astype({"batch": str})
    pd.testing.assert_frame_equal(written[list(bases.columns)], expected)
    assert list(written.columns)[-1] == "fields"
    for tags in written["fields"]:
        parts = tags.split(";")
        assert 2 <= len(parts) <= 3
        assert set(parts) <= set(FIELD_TAGS)


# --- the panel roster ------------------------------------------------------------------------


def test_roster_has_the_posters_organisations(bases):
    # Source: the poster, "21 local scientific associations, 25 national societies, 12
    # third-party institutions".
    roster = sample_roster(bases, 0)
    organisations = roster["organisations"]
    assert len(organisations) == 58
    assert organisations["kind"].value_counts().to_dict() == {
        "national_society": 25,
        "local_association": 21,
        "third_party": 12,
    }
    societies = organisations[organisations["kind"] == "national_society"]
    assert (societies["province"] == "11").sum() >= 20
    assert organisations["name_zh"].str.startswith("演示：").all()
    assert organisations["name_en"].str.startswith("Demo: ").all()


def test_roster_experts_and_conflicts_are_consistent(bases):
    roster = sample_roster(bases, 0)
    experts, conflicts = roster["experts"], roster["conflicts"]
    assert len(experts) == 303
    assert experts["code"].is_unique
    assert set(experts["organisation"]) <= set(roster["organisations"]["code"])
    for row in experts.itertuples(index=False):
        assert set(row.fields.split(";")) <= set(FIELD_TAGS)
        assert set(row.roles.split(";")) <= {"professional", "operational"}
        assert row.max_panels in (1, 2, 3)
    assert len(conflicts) == 8
    assert set(conflicts["expert_code"]) <= set(experts["code"])
    assert set(conflicts["base_code"]) <= set(bases["code"])
