"""Writes to indicator frameworks: a version, once created, is never changed.

Given a framework code (new, or with a latest version), when a list of indicators is ensured,
then either the latest version is returned untouched or exactly one new version is created
holding exactly these indicators, in order.
"""

import pandas as pd
import pytest

from mieval.indicators.models import Framework, Indicator
from mieval.indicators.selectors import framework_indicators_frame
from mieval.indicators.services import framework_content, framework_version_ensure

pytestmark = pytest.mark.django_db

COLUMNS = ["code", "name_zh", "name_en", "unit", "unit_zh", "direction", "stat"]
COLUMNS += ["categories", "non_negative", "decimals"]
ROWS = [
    ["visits", "访问量", "Visits", "times", "次", 1, "sum", (), True, 0],
    ["cost", "成本", "Cost", "CNY 10k", "万元", -1, "median", ("enterprise", "region"), False, 2],
]


def indicators(rows=ROWS) -> pd.DataFrame:
    """A validated indicators frame as the file reader returns it (``line`` included)."""
    frame = pd.DataFrame([list(r) for r in rows], columns=COLUMNS)
    frame["line"] = range(2, len(frame) + 2)
    return frame


def versions(code="local"):
    return list(
        Framework.objects.filter(code=code)
        .order_by("version")
        .values_list("version", "name_zh", "name_en")
    )


def test_framework_content_is_every_defining_field_in_order():
    frame = indicators([ROWS[1], ROWS[0]])
    frame.loc[0, "categories"] = ("region", "enterprise")  # order of categories does not count

    assert framework_content(frame) == [
        (
            "cost",
            "成本",
            "Cost",
            "CNY 10k",
            "万元",
            -1,
            "median",
            ("enterprise", "region"),
            False,
            2,
        ),
        ("visits", "访问量", "Visits", "times", "次", 1, "sum", (), True, 0),
    ]


def test_a_new_code_gets_version_1_with_the_indicators_in_order():
    framework, created = framework_version_ensure(
        code="local", name_zh="地方指标", name_en="Local indicators", indicators=indicators()
    )

    assert created is True
    assert versions() == [(1, "地方指标", "Local indicators")]
    assert framework_indicators_frame(framework).values.tolist() == [list(r) for r in ROWS]
    assert list(
        Indicator.objects.filter(framework=framework).order_by("order").values_list("order", "code")
    ) == [(0, "visits"), (1, "cost")]


def test_names_default_to_the_code():
    framework, _ = framework_version_ensure(
        code="local", name_zh="", name_en="", indicators=indicators()
    )

    assert (framework.name_zh, framework.name_en) == ("local", "local")


def test_the_same_content_returns_the_latest_version_unchanged():
    first, _ = framework_version_ensure(
        code="local", name_zh="地方", name_en="Local", indicators=indicators()
    )
    same = indicators()
    same.loc[1, "categories"] = ("region", "enterprise")

    again, created = framework_version_ensure(
        code="local", name_zh="改名", name_en="Renamed", indicators=same
    )

    assert (again.pk, created) == (first.pk, False)
    assert versions() == [(1, "地方", "Local")]
    assert Indicator.objects.filter(framework__code="local").count() == 2


@pytest.mark.parametrize(
    ("change", "value"),
    [
        ("name_en", "Page visits"),
        ("unit_zh", "人次"),
        ("direction", -1),
        ("stat", "mean"),
        ("categories", ("region",)),
        ("non_negative", False),
        ("decimals", 1),
    ],
)
def test_any_change_of_content_makes_a_new_version_and_keeps_the_old(change, value):
    first, _ = framework_version_ensure(
        code="local", name_zh="地方", name_en="Local", indicators=indicators()
    )
    changed = indicators()
    changed.at[0, change] = value

    second, created = framework_version_ensure(
        code="local", name_zh="地方", name_en="Local", indicators=changed
    )

    assert (created, second.version) == (True, 2)
    assert versions() == [(1, "地方", "Local"), (2, "地方", "Local")]
    assert framework_indicators_frame(first).values.tolist() == [list(r) for r in ROWS]
    assert framework_indicators_frame(second).values.tolist()[0][COLUMNS.index(change)] == value


def test_a_new_order_is_a_new_version():
    framework_version_ensure(code="local", name_zh="", name_en="", indicators=indicators())

    second, created = framework_version_ensure(
        code="local", name_zh="", name_en="", indicators=indicators([ROWS[1], ROWS[0]])
    )

    assert (created, second.version) == (True, 2)
    assert framework_indicators_frame(second)["code"].tolist() == ["cost", "visits"]


def test_the_next_version_follows_the_highest_and_other_codes_are_apart():
    Framework.objects.create(code="local", version=7, name_zh="七", name_en="Seven")
    Framework.objects.create(code="other", version=9, name_zh="九", name_en="Nine")

    framework, created = framework_version_ensure(
        code="local", name_zh="", name_en="", indicators=indicators()
    )

    assert (created, framework.version) == (True, 8)
    assert versions("other") == [(9, "九", "Nine")]
