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
    parser.add_argument(
        "--programme",
        metavar="CODE",
        help=(
            "the programme a new campaign is a round of (created with the campaign when it does "
            "not exist; default: the default programme, mie-bases)"
        ),
    )
    parser.add_argument(
        "--round",
        type=int,
        metavar="N",
        help="the new campaign's round number in its programme (default: the round after the last)",
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
    from mieval.collection.services import RoundTaken, campaign_create, campaign_import_apply

    if args.round is not None and args.round < 1:
        message(f"mieval import: --round {args.round} is not a round number; rounds count from 1")
        return EXIT_BAD_INPUT

    def body() -> int:
        campaign = (
            Campaign.objects.select_related("framework", "programme")
            .filter(code=args.campaign)
            .first()
        )
        if campaign is not None:
            refused = _round_check(campaign, args)
            if refused is not None:
                return refused
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
                return _dry_run_new(args, first, last)
            try:
                campaign = campaign_create(
                    code=args.campaign,
                    first_year=first,
                    last_year=last,
                    name_zh=args.name_zh,
                    name_en=args.name_en,
                    programme=_programme(args),
                    round=args.round,
                )
            except RoundTaken as error:
                message(f"mieval import: {error}; choose another --round")
                return EXIT_BAD_INPUT
            message(
                f"Created campaign '{campaign.code}' ({first}-{last}). It is round "
                f"{campaign.round} of programme '{campaign.programme.code}'."
            )
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


def _programme(args, *, dry_run: bool = False):
    """The programme ``--programme`` names (created when missing, with a message), or None for
    the default one."""
    from mieval.collection.models import Programme
    from mieval.collection.services import programme_create

    if not args.programme:
        return None
    programme = Programme.objects.filter(code=args.programme).first()
    if programme is None:
        programme = programme_create(code=args.programme)
        message(f"{'Would create' if dry_run else 'Created'} programme '{programme.code}'.")
    return programme


def _round_check(campaign, args) -> int | None:
    """An existing campaign keeps its programme and round: options that disagree are refused."""
    if args.programme and args.programme != campaign.programme.code:
        message(
            f"mieval import: campaign '{campaign.code}' is a round of programme "
            f"'{campaign.programme.code}', not of '{args.programme}'; change it in the admin"
        )
        return EXIT_BAD_INPUT
    if args.round is not None and args.round != campaign.round:
        message(
            f"mieval import: campaign '{campaign.code}' is round {campaign.round}, not "
            f"{args.round}; change it in the admin"
        )
        return EXIT_BAD_INPUT
    return None


def _dry_run_new(args, first: int, last: int) -> int:
    """A dry run for a campaign that does not exist yet: plan inside a rolled-back transaction."""
    from django.db import transaction

    from mieval.collection.selectors import campaign_import_plan
    from mieval.collection.services import RoundTaken, campaign_create

    with transaction.atomic():
        try:
            campaign = campaign_create(
                code=args.campaign,
                first_year=first,
                last_year=last,
                programme=_programme(args, dry_run=True),
                round=args.round,
            )
        except RoundTaken as error:
            transaction.set_rollback(True)
            message(f"mieval import: {error}; choose another --round")
            return EXIT_BAD_INPUT
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
