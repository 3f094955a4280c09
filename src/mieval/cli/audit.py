"""``mieval audit``: a campaign's audit trail as CSV (every change of a value and of a
submission's state, oldest first), the same file as the office's download."""

import argparse

from mieval.cli.common import EXIT_OK, message, run_on_campaign, write_output


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "audit",
        help="write a campaign's audit trail as CSV",
        description=(
            "Write every change of a value and of a submission's state in a campaign as CSV "
            "(UTF-8 with a byte-order mark): at, actor, kind, base_code, indicator_code, year, "
            "action, old, new, reason, source. 导出评估轮次的审计记录。"
        ),
    )
    parser.add_argument("--campaign", required=True, help="campaign code")
    parser.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    return parser


def run(args: argparse.Namespace) -> int:
    def body(campaign) -> int:
        from mieval.collection.selectors import campaign_audit_csv

        write_output(campaign_audit_csv(campaign), args.out)
        if args.out:
            message(f"Wrote {args.out}")
        return EXIT_OK

    return run_on_campaign("audit", args.campaign, body)
