"""``mieval export``: write a campaign's bases and values as interchange files."""

import argparse

from mieval.cli.common import EXIT_OK, message, run_on_campaign


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "export",
        help="export a campaign's bases and values as interchange files",
        description=(
            "Write bases.csv and values.csv (or .xlsx) of a campaign into a folder; values exactly "
            "as entered. 导出评估轮次的基地与指标数据。"
        ),
    )
    parser.add_argument("--campaign", required=True, help="campaign code")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write into")
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    return parser


def run(args: argparse.Namespace) -> int:
    def body(campaign) -> int:
        from mieval.collection.services import campaign_export

        paths = campaign_export(campaign=campaign, out_dir=args.out, fmt=args.format)
        for path in paths.values():
            message(f"Wrote {path}")
        return EXIT_OK

    return run_on_campaign("export", args.campaign, body)
