"""One click from an accepted panel opinion to a proposed problem, and evidence links that open
the linked page where the reader may see it. (Replaces the visits app's placeholder hook
``opinion_problems_propose``: accepting an opinion no longer proposes anything by itself.)"""

from django.urls import reverse

from mieval.rectification.models import EvaluationProblem, ProblemType
from mieval.rectification.services import problem_propose
from mieval.registry.models import Base


def propose_url(**params) -> str:
    from django.utils.http import urlencode

    return reverse("rectification_propose", args=["c"]) + "?" + urlencode(params)


def test_the_accepted_opinion_shows_the_office_the_propose_button(client, accepted_r1, alice, erin):
    url = reverse("visits_opinion", args=["c", "R1"])
    client.force_login(alice)
    office = client.get(url).content.decode()
    client.force_login(erin)
    leader = client.get(url).content.decode()

    link = propose_url(base="R1", opinion=accepted_r1.pk).replace("&", "&amp;")
    assert f'id="propose-from-opinion" href="{link}"' in office
    assert "propose-from-opinion" not in leader


def test_accepting_an_opinion_proposes_nothing_by_itself(accepted_r1):
    assert accepted_r1.state == "accepted"
    assert EvaluationProblem.objects.count() == 0


def test_proposing_from_the_opinion_prefills_it_and_links_the_opinion(
    client, accepted_r1, alice, clock
):
    client.force_login(alice)
    form = client.get(propose_url(base="R1", opinion=accepted_r1.pk))
    initial = form.context["form"].initial
    assert (form.status_code, initial["source"], initial["opinion"]) == (
        200, "panel_opinion", accepted_r1.pk
    )  # fmt: skip
    assert (initial["description_zh"], initial["action_zh"]) == (
        "基地运营良好。",
        "加强东西部交流。",
    )

    response = client.post(
        reverse("rectification_propose", args=["c"]),
        {"base": "R1", "opinion": accepted_r1.pk, "source": "panel_opinion",
         "severity": "moderate", "title_zh": "东西部交流不足",
         "type": ProblemType.objects.get(taxonomy__number=1, code="east_west_exchange").pk,
         "description_zh": "基地运营良好。", "action_zh": "加强东西部交流。"},
    )  # fmt: skip

    problem = EvaluationProblem.objects.get()
    assert response["Location"] == reverse("rectification_problem", args=[problem.pk])
    assert (problem.source, problem.state, problem.action_zh) == (
        "panel_opinion", "proposed", "加强东西部交流。"
    )  # fmt: skip
    assert list(problem.evidence.values_list("kind", "target", "label")) == [
        ("panel_opinion", str(accepted_r1.pk), "专家组对 R1 的意见（第 1 专家组）")
    ]


def test_an_opinion_not_accepted_or_of_another_base_is_not_found(
    client, opinion_r1, alice, campaign_c
):
    client.force_login(alice)
    assert client.get(propose_url(base="R1", opinion=opinion_r1.pk)).status_code == 404
    assert client.get(propose_url(base="U1", opinion=opinion_r1.pk)).status_code == 404
    assert client.get(propose_url(base="R1", opinion="x")).status_code == 404


def test_evidence_links_open_the_visit_opinion_and_self_evaluation_where_the_reader_may(
    client, accepted_r1, alice, bob, erin, clock
):
    problem = problem_propose(
        campaign=accepted_r1.campaign,
        base=Base.objects.get(code="R1"),
        source="panel_opinion",
        type="east_west_exchange",
        severity="moderate",
        title_zh="交流不足",
        evidence=[
            {"kind": "panel_opinion", "target": str(accepted_r1.pk), "label": "意见"},
            {"kind": "visit_record", "target": "1", "label": "考察记录"},
            {"kind": "selfeval_section", "target": "problems", "label": "自评：问题"},
        ],
        user=alice,
    )
    from mieval.rectification.services import problem_confirm

    problem_confirm(problem=problem, user=alice)
    url = reverse("rectification_problem", args=[problem.pk])
    opinion = reverse("visits_opinion", args=["c", "R1"])
    record = reverse("visits_record", args=["c", "R1"])
    selfeval = reverse("selfeval_report", args=["c", "R1"]) + "#section-problems"

    for user in (alice, erin):
        client.force_login(user)
        page = client.get(url).content.decode()
        for target, label in ((opinion, "意见"), (record, "考察记录"), (selfeval, "自评：问题")):
            assert f'<a href="{target}">{label}</a>' in page
    client.force_login(bob)
    page = client.get(url).content.decode()
    # The base reads its own self-evaluation, not the panel's pages.
    assert f'<a href="{selfeval}">自评：问题</a>' in page
    assert f'href="{opinion}"' not in page
    assert f'href="{record}"' not in page
