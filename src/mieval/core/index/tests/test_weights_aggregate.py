"""Weights, aggregation, ranks, TOPSIS and the results helpers on hand-computed examples."""

import math

import numpy as np
import pandas as pd
import pytest

from mieval.core.index import aggregate as agg
from mieval.core.index import results, weights
from mieval.core.index.framework import framework_parse


def long(columns: dict[str, list], units) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"unit": u, "code": code, "value": float(v)}
            for code, values in columns.items()
            for u, v in zip(units, values, strict=True)
        ]
    )


# --- AHP ---------------------------------------------------------------------------------------


def test_ahp_saaty_three_criteria_example():
    # The classic 3x3 example (Saaty 1980; reproduced in most AHP texts): weights 0.637, 0.258,
    # 0.105, lambda_max 3.039, CI 0.019, CR 0.033 (RI(3) = 0.58). For a 3x3 reciprocal matrix
    # lambda_max = 1 + (b / (a c))^(1/3) + (a c / b)^(1/3) with a = a12, b = a13, c = a23.
    result = weights.ahp_weights(["A", "B", "C"], [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    closed = 1 + (5 / 9) ** (1 / 3) + (9 / 5) ** (1 / 3)
    assert result.lambda_max == pytest.approx(closed, rel=1e-12)
    assert result.ci == pytest.approx((closed - 3) / 2, rel=1e-12)
    assert result.cr == pytest.approx((closed - 3) / 2 / 0.58, rel=1e-12)
    assert round(result.cr, 3) == 0.033
    assert [round(w, 3) for w in result.weights["weight"]] == [0.637, 0.258, 0.105]


def test_ahp_consistent_matrix_has_cr_zero():
    # a_jk = w_j / w_k with w = (4, 2, 1) / 7; rounded reciprocals are read from the upper half
    result = weights.ahp_weights(["A", "B", "C"], [[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]])
    np.testing.assert_allclose(result.weights["weight"], [4 / 7, 2 / 7, 1 / 7], rtol=1e-12)
    assert result.cr == pytest.approx(0, abs=1e-12)


# --- entropy, CRITIC, PCA ----------------------------------------------------------------------


def test_entropy_weights_worked_example():
    # Three units. c1 = (1, 1, 1): p = 1/3 each, e1 = 1, d1 = 0.
    # c2 = (0, 1, 1): p = (0, 1/2, 1/2), 0 ln 0 = 0, e2 = ln 2 / ln 3, d2 = 1 - ln 2 / ln 3.
    # c3 = (1, 2, 3): p = (1/6, 2/6, 3/6), e3 = -(sum p ln p) / ln 3.
    data = long({"c1": [1, 1, 1], "c2": [0, 1, 1], "c3": [1, 2, 3]}, ["a", "b", "c"])
    d2 = 1 - math.log(2) / math.log(3)
    e3 = -sum(p * math.log(p) for p in (1 / 6, 2 / 6, 3 / 6)) / math.log(3)
    d3 = 1 - e3
    out = weights.entropy_weights(data)
    assert out["code"].tolist() == ["c1", "c2", "c3"]
    expected = [0, d2 / (d2 + d3), d3 / (d2 + d3)]
    np.testing.assert_allclose(out["weight"], expected, rtol=1e-12, atol=1e-15)
    assert round(out["weight"][1], 5) == 0.82299  # 0.36907 / (0.36907 + 0.07938)


def test_critic_weights_worked_example():
    # After min-max to [0, 1]: z1 = (0, .5, 1), z2 = (1, 0, .5), z3 = (0, 1, 1).
    # s1 = s2 = 0.5, s3 = sqrt(1/3); r12 = -0.5, r13 = sqrt(3)/2, r23 = -sqrt(3)/2.
    # C1 = .5 (1.5 + 1 - .866025) = 0.816987, C2 = .5 (1.5 + 1.866025) = 1.683013,
    # C3 = .577350 (0.133975 + 1.866025) = 1.154701; w = C / 3.654701.
    data = long({"c1": [0, 5, 10], "c2": [4, 2, 3], "c3": [7, 9, 9]}, ["a", "b", "c"])
    r = math.sqrt(3) / 2
    c = [0.5 * (1.5 + 1 - r), 0.5 * (1.5 + 1 + r), math.sqrt(1 / 3) * (2 - r + r)]
    out = weights.critic_weights(data)
    np.testing.assert_allclose(out["weight"], np.array(c) / sum(c), rtol=1e-12)
    assert [round(w, 4) for w in out["weight"]] == [0.2235, 0.4605, 0.3159]


def test_pca_weights_first_component():
    # c1 and c2 perfectly correlated, c3 uncorrelated with both: R has eigenvalues 2, 1, 0 and
    # the first eigenvector (1, 1, 0) / sqrt 2, so squared loadings (1/2, 1/2, 0).
    data = long({"c1": [1, 2, 3, 4], "c2": [2, 4, 6, 8], "c3": [1, -1, -1, 1]}, list("abcd"))
    np.testing.assert_allclose(weights.pca_weights(data)["weight"], [0.5, 0.5, 0], atol=1e-12)


# --- aggregation -------------------------------------------------------------------------------

BLOCK = np.array([[10, 20, np.nan], [0, 50, 100], [np.nan, np.nan, np.nan]])
W = np.array([1, 1, 2])


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        (1, [15, 62.5]),  # (10 + 20) / 2 ; (0 + 50 + 2 * 100) / 4
        (0, [math.sqrt(200), 0]),  # sqrt(10 * 20); a zero makes the geometric mean 0
        (-1, [2 / (1 / 10 + 1 / 20), 0]),  # harmonic; a zero makes it 0
        (2, [math.sqrt(250), 75]),  # sqrt((100 + 400) / 2) ; sqrt((2500 + 20000) / 4)
    ],
)
def test_generalised_mean_missing_drop_out_and_weights_rescale(p, expected):
    out = agg.generalised_mean(BLOCK, W, p)
    np.testing.assert_allclose(out[:2], expected, rtol=1e-13)
    assert math.isnan(out[2])  # no child present


def test_generalised_mean_refuses_negative_values_for_geometric():
    with pytest.raises(ValueError, match=">= 0"):
        agg.generalised_mean(np.array([[-1.0, 2.0]]), np.array([1, 1]), 0)


SMALL = """
[[indicator]]
code = "x1"
parent = "P"
weight = 1
[[indicator]]
code = "x2"
parent = "P"
weight = 3
[[indicator]]
code = "x3"
parent = "Q"
[[aggregate]]
code = "P"
parent = "I"
weight = 2
[[aggregate]]
code = "Q"
parent = "I"
[[aggregate]]
code = "I"
[[step]]
kind = "normalise"
[[step]]
kind = "aggregate"
"""


def test_aggregate_up_the_hierarchy():
    framework = framework_parse(SMALL)
    data = long({"x1": [100, 0], "x2": [0, 100], "x3": [40, 80]}, ["a", "b"])
    out = agg.aggregate(data, framework.hierarchy).set_index(["unit", "code"])["value"]
    # P = (1 x1 + 3 x2) / 4 ; Q = x3 ; I = (2 P + Q) / 3
    assert out[("a", "P")] == 25 and out[("b", "P")] == 75
    assert out[("a", "I")] == pytest.approx((50 + 40) / 3)
    assert out[("b", "I")] == pytest.approx((150 + 80) / 3)


def test_rank_scores_ties_share_the_smallest_rank():
    ranks = agg.rank_scores(pd.Series([3.0, 1.0, 3.0, np.nan, 2.0]))
    assert ranks.tolist() == [1, 4, 1, pd.NA, 3]


def test_topsis_worked_example():
    # A (2, 0), B (0, 1), C (1, 1), equal weights. Column norms sqrt 5 and sqrt 2; v = r / 2.
    # Ideal (0.447214, 0.353553), anti-ideal (0, 0).
    # A: S+ 0.353553, S- 0.447214 -> 0.558482; B: S+ 0.447214, S- 0.353553 -> 0.441518;
    # C: S+ 0.223607, S- 0.418330 -> 0.651669.
    data = long({"c1": [2, 0, 1], "c2": [0, 1, 1]}, ["A", "B", "C"])
    out = agg.topsis(data).set_index("unit")
    a = math.sqrt(0.2) / (math.sqrt(0.2) + math.sqrt(0.125))
    np.testing.assert_allclose(out.loc["A", "closeness"], a, rtol=1e-12)
    assert [round(c, 6) for c in out["closeness"]] == [0.558482, 0.441518, 0.651669]
    assert out["rank"].tolist() == [2, 3, 1]


# --- results -----------------------------------------------------------------------------------


def test_group_ranks_and_strengths_weaknesses():
    scores = pd.DataFrame(
        {"unit": ["a", "b", "c", "d"], "code": "I", "score": [10.0, 20.0, 30.0, 30.0]}
    )
    groups = pd.Series({"a": "g1", "b": "g1", "c": "g2", "d": "g2"})
    out = results.group_ranks(scores, groups).set_index("unit")
    assert out["group_rank"].to_dict() == {"a": 2, "b": 1, "c": 1, "d": 1}
    assert out["group_size"].tolist() == [2, 2, 2, 2]
    normalised = long({"x": [1, 2, 3], "y": [3, 2, 1], "z": [2, 3, 1]}, ["a", "b", "c"])
    sw = results.strengths_weaknesses(normalised, n=1).set_index(["unit", "kind"])
    assert sw.loc[("a", "strength"), "code"] == "y"  # a is 1st on y
    assert sw.loc[("a", "weakness"), "code"] == "x"  # and 3rd on x
    assert sw.loc[("c", "strength"), "code"] == "x"


def test_rank_changes_between_years():
    scores = pd.DataFrame(
        {
            "unit": ["a", "b", "a", "b", "c"],
            "code": "I",
            "year": [2017, 2017, 2018, 2018, 2018],
            "rank": [1, 2, 2, 1, 3],
        }
    )
    out = results.rank_changes(scores).set_index("unit")
    assert out.loc["a", "change"] == -1 and out.loc["b", "change"] == 1
    assert out.loc["c", "previous_rank"] is pd.NA
