"""The rule editor: versions, a preview on a campaign, saving, activating, parse errors."""

import pytest
from django.urls import reverse

from mieval.collection.models import RuleSet

RULES = """[[rule]]
code = "patents_cap"
name_zh = "专利数上限"
name_en = "Patent cap"
left = "#{patents_granted}"
operator = "<="
right = "30"
severity = "warning"
"""


@pytest.fixture
def editor(client, login, english, campaign_c, alice):
    login(alice)
    return reverse("rules_editor", args=[campaign_c.framework.pk])


def test_preview_counts_on_the_fixture_campaign(client, editor, campaign_c):
    response = client.post(editor, {"action": "preview", "text": RULES, "campaign": campaign_c.pk})

    # 5 bases x 3 years; patents: R1 10 and 12, U1 40 and 0, U2 25, E1 7: six compared, nine
    # without a value, U1's 40 above 30.
    assert response.context["preview"]["rows"] == [
        {
            "rule": "patents_cap",
            "name": "Patent cap",
            "severity": "warning",
            "checked": 6,
            "skipped": 9,
            "division_by_zero": 0,
            "flagged": 1,
        }
    ]
    assert RuleSet.objects.count() == 0


def test_save_versions_and_activate_an_older_one(client, editor, campaign_c):
    first = client.post(editor, {"action": "save", "text": RULES, "note": "cap"})
    second = client.post(
        editor, {"action": "save", "text": RULES.replace("30", "50"), "activate": "on"}
    )
    page = client.get(editor)

    assert (first.status_code, second.status_code) == (302, 302)
    versions = list(RuleSet.objects.order_by("version").values_list("version", "is_active"))
    assert versions == [(1, False), (2, True)]
    assert page.context["active"].version == 2
    assert page.context["form"].initial["text"] == RULES.replace("30", "50")

    v1 = RuleSet.objects.get(version=1)
    client.post(editor, {"action": "activate", "version": v1.pk})
    versions = list(RuleSet.objects.order_by("version").values_list("version", "is_active"))
    assert versions == [(1, True), (2, False)]
    assert client.get(editor, {"version": 2}).context["form"].initial["text"] == RULES.replace(
        "30", "50"
    )


def test_bad_toml_is_shown_with_its_line(client, editor, campaign_c):
    response = client.post(editor, {"action": "save", "text": '[[rule]]\ncode = "x"\nleft = \n'})

    assert response.status_code == 200
    (problem,) = response.context["problems"]
    assert problem["line"] == 3
    assert problem["message"].startswith("not valid TOML")
    assert "line 3" in response.content.decode()
    assert RuleSet.objects.count() == 0


def test_rule_problems_name_line_and_key(client, editor, campaign_c):
    text = RULES.replace("#{patents_granted}", "#{patents}")

    response = client.post(editor, {"action": "preview", "text": text, "campaign": campaign_c.pk})

    assert [(p["line"], p["key"]) for p in response.context["problems"]] == [(5, "rule[1].left")]
    assert response.context["preview"] is None


def test_preview_needs_a_campaign_and_some_rules(client, editor):
    no_campaign = client.post(editor, {"action": "preview", "text": RULES})
    no_text = client.post(editor, {"action": "save", "text": "  "})

    assert no_campaign.context["error"] == "Choose a campaign to preview the rules on."
    assert no_text.context["error"] == "Write some rules first."
