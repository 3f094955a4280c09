"""``mieval report``: the campaign report (or the base profiles) from files or a snapshot."""

import argparse

from mieval.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    add_data_file_arguments,
    campaign_lookup,
    message,
    read_data_files,
    run_guarded,
    setup_django,
    write_output,
)


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "report",
        help="the campaign report (HTML, PDF or XLSX) or the base profiles, in zh or en",
        description=(
            "Build the campaign report: summary, development-trend table, classification, "
            "charts, findings, rankings, expert evaluation, narrative and methodology. "
            "Read BASES and VALUES files (no database), or a published snapshot of a campaign "
            "with --campaign (the latest, or --snapshot HASH). With --profiles, write one "
            "profile per base into a zip file instead. 评估报告与示范基地概况。"
        ),
    )
    add_data_file_arguments(parser, campaign="build from a published snapshot of this campaign")
    parser.add_argument(
        "--snapshot", metavar="HASH", help="the snapshot's content hash (or 8+ first characters)"
    )
    parser.add_argument("--lang", choices=["zh", "en"], default="zh", help="language (zh)")
    parser.add_argument("--format", choices=["html", "pdf", "xlsx", "docx"], default="html")
    parser.add_argument(
        "--profiles",
        action="store_true",
        help="base profiles (a zip of PDF, HTML or DOCX files)",
    )
    parser.add_argument("--out", metavar="FILE", help="write the result here (default: stdout)")
    return parser


def run(args: argparse.Namespace) -> int:
    if args.campaign and (args.bases or args.values):
        message("mieval report: give either BASES VALUES files or --campaign, not both")
        return EXIT_BAD_INPUT
    if not args.campaign and not (args.bases and args.values):
        message("mieval report: give BASES and VALUES files, or --campaign CODE")
        return EXIT_BAD_INPUT
    if args.snapshot and not args.campaign:
        message("mieval report: --snapshot needs --campaign")
        return EXIT_BAD_INPUT
    if args.profiles and args.format == "xlsx":
        message("mieval report: profiles are written as pdf, html or docx, not xlsx")
        return EXIT_BAD_INPUT
    if (args.format != "html" or args.profiles) and not args.out:
        what = "--profiles" if args.profiles else f"--format {args.format}"
        message(f"mieval report: {what} needs --out FILE")
        return EXIT_BAD_INPUT
    return run_guarded(lambda: _run(args))


def _from_files(args):
    from mieval.core.reports.payload import payload_hash
    from mieval.reports.build import payload_from_frames

    bases, values, indicators = read_data_files(args)
    payload = payload_from_frames(bases, values, indicators)
    return payload, payload_hash(payload), None


def _from_campaign(args):
    from mieval.reports.selectors import snapshot_get

    campaign = campaign_lookup("report", args.campaign)
    if campaign is None:
        return None
    snapshot = snapshot_get(campaign, args.snapshot)
    if snapshot is None:
        if args.snapshot:
            message(
                f"mieval report: campaign '{campaign.code}' has no snapshot '{args.snapshot}' "
                "(give the hash or at least its first 8 characters)"
            )
        else:
            message(
                f"mieval report: campaign '{campaign.code}' has no published snapshot; "
                "publish one on the campaign's Reports page first"
            )
        return None
    lineage = f"/campaigns/{campaign.code}/lineage/?snapshot={snapshot.content_hash}&"
    return snapshot.payload, snapshot.content_hash, lineage


def _run(args) -> int:
    # Templates need Django's settings in both modes; only --campaign touches the database.
    setup_django()
    from mieval.reports.build import profiles_build, profiles_zip, report_build

    loaded = _from_campaign(args) if args.campaign else _from_files(args)
    if loaded is None:
        return EXIT_BAD_INPUT
    payload, content_hash, lineage = loaded
    message(f"mieval report: snapshot {content_hash}")
    if args.profiles:

        def progress(done, total):
            if done == total or done % 20 == 0:
                message(f"mieval report: profiles {done}/{total}")

        files = profiles_build(
            payload,
            content_hash=content_hash,
            lang=args.lang,
            fmt=args.format,
            progress=progress,
        )
        output = profiles_zip({args.format: files}, lang=args.lang)
    else:
        message(f"mieval report: building the {args.lang} {args.format} report")
        output = report_build(
            payload, content_hash=content_hash, lang=args.lang, fmt=args.format, lineage=lineage
        )
    write_output(output, args.out)
    return EXIT_OK
