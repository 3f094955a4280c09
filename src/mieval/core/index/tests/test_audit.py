"""The statistical audit, each figure against an independent reference named beside it.

- Correlations: ``scipy.stats.pearsonr`` and ``scipy.stats.spearmanr`` on the units where both
  are present, on the ASEM build (COINr's example) with and without its imputation step.
- Cronbach's alpha: the textbook formula ``k/(k-1) (1 - sum_i var(X_i) / var(sum_i X_i))``
  (Cronbach 1951) computed here from the row sums (pingouin is not installed; its
  ``cronbach_alpha`` is this formula on complete data).
- PCA: ``numpy.linalg.svd`` of the standardised children (an SVD, not an eigen-decomposition).
- Correlation ratio: a linear aggregate of independent uniforms (``w_i^2 / sum_j w_j^2``) and
  the Ishigami function's first-order indices for a = 7, b = 0.1 (S1 = 0.3139, S2 = 0.4424,
  S3 = 0; Ishigami & Homma 1990, the values as in Saltelli et al. 2008, *Global Sensitivity
  Analysis: The Primer*, and SALib's ``ishigami``), within stated tolerances.
- Removal: :func:`index_build` run again with that weight set to 0.
"""

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from mieval.core.index import audit
from mieval.core.index.build import index_build
from mieval.core.index.framework import framework_parse, framework_read

ROOT = Path(__file__).resolve().parents[5]
EXAMPLE = ROOT / "examples" / "coinr-asem"


def _asem_values() -> pd.DataFrame:
    values = pd.read_csv(EXAMPLE / "values.csv")
    return values.rename(columns={"base_code": "unit", "indicator_code": "code"})


@pytest.fixture(scope="module")
def framework():
    return framework_read(EXAMPLE / "framework.toml")


@pytest.fixture(scope="module")
def units():
    return pd.read_csv(EXAMPLE / "units.csv")


@pytest.fixture(scope="module")
def build(framework, units):
    return index_build(_asem_values(), framework, units=units)


@pytest.fixture(scope="module")
def asem(build, framework):
    return audit.index_audit(build, framework)


@pytest.fixture(scope="module")
def wide(build):
    return build.stages["aggregated"].pivot(index="unit", columns="code", values="value")


def _children(framework, parent):
    h = framework.hierarchy
    return h.loc[h["parent"] == parent, "code"].tolist()


# --- correlations ----------------------------------------------------------------------------


def test_correlations_equal_scipy_on_the_asem_build(asem, wide, framework):
    # given the ASEM build; when audited; then every pair's r and rho are SciPy's
    table = asem.correlations
    pairs = sum(len(k) * (len(k) - 1) // 2 + len(k) for k in map(
        lambda p: _children(framework, p), framework.aggregates))  # fmt: skip
    assert len(table) == pairs == 213
    for row in table.itertuples(index=False):
        assert row.n == 51
        assert row.pearson == pytest.approx(stats.pearsonr(wide[row.a], wide[row.b])[0], abs=1e-12)
        assert row.spearman == pytest.approx(
            stats.spearmanr(wide[row.a], wide[row.b])[0], abs=1e-12
        )


def test_correlations_order_pairs_then_children_with_the_parent(asem):
    physical = asem.correlations[asem.correlations["parent"] == "Physical"]
    assert list(physical[["a", "b"]].itertuples(index=False, name=None))[:2] == [
        ("LPI", "Flights"),
        ("LPI", "Ship"),
    ]
    assert physical["b"].tolist()[-8:] == ["Physical"] * 8
    assert asem.correlations["parent"].iloc[-1] == "Index"


def test_pairwise_deletion_without_imputation_equals_scipy_on_complete_pairs(framework, units):
    # given the ASEM framework without its impute step (63 raw gaps stay missing)
    steps = tuple(s for s in framework.steps if s.kind != "impute")
    unimputed = dataclasses.replace(framework, steps=steps)
    build = index_build(_asem_values(), unimputed, units=units)
    wide = build.stages["aggregated"].pivot(index="unit", columns="code", values="value")
    # when audited
    table = audit.correlation_table(wide, framework.hierarchy)
    # then each pair uses the units where both are present, and r is SciPy's on those
    short = table[table["n"] < 51]
    assert len(short) > 0
    for row in table.itertuples(index=False):
        both = wide[[row.a, row.b]].dropna()
        assert row.n == len(both)
        assert row.pearson == pytest.approx(stats.pearsonr(both[row.a], both[row.b])[0], abs=1e-12)
        assert row.spearman == pytest.approx(
            stats.spearmanr(both[row.a], both[row.b])[0], abs=1e-12
        )


# --- Cronbach's alpha ------------------------------------------------------------------------


def _alpha_textbook(block: pd.DataFrame) -> float:
    k = block.shape[1]
    item_variances = block.var(ddof=1).sum()
    total_variance = block.sum(axis=1).var(ddof=1)
    return k / (k - 1) * (1 - item_variances / total_variance)


def test_cronbach_alpha_equals_the_textbook_formula_on_the_asem_build(asem, wide, framework):
    table = asem.cronbach.set_index("code")
    assert list(table.index) == [
        "Physical", "ConEcFin", "Political", "Instit", "P2P", "Environ", "Social", "SusEcFin",
        "Conn", "Sust", "Index",
    ]  # fmt: skip
    for code in table.index:
        kids = _children(framework, code)
        assert table.at[code, "n_children"] == len(kids)
        assert table.at[code, "alpha"] == pytest.approx(_alpha_textbook(wide[kids]), abs=1e-12)
    # SusEcFin's children work against each other: alpha is negative
    assert table.at["SusEcFin", "alpha"] < 0


def test_cronbach_alpha_of_a_known_small_table():
    # given three items whose textbook alpha is worked by hand: variances 1, 1, 1 (ddof 1) and
    # the total's variance 7 (items perfectly correlated pairwise except one), so
    # alpha = 3/2 (1 - 3/7) = 6/7
    hierarchy = framework_parse(_TOML_THREE).hierarchy
    block = pd.DataFrame(
        {"x": [0.0, 1.0, 2.0], "y": [0.0, 1.0, 2.0], "z": [1.0, 0.0, 2.0]},
        index=pd.Index(["u1", "u2", "u3"], name="unit"),
    )
    # totals 1, 2, 6: mean 3, var ((4 + 1 + 9) / 2) = 7
    block["T"] = block.mean(axis=1)
    table = audit.cronbach_table(block, hierarchy)
    assert table.to_dict("records") == [
        {"code": "T", "alpha": pytest.approx(6 / 7, abs=1e-15), "n_children": 3}
    ]


_TOML_THREE = """
index = "T"
[[indicator]]
code = "x"
parent = "T"
[[indicator]]
code = "y"
parent = "T"
[[indicator]]
code = "z"
parent = "T"
[[aggregate]]
code = "T"
[[step]]
kind = "normalise"
[[step]]
kind = "aggregate"
"""


# --- PCA -------------------------------------------------------------------------------------


def test_pca_equals_an_svd_of_the_standardised_children(asem, wide, framework):
    table = asem.pca.set_index("code")
    for code in table.index:
        kids = _children(framework, code)
        x = wide[kids].to_numpy()
        z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
        _, s, vt = np.linalg.svd(z, full_matrices=False)
        first = vt[0] if vt[0].sum() > 0 else -vt[0]
        assert table.at[code, "first_share"] == pytest.approx(s[0] ** 2 / (s**2).sum(), abs=1e-12)
        loadings = table.at[code, "loadings"]
        assert list(loadings) == kids
        np.testing.assert_allclose(list(loadings.values()), first, atol=1e-10)
        assert sum(v**2 for v in loadings.values()) == pytest.approx(1.0, abs=1e-12)


# --- the correlation ratio -------------------------------------------------------------------


def test_correlation_ratio_of_a_linear_aggregate_of_independent_uniforms():
    # given Y = 1 X1 + 2 X2 + 3 X3 with X_i ~ U(0, 1) independent (equal variances)
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(10_000, 3))
    w = np.array([1.0, 2.0, 3.0])
    y = x @ w
    # when the correlation ratios are estimated; then they are w_i^2 / sum w_j^2 = 1/14,
    # 4/14, 9/14 within 0.02 (the estimator's sampling error at n = 10 000 is about 0.01)
    ratios = [audit.correlation_ratio(x[:, i], y) for i in range(3)]
    np.testing.assert_allclose(ratios, [1 / 14, 4 / 14, 9 / 14], atol=0.02)


def test_correlation_ratio_of_the_ishigami_function():
    # given the Ishigami function, a = 7, b = 0.1, X_i ~ U(-pi, pi), n = 20 000
    rng = np.random.default_rng(0)
    x = rng.uniform(-np.pi, np.pi, size=(20_000, 3))
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    # then the first-order indices S1 = 0.3139, S2 = 0.4424, S3 = 0 within 0.015 (at this n
    # ten seeds stayed within 0.01 of the known values)
    ratios = [audit.correlation_ratio(x[:, i], y) for i in range(3)]
    np.testing.assert_allclose(ratios, [0.3139, 0.4424, 0.0], atol=0.015)


def test_correlation_ratio_of_few_distinct_values_is_pearsons_group_means():
    # given x with two values: groups {1, 2, 3} and {7, 8, 9}; E[Y|X] = 2 and 8, mean 5
    x = np.array([0.0, 0.0, 0.0, 1.0, 1.0, 1.0])
    y = np.array([1.0, 2.0, 3.0, 7.0, 8.0, 9.0])
    # Var(E[Y|X]) = 9; Var(Y) = (16 + 9 + 4 + 4 + 9 + 16) / 6 = 58 / 6
    assert audit.correlation_ratio(x, y) == pytest.approx(9 / (58 / 6), abs=1e-14)


def test_correlation_ratio_is_nan_for_a_constant_or_too_few():
    assert math.isnan(audit.correlation_ratio([1.0, 1.0, 1.0, 1.0, 1.0], [1, 2, 3, 4, 5]))
    assert math.isnan(audit.correlation_ratio([1.0, 2.0, 3.0], [1, 2, 3]))
    assert math.isnan(audit.correlation_ratio([1.0, 2.0, 3.0, 4.0, np.nan], [1, 2, 3, np.nan, 5]))


def test_main_effects_shares_beside_rescaled_weights(asem, wide):
    table = asem.main_effects
    assert len(table) == 59
    for _, part in table.groupby("parent"):
        assert part["nominal_weight"].sum() == pytest.approx(1.0, abs=1e-12)
        assert part["importance_share"].sum() == pytest.approx(1.0, abs=1e-12)
    conn = table[table["parent"] == "Conn"].set_index("code")
    assert conn["nominal_weight"].tolist() == [0.2] * 5
    # each ratio is the estimator's on that child and its parent
    for code in ("Physical", "Instit"):
        expected = audit.correlation_ratio(wide[code].to_numpy(), wide["Conn"].to_numpy())
        assert conn.at[code, "correlation_ratio"] == pytest.approx(expected, rel=1e-8)


# --- removal ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["LPI", "Goods", "Physical", "Sust"])
def test_removal_equals_rebuilding_with_the_weight_zero(asem, build, framework, units, code):
    # given the nominal ranks and a rebuild with the node's weight set to 0
    nominal = build.scores[build.scores["code"] == "Index"].set_index("unit")["rank"]
    rebuilt = index_build(_asem_values(), framework.with_weights({code: 0.0}), units=units)
    changed = rebuilt.scores[rebuilt.scores["code"] == "Index"].set_index("unit")["rank"]
    d = (changed.loc[nominal.index] - nominal).abs().astype(float)
    # then the audit's mean and max absolute rank change are the rebuild's
    row = asem.removal.set_index("code").loc[code]
    assert row["mean_abs_rank_change"] == pytest.approx(d.mean(), abs=1e-12)
    assert row["max_abs_rank_change"] == d.max()


def test_removal_covers_every_node_below_the_index(asem, framework):
    assert asem.removal["code"].tolist() == [c for c in framework.hierarchy["code"] if c != "Index"]


# --- flags -----------------------------------------------------------------------------------

_TOML_FLAGS = """
index = "T"
[[indicator]]
code = "a"
parent = "A"
[[indicator]]
code = "b"
parent = "A"
[[indicator]]
code = "c"
parent = "A"
[[indicator]]
code = "d"
parent = "B"
[[indicator]]
code = "e"
parent = "B"
[[aggregate]]
code = "A"
parent = "T"
[[aggregate]]
code = "B"
parent = "T"
[[aggregate]]
code = "T"
[[step]]
kind = "normalise"
[[step]]
kind = "aggregate"
"""


def test_flags_name_negative_weak_redundant_pca_and_importance():
    # given: a and b nearly equal (redundant), c against them (negative, loads against);
    # d and e unrelated (weak), e with a twentieth of d's spread (it barely moves B)
    framework = framework_parse(_TOML_FLAGS)
    rng = np.random.default_rng(3)
    n = 200
    base = rng.uniform(size=n)
    columns = {
        "a": base,
        "b": base + 0.01 * rng.uniform(size=n),
        "c": 1 - base + 0.3 * rng.uniform(size=n),
        "d": rng.uniform(size=n),
        "e": 0.5 + 0.05 * rng.uniform(size=n),
    }
    wide = pd.DataFrame(columns, index=pd.Index([f"u{i}" for i in range(n)], name="unit"))
    weights = dict.fromkeys(["a", "b", "c", "d", "e", "A", "B"], 1.0)
    scores = audit._aggregate_all(
        {k: wide[k].to_numpy() for k in columns}, audit._children(framework.hierarchy), weights, 1
    )
    for code in ("A", "B", "T"):
        wide[code] = scores[code]
    correlations = audit.correlation_table(wide, framework.hierarchy)
    pca = audit.pca_table(wide, framework.hierarchy)
    effects = audit.main_effects_table(wide, framework.hierarchy, weights)
    # when flagged
    flags = audit.audit_flags(correlations, pca, effects)
    found = {(f.kind, f.parent, f.code, f.other) for f in flags.itertuples(index=False)}
    # then
    assert (
        "redundant",
        "A",
        "a",
        "b",
    ) in found
    assert ("negative", "A", "a", "c") in found
    assert ("negative", "A", "b", "c") in found
    assert ("weak", "B", "d", "e") in found
    assert ("loads_against", "A", "c", None) in found
    # two unrelated children: lambda_1 = 1 + |r|, about half the variance
    assert ("low_first_share", "B", "B", None) in found
    assert ("low_first_share", "A", "A", None) not in found
    # e drives B much less than its half of the weight; c, against A, still drives it (the
    # correlation ratio has no sign)
    assert ("low_importance", "B", "e", None) in found
    assert ("low_importance", "A", "c", None) not in found
    assert all(k != "redundant" or o != p for k, p, _, o in found)


# --- panel data ------------------------------------------------------------------------------


def _panel_values() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    rows = []
    for year in (2016, 2017, 2018):
        for i in range(30):
            base = rng.uniform()
            drift = (year - 2016) * 0.4
            values = {
                "a": base + 0.2 * rng.uniform(),
                "b": base * (1 - drift) + drift * rng.uniform(),
                "c": rng.uniform(),
                "d": rng.uniform(),
                "e": rng.uniform(),
            }
            rows += [(year, f"u{i:02d}", c, v) for c, v in values.items()]
    return pd.DataFrame(rows, columns=["year", "unit", "code", "value"])


def test_panel_audit_gives_every_year_and_the_changes_of_the_correlations():
    framework = framework_parse(_TOML_FLAGS)
    values = _panel_values()
    # when audited year by year
    panel = audit.panel_audit(values, framework)
    document = audit.audit_document(panel[2018], panel)
    # then each year's section is the audit of that year's build
    assert sorted(document["years"]) == ["2016", "2017", "2018"]
    for year in (2016, 2017, 2018):
        alone = audit.index_audit(index_build(values, framework, year=year), framework)
        assert document["years"][str(year)] == audit.audit_section(alone)
    assert {k: document[k] for k in audit.CONTRACT_KEYS} == {
        k: document["years"]["2018"][k] for k in audit.CONTRACT_KEYS
    }
    # and the correlation of a and b falls as b drifts away
    change = next(c for c in document["correlation_changes"] if (c["a"], c["b"]) == ("a", "b"))
    by_year = {
        y: r["pearson"]
        for y, s in document["years"].items()
        for r in s["correlations"]
        if (r["a"], r["b"]) == ("a", "b")
    }
    assert change["pearson"] == by_year
    assert change["change"] == pytest.approx(by_year["2018"] - by_year["2016"], abs=1e-15)
    assert change["change"] < -0.5
    assert change["range"] == pytest.approx(max(by_year.values()) - min(by_year.values()))


# --- weights optimisation --------------------------------------------------------------------


def test_optimised_weights_deliver_equal_importance_for_unequal_spreads():
    # given Y = w1 X1 + w2 X2, X1 ~ U(0, 1), X2 ~ U(0, 2) independent: eta_i^2 is proportional
    # to w_i^2 Var(X_i), so equal importance needs w1 = 2 w2, i.e. w = (2/3, 1/3)
    framework = framework_parse(_TOML_TWO)
    rng = np.random.default_rng(11)
    n = 4000
    wide = pd.DataFrame(
        {"x": rng.uniform(size=n), "y": 2 * rng.uniform(size=n)},
        index=pd.Index([f"u{i}" for i in range(n)], name="unit"),
    )
    wide["T"] = wide.mean(axis=1)
    weights = {"x": 1.0, "y": 1.0}
    # when optimised towards the nominal (equal) shares
    table = audit.weights_optimise(wide, framework.hierarchy, weights).set_index("code")
    # then the proposal is (2/3, 1/3) within 0.03 and its shares near 1/2; nominal unchanged
    assert table["nominal_weight"].tolist() == [0.5, 0.5]
    np.testing.assert_allclose(table["optimised_weight"], [2 / 3, 1 / 3], atol=0.03)
    np.testing.assert_allclose(table["importance_share"], [0.5, 0.5], atol=0.03)


_TOML_TWO = """
index = "T"
[[indicator]]
code = "x"
parent = "T"
[[indicator]]
code = "y"
parent = "T"
[[aggregate]]
code = "T"
[[step]]
kind = "normalise"
[[step]]
kind = "aggregate"
"""


# --- the document ----------------------------------------------------------------------------


def test_document_keys_exactly_as_design(asem):
    document = json.loads(json.dumps(audit.audit_document(asem)))
    assert list(document) == [
        "year", "correlations", "cronbach", "pca", "main_effects", "removal", "flags",
    ]  # fmt: skip
    assert document["year"] == 2018
    assert list(document["correlations"][0]) == ["parent", "a", "b", "pearson", "spearman"]
    assert list(document["cronbach"][0]) == ["code", "alpha", "n_children"]
    assert list(document["pca"][0]) == ["code", "first_share", "loadings"]
    assert list(document["main_effects"][0]) == [
        "code", "parent", "nominal_weight", "correlation_ratio", "importance_share",
    ]  # fmt: skip
    assert list(document["removal"][0]) == ["code", "mean_abs_rank_change", "max_abs_rank_change"]
    assert list(document["flags"][0]) == ["kind", "parent", "code", "other", "value"]
    assert isinstance(document["cronbach"][0]["n_children"], int)


def test_the_asem_audit_json_in_examples_is_current(asem):
    # the file is generated by `mieval index ... --audit examples/coinr-asem/audit.json`
    stored = json.loads((EXAMPLE / "audit.json").read_text(encoding="utf-8"))
    fresh = json.loads(json.dumps(audit.audit_document(asem)))
    assert _approx_tree(stored) == fresh


def _approx_tree(value):
    if isinstance(value, dict):
        return {k: _approx_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_approx_tree(v) for v in value]
    if isinstance(value, float):
        # the spline fits' conditioning (about 1e5) leaves the last 6 digits to rounding
        return pytest.approx(value, rel=1e-8, abs=1e-12)
    return value
