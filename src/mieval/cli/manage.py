"""``mieval manage ...``: Django's management commands (migrate, runserver, createsuperuser)."""

import argparse
import os

from mieval.cli.common import EXIT_OK


def add_parser(subparsers) -> argparse.ArgumentParser:
    return subparsers.add_parser(
        "manage",
        help="run a Django management command (migrate, runserver, ...)",
        description="Run a Django management command, e.g. 'mieval manage migrate'.",
        add_help=False,
    )


def run_manage(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mieval.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["mieval manage", *argv])
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    return run_manage([])
