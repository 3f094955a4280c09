"""``mieval trends`` over several rounds: ``--campaign A --campaign B ...`` or
``--programme CODE``. One table across the rounds' years on the newest round's framework
version (:mod:`mieval.core.trends.rounds`); what cannot be mapped is said on standard error and
listed in the JSON's ``"unmapped"``."""

import argparse
import json

from mieval.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    message,
    run_guarded,
    setup_django,
    write_output,
    years_check,
)


def run_rounds(args: argparse.Namespace) -> int:
    if args.bases or args.values:
        message("mieval trends: give either BASES VALUES files or campaigns, not both")
        return EXIT_BAD_INPUT
    if args.programme and args.campaign:
        message("mieval trends: give either --programme or --campaign, not both")
        return EXIT_BAD_INPUT
    if args.indicators:
        message("mieval trends: --indicators is for files; campaigns have their own frameworks")
        return EXIT_BAD_INPUT
    if args.format == "xlsx" and not args.out:
        message("mieval trends: --format xlsx needs --out FILE")
        return EXIT_BAD_INPUT
    if args.year_from and args.year_to and args.year_from > args.year_to:
        message(f"mieval trends: --from {args.year_from} is after --to {args.year_to}")
        return EXIT_BAD_INPUT
    return run_guarded(lambda: _run(args))


def _campaigns(args):
    """The rounds asked for, in round order, or None after saying what is wrong."""
    from mieval.collection.models import Campaign, Programme
    from mieval.collection.selectors import programme_campaigns

    if args.programme:
        programme = Programme.objects.filter(code=args.programme).first()
        if programme is None:
            message(f"mieval trends: there is no programme '{args.programme}'")
            return None
        campaigns = programme_campaigns(programme)
        if not campaigns:
            message(f"mieval trends: programme '{programme.code}' has no campaign yet")
            return None
        return campaigns
    codes = list(dict.fromkeys(args.campaign))
    found = {
        c.code: c
        for c in Campaign.objects.select_related("framework", "programme").filter(code__in=codes)
    }
    missing = [code for code in codes if code not in found]
    if missing:
        message("mieval trends: there is no campaign " + ", ".join(f"'{code}'" for code in missing))
        return None
    programmes = {found[code].programme.code for code in codes}
    if len(programmes) > 1:
        message(
            "mieval trends: the campaigns are rounds of different programmes ("
            + ", ".join(sorted(programmes))
            + "); compare the rounds of one programme"
        )
        return None
    return sorted(found.values(), key=lambda c: c.round)


def _run(args) -> int:
    setup_django()
    from mieval.collection.selectors import rounds_combined
    from mieval.core.trends import render as trends_render
    from mieval.core.trends.rounds import rounds_json, rounds_trend, unmapped_message

    campaigns = _campaigns(args)
    if campaigns is None:
        return EXIT_BAD_INPUT
    combined = rounds_combined(campaigns)
    refused = years_check(
        "trends",
        {"--from": args.year_from, "--to": args.year_to},
        combined.first_year,
        combined.last_year,
        "the rounds",
    )
    if refused is not None:
        return refused
    rounds = ", ".join(f"{r.campaign} (round {r.number})" for r in combined.rounds)
    target = f"{combined.target[0]} v{combined.target[1]}"
    message(f"mieval trends: rounds {rounds}, on framework {target}")
    for row in combined.unmapped.to_dict("records"):
        message(f"mieval trends: {unmapped_message(row)}")
    table = rounds_trend(
        combined,
        by=args.by,
        stat=args.stat,
        year_from=args.year_from,
        year_to=args.year_to,
        balanced=args.balanced,
    )
    if args.format == "json":
        output = json.dumps(rounds_json(table, combined), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        output = "\ufeff" + trends_render.trends_to_csv(table)
    elif args.format == "xlsx":
        output = trends_render.trends_to_xlsx(table, combined.indicators)
    else:
        output = trends_render.trends_to_text(table, combined.indicators)
    write_output(output, args.out)
    return EXIT_OK
