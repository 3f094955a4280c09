"""Reminders to experts with unscored bases: the service, the button, the command."""

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation

from mieval.panels.models import EvaluationSettings, PanelEvent
from mieval.panels.services import score_reminders_send
from mieval.panels.tests.test_results import submit


@pytest.fixture(autouse=True)
def english(client):
    """The pages in English (the site's default language is Chinese)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def logins(published):
    """Logins with email for X02 (panel 1) and X04 (panel 2); X01 is erin's; the others
    have none."""
    from django.contrib.auth import get_user_model

    from mieval.accounts.models import Profile

    for code in ("X02", "X04"):
        expert = (
            published.panels.get(members__expert__code=code).members.get(expert__code=code).expert
        )
        expert.user = get_user_model().objects.create_user(f"u{code}", f"{code}@example.org")
        Profile.objects.create(user=expert.user, role="expert")
        expert.save(update_fields=["user"])
    return published


@pytest.mark.django_db
def test_experts_with_unscored_bases_are_emailed_their_list(
    campaign_c, logins, rubric, alice, django_capture_on_commit_callbacks
):
    EvaluationSettings.objects.create(
        campaign=campaign_c, scoring_deadline=datetime(2026, 6, 30, 10, 0, tzinfo=UTC)
    )
    submit(campaign_c, rubric, "X02", "R1", 70)  # X02 has R2 and U1 left

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        done = score_reminders_send(campaign=campaign_c, user=alice, now=NOW)

    assert (done.sent, done.without_email) == (["X01", "X02", "X04"], ["X03", "X05", "X06"])
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_recipient) == ["X02@example.org", "X04@example.org", "erin@example.org"]
    body = by_recipient["X02@example.org"].body
    assert "- R2 区域二 Region two\n- U1 高校一 University one\n" in body
    assert "R1 " not in body
    assert "Please score and submit them before 2026-06-30 18:00." in body  # Asia/Shanghai
    assert by_recipient["X02@example.org"].subject == "mieval: bases still to score in 测试评估"
    event = PanelEvent.objects.get()
    assert (event.kind, event.actor, event.details["sent"]) == (
        "reminders_sent",
        "alice",
        ["X01", "X02", "X04"],
    )


@pytest.mark.django_db
def test_reminders_leave_only_once_the_transaction_commits(
    campaign_c, logins, django_capture_on_commit_callbacks
):
    from django.db import transaction

    # Given a transaction that rolls back after the reminders were "sent"
    with (
        django_capture_on_commit_callbacks(execute=True) as rolled_back,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        score_reminders_send(campaign=campaign_c, now=NOW)
        assert mail.outbox == []  # not yet: nothing leaves inside the transaction
        raise RuntimeError("rolled back")

    # Then no mail is sent and no event recorded
    assert (rolled_back, mail.outbox, PanelEvent.objects.count()) == ([], [], 0)

    # When the transaction commits
    with django_capture_on_commit_callbacks(execute=True) as committed:
        score_reminders_send(campaign=campaign_c, now=NOW)

    # Then one mail per expert with a login and an address, sent after the commit
    assert len(committed) == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "X02@example.org",
        "X04@example.org",
        "erin@example.org",
    ]


@pytest.mark.django_db
def test_no_reminder_after_the_deadline(campaign_c, logins):
    from django.core.exceptions import ValidationError

    EvaluationSettings.objects.create(
        campaign=campaign_c, scoring_deadline=datetime(2026, 5, 31, 16, 0, tzinfo=UTC)
    )

    with pytest.raises(ValidationError) as refused, translation.override("en"):
        score_reminders_send(campaign=campaign_c, now=NOW)

    assert refused.value.messages == [
        "The scoring deadline 2026-06-01 00:00 has passed; no reminder is sent."
    ]
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_analysts_button_sends_the_reminders(
    client, alice, campaign_c, logins, django_capture_on_commit_callbacks
):
    client.force_login(alice)

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        response = client.post("/campaigns/c/panels/reminders/", follow=True)

    assert response.redirect_chain == [("/campaigns/c/panels/results/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Reminders sent to 3 experts.",
        "No login or email address for: X03, X05, X06.",
    ]
    assert len(mail.outbox) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["erin", "oscar", "bob"])
def test_only_the_office_sends_reminders(client, everyone, logins, username):
    client.force_login(everyone[username])

    assert client.post("/campaigns/c/panels/reminders/").status_code == 403
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_command_reminds_only_within_the_days_before_the_deadline(
    campaign_c, logins, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    EvaluationSettings.objects.create(
        campaign=campaign_c, scoring_deadline=timezone.now() + timezone.timedelta(days=5)
    )
    out, err = StringIO(), StringIO()

    call_command("send_score_reminders", "--within", "3", stdout=out, stderr=err)
    assert (out.getvalue(), err.getvalue(), mail.outbox) == (
        "",
        "c: the deadline is not within 3 days\n",
        [],
    )

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_score_reminders", "--campaign", "c", "--within", "7", stdout=out)
    assert out.getvalue() == "c: 3 reminded; no email for X03, X05, X06\n"
    assert len(mail.outbox) == 3
