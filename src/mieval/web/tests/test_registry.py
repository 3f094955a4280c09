"""Registry management: list, create and edit bases through the registry services."""

from django.urls import reverse
from django.utils import translation

from mieval.registry.models import Base, BaseChange
from mieval.web.tests.helpers import bases_add

FORM = {
    "name_zh": "区域一（新）",
    "name_en": "Region 1",
    "category": "region",
    "subcategory": "new_area",
    "province": "11",
    "batch": "2017",
    "reason": "renamed by the ministry",
}


def test_edit_records_old_and_new_values(client, alice, login, campaign_c):
    response = login(alice).post(reverse("registry_base_edit", args=["R1"]), FORM)

    assert response.status_code == 302
    change = BaseChange.objects.get(base__code="R1", actor="alice")
    assert change.changes == {
        "name_zh": ["区域一", "区域一（新）"],
        "name_en": ["Region one", "Region 1"],
        "subcategory_id": ["urban_district", "new_area"],
        "batch": [2016, 2017],
    }
    assert (change.user, change.actor, change.reason) == (alice, "alice", FORM["reason"])
    base = Base.objects.get(code="R1")
    assert (base.name_en, base.subcategory_id, base.batch) == ("Region 1", "new_area", 2017)


def test_edit_without_change_records_nothing(client, alice, login, campaign_c):
    data = {**FORM, "name_zh": "区域一", "name_en": "Region one"}
    data |= {"subcategory": "urban_district", "batch": "2016"}

    login(alice).post(reverse("registry_base_edit", args=["R1"]), data)

    assert not BaseChange.objects.filter(actor="alice").exists()


def test_subcategory_must_belong_to_the_category(client, alice, login, campaign_c):
    data = {**FORM, "category": "enterprise"}
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = login(alice).post(reverse("registry_base_edit", args=["R1"]), data)

    assert response.status_code == 200
    assert response.context["form"].errors["subcategory"] == [
        "This subcategory belongs to the category Region, not to Enterprise; the"
        " subcategories of Enterprise are: State-owned enterprise, Private enterprise."
    ]
    assert not BaseChange.objects.filter(actor="alice").exists()


def test_unknown_province_refused(client, alice, login, campaign_c):
    response = login(alice).post(
        reverse("registry_base_edit", args=["R1"]), {**FORM, "province": "99"}
    )

    assert "province" in response.context["form"].errors
    assert Base.objects.get(code="R1").province_id == "11"


def test_create_records_the_creation(client, admin_user, login, campaign_c):
    data = {**FORM, "code": "N1", "name_en": "New one"}

    response = login(admin_user).post(reverse("registry_base_create"), data)

    assert response.status_code == 302
    base = Base.objects.get(code="N1")
    assert (base.subcategory_id, base.province_id, base.batch) == ("new_area", "11", 2017)
    assert BaseChange.objects.get(base=base).changes == {"created": [None, "N1"]}


def test_create_refuses_a_code_in_use_or_with_a_space(client, alice, login, campaign_c):
    login(alice)
    english = {"accept-language": "en"}
    taken = client.post(reverse("registry_base_create"), {**FORM, "code": "R1"}, headers=english)
    spaced = client.post(reverse("registry_base_create"), {**FORM, "code": "N 1"}, headers=english)
    chinese = client.post(reverse("registry_base_create"), {**FORM, "code": "R1"})

    # Form errors are lazy: they are read in the language the assertion activates.
    with translation.override("en"):
        assert taken.context["form"].errors["code"] == [
            "A base with the code 'R1' exists already; each base needs its own code."
        ]
        assert spaced.context["form"].errors["code"] == [
            "The code 'N 1' contains a space; remove it."
        ]
    with translation.override("zh-hans"):
        assert chinese.context["form"].errors["code"] == [
            "代码为“R1”的基地已存在；每个基地须有自己的代码。"
        ]
    assert Base.objects.count() == 5


def test_list_search_filter_and_pages(client, alice, login, campaign_c):
    bases_add(campaign_c, 30)
    login(alice)
    url = reverse("registry_bases")

    first = client.get(url)
    assert first.context["page"].paginator.count == 35
    assert len(first.context["rows"]) == 25
    assert client.get(url, {"page": 2}).context["page"].object_list[0].code == "X025"

    def codes(**params):
        return [r["base"].code for r in client.get(url, params).context["rows"]]

    assert codes(q="university one") == ["U1"]
    assert codes(q="区域") == ["R1", "R2"]
    assert codes(category="enterprise") == ["E1"]
    assert codes(subcategory="urban_district", batch="2017") == ["R2"]
    assert codes(region="west") == ["R2"]
