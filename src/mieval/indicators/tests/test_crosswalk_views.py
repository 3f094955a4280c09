"""The crosswalk editor's pages: list the pairs, add, edit (a stale edit is refused and said),
remove; analysts only."""

import pytest
from django.urls import reverse

from mieval.indicators.models import CrosswalkEvent, CrosswalkRow
from mieval.indicators.selectors import framework_builtin
from mieval.indicators.services import crosswalk_row_add, crosswalk_row_update
from mieval.indicators.tests.crosswalk_helpers import framework_v2

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    return framework_builtin(), framework_v2()


@pytest.fixture
def analyst(client, alice):
    client.force_login(alice)
    return client


def pair_url(pair):
    return reverse("crosswalk_pair", args=[pair[0].pk, pair[1].pk])


def test_an_analyst_adds_a_row_with_a_unit_factor(analyst, pair):
    response = analyst.post(
        pair_url(pair),
        {
            "action": "add",
            "from_code": "incubation_area",
            "to_code": "incubation_area",
            "factor": "0.0001",
        },
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )

    assert response.status_code == 200
    assert list(CrosswalkRow.objects.values_list("from_code", "to_code", "factor")) == [
        ("incubation_area", "incubation_area", 0.0001)
    ]
    rows = response.context["rows"]
    assert [(r["kind"], r["kind_label"]) for r in rows] == [("unit", "unit changed")]
    assert "The row incubation_area → incubation_area is added." in response.content.decode()
    assert [i["code"] for i in response.context["unmapped"]] == [
        "patents_granted",
        "enterprise_gov_projects",
        "inter_enterprise_projects",
        "univ_ie_education_investment",
    ]
    assert CrosswalkEvent.objects.get().user.username == "alice"


def test_a_bad_factor_is_said_in_the_readers_language(analyst, pair):
    response = analyst.post(
        pair_url(pair),
        {"action": "add", "from_code": "patents_granted", "to_code": "patents", "factor": "-1"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"factor": ["系数须为正数（留空即为 1）。"]}
    assert CrosswalkRow.objects.count() == 0


def test_the_pair_list_links_each_pair(analyst, pair):
    crosswalk_row_add(
        from_framework=pair[0], from_code="patents_granted", to_framework=pair[1], to_code="patents"
    )

    response = analyst.get(reverse("crosswalks"), HTTP_ACCEPT_LANGUAGE="en")

    assert [
        (str(p["from_framework"]), str(p["to_framework"]), p["n"])
        for p in response.context["pairs"]
    ] == [("mie-core v1", "mie-core v2", 1)]
    opened = analyst.get(
        reverse("crosswalks"), {"from_framework": pair[0].pk, "to_framework": pair[1].pk}
    )
    assert opened["Location"] == pair_url(pair)


def test_an_edit_of_a_row_someone_changed_meanwhile_is_refused_and_said(analyst, pair):
    row = crosswalk_row_add(
        from_framework=pair[0], from_code="patents_granted", to_framework=pair[1], to_code="patents"
    )
    url = reverse("crosswalk_row_edit", args=[row.pk])
    assert analyst.get(url).context["form"].initial["version"] == 1
    crosswalk_row_update(
        row=row, version=1, from_code="patents_granted", to_code="patents", factor=2
    )

    response = analyst.post(
        url,
        {"from_code": "patents_granted", "to_code": "patents", "factor": "3", "version": "1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert response.context["conflict"] == (
        "Someone else changed this row meanwhile (now patents_granted → patents, factor 2);"
        " nothing was written. Check the values below and save again."
    )
    assert response.context["form"].initial["version"] == 2
    assert CrosswalkRow.objects.get().factor == 2.0
    saved = analyst.post(
        url, {"from_code": "patents_granted", "to_code": "patents", "factor": "3", "version": "2"}
    )
    assert saved["Location"] == pair_url(pair)
    assert CrosswalkRow.objects.get().factor == 3.0


def test_removing_a_row_read_at_an_old_version_is_refused(analyst, pair):
    row = crosswalk_row_add(
        from_framework=pair[0], from_code="patents_granted", to_framework=pair[1], to_code="patents"
    )
    crosswalk_row_update(
        row=row, version=1, from_code="patents_granted", to_code="patents", factor=2
    )

    stale = analyst.post(
        pair_url(pair), {"action": "delete", "row": row.pk, "version": 1}, HTTP_ACCEPT_LANGUAGE="en"
    )
    current = analyst.post(pair_url(pair), {"action": "delete", "row": row.pk, "version": 2})

    assert stale.status_code == 200
    assert stale.context["conflict"].startswith("Someone else changed or removed this row")
    assert current.status_code == 302
    assert CrosswalkRow.objects.count() == 0
    assert list(CrosswalkEvent.objects.order_by("id").values_list("kind", flat=True)) == [
        "added",
        "changed",
        "removed",
    ]
    page = analyst.get(pair_url(pair), HTTP_ACCEPT_LANGUAGE="en")
    assert [e.get_kind_display() for e in page.context["events"]] == [
        "removed",
        "changed",
        "added",
    ]


@pytest.mark.parametrize(("name", "expected"), [("victor", 403), ("bob", 403), ("ada", 200)])
def test_only_the_office_opens_the_editor(client, everyone, pair, name, expected):
    client.force_login(everyone[name])

    assert client.get(pair_url(pair)).status_code == expected
    assert client.get(reverse("crosswalks")).status_code == expected
