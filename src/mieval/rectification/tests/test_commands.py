"""``rectification_remind`` (mail after commit, once a day) and ``load_rectification_demo``."""

from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command

from mieval.rectification.models import EvaluationProblem, Rectification, Reminder
from mieval.rectification.services import rectification_plan, rectification_reminders_send


@pytest.fixture
def overdue(filed, bob, carol, clock):
    """R1's plan due 2026-03-10 (bob's base), U1's due 2026-04-30 (carol's); the clock then
    moves to 2026-03-12, when only R1's is overdue."""
    r1 = rectification_plan(
        problem=filed["r1"],
        measures="结对交流",
        owner="管委会",
        deadline=date(2026, 3, 10),
        user=bob,
    )
    rectification_plan(
        problem=filed["u1"], measures="m", owner="o", deadline=date(2026, 4, 30), user=carol
    )
    clock.at = datetime(2026, 3, 12, 1, 0, tzinfo=UTC)
    return r1


def test_the_mail_leaves_after_commit_and_only_once_a_day(
    overdue, mailoutbox, django_capture_on_commit_callbacks, clock
):
    with django_capture_on_commit_callbacks() as callbacks:
        first = rectification_reminders_send()
    assert mailoutbox == []
    for callback in callbacks:
        callback()
    with django_capture_on_commit_callbacks(execute=True):
        again = rectification_reminders_send()

    assert first.sent == ((overdue.problem_id, "R1", ("bob@example.org",)),)
    assert again.sent == () and again.already == (overdue.problem_id,)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["bob@example.org"]
    assert mail.subject == "R1 的整改已逾期"
    assert "应于 2026-03-10 完成" in mail.body and "已逾期 2 天" in mail.body
    assert list(Reminder.objects.values_list("day", flat=True)) == [date(2026, 3, 12)]
    assert overdue.problem.events.filter(action="reminded").count() == 1


def test_the_next_day_reminds_again_and_done_items_are_not_reminded(
    overdue, mailoutbox, django_capture_on_commit_callbacks, clock
):
    with django_capture_on_commit_callbacks(execute=True):
        rectification_reminders_send()
    clock.at = datetime(2026, 3, 13, 1, 0, tzinfo=UTC)
    with django_capture_on_commit_callbacks(execute=True):
        rectification_reminders_send()
    Rectification.objects.filter(pk=overdue.pk).update(state="done")
    with django_capture_on_commit_callbacks(execute=True):
        later = rectification_reminders_send(today=date(2026, 3, 14))

    assert len(mailoutbox) == 2 and later.sent == ()


def test_a_base_without_an_officer_email_is_reported(filed, alice, clock):
    from mieval.registry.models import Base

    e1 = filed["e1"]
    Rectification.objects.create(
        problem=e1, measures="m", owner="o", deadline=date(2026, 2, 1), created_at=clock()
    )

    done = rectification_reminders_send(campaign=e1.campaign)

    assert done.without_email == (e1.pk,) and done.sent == ()
    assert Base.objects.get(code="E1").officers.count() == 0


def test_the_command_prints_what_it_sent(
    overdue, capsys, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rectification_remind", campaign="c")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rectification_remind")

    assert capsys.readouterr().out.splitlines() == [
        f"problem {overdue.problem_id} (R1): bob@example.org",
        "1 reminded, 0 already reminded today, 0 without an e-mail address",
        "0 reminded, 1 already reminded today, 0 without an e-mail address",
    ]
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_the_demo_has_every_type_and_state_and_loads_once(tmp_path, capsys, clock):
    from mieval.collection.selectors import campaign_import_plan
    from mieval.collection.services import campaign_create, campaign_import_apply
    from mieval.demo.campaign import sample_bases

    sample_bases(0).to_csv(tmp_path / "bases.csv", index=False)
    campaign = campaign_create(code="demo", first_year=2016, last_year=2018)
    plan = campaign_import_plan(
        campaign=campaign, bases_path=tmp_path / "bases.csv", values_path=None
    )
    campaign_import_apply(plan=plan, actor="test")

    call_command("load_rectification_demo", campaign="demo")
    first = list(
        EvaluationProblem.objects.order_by("pk").values_list(
            "base__code", "type__code", "source", "state", "rectification__state"
        )
    )
    call_command("load_rectification_demo", campaign="demo")

    assert capsys.readouterr().out.splitlines() == [
        "demo: 12 problems loaded",
        "demo: the problem register is already loaded",
    ]
    problems = EvaluationProblem.objects.filter(campaign=campaign)
    assert sorted(set(problems.values_list("type__code", flat=True))) == [
        "corporate_credit", "east_west_exchange", "institutional_constraints",
        "resource_clustering", "service_incentives", "vitality_livelihoods",
    ]  # fmt: skip
    by_state = {s: problems.filter(state=s).count() for s in ("proposed", "confirmed", "dismissed")}
    assert by_state == {"proposed": 2, "confirmed": 9, "dismissed": 1}
    states = sorted(Rectification.objects.values_list("state", flat=True))
    assert states == [
        "accepted", "accepted", "done", "in_progress", "in_progress", "not_accepted", "planned",
        "planned",
    ]  # fmt: skip
    overdue = Rectification.objects.filter(deadline__lt=date(2026, 3, 1))
    assert list(overdue.values_list("problem__type__code", "state")) == [
        ("institutional_constraints", "planned")
    ]
    assert [row[:2] for row in first[:4]] == [
        (first[0][0], "east_west_exchange"), (first[1][0], "corporate_credit"),
        (first[0][0], "service_incentives"), (first[1][0], "resource_clustering"),
    ]  # fmt: skip


def test_the_letters_demo_accepts_opinions_on_bases_with_problems_and_sends_once(
    filed, accepted_r1, scored, media, capsys, erin
):
    from mieval.rectification.models import FeedbackLetter
    from mieval.registry.models import Base
    from mieval.visits import services
    from mieval.visits.tests.conftest import panel

    for code in ("U1", "R2"):  # U1 has a confirmed problem, R2 none
        opinion = services.opinion_save(
            campaign=accepted_r1.campaign, panel=panel(1), base=Base.objects.get(code=code),
            text=f"{code}运营规范。", recommendations="", user=erin,
        )  # fmt: skip
        services.opinion_submit(
            opinion=services.opinion_circulate(opinion=opinion, user=erin), user=erin
        )

    call_command("load_letters_demo", campaign="c")
    call_command("load_letters_demo", campaign="c")

    assert capsys.readouterr().out.splitlines()[-2:] == [
        "c: feedback letters generated 2, sent 2",
        "c: the feedback letters are already loaded",
    ]
    letters = FeedbackLetter.objects.order_by("base__code")
    assert list(letters.values_list("base__code", "state", "version")) == [
        ("R1", "sent", 1),
        ("U1", "sent", 1),
    ]
    assert [len(letter.content["sections"][2]["table_rows"]) for letter in letters] == [1, 1]
