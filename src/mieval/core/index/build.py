"""Build a composite index: run a framework's pipeline and rank the units.

Plain pandas/numpy, no Django. :func:`index_build` runs the steps of an
:class:`~mieval.core.index.framework.IndexDefinition` on a long ``values`` frame and returns
an :class:`IndexBuild` with every intermediate data set (COINr's ``.$Data``), the treatment
details, the weights used and the scores and ranks at every level.

Years: the pipeline runs on every year of ``values`` (cross-sectional steps year by year,
panel imputation and panel normalisation across years); the results are those of ``year``
(default: the latest year).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mieval.core.index import aggregate as agg
from mieval.core.index import steps, weights
from mieval.core.index._frames import to_long, to_wide
from mieval.core.index.framework import IndexDefinition
from mieval.core.problems import InputError, ProblemCode

SCORE_COLUMNS = ["unit", "code", "level", "score", "rank"]
STAGES = ("denominated", "screened", "imputed", "treated", "normalised", "aggregated")


@dataclass(frozen=True)
class IndexBuild:
    """The result of :func:`index_build`, all for one year.

    Attributes
    ----------
    year : int or None
        The year of the results (None when ``values`` has no ``year`` column).
    stages : dict of str to pandas.DataFrame
        Long frames ``unit, code, value`` by step, in pipeline order, among ``raw``,
        ``denominated``, ``screened``, ``imputed``, ``treated``, ``normalised``, ``aggregated``
        (only the steps the framework has, plus ``raw``).
    treat_summary, treat_flags : pandas.DataFrame or None
        See :class:`~mieval.core.index.steps.Treated` (None without a treat step).
    weights : pandas.DataFrame
        ``code, parent, weight`` actually used (after a weight step), one row per node but the
        top.
    scores : pandas.DataFrame
        ``unit, code, level, score, rank`` for every aggregate (levels >= 2), top level first,
        units by rank within a code.
    """

    year: int | None
    stages: dict[str, pd.DataFrame]
    treat_summary: pd.DataFrame | None
    treat_flags: pd.DataFrame | None
    weights: pd.DataFrame
    scores: pd.DataFrame
    ahp: dict = field(default_factory=dict)


def index_build(
    values: pd.DataFrame,
    framework: IndexDefinition,
    *,
    units: pd.DataFrame | None = None,
    year: int | None = None,
) -> IndexBuild:
    """Run the framework's pipeline on ``values`` and score and rank the units.

    Parameters
    ----------
    values : pandas.DataFrame
        Long frame ``unit, code, value`` (and ``year``) holding the indicators and the
        denominators; other codes are ignored.
    framework : IndexDefinition
        Hierarchy and steps.
    units : pandas.DataFrame, optional
        ``code`` plus attribute columns (lower-case names) used by grouping steps. When given,
        only its units are built.
    year : int, optional
        The year of the results; default the latest in ``values``.

    Returns
    -------
    IndexBuild

    Raises
    ------
    InputError
        Before any computation, naming every indicator or denominator of the framework with
        no row in ``values``; at the aggregation step, before aggregating, every aggregate
        whose geometric or harmonic mean would take a value ``<= 0``.
    """
    values_check(values, framework)
    h = framework.hierarchy
    indicators = framework.indicators
    keep = set(indicators) | set(framework.denominators)
    data = values.loc[values["code"].isin(keep), [*_keys(values), "code", "value"]].copy()
    data["value"] = data["value"].astype(float)
    if units is not None:
        data = data[data["unit"].isin(set(units["code"]))]
    has_year = "year" in data.columns
    if has_year:
        year = int(data["year"].max()) if year is None else int(year)
        if year not in set(data["year"]):
            raise ValueError(f"there are no values for the year {year}")
    stages: dict[str, pd.DataFrame] = {}
    stages["raw"] = _indicators_only(data, indicators)
    current = data if framework.step("denominate") is not None else stages["raw"]
    treat_summary = treat_flags = None
    ahp_results: dict = {}
    weight_frame = h.loc[h["parent"].notna(), ["code", "parent", "weight"]].reset_index(drop=True)
    for step in framework.steps:
        params = step.params
        if step.kind == "denominate":
            mapping = dict(zip(h["code"], h["denominator"], strict=True))
            current = steps.denominate(current, {c: mapping[c] for c in indicators})
            stages["denominated"] = current
            continue
        if step.kind == "screen":
            current = steps.screen(current, params["min_share"])
            stages["screened"] = current
        elif step.kind == "impute":
            groups = None
            if params["method"].startswith("group_"):
                groups = _groups(units, params["group"])
            current = steps.impute(current, params["method"], groups)
            stages["imputed"] = current
        elif step.kind == "treat":
            treated = steps.treat(
                current,
                winmax=params["winmax"],
                skew_thresh=params["skew_thresh"],
                kurt_thresh=params["kurt_thresh"],
                fallback=params["fallback"],
                exclude=params["exclude"],
            )
            current = treated.data
            treat_summary, treat_flags = treated.summary, treated.flags
            stages["treated"] = current
        elif step.kind == "normalise":
            current = normalise_with(current, framework, params)
            stages["normalised"] = current
        elif step.kind == "aggregate":
            weigher = _weigher(framework, ahp_results)
            used: dict[str, float] = {}

            def recording(block, parent, level, weigher=weigher, used=used):
                w = weigher(block, parent, level) if weigher is not None else None
                if w is not None:
                    used.update(w)
                return w

            found: dict = {}
            for _, part in _split_years(current):
                found.update(
                    agg.nonpositive_inputs(part, h, method=params["method"], p=params["p"])
                )
            if found:
                raise InputError(
                    agg.nonpositive_problems(
                        found,
                        params["method"],
                        lambda code, kind, message: framework.problem(code, kind, message, ""),
                    )
                )
            parts = []
            for y, part in _split_years(current):
                # data-driven weights are computed per year; those of the result year are kept
                record = not has_year or y == year
                out = agg.aggregate(
                    part,
                    h,
                    method=params["method"],
                    p=params["p"],
                    weigher=recording if record else weigher,
                )
                if has_year:
                    out.insert(0, "year", y)
                parts.append(out)
            current = pd.concat(parts, ignore_index=True)
            weight_frame["weight"] = [
                used.get(c, w)
                for c, w in zip(weight_frame["code"], weight_frame["weight"], strict=False)
            ]
            stages["aggregated"] = current
    if has_year:
        stages = {
            k: v.loc[v["year"] == year].drop(columns="year").reset_index(drop=True)
            for k, v in stages.items()
        }
        if treat_summary is not None:
            treat_summary = _year_only(treat_summary, year)
            treat_flags = _year_only(treat_flags, year)
    scores = scores_frame(stages["aggregated"], h)
    return IndexBuild(year, stages, treat_summary, treat_flags, weight_frame, scores, ahp_results)


def values_check(values: pd.DataFrame, framework: IndexDefinition) -> None:
    """Raise :class:`InputError` naming every framework code with no row in ``values``."""
    present = set(pd.unique(values["code"]))
    problems = [
        framework.problem(
            code,
            ProblemCode.UNKNOWN_CODE,
            f"{kind} '{code}' of the framework is not in the values (no row has this code)",
            "code" if kind == "indicator" else "",
        )
        for kind, codes in (
            ("indicator", framework.indicators),
            ("denominator", framework.denominators),
        )
        for code in codes
        if code not in present
    ]
    if problems:
        raise InputError(problems)


def _keys(values: pd.DataFrame) -> list[str]:
    return ["year", "unit"] if "year" in values.columns else ["unit"]


def _indicators_only(data: pd.DataFrame, indicators: list[str]) -> pd.DataFrame:
    return to_long(to_wide(data).reindex(columns=indicators))


def _year_only(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    return frame.loc[frame["year"] == year].drop(columns="year").reset_index(drop=True)


def _split_years(data: pd.DataFrame):
    if "year" not in data.columns:
        return [(None, data)]
    return [(y, part.drop(columns="year")) for y, part in data.groupby("year", sort=True)]


def _groups(units: pd.DataFrame | None, column: str) -> pd.Series:
    if units is None or column.lower() not in units.columns:
        raise ValueError(f"grouping needs the units column '{column}'")
    labels = units[column.lower()].replace("", np.nan)
    return pd.Series(labels.to_numpy(), index=units["code"].to_numpy())


def normalise_with(data: pd.DataFrame, framework: IndexDefinition, params: dict) -> pd.DataFrame:
    """:func:`steps.normalise` with the framework's directions, targets and goalposts."""
    h = framework.hierarchy
    ind = h[h["kind"] == "indicator"]
    return steps.normalise(
        data,
        params["method"],
        directions=dict(zip(ind["code"], ind["direction"], strict=True)),
        low=params["low"],
        high=params["high"],
        mean=params["mean"],
        sd=params["sd"],
        targets=dict(zip(ind["code"], ind["target"], strict=True)),
        goalposts={
            c: (lo, hi)
            for c, lo, hi in zip(ind["code"], ind["goal_low"], ind["goal_high"], strict=True)
        },
        panel=framework.panel,
    )


def _weigher(framework: IndexDefinition, ahp_results: dict):
    step = framework.step("weight")
    if step is None or step.params["method"] == "given":
        return None
    method = step.params["method"]
    levels = set(step.params["levels"])

    def weigh(block: pd.DataFrame, parent: str, level: int) -> dict[str, float] | None:
        child_level = level - 1
        if child_level not in levels:
            return None
        codes = list(block.columns)
        if method == "equal":
            frame = weights.equal_weights(codes)
        elif method == "ahp":
            spec = step.params["ahp"][parent]
            result = weights.ahp_weights(list(spec["codes"]), spec["matrix"])
            ahp_results[parent] = result
            frame = result.weights
        else:
            long = (
                block.rename_axis("unit")
                .reset_index()
                .melt(id_vars="unit", var_name="code", value_name="value")
            )
            function = {
                "entropy": weights.entropy_weights,
                "critic": weights.critic_weights,
                "pca": weights.pca_weights,
            }[method]
            frame = function(long)
        return dict(zip(frame["code"], frame["weight"], strict=True))

    return weigh


def scores_frame(
    aggregated: pd.DataFrame, hierarchy: pd.DataFrame, *, rank_decimals: int | None = None
) -> pd.DataFrame:
    """Scores and ranks of every aggregate: ``unit, code, level, score, rank``.

    Top level first (then by the hierarchy's order), units by rank (then code) within a code.
    Ranks are of the full-precision scores; ``rank_decimals`` ranks the scores rounded to that
    many decimals instead (COINr's results table ranks its 2-decimal display, so that, e.g.,
    6.6160 and 6.6189 tie there).
    """
    level = dict(zip(hierarchy["code"], hierarchy["level"], strict=True))
    order = {c: i for i, c in enumerate(hierarchy["code"])}
    aggregates = hierarchy.loc[hierarchy["kind"] == "aggregate", "code"]
    s = aggregated.loc[aggregated["code"].isin(set(aggregates))].rename(columns={"value": "score"})
    s = s.assign(level=s["code"].map(level).astype(int))
    ranked = s["score"] if rank_decimals is None else s["score"].round(rank_decimals)
    s["rank"] = ranked.groupby(s["code"]).transform(agg.rank_scores).astype("Int64")
    s = s.assign(_o=s["code"].map(order))
    s = s.sort_values(["level", "_o", "rank", "unit"], ascending=[False, True, True, True])
    return s[SCORE_COLUMNS].reset_index(drop=True)
