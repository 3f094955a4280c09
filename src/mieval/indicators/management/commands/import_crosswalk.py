"""Import a crosswalk file between indicator framework versions (``DESIGN.md``: ``from_framework,
from_version, from_code, to_framework, to_version, to_code, factor``).

Every row is checked first against the framework versions in the database (unknown versions
and codes, factors, duplicates, merges into an indicator that does not add up); on any problem
all are listed and nothing is written (exit status 2). The crosswalk of each version pair in
the file becomes what the file says; each row added, changed or removed is audited.
"""

import getpass

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mieval.core.problems import InputError
from mieval.core.tables.crosswalk import read_crosswalk
from mieval.indicators.selectors import frameworks_indicator_frames
from mieval.indicators.services import crosswalk_import


class Command(BaseCommand):
    help = "Import a crosswalk file (CSV or XLSX) between indicator framework versions."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="crosswalk file (.csv or .xlsx)")
        parser.add_argument(
            "--by", default=None, help="who imports (default: the login name), kept in the audit"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check and count what would change; write nothing",
        )

    def handle(self, *args, **options):
        path = options["file"]
        try:
            rows = read_crosswalk(
                path,
                frameworks=frameworks_indicator_frames(),
                on_notice=lambda text: self.stderr.write(f"mieval: {text}"),
            )
        except InputError as error:
            raise CommandError(error.summary(), returncode=2) from None
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file", returncode=2) from None
        with transaction.atomic():
            counts = crosswalk_import(
                rows=rows, actor=options["by"] or getpass.getuser(), source=str(path)
            )
            if options["dry_run"]:
                transaction.set_rollback(True)
        verb = "would be" if options["dry_run"] else "were"
        self.stdout.write(
            f"Crosswalk rows: {counts['added']} added, {counts['changed']} changed, "
            f"{counts['removed']} removed, {counts['unchanged']} unchanged ({verb} written)."
        )
