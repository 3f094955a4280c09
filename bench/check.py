"""Timing of ``data_check`` (validation rules and outlier tests) on a synthetic campaign.

Run from the project root::

    PYTHONPATH=src python bench/check.py [--bases 212 --years 10 --repeat 5]

Builds every base x the twelve built-in indicators (where they apply) x year (about 3%
missing; log-normal levels growing about 5% a year, about 1% planted ten-fold) and times
``data_check`` with the default rules, best of ``--repeat`` runs after a warm-up, and
``rules_check`` alone.
"""

import argparse
import time

import numpy as np
import pandas as pd

from mieval.analytics.check import data_check
from mieval.analytics.validation import default_rules, rules_check
from mieval.indicators.builtin import POSTER_INDICATORS
from mieval.registry.reference import SUBCATEGORIES


def synthetic(n_bases: int, n_years: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    subcategories = rng.choice(len(SUBCATEGORIES), n_bases)
    bases = pd.DataFrame(
        {
            "code": [f"B{i:05d}" for i in range(n_bases)],
            "category": [SUBCATEGORIES[s].category for s in subcategories],
            "subcategory": [SUBCATEGORIES[s].code for s in subcategories],
        }
    )
    codes = [s.code for s in POSTER_INDICATORS]
    years = np.arange(2016, 2016 + n_years)
    level = rng.lognormal(5, 1, (n_bases, len(codes)))
    growth = 1.05 ** np.arange(n_years)
    cube = (
        level[:, :, None]
        * growth[None, None, :]
        * rng.lognormal(0, 0.1, (n_bases, len(codes), n_years))
    )
    cube[rng.random(cube.shape) < 0.01] *= 10
    cube = np.round(cube)
    cube[rng.random(cube.shape) < 0.03] = np.nan
    b, i, y = np.meshgrid(
        np.arange(n_bases), np.arange(len(codes)), np.arange(n_years), indexing="ij"
    )
    values = pd.DataFrame(
        {
            "base_code": bases["code"].to_numpy()[b.ravel()],
            "indicator_code": np.array(codes, dtype=object)[i.ravel()],
            "year": years[y.ravel()],
            "value": cube.ravel(),
        }
    )
    # Only where an indicator applies to the base's category, as in a real campaign.
    applies = {s.code: set(s.categories) for s in POSTER_INDICATORS}
    category = bases["category"].to_numpy()[b.ravel()]
    pairs = zip(values["indicator_code"], category, strict=True)
    keep = [not applies[c] or k in applies[c] for c, k in pairs]
    return bases, values[keep].reset_index(drop=True)


def best(repeat: int, run) -> float:
    run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bases", type=int, default=212)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    bases, values = synthetic(args.bases, args.years)
    problems = data_check(values, bases)
    rules = default_rules()
    print(f"{args.bases} bases x 12 indicators x {args.years} years: {len(values):,} rows")
    print(f"problems: {len(problems):,} ({problems['rule'].value_counts().to_dict()})")
    print(f"data_check:  {best(args.repeat, lambda: data_check(values, bases)) * 1000:.1f} ms")
    print(
        f"rules_check: {best(args.repeat, lambda: rules_check(values, bases, rules)) * 1000:.1f} ms"
    )
    one = bases.iloc[:1]
    one_values = values[values["base_code"] == one["code"].iloc[0]]
    seconds = best(args.repeat, lambda: rules_check(one_values, one, rules))
    print(f"one base, rules_check: {seconds * 1000:.1f} ms")


if __name__ == "__main__":
    main()
