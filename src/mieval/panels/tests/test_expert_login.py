"""Experts' logins in the web UI: an organiser (or the office) requests a login; it takes effect
only once the evaluation office confirms it (a new account invited by email, or an existing
account linked); the answer to the organiser says nothing about other accounts; every step is
audited."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import translation

from mieval.conftest import PASSWORD
from mieval.panels.models import Expert, ExpertLoginRequest, PanelEvent

PAGE = "/panels/organisations/ORG1/experts/X01/login/"
OFFICE = "/panels/logins/"


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


def request_login(client, username, email="wang@example.org", page=PAGE):
    return client.post(
        page, {"action": "request", "username": username, "email": email}, follow=True
    )


def decide(client, login_request, action, reason=""):
    return client.post(
        f"/panels/logins/{login_request.pk}/decide/",
        {"action": action, "reason": reason},
        follow=True,
    )


def flash(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.django_db
def test_an_organisers_request_does_nothing_until_the_office_confirms_it(
    client, oscar, alice, unlinked, django_capture_on_commit_callbacks
):
    # given the organiser asks for a login for its expert, at an address of its choosing
    client.force_login(oscar)
    with django_capture_on_commit_callbacks(execute=True):
        response = request_login(client, "wang", "oscar-owns-this@example.org")

    # then nothing exists yet: no account, no link, no email
    assert flash(response) == [
        "The request is sent to the evaluation office. The login works once the office"
        " confirms it; the expert is then emailed."
    ]
    assert get_user_model().objects.filter(username="wang").exists() is False
    unlinked.refresh_from_db()
    assert unlinked.user is None
    assert mail.outbox == []
    (pending,) = ExpertLoginRequest.objects.all()
    assert (pending.state, pending.username, pending.email, pending.requested_by) == (
        "pending",
        "wang",
        "oscar-owns-this@example.org",
        oscar,
    )
    # the organiser cannot decide it
    assert client.get(OFFICE).status_code == 403
    assert (
        client.post(f"/panels/logins/{pending.pk}/decide/", {"action": "confirm"}).status_code
        == 403
    )
    assert ExpertLoginRequest.objects.get().state == "pending"

    # when the office rejects it (the address is not the one on the expert's nomination)
    client.force_login(alice)
    response = decide(client, pending, "reject", "not the expert's address")

    assert flash(response) == ["The login request for the expert X01 is rejected."]
    pending.refresh_from_db()
    assert (pending.state, pending.decided_by, pending.reason) == (
        "rejected",
        alice,
        "not the expert's address",
    )
    assert get_user_model().objects.filter(username="wang").exists() is False
    assert list(PanelEvent.objects.values_list("kind", "actor", "details__email")) == [
        ("login_requested", "oscar", "oscar-owns-this@example.org"),
        ("login_rejected", "alice", "oscar-owns-this@example.org"),
    ]


@pytest.mark.django_db
def test_the_office_confirms_and_the_expert_chooses_a_password(
    client, oscar, alice, unlinked, django_capture_on_commit_callbacks
):
    client.force_login(oscar)
    request_login(client, "wang", "wang@example.org")
    pending = ExpertLoginRequest.objects.get()

    client.force_login(alice)
    page = client.get(OFFICE)
    assert page.status_code == 200
    assert [row.request for row in page.context["rows"]] == [pending]
    assert "create a new account and email the invitation" in page.content.decode()
    # The invitation is sent after the commit, in the language active then.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        response = decide(client, pending, "confirm")

    assert flash(response) == ["The login wang of the expert X01 is confirmed."]
    user = get_user_model().objects.get(username="wang")
    unlinked.refresh_from_db()
    assert (unlinked.user, user.profile.role, user.email, user.has_usable_password()) == (
        user,
        "expert",
        "wang@example.org",
        False,
    )
    (message,) = mail.outbox
    assert (message.to, message.subject) == (
        ["wang@example.org"],
        "mieval: your login as an expert",
    )
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    assert list(PanelEvent.objects.values_list("kind", "actor", "details__requested_by")) == [
        ("login_requested", "oscar", "oscar"),
        ("login_created", "alice", "oscar"),
    ]
    pending.refresh_from_db()
    assert (pending.state, pending.decided_by) == ("confirmed", alice)
    # a decided request cannot be decided again
    response = decide(client, pending, "reject")
    assert flash(response) == ["This login request was already confirmed; reload the page."]

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


def _normalised(response, username: str) -> str:
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(username, "NAME")


@pytest.mark.django_db
def test_the_organisers_answer_is_the_same_whatever_account_the_name_names(
    client, everyone, roster
):
    """An account's existence and role are not revealed: the analyst, a base officer, an
    expert linked to another expert, an account without a role and a free name get the same
    answer, word for word."""
    client.force_login(everyone["oscar"])
    answers = []
    for username in ("alice", "bob", "erin", "stranger", "ada", "nobody-at-all"):
        expert = Expert.objects.get(code="X01")
        expert.user = None
        expert.save(update_fields=["user"])
        ExpertLoginRequest.objects.all().delete()

        response = request_login(client, username, "x@example.org")

        answers.append(
            (
                response.status_code,
                response.redirect_chain,
                flash(response),
                _normalised(response, username),
            )
        )
    assert answers[0][:3] == (
        200,
        [(PAGE, 302)],
        [
            "The request is sent to the evaluation office. The login works once the office"
            " confirms it; the expert is then emailed."
        ],
    )
    assert [a == answers[0] for a in answers] == [True] * 6
    assert ExpertLoginRequest.objects.get().state == "pending"


@pytest.mark.django_db
def test_the_office_sees_what_confirming_does_and_an_account_with_another_role_is_refused(
    client, oscar, alice, bob, unlinked, stranger
):
    client.force_login(oscar)
    request_login(client, "Bob", "b@example.org")

    client.force_login(alice)
    (row,) = client.get(OFFICE).context["rows"]
    assert (row.account, row.problems) == (
        bob,
        [
            "The account 'bob' has another role (base officer); only an account with the role"
            " expert, or without a role, can be an expert's login."
        ],
    )
    response = decide(client, row.request, "confirm")

    assert flash(response) == row.problems
    assert Expert.objects.get(code="X01").user is None
    assert ExpertLoginRequest.objects.get().state == "pending"
    assert list(PanelEvent.objects.values_list("kind", flat=True)) == ["login_requested"]


@pytest.mark.django_db
def test_the_office_links_an_existing_expert_account_and_unlinks_it(client, alice, unlinked, erin):
    client.force_login(alice)

    # the office's own request takes effect at once
    response = request_login(client, "erin", "ignored@example.org")

    assert flash(response) == ["The expert's login is confirmed."]
    assert Expert.objects.get(code="X01").user == erin
    erin.refresh_from_db()
    assert erin.email == "erin@example.org"  # a linked account keeps its own address
    client.post(PAGE, {"action": "unlink"})
    assert Expert.objects.get(code="X01").user is None
    assert list(PanelEvent.objects.values_list("kind", "details__username")) == [
        ("login_requested", "erin"),
        ("login_linked", "erin"),
        ("login_unlinked", "erin"),
    ]


@pytest.mark.django_db
def test_an_account_without_a_role_becomes_an_expert_when_linked(client, alice, unlinked, stranger):
    client.force_login(alice)

    request_login(client, "stranger")

    stranger.refresh_from_db()
    assert (Expert.objects.get(code="X01").user, stranger.profile.role) == (stranger, "expert")


@pytest.mark.django_db
def test_an_account_already_linked_to_another_expert_is_refused(client, alice, roster, erin):
    client.force_login(alice)

    response = request_login(client, "erin", page="/panels/organisations/ORG2/experts/X02/login/")

    assert response.context["form"].non_field_errors() == [
        "The account 'erin' is already the login of the expert X01."
    ]
    assert Expert.objects.get(code="X02").user is None
    assert ExpertLoginRequest.objects.count() == 0


@pytest.mark.django_db
def test_a_new_request_replaces_the_pending_one_and_the_organiser_withdraws(
    client, oscar, unlinked
):
    client.force_login(oscar)
    request_login(client, "wang", "first@example.org")
    # (a second tab still showing the form)
    request_login(client, "wang", "second@example.org")

    # the pending request shows instead of the form
    page = client.get(PAGE)
    assert (page.context["pending"].email, page.context["form"].is_bound) == (
        "second@example.org",
        False,
    )
    assert 'id="request"' not in page.content.decode()
    client.post(PAGE, {"action": "withdraw"})

    assert list(ExpertLoginRequest.objects.values_list("email", "state")) == [
        ("first@example.org", "withdrawn"),
        ("second@example.org", "withdrawn"),
    ]
    assert list(PanelEvent.objects.values_list("kind", "details__email")) == [
        ("login_requested", "first@example.org"),
        ("login_withdrawn", "first@example.org"),
        ("login_requested", "second@example.org"),
        ("login_withdrawn", "second@example.org"),
    ]


@pytest.mark.django_db
def test_a_bad_user_name_and_a_missing_email_are_named(client, oscar, unlinked):
    client.force_login(oscar)

    response = client.post(PAGE, {"action": "request", "username": "a b", "email": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "username": [
            "Enter a valid username. This value may contain only letters, numbers, and"
            " @/./+/-/_ characters."
        ],
        "email": ["This field is required."],
    }
    assert ExpertLoginRequest.objects.count() == 0


@pytest.mark.django_db
def test_an_overlong_user_name_and_address_are_refused_with_the_limits(client, oscar, unlinked):
    client.force_login(oscar)
    email = "a" * 250 + "@example.org"

    response = client.post(PAGE, {"action": "request", "username": "u" * 151, "email": email})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "username": ["Ensure this value has at most 150 characters (it has 151)."],
        "email": ["Ensure this value has at most 254 characters (it has 262)."],
    }
    assert ExpertLoginRequest.objects.count() == 0


@pytest.mark.django_db
def test_an_organiser_cannot_request_for_an_expert_of_another_organisation(
    client, oscar, roster, erin
):
    client.force_login(oscar)
    page = "/panels/organisations/ORG2/experts/X02/login/"

    assert client.get(page).status_code == 404
    response = client.post(page, {"action": "request", "username": "x", "email": "x@e.org"})

    assert response.status_code == 404
    assert ExpertLoginRequest.objects.count() == 0
    # nor through the own organisation's address
    assert client.get("/panels/organisations/ORG1/experts/X02/login/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["bob", "erin", "victor", "oscar"])
def test_other_roles_may_not_decide_login_requests(client, everyone, roster, username):
    client.force_login(everyone[username])

    assert client.get(OFFICE).status_code == 403
    assert client.post("/panels/logins/1/decide/", {"action": "confirm"}).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "status"), [("bob", 403), ("erin", 403), ("victor", 403)])
def test_other_roles_may_not_manage_logins(client, everyone, roster, username, status):
    client.force_login(everyone[username])

    assert client.get(PAGE).status_code == status


@pytest.mark.django_db
def test_the_admin_does_not_change_an_experts_login(client, alice, unlinked, bob):
    """The admin is no way around the request, the confirmation and the audit."""
    client.force_login(alice)
    url = f"/admin/panels/expert/{unlinked.pk}/change/"

    page = client.get(url)
    form = page.context["adminform"].form
    assert "user" not in form.fields
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(fields="[]", roles='["professional"]', user=str(bob.pk), active="on")
    client.post(url, data)

    assert Expert.objects.get(code="X01").user is None


@pytest.mark.django_db
def test_the_roster_shows_a_request_waiting_for_the_office(client, oscar, unlinked):
    client.force_login(oscar)
    request_login(client, "wang")

    page = client.get("/panels/organisations/ORG1/experts/")

    rows = {e.code: (e.user, e.login_pending) for e in page.context["experts"]}
    assert rows["X01"] == (None, True)
    assert "waiting for the office" in page.content.decode()
