"""Benchmark of ``trend_table`` against DuckDB on a national-scale synthetic panel.

Run from the project root::

    PYTHONPATH=src python bench/trends.py [--bases 20000 --indicators 100 --years 10 --repeat 3]

See ``bench/README.md`` for what is measured and how.
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from mieval.core import reference
from mieval.core.trends.table import trend_table

TARGET_RATIO = 1.5
TARGET_MEMORY_GB = 4.0
TOLERANCE = 1e-9
FIRST_YEAR = 2016


def make_panel(
    n_bases: int, n_indicators: int, n_years: int, missing: float, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A synthetic panel: every base x indicator x year, ``missing`` of the values NaN.

    Bases are spread at random over the 11 subcategories, the 31 provinces and three batches;
    values are log-normal base levels growing about 5% a year with noise. Code columns are
    categorical (int16 base codes, int8 indicator codes), years int16.
    """
    rng = np.random.default_rng(seed)
    base_codes = [f"B{k:05d}" for k in range(n_bases)]
    indicator_codes = [f"ind{k:03d}" for k in range(n_indicators)]
    subcategories = [s.code for s in reference.SUBCATEGORIES]
    subcategory = rng.choice(subcategories, n_bases)
    bases = pd.DataFrame(
        {
            "code": pd.Categorical(base_codes, categories=base_codes),
            "category": [reference.SUBCATEGORY_BY_CODE[s].category for s in subcategory],
            "subcategory": subcategory,
            "province": rng.choice([p.code for p in reference.PROVINCES], n_bases),
            "batch": rng.choice([2016, 2017, 2020], n_bases),
        }
    )
    indicators = pd.DataFrame({"code": indicator_codes, "stat": "mean"})

    rows = n_bases * n_indicators * n_years
    base_index = np.repeat(np.arange(n_bases, dtype=np.int32), n_indicators * n_years)
    indicator_index = np.tile(np.repeat(np.arange(n_indicators, dtype=np.int32), n_years), n_bases)
    year_offset = np.tile(np.arange(n_years, dtype=np.int16), n_bases * n_indicators)
    level = rng.lognormal(4.0, 1.2, n_bases * n_indicators)
    value = np.repeat(level, n_years)
    value *= 1.05 ** year_offset.astype(np.float64)
    value *= rng.lognormal(0.0, 0.1, rows)
    value[rng.random(rows) < missing] = np.nan
    values = pd.DataFrame(
        {
            "base_code": pd.Categorical.from_codes(
                base_index.astype(np.int16 if n_bases < 2**15 else np.int32), base_codes
            ),
            "indicator_code": pd.Categorical.from_codes(
                indicator_index.astype(np.int8 if n_indicators < 2**7 else np.int16),
                indicator_codes,
            ),
            "year": (year_offset + FIRST_YEAR).astype(np.int16),
            "value": value,
        }
    )
    return values, bases, indicators


DUCKDB_SQL = """
WITH used AS (
    SELECT base_code, indicator_code, year, value FROM panel
    WHERE value IS NOT NULL AND year BETWEEN {first} AND {last}
), complete_pairs AS (
    SELECT indicator_code, base_code FROM used GROUP BY ALL
    HAVING count(DISTINCT year) = {last} - {first} + 1
), kept AS (
    SELECT * FROM used {balanced_filter}
), yearly AS (
    SELECT r.indicator_code AS indicator, b.{by} AS grp, r.year,
           {stat}(r.value) AS value, count(*) AS n
    FROM kept r JOIN bases b ON r.base_code = b.code
    GROUP BY ALL
), ends AS (
    SELECT indicator, grp, min(year) AS first_year, max(year) AS last_year,
           arg_min(value, year) AS v_first, arg_max(value, year) AS v_last
    FROM yearly GROUP BY ALL
)
SELECT y.indicator, y.grp, y.year, y.value, y.n, e.first_year, e.last_year,
       CASE WHEN e.first_year = e.last_year OR e.v_first <= 0 OR e.v_last < 0 THEN NULL
            ELSE pow(e.v_last / e.v_first, 1.0 / (e.last_year - e.first_year)) - 1 END AS cagr
FROM yearly y JOIN ends e USING (indicator, grp)
ORDER BY y.indicator, y.grp, y.year
"""


def duckdb_sql(stat: str, balanced: bool, first: int, last: int, by: str) -> str:
    return DUCKDB_SQL.format(
        stat={"mean": "avg", "median": "median", "sum": "sum"}[stat],
        balanced_filter="SEMI JOIN complete_pairs USING (indicator_code, base_code)"
        if balanced
        else "",
        first=first,
        last=last,
        by=by,
    )


def best_time(run, repeat: int):
    """Best wall time of ``repeat`` runs after one warm-up, and the last result."""
    result = run()
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def compare(table, theirs: pd.DataFrame) -> float:
    """Largest relative difference between the two results; raises if the cells differ."""
    ours = table.yearly[table.yearly["n"] > 0].merge(
        table.growth[["indicator", "group", "cagr"]], on=["indicator", "group"]
    )
    theirs = theirs.assign(
        indicator=theirs["indicator"].astype(str), group=theirs["grp"].astype(str)
    )
    both = ours.merge(theirs, on=["indicator", "group", "year"], suffixes=("", "_duckdb"))
    if not (len(both) == len(ours) == len(theirs)):
        raise SystemExit(f"cells differ: mieval {len(ours)}, DuckDB {len(theirs)}")
    if not (both["n"].to_numpy() == both["n_duckdb"].to_numpy()).all():
        raise SystemExit("counts differ")
    worst = 0.0
    for column in ("value", "cagr"):
        a = both[column].to_numpy(dtype=np.float64)
        b = both[f"{column}_duckdb"].to_numpy(dtype=np.float64, na_value=np.nan)
        if not (np.isnan(a) == np.isnan(b)).all():
            raise SystemExit(f"{column}: missing in one result only")
        a, b = a[~np.isnan(a)], b[~np.isnan(b)]
        if len(a):
            worst = max(worst, float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300))))
    return worst


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB on Linux


def child_memory(args) -> None:
    """In a fresh process: build the panel, run trend_table once, report memory as JSON."""
    values, bases, indicators = make_panel(
        args.bases, args.indicators, args.years, args.missing, args.seed
    )
    data_gb = sum(f.memory_usage(deep=True).sum() for f in (values, bases)) / 2**30
    before = _status_gb("VmRSS")
    # Reset the peak-RSS mark (Linux >= 4.0), so that the run's own peak can be told apart
    # from the peak of building the panel.
    reset = _reset_peak()
    trend_table(
        values, bases, indicators, by="subcategory", stat=args.child, balanced=args.balanced
    )
    run_peak = _status_gb("VmHWM") if reset else None
    print(
        json.dumps(
            {
                "data_gb": data_gb,
                "rss_before_gb": before,
                "run_peak_gb": run_peak,
                "process_peak_gb": peak_rss_gb(),
            }
        )
    )


def _status_gb(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 2**20
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def measure_memory(args, stat: str, balanced: bool) -> dict:
    command = [
        sys.executable,
        __file__,
        "--bases",
        str(args.bases),
        "--indicators",
        str(args.indicators),
        "--years",
        str(args.years),
        "--missing",
        str(args.missing),
        "--seed",
        str(args.seed),
        "--child",
        stat,
    ]
    if balanced:
        command.append("--balanced")
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bases", type=int, default=20_000)
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--missing", type=float, default=0.03, help="share of values missing")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", choices=("mean", "median", "sum"), help=argparse.SUPPRESS)
    parser.add_argument("--balanced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_memory(args)
        return 0

    import duckdb

    values, bases, indicators = make_panel(
        args.bases, args.indicators, args.years, args.missing, args.seed
    )
    rows = len(values)
    first, last = FIRST_YEAR, FIRST_YEAR + args.years - 1
    connection = duckdb.connect()
    connection.register("panel", values)
    connection.register("bases", bases)
    threads = connection.execute("SELECT current_setting('threads')").fetchone()[0]
    print(
        f"panel: {args.bases:,} bases x {args.indicators} indicators x {args.years} years = "
        f"{rows:,} rows, {values['value'].isna().mean():.1%} missing; grouped by subcategory; "
        f"best of {args.repeat} after a warm-up; DuckDB {duckdb.__version__} on {threads} threads"
    )
    print()
    header = f"{'run':<10} {'rows':>12} {'mieval s':>9} {'DuckDB s':>9} {'ratio':>6}  "
    header += f"{'target':>8} {'':4}  {'peak GB':>7} {'target':>7} {'':4}  {'max rel diff':>12}"
    print(header)
    print("-" * len(header))
    verdicts = []
    for name, stat, balanced in (
        ("mean", "mean", False),
        ("median", "median", False),
        ("balanced", "mean", True),
    ):
        ours_s, ours = best_time(
            lambda stat=stat, balanced=balanced: trend_table(
                values, bases, indicators, by="subcategory", stat=stat, balanced=balanced
            ),
            args.repeat,
        )
        sql = duckdb_sql(stat, balanced, first, last, "subcategory")
        theirs_s, theirs = best_time(lambda sql=sql: connection.execute(sql).df(), args.repeat)
        difference = compare(ours, theirs)
        memory = measure_memory(args, stat, balanced)
        ratio = ours_s / theirs_s
        peak = memory["process_peak_gb"]
        agree = difference <= TOLERANCE
        line = f"{name:<10} {rows:>12,} {ours_s:>9.3f} {theirs_s:>9.3f} {ratio:>6.2f}  "
        if name == "mean":
            speed_ok, memory_ok = ratio <= TARGET_RATIO, peak < TARGET_MEMORY_GB
            verdicts += [speed_ok, memory_ok, agree]
            line += f"{'<= 1.5':>8} {'PASS' if speed_ok else 'FAIL':4}  "
            line += f"{peak:>7.2f} {'< 4':>7} {'PASS' if memory_ok else 'FAIL':4}  "
        else:
            verdicts.append(agree)
            line += f"{'(info)':>8} {'':4}  {peak:>7.2f} {'(info)':>7} {'':4}  "
        line += f"{difference:>12.1e} {'PASS' if agree else 'FAIL'}"
        print(line)
        if name == "mean":
            run_peak = memory["run_peak_gb"]
            detail = (
                f"{'':10} memory: data {memory['data_gb']:.2f} GB; process RSS before the run "
                f"{memory['rss_before_gb']:.2f} GB"
            )
            if run_peak is not None:
                detail += f"; peak RSS during the run {run_peak:.2f} GB"
            print(detail)
    print()
    print("all targets met" if all(verdicts) else "some target missed")
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
