import pytest
from django.contrib.auth import get_user_model

from mieval.collection.models import Value, ValueAudit
from mieval.collection.selectors import campaign_import_plan
from mieval.collection.services import campaign_import_apply


@pytest.fixture
def alice(db):
    """Alice, an analyst of the evaluation office with the administration site."""
    return get_user_model().objects.create_superuser("alice", "alice@example.org", "pw-alice-1")


@pytest.fixture
def loaded(campaign, files):
    plan = campaign_import_plan(
        campaign=campaign, bases_path=files["bases"], values_path=files["values"]
    )
    campaign_import_apply(plan=plan, actor="loader")
    return campaign


def change_url(value) -> str:
    return f"/admin/collection/value/{value.pk}/change/"


def test_editing_a_value_in_the_admin_is_audited(client, alice, loaded):
    value = Value.objects.get(base__code="R1", year=2016)
    client.force_login(alice)

    response = client.post(change_url(value), {"raw": "1,234", "reason": "certificate checked"})

    assert response.status_code == 302
    value.refresh_from_db()
    assert (value.raw, value.version) == ("1234", 2)
    audit = ValueAudit.objects.filter(base__code="R1", year=2016).order_by("-id").first()
    assert (audit.old, audit.new, audit.actor, audit.reason) == (
        "100",
        "1234",
        "alice",
        "certificate checked",
    )


def test_the_admin_refuses_text_and_negative_counts(client, alice, loaded):
    value = Value.objects.get(base__code="R1", year=2016)
    client.force_login(alice)

    for raw in ("many", "-5"):
        response = client.post(change_url(value), {"raw": raw, "reason": "test"})
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["raw"]
    value.refresh_from_db()
    assert value.raw == "100"


def test_the_admin_speaks_chinese_by_default_and_english_on_request(client, alice, loaded):
    client.force_login(alice)

    assert "示范基地" in client.get("/admin/").content.decode()
    english = client.get("/admin/", headers={"accept-language": "en"}).content.decode()
    assert "Demonstration bases" in english


def test_audit_records_cannot_be_edited_in_the_admin(client, alice, loaded):
    client.force_login(alice)
    audit = ValueAudit.objects.first()

    assert client.get(f"/admin/collection/valueaudit/{audit.pk}/delete/").status_code == 403
    assert client.get("/admin/collection/valueaudit/add/").status_code == 403
