"""Experts' logins in the web UI: created with an emailed invitation, an existing account
linked, unlinked; organisers only for their own organisation; every change audited."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import translation

from mieval.conftest import PASSWORD
from mieval.panels.models import Expert, PanelEvent

PAGE = "/panels/organisations/ORG1/experts/X01/login/"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def unlinked(roster):
    """X01 (ORG1) without a login; erin is then a free expert account."""
    expert = roster["X01"]
    expert.user = None
    expert.save(update_fields=["user"])
    return expert


@pytest.mark.django_db
def test_the_organiser_creates_a_login_and_the_expert_chooses_a_password(
    client, oscar, unlinked, django_capture_on_commit_callbacks
):
    client.force_login(oscar)

    # The invitation is sent after the commit, in the language active then.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            PAGE,
            {"action": "create", "create-username": "wang", "create-email": "wang@example.org"},
        )

    assert response.status_code == 302
    user = get_user_model().objects.get(username="wang")
    unlinked.refresh_from_db()
    assert (unlinked.user, user.profile.role, user.has_usable_password()) == (
        user,
        "expert",
        False,
    )
    (message,) = mail.outbox
    assert (message.to, message.subject) == (
        ["wang@example.org"],
        "mieval: your login as an expert",
    )
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    event = PanelEvent.objects.get()
    assert (event.kind, event.actor, event.expert, event.details["username"]) == (
        "login_created",
        "oscar",
        unlinked,
        "wang",
    )

    client.logout()
    form = client.get(link, follow=True)
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 302
    response = client.post("/accounts/login/", {"username": "wang", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/panels/mine/").status_code == 200


@pytest.mark.django_db
def test_a_taken_user_name_and_a_missing_email_are_named(client, alice, unlinked):
    client.force_login(alice)

    with translation.override("en"):
        response = client.post(
            PAGE, {"action": "create", "create-username": "bob", "create-email": ""}
        )

    assert response.status_code == 200
    with translation.override("en"):
        assert response.context["create_form"].errors == {"email": ["This field is required."]}
    response = client.post(
        PAGE, {"action": "create", "create-username": "Alice", "create-email": "a@example.org"}
    )
    assert response.context["create_form"].non_field_errors() == [
        "The user name 'Alice' is taken; link the existing account instead."
    ]
    assert Expert.objects.get(code="X01").user is None


@pytest.mark.django_db
def test_the_analyst_links_an_existing_expert_account_and_unlinks_it(client, alice, unlinked, erin):
    client.force_login(alice)

    response = client.post(PAGE, {"action": "link", "link-username": "erin"})

    assert response.status_code == 302
    assert Expert.objects.get(code="X01").user == erin
    client.post(PAGE, {"action": "unlink"})
    assert Expert.objects.get(code="X01").user is None
    assert list(PanelEvent.objects.values_list("kind", "details__username")) == [
        ("login_linked", "erin"),
        ("login_unlinked", "erin"),
    ]


@pytest.mark.django_db
def test_an_account_with_another_role_cannot_be_linked(client, alice, unlinked, bob):
    client.force_login(alice)

    with translation.override("en"):
        response = client.post(PAGE, {"action": "link", "link-username": "bob"})

    assert response.context["link_form"].non_field_errors() == [
        "The account 'bob' has another role (base officer); only an account with the role"
        " expert, or without a role, can be an expert's login."
    ]
    assert Expert.objects.get(code="X01").user is None
    assert PanelEvent.objects.count() == 0


@pytest.mark.django_db
def test_an_account_without_a_role_becomes_an_expert_when_linked(client, alice, unlinked, stranger):
    client.force_login(alice)

    client.post(PAGE, {"action": "link", "link-username": "stranger"})

    stranger.refresh_from_db()
    assert (Expert.objects.get(code="X01").user, stranger.profile.role) == (stranger, "expert")


@pytest.mark.django_db
def test_an_account_already_linked_to_another_expert_is_refused(client, alice, roster, erin):
    client.force_login(alice)

    with translation.override("en"):
        response = client.post(
            "/panels/organisations/ORG2/experts/X02/login/",
            {"action": "link", "link-username": "erin"},
        )

    assert response.context["link_form"].non_field_errors() == [
        "The account 'erin' is already the login of the expert X01."
    ]


@pytest.mark.django_db
def test_an_organiser_cannot_link_an_expert_of_another_organisation(client, oscar, roster, erin):
    client.force_login(oscar)
    page = "/panels/organisations/ORG2/experts/X02/login/"

    assert client.get(page).status_code == 404
    response = client.post(page, {"action": "link", "link-username": "erin"})

    assert response.status_code == 404
    assert Expert.objects.get(code="X02").user is None
    # nor through the own organisation's address
    assert client.get("/panels/organisations/ORG1/experts/X02/login/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "status"), [("bob", 403), ("erin", 403), ("victor", 403)])
def test_other_roles_may_not_manage_logins(client, everyone, roster, username, status):
    client.force_login(everyone[username])

    assert client.get(PAGE).status_code == status
