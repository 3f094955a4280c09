"""crosswalk_apply against values computed by hand: a rename, a unit factor of 0.0001, a split,
a merge (complete and incomplete), an unmapped indicator, and codes kept unchanged."""

import pandas as pd
import pytest

from mieval.core.crosswalk import (
    crosswalk_apply,
    crosswalk_check,
    crosswalk_keep,
    crosswalk_path,
    factor_check,
    merge_refusal,
)
from mieval.core.problems import ProblemCode

VALUES = pd.DataFrame(
    [
        ("B1", "area_m2", 2016, 25000.0),  # unit: m² -> 10,000 m²
        ("B1", "patents", 2016, 7.0),  # renamed
        ("B1", "talent_total", 2016, 10.0),  # split 0.3 / 0.7
        ("B1", "univ_coop", 2016, 3.0),  # merged with gov_coop
        ("B1", "gov_coop", 2016, 5.0),
        ("B2", "univ_coop", 2016, 2.0),  # its gov_coop is missing: no merged value
        ("B1", "hotline_calls", 2016, 99.0),  # no crosswalk row
        ("B2", "hotline_calls", 2017, 1.0),
        ("B1", "training_reach", 2016, 500.0),  # unchanged
        ("B2", "training_reach", 2016, float("nan")),  # not a value
    ],
    columns=["base_code", "indicator_code", "year", "value"],
)

STEP = pd.DataFrame(
    [
        ("area_m2", "incubation_area", 0.0001),
        ("patents", "patents_granted", 1.0),
        ("talent_total", "national_talent", 0.3),
        ("talent_total", "provincial_talent", 0.7),
        ("univ_coop", "coop_projects", 1.0),
        ("gov_coop", "coop_projects", 1.0),
    ],
    columns=["from_code", "to_code", "factor"],
)


def test_crosswalk_apply_maps_every_kind_of_change_as_computed_by_hand():
    # when
    mapped, unmapped = crosswalk_apply(VALUES, STEP, keep=["training_reach"])

    # then: 25000 m² x 0.0001 = 2.5 (10,000 m²); 10 persons split 0.3 / 0.7 = 3 and 7;
    # 3 + 5 = 8 cooperation projects
    got = [(r.base_code, r.indicator_code, r.year, r.value) for r in mapped.itertuples()]
    assert got == [
        ("B1", "coop_projects", 2016, 8.0),
        ("B1", "incubation_area", 2016, 2.5),
        ("B1", "national_talent", 2016, 3.0),
        ("B1", "patents_granted", 2016, 7.0),
        ("B1", "provincial_talent", 2016, 7.0),
        ("B1", "training_reach", 2016, 500.0),
    ]
    assert unmapped.to_dict("records") == [
        {"indicator_code": "hotline_calls", "to_code": None, "reason": "no_row", "values": 2},
        {
            "indicator_code": "univ_coop",
            "to_code": "coop_projects",
            "reason": "incomplete_merge",
            "values": 1,
        },
    ]


def test_crosswalk_apply_does_not_change_its_input():
    before = VALUES.copy()

    crosswalk_apply(VALUES, STEP)

    pd.testing.assert_frame_equal(VALUES, before)


def test_without_keep_an_unmentioned_code_is_unmapped():
    mapped, unmapped = crosswalk_apply(VALUES, STEP)

    assert "training_reach" not in set(mapped["indicator_code"])
    row = unmapped.loc[unmapped["indicator_code"] == "training_reach"].iloc[0]
    assert (row["reason"], row["values"]) == ("no_row", 1)


def test_nothing_to_map_gives_empty_frames():
    empty = VALUES.iloc[0:0]

    mapped, unmapped = crosswalk_apply(empty, STEP)

    assert list(mapped.columns) == ["base_code", "indicator_code", "year", "value"]
    assert (len(mapped), len(unmapped)) == (0, 0)


def test_keep_takes_the_codes_in_both_versions_with_the_same_unit_that_no_row_names():
    old = pd.DataFrame(
        {
            "code": ["training_reach", "area", "patents", "jobs"],
            "unit": ["persons", "m²", "count", "10,000 persons"],
        }
    )
    new = pd.DataFrame(
        {"code": ["training_reach", "area", "patents_granted", "jobs"], "unit": ["persons"] * 4}
    )
    rows = pd.DataFrame({"from_code": ["patents"], "to_code": ["patents_granted"]})

    # "area" kept its code but not its unit; "jobs" changed its unit without a row
    assert crosswalk_keep(rows, old, new) == ("training_reach",)


def _pairs(*pairs):
    return pd.DataFrame(
        [(f, fv, "x", t, tv, "x", 1.0) for (f, fv), (t, tv) in pairs],
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


def test_the_path_chains_version_pairs_and_prefers_the_direct_one():
    chain = _pairs((("core", 1), ("core", 2)), (("core", 2), ("r3", 1)))
    direct = _pairs((("core", 1), ("core", 2)), (("core", 2), ("r3", 1)), (("core", 1), ("r3", 1)))

    assert crosswalk_path(chain, ("core", 1), ("r3", 1)) == [
        (("core", 1), ("core", 2)),
        (("core", 2), ("r3", 1)),
    ]
    assert crosswalk_path(direct, ("core", 1), ("r3", 1)) == [(("core", 1), ("r3", 1))]
    assert crosswalk_path(chain, ("core", 1), ("core", 1)) == []
    assert crosswalk_path(chain, ("r3", 1), ("core", 1)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", (1.0, None)),
        ("0.0001", (0.0001, None)),
        ("1e4", (10000.0, None)),
        (
            "0",
            (
                None,
                (
                    ProblemCode.OUT_OF_RANGE,
                    "0 is not positive; a factor is a positive number (empty means 1)",
                ),
            ),
        ),
        (
            "NaN",
            (
                None,
                (
                    ProblemCode.NOT_A_NUMBER,
                    "'NaN' is not a number; a factor is a positive number (empty means 1)",
                ),
            ),
        ),
    ],
)
def test_factor_check(text, expected):
    assert factor_check(text) == expected


def test_a_merge_into_a_mean_of_money_is_refused_and_into_a_count_allowed():
    assert merge_refusal("coop", ["a", "b"], "mean", "count") is None
    assert merge_refusal("invest", ["b", "a"], "mean", "10,000 yuan") == (
        "'a', 'b' are merged into 'invest' (summed), but 'invest' is a mean in '10,000 yuan', "
        "which does not add up: a merge is allowed only into an indicator whose statistic is sum "
        "or whose unit is a count (10,000 persons, count, person-times, persons)"
    )
    assert merge_refusal("invest", ["a", "b"], "sum", "10,000 yuan") is None


def test_crosswalk_check_names_every_problem_by_row():
    frameworks = {
        ("core", 1): pd.DataFrame(
            {"code": ["a", "b", "c"], "unit": ["count"] * 3, "stat": ["mean"] * 3}
        ),
        ("core", 2): pd.DataFrame(
            {"code": ["ab", "inv"], "unit": ["count", "10,000 yuan"], "stat": ["mean", "mean"]}
        ),
    }
    rows = pd.DataFrame(
        [
            ("core", 1, "a", "core", 2, "ab", 1.0),
            ("core", 1, "b", "core", 2, "ab", 1.0),  # a merge into a count: fine
            ("core", 1, "a", "core", 3, "ab", 1.0),  # no version 3
            ("core", 1, "zz", "core", 2, "ab", 1.0),  # no old indicator zz
            ("core", 1, "a", "core", 2, "ab", 1.0),  # the same as row 1
            ("core", 1, "b", "core", 2, "inv", 1.0),  # a merge of money ...
            ("core", 1, "c", "core", 2, "inv", 1.0),  # ... refused on both rows
            ("core", 2, "ab", "core", 2, "ab", 1.0),  # onto itself
            ("other", 1, "a", "core", 2, "ab", 1.0),  # no framework 'other'
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

    problems = crosswalk_check(rows, frameworks)

    refusal = merge_refusal("inv", ["b", "c"], "mean", "10,000 yuan")
    assert problems == [
        (
            2,
            "to_version",
            ProblemCode.UNKNOWN_CODE,
            "framework 'core' has no version 3 (it has 1, 2)",
        ),
        (3, "from_code", ProblemCode.UNKNOWN_CODE, "'zz' is not an indicator of core v1"),
        (4, "to_code", ProblemCode.DUPLICATE, "'a' to 'ab' is also row 1; each mapping once"),
        (
            7,
            "to_version",
            ProblemCode.INCONSISTENT,
            "the row maps core v2 onto itself; a crosswalk leads from one version to another",
        ),
        (8, "from_framework", ProblemCode.UNKNOWN_CODE, "'other' is not an indicator framework"),
        (5, "to_code", ProblemCode.NOT_ALLOWED, refusal),
        (6, "to_code", ProblemCode.NOT_ALLOWED, refusal),
    ]
