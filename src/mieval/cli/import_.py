"""``mieval import``: load interchange files into a campaign, all or nothing."""

import argparse
import getpass

from mieval.cli.common import EXIT_BAD_INPUT, EXIT_OK, message, notice, run_guarded, setup_django
from mieval.core.limits import YEAR_MAX, YEAR_MIN


def _years(text: str) -> tuple[int, int]:
    first, sep, last = text.partition("-")
    try:
        years = (int(first), int(last if sep else first))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year range like 2016-2018") from None
    if years[0] > years[1]:
        raise argparse.ArgumentTypeError(f"{text!r}: the first year is after the last")
    if not (years[0] >= YEAR_MIN and years[1] <= YEAR_MAX):
        raise argparse.ArgumentTypeError(
            f"{text!r}: the years must lie within the allowed range {YEAR_MIN} to {YEAR_MAX}"
        )
    return years


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "import",
        help="import bases and values files into a campaign (all or nothing)",
        description=(
            "Import interchange files (CSV or XLSX) into a campaign of the database. Every file "
            "is checked first; on any problem all problems are listed and nothing is written "
            "(exit status 2). Re-importing the same files changes nothing; changed values are "
            "updated and audited. 导入基地与指标数据（全部成功或全部不写入）。"
        ),
    )
    parser.add_argument("--campaign", required=True, help="campaign code, e.g. demo")
    parser.add_argument("--bases", metavar="FILE", help="bases file (.csv or .xlsx)")
    parser.add_argument("--values", metavar="FILE", help="values file (.csv or .xlsx)")
    parser.add_argument(
        "--indicators",
        metavar="FILE",
        help=(
            "indicators file: the campaign's own framework (a new version when it differs); "
            "only while the campaign holds no values. Default: the twelve built in"
        ),
    )
    parser.add_argument(
        "--create",
        metavar="FIRST-LAST",
        type=_years,
        help="create the campaign if it does not exist, covering these years, e.g. 2016-2018",
    )
    parser.add_argument("--name-zh", default="", help="Chinese name of a new campaign")
    parser.add_argument("--name-en", default="", help="English name of a new campaign")
    parser.add_argument("--reason", default="", help="why: kept in the audit record")
    parser.add_argument(
        "--by", default=None, help="who imports (default: the login name), kept in the audit"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="check and list what would change; write nothing"
    )
    return parser


def run(args: argparse.Namespace) -> int:
    if not (args.bases or args.values or args.indicators):
        message("mieval import: nothing to import; give --indicators, --bases and/or --values")
        return EXIT_BAD_INPUT
    setup_django()
    from mieval.collection.models import Campaign
    from mieval.collection.selectors import campaign_import_plan
    from mieval.collection.services import campaign_create, campaign_import_apply

    def body() -> int:
        campaign = Campaign.objects.select_related("framework").filter(code=args.campaign).first()
        if campaign is None:
            if not args.create:
                message(
                    f"mieval import: there is no campaign '{args.campaign}'; "
                    "add --create FIRST-LAST to create it"
                )
                return EXIT_BAD_INPUT
            first, last = args.create
            if args.dry_run:
                message(f"Would create campaign '{args.campaign}' ({first}-{last}).")
                campaign = Campaign(code=args.campaign, first_year=first, last_year=last)
                campaign.framework = _builtin_framework()
                return _dry_run_new(campaign, args)
            campaign = campaign_create(
                code=args.campaign,
                first_year=first,
                last_year=last,
                name_zh=args.name_zh,
                name_en=args.name_en,
            )
            message(f"Created campaign '{campaign.code}' ({first}-{last}).")
        plan = campaign_import_plan(
            campaign=campaign,
            bases_path=args.bases,
            values_path=args.values,
            indicators_path=args.indicators,
            on_notice=notice,
        )
        if args.dry_run:
            _print_plan(plan, limit=50)
            message("Dry run: nothing was written.")
            return EXIT_OK
        counts = campaign_import_apply(
            plan=plan,
            actor=args.by or getpass.getuser(),
            reason=args.reason,
            source_detail=", ".join(p for p in (args.indicators, args.bases, args.values) if p),
        )
        if plan.framework_changed:
            message(f"The campaign now uses framework {campaign.framework}.")
        message(_summary(counts))
        return EXIT_OK

    return run_guarded(body)


def _builtin_framework():
    from mieval.indicators.selectors import framework_builtin

    return framework_builtin()


def _dry_run_new(campaign, args) -> int:
    """A dry run for a campaign that does not exist yet: plan inside a rolled-back transaction."""
    from django.db import transaction

    from mieval.collection.selectors import campaign_import_plan

    with transaction.atomic():
        campaign.name_zh = campaign.name_en = campaign.code
        campaign.save()
        try:
            plan = campaign_import_plan(
                campaign=campaign,
                bases_path=args.bases,
                values_path=args.values,
                indicators_path=args.indicators,
                on_notice=notice,
            )
            _print_plan(plan, limit=50)
        finally:
            transaction.set_rollback(True)
    message("Dry run: nothing was written.")
    return EXIT_OK


def _print_plan(plan, *, limit: int) -> None:
    message(_summary(plan.counts(), would=True))
    for change in plan.changes[:limit]:
        old = change.old if change.old is not None else "∅"
        new = change.new if change.new is not None else "∅"
        message(f"  {change.base_code} {change.indicator_code} {change.year}: {old} → {new}")
    if len(plan.changes) > limit:
        message(f"  … and {len(plan.changes) - limit} more changes")


def _summary(counts: dict[str, int], *, would: bool = False) -> str:
    verb = "would be" if would else "were"
    return (
        f"Bases: {counts['bases_created']} created, {counts['bases_updated']} updated, "
        f"{counts['bases_added_to_campaign']} added to the campaign. "
        f"Values: {counts['values_created']} created, {counts['values_updated']} changed, "
        f"{counts['values_deleted']} removed, {counts['values_unchanged']} unchanged "
        f"({verb} written)."
    )
