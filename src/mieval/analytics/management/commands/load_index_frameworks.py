"""Load the demonstration index frameworks (``examples/*.toml``) into the database.

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

#: code, category, Chinese name, English name, file
DEMO = [
    (
        "mie-region",
        "region",
        "区域示范基地双创指数",
        "Regional MIE index",
        EXAMPLES / "mie-region-index.toml",
    ),
    (
        "mie-university",
        "university_institute",
        "高校和科研院所示范基地双创指数",
        "University and institute MIE index",
        EXAMPLES / "mie-university-index.toml",
    ),
    (
        "mie-enterprise",
        "enterprise",
        "企业示范基地双创指数",
        "Enterprise MIE index",
        EXAMPLES / "mie-enterprise-index.toml",
    ),
]


class Command(BaseCommand):
    help = "Load the demonstration composite-index frameworks (a changed file: a new version)."

    def handle(self, *args, **options):
        for code, category, name_zh, name_en, path in DEMO:
            if not path.exists():
                raise CommandError(f"the framework file {path} does not exist")
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
