"""The data checks (``mieval check``): false alarms and detection on simulated campaigns, and
time at national scale.

Run from the project root::

    PYTHONPATH=src python bench/check.py                     # 300 clean + 300 planted panels
    PYTHONPATH=src python bench/check.py --panels 50 --spread 0.9
    PYTHONPATH=src python bench/check.py --national          # 20,000 x 100 x 10 = 20 M values
    PYTHONPATH=src python bench/check.py --national --bases 2000 --cli   # and the CLI on files
    PYTHONPATH=src python bench/check.py --cutoffs           # the peer test's factors f_N

The panels are those of :mod:`mieval.core.checks.simulation` (every subcategory with 5 to
10 bases, 3 to 5 years, log-normal levels ``--spread`` apart on the log scale, a few percent of
noise). The false-alarm rate is the share of the clean panels' values with a problem on them,
by the most severe problem (a problem without a year is on every value of its base and
indicator); the detection rate of each planted kind is the share of planted values with a
warning or an error on them. Targets: false alarms at most 0.5%, every planted anomaly found,
20 M values in under 30 s. The script prints PASS or FAIL for each and exits with 1 on a FAIL.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from mieval.core.checks.run import data_check
from mieval.core.checks.simulation import (
    ANOMALY_KINDS,
    clean_panel,
    flagged_cells,
    planted_panel,
)
from mieval.core.reference import SUBCATEGORIES
from mieval.core.robust import QN_CONSTANT, qn_factor

FALSE_ALARM_TARGET = 0.005
SECONDS_TARGET = 30.0


# --- false alarms and detection ----------------------------------------------------------------


def false_alarms(panels: int, seed: int, spread: float) -> tuple[int, dict[str, int], dict]:
    """Values of ``panels`` clean panels, how many carry a problem (by severity), and the
    problems by rule and severity."""
    rng = np.random.default_rng(seed)
    total, by_severity, by_rule = 0, {"error": 0, "warning": 0, "info": 0}, {}
    for _ in range(panels):
        panel = clean_panel(rng, spread=spread)
        problems = data_check(panel.values, panel.bases)
        cells = flagged_cells(panel.values, problems)
        total += len(cells)
        for severity in by_severity:
            by_severity[severity] += int((cells["severity"] == severity).sum())
        for key, count in problems.groupby(["rule", "severity"]).size().items():
            rule = "non_negative_*" if key[0].startswith("non_negative_") else key[0]
            by_rule[(rule, key[1])] = by_rule.get((rule, key[1]), 0) + int(count)
    return total, by_severity, by_rule


def detection(panels: int, seed: int, spread: float) -> tuple[dict[str, int], dict, int, int]:
    """Per planted kind, how many of ``panels`` planted values carry a warning or an error, and
    by which rules; and the other values of the planted panels with a warning or an error."""
    rng = np.random.default_rng(seed)
    found = dict.fromkeys(ANOMALY_KINDS, 0)
    rules: dict[str, dict[str, int]] = {k: {} for k in ANOMALY_KINDS}
    collateral = others = 0
    key = ["base_code", "indicator_code", "year"]
    for _ in range(panels):
        panel = planted_panel(rng, spread=spread)
        problems = data_check(panel.values, panel.bases)
        cells = flagged_cells(panel.values, problems).merge(panel.planted, on=key, how="left")
        serious = cells["severity"].isin(["warning", "error"])
        planted = cells["kind"].notna()
        collateral += int((serious & ~planted).sum())
        others += int((~planted).sum())
        for kind in cells.loc[planted & serious, "kind"]:
            found[kind] += 1
        on_planted = problems.merge(panel.planted, on=key)
        for kind, rule in zip(on_planted["kind"], on_planted["rule"], strict=True):
            rule = "non_negative_*" if rule.startswith("non_negative_") else rule
            rules[kind][rule] = rules[kind].get(rule, 0) + 1
    return found, rules, collateral, others


def report_panels(args) -> bool:
    ok = True
    start = time.perf_counter()
    total, by_severity, by_rule = false_alarms(args.panels, args.seed, args.spread)
    seconds = time.perf_counter() - start
    flagged = sum(by_severity.values())
    rate = flagged / total
    verdict = "PASS" if rate <= FALSE_ALARM_TARGET else "FAIL"
    ok &= verdict == "PASS"
    print(
        f"clean panels: {args.panels} (seed {args.seed}, spread {args.spread}), {total:,} values,"
        f" {seconds:.1f} s"
    )
    print(
        f"  values flagged: {flagged:,} = {rate:.3%} (target <= {FALSE_ALARM_TARGET:.1%}) {verdict}"
    )
    for severity, count in by_severity.items():
        print(f"    {severity:<8} {count:>7,} = {count / total:.3%}")
    for (rule, severity), count in sorted(by_rule.items()):
        print(f"    problems {rule} {severity}: {count:,}")
    found, rules, collateral, others = detection(args.panels, args.seed + 1, args.spread)
    print(f"planted panels: {args.panels} (seed {args.seed + 1}), one anomaly of each kind each")
    for kind in ANOMALY_KINDS:
        verdict = "PASS" if found[kind] == args.panels else "FAIL"
        ok &= verdict == "PASS"
        by = ", ".join(f"{r} {n}" for r, n in sorted(rules[kind].items()))
        print(
            f"  {kind:<9} found {found[kind]:>4} / {args.panels} = "
            f"{found[kind] / args.panels:.1%} {verdict}   ({by})"
        )
    print(
        f"  other values of the planted panels with a warning or error: {collateral:,} of"
        f" {others:,} = {collateral / others:.3%} (neighbours of a planted value)"
    )
    return ok


# --- national scale ----------------------------------------------------------------------------


def national(
    n_bases: int, n_indicators: int, n_years: int, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A synthetic national campaign: every base x indicator x year, 3% missing, log-normal
    levels growing about 5% a year, about 0.1% planted ten-fold."""
    rng = np.random.default_rng(seed)
    subcategories = rng.choice(len(SUBCATEGORIES), n_bases)
    bases = pd.DataFrame(
        {
            "code": [f"B{i:05d}" for i in range(n_bases)],
            "category": [SUBCATEGORIES[s].category for s in subcategories],
            "subcategory": [SUBCATEGORIES[s].code for s in subcategories],
        }
    )
    codes = [f"ind{i:03d}" for i in range(n_indicators)]
    indicators = pd.DataFrame(
        {
            "code": codes,
            "name_zh": [f"指标{i}" for i in range(n_indicators)],
            "name_en": [f"Indicator {i}" for i in range(n_indicators)],
            "non_negative": True,
            "categories": [()] * n_indicators,
        }
    )
    years = np.arange(2016, 2016 + n_years, dtype=np.int64)
    level = rng.normal(5, 0.6, (n_bases, n_indicators)).astype(np.float32)
    log_x = (
        level[:, :, None]
        + np.float32(0.05) * np.arange(n_years, dtype=np.float32)[None, None, :]
        + rng.normal(0, 0.05, (n_bases, n_indicators, n_years)).astype(np.float32)
    )
    cube = np.round(np.exp(log_x.astype(np.float64)))
    del log_x
    cube[rng.random(cube.shape) < 0.001] *= 10
    cube[rng.random(cube.shape) < 0.03] = np.nan
    base_codes = pd.Categorical.from_codes(
        np.repeat(np.arange(n_bases), n_indicators * n_years), categories=bases["code"]
    )
    indicator_codes = pd.Categorical.from_codes(
        np.tile(np.repeat(np.arange(n_indicators), n_years), n_bases), categories=codes
    )
    values = pd.DataFrame(
        {
            "base_code": base_codes,
            "indicator_code": indicator_codes,
            "year": np.tile(years, n_bases * n_indicators),
            "value": cube.ravel(),
        }
    )
    return bases, values, indicators


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def report_national(args) -> bool:
    start = time.perf_counter()
    bases, values, indicators = national(args.bases, args.indicators, args.years, args.seed)
    built = time.perf_counter() - start
    rows = len(values)
    rss_before = peak_rss_gb()
    start, cpu = time.perf_counter(), time.process_time()
    problems = data_check(values, bases, indicators=indicators)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    verdict = "PASS" if seconds < SECONDS_TARGET or rows < 20_000_000 else "FAIL"
    print(
        f"national: {args.bases:,} bases x {args.indicators} indicators x {args.years} years ="
        f" {rows:,} rows (built in {built:.1f} s)"
    )
    counts = problems.groupby(["rule", "severity"]).size().to_dict()
    print(f"  problems: {len(problems):,} {counts}")
    print(
        f"  data_check: {seconds:.1f} s (target < {SECONDS_TARGET:.0f} s at 20 M) {verdict};"
        f" CPU {cpu:.1f} s; peak RSS {peak_rss_gb():.2f} GB (before the call"
        f" {rss_before:.2f} GB); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    ok = verdict == "PASS"
    if args.cli:
        ok &= report_cli(bases, values, indicators)
    return ok


def report_cli(bases: pd.DataFrame, values: pd.DataFrame, indicators: pd.DataFrame) -> bool:
    """``mieval check`` end to end on the campaign as CSV files, in a fresh process."""
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        out = bases.assign(name_zh=bases["code"], name_en=bases["code"], province="11", batch=2016)[
            ["code", "name_zh", "name_en", "category", "subcategory", "province", "batch"]
        ]
        out.to_csv(folder / "bases.csv", index=False)
        indicators.assign(unit="count", direction=1, stat="mean", categories="")[
            ["code", "name_zh", "name_en", "unit", "direction", "stat", "categories"]
        ].to_csv(folder / "indicators.csv", index=False)
        values[values["value"].notna()].to_csv(
            folder / "values.csv", index=False, float_format="%.0f"
        )
        command = [
            sys.executable,
            "-c",
            "import resource, sys; from mieval.cli import main; status = main(sys.argv[1:]);"
            " print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr);"
            " sys.exit(status)",
            "check",
            str(folder / "bases.csv"),
            str(folder / "values.csv"),
            "--indicators",
            str(folder / "indicators.csv"),
            "--format",
            "json",
            "--out",
            str(folder / "check.json"),
        ]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ))
        seconds = time.perf_counter() - start
        peak = int(done.stderr.strip().splitlines()[-1]) / 1024**2
        rows = int(values["value"].notna().sum())
        print(
            f"  mieval check (CLI, CSV, {rows:,} rows): {seconds:.1f} s, exit {done.returncode},"
            f" peak RSS {peak:.2f} GB"
        )
        return done.returncode in (0, 1)


# --- the peer test's cut-off factors -----------------------------------------------------------


def cutoff_factors(sizes, scores: float, seed: int) -> dict[int, float]:
    """f_N of :data:`mieval.core.checks.outliers.PEER_CUTOFF_FACTORS` by simulation: N normal
    values, each one's deviation from the other N - 1 values' median, divided by the Qn of the
    N deviations; f_N is the quantile of |z| exceeded with probability 2 (1 - Phi(3.5)),
    divided by 3.5."""
    alpha = math.erfc(3.5 / math.sqrt(2))
    rng = np.random.default_rng(seed)
    out = {}
    for n in sizes:
        sims = int(scores / n)
        y = rng.standard_normal((sims, n))
        e = y - _others_median_rows(y)
        z = np.abs(e / _qn_rows(e)[:, None]).ravel()
        out[n] = float(np.quantile(z, 1 - alpha)) / 3.5
    return out


def _others_median_rows(y: np.ndarray) -> np.ndarray:
    s = np.sort(y, axis=1)
    rank = np.argsort(np.argsort(y, axis=1, kind="stable"), axis=1, kind="stable")
    m = y.shape[1] - 1

    def other(k: int) -> np.ndarray:
        k = np.full_like(rank, k)
        return np.take_along_axis(s, k + (k >= rank), axis=1)

    return other(m // 2) if m % 2 else (other(m // 2 - 1) + other(m // 2)) / 2


def _qn_rows(e: np.ndarray) -> np.ndarray:
    n = e.shape[1]
    i, j = np.triu_indices(n, 1)
    h = n // 2 + 1
    k = h * (h - 1) // 2
    out = np.empty(e.shape[0])
    for a in range(0, e.shape[0], 20000):
        distances = np.abs(e[a : a + 20000, i] - e[a : a + 20000, j])
        out[a : a + 20000] = np.partition(distances, k - 1, axis=1)[:, k - 1]
    return qn_factor(n) * QN_CONSTANT * out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--panels", type=int, default=300)
    parser.add_argument("--spread", type=float, default=0.6)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--national", action="store_true")
    parser.add_argument("--bases", type=int, default=20000)
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--cli", action="store_true", help="with --national: time the CLI too")
    parser.add_argument("--cutoffs", action="store_true")
    parser.add_argument("--scores", type=float, default=5e6, help="with --cutoffs, per N")
    args = parser.parse_args()
    if args.cutoffs:
        for n, f in cutoff_factors(range(3, 51), args.scores, 20261204).items():
            print(f"    {n}: {f:.3f},")
        return
    ok = report_national(args) if args.national else report_panels(args)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
