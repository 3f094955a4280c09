"""The register's pages: proposing from a check result, deciding, planning, reporting,
verifying, the counts, the carry-over and the overdue list."""

from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mieval.collection.services import campaign_create
from mieval.rectification.models import EvaluationProblem, ProblemType, Rectification
from mieval.rectification.services import rectification_plan, rectification_progress
from mieval.rectification.tests.conftest import PDF

CHECK = {"base": "U1", "indicator": "patents_granted", "year": "2017", "rule": "yoy_change"}


def problem_url(problem) -> str:
    return reverse("rectification_problem", args=[problem.pk])


def type_pk(code: str) -> int:
    return ProblemType.objects.get(taxonomy__number=1, code=code).pk


def test_the_review_lists_a_propose_button_beside_each_check_result_for_the_office_only(
    campaign_c, alice, carol, login, client
):
    office = login(alice).get(reverse("submission_review", args=["c", "U1"])).content.decode()
    client.logout()
    base = login(carol).get(reverse("base_queries", args=["c", "U1"])).content.decode()

    propose = reverse("rectification_propose", args=["c"])
    assert (
        f"{propose}?base=U1&amp;indicator=patents_granted&amp;rule=yoy_change&amp;year=2017"
        in office
    )
    assert office.count('class="button small propose-problem"') == 5
    assert "propose-problem" not in base


def test_proposing_from_a_check_result_prefills_it_and_links_the_evidence(
    campaign_c, alice, login, clock
):
    client = login(alice)

    form = client.get(reverse("rectification_propose", args=["c"]), CHECK)
    response = client.post(
        reverse("rectification_propose", args=["c"]),
        {**CHECK, "type": type_pk("corporate_credit"), "source": "data_check",
         "severity": "moderate", "title_zh": "专利数据异常", "title_en": ""},
    )  # fmt: skip

    assert form.status_code == 200
    initial = form.context["form"].initial
    assert (initial["source"], initial["severity"], initial["title_zh"]) == (
        "data_check", "minor", "专利授权数量由2016年的40降至2017年的0，请核实0是否为漏填。",
    )  # fmt: skip
    problem = EvaluationProblem.objects.get()
    assert response["Location"] == problem_url(problem)
    assert (problem.base.code, problem.state, problem.proposed_by) == ("U1", "proposed", alice)
    assert list(problem.evidence.values_list("kind", "target")) == [
        ("check_result", "U1/patents_granted/2017/yoy_change"),
        ("value", "U1/patents_granted/2017"),
    ]


def test_htmx_gets_the_form_and_the_result_as_fragments(campaign_c, alice, login):
    client = login(alice)
    url = reverse("rectification_propose", args=["c"])

    form = client.get(url, CHECK, headers={"HX-Request": "true"})
    bad = client.post(url, {**CHECK, "source": "data_check"}, headers={"HX-Request": "true"})
    done = client.post(
        url,
        {**CHECK, "type": type_pk("corporate_credit"), "source": "data_check",
         "severity": "minor", "title_en": "Patents fell to 0"},
        headers={"HX-Request": "true"},
    )  # fmt: skip

    assert form.status_code == 200 and b"<html" not in form.content
    assert b'id="propose-form"' in form.content
    assert bad.status_code == 200 and b'class="error"' in bad.content
    assert done.status_code == 200 and b'id="proposed"' in done.content
    assert EvaluationProblem.objects.get().title_en == "Patents fell to 0"


def test_a_check_result_the_checks_do_not_find_is_not_found(campaign_c, alice, login):
    response = login(alice).get(
        reverse("rectification_propose", args=["c"]), {**CHECK, "rule": "no_such_rule"}
    )

    assert response.status_code == 404


def test_the_office_confirms_and_a_second_decision_is_refused(filed, alice, login):
    client = login(alice)
    problem = filed["r1_proposed"]
    data = {"action": "confirm", "version": "1", "type": type_pk("service_incentives")}

    done = client.post(problem_url(problem), {**data, "severity": "serious"})
    again = client.post(problem_url(filed["r1_proposed"]), {**data, "severity": "minor"})

    assert done.status_code == 302
    problem.refresh_from_db()
    assert (problem.state, problem.severity, problem.version) == ("confirmed", "serious", 2)
    # The problem is no longer proposed: the confirm form is gone, the step is refused.
    assert again.status_code == 403


def test_a_concurrent_plan_change_is_shown_as_a_conflict(filed, bob, login, clock):
    rectification_plan(
        problem=filed["r1"], measures="m", owner="o", deadline=date(2026, 6, 30), user=bob
    )
    rectification_plan(
        problem=filed["r1"], measures="m2", owner="o", deadline=date(2026, 6, 30),
        expected_version=1, user=bob,
    )  # fmt: skip

    response = login(bob).post(
        problem_url(filed["r1"]),
        {
            "action": "plan",
            "version": "1",
            "measures": "mine",
            "owner": "o",
            "deadline": "2026-06-30",
        },
    )

    assert response.status_code == 409
    assert response.context["error"] == "此条目已被他人修改，页面现显示最新版本。"
    assert Rectification.objects.get().measures == "m2"


def test_the_base_plans_and_reports_with_a_file_and_the_office_verifies(
    filed, bob, alice, login, client, media, clock
):
    url = problem_url(filed["r1"])
    login(bob)
    client.post(
        url, {"action": "plan", "measures": "结对", "owner": "管委会", "deadline": "2026-06-30"}
    )
    client.post(
        url,
        {"action": "progress", "version": "1", "text": "已完成", "completes": "on",
         "file": SimpleUploadedFile("协议.pdf", PDF, content_type="application/pdf")},
    )  # fmt: skip
    progress = Rectification.objects.get().progress.get()
    download = client.get(reverse("rectification_progress_file", args=[progress.pk]))
    client.logout()
    login(alice)
    verify = client.post(url, {"action": "verify", "version": "2", "decision": "accepted"})

    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert verify.status_code == 302
    assert Rectification.objects.get().state == "accepted"
    page = client.get(url).content.decode()
    assert "验收通过" in page and "协议.pdf" in page


def test_a_progress_file_over_the_limit_is_refused_before_it_is_read(
    filed, bob, login, settings, media
):
    settings.EVIDENCE_MAX_BYTES = 1_000_000
    rectification_plan(
        problem=filed["r1"], measures="m", owner="o", deadline=date(2026, 6, 30), user=bob
    )

    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 1_100_000, content_type="application/pdf")

    response = login(bob).post(
        problem_url(filed["r1"]), {"action": "progress", "version": "1", "text": "t", "file": big}
    )

    assert response.status_code == 400
    assert response.context["forms"]["progress"].errors["file"] == [
        "文件大小为 1.1 MB；佐证材料最大为 1 MB。"
    ]
    assert Rectification.objects.get().progress.count() == 0


def test_not_accepted_needs_reasons_on_the_page(filed, bob, alice, login, client):
    plan = rectification_plan(
        problem=filed["r1"], measures="m", owner="o", deadline=date(2026, 6, 30), user=bob
    )
    rectification_progress(rectification=plan, text="done", completes=True, user=bob)

    response = login(alice).post(
        problem_url(filed["r1"]), {"action": "verify", "version": "2", "decision": "not_accepted"}
    )

    assert response.status_code == 400
    assert response.context["forms"]["verify"].errors["note"] == ["请说明整改验收未通过的理由。"]


def test_the_counts_page_lists_groups_and_examples_and_adds_a_type(filed, alice, login):
    client = login(alice)
    url = reverse("rectification_counts", args=["c"])

    by_type = client.get(url, {"by": "type_code"})
    added = client.post(
        url,
        {"type-code": "data_quality", "type-name_zh": "数据质量", "type-name_en": "Data quality"},
    )

    rows = by_type.context["rows"]
    assert [(r.labels, r.n, [p.pk for p in r.examples]) for r in rows] == [
        (("企业信用体系建设",), 1, [filed["u1"].pk]),
        (("东部与中西部示范基地交流机制",), 1, [filed["r1"].pk]),
        (("双创活力与就业等基本民生",), 1, [filed["e1"].pk]),
    ]
    assert added.status_code == 302
    assert ProblemType.objects.filter(taxonomy__number=2).count() == 7


def test_the_base_page_of_the_next_round_shows_the_earlier_promises(filed, bob, login, campaign_c):
    rectification_plan(
        problem=filed["r1"],
        measures="结对交流承诺",
        owner="管委会",
        deadline=date(2026, 6, 30),
        user=bob,
    )
    later = campaign_create(code="c2", first_year=2019, last_year=2021)
    later.bases.set(campaign_c.bases.all())

    page = login(bob).get(reverse("rectification_base", args=["c2", "R1"]))

    assert [p.pk for p in page.context["carried"]] == [filed["r1"].pk]
    assert "结对交流承诺" in page.content.decode()


def test_the_overdue_page_lists_passed_deadlines(filed, bob, alice, login, clock):
    rectification_plan(
        problem=filed["r1"], measures="m", owner="o", deadline=date(2026, 3, 5), user=bob
    )
    clock.at = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)

    response = login(alice).get(reverse("rectification_overdue", args=["c"]))

    assert [r.problem_id for r in response.context["items"]] == [filed["r1"].pk]
    assert '<td class="num">4</td>' in response.content.decode()


@pytest.mark.parametrize("state", ["", "proposed", "confirmed", "dismissed"])
def test_the_register_filters_by_state(filed, alice, login, state):
    response = login(alice).get(reverse("rectification_register", args=["c"]), {"state": state})

    expected = {"": 5, "proposed": 1, "confirmed": 3, "dismissed": 1}[state]
    assert len(response.context["problems"]) == expected


def test_the_office_follows_a_value_link_to_the_review_of_that_value(campaign_c, alice, login):
    client = login(alice)
    client.post(
        reverse("rectification_propose", args=["c"]),
        {**CHECK, "type": type_pk("corporate_credit"), "source": "data_check",
         "severity": "minor", "title_en": "Patents fell to 0"},
    )  # fmt: skip

    page = client.get(problem_url(EvaluationProblem.objects.get())).content.decode()

    value = reverse("value_detail", args=["c", "U1", "patents_granted", 2017])
    assert page.count(f'<a href="{value}">') == 2
