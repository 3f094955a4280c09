"""The register's counts by type × category × subcategory × region group (no database)."""

import pandas as pd
import pytest

from mieval.core.problem_counts import problem_counts

# id, type, category, subcategory, region group, severity, state
ROWS = [
    (1, "east_west_exchange", "region", "urban_district", "east", "moderate", "confirmed"),
    (2, "east_west_exchange", "region", "urban_district", "east", "serious", "confirmed"),
    (3, "east_west_exchange", "region", "urban_district", "east", "minor", "confirmed"),
    (4, "east_west_exchange", "region", "urban_district", "east", "serious", "confirmed"),
    (5, "east_west_exchange", "region", "county", "central_west", "serious", "proposed"),
    (6, "east_west_exchange", "region", "county", "central_west", "minor", "dismissed"),
    (7, "corporate_credit", "enterprise", "private", "central_west", "minor", "confirmed"),
    (8, "corporate_credit", "enterprise", "state_owned", "east", "moderate", "confirmed"),
    (9, "corporate_credit", "enterprise", "private", "central_west", "moderate", "confirmed"),
]
COLUMNS = [
    "problem_id",
    "type_code",
    "category",
    "subcategory",
    "region_group",
    "severity",
    "state",
]


@pytest.fixture
def frame():
    return pd.DataFrame(ROWS, columns=COLUMNS)


def test_counts_by_all_four_dimensions_with_the_most_severe_examples_first(frame):
    counts = problem_counts(frame, examples=3)

    assert counts.to_dict("records") == [
        {"type_code": "corporate_credit", "category": "enterprise", "subcategory": "private",
         "region_group": "central_west", "n": 2, "n_serious": 0, "n_moderate": 1, "n_minor": 1,
         "examples": [9, 7]},
        {"type_code": "corporate_credit", "category": "enterprise", "subcategory": "state_owned",
         "region_group": "east", "n": 1, "n_serious": 0, "n_moderate": 1, "n_minor": 0,
         "examples": [8]},
        {"type_code": "east_west_exchange", "category": "region", "subcategory": "urban_district",
         "region_group": "east", "n": 4, "n_serious": 2, "n_moderate": 1, "n_minor": 1,
         "examples": [2, 4, 1]},
    ]  # fmt: skip


def test_proposed_and_dismissed_problems_do_not_count(frame):
    counts = problem_counts(frame, by=("region_group",))

    assert counts[["region_group", "n"]].to_dict("records") == [
        {"region_group": "central_west", "n": 2},
        {"region_group": "east", "n": 5},
    ]


def test_counts_by_type_only(frame):
    counts = problem_counts(frame, by=("type_code",), examples=1)

    assert counts[["type_code", "n", "examples"]].to_dict("records") == [
        {"type_code": "corporate_credit", "n": 3, "examples": [8]},
        {"type_code": "east_west_exchange", "n": 4, "examples": [2]},
    ]


def test_the_input_is_not_modified_and_row_order_does_not_matter(frame):
    before = frame.copy()
    shuffled = frame.sample(frac=1, random_state=3)

    assert problem_counts(shuffled).equals(problem_counts(frame))
    assert frame.equals(before)


def test_nothing_confirmed_gives_an_empty_frame_with_the_columns(frame):
    counts = problem_counts(frame[frame["state"] != "confirmed"], by=("type_code", "category"))

    assert list(counts.columns) == [
        "type_code", "category", "n", "n_serious", "n_moderate", "n_minor", "examples",
    ]  # fmt: skip
    assert len(counts) == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"by": ()}, "by=(): a non-empty subset of type_code, category, subcategory, region_group"),
        ({"by": ("province",)}, "by=('province',): a non-empty subset of type_code, category, "
                                "subcategory, region_group"),
        ({"examples": 21}, "examples=21: 0 to 20"),
    ],
)  # fmt: skip
def test_bad_parameters_are_named(frame, kwargs, message):
    with pytest.raises(ValueError) as caught:
        problem_counts(frame, **kwargs)

    assert str(caught.value) == message


def test_a_missing_column_and_an_unknown_severity_are_named(frame):
    with pytest.raises(ValueError) as missing:
        problem_counts(frame.drop(columns=["severity", "state"]))
    with pytest.raises(ValueError) as unknown:
        problem_counts(frame.assign(severity="error"))

    assert str(missing.value) == "problems: missing column(s) severity, state"
    assert str(unknown.value) == "severity 'error' is not one of serious, moderate, minor"
