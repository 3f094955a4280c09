"""Uncertainty and sensitivity analysis of an index's ranks.

Plain numpy/pandas (and SALib for the Sobol design and estimators), no Django.

The uncertain inputs (COINr's ``get_sensitivity`` set-up, Saisana et al. 2005):

- ``weights``: every weight ``w`` of the levels in ``weight_levels`` becomes
  ``w (1 + u)``, ``u ~ U(-weight_noise, +weight_noise)`` independently (the nominal weights are
  those of the nominal build, after any weight step).
- ``impute``, ``normalise``, ``aggregate``: a choice among alternative methods, each equally
  likely; the lists include the nominal method (it is added when missing).

An input with no alternative (noise 0, a one-method list) is not uncertain and is left out.
Each run rebuilds the index; the pipeline up to normalisation is computed once per distinct
(impute, normalise) pair and reused. The output of a run is the rank of every unit on the top
aggregate; its scalar summary for the sensitivity analysis is the mean absolute rank shift
against the nominal ranks, ``(1/n) sum_u |r_u - r_u^nominal|``.

Conventions pinned: quantiles of ranks are numpy's default (linear interpolation, type 7 as
R's default); runs draw from ``numpy.random.default_rng(seed)``, so a seed gives the same
runs on any machine. For Sobol indices a categorical input ``u in [0, 1)`` selects alternative
``floor(u k)``; the weight input selects one of ``weight_sets`` noisy weight sets drawn in
advance (as COINr does), so every input is a single factor.

References
----------
Saisana, M., Saltelli, A., Tarantola, S. (2005). Uncertainty and sensitivity analysis
techniques as tools for the quality assessment of composite indicators. *Journal of the Royal
Statistical Society A* 168(2), 307-323.
Saltelli, A. et al. (2010). Variance based sensitivity analysis of model output. Design and
estimator for the total sensitivity index. *Computer Physics Communications* 181, 259-270.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mieval.core.index._frames import to_wide
from mieval.core.index.aggregate import AGGREGATE_P
from mieval.core.index.build import index_build
from mieval.core.index.framework import IndexDefinition

Progress = Callable[[int, int], None] | None

SUMMARY_COLUMNS = ["unit", "nominal_rank", "median_rank", "q05", "q95", "mean_rank"]
SOBOL_COLUMNS = ["input", "S1", "S1_conf", "ST", "ST_conf"]
_NEGATIVE_NORMALISATIONS = {"zscore"}


@dataclass(frozen=True)
class UncertaintySpec:
    """What is uncertain; see the module docstring."""

    weight_noise: float = 0.25
    weight_levels: tuple[int, ...] | None = None  # None: every level
    impute: tuple[str, ...] = ()
    normalise: tuple[str, ...] = ()
    aggregate: tuple[str, ...] = ()
    weight_sets: int = 100


@dataclass(frozen=True)
class UncertaintyResult:
    """The result of :func:`monte_carlo`.

    Attributes
    ----------
    summary : pandas.DataFrame
        ``unit, nominal_rank, median_rank, q05, q95, mean_rank`` on the top aggregate, sorted
        by nominal rank.
    ranks : pandas.DataFrame
        ``run, unit, rank`` of every run.
    runs : pandas.DataFrame
        ``run`` and the choice of each uncertain categorical input.
    """

    summary: pd.DataFrame
    ranks: pd.DataFrame
    runs: pd.DataFrame


class _Model:
    """The index as a function of its uncertain inputs, with cached pipelines."""

    def __init__(self, values, framework: IndexDefinition, units, spec: UncertaintySpec, year):
        self.values, self.framework, self.units, self.year = values, framework, units, year
        nominal = index_build(values, framework, units=units, year=year)
        self.nominal_build = nominal
        top = nominal.scores[nominal.scores["code"] == framework.index]
        self.units_order = top.sort_values("unit")["unit"].tolist()
        self.nominal_rank = (
            top.set_index("unit")["rank"].reindex(self.units_order).to_numpy(dtype=float)
        )
        h = framework.hierarchy
        self.parents = [
            (code, h.loc[h["parent"] == code, "code"].tolist())
            for code in h.loc[h["kind"] == "aggregate"].sort_values("level", kind="stable")["code"]
        ]
        self.levels = dict(zip(h["code"], h["level"], strict=True))
        self.weights = dict(zip(nominal.weights["code"], nominal.weights["weight"], strict=True))
        step = {s.kind: s.params for s in framework.steps}
        nominal_choice = {
            "impute": step.get("impute", {}).get("method"),
            "normalise": step["normalise"]["method"],
            "aggregate": step["aggregate"]["method"],
        }
        self.choices: dict[str, list[str]] = {}
        for name in ("impute", "normalise", "aggregate"):
            options = list(dict.fromkeys([nominal_choice[name], *getattr(spec, name)]))
            options = [o for o in options if o is not None]
            if name == "impute" and "impute" not in step and getattr(spec, name):
                raise ValueError("imputation alternatives need an impute step in the framework")
            if len(options) > 1:
                self.choices[name] = options
        self.nominal_choice = nominal_choice
        aggs = self.choices.get("aggregate", [nominal_choice["aggregate"]])
        norms = self.choices.get("normalise", [nominal_choice["normalise"]])
        if set(norms) & _NEGATIVE_NORMALISATIONS and any(a != "arithmetic" for a in aggs):
            raise ValueError(
                "z-scores are negative: they cannot be aggregated by geometric or harmonic means"
            )
        self.p_nominal = step["aggregate"]["p"]
        self.spec = spec
        self.noisy_levels = set(spec.weight_levels or range(1, framework.max_level))
        self.noisy = spec.weight_noise > 0
        self._cache: dict[tuple, np.ndarray] = {}
        self._indicators = framework.indicators

    @property
    def inputs(self) -> list[str]:
        return (["weights"] if self.noisy else []) + list(self.choices)

    def draw_weights(self, rng: np.random.Generator) -> dict[str, float]:
        out = {}
        for code, w in self.weights.items():
            if self.levels[code] in self.noisy_levels:
                w = w * (1 + rng.uniform(-self.spec.weight_noise, self.spec.weight_noise))
            out[code] = w
        return out

    def normalised(self, impute: str | None, normalise: str) -> np.ndarray:
        key = (impute, normalise)
        if key not in self._cache:
            fw = self.framework
            if impute is not None and impute != self.nominal_choice["impute"]:
                fw = fw.with_step("impute", method=impute)
            if normalise != self.nominal_choice["normalise"]:
                fw = fw.with_step("normalise", method=normalise)
            build = index_build(self.values, fw, units=self.units, year=self.year)
            wide = to_wide(build.stages["normalised"], self._indicators)
            self._cache[key] = wide.reindex(self.units_order).to_numpy(dtype=float)
        return self._cache[key]

    def weight_matrix(self, rng: np.random.Generator, runs: int) -> np.ndarray:
        """``runs`` noisy weight sets at once: (runs, nodes), columns in :attr:`codes`."""
        w = np.tile(np.array([self.weights[c] for c in self.codes]), (runs, 1))
        noisy = [i for i, c in enumerate(self.codes) if self.levels[c] in self.noisy_levels]
        if self.noisy and noisy:
            u = rng.uniform(-self.spec.weight_noise, self.spec.weight_noise, (runs, len(noisy)))
            w[:, noisy] *= 1 + u
        return w

    @property
    def codes(self) -> list[str]:
        return list(self.weights)

    def scores(self, choice: dict[str, str], weights: np.ndarray) -> np.ndarray:
        """Top-aggregate scores (runs, units) for weight sets (runs, nodes) of :attr:`codes`.

        Level by level: the indicators' block is one matrix product with the weight sets,
        higher levels a product per run (``einsum``); the same power means as
        :func:`~mieval.core.index.aggregate.generalised_mean`, missing values dropping
        out.
        """
        x = self.normalised(
            choice.get("impute", self.nominal_choice["impute"]),
            choice.get("normalise", self.nominal_choice["normalise"]),
        )
        method = choice.get("aggregate", self.nominal_choice["aggregate"])
        p = AGGREGATE_P.get(method, self.p_nominal)
        column = {c: i for i, c in enumerate(self.codes)}
        values: dict[str, np.ndarray] = {c: x[:, i] for i, c in enumerate(self._indicators)}
        for parent, kids in self.parents:
            w = weights[:, [column[k] for k in kids]]
            shared = all(values[k].ndim == 1 for k in kids)
            if shared:
                block = np.column_stack([values[k] for k in kids])  # (units, kids)
            else:
                runs = len(weights)
                block = np.stack(
                    [np.broadcast_to(values[k], (runs, x.shape[0])) for k in kids], axis=-1
                )  # (runs, units, kids)
            values[parent] = _power_mean(block, w, p, shared)
        top = values[self.framework.index]
        return np.broadcast_to(top, (len(weights), x.shape[0]))

    def ranks(self, choice: dict[str, str], weights: dict[str, float]) -> np.ndarray:
        w = np.array([[weights[c] for c in self.codes]])
        return rank_rows(self.scores(choice, w))[0]


def _power_mean(block: np.ndarray, w: np.ndarray, p: float, shared: bool) -> np.ndarray:
    """Row-wise weighted power mean for many weight sets: (runs, units)."""
    present = ~np.isnan(block)
    xs = np.where(present, block, 1.0)
    if p != 1 and (xs < 0).any():
        raise ValueError("geometric, harmonic and generalised means need values >= 0")
    zero = (xs == 0) & present
    with np.errstate(divide="ignore", invalid="ignore"):
        if p == 1:
            t = xs
        elif p == 0:
            t = np.log(np.where(xs > 0, xs, 1.0))
        elif p < 0:
            t = np.where(xs > 0, xs, 1.0) ** p
        else:
            t = xs**p
    t = np.where(present, t, 0.0)
    positive = (w > 0).astype(float)
    if shared:
        num = w @ t.T
        total = w @ present.T.astype(float)
        has_zero = (positive @ zero.T.astype(float)) > 0
    else:
        num = np.einsum("ruk,rk->ru", t, w)
        total = np.einsum("ruk,rk->ru", present.astype(float), w)
        has_zero = np.einsum("ruk,rk->ru", zero.astype(float), positive) > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = num / total
        if p == 1:
            out = mean
        elif p == 0:
            out = np.where(has_zero, 0.0, np.exp(mean))
        elif p < 0:
            out = np.where(has_zero, 0.0, mean ** (1 / p))
        else:
            out = mean ** (1 / p)
    return np.where(total > 0, out, np.nan)


def rank_rows(scores: np.ndarray) -> np.ndarray:
    """Ranks within each row, as :func:`~mieval.core.index.aggregate.rank_scores`.

    1 the highest score, ties share the smallest rank (``min``), NaN gets NaN; by one argsort
    along the rows.
    """
    runs, n = scores.shape
    key = np.where(np.isnan(scores), np.inf, -scores)
    order = np.argsort(key, axis=1, kind="stable")
    ordered = np.take_along_axis(key, order, axis=1)
    position = np.broadcast_to(np.arange(n), (runs, n))
    new = np.ones((runs, n), dtype=bool)
    new[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    first = np.maximum.accumulate(np.where(new, position, 0), axis=1) + 1.0
    first[np.isinf(ordered)] = np.nan
    out = np.empty((runs, n))
    np.put_along_axis(out, order, first, axis=1)
    return out


#: Runs aggregated together: bounds the (runs, units, children) blocks to a few tens of MB.
CHUNK = 2000


def monte_carlo(
    values: pd.DataFrame,
    framework: IndexDefinition,
    spec: UncertaintySpec,
    *,
    units: pd.DataFrame | None = None,
    year: int | None = None,
    runs: int = 1000,
    seed: int = 0,
    progress: Progress = None,
) -> UncertaintyResult:
    """Monte Carlo uncertainty analysis of the ranks on the top aggregate.

    Each run draws every uncertain input independently (module docstring) and ranks the units
    on the rebuilt index. The runs are computed together: all weight sets are drawn as one
    (runs x weights) array, then, for each combination of the categorical inputs, the
    normalised data (computed once per imputation and normalisation) are aggregated level by
    level with matrix products, in chunks of :data:`CHUNK` runs, and ranked with one argsort.
    The scores equal those of :func:`~mieval.core.index.build.index_build` with the same
    weights (tested to 1e-12). Draws: the weight noise first (runs x noisy weights), then each
    categorical input (runs); ``progress(done, total)`` is called for every run, chunk by
    chunk.

    Returns
    -------
    UncertaintyResult
        Median rank and the 5-95% interval of each unit's rank over the runs.
    """
    model = _Model(values, framework, units, spec, year)
    rng = np.random.default_rng(seed)
    weights = model.weight_matrix(rng, runs)
    picks = {name: rng.integers(len(options), size=runs) for name, options in model.choices.items()}
    ranks = np.empty((runs, len(model.units_order)))
    names = list(model.choices)
    combos = np.stack([picks[n] for n in names], axis=1) if names else np.zeros((runs, 0), int)
    done = 0
    for combo in np.unique(combos, axis=0):
        which = np.flatnonzero((combos == combo).all(axis=1))
        choice = {n: model.choices[n][i] for n, i in zip(names, combo, strict=True)}
        for start in range(0, len(which), CHUNK):
            rows = which[start : start + CHUNK]
            ranks[rows] = rank_rows(model.scores(choice, weights[rows]))
            if progress is not None:
                for _ in rows:
                    done += 1
                    progress(done, runs)
    chosen = pd.DataFrame({"run": np.arange(runs)})
    for n in names:
        chosen[n] = np.array(model.choices[n], dtype=object)[picks[n]]
    q05, median, q95 = np.quantile(ranks, [0.05, 0.5, 0.95], axis=0)
    summary = pd.DataFrame(
        {
            "unit": model.units_order,
            # Int64: a unit without a score of the year (panel mode) has no rank
            "nominal_rank": pd.Series(model.nominal_rank).astype("Int64").array,
            "median_rank": median,
            "q05": q05,
            "q95": q95,
            "mean_rank": ranks.mean(axis=0),
        }
    ).sort_values(["nominal_rank", "unit"], ignore_index=True)
    long = pd.DataFrame(
        {
            "run": np.repeat(np.arange(runs), len(model.units_order)),
            "unit": np.tile(model.units_order, runs),
            "rank": pd.Series(ranks.ravel()).astype("Int64").array,
        }
    )
    return UncertaintyResult(summary, long, chosen)


def sobol_indices(
    function: Callable[[np.ndarray], np.ndarray],
    names: list[str],
    bounds: list[tuple[float, float]],
    *,
    n: int = 512,
    seed: int = 0,
) -> pd.DataFrame:
    """First-order and total Sobol indices of a scalar model by Saltelli's design.

    ``function`` maps a sample matrix (rows: points, columns: ``names``) to the outputs. The
    design is SALib's Saltelli/Sobol' sequence sampler (``n (D + 2)`` points, ``n`` a power
    of 2) and the estimators SALib's ``sobol.analyze`` (Saltelli et al. 2010; Jansen 1999 for
    the total index), with bootstrap 95% confidence half-widths.

    Returns
    -------
    pandas.DataFrame
        ``input, S1, S1_conf, ST, ST_conf``, one row per input.
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": len(names), "names": list(names), "bounds": [list(b) for b in bounds]}
    x = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    y = np.asarray(function(x), dtype=float)
    result = sobol_analyze.analyze(
        problem, y, calc_second_order=False, seed=seed, print_to_console=False
    )
    return pd.DataFrame(
        {
            "input": list(names),
            "S1": result["S1"],
            "S1_conf": result["S1_conf"],
            "ST": result["ST"],
            "ST_conf": result["ST_conf"],
        }
    )


def index_sensitivity(
    values: pd.DataFrame,
    framework: IndexDefinition,
    spec: UncertaintySpec,
    *,
    units: pd.DataFrame | None = None,
    year: int | None = None,
    n: int = 256,
    seed: int = 0,
    progress: Progress = None,
) -> pd.DataFrame:
    """Sobol indices of the mean absolute rank shift to each uncertain input.

    Returns
    -------
    pandas.DataFrame
        ``input, S1, S1_conf, ST, ST_conf`` (:func:`sobol_indices`); inputs among ``weights``,
        ``impute``, ``normalise``, ``aggregate``.
    """
    model = _Model(values, framework, units, spec, year)
    names = model.inputs
    if not names:
        raise ValueError("nothing is uncertain: give weight noise or alternative methods")
    rng = np.random.default_rng(seed)
    weight_sets = [model.draw_weights(rng) for _ in range(spec.weight_sets)]

    def evaluate(x: np.ndarray) -> np.ndarray:
        out = np.empty(len(x))
        for i, point in enumerate(x):
            factors = dict(zip(names, point, strict=True))
            weights = model.weights
            if "weights" in factors:
                weights = weight_sets[_pick(factors.pop("weights"), len(weight_sets))]
            choice = {
                k: model.choices[k][_pick(u, len(model.choices[k]))] for k, u in factors.items()
            }
            out[i] = np.mean(np.abs(model.ranks(choice, weights) - model.nominal_rank))
            if progress is not None:
                progress(i + 1, len(x))
        return out

    return sobol_indices(evaluate, names, [(0.0, 1.0)] * len(names), n=n, seed=seed)


def _pick(u: float, k: int) -> int:
    return min(int(u * k), k - 1)
