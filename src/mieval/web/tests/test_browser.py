"""The site in a real browser (Debian's Chromium driven by Playwright): each role logs in and
sees what it may, the language switches, the trend chart shows the table's numbers, and a
script calls the API with a token made on the tokens page."""

import json

import pytest

from mieval.conftest import PASSWORD

# A live server needs committed data, hence transactional tests.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """The flush after a transactional test also removes what the data migrations loaded
    (categories, provinces, the built-in framework): load it again, with the migrations' own
    code, before the fixtures that need it."""
    from importlib import import_module

    from django.apps import apps

    import_module("mieval.registry.migrations.0002_reference_data").load_reference(apps, None)
    import_module("mieval.indicators.migrations.0002_builtin_framework").load_builtin(apps, None)


def log_in(page, username):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit].primary")
    page.wait_for_load_state("networkidle")


def status_of(page, path) -> int:
    return page.goto(path).status


# Each role's landing page after login, then pages it may and may not open.
ROLE_PAGES = {
    "alice": ("/", {"/campaigns/c/": 200, "/campaigns/c/bases/U1/": 200, "/registry/bases/": 200}),
    "victor": ("/", {"/campaigns/c/trends/": 200, "/registry/bases/": 403}),
    "bob": (
        "/campaigns/c/bases/R1/",
        {"/campaigns/c/bases/R1/": 200, "/campaigns/c/bases/U1/": 404, "/campaigns/": 403},
    ),
    "carol": (
        "/campaigns/c/bases/U1/",
        {"/campaigns/c/bases/U1/": 200, "/campaigns/c/bases/R1/": 404, "/registry/bases/": 403},
    ),
    "erin": ("/", {"/campaigns/c/bases/R1/": 404, "/campaigns/c/trends/": 403}),
    "oscar": ("/", {"/campaigns/c/bases/R1/": 404, "/campaigns/": 403}),
    "ada": ("/", {"/registry/bases/": 200, "/frameworks/": 200, "/admin/": 200}),
}


@pytest.mark.parametrize("username", sorted(ROLE_PAGES))
def test_each_role_sees_what_it_may(page, everyone, username):
    landing, expected = ROLE_PAGES[username]

    log_in(page, username)

    assert page.url.endswith(landing)
    assert username in page.locator("header").inner_text()
    assert {path: status_of(page, path) for path in expected} == expected
    assert page.console_errors == []


def test_another_base_is_not_found_and_shows_nothing_of_it(page, bob):
    log_in(page, "bob")

    response = page.goto("/campaigns/c/bases/U1/")

    assert response.status == 404
    body = page.content()
    assert "University one" not in body and "高校一" not in body


def test_the_language_switch(page, alice, campaign_c):
    log_in(page, "alice")
    page.goto("/campaigns/c/trends/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "发展趋势" in page.locator("h1").inner_text()

    page.click("form.langswitch button[value=en]")
    page.wait_for_load_state("networkidle")

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Development trend"
    page.goto("/campaigns/c/")  # the choice sticks
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("form.langswitch button[value=zh-hans]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def chart_series(page) -> dict[str, list]:
    """The trend chart's series as ECharts holds them (name -> [year, value] points)."""
    return page.evaluate(
        """() => {
            const chart = echarts.getInstanceByDom(document.getElementById('trend-chart'));
            return Object.fromEntries(chart.getOption().series.map(s => [s.name, s.data]));
        }"""
    )


def test_the_trend_chart_shows_the_tables_numbers(page, alice, campaign_c):
    log_in(page, "alice")

    page.goto("/campaigns/c/trends/")
    page.wait_for_function("() => document.querySelector('#trend-chart canvas, #trend-chart svg')")

    # new_market_entities (the chart's first indicator): R1 100, 121, 144 and R2 300, 330, -
    # -> means 2016 (100+300)/2 = 200, 2017 (121+330)/2 = 225.5, 2018 144 (R1 alone).
    [points] = chart_series(page).values()
    assert [p if not isinstance(p, list) else p[1] for p in points] == [200, 225.5, 144]
    cells = page.locator(
        "#trend-table tr[data-indicator=new_market_entities] td.trend-value"
    ).evaluate_all("cells => cells.map(c => Number(c.dataset.value))")
    assert cells == [200, 225.5, 144]

    # Filtering (htmx swaps the results) redraws the chart: universities only.
    page.select_option("select[name=category]", "university_institute")
    page.wait_for_function(
        "() => document.querySelectorAll('#trend-table tr[data-indicator=new_market_entities]')"
        ".length === 0"
    )
    page.wait_for_function("() => document.querySelector('#trend-chart canvas, #trend-chart svg')")
    series = chart_series(page)
    # patents_granted, the first indicator universities reported: U1 40, 0 and U2 25
    # -> 2016 40, 2017 (0+25)/2 = 12.5, 2018 none.
    [points] = series.values()
    assert [p if not isinstance(p, list) else p[1] for p in points][:2] == [40, 12.5]
    assert "category=university_institute" in page.url
    assert page.console_errors == []


def decomposition_series(page) -> list[tuple[str, str, list]]:
    """The composition chart's series as ECharts holds them: (type, name, data) in order."""
    return page.evaluate(
        """() => {
            const chart = echarts.getInstanceByDom(document.getElementById('decomposition-chart'));
            return chart.getOption().series.map(s => [s.type, s.name, s.data]);
        }"""
    )


def test_the_composition_chart_shows_the_tables_numbers(page, alice, campaign_c):
    log_in(page, "alice")

    page.goto("/campaigns/c/trends/")
    page.wait_for_function(
        "() => document.querySelector('#decomposition-chart canvas, #decomposition-chart svg')"
    )

    # new_market_entities: R1 100, 121, 144; R2 300, 330, then empty (it leaves).
    # 2017: C = {R1, R2}: within 225.5 - 200 = 25.5, entry 0, exit 0, change 25.5.
    # 2018: C = {R1}: within 144 - 121 = 23, entry 0, exit 121 - 225.5 = -104.5, change -81.5.
    assert decomposition_series(page) == [
        ["bar", "存续基地变化", [25.5, 23]],
        ["bar", "新进入基地", [0, 0]],
        ["bar", "退出基地", [0, -104.5]],
        ["scatter", "均值变化", [25.5, -81.5]],
    ]
    within = page.locator(
        "#decomposition-table tr[data-indicator=new_market_entities] td[data-part=within]"
    ).evaluate_all("cells => cells.map(c => Number(c.dataset.value))")
    assert within == [25.5, 23]

    # Another indicator: patents_granted 2017 {R1 10, U1 40} -> {U1 0, U2 25}, C = {U1}:
    # within 0 - 40 = -40, entry 12.5 - 0 = 12.5, exit 40 - 25 = 15; 2018 no base in common.
    page.select_option("select[data-chart-select=decomposition-chart]", "patents_granted")
    page.wait_for_function(
        """() => echarts.getInstanceByDom(document.getElementById('decomposition-chart'))
                 .getOption().series[0].data[0] === -40"""
    )
    assert [data for _, _, data in decomposition_series(page)] == [
        [-40, None],
        [12.5, None],
        [15, None],
        [-12.5, -3],
    ]
    assert page.console_errors == []


def test_a_script_calls_the_api_with_a_token_made_on_the_tokens_page(page, browser, bob):
    log_in(page, "bob")
    page.goto("/accounts/tokens/")
    page.fill("input[name=name]", "nightly export")
    page.click("form button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    key = page.locator("#new-token").inner_text().strip()
    assert key.startswith("mie_")

    # A script: no cookies, only the token.
    script = browser.new_context(base_url=page.url.split("/accounts")[0])
    response = script.request.get("/api/v1/bases", headers={"Authorization": f"Bearer {key}"})
    denied = script.request.get("/api/v1/bases/U1", headers={"Authorization": f"Bearer {key}"})
    anonymous = script.request.get("/api/v1/bases")

    assert response.status == 200
    assert [b["code"] for b in json.loads(response.text())["items"]] == ["R1"]
    assert denied.status == 404
    assert anonymous.status == 401
    script.close()
