"""``manage demo_users``: one login per role, bound to the demo's bases and organisation."""

import pytest
from django.core.management import call_command

from mieval.exchange.models import ContactRequest

pytestmark = pytest.mark.django_db

ROLES = {
    "admin": "admin",
    "analyst": "analyst",
    "officer1": "base_officer",
    "officer2": "base_officer",
    "expert": "expert",
    "organiser": "organiser",
    "viewer": "viewer",
}


def logins():
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.select_related("profile__base", "profile__organisation")
    return {u.username: u for u in users if u.username in ROLES}


def test_one_login_per_role_with_the_given_password(campaign_c, monkeypatch, capsys):
    monkeypatch.setenv("MIEVAL_DEMO_PASSWORD", "demo-pass-123")

    call_command("demo_users")

    made = logins()
    assert {name: u.profile.role for name, u in made.items()} == ROLES
    assert made["officer1"].check_password("demo-pass-123")
    # Without the exchange's demo: the first two bases; without panels: a stand-in organisation.
    assert (made["officer1"].profile.base.code, made["officer2"].profile.base.code) == ("E1", "R1")
    assert made["organiser"].profile.organisation.code == "DEMO-ORG-11"
    assert "demo-pass-123" in capsys.readouterr().out


def test_the_officers_are_the_two_sides_of_a_waiting_contact_request(campaign_c, monkeypatch):
    monkeypatch.setenv("MIEVAL_DEMO_PASSWORD", "demo-pass-123")
    call_command("load_exchange_sample", campaign="c")
    waiting = ContactRequest.objects.filter(status="proposed").order_by("requested_at", "pk")[0]

    call_command("demo_users")
    call_command("demo_users")  # again: the same logins, reset

    made = logins()
    assert made["officer1"].profile.base == waiting.responding_base
    assert made["officer2"].profile.base == waiting.requesting_base
    assert len(made) == 7
