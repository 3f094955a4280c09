"""Login with lockout (django-axes), logout, password change and reset by email."""

import re

from django.core import mail
from django.urls import reverse

from mieval.conftest import PASSWORD


def login_post(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_and_logout(client, alice):
    response = login_post(client, "alice", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == alice

    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_shows_the_form_again(client, alice):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = login_post(client, "alice", "wrong")

    assert response.status_code == 200
    assert response.context["form"].errors["__all__"] == [
        "The user name and password do not match an account. Both are case-sensitive."
    ]


def test_locked_out_after_five_failures(client, alice):
    statuses = [login_post(client, "alice", f"wrong-{i}").status_code for i in range(5)]

    # The fifth failure reaches the limit: the lockout page, status 429.
    assert statuses == [200, 200, 200, 200, 429]
    response = login_post(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert response.context["failure_limit"] == 5
    assert "_auth_user_id" not in client.session


def test_password_change(client, alice):
    client.force_login(alice)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-Horse-77-battery",
            "new_password2": "another-Horse-77-battery",
        },
    )

    assert response["Location"] == reverse("password_change_done")
    alice.refresh_from_db()
    assert alice.check_password("another-Horse-77-battery")


def test_password_reset_by_email(client, alice):
    response = client.post(reverse("password_reset"), {"email": "alice@example.org"})

    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)

    # The link redirects to the form with the token kept in the session.
    form_url = client.get(link)["Location"]
    assert client.get(form_url).context["validlink"] is True
    response = client.post(
        form_url,
        {"new_password1": "fresh-Lantern-42-river", "new_password2": "fresh-Lantern-42-river"},
    )

    assert response["Location"] == reverse("password_reset_complete")
    alice.refresh_from_db()
    assert alice.check_password("fresh-Lantern-42-river")
    # The link works once.
    assert client.get(link).status_code == 200
    assert client.get(link).context["validlink"] is False


def test_password_reset_for_unknown_email_sends_nothing(client, alice):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_answers_the_same_whichever_address_is_given(client, alice, erin):
    """Whether an address belongs to an account is not revealed: the same redirect and the
    same page for an account's address, an unknown one and a deactivated account's."""
    erin.is_active = False
    erin.save(update_fields=["is_active"])
    answers = []
    for email in ("alice@example.org", "nobody@example.org", "erin@example.org"):
        response = client.post(reverse("password_reset"), {"email": email}, follow=True)
        # (the logout form's CSRF token is masked anew on every page)
        page = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())
        answers.append((response.redirect_chain, response.status_code, page))

    assert answers[0][:2] == ([(reverse("password_reset_done"), 302)], 200)
    assert answers[1] == answers[0]
    assert answers[2] == answers[0]
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
