"""Writes to indicator frameworks. A framework version, once created, is never changed."""

import pandas as pd
from django.db import transaction
from django.db.models import Max

from mieval.indicators.models import Framework, Indicator
from mieval.indicators.selectors import framework_indicators_frame

#: The columns that define a framework's content (order is part of it).
CONTENT_COLUMNS = ["code", "name_zh", "name_en", "unit", "unit_zh", "direction", "stat"]
CONTENT_COLUMNS += ["categories", "non_negative", "decimals"]


def framework_content(frame: pd.DataFrame) -> list[tuple]:
    """What makes two indicator lists the same framework: every defining field, in order."""
    rows = frame[CONTENT_COLUMNS].to_dict("records")
    return [
        tuple(
            tuple(sorted(row[c]))
            if c == "categories"
            else (int(row[c]) if c in {"direction", "decimals"} else row[c])
            for c in CONTENT_COLUMNS
        )
        for row in rows
    ]


@transaction.atomic
def framework_version_ensure(
    *, code: str, name_zh: str, name_en: str, indicators: pd.DataFrame
) -> tuple[Framework, bool]:
    """The framework ``code`` with exactly these indicators: its latest version if that has
    the same content, else a new version. Returns ``(framework, created)``.

    ``indicators`` is a validated indicators frame (``core.tables.files.read_indicators``), in
    order.
    """
    latest = Framework.objects.filter(code=code).order_by("-version").first()
    if latest is not None and framework_content(
        framework_indicators_frame(latest)
    ) == framework_content(indicators):
        return latest, False
    version = (Framework.objects.filter(code=code).aggregate(v=Max("version"))["v"] or 0) + 1
    framework = Framework.objects.create(
        code=code, version=version, name_zh=name_zh or code, name_en=name_en or code
    )
    created = Indicator.objects.bulk_create(
        [
            Indicator(
                framework=framework,
                code=row.code,
                name_zh=row.name_zh,
                name_en=row.name_en,
                unit=row.unit,
                unit_zh=row.unit_zh,
                direction=int(row.direction),
                stat=row.stat,
                non_negative=bool(row.non_negative),
                decimals=int(row.decimals),
                order=order,
            )
            for order, row in enumerate(indicators.itertuples(index=False))
        ]
    )
    through = Indicator.categories.through
    through.objects.bulk_create(
        [
            through(indicator_id=indicator.pk, category_id=category)
            for indicator, categories in zip(created, indicators["categories"], strict=True)
            for category in categories
        ]
    )
    return framework, True
