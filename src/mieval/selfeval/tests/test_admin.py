"""The admin shows templates, reports, files and events read only."""

import pytest
from django.urls import reverse

from mieval.selfeval.services import report_save
from mieval.selfeval.tests.conftest import TEXTS, base

pytestmark = pytest.mark.django_db

MODELS = ["reporttemplate", "selfevaluation", "selfevaluationfile", "selfevaluationevent"]


@pytest.mark.parametrize("model", MODELS)
def test_the_admin_lists_and_shows_without_add_or_change(client, admin_user, template, bob, model):
    report = report_save(
        campaign=template.campaign, base=base("R1"), texts=TEXTS, expected_version=0, user=bob
    )
    client.force_login(admin_user)

    listing = client.get(reverse(f"admin:selfeval_{model}_changelist"))
    adding = client.get(reverse(f"admin:selfeval_{model}_add"))

    assert listing.status_code == 200
    assert adding.status_code == 403
    if model in {"reporttemplate", "selfevaluation"}:
        pk = template.pk if model == "reporttemplate" else report.pk
        shown = client.get(reverse(f"admin:selfeval_{model}_change", args=[pk]))
        assert shown.status_code == 200
        assert 'name="_save"' not in shown.content.decode()
