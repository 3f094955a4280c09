"""The API tokens page: create (key shown once), list, revoke."""

from django.urls import reverse

from mieval.accounts.models import ApiToken
from mieval.accounts.services import api_token_user


def test_create_shows_the_key_once(client, alice):
    client.force_login(alice)

    response = client.post(reverse("tokens"), {"name": "nightly import", "days": "90"})

    key = response.context["new_key"]
    token = ApiToken.objects.get(user=alice)
    assert key in response.content.decode()
    assert (token.name, token.prefix) == ("nightly import", key[:8])
    assert api_token_user(key) == alice
    listed = client.get(reverse("tokens"))
    assert key not in listed.content.decode()
    assert f"{token.prefix}…" in listed.content.decode()


def test_revoke(client, victor):
    client.force_login(victor)
    client.post(reverse("tokens"), {"name": "script", "days": "30"})
    token = ApiToken.objects.get(user=victor)

    response = client.post(reverse("token_revoke", args=[token.pk]))

    assert response["Location"] == reverse("tokens")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.post(reverse("token_revoke", args=[token.pk])).status_code == 404


def test_bad_validity_refused(client, bob):
    client.force_login(bob)

    response = client.post(reverse("tokens"), {"name": "x", "days": "9999"})

    assert "days" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_an_expired_token_is_listed_as_expired(client, alice):
    from datetime import timedelta

    from django.utils import timezone

    from mieval.accounts.models import ApiToken
    from mieval.accounts.services import api_token_create

    token, _ = api_token_create(user=alice, name="old script")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(days=1))
    client.force_login(alice)

    html = client.get("/accounts/tokens/", headers={"accept-language": "en"}).content.decode()

    row = html.split("old script", 1)[1].split("</tr>", 1)[0]
    assert "expired" in row and "active" not in row
