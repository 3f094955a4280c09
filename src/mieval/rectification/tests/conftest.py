"""Problems of campaign ``c`` in several states, on a frozen clock (2026-03-01).

- ``r1``: R1 (bob's base, erin's panel), confirmed, serious, east_west_exchange
- ``r1_proposed``: R1, proposed
- ``r1_dismissed``: R1, dismissed
- ``u1``: U1 (carol's base, erin's panel), confirmed, moderate, corporate_credit
- ``e1``: E1 (no officer among the named users, panel 2: not erin's), confirmed, minor
"""

import pytest

from mieval.collection.tests.review_helpers import PDF, PNG, clock, media  # noqa: F401
from mieval.panels.tests.conftest import published, roster, rubric  # noqa: F401
from mieval.rectification.services import problem_confirm, problem_dismiss, problem_propose
from mieval.registry.models import Base


@pytest.fixture
def login(client):
    def as_user(user):
        if user is not None:
            client.force_login(user)
        return client

    return as_user


def propose(campaign, base_code, type_code="east_west_exchange", severity="serious", **extra):
    fields = {
        "source": "site_visit",
        "title_zh": f"{base_code}的问题",
        "title_en": f"A problem at {base_code}",
        **extra,
    }
    return problem_propose(
        campaign=campaign,
        base=Base.objects.get(code=base_code),
        type=type_code,
        severity=severity,
        **fields,
    )


@pytest.fixture
def filed(campaign_c, alice, clock):  # noqa: F811 - the fixture
    c = campaign_c
    r1 = propose(
        c, "R1", action_zh="建立东西部基地结对交流机制。", action_en="Pair with a western base.",
        evidence=[{"kind": "visit_record", "target": "17", "label": "Visit of 2026-02-20"}],
    )  # fmt: skip
    problem_confirm(problem=r1, user=alice)
    r1_proposed = propose(c, "R1", "service_incentives", "moderate", source="data_check")
    r1_dismissed = propose(c, "R1", "resource_clustering", "minor", source="self_evaluation")
    problem_dismiss(problem=r1_dismissed, reason="不属实", user=alice)
    u1 = propose(c, "U1", "corporate_credit", "moderate", source="panel_opinion")
    problem_confirm(problem=u1, user=alice)
    e1 = propose(c, "E1", "vitality_livelihoods", "minor", source="expert_comment")
    problem_confirm(problem=e1, user=alice)
    return {
        name: type(p).objects.get(pk=p.pk)
        for name, p in {
            "r1": r1,
            "r1_proposed": r1_proposed,
            "r1_dismissed": r1_dismissed,
            "u1": u1,
            "e1": e1,
        }.items()
    }


# --- panel opinions for the letters and the one-click proposal ----------------------------------

from mieval.panels.tests.test_results import scored  # noqa: E402, F401
from mieval.visits.tests.conftest import frank, leaders, opinion_r1  # noqa: E402, F401


@pytest.fixture
def accepted_r1(opinion_r1, erin, alice):  # noqa: F811 - the fixture
    """R1's opinion (text 基地运营良好。, recommendations 加强东西部交流。), accepted."""
    from mieval.visits import services

    submitted = services.opinion_submit(
        opinion=services.opinion_circulate(opinion=opinion_r1, user=erin), user=erin
    )
    return services.opinion_accept(opinion=submitted, user=alice)
