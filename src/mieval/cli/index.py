"""``mieval index``: a composite index from a units file, a values file and a framework."""

import argparse
import json
import math
from pathlib import Path

from mieval.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    bounded_float,
    bounded_int,
    message,
    notice,
    run_guarded,
    write_output,
)
from mieval.core.index.framework import (
    AGGREGATE_METHODS,
    IMPUTE_METHODS,
    NORMALISE_METHODS,
)
from mieval.core.limits import NOISE_MAX, RUNS_MAX, SEED_MAX, YEAR_MAX, YEAR_MIN

STAGE_FILES = ("denominated", "imputed", "treated", "normalised", "aggregated")


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "index",
        help="composite index: scores and ranks at every level of a framework",
        description=(
            "Build a composite index COINr-style: run the pipeline of the framework file "
            "(denominate, screen, impute, treat, normalise, weight, aggregate) on VALUES and "
            "score and rank the units of UNITS at every aggregate level (rank 1 is best; ties "
            "share the smallest rank). The framework format is documented in "
            "src/mieval/core/index/framework.py; examples/coinr-asem/ has an example. "
            "综合指数：按框架文件计算各层级得分与排名。"
        ),
    )
    parser.add_argument(
        "units", metavar="UNITS", help="units file (.csv or .xlsx): code + attributes"
    )
    parser.add_argument(
        "values", metavar="VALUES", help="values file: base_code,indicator_code,year,value"
    )
    parser.add_argument("--framework", metavar="FILE.toml", required=True, help="framework file")
    parser.add_argument(
        "--year",
        type=bounded_int(YEAR_MIN, YEAR_MAX),
        metavar="Y",
        help="year of the results, one of the values file's (default: the latest)",
    )
    parser.add_argument(
        "--stages",
        metavar="DIR",
        help="write the data after each step to DIR as base_code,code,value CSV files: "
        + ", ".join(f"{s}.csv" for s in STAGE_FILES),
    )
    parser.add_argument(
        "--runs",
        type=bounded_int(1, RUNS_MAX),
        metavar="N",
        help=f"also run N (1 to {RUNS_MAX}) Monte Carlo runs of weight noise (--noise) and "
        "report each unit's median rank and 5-95%% interval on the top level",
    )
    parser.add_argument(
        "--noise",
        type=bounded_float(0, NOISE_MAX),
        default=0.25,
        help=f"relative weight noise for --runs, 0 to {NOISE_MAX:g} (0.25)",
    )
    parser.add_argument(
        "--seed",
        type=bounded_int(0, SEED_MAX),
        default=0,
        help=f"random seed for --runs, 0 to {SEED_MAX} (0)",
    )
    for step, methods in (
        ("impute", IMPUTE_METHODS),
        ("normalise", NORMALISE_METHODS),
        ("aggregate", AGGREGATE_METHODS),
    ):
        parser.add_argument(
            f"--{step}-alternatives",
            type=_methods(step, methods),
            default=(),
            metavar="M1,M2",
            help=f"with --runs: {step} methods each run may use besides the framework's own, "
            f"equally likely ({', '.join(methods)})",
        )
    parser.add_argument(
        "--audit",
        metavar="FILE",
        help="also write the statistical audit of the index as JSON to FILE: correlations, "
        "Cronbach's alpha, PCA, main effects (correlation ratios against the weights) and "
        "the rank changes of removing each node; every year of a panel (see DESIGN.md)",
    )
    parser.add_argument(
        "--optimise-weights",
        action="store_true",
        help="with --audit: also propose, beside the nominal weights, the weights whose "
        "importance shares come closest to them (Becker et al. 2017); never applied",
    )
    parser.add_argument("--format", choices=["table", "csv", "json", "xlsx"], default="table")
    parser.add_argument("--out", metavar="FILE", help="write the result here (default: stdout)")
    return parser


def run(args: argparse.Namespace) -> int:
    if args.format == "xlsx" and not args.out:
        message("mieval index: --format xlsx needs --out FILE")
        return EXIT_BAD_INPUT
    if args.optimise_weights and not args.audit:
        message("mieval index: --optimise-weights needs --audit FILE")
        return EXIT_BAD_INPUT
    return run_guarded(lambda: _run(args))


def _run(args) -> int:
    from mieval.core.index import build as index_build_module
    from mieval.core.index.framework import framework_read
    from mieval.core.index.io import read_units, read_values_for

    framework = framework_read(args.framework)
    units = read_units(args.units, on_notice=notice)
    values = read_values_for(
        args.values,
        framework,
        units,
        year=args.year,
        framework_file=args.framework,
        on_notice=notice,
    )
    try:
        result = index_build_module.index_build(values, framework, units=units, year=args.year)
    except ValueError as error:
        message(f"mieval index: {error}")
        return EXIT_BAD_INPUT
    uncertainty = None
    if args.runs:
        try:
            uncertainty = _monte_carlo(args, values, framework, units, result.year)
        except ValueError as error:  # an impossible combination of alternatives
            message(f"mieval index: {error}")
            return EXIT_BAD_INPUT
    if args.stages:
        _write_stages(result, Path(args.stages))
    if args.audit:
        try:
            document = _audit(args, values, framework, units, result)
        except ValueError as error:
            message(f"mieval index: {error}")
            return EXIT_BAD_INPUT
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        Path(args.audit).write_text(text, encoding="utf-8")
    scores = result.scores.rename(columns={"unit": "base_code"})
    if args.format == "json":
        document = {"scores": [_score_record(r) for r in scores.to_dict("records")]}
        if uncertainty is not None:
            document["uncertainty"] = [
                {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
                for r in uncertainty.rename(columns={"unit": "base_code"}).to_dict("records")
            ]
        output = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        write_output(output, args.out)
    elif args.format == "csv":
        write_output("\ufeff" + scores.to_csv(index=False, lineterminator="\n"), args.out)
    elif args.format == "xlsx":
        from mieval.core.tables.files import write_table

        write_table(scores, args.out)
    else:
        write_output(_table_text(result, framework, uncertainty), args.out)
    return EXIT_OK


def _score_record(record: dict) -> dict:
    score = record["score"]
    rank = record["rank"]
    missing = score is None or (isinstance(score, float) and math.isnan(score))
    return {
        "base_code": record["base_code"],
        "code": record["code"],
        "score": None if missing else float(score),
        "rank": None if missing or rank is None or rank != rank else int(rank),
    }


def _methods(step: str, allowed: tuple[str, ...]):
    """An argparse type: a comma-separated list of known method names."""

    def parse(text: str) -> tuple[str, ...]:
        names = tuple(n.strip() for n in text.split(",") if n.strip())
        unknown = [n for n in names if n not in allowed]
        if unknown or not names:
            raise argparse.ArgumentTypeError(
                f"{', '.join(unknown) or repr(text)}: not a {step} method; use {', '.join(allowed)}"
            )
        return names

    return parse


def _monte_carlo(args, values, framework, units, year):
    from tqdm import tqdm

    from mieval.core.index.uncertainty import UncertaintySpec, monte_carlo

    with tqdm(total=args.runs, desc="Monte Carlo", unit="run", leave=False) as bar:
        result = monte_carlo(
            values,
            framework,
            UncertaintySpec(
                weight_noise=args.noise,
                impute=args.impute_alternatives,
                normalise=args.normalise_alternatives,
                aggregate=args.aggregate_alternatives,
            ),
            units=units,
            year=year,
            runs=args.runs,
            seed=args.seed,
            progress=lambda done, total: bar.update(1),
        )
    return result.summary


def _audit(args, values, framework, units, result) -> dict:
    """The audit document of the build; with several years, of every year (a panel)."""
    from tqdm import tqdm

    from mieval.core.index.audit import audit_document, index_audit, panel_audit

    audit = index_audit(result, framework, optimise=args.optimise_weights)
    years = sorted(int(y) for y in values["year"].unique())
    if len(years) < 2:
        return audit_document(audit)
    with tqdm(total=len(years), desc="audit", unit="year", leave=False) as bar:
        panel = panel_audit(
            values,
            framework,
            units=units,
            years=years,
            optimise=args.optimise_weights,
            progress=lambda done, total: bar.update(1),
        )
    return audit_document(audit, panel)


def _write_stages(result, directory: Path) -> None:
    from mieval.core.tables.files import write_table

    order = ["raw", "denominated", "screened", "imputed", "treated", "normalised", "aggregated"]
    for name in STAGE_FILES:
        # A step the framework does not have passes the data on unchanged.
        present = [s for s in order[: order.index(name) + 1] if s in result.stages]
        frame = result.stages[present[-1]]
        out = frame.rename(columns={"unit": "base_code"})[["base_code", "code", "value"]]
        write_table(out, directory / f"{name}.csv")


def _table_text(result, framework, uncertainty) -> str:
    scores = result.scores
    top = framework.index
    wide = scores.pivot(index="unit", columns="code", values="score")
    rank = scores[scores["code"] == top].set_index("unit")["rank"]
    levels = framework.hierarchy
    codes = (
        levels.loc[levels["kind"] == "aggregate"]
        .sort_values("level", ascending=False, kind="stable")["code"]
        .tolist()
    )
    header = ["rank", "unit", *codes]
    extra = None
    if uncertainty is not None:
        extra = uncertainty.set_index("unit")
        header += ["median", "5%", "95%"]
    lines = []
    title = f"Composite index {top}" + (f", {result.year}" if result.year is not None else "")
    lines.append(title)
    rows = []
    for unit in rank.sort_values(kind="stable").index:
        row = ["" if rank[unit] is None else str(rank[unit]), str(unit)]
        row += [_fmt(wide.at[unit, c]) for c in codes]
        if extra is not None:
            row += [f"{extra.at[unit, k]:g}" for k in ("median_rank", "q05", "q95")]
        rows.append(row)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines.append("  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    for r in rows:
        lines.append("  ".join(v.rjust(w) for v, w in zip(r, widths, strict=True)))
    return "\n".join(lines) + "\n"


def _fmt(value) -> str:
    return "" if value is None or value != value else f"{value:.2f}"
