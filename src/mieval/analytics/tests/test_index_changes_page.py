"""The rank-changes page on the fixture campaign: runs of 2016 and 2018 (see test_index_run for
the values by hand)."""

import re

import pytest
from django.urls import reverse

from mieval.analytics.models import IndexRun
from mieval.analytics.services import index_framework_create
from mieval.analytics.tests.test_index_run import TINY, run_index, tiny  # noqa: F401 (fixture)
from mieval.registry.models import Category


def _cells(page, base, cls):
    row = re.search(rf'<tr data-base="{base}">(.*?)</tr>', page, re.S).group(1)
    cells = re.findall(rf'class="num {cls}">(.*?)</td>', row, re.S)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in cells]


@pytest.fixture(autouse=True)
def english(client):
    """The pages in English (the default language is Chinese)."""
    client.cookies["django_language"] = "en"


@pytest.fixture
def two_years(campaign_c, tiny, alice):  # noqa: F811
    run_index(campaign_c, tiny, alice, year=2016, runs=0)
    run_index(campaign_c, tiny, alice, year=2018, runs=0)
    return list(IndexRun.objects.order_by("year"))


def test_year_by_year(client, victor, two_years):
    # 2016: R2 100 (rank 1), R1 25 (rank 2). 2018: only R1 reported; normalised year by year,
    # its one value per indicator is the middle of the scale: 50, rank 1 (up one place).
    client.force_login(victor)
    first, last = two_years

    page = client.get(
        reverse("index_changes", args=["c"]), {"run": [first.pk, last.pk]}
    ).content.decode()

    assert _cells(page, "R1", "score") == ["25.00", "50.00"]
    assert _cells(page, "R1", "rank") == ["2", "1"]
    assert _cells(page, "R1", "group-rank") == ["2 / 2", "1 / 1"]
    assert _cells(page, "R1", "change") == ["—", "↑1 (↑1)"]
    assert _cells(page, "R1", "total-change") == ["↑1"]
    assert _cells(page, "R2", "score") == ["100.00", "—"]
    assert _cells(page, "R2", "total-change") == ["—"]
    assert page.index('data-base="R1"') < page.index('data-base="R2"')  # ranked in 2018 first
    assert "Normalised year by year" in page


def test_from_the_ranking_page_picks_the_other_years(client, victor, two_years):
    client.force_login(victor)
    first, last = two_years

    ranking = client.get(reverse("index_run_detail", args=["c", last.pk])).content.decode()
    assert f'/campaigns/c/index/changes/?from={last.pk}"' in ranking
    page = client.get(reverse("index_changes", args=["c"]), {"from": last.pk}).content.decode()

    assert _cells(page, "R1", "rank") == ["2", "1"]
    checked = re.findall(r'<input type="checkbox" name="run" value="(\d+)"[^>]*checked', page)
    assert checked == [str(first.pk), str(last.pk)]


def test_sort_by_base(client, victor, two_years):
    client.force_login(victor)
    first, last = two_years

    page = client.get(
        reverse("index_changes", args=["c"]), {"run": [first.pk, last.pk], "sort": "base"}
    ).content.decode()

    assert page.index('data-base="R1"') < page.index('data-base="R2"')
    page = client.get(
        reverse("index_changes", args=["c"]), {"run": [first.pk, last.pk], "sort": "change"}
    ).content.decode()
    assert page.index('data-base="R1"') < page.index('data-base="R2"')


def test_panel_mode_scores_compare_across_years(client, victor, campaign_c, alice):
    # panel = true: min-max bounds over every year and region base with a value (2016-2018,
    # R1 and R2), whichever year is scored. new_market_entities 100..330: R1 2016 0, R2 2016
    # (300 - 100) / 230 * 100 = 86.96, R1 2018 (144 - 100) / 230 * 100 = 19.13;
    # patents_granted 10..12: R1 2016 0, R1 2018 100. T: R1 2016 0, R2 2016 86.96, R1 2018
    # (19.13 + 100) / 2 = 59.57. Year by year (above), R1 2018 was 50 and R2 2016 100.
    panel = index_framework_create(
        code="tinyp",
        category=Category.objects.get(code="region"),
        name_zh="小指数",
        name_en="Tiny index",
        text="panel = true\n" + TINY,
    )
    run_index(campaign_c, panel, alice, year=2016, runs=20)
    run_index(campaign_c, panel, alice, year=2018, runs=20, sensitivity=True)
    client.force_login(victor)

    page = client.get(reverse("index_changes", args=["c"])).content.decode()

    assert _cells(page, "R1", "score") == ["0.00", "59.57"]
    assert _cells(page, "R2", "score") == ["86.96", "—"]
    assert _cells(page, "R1", "rank") == ["2", "1"]
    latest = IndexRun.objects.get(framework=panel, year=2018)
    assert sorted(latest.inputs) == ["R1"]  # R2 has no value of 2018: not in the results
    assert set(latest.scores.values_list("base__code", flat=True)) == {"R1"}
    assert "Panel mode" in page


def test_bad_choice_is_explained(client, victor, campaign_c, tiny, alice):  # noqa: F811
    run_index(campaign_c, tiny, alice, year=2016, runs=0)
    run_index(campaign_c, tiny, alice, year=2016, runs=0, seed=2)
    client.force_login(victor)
    pks = list(IndexRun.objects.values_list("pk", flat=True))

    page = client.get(reverse("index_changes", args=["c"]), {"run": pks}).content.decode()

    assert "Choose one run per year." in page
    assert 'id="rank-changes"' not in page


def test_officers_may_not(client, bob, two_years):
    client.force_login(bob)

    assert client.get(reverse("index_changes", args=["c"])).status_code == 403
