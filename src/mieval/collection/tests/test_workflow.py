"""The review cycle: submit, query, correct, return, approve (locked), reopen; evidence; rules."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mieval.collection.models import (
    Evidence,
    Query,
    QueryMessage,
    RuleSet,
    Submission,
    SubmissionEvent,
    Value,
    ValueAudit,
)
from mieval.collection.selectors import (
    campaign_audit_frame,
    campaign_check,
    campaign_completeness,
    rules_preview_on,
)
from mieval.collection.services import LockedError, value_set
from mieval.collection.workflow import (
    WorkflowCode,
    WorkflowError,
    evidence_review,
    evidence_upload,
    query_close,
    query_open,
    query_reply,
    ruleset_save,
    submission_approve,
    submission_for,
    submission_reopen,
    submission_return,
    submission_submit,
)
from mieval.core.problems import InputError, ProblemCode
from mieval.indicators.models import Indicator
from mieval.registry.models import Base


@pytest.fixture
def r1(campaign_c):
    return Base.objects.get(code="R1")


@pytest.fixture
def nme(campaign_c):
    return Indicator.objects.get(framework=campaign_c.framework, code="new_market_entities")


def states(submission):
    return list(submission.events.values_list("from_state", "to_state", "actor"))


def test_the_whole_cycle(campaign_c, r1, nme, alice, bob):
    # given bob's draft, when he submits
    submission = submission_submit(campaign=campaign_c, base=r1, user=bob, actor="bob")
    assert submission.state == Submission.State.SUBMITTED

    # the office queries a value and returns the submission
    query = query_open(
        campaign=campaign_c,
        base=r1,
        indicator=nme,
        year=2017,
        text="121 looks low against 2018; please check.",
        user=alice,
        actor="alice",
    )
    submission = submission_return(submission=submission, user=alice, actor="alice")
    assert submission.state == Submission.State.RETURNED

    # bob corrects the value in his answer
    query_reply(query=query, text="Typo: it is 131.", new_value="131", user=bob, actor="bob")
    assert Value.objects.get(base=r1, indicator=nme, year=2017).raw == "131"
    audit = ValueAudit.objects.filter(base=r1, year=2017).order_by("-id").first()
    assert (audit.old, audit.new, audit.actor) == ("121", "131", "bob")
    assert audit.reason == f"query #{query.pk}: Typo: it is 131."
    messages = list(query.messages.values_list("kind", "old_value", "new_value"))
    assert messages == [("question", "", ""), ("correction", "121", "131")]

    # approving is refused while the query is not closed
    submission = submission_submit(campaign=campaign_c, base=r1, user=bob, actor="bob")
    with pytest.raises(WorkflowError) as caught:
        submission_approve(submission=submission, user=alice, actor="alice")
    assert caught.value.code == WorkflowCode.OPEN_QUERIES

    query_close(query=query, user=alice, actor="alice", text="Thanks.")
    submission = submission_approve(submission=submission, user=alice, actor="alice")

    assert submission.state == Submission.State.APPROVED
    assert states(submission) == [
        ("draft", "submitted", "bob"),
        ("submitted", "returned", "alice"),
        ("returned", "submitted", "bob"),
        ("submitted", "approved", "alice"),
    ]
    # and the data is locked, for everyone
    with pytest.raises(LockedError, match="approved and locked"):
        value_set(
            campaign=campaign_c,
            base=r1,
            indicator=nme,
            year=2017,
            raw="1",
            actor="alice",
            reason="x",
        )

    # until an analyst reopens it, with a reason
    with pytest.raises(WorkflowError) as caught:
        submission_reopen(submission=submission, user=alice, actor="alice", reason=" ")
    assert caught.value.code == WorkflowCode.REASON_REQUIRED
    submission = submission_reopen(
        submission=submission, user=alice, actor="alice", reason="late correction from the base"
    )
    assert submission.state == Submission.State.RETURNED
    value_set(
        campaign=campaign_c, base=r1, indicator=nme, year=2017, raw="132", actor="bob", reason="x"
    )


def test_errors_block_submitting_and_are_returned(campaign_c, r1, nme, bob):
    # A negative count can only come through a form; the default rules make it an error.
    Value.objects.filter(base=r1, indicator=nme, year=2016).update(value=-5, raw="-5")

    with pytest.raises(WorkflowError) as caught:
        submission_submit(campaign=campaign_c, base=r1, user=bob, actor="bob")

    assert caught.value.code == WorkflowCode.CHECK_ERRORS
    problems = caught.value.problems
    assert list(
        problems[["base_code", "indicator_code", "year", "severity"]].itertuples(False)
    ) == [("R1", "new_market_entities", 2016, "error")]
    assert submission_for(campaign=campaign_c, base=r1).state == Submission.State.DRAFT


def test_wrong_steps_are_refused(campaign_c, r1, alice, bob):
    submission = submission_for(campaign=campaign_c, base=r1)

    with pytest.raises(WorkflowError) as caught:
        submission_approve(submission=submission, user=alice, actor="alice")
    assert caught.value.code == WorkflowCode.WRONG_STATE
    assert "is draft" in caught.value.message

    submission = submission_submit(campaign=campaign_c, base=r1, user=bob, actor="bob")
    with pytest.raises(WorkflowError) as caught:
        submission_return(submission=submission, user=alice, actor="alice", reason="")
    assert caught.value.code == WorkflowCode.REASON_REQUIRED
    assert SubmissionEvent.objects.count() == 1


def test_an_import_cannot_change_locked_data(campaign_c, r1, alice, bob, tmp_path):
    from mieval.collection.selectors import campaign_import_plan

    submission = submission_submit(campaign=campaign_c, base=r1, user=bob, actor="bob")
    submission_approve(submission=submission, user=alice, actor="alice")
    path = tmp_path / "v.csv"
    path.write_text(
        "base_code,indicator_code,year,value\n"
        "R1,new_market_entities,2016,100\n"  # unchanged: fine
        "R1,new_market_entities,2017,999\n"  # changed: refused
        "R2,new_market_entities,2016,301\n",  # another base: fine
        encoding="utf-8",
    )

    with pytest.raises(InputError) as caught:
        campaign_import_plan(campaign=campaign_c, values_path=path)

    assert [(p.line, p.code) for p in caught.value.problems] == [(3, "locked")]


def test_completeness_and_timeliness(campaign_c, r1, bob):
    campaign_c.submission_deadline = timezone.now() + timedelta(days=1)
    campaign_c.save(update_fields=["submission_deadline"])
    submission_submit(campaign=campaign_c, base=r1, user=bob, actor="bob")

    table = campaign_completeness(campaign_c).set_index("base_code")

    # R1 (region): 10 of the 12 apply (not the two university-only ones) x 3 years
    # = 30 expected; it reported new_market_entities 2016-2018 and patents 2016, 2018 = 5.
    assert table.loc["R1", ["expected", "reported", "state", "on_time"]].tolist() == [
        30,
        5,
        "submitted",
        True,
    ]
    assert table.loc["R1", "share"] == pytest.approx(5 / 30)
    # U1 (university): the 6 for all + institute projects + education investment = 8 x 3 = 24;
    # E1 (enterprise): the 6 for all + the two enterprise-project indicators = 8 x 3 = 24.
    assert table.loc["U1", ["reported", "state", "on_time"]].tolist() == [4, "draft", None]
    assert table.loc["E1", ["expected", "reported"]].tolist() == [24, 1]


def test_checks_of_one_base_use_the_whole_campaign_as_peers(campaign_c):
    problems = campaign_check(campaign_c, base_code="U1")

    # Only U1's problems, though the whole campaign (every base has some) is checked.
    assert sorted(set(campaign_check(campaign_c)["base_code"])) == ["E1", "R1", "R2", "U1", "U2"]
    assert problems[
        ["base_code", "rule", "indicator_code", "year", "severity"]
    ].values.tolist() == [
        ["U1", "outlier_peers", "patents_granted", 2016, "info"],
        ["U1", "outlier_peers", "patents_granted", 2017, "info"],
        ["U1", "yoy_change", "patents_granted", 2017, "info"],
        ["U1", "outlier_peers", "univ_ie_education_investment", 2016, "info"],
        ["U1", "outlier_peers", "univ_ie_education_investment", 2018, "info"],
    ]
    # U1's patents 40 -> 0 from 2016 to 2017 is a fall to zero: an info note.
    flagged = problems[problems["rule"] == "yoy_change"]
    assert flagged[["indicator_code", "year", "severity"]].values.tolist() == [
        ["patents_granted", 2017, "info"]
    ]
    # Peer groups of 1-2 bases are not judged: one info note per value, never a warning.
    peers = problems[problems["rule"] == "outlier_peers"]
    assert set(peers["severity"]) == {"info"}
    assert len(peers) == 4  # U1 patents 2016, 2017; U1 investment 2016, 2018


def _pdf() -> bytes:
    return b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_evidence_upload_checks_type_and_size(campaign_c, r1, nme, bob, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EVIDENCE_MAX_BYTES = 100

    evidence = evidence_upload(
        campaign=campaign_c,
        base=r1,
        indicator=nme,
        year=2016,
        name="证书.pdf",
        data=_pdf(),
        user=bob,
    )

    assert (evidence.content_type, evidence.size, evidence.status) == (
        "application/pdf",
        len(_pdf()),
        "pending",
    )
    assert evidence.file.read() == _pdf()
    failures = {
        "fake.pdf": b"MZ not a pdf",
        "big.pdf": b"%PDF-" + b"x" * 200,
        "cert.png": _pdf(),
        "empty.pdf": b"",
    }
    codes = {}
    for name, data in failures.items():
        with pytest.raises(WorkflowError) as caught:
            evidence_upload(
                campaign=campaign_c, base=r1, indicator=nme, year=2016, name=name, data=data
            )
        codes[name] = caught.value.code
    assert codes == {
        "fake.pdf": WorkflowCode.FILE_TYPE,
        "big.pdf": WorkflowCode.FILE_TOO_LARGE,
        "cert.png": WorkflowCode.FILE_TYPE,
        "empty.pdf": WorkflowCode.EMPTY_FILE,
    }
    assert Evidence.objects.count() == 1
    evidence_review(evidence=evidence, status="verified", note="matches CNIPA", user=alice)
    evidence.refresh_from_db()
    assert (evidence.status, evidence.reviewed_by) == ("verified", alice)


RULES = """
[[rule]]
code = "patents_cap"
name_zh = "专利数上限"
name_en = "Patent cap"
left = "#{patents_granted}"
operator = "<="
right = "30"
severity = "warning"
message_zh = "专利数 {left} 超过 {right}"
message_en = "patents {left} above {right}"
"""


def test_rules_are_versioned_previewed_and_used(campaign_c, alice):
    preview = rules_preview_on(campaign_c, RULES).set_index("rule")
    # patents: R1 10, 12; U1 40, 0; U2 25; E1 7 -> only U1's 40 is above 30.
    assert preview.loc["patents_cap", "flagged"] == 1

    first = ruleset_save(framework=campaign_c.framework, text=RULES, user=alice, activate=True)
    second = ruleset_save(framework=campaign_c.framework, text=RULES, user=alice)

    assert (first.version, second.version, first.is_active, second.is_active) == (1, 2, True, False)
    problems = campaign_check(campaign_c)
    assert list(problems[problems["rule"] == "patents_cap"]["base_code"]) == ["U1"]
    with pytest.raises(InputError) as refused:
        ruleset_save(framework=campaign_c.framework, text="[[rule]]\ncode = 1\n", user=alice)
    # Every problem at once, each with its line and code; nothing saved.
    assert [(p.file, p.line, p.code, p.message) for p in refused.value.problems] == [
        ("rules", 1, ProblemCode.REQUIRED, "'left' is required"),
        ("rules", 1, ProblemCode.REQUIRED, "'operator' is required"),
        ("rules", 1, ProblemCode.REQUIRED, "'right' is required"),
        ("rules", 2, ProblemCode.WRONG_TYPE, "'code' must be text in quotes"),
    ]
    assert RuleSet.objects.filter(framework=campaign_c.framework).count() == 2


def test_audit_frame_holds_values_and_states(campaign_c, r1, bob):
    submission_submit(campaign=campaign_c, base=r1, user=bob, actor="bob")

    audit = campaign_audit_frame(campaign_c)

    assert len(audit[audit["kind"] == "value"]) == 13  # the fixture's 13 non-empty values
    states = audit[audit["kind"] == "submission"]
    assert states[["base_code", "old", "new", "actor"]].values.tolist() == [
        ["R1", "draft", "submitted", "bob"]
    ]


def test_query_on_a_closed_thread_is_refused(campaign_c, r1, nme, alice, bob):
    query = query_open(
        campaign=campaign_c,
        base=r1,
        indicator=nme,
        year=2016,
        text="Source?",
        user=alice,
        actor="a",
    )
    query_close(query=query, actor="alice")

    with pytest.raises(WorkflowError) as caught:
        query_reply(query=query, text="late", actor="bob")

    assert caught.value.code == WorkflowCode.QUERY_CLOSED
    assert Query.objects.get().status == "closed"
    assert QueryMessage.objects.count() == 1
