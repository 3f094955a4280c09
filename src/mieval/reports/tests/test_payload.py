import json

import pandas as pd
import pytest

from mieval.core.indicators import builtin_indicators_frame
from mieval.core.reports.payload import (
    payload_bases,
    payload_canonical,
    payload_hash,
    payload_values,
)
from mieval.reports.build import payload_from_frames

BASES = pd.DataFrame(
    {
        "code": ["R2", "R1"],
        "name_zh": ["乙", "甲"],
        "name_en": ["B", "A"],
        "category": ["region", "region"],
        "subcategory": ["county", "new_area"],
        "province": ["11", "51"],
        "batch": [2016, 2017],
    }
)
VALUES = pd.DataFrame(
    {
        "base_code": ["R2", "R1", "R1"],
        "indicator_code": ["patents_granted", "patents_granted", "patents_granted"],
        "year": [2016, 2017, 2016],
        "value": [3.0, 2.5, 1.0],
    }
)


def test_same_data_in_another_order_gives_the_same_payload_and_hash():
    # given the same bases and values twice, rows shuffled
    first = payload_from_frames(BASES, VALUES, builtin_indicators_frame())
    second = payload_from_frames(
        BASES.iloc[::-1], VALUES.iloc[[2, 0, 1]], builtin_indicators_frame()
    )
    # then
    assert payload_canonical(first) == payload_canonical(second)
    assert payload_hash(first) == payload_hash(second)
    assert first["values"] == [
        ["R1", "patents_granted", 2016, 1.0],
        ["R1", "patents_granted", 2017, 2.5],
        ["R2", "patents_granted", 2016, 3.0],
    ]
    assert first["campaign"]["first_year"] == 2016
    assert first["campaign"]["last_year"] == 2017


def test_hash_is_sha256_of_the_canonical_text():
    import hashlib

    payload = payload_from_frames(BASES, VALUES, builtin_indicators_frame())
    text = payload_canonical(payload)
    assert payload_hash(payload) == hashlib.sha256(text).hexdigest()
    # canonical: sorted keys, no spaces, Chinese kept as UTF-8
    assert text.startswith(b'{"bases":[{"batch":2017,"category":"region","code":"R1"')
    assert "甲".encode() in text
    assert json.loads(text) == payload


def test_a_changed_value_changes_the_hash():
    changed = VALUES.copy()
    changed.loc[0, "value"] = 4.0
    before = payload_hash(payload_from_frames(BASES, VALUES, builtin_indicators_frame()))
    after = payload_hash(payload_from_frames(BASES, changed, builtin_indicators_frame()))
    assert before != after


def test_missing_values_are_left_out_and_nan_is_refused():
    values = VALUES.copy()
    values.loc[1, "value"] = float("nan")
    payload = payload_from_frames(BASES, values, builtin_indicators_frame())
    assert len(payload["values"]) == 2
    payload["settings"]["x"] = float("nan")
    with pytest.raises(ValueError):
        payload_canonical(payload)


def test_frames_come_back_typed():
    payload = payload_from_frames(BASES, VALUES, builtin_indicators_frame())
    assert payload_bases(payload)["code"].tolist() == ["R1", "R2"]
    assert payload_bases(payload)["batch"].dtype == "int64"
    values = payload_values(payload)
    assert values["value"].tolist() == [1.0, 2.5, 3.0]
    assert values["year"].dtype == "int64"
