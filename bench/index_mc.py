"""Monte Carlo uncertainty of a composite index at national scale, against a naive loop.

PYTHONPATH=src python bench/index_mc.py [--runs 10000] [--naive 200]

Synthetic data: 212 bases x 50 indicators -> 8 dimensions -> 3 pillars -> index (3 levels of
aggregation), 3% missing values. Uncertain: every weight +-25%, imputation (mean, median),
aggregation (arithmetic, geometric): 4 combinations. The Monte Carlo runs in a fresh
subprocess that reports its wall time and peak RSS (getrusage); the naive loop, in this
process, calls the single-run aggregation (``aggregate`` + ``rank_scores``) once per
replication on the same normalised data and is extrapolated to ``--runs``.
"""

import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd

BASES, INDICATORS, DIMENSIONS, PILLARS = 212, 50, 8, 3
TARGET_SECONDS, TARGET_GB = 10.0, 2.0


def synthetic(seed: int = 0):
    from mieval.core.index import framework_parse

    rng = np.random.default_rng(seed)
    lines = []
    for i in range(INDICATORS):
        lines += [
            "[[indicator]]",
            f'code = "x{i:02d}"',
            f'parent = "D{i % DIMENSIONS}"',
            f"weight = {rng.uniform(0.5, 2):.3f}",
            "",
        ]
    for d in range(DIMENSIONS):
        lines += ["[[aggregate]]", f'code = "D{d}"', f'parent = "P{d % PILLARS}"', ""]
    for p in range(PILLARS):
        lines += ["[[aggregate]]", f'code = "P{p}"', 'parent = "Index"', ""]
    lines += ["[[aggregate]]", 'code = "Index"', ""]
    lines += ['[[step]]\nkind = "impute"\nmethod = "mean"\n']
    lines += ['[[step]]\nkind = "normalise"\nmethod = "minmax"\nlow = 1.0\nhigh = 100.0\n']
    lines += ['[[step]]\nkind = "aggregate"\nmethod = "arithmetic"\n']
    framework = framework_parse("\n".join(lines), file="synthetic.toml")
    level = rng.lognormal(0, 1, (BASES, 1))
    x = level * rng.lognormal(0, 0.5, (BASES, INDICATORS))
    x[rng.random(x.shape) < 0.03] = np.nan
    values = pd.DataFrame(
        {
            "unit": np.repeat([f"B{b:03d}" for b in range(BASES)], INDICATORS),
            "code": np.tile([f"x{i:02d}" for i in range(INDICATORS)], BASES),
            "value": x.ravel(),
        }
    )
    return values, framework


def spec():
    from mieval.core.index.uncertainty import UncertaintySpec

    return UncertaintySpec(weight_noise=0.25, impute=("median",), aggregate=("geometric",))


def child(runs: int) -> None:
    from mieval.core.index.uncertainty import monte_carlo

    values, framework = synthetic()
    start = time.perf_counter()
    result = monte_carlo(values, framework, spec(), runs=runs, seed=1)
    seconds = time.perf_counter() - start
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9  # KiB on Linux
    rows = len(result.ranks)
    print(json.dumps({"seconds": seconds, "peak_gb": peak_gb, "rank_rows": rows}))


def naive(replications: int) -> float:
    """Seconds per replication of the single-run path on the same normalised data."""
    from mieval.core.index import aggregate as agg
    from mieval.core.index import index_build

    values, framework = synthetic()
    build = index_build(values, framework)
    normalised = build.stages["normalised"]
    h = framework.hierarchy
    rng = np.random.default_rng(1)
    start = time.perf_counter()
    for _ in range(replications):
        noisy = h.assign(weight=h["weight"] * (1 + rng.uniform(-0.25, 0.25, len(h))))
        method = ("arithmetic", "geometric")[rng.integers(2)]
        out = agg.aggregate(normalised, noisy, method=method)
        agg.rank_scores(out.loc[out["code"] == "Index", "value"])
    return (time.perf_counter() - start) / replications


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--naive", type=int, default=200)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.runs)
        return
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--runs", str(args.runs)],
        capture_output=True,
        text=True,
        check=True,
    )
    mc = json.loads(out.stdout.strip().splitlines()[-1])
    per_run = naive(args.naive)
    ratio = per_run * args.runs / mc["seconds"]
    seconds_ok = mc["seconds"] < TARGET_SECONDS
    memory_ok = mc["peak_gb"] < TARGET_GB
    print(f"{BASES} bases x {INDICATORS} indicators -> {DIMENSIONS} -> {PILLARS} -> index")
    print(f"runs: {args.runs}")
    print(f"seconds: {mc['seconds']:.2f}  {'PASS' if seconds_ok else 'FAIL'} (< {TARGET_SECONDS})")
    print(f"peak GB (RSS): {mc['peak_gb']:.3f}  {'PASS' if memory_ok else 'FAIL'} (< {TARGET_GB})")
    print(f"naive s/run: {per_run:.4f} ({args.naive} replications of aggregate + rank_scores)")
    print(f"ratio (naive extrapolated / vectorised): {ratio:.0f}x")
    sys.exit(0 if seconds_ok and memory_ok else 1)


if __name__ == "__main__":
    main()
