"""``mieval trends``: the development-trend table, from files or from a campaign."""

import argparse
import json

from mieval.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    add_data_file_arguments,
    bounded_int,
    campaign_lookup,
    message,
    read_data_files,
    run_guarded,
    setup_django,
    write_output,
    years_check,
)
from mieval.core.limits import YEAR_MAX, YEAR_MIN
from mieval.core.reference import GROUP_FIELDS


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "trends",
        help="the development-trend table: yearly figures and average annual growth",
        description=(
            "For each indicator and group and each year: the statistic over the bases that "
            "reported the indicator that year, and their count; then the average annual "
            "(compound) growth rate from the first to the last year with a value. "
            "Read BASES and VALUES files, or a campaign of the database with --campaign. "
            "With --campaign given several times, or --programme CODE (every round of the "
            "programme): one table across the rounds' years on the newest round's framework "
            "version, older rounds' values mapped through the crosswalk; where two rounds hold a "
            "value of the same base, indicator and year, the later round's value wins; old "
            "indicators that cannot be mapped are listed on standard error (and in the JSON's "
            '"unmapped"), never dropped silently. '
            "发展趋势表：各年度统计值与年均增长率；可跨评估轮次。"
        ),
    )
    add_data_file_arguments(
        parser,
        campaign=(
            "read a campaign of the database instead of files; several times for a table "
            "across rounds"
        ),
        campaigns=True,
    )
    parser.add_argument(
        "--programme",
        metavar="CODE",
        help="every round of this programme (a table across rounds); instead of --campaign",
    )
    parser.add_argument("--by", choices=GROUP_FIELDS, help="group the bases by this field")
    parser.add_argument(
        "--balanced",
        action="store_true",
        help="only bases that reported the indicator in every year of the range",
    )
    parser.add_argument(
        "--decompose",
        action="store_true",
        help=(
            "add the composition effect: each year's change of the MEAN (whatever --stat "
            "says) from the year before, split into within (the bases that reported both "
            "years), entry (bases that joined, or reported again after a gap) and exit (bases "
            "that left); the three sum to the change, and are empty with a note where no base "
            'reported both years. json: a "decomposition" object per row; table: a second '
            "table; csv: the columns within_Y, entry_Y, exit_Y and decomposition_note_Y for "
            "every year Y after the first; xlsx: a second sheet, one row per indicator, group "
            "and year. 构成效应分解"
        ),
    )
    parser.add_argument(
        "--stat",
        choices=["mean", "median", "sum"],
        help="statistic for every indicator (default: each indicator's own)",
    )
    year = bounded_int(YEAR_MIN, YEAR_MAX)
    parser.add_argument(
        "--from",
        dest="year_from",
        type=year,
        metavar="Y",
        help="first year, within the campaign's or the values file's (default: the first)",
    )
    parser.add_argument(
        "--to",
        dest="year_to",
        type=year,
        metavar="Y",
        help="last year, within the campaign's or the values file's (default: the last)",
    )
    parser.add_argument("--format", choices=["table", "csv", "json", "xlsx"], default="table")
    parser.add_argument("--out", metavar="FILE", help="write the result here (default: stdout)")
    return parser


def run(args: argparse.Namespace) -> int:
    # Several campaigns or a programme: the table across rounds (cli/trends_rounds.py).
    if args.programme or len(args.campaign or []) > 1:
        from mieval.cli.trends_rounds import run_rounds

        return run_rounds(args)
    args.campaign = args.campaign[0] if args.campaign else None
    if args.campaign and (args.bases or args.values):
        message("mieval trends: give either BASES VALUES files or --campaign, not both")
        return EXIT_BAD_INPUT
    if not args.campaign and not (args.bases and args.values):
        message("mieval trends: give BASES and VALUES files, or --campaign CODE")
        return EXIT_BAD_INPUT
    if args.format == "xlsx" and not args.out:
        message("mieval trends: --format xlsx needs --out FILE")
        return EXIT_BAD_INPUT
    if args.year_from and args.year_to and args.year_from > args.year_to:
        message(f"mieval trends: --from {args.year_from} is after --to {args.year_to}")
        return EXIT_BAD_INPUT
    return run_guarded(lambda: _run(args))


def _load_files(args):
    bases, values, indicators = read_data_files(args)
    return bases, values, indicators, None


def _load_campaign(args):
    setup_django()
    from mieval.collection.selectors import campaign_bases_frame, campaign_values_frame
    from mieval.indicators.selectors import framework_indicators_frame

    campaign = campaign_lookup("trends", args.campaign)
    if campaign is None:
        raise _NoCampaign(args.campaign)
    return (
        campaign_bases_frame(campaign),
        campaign_values_frame(campaign),
        framework_indicators_frame(campaign.framework),
        (campaign.first_year, campaign.last_year),
    )


class _NoCampaign(Exception):
    pass


def _run(args) -> int:
    from mieval.core.trends import render as trends_render
    from mieval.core.trends import table as trends

    try:
        bases, values, indicators, years = (
            _load_campaign(args) if args.campaign else _load_files(args)
        )
    except _NoCampaign:
        return EXIT_BAD_INPUT
    # The range asked for must lie within the data's: the campaign's years, or the file's.
    span, of = years, f"campaign '{args.campaign}'"
    if span is None and len(values):
        span, of = (int(values["year"].min()), int(values["year"].max())), "the values file"
    if span is not None:
        refused = years_check("trends", {"--from": args.year_from, "--to": args.year_to}, *span, of)
        if refused is not None:
            return refused
    years = years or (None, None)
    table = trends.trend_table(
        values[["base_code", "indicator_code", "year", "value"]],
        bases,
        indicators,
        by=args.by,
        stat=args.stat,
        year_from=args.year_from or years[0],
        year_to=args.year_to or years[1],
        balanced=args.balanced,
    )
    split = None
    if args.decompose:
        from mieval.core.trends.decompose import trend_decomposition

        split = trend_decomposition(
            values[["base_code", "indicator_code", "year", "value"]],
            bases,
            indicators,
            by=args.by,
            year_from=args.year_from or years[0],
            year_to=args.year_to or years[1],
            balanced=args.balanced,
        )
    if args.format == "json":
        document = table.to_json_dict(decomposition=split)
        output = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        output = "\ufeff" + trends_render.trends_to_csv(table, split)
    elif args.format == "xlsx":
        output = trends_render.trends_to_xlsx(table, indicators, split)
    else:
        output = trends_render.trends_to_text(table, indicators, split)
    write_output(output, args.out)
    return EXIT_OK
