"""Benchmark of ``trend_decomposition`` (``mieval trends --decompose``) on a synthetic panel with
late joiners, gaps and exits.

Run from the project root::

    PYTHONPATH=src python bench/decompose.py [--bases 2000 --indicators 12 --years 10 --repeat 5]

See ``bench/README.md`` for what is measured and how.
"""

import argparse
import sys
import time

import numpy as np

from mieval.core.trends.decompose import trend_decomposition
from mieval.core.trends.table import trend_table

#: The target: 2,000 bases x 12 indicators x 10 years in well under a second. Larger panels
#: are timed for information.
TARGET_SECONDS = 0.25
TARGET_PANEL = (2_000, 12, 10)
FIRST_YEAR = 2016


def make_panel(n_bases: int, n_indicators: int, n_years: int, seed: int):
    """``bench/trends.py``'s panel (every base x indicator x year, 3% missing), then thinned
    so that the composition changes: a base reports from its batch's year on (2016, 2017 or
    2020), a tenth of the bases leave for good in a random year and 2% of the remaining values
    are gaps (the base reports again the year after)."""
    from trends import make_panel as full_panel  # bench/trends.py, next to this file

    values, bases, indicators = full_panel(n_bases, n_indicators, n_years, 0.03, seed)
    rng = np.random.default_rng(seed + 1)
    base_index = values["base_code"].cat.codes.to_numpy()
    year = values["year"].to_numpy().astype(np.int64)
    joins = bases["batch"].to_numpy()[base_index]
    leaves_at = np.where(
        rng.random(n_bases) < 0.1, rng.integers(FIRST_YEAR + 1, FIRST_YEAR + n_years, n_bases), 9999
    )
    keep = (year >= joins) & (year < leaves_at[base_index]) & (rng.random(len(values)) >= 0.02)
    return values[keep].reset_index(drop=True), bases, indicators


def best_time(run, repeat: int):
    result = run()
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bases", type=int, default=2_000)
    parser.add_argument("--indicators", type=int, default=12)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    values, bases, indicators = make_panel(args.bases, args.indicators, args.years, args.seed)
    print(
        f"panel: {args.bases:,} bases x {args.indicators} indicators x {args.years} years, "
        f"{len(values):,} rows (late joiners by batch, a tenth of the bases leaving, 2% gaps); "
        f"best of {args.repeat} after a warm-up"
    )
    print()
    print(
        f"{'run':<22} {'rows out':>9} {'seconds':>8} {'target':>8}      {'max |w+e+x-change|':>18}"
    )
    verdicts = []
    targeted = all(
        n <= limit
        for n, limit in zip((args.bases, args.indicators, args.years), TARGET_PANEL, strict=True)
    )
    for name, by in (
        ("all bases", None),
        ("by subcategory", "subcategory"),
        ("by province", "province"),
    ):
        seconds, frame = best_time(
            lambda by=by: trend_decomposition(values, bases, indicators, by=by), args.repeat
        )
        table_s, _ = best_time(
            lambda by=by: trend_table(values, bases, indicators, by=by), args.repeat
        )
        defined = frame["within"].notna()
        parts = frame.loc[defined, ["within", "entry", "exit"]].sum(axis=1)
        gap = float((parts - frame.loc[defined, "change"]).abs().max())
        ok = seconds < TARGET_SECONDS or not targeted
        verdicts.append(ok)
        verdict = ("PASS" if ok else "FAIL") if targeted else ""
        target = "< 0.25" if targeted else "(info)"
        print(
            f"{name:<22} {len(frame):>9,} {seconds:>8.3f} {target:>8} {verdict:4} "
            f"{gap:>18.1e}   (trend_table {table_s:.3f} s)"
        )
    print()
    print("all targets met" if all(verdicts) else "some target missed")
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
