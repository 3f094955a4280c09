"""Reads of frameworks and indicators, as the frames the functional core takes."""

import pandas as pd

from mieval.indicators.models import Framework, Indicator


def framework_builtin() -> Framework:
    from mieval.core import indicators as builtin

    return Framework.objects.get(code=builtin.FRAMEWORK_CODE, version=builtin.FRAMEWORK_VERSION)


def framework_indicators_frame(framework: Framework) -> pd.DataFrame:
    """The framework's indicators in reading order, in the shape of
    :func:`mieval.core.indicators.builtin_indicators_frame` (two queries)."""
    indicators = (
        Indicator.objects.filter(framework=framework)
        .prefetch_related("categories")
        .order_by("order", "code")
    )
    rows = [
        {
            "code": i.code,
            "name_zh": i.name_zh,
            "name_en": i.name_en,
            "unit": i.unit,
            "unit_zh": i.unit_zh,
            "direction": i.direction,
            "stat": i.stat,
            "categories": tuple(sorted(c.code for c in i.categories.all())),
            "non_negative": i.non_negative,
            "decimals": i.decimals,
        }
        for i in indicators
    ]
    columns = ["code", "name_zh", "name_en", "unit", "unit_zh", "direction", "stat"]
    columns += ["categories", "non_negative", "decimals"]
    return pd.DataFrame(rows, columns=columns)


def frameworks_indicator_frames(frameworks=None) -> dict[tuple[str, int], pd.DataFrame]:
    """``{(code, version): indicators frame}`` of ``frameworks`` (default: every version), in
    two queries whatever their number; the frames as :func:`framework_indicators_frame`'s."""
    if frameworks is None:
        frameworks = Framework.objects.all()
    frameworks = list(frameworks)
    by_pk = {f.pk: f for f in frameworks}
    rows: dict[int, list] = {f.pk: [] for f in frameworks}
    indicators = (
        Indicator.objects.filter(framework_id__in=by_pk)
        .prefetch_related("categories")
        .order_by("framework_id", "order", "code")
    )
    for i in indicators:
        rows[i.framework_id].append(
            {
                "code": i.code,
                "name_zh": i.name_zh,
                "name_en": i.name_en,
                "unit": i.unit,
                "unit_zh": i.unit_zh,
                "direction": i.direction,
                "stat": i.stat,
                "categories": tuple(sorted(c.code for c in i.categories.all())),
                "non_negative": i.non_negative,
                "decimals": i.decimals,
            }
        )
    columns = ["code", "name_zh", "name_en", "unit", "unit_zh", "direction", "stat"]
    columns += ["categories", "non_negative", "decimals"]
    return {
        (by_pk[pk].code, by_pk[pk].version): pd.DataFrame(found, columns=columns)
        for pk, found in rows.items()
    }


def crosswalk_frame() -> pd.DataFrame:
    """Every crosswalk row as a frame of ``CROSSWALK_COLUMNS`` (one query), the shape
    :mod:`mieval.core.crosswalk` takes."""
    from mieval.core.crosswalk import CROSSWALK_COLUMNS
    from mieval.indicators.models import CrosswalkRow

    rows = CrosswalkRow.objects.order_by(
        "from_framework__code",
        "from_framework__version",
        "to_framework__code",
        "to_framework__version",
        "from_code",
        "to_code",
    ).values_list(
        "from_framework__code",
        "from_framework__version",
        "from_code",
        "to_framework__code",
        "to_framework__version",
        "to_code",
        "factor",
    )
    frame = pd.DataFrame.from_records(list(rows), columns=list(CROSSWALK_COLUMNS))
    return frame.astype({"from_version": "int64", "to_version": "int64", "factor": "float64"})


def crosswalk_pairs_listed() -> list[dict]:
    """Every version pair that has crosswalk rows: ``from_framework, to_framework, n`` (two
    queries)."""
    from django.db.models import Count

    from mieval.indicators.models import CrosswalkRow

    counts = list(
        CrosswalkRow.objects.values("from_framework", "to_framework")
        .annotate(n=Count("pk"))
        .order_by()
    )
    frameworks = Framework.objects.in_bulk(
        {c["from_framework"] for c in counts} | {c["to_framework"] for c in counts}
    )
    rows = [
        {
            "from_framework": frameworks[c["from_framework"]],
            "to_framework": frameworks[c["to_framework"]],
            "n": c["n"],
        }
        for c in counts
    ]
    return sorted(
        rows,
        key=lambda r: (
            r["from_framework"].code,
            r["from_framework"].version,
            r["to_framework"].code,
            r["to_framework"].version,
        ),
    )


def crosswalk_pair(from_framework: Framework, to_framework: Framework) -> dict:
    """What the editor of one version pair shows: ``rows`` (each with its ``kind``: renamed,
    unit, split, merge or same), the old indicators carried over unchanged (``kept``) and those
    that are ``unmapped``, and both versions' indicator frames."""
    from mieval.core.crosswalk import crosswalk_keep
    from mieval.indicators.models import CrosswalkRow

    frames = frameworks_indicator_frames([from_framework, to_framework])
    old = frames[(from_framework.code, from_framework.version)]
    new = frames[(to_framework.code, to_framework.version)]
    rows = list(
        CrosswalkRow.objects.filter(
            from_framework=from_framework, to_framework=to_framework
        ).order_by("from_code", "to_code")
    )
    targets: dict = {}
    sources: dict = {}
    for r in rows:
        targets.setdefault(r.from_code, set()).add(r.to_code)
        sources.setdefault(r.to_code, set()).add(r.from_code)
    for r in rows:
        if len(sources[r.to_code]) > 1:
            r.kind = "merge"
        elif len(targets[r.from_code]) > 1:
            r.kind = "split"
        elif r.factor != 1:
            r.kind = "unit"
        elif r.from_code != r.to_code:
            r.kind = "renamed"
        else:
            r.kind = "same"
    mentioned = pd.DataFrame(
        {"from_code": [r.from_code for r in rows], "to_code": [r.to_code for r in rows]}
    )
    kept = crosswalk_keep(mentioned, old, new)
    mapped = {r.from_code for r in rows}
    return {
        "rows": rows,
        "kept": list(kept),
        "unmapped": [c for c in old["code"] if c not in mapped and c not in kept],
        "old": old,
        "new": new,
    }
