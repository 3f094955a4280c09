"""``mieval sample``: write the demo campaign as interchange files."""

import argparse

from mieval.cli.common import EXIT_OK, bounded_int, message
from mieval.core.limits import SEED_MAX


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "sample",
        help="write the demo campaign (120 bases, 2016-2018) as interchange files",
        description=(
            "Write the demo campaign as interchange files: bases.csv (120 demo bases, batches "
            "2016 and 2017, with their domain tags in a last column 'fields'), values.csv "
            "(2016-2018, the twelve indicators) and the expert-panel roster organisations.csv "
            "(58 organisations), experts.csv (303 experts) and conflicts.csv, and the exchange's "
            "80 bilingual needs and offers, posts.csv. The values are "
            "random but calibrated so that 'mieval trends' reproduces the evaluation poster's "
            "development-trend table exactly. Also the programme's other demo rounds: round1/ "
            "(the first batch's 28 bases, 2016) and round3/ (212 bases, 2019-2021, on a newer "
            "framework: indicators.csv, crosswalk.csv, and the lifecycle events.csv). "
            "生成演示数据。"
        ),
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write into")
    parser.add_argument(
        "--seed",
        type=bounded_int(0, SEED_MAX),
        default=0,
        help=f"random seed, 0 to {SEED_MAX} (default 0)",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    from mieval.demo.campaign import write_sample
    from mieval.demo.rounds import write_rounds

    paths = write_sample(args.out, seed=args.seed)
    paths |= write_rounds(args.out, seed=args.seed)
    for path in paths.values():
        message(f"Wrote {path}")
    return EXIT_OK
