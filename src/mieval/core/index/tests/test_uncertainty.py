"""Monte Carlo uncertainty and Sobol sensitivity."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mieval.core.index import aggregate as agg
from mieval.core.index import index_build
from mieval.core.index.framework import framework_read
from mieval.core.index.uncertainty import (
    UncertaintySpec,
    _Model,
    index_sensitivity,
    monte_carlo,
    rank_rows,
    sobol_indices,
)

EXAMPLE = Path(__file__).resolve().parents[5] / "examples" / "coinr-asem"


@pytest.fixture(scope="module")
def asem():
    values = pd.read_csv(EXAMPLE / "values.csv").rename(
        columns={"base_code": "unit", "indicator_code": "code"}
    )
    return values, framework_read(EXAMPLE / "framework.toml"), pd.read_csv(EXAMPLE / "units.csv")


# Geometric means need positive normalised values: min-max to [1, 100], as COINr advises.
SPEC = UncertaintySpec(
    weight_noise=0.25, impute=("mean", "median"), normalise=("rank",), aggregate=("geometric",)
)


@pytest.fixture(scope="module")
def asem_positive(asem):
    values, framework, units = asem
    return values, framework.with_step("normalise", low=1.0), units


def test_monte_carlo_is_reproducible_with_a_seed(asem_positive):
    values, framework, units = asem_positive
    calls = []
    first = monte_carlo(
        values, framework, SPEC, units=units, runs=60, seed=7, progress=lambda d, t: calls.append(d)
    )
    again = monte_carlo(values, framework, SPEC, units=units, runs=60, seed=7)
    pd.testing.assert_frame_equal(first.summary, again.summary)
    pd.testing.assert_frame_equal(first.ranks, again.ranks)
    assert calls == list(range(1, 61))
    s = first.summary
    assert len(s) == 51 and s["nominal_rank"].tolist()[:3] == [1, 2, 3]
    assert (s["q05"] <= s["median_rank"]).all() and (s["median_rank"] <= s["q95"]).all()
    assert set(first.runs.columns) == {"run", "impute", "normalise", "aggregate"}
    other = monte_carlo(values, framework, SPEC, units=units, runs=60, seed=8)
    assert not other.ranks.equals(first.ranks)


def test_weight_and_imputation_intervals_contain_the_nominal_rank(asem):
    values, framework, units = asem
    spec = UncertaintySpec(weight_noise=0.25, impute=("mean", "median"))
    s = monte_carlo(values, framework, spec, units=units, runs=200, seed=11).summary
    assert ((s["q05"] <= s["nominal_rank"]) & (s["nominal_rank"] <= s["q95"])).all()
    assert (s["q95"] - s["q05"]).max() > 0


def test_monte_carlo_without_uncertainty_gives_the_nominal_ranks(asem):
    values, framework, units = asem
    out = monte_carlo(values, framework, UncertaintySpec(weight_noise=0), units=units, runs=3)
    s = out.summary
    assert (s["median_rank"] == s["nominal_rank"]).all()
    assert (s["q05"] == s["q95"]).all()


def test_zscores_cannot_be_combined_with_geometric_means(asem):
    values, framework, units = asem
    spec = UncertaintySpec(normalise=("zscore",), aggregate=("geometric",))
    with pytest.raises(ValueError, match="z-scores"):
        monte_carlo(values, framework, spec, units=units, runs=2)


def test_sobol_indices_of_the_ishigami_function():
    # Ishigami (a = 7, b = 0.1) on [-pi, pi]^3, analytic indices (Ishigami and Homma 1990;
    # Saltelli et al. 2008, Global Sensitivity Analysis, p. 179):
    # S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
    def ishigami(x):
        return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])

    bounds = [(-math.pi, math.pi)] * 3
    out = sobol_indices(ishigami, ["x1", "x2", "x3"], bounds, n=4096, seed=1).set_index("input")
    np.testing.assert_allclose(out["S1"], [0.3139, 0.4424, 0.0], atol=0.03)
    np.testing.assert_allclose(out["ST"], [0.5576, 0.4424, 0.2437], atol=0.03)


def test_sobol_indices_of_a_linear_model():
    # y = x1 + 2 x2 with independent U(0, 1): Var = (1 + 4) / 12, S1 = ST = (0.2, 0.8).
    out = sobol_indices(lambda x: x[:, 0] + 2 * x[:, 1], ["a", "b"], [(0, 1)] * 2, n=2048)
    np.testing.assert_allclose(out["S1"], [0.2, 0.8], atol=0.02)
    np.testing.assert_allclose(out["ST"], [0.2, 0.8], atol=0.02)


def test_index_sensitivity_names_each_uncertain_input(asem_positive):
    values, framework, units = asem_positive
    out = index_sensitivity(values, framework, SPEC, units=units, n=32, seed=3)
    assert out["input"].tolist() == ["weights", "impute", "normalise", "aggregate"]
    again = index_sensitivity(values, framework, SPEC, units=units, n=32, seed=3)
    pd.testing.assert_frame_equal(out, again)
    assert (out["ST"] > -0.1).all()


@pytest.mark.parametrize("method", ["arithmetic", "geometric", "harmonic"])
def test_vectorised_scores_equal_index_build_for_the_same_weights(asem_positive, method):
    # given 5 random weight sets drawn at once, as monte_carlo draws them
    values, framework, units = asem_positive
    framework = framework.with_step("aggregate", method=method)
    model = _Model(values, framework, units, UncertaintySpec(weight_noise=0.5), None)
    drawn = model.weight_matrix(np.random.default_rng(5), 5)
    # when the runs are aggregated together
    vectorised = model.scores({}, drawn)
    # then each equals the single-run path (index_build with that run's weights)
    for run, row in enumerate(drawn):
        build = index_build(
            values, framework.with_weights(dict(zip(model.codes, row, strict=True))), units=units
        )
        top = build.scores[build.scores["code"] == framework.index].set_index("unit")["score"]
        np.testing.assert_allclose(
            vectorised[run], top.reindex(model.units_order).to_numpy(), rtol=0, atol=1e-12
        )


def test_rank_rows_matches_rank_scores():
    scores = np.array([[3.0, 1.0, 3.0, np.nan, 2.0], [0.5, 0.5, 0.5, 0.5, 0.5]])
    expected = [
        agg.rank_scores(pd.Series(row)).to_numpy(dtype=float, na_value=np.nan) for row in scores
    ]
    np.testing.assert_array_equal(rank_rows(scores), np.array(expected))
    np.testing.assert_array_equal(rank_rows(scores)[0], [1, 4, 1, np.nan, 3])
