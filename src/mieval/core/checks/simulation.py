r"""Simulated campaigns for measuring the data checks: clean panels and planted anomalies.

Plain numpy/pandas, no Django; ``bench/check.py`` prints the figures and the tests hold them on
a fixed seed. A :class:`SimulatedCampaign` (a *panel* in the function names, as in panel data:
bases observed over years) is one campaign as an evaluation office sees it: every subcategory of
:data:`mieval.core.reference.SUBCATEGORIES` with 5 to 10 bases, 3 to 5 years, the twelve
built-in indicators where they apply to the base's category. Values follow the model of
:mod:`mieval.core.checks.outliers`,

.. math:: x_{bit} = \operatorname{round}\bigl(\exp(\mu_{gi} + s_b + u_{bi} + (\gamma_{gi} +
          \delta_{bi})\,t + \varepsilon_{bit})\bigr),

with, for subcategory :math:`g` and indicator :math:`i`, a typical level :math:`e^{\mu}` between
20 and 5,000, a base size :math:`s_b \sim N(0, 0.45^2)` shared by the base's indicators and an
indicator-specific part :math:`u_{bi} \sim N(0, 0.4^2)` (together a spread of 0.6 on the log
scale: the largest of seven bases is typically five times the smallest), a common growth
:math:`\gamma \sim N(0.05, 0.03^2)` a year and a base's own :math:`\delta \sim N(0, 0.02^2)`,
and yearly noise :math:`\varepsilon \sim N(0, 0.05^2)` (a few percent); 2% of the values are
missing.

Planted anomalies, one of each kind per panel, each in its own base and indicator:

- ``jump``: a value (not in the base's first reported year) ×10;
- ``negative``: a value's sign flipped (-1 for a 0);
- ``unit``: a value ×10,000 (any year: a figure in yuan where 10,000 yuan were asked);
- ``peer``: a base reporting only one year (a new base), its value 40 times the median of the
  other bases of its subcategory that year;
- ``collapse``: a value (not in the base's first reported year) divided by 12 (a month's
  figure for a year's).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mieval.core.checks.rules import Severity
from mieval.core.indicators import POSTER_INDICATORS, indicator_applies
from mieval.core.reference import SUBCATEGORIES

ANOMALY_KINDS = ("jump", "negative", "unit", "peer", "collapse")
_FIRST_YEAR = 2016


@dataclass(frozen=True)
class SimulatedCampaign:
    """One simulated campaign: ``bases`` (``code, category, subcategory``), ``values`` (long
    format) and the planted anomalies (``kind, base_code, indicator_code, year``; empty for a
    clean panel)."""

    bases: pd.DataFrame
    values: pd.DataFrame
    planted: pd.DataFrame


def clean_panel(rng: np.random.Generator, *, spread: float = 0.6) -> SimulatedCampaign:
    """One clean panel (module docstring); ``spread`` is the log-scale spread of the bases."""
    years = _FIRST_YEAR + np.arange(int(rng.integers(3, 6)))
    base_rows, value_parts = [], []
    size_share = 0.45 / 0.6
    for sub in SUBCATEGORIES:
        count = int(rng.integers(5, 11))
        codes = [f"{sub.code}-{k + 1:02d}" for k in range(count)]
        base_rows += [(c, sub.category, sub.code) for c in codes]
        size = rng.normal(0, spread * size_share, count)
        for spec in POSTER_INDICATORS:
            if not indicator_applies(spec.categories, sub.category):
                continue
            mu = rng.uniform(np.log(20), np.log(5000))
            growth = rng.normal(0.05, 0.03)
            own = rng.normal(0, spread * np.sqrt(1 - size_share**2), count)
            trend = rng.normal(0, 0.02, count)
            t = np.arange(len(years))
            log_x = (
                mu
                + (size + own)[:, None]
                + (growth + trend)[:, None] * t[None, :]
                + rng.normal(0, 0.05, (count, len(years)))
            )
            x = np.round(np.exp(log_x))
            x[rng.random(x.shape) < 0.02] = np.nan
            value_parts.append(
                pd.DataFrame(
                    {
                        "base_code": np.repeat(codes, len(years)),
                        "indicator_code": spec.code,
                        "year": np.tile(years, count),
                        "value": x.ravel(),
                    }
                )
            )
    values = pd.concat(value_parts, ignore_index=True)
    values = values[values["value"].notna()].reset_index(drop=True)
    bases = pd.DataFrame(base_rows, columns=["code", "category", "subcategory"])
    return SimulatedCampaign(bases, values, pd.DataFrame(columns=["kind", *_KEY]))


_KEY = ["base_code", "indicator_code", "year"]


def planted_panel(rng: np.random.Generator, *, spread: float = 0.6) -> SimulatedCampaign:
    """A clean panel with one anomaly of each kind of :data:`ANOMALY_KINDS` planted."""
    panel = clean_panel(rng, spread=spread)
    values = panel.values.copy()
    series = values[["base_code", "indicator_code"]].drop_duplicates().to_numpy()
    picks = rng.permutation(len(series))[: len(ANOMALY_KINDS)]
    planted = []
    for kind, pick in zip(ANOMALY_KINDS, picks, strict=True):
        base, code = series[pick]
        mask = (values["base_code"] == base) & (values["indicator_code"] == code)
        rows = values.index[mask].to_numpy()
        later = values.index[mask & (values["year"] > values.loc[mask, "year"].min())].to_numpy()
        if kind in ("jump", "collapse") and len(later):
            row = int(rng.choice(later))
        else:
            row = int(rng.choice(rows))
        year = int(values.at[row, "year"])
        value = values.at[row, "value"]
        if kind == "jump":
            values.at[row, "value"] = value * 10
        elif kind == "collapse":
            values.at[row, "value"] = value / 12
        elif kind == "unit":
            values.at[row, "value"] = value * 10_000
        elif kind == "negative":
            values.at[row, "value"] = -value if value else -1.0
        else:  # peer: a new base with this one value, forty times its peers' median
            subcategory = panel.bases.set_index("code").at[base, "subcategory"]
            peers = panel.bases.loc[panel.bases["subcategory"] == subcategory, "code"]
            others = values[
                values["base_code"].isin(peers)
                & (values["base_code"] != base)
                & (values["indicator_code"] == code)
                & (values["year"] == year)
            ]["value"]
            values.at[row, "value"] = 40 * float(others.median())
            values = values.drop(index=[r for r in rows if r != row])
        planted.append((kind, base, code, year))
    return SimulatedCampaign(
        panel.bases,
        values.reset_index(drop=True),
        pd.DataFrame(planted, columns=["kind", *_KEY]),
    )


def flagged_cells(values: pd.DataFrame, problems: pd.DataFrame) -> pd.DataFrame:
    """Each value of ``values`` with the most severe problem on it (``error`` > ``warning`` >
    ``info``; '' for none) in ``severity``; a problem without a year is on every value of its
    base and indicator."""
    # 0 for a cell without a problem, then ascending severity (the most severe is the max).
    rank = {"": 0} | {s.value: len(Severity) - s.rank for s in Severity}
    names = {v: k for k, v in rank.items()}
    cells = values[_KEY].copy()
    cells["rank"] = 0
    if len(problems):
        p = problems.assign(rank=problems["severity"].map(rank))
        dated = p[p["year"].notna()].astype({"year": "int64"})
        by_cell = dated.groupby(_KEY)["rank"].max()
        undated = p[p["year"].isna()].groupby(["base_code", "indicator_code"])["rank"].max()
        cell_index = pd.MultiIndex.from_frame(cells[_KEY].astype({"year": "int64"}))
        series_index = pd.MultiIndex.from_frame(cells[["base_code", "indicator_code"]])
        a = by_cell.reindex(cell_index).fillna(0).to_numpy()
        b = undated.reindex(series_index).fillna(0).to_numpy()
        cells["rank"] = np.maximum(a, b).astype(int)
    cells["severity"] = cells["rank"].map(names)
    return cells.drop(columns="rank")
