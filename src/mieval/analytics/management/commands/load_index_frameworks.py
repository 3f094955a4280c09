"""Load the demonstration index frameworks (``examples/mie-*-index.toml``) into the database.

The files live in the source tree, not in the installed package: ``--dir`` names their folder
where mieval is installed without the source (the default is the checkout's ``examples/``).
Idempotent: a framework whose latest version has the same text is left alone; a changed text
becomes a new version (a framework version is never edited).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mieval.analytics.models import IndexFramework
from mieval.analytics.services import index_framework_create
from mieval.registry.models import Category

EXAMPLES = Path(settings.PACKAGE_DIR).parents[1] / "examples"

#: code, category, Chinese name, English name, file name
DEMO = [
    (
        "mie-region",
        "region",
        "区域示范基地双创指数",
        "Regional MIE index",
        "mie-region-index.toml",
    ),
    (
        "mie-university",
        "university_institute",
        "高校和科研院所示范基地双创指数",
        "University and institute MIE index",
        "mie-university-index.toml",
    ),
    (
        "mie-enterprise",
        "enterprise",
        "企业示范基地双创指数",
        "Enterprise MIE index",
        "mie-enterprise-index.toml",
    ),
]


class Command(BaseCommand):
    help = "Load the demonstration composite-index frameworks (a changed file: a new version)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            type=Path,
            default=EXAMPLES,
            help="folder of the framework files mie-*-index.toml (default: examples/ of the "
            "source tree)",
        )

    def handle(self, *args, **options):
        folder = options["dir"]
        missing = [name for *_, name in DEMO if not (folder / name).is_file()]
        if missing:
            raise CommandError(
                f"{', '.join(missing)} not found in {folder}; give the folder of the demo "
                "framework files (examples/ of mieval's source) with --dir"
            )
        for code, category, name_zh, name_en, name in DEMO:
            path = folder / name
            text = path.read_text(encoding="utf-8")
            latest = IndexFramework.objects.filter(code=code).order_by("-version").first()
            if latest is not None and latest.text == text:
                self.stderr.write(f"{latest}: unchanged")
                continue
            framework = index_framework_create(
                code=code,
                category=Category.objects.get(code=category),
                name_zh=name_zh,
                name_en=name_en,
                text=text,
            )
            self.stderr.write(f"{framework}: loaded")
