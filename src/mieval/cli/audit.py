"""``mieval audit``: a campaign's audit trail as CSV (every change of a value and of a
submission's state, oldest first), the same file as the office's download."""

import argparse

from mieval.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    campaign_lookup,
    message,
    run_guarded,
    setup_django,
    write_output,
)


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
    setup_django()
    from mieval.collection.selectors import campaign_audit_csv

    def body() -> int:
        campaign = campaign_lookup("audit", args.campaign)
        if campaign is None:
            return EXIT_BAD_INPUT
        write_output(campaign_audit_csv(campaign), args.out)
        if args.out:
            message(f"Wrote {args.out}")
        return EXIT_OK

    return run_guarded(body)
