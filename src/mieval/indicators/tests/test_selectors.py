"""Reads of frameworks: the built-in framework and a framework's indicators frame.

Given the built-in framework (created by a migration) and a framework written by hand, when
their indicators are read, then the frame has the shape of the core's built-in frame and
exactly these rows, in reading order.
"""

import pandas as pd
import pytest

from mieval.core import indicators as builtin
from mieval.indicators.models import Framework, Indicator
from mieval.indicators.selectors import framework_builtin, framework_indicators_frame
from mieval.registry.models import Category

pytestmark = pytest.mark.django_db


def test_the_builtin_framework_is_the_cores_twelve():
    framework = framework_builtin()

    assert (framework.code, framework.version) == ("mie-core", 1)
    frame = framework_indicators_frame(framework)
    expected = builtin.builtin_indicators_frame()[list(frame.columns)]
    expected["categories"] = expected["categories"].map(lambda c: tuple(sorted(c)))
    assert len(frame) == 12
    pd.testing.assert_frame_equal(frame, expected, check_dtype=False)


def test_indicators_are_read_by_order_then_code_with_sorted_categories(
    django_assert_num_queries,
):
    framework = Framework.objects.create(code="f", version=1, name_zh="甲", name_en="F")
    made = {}
    for order, code in [(1, "b"), (0, "z"), (1, "a")]:
        made[code] = Indicator.objects.create(
            framework=framework,
            code=code,
            name_zh=code,
            name_en=code.upper(),
            unit="u",
            stat="mean",
            order=order,
        )
    made["a"].categories.set(Category.objects.filter(code__in=["region", "enterprise"]))

    with django_assert_num_queries(2):
        frame = framework_indicators_frame(framework)

    assert frame.values.tolist() == [
        ["z", "z", "Z", "u", "", 1, "mean", (), True, 0],
        ["a", "a", "A", "u", "", 1, "mean", ("enterprise", "region"), True, 0],
        ["b", "b", "B", "u", "", 1, "mean", (), True, 0],
    ]


def test_a_framework_without_indicators_gives_the_columns():
    framework = Framework.objects.create(code="empty", version=1, name_zh="空", name_en="Empty")

    frame = framework_indicators_frame(framework)

    assert list(frame.columns) == [
        "code", "name_zh", "name_en", "unit", "unit_zh", "direction", "stat",
        "categories", "non_negative", "decimals",
    ]  # fmt: skip
    assert frame.empty
