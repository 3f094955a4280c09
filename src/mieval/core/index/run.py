"""One composite-index run on a campaign's frames: build, peer-group ranks, Monte Carlo ranks,
sensitivity. Plain pandas, no Django; ``tasks.index_run`` reads the frames and stores this.

The values are the campaign's long frame ``base_code, indicator_code, year, value``; the bases
those of one category (``code, subcategory`` at least). Peer groups are subcategories.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from mieval.core.index import IndexDefinition, index_build
from mieval.core.index import audit as index_audit
from mieval.core.index._frames import to_wide
from mieval.core.index.aggregate import rank_scores
from mieval.core.index.results import group_ranks
from mieval.core.index.uncertainty import UncertaintySpec, index_sensitivity, monte_carlo
from mieval.core.problems import InputError

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class IndexRunResult:
    scores: pd.DataFrame  # unit, code, level, score, rank, group_rank, group_size,
    # median_rank, q05, q95 (the last three on the top aggregate only)
    inputs: dict  # {unit: {indicator: raw value of the year or None}}
    normalised: dict  # {unit: {indicator: normalised value or None}}
    dimensions: list  # aggregate codes, top first
    weights: dict  # {code: weight}
    sensitivity: list  # rows input, S1, S1_conf, ST, ST_conf
    input_hash: str
    audit: dict = field(default_factory=dict)  # audit.audit_document (every year of the data)


def _clean(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def values_hash(values: pd.DataFrame) -> str:
    """SHA-256 of the values (``unit, code, year, value``) in a canonical order and notation."""
    rows = sorted(
        (str(u), str(c), int(y), repr(float(v)))
        for u, c, y, v in values[["unit", "code", "year", "value"]].itertuples(index=False)
    )
    return hashlib.sha256(json.dumps(rows, separators=(",", ":")).encode()).hexdigest()


def index_run_compute(
    values: pd.DataFrame,
    bases: pd.DataFrame,
    framework: IndexDefinition,
    *,
    year: int,
    runs: int = 0,
    noise: float = 0.0,
    seed: int = 0,
    sensitivity: bool = False,
    alt_aggregation: bool = False,
    sensitivity_n: int = 64,
    audit: bool = True,
    progress: Progress | None = None,
) -> IndexRunResult:
    def report(fraction: float, message: str) -> None:
        if progress is not None:
            progress(fraction, message)

    wanted = set(framework.indicators) | set(framework.denominators)
    data = values.rename(columns={"base_code": "unit", "indicator_code": "code"})
    data = data.loc[data["unit"].isin(set(bases["code"])) & data["code"].isin(wanted)]
    data = data.dropna(subset=["value"]).reset_index(drop=True)
    # A base without any value of the year is not scored (the engine would carry it unranked,
    # and the Monte Carlo ranks need every unit scored).
    reported = set(data.loc[data["year"] == year, "unit"])
    if not reported:
        raise ValueError(f"no base of the category has a value of the index's indicators in {year}")
    # Panel mode: the normalisation bounds are over every year and every base with a value,
    # whichever year is scored, so that the runs of different years compare; the bases without
    # a value of the year are dropped from the results afterwards.
    built = set(data["unit"]) if framework.panel else reported
    units = bases.loc[bases["code"].isin(built)].reset_index(drop=True)
    report(0.05, "build")
    build = index_build(data, framework, units=units, year=year)
    groups = pd.Series(units["subcategory"].to_numpy(), index=units["code"].to_numpy())
    top_scores = build.scores
    if framework.panel:
        top_scores = top_scores.loc[top_scores["unit"].isin(reported)].copy()
        top_scores["rank"] = (
            top_scores.groupby("code", sort=False)["score"].transform(rank_scores).astype("Int64")
        )
    ranked = group_ranks(top_scores, groups)
    scores = top_scores.merge(
        ranked[["unit", "code", "group_rank", "group_size"]], on=["unit", "code"], how="left"
    )
    spec = UncertaintySpec(weight_noise=noise, aggregate=("geometric",) if alt_aggregation else ())
    mc = None
    if runs > 0:
        mc = monte_carlo(
            data,
            framework,
            spec,
            units=units,
            year=year,
            runs=runs,
            seed=seed,
            progress=lambda done, total: report(0.1 + 0.6 * done / total, "monte_carlo"),
        )
        summary = mc.summary[["unit", "median_rank", "q05", "q95"]].assign(code=framework.index)
        scores = scores.merge(summary, on=["unit", "code"], how="left")
    else:
        scores = scores.assign(median_rank=math.nan, q05=math.nan, q95=math.nan)
    scores = scores.loc[scores["unit"].isin(reported)]
    rows = []
    if sensitivity and (noise > 0 or alt_aggregation) and len(units) > 1:
        table = index_sensitivity(
            data,
            framework,
            spec,
            units=units,
            year=year,
            n=sensitivity_n,
            seed=seed,
            progress=lambda done, total: report(0.7 + 0.25 * done / total, "sensitivity"),
        )
        rows = [
            {k: (row[k] if k == "input" else _clean(row[k])) for k in table.columns}
            for row in table.to_dict("records")
        ]
    raw = to_wide(build.stages["raw"], framework.indicators)
    norm = to_wide(build.stages["normalised"], framework.indicators)
    raw, norm = (w.loc[w.index.isin(reported)] for w in (raw, norm))

    def nested(wide):
        return {
            str(unit): {c: _clean(wide.at[unit, c]) for c in wide.columns} for unit in wide.index
        }

    document = {}
    if audit:
        report(0.95, "audit")
        document = run_audit(data, framework, units, build, year=year)
    h = framework.hierarchy
    aggregates = h.loc[h["kind"] == "aggregate"].sort_values(
        "level", ascending=False, kind="stable"
    )
    report(0.98, "store")
    return IndexRunResult(
        scores=scores.reset_index(drop=True),
        inputs=nested(raw),
        normalised=nested(norm),
        dimensions=aggregates["code"].tolist(),
        weights={
            c: float(w) for c, w in zip(build.weights["code"], build.weights["weight"], strict=True)
        },
        sensitivity=rows,
        input_hash=values_hash(data),
        audit=document,
    )


def run_audit(data: pd.DataFrame, framework: IndexDefinition, units, build, *, year: int) -> dict:
    """The audit document of a run (:func:`~.audit.audit_document`): the year scored from
    ``build``, and every year of ``data`` up to it, each over the bases with a value that year
    (as the run's results)."""

    def audited(one_build, y):
        present = set(data.loc[data["year"] == y, "unit"])
        return index_audit.index_audit(one_build, framework, units=present)

    top = audited(build, year)
    years = sorted(int(y) for y in data["year"].unique() if int(y) <= year)
    if len(years) < 2:
        return index_audit.audit_document(top)
    panel = {year: top}
    for y in years:
        if y == year:
            continue
        try:
            panel[y] = audited(index_build(data, framework, units=units, year=y), y)
        except (ValueError, InputError):
            # an earlier year the framework cannot build (a zero for a geometric mean): its
            # audit is left out, the scored year's stands
            continue
    return index_audit.audit_document(top, panel)
