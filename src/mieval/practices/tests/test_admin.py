"""Analysts keep the policy areas in the admin; the items themselves are read only there."""

from mieval.practices.models import PolicyArea


def test_an_analyst_adds_and_deactivates_a_policy_area(client, alice):
    client.force_login(alice)

    response = client.post(
        "/admin/practices/policyarea/add/",
        {"code": "data", "name_zh": "数据要素", "name_en": "Data", "order": 7, "active": "on"},
    )

    assert response.status_code == 302
    area = PolicyArea.objects.get(code="data")
    assert (area.name_zh, area.name_en, area.order, area.active) == ("数据要素", "Data", 7, True)


def test_items_are_read_only_in_the_admin(client, alice, items):
    client.force_login(alice)
    pk = items["person_u1"].pk

    assert client.get("/admin/practices/nomination/").status_code == 200
    assert client.get(f"/admin/practices/nomination/{pk}/change/").status_code == 200
    response = client.post(
        f"/admin/practices/nomination/{pk}/change/", {"status": "selected", "consent_at": "x"}
    )
    assert response.status_code == 403
    assert client.get("/admin/practices/reform/add/").status_code == 403
