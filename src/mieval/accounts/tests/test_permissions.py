import pytest

from mieval.accounts.models import Role
from mieval.accounts.permissions import (
    bases_visible,
    can_edit_values,
    can_manage,
    can_view_base,
    can_view_dashboards,
    role_of,
)
from mieval.registry.models import Base


@pytest.fixture
def r1(campaign_c):
    return Base.objects.get(code="R1")


@pytest.fixture
def u1(campaign_c):
    return Base.objects.get(code="U1")


def test_roles(everyone):
    assert {name: role_of(user) for name, user in everyone.items()} == {
        "ada": Role.ADMIN,
        "alice": Role.ANALYST,
        "bob": Role.BASE_OFFICER,
        "carol": Role.BASE_OFFICER,
        "erin": Role.EXPERT,
        "oscar": Role.ORGANISER,
        "victor": Role.VIEWER,
        "stranger": None,
    }


def test_visible_bases_per_role(everyone):
    visible = {
        name: sorted(bases_visible(user).values_list("code", flat=True))
        for name, user in everyone.items()
    }

    everything = ["E1", "R1", "R2", "U1", "U2"]
    assert visible == {
        "ada": everything,
        "alice": everything,
        "bob": ["R1"],
        "carol": ["U1"],
        "erin": [],
        "oscar": [],
        "victor": everything,
        "stranger": [],
    }


def test_a_base_officer_reads_and_writes_only_the_own_base(bob, r1, u1):
    assert (can_view_base(bob, r1), can_view_base(bob, u1)) == (True, False)
    assert (can_edit_values(bob, r1), can_edit_values(bob, u1)) == (True, False)


def test_who_manages_and_who_reads_dashboards(everyone, r1):
    assert [n for n, u in everyone.items() if can_manage(u)] == ["ada", "alice"]
    assert [n for n, u in everyone.items() if can_view_dashboards(u)] == ["ada", "alice", "victor"]
    assert [n for n, u in everyone.items() if can_edit_values(u, r1)] == ["ada", "alice", "bob"]


def test_an_inactive_user_has_no_role(alice):
    alice.is_active = False

    assert role_of(alice) is None


def test_anonymous_has_no_role():
    from django.contrib.auth.models import AnonymousUser

    assert role_of(AnonymousUser()) is None
    assert role_of(None) is None
