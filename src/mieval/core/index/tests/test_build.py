"""index_build refuses data that does not fit the framework, before computing anything."""

import pandas as pd
import pytest

from mieval.core.index import aggregate as agg
from mieval.core.index import framework_parse, index_build
from mieval.core.problems import InputError, ProblemCode

FRAMEWORK = """\
denominators = ["pop"]

[[indicator]]
code = "x1"
parent = "P"
denominator = "pop"

[[indicator]]
code = "x2"
parent = "P"

[[indicator]]
code = "x3"
parent = "Q"

[[aggregate]]
code = "P"
parent = "I"

[[aggregate]]
code = "Q"
parent = "I"

[[aggregate]]
code = "I"

[[step]]
kind = "denominate"

[[step]]
kind = "normalise"

[[step]]
kind = "aggregate"
method = "geometric"
"""


def values(codes=("x1", "x2", "x3", "pop")) -> pd.DataFrame:
    rows = {
        "x1": [1.0, 2.0, 3.0],
        "x2": [5.0, 1.0, 2.0],
        "x3": [2.0, 2.0, 4.0],
        "pop": [1.0, 1.0, 1.0],
    }
    return pd.DataFrame(
        [
            {"unit": u, "code": c, "value": v}
            for c in codes
            for u, v in zip(["u1", "u2", "u3"], rows[c], strict=True)
        ]
    )


def test_codes_missing_from_the_values_are_all_reported():
    framework = framework_parse(FRAMEWORK, file="f.toml")
    with pytest.raises(InputError) as caught:
        index_build(values(("x1", "x3")), framework)
    found = [(p.line, p.key, p.code) for p in caught.value.problems]
    assert found == [
        (9, "indicator[1].code", ProblemCode.UNKNOWN_CODE),
        (1, "denominators[0]", ProblemCode.UNKNOWN_CODE),
    ]
    assert "indicator 'x2' of the framework is not in the values" in str(caught.value)


def test_geometric_mean_over_zeros_names_the_aggregates_and_units():
    # min-max to [0, 100] puts the lowest unit of every indicator at 0
    framework = framework_parse(FRAMEWORK, file="f.toml")
    with pytest.raises(InputError) as caught:
        index_build(values(), framework)
    problems = caught.value.problems
    assert [(p.line, p.key, p.code) for p in problems] == [
        (17, "aggregate[0]", ProblemCode.OUT_OF_RANGE),
        (21, "aggregate[1]", ProblemCode.OUT_OF_RANGE),
    ]
    assert problems[0].message.startswith(
        "aggregate 'P': a geometric mean needs values > 0, but there are values <= 0 in"
        " 'x1' of u1; 'x2' of u2;"
    )
    assert "aggregate 'Q'" in problems[1].message and "'x3' of u1, u2" in problems[1].message


def test_geometric_mean_on_a_positive_scale_builds():
    framework = framework_parse(
        FRAMEWORK.replace('kind = "normalise"', 'kind = "normalise"\nlow = 1.0')
    )
    build = index_build(values(), framework)
    top = build.scores[build.scores["code"] == "I"].set_index("unit")["score"]
    assert top.notna().all() and len(top) == 3


def test_aggregate_refuses_zeros_for_harmonic_means_too():
    framework = framework_parse(FRAMEWORK)
    data = values(("x1", "x2", "x3"))
    data.loc[data["code"] == "x3", "value"] = [-1.0, 2.0, 0.0]
    with pytest.raises(InputError) as caught:
        agg.aggregate(data, framework.hierarchy, method="harmonic")
    assert [p.key for p in caught.value.problems] == ["aggregate.Q"]
    assert "'x3' of u1, u3" in caught.value.problems[0].message
