"""The admin shows the register read only."""

import pytest
from django.urls import reverse

PAGES = [
    "admin:rectification_taxonomyversion_changelist",
    "admin:rectification_problemtype_changelist",
    "admin:rectification_evaluationproblem_changelist",
    "admin:rectification_rectification_changelist",
    "admin:rectification_progress_changelist",
    "admin:rectification_registerevent_changelist",
]


@pytest.mark.parametrize("name", PAGES)
def test_the_lists_open_and_nothing_can_be_added(filed, admin_user, client, name):
    client.force_login(admin_user)

    listed = client.get(reverse(name))
    add = client.get(reverse(name.replace("_changelist", "_add")))

    assert (listed.status_code, add.status_code) == (200, 403)


def test_a_problem_shows_its_evidence_read_only(filed, admin_user, client):
    client.force_login(admin_user)

    page = client.get(
        reverse("admin:rectification_evaluationproblem_change", args=[filed["r1"].pk])
    )

    assert page.status_code == 200
    assert "Visit of 2026-02-20" in page.content.decode()
