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
