"""Time the ASEM build and a Monte Carlo uncertainty run of ``mieval index``.

PYTHONPATH=src python bench/index.py [--runs 1000] [--repeat 3]
"""

import argparse
import time
from pathlib import Path

import pandas as pd

from mieval.core.index import framework_read, index_build
from mieval.core.index.uncertainty import UncertaintySpec, monte_carlo

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "coinr-asem"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    values = pd.read_csv(EXAMPLE / "values.csv").rename(
        columns={"base_code": "unit", "indicator_code": "code"}
    )
    units = pd.read_csv(EXAMPLE / "units.csv")
    framework = framework_read(EXAMPLE / "framework.toml")
    best = min(
        _time(lambda: index_build(values, framework, units=units)) for _ in range(args.repeat)
    )
    print(f"ASEM build (51 units, 49 indicators, 5 steps): {best * 1000:.0f} ms")
    spec = UncertaintySpec(weight_noise=0.25, impute=("mean", "median"))
    seconds = _time(lambda: monte_carlo(values, framework, spec, units=units, runs=args.runs))
    print(f"Monte Carlo, {args.runs} runs (weights +-25%, 3 imputations): {seconds:.2f} s")


def _time(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
