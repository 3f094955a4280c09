"""The expert evaluation in a real browser: erin (expert) sees only her panel's bases, declares
a conflict with one, scores another and submits; alice (analyst) reads the aggregated scores and
the reliability figures.

Panel 1 (X01 erin, X02, X03) holds R1, R2, U1. Before the browser steps X02 and X03 have
submitted R1, R2, U1 and erin R1 (C1 weight 0.6, C2 weight 0.4; totals R1 76, 70, 86;
R2 -, 54, 58). In the browser erin scores U1 C1 90, C2 80 (totals U1 86, 84, 100)."""

import pytest

from mieval.panels.models import ConflictDeclaration, Score
from mieval.web.tests.test_browser import log_in

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = {
    "X01": {"R1": (80, 70)},
    "X02": {"R1": (70, 70), "R2": (50, 60), "U1": (80, 90)},
    "X03": {"R1": (90, 80), "R2": (70, 40), "U1": (100, 100)},
}


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    from importlib import import_module

    from django.apps import apps

    import_module("mieval.registry.migrations.0002_reference_data").load_reference(apps, None)
    import_module("mieval.indicators.migrations.0002_builtin_framework").load_builtin(apps, None)


@pytest.fixture
def scored_before(reference_data, published, rubric, campaign_c, roster, erin, alice):
    from django.contrib.auth import get_user_model

    from mieval.accounts.models import Profile
    from mieval.panels.services import score_save, scores_submit
    from mieval.registry.models import Base

    criteria = list(rubric.criteria.all())
    for code, by_base in BEFORE.items():
        expert = roster[code]
        if expert.user is None:
            expert.user = get_user_model().objects.create_user(f"u{code}")
            expert.save(update_fields=["user"])
            Profile.objects.create(user=expert.user, role="expert")
        user = get_user_model().objects.get(pk=expert.user_id)
        for base_code, (c1, c2) in by_base.items():
            base = Base.objects.get(code=base_code)
            entries = {"C1": {"value": str(c1)}, "C2": {"value": str(c2)}}
            score_save(
                user=user, campaign=campaign_c, base=base, criteria=criteria, entries=entries
            )
            scores_submit(user=user, campaign=campaign_c, base=base, criteria=criteria)


def test_erin_declares_scores_submits_and_alice_reads_the_results(page, scored_before):
    log_in(page, "erin")

    assert page.url.endswith("/panels/mine/")
    links = page.locator("#bases-c li a")
    assert [t.split()[0] for t in links.all_inner_texts()] == ["R1", "R2", "U1"]
    assert page.locator("#bases-c li .badge").count() == 1  # R1 is submitted already

    # A conflict with R2: the base leaves her list.
    page.click("#bases-c a:has-text('R2')")
    page.fill("#conflict-form textarea[name=reason]", "曾在该基地任职")
    page.click("#declare")
    page.wait_for_load_state("networkidle")
    assert [t.split()[0] for t in page.locator("#bases-c li a").all_inner_texts()] == ["R1", "U1"]
    assert page.goto("/campaigns/c/scoring/R2/").status == 404

    # U1: a draft first, then the submission.
    page.goto("/panels/mine/")
    page.click("#bases-c a:has-text('U1')")
    page.fill("input[name=C1-value]", "90")
    page.fill("input[name=C2-value]", "80")
    page.fill("textarea[name=C1-comment]", "孵化成效显著")
    page.click("#save")
    page.wait_for_load_state("networkidle")
    assert page.input_value("input[name=C1-value]") == "90"
    page.click("#submit")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/panels/mine/")
    assert page.console_errors == []

    assert sorted(
        Score.objects.filter(expert__code="X01").values_list("base__code", "state", "value")
    ) == [
        ("R1", "submitted", 70),
        ("R1", "submitted", 80),
        ("U1", "submitted", 80),
        ("U1", "submitted", 90),
    ]
    assert list(ConflictDeclaration.objects.values_list("expert__code", "base__code")) == [
        ("X01", "R2")
    ]

    page.click("form button.link")  # log out
    log_in(page, "alice")
    page.goto("/campaigns/c/panels/results/")

    rows = [r.split("\t") for r in page.locator("#aggregate tbody tr").all_inner_texts()]
    assert [[r[0].split()[0], *r[1:5]] for r in rows] == [
        ["R1", "3", "77.33", "76.00", "76.00"],
        ["R2", "2", "56.00", "56.00", "56.00"],
        ["U1", "3", "90.00", "86.00", "86.00"],
    ]
    # Krippendorff's alpha (interval) and ICC of panel 1 on R1 and U1, which all three scored:
    # ICC1 = (MSR - MSW) / (MSR + 2 MSW) = (240.67 - 70.67) / 382 (Shrout & Fleiss 1979).
    assert page.locator("#alpha").inner_text().endswith("0.771")
    icc = [r.split("\t") for r in page.locator("#icc tbody tr").all_inner_texts()]
    assert icc == [["1", "ICC1", "0.445", "2", "3"], ["1", "ICC1k", "0.706", "2", "3"]]
    assert page.locator("#flags tbody tr").count() == 3
    assert page.console_errors == []


def test_alice_forms_panels_in_the_background_and_follows_the_job(
    page, campaign_c, roster, alice, settings
):
    settings.JOBS_EAGER = True  # the job runs right after the request commits
    log_in(page, "alice")
    page.goto("/campaigns/c/panels/")
    for name, value in {
        "groups": "2",
        "min_size": "3",
        "max_size": "3",
        "min_professional": "1",
        "min_operational": "1",
        "time_limit": "10",
    }.items():
        page.fill(f"input[name={name}]", value)

    page.click("#run")
    page.wait_for_url("**/jobs/*/")
    page.wait_for_selector(".job-done")
    assert page.locator("#job-progress").get_attribute("value") == "100"
    page.click("#job a.button")
    page.wait_for_load_state("networkidle")

    assert "/campaigns/c/panels/?set=" in page.url
    assert page.locator("#status").inner_text() == "optimal"
    assert page.locator(".panel-group").count() == 2
    assert page.console_errors == []

    # The other pages of the office load without a script or CSP error.
    for address in (
        "/campaigns/c/rubrics/",
        "/campaigns/c/rubrics/new/",
        "/campaigns/c/panels/settings/",
        "/campaigns/c/panels/results/",
        "/panels/organisations/ORG1/experts/X01/login/",
        "/panels/logins/",
        "/accounts/lockouts/",
    ):
        assert page.goto(address).status == 200
    assert page.console_errors == []
