"""The register's and rectification's services: states, audit, conflicts, limits."""

from datetime import date

import pytest

from mieval.lib.concurrency import ConcurrentEditError
from mieval.rectification.models import (
    EvaluationProblem,
    ProblemType,
    Rectification,
    RegisterEvent,
    TaxonomyVersion,
)
from mieval.rectification.services import (
    RegisterCode,
    RegisterError,
    problem_confirm,
    problem_dismiss,
    problem_propose,
    problem_type_add,
    rectification_plan,
    rectification_progress,
    rectification_verify,
)
from mieval.rectification.tests.conftest import PDF, PNG, propose
from mieval.registry.models import Base

POSTER_TYPES = [
    "east_west_exchange", "service_incentives", "resource_clustering",
    "institutional_constraints", "corporate_credit", "vitality_livelihoods",
]  # fmt: skip


def actions(problem) -> list[tuple[str, str]]:
    return list(problem.events.order_by("at", "pk").values_list("action", "actor"))


# --- the taxonomy -----------------------------------------------------------------------------


def test_version_one_holds_the_posters_six_types_in_both_languages(db):
    version = TaxonomyVersion.objects.get()

    types = list(version.types.order_by("order"))

    assert version.number == 1
    assert [t.code for t in types] == POSTER_TYPES
    assert [t.name_en for t in types] == [
        "East/Central-West communication and exchange",
        "Incentives for service providers and staff",
        "Clustering and integration of resources",
        "Institutional constraints",
        "The corporate credit system",
        "Vitality versus livelihoods and employment",
    ]
    assert types[4].name_zh == "企业信用体系建设"
    assert types[4].description_en == (
        "Corporate credit system construction needs further improvement."
    )


def test_adding_a_type_makes_a_new_version_and_old_problems_keep_theirs(campaign_c, alice, clock):
    old = propose(campaign_c, "R1")

    added = problem_type_add(
        code="data_quality", name_zh="数据质量", name_en="Data quality", note="新增", user=alice
    )
    new = propose(campaign_c, "R1", "east_west_exchange")

    assert added.taxonomy.number == 2 and added.order == 7
    assert list(added.taxonomy.types.values_list("code", flat=True)) == [
        *POSTER_TYPES,
        "data_quality",
    ]
    assert old.type.taxonomy.number == 1
    assert new.type.taxonomy.number == 2 and new.type.code == "east_west_exchange"
    event = RegisterEvent.objects.get(action="type_added")
    assert (event.actor, event.changes["version"], event.changes["code"]) == (
        "alice",
        2,
        "data_quality",
    )


def test_a_type_code_already_there_or_malformed_is_refused_with_every_problem(db):
    with pytest.raises(RegisterError) as caught:
        problem_type_add(code="corporate_credit", name_zh="", name_en="x" * 201)
    with pytest.raises(RegisterError) as malformed:
        problem_type_add(code="Not a code", name_zh="甲", name_en="A")

    assert caught.value.problems == (
        ("code", "'corporate_credit' is already a type of v1"),
        ("name_zh", "missing"),
        ("name_en", "201 characters; at most 200"),
    )
    assert malformed.value.problems == (
        ("code", "'Not a code' is not a code (lower-case letters, digits, _ or -)"),
    )
    assert TaxonomyVersion.objects.count() == 1


# --- problems ---------------------------------------------------------------------------------


def test_a_proposal_keeps_its_texts_evidence_and_audit(campaign_c, alice, clock):
    problem = problem_propose(
        campaign=campaign_c,
        base=Base.objects.get(code="U1"),
        source="data_check",
        type=ProblemType.objects.get(taxonomy__number=1, code="corporate_credit"),
        severity="moderate",
        title_zh=" 专利数据异常 ",
        action_en="Check the patent statistics.",
        evidence=[
            {"kind": "check_result", "target": "U1/patents_granted/2017/yoy_change", "label": "0"},
            {"kind": "value", "target": "U1/patents_granted/2017"},
        ],
        user=alice,
    )

    assert (problem.state, problem.version, problem.title_zh, problem.title_en) == (
        "proposed", 1, "专利数据异常", "",
    )  # fmt: skip
    assert list(problem.evidence.values_list("kind", "target", "label")) == [
        ("check_result", "U1/patents_granted/2017/yoy_change", "0"),
        ("value", "U1/patents_granted/2017", ""),
    ]
    event = problem.events.get()
    assert (event.action, event.actor, event.at.isoformat()) == (
        "proposed", "alice", "2026-03-01T09:00:00+00:00",
    )  # fmt: skip
    assert event.changes["evidence"] == [
        ["check_result", "U1/patents_granted/2017/yoy_change"],
        ["value", "U1/patents_granted/2017"],
    ]


def test_a_bad_proposal_names_every_problem_and_writes_nothing(campaign_c):
    from mieval.collection.services import campaign_create

    other = campaign_create(code="other", first_year=2016, last_year=2018)

    with pytest.raises(RegisterError) as caught:
        problem_propose(
            campaign=other,
            base=Base.objects.get(code="R1"),
            source="rumour",
            type="no_such_type",
            severity="error",
            title_zh=" ",
            evidence=[{"kind": "gossip", "target": ""}, {"kind": "value", "target": "x" * 201}],
        )

    assert caught.value.code == RegisterCode.INVALID
    assert caught.value.problems == (
        ("base", "R1 is not in campaign other"),
        ("type", "'no_such_type' is not a problem type of the current taxonomy"),
        ("source", "'rumour' is not one of data_check, expert_comment, panel_opinion, "
                   "self_evaluation, site_visit, other"),
        ("severity", "'error' is not one of minor, moderate, serious"),
        ("title", "a title in Chinese or English (or both) is needed"),
        ("evidence[0]", "kind 'gossip' is not one of value, check_result, evidence_file, "
                        "selfeval_section, visit_record, panel_opinion, "
                        "score_comment, file, other"),
        ("evidence[0]", "the target is missing"),
        ("evidence[1]", "the target is longer than 200 characters"),
    )  # fmt: skip
    assert EvaluationProblem.objects.count() == 0 and RegisterEvent.objects.count() == 0


def test_more_than_twenty_evidence_links_are_refused(campaign_c):
    links = [{"kind": "value", "target": f"R1/patents_granted/{y}"} for y in range(21)]

    with pytest.raises(RegisterError) as caught:
        propose(campaign_c, "R1", evidence=links)

    assert caught.value.problems == (("evidence", "21 links; at most 20"),)


def test_the_office_confirms_with_a_new_severity_and_it_is_audited(campaign_c, alice, clock):
    problem = propose(campaign_c, "R1", severity="minor")

    confirmed = problem_confirm(
        problem=problem, expected_version=1, type="corporate_credit", severity="serious", user=alice
    )

    assert (confirmed.state, confirmed.severity, confirmed.type.code, confirmed.version) == (
        "confirmed", "serious", "corporate_credit", 2,
    )  # fmt: skip
    assert confirmed.decided_by == alice
    assert problem.events.get(action="confirmed").changes == {
        "state": ["proposed", "confirmed"],
        "type": ["east_west_exchange", "corporate_credit"],
        "severity": ["minor", "serious"],
    }


def test_a_stale_version_is_a_conflict_and_nothing_changes(campaign_c, alice):
    problem = propose(campaign_c, "R1")

    with pytest.raises(ConcurrentEditError) as caught:
        problem_confirm(problem=problem, expected_version=7, user=alice)

    assert str(caught.value) == (
        f"EvaluationProblem {problem.pk} is at version 1, not 7: someone changed it meanwhile"
    )
    problem.refresh_from_db()
    assert (problem.state, problem.version) == ("proposed", 1)


def test_only_a_proposed_problem_is_decided_and_a_dismissal_needs_a_reason(campaign_c, alice):
    problem = propose(campaign_c, "R1")

    with pytest.raises(RegisterError) as no_reason:
        problem_dismiss(problem=problem, reason="  ", user=alice)
    problem_dismiss(problem=problem, reason="重复", user=alice)
    with pytest.raises(RegisterError) as again:
        problem_confirm(problem=problem, user=alice)

    assert no_reason.value.problems == (("reason", "a dismissal needs a reason"),)
    assert again.value.code == RegisterCode.WRONG_STATE
    problem.refresh_from_db()
    assert (problem.state, problem.decision_reason) == ("dismissed", "重复")
    assert actions(problem) == [("proposed", "system"), ("dismissed", "alice")]


# --- rectification ----------------------------------------------------------------------------


def test_the_base_plans_reports_progress_and_the_office_accepts(filed, bob, alice, media):
    problem = filed["r1"]

    plan = rectification_plan(
        problem=problem, measures="结对交流", owner="管委会", deadline=date(2026, 6, 30), user=bob
    )
    rectification_progress(
        rectification=plan, text="已签协议", file_name="协议.pdf", file_data=PDF,
        expected_version=1, user=bob,
    )  # fmt: skip
    rectification_progress(
        rectification=plan, text="已互访", completes=True, expected_version=2, user=bob
    )
    verified = rectification_verify(
        rectification=plan, accepted=True, expected_version=3, user=alice
    )

    assert (verified.state, verified.version, verified.verified_by) == ("accepted", 4, alice)
    first = verified.progress.order_by("pk").first()
    assert (first.file_name, first.file_content_type, first.file_size) == (
        "协议.pdf", "application/pdf", len(PDF),
    )  # fmt: skip
    assert actions(problem)[-4:] == [
        ("planned", "bob"), ("progress", "bob"), ("progress", "bob"), ("verified", "alice"),
    ]  # fmt: skip
    assert problem.events.filter(action="progress").last().changes["state"] == [
        "in_progress", "done",
    ]  # fmt: skip


def test_not_accepted_needs_reasons_and_sends_it_back_to_the_base(filed, bob, alice):
    plan = rectification_plan(
        problem=filed["r1"], measures="m", owner="o", deadline=date(2026, 6, 30), user=bob
    )
    rectification_progress(rectification=plan, text="done", completes=True, user=bob)

    with pytest.raises(RegisterError) as no_reason:
        rectification_verify(rectification=plan, accepted=False, note="", user=alice)
    rectification_verify(rectification=plan, accepted=False, note="缺少佐证", user=alice)
    rectification_progress(rectification=plan, text="补充了佐证", user=bob)

    assert no_reason.value.problems == (("note", "say why it is not accepted"),)
    plan.refresh_from_db()
    assert (plan.state, plan.verification_note) == ("in_progress", "缺少佐证")


def test_a_plan_needs_a_confirmed_problem_and_a_deadline_ahead(filed, bob):
    with pytest.raises(RegisterError) as proposed:
        rectification_plan(
            problem=filed["r1_proposed"], measures="m", owner="o", deadline=date(2026, 6, 30)
        )
    with pytest.raises(RegisterError) as bad:
        rectification_plan(
            problem=filed["r1"], measures=" ", owner="x" * 201, deadline=date(2026, 2, 28)
        )

    assert proposed.value.code == RegisterCode.WRONG_STATE
    assert bad.value.problems == (
        ("measures", "missing"),
        ("deadline", "2026-02-28 has passed"),
        ("owner", "201 characters; at most 200"),
    )
    assert Rectification.objects.count() == 0


def test_a_plan_changed_from_a_stale_version_is_a_conflict(filed, bob):
    plan = rectification_plan(
        problem=filed["r1"], measures="m", owner="o", deadline=date(2026, 6, 30), user=bob
    )
    rectification_plan(
        problem=filed["r1"], measures="m2", owner="o", deadline=date(2026, 7, 31),
        expected_version=1, user=bob,
    )  # fmt: skip

    with pytest.raises(ConcurrentEditError):
        rectification_plan(
            problem=filed["r1"], measures="m3", owner="o", deadline=date(2026, 7, 31),
            expected_version=1, user=bob,
        )  # fmt: skip
    with pytest.raises(ConcurrentEditError) as unversioned:
        rectification_plan(
            problem=filed["r1"], measures="m4", owner="o", deadline=date(2026, 7, 31)
        )

    assert str(unversioned.value) == (
        f"problem {filed['r1'].pk} already has a plan (version 2); "
        "send the version you read to change it"
    )
    plan.refresh_from_db()
    assert (plan.measures, plan.deadline, plan.version) == ("m2", date(2026, 7, 31), 2)
    assert filed["r1"].events.get(action="plan_changed").changes == {
        "measures": ["m", "m2"],
        "deadline": ["2026-06-30", "2026-07-31"],
    }


def test_progress_and_verification_follow_the_states(filed, bob, alice):
    plan = rectification_plan(
        problem=filed["r1"], measures="m", owner="o", deadline=date(2026, 6, 30), user=bob
    )

    with pytest.raises(RegisterError) as early:
        rectification_verify(rectification=plan, accepted=True, user=alice)
    rectification_progress(rectification=plan, text="done", completes=True, user=bob)
    with pytest.raises(RegisterError) as after_done:
        rectification_progress(rectification=plan, text="more", user=bob)
    with pytest.raises(RegisterError) as replan:
        rectification_plan(
            problem=filed["r1"], measures="x", owner="o", deadline=date(2026, 6, 30),
            expected_version=2,
        )  # fmt: skip

    assert [e.value.code for e in (early, after_done, replan)] == [RegisterCode.WRONG_STATE] * 3


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("empty.pdf", b"", RegisterCode.EMPTY_FILE),
        ("photo.pdf", PNG, RegisterCode.FILE_TYPE),
        ("script.pdf", b"#!/bin/sh\n", RegisterCode.FILE_TYPE),
        ("big.pdf", PDF + b"0" * 2000, RegisterCode.FILE_TOO_LARGE),
    ],
)
def test_progress_files_are_checked_before_anything_is_written(
    filed, bob, settings, media, name, data, code
):
    settings.EVIDENCE_MAX_BYTES = 1000
    plan = rectification_plan(
        problem=filed["r1"], measures="m", owner="o", deadline=date(2026, 6, 30), user=bob
    )

    with pytest.raises(RegisterError) as caught:
        rectification_progress(rectification=plan, text="t", file_name=name, file_data=data)

    assert caught.value.code == code
    plan.refresh_from_db()
    assert (plan.state, plan.progress.count()) == ("planned", 0)
