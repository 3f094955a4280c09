"""The demo campaign's drawn expert scores (``demo.panels``) and their loading
(``load_panels_demo``, ``services.scores_record``)."""

from decimal import Decimal

import pandas as pd
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from mieval.demo.panels import DEMO_RUBRIC, SCORES_COLUMNS, sample_scores

ASSIGNMENTS = pd.DataFrame(
    [("X02", "R1"), ("X01", "R1"), ("X01", "R2"), ("X02", "R2"), ("X01", "R1")],
    columns=["expert_code", "base_code"],
)
CRITERIA = pd.DataFrame(
    [("C1", "0", "100"), ("C2", "0", "10")], columns=["code", "scale_min", "scale_max"]
)


def test_sample_scores_cover_every_pair_and_criterion_once_in_order():
    scores = sample_scores(ASSIGNMENTS, CRITERIA, seed=0)

    assert list(scores.columns) == SCORES_COLUMNS
    keys = zip(scores["expert_code"], scores["base_code"], scores["criterion_code"], strict=True)
    assert list(keys) == [
        ("X01", "R1", "C1"),
        ("X01", "R1", "C2"),
        ("X01", "R2", "C1"),
        ("X01", "R2", "C2"),
        ("X02", "R1", "C1"),
        ("X02", "R1", "C2"),
        ("X02", "R2", "C1"),
        ("X02", "R2", "C2"),
    ]


def test_sample_scores_are_whole_numbers_within_each_criterion_scale():
    scores = sample_scores(ASSIGNMENTS, CRITERIA, seed=3)

    c1 = scores.loc[scores["criterion_code"] == "C1", "value"]
    c2 = scores.loc[scores["criterion_code"] == "C2", "value"]
    assert c1.between(0, 100).all()
    # A merit around 76 is far above C2's top: every C2 score is clipped to 10.
    assert c2.tolist() == [10, 10, 10, 10]
    assert all(isinstance(v, int) for v in scores["value"])


def test_sample_scores_depend_on_the_seed_only():
    first = sample_scores(ASSIGNMENTS, CRITERIA, seed=7)

    assert first.equals(sample_scores(ASSIGNMENTS.iloc[::-1], CRITERIA, seed=7))
    assert not first.equals(sample_scores(ASSIGNMENTS, CRITERIA, seed=8))
    assert ASSIGNMENTS["expert_code"].tolist() == ["X02", "X01", "X01", "X02", "X01"]


def test_demo_rubric_weights_sum_to_one():
    assert sum(float(c["weight"]) for c in DEMO_RUBRIC) == pytest.approx(1.0, abs=1e-12)
    assert len({c["code"] for c in DEMO_RUBRIC}) == 4


# --- recording scores -------------------------------------------------------------------------


@pytest.mark.django_db
def test_scores_record_writes_submitted_scores(campaign_c, published, rubric):
    from mieval.panels.models import Score
    from mieval.panels.services import scores_record

    rows = pd.DataFrame(
        [("X02", "R1", "C1", 80), ("X02", "R1", "C2", 70), ("X04", "E1", "C1", 65.5)],
        columns=SCORES_COLUMNS,
    )

    assert scores_record(campaign=campaign_c, scores=rows) == 3

    recorded = Score.objects.order_by("expert__code", "criterion__code")
    assert [
        (s.expert.code, s.base.code, s.criterion.code, str(s.value), s.state) for s in recorded
    ] == [
        ("X02", "R1", "C1", "80.00", "submitted"),
        ("X02", "R1", "C2", "70.00", "submitted"),
        ("X04", "E1", "C1", "65.50", "submitted"),
    ]


@pytest.mark.django_db
def test_scores_record_names_every_bad_row_and_writes_nothing(campaign_c, published, rubric):
    from mieval.panels.models import Score
    from mieval.panels.services import conflict_declare, scores_record
    from mieval.registry.models import Base

    conflict_declare(expert=published_expert("X03"), base=Base.objects.get(code="U1"), reason="r")
    rows = pd.DataFrame(
        [
            ("X02", "R1", "C1", 80),  # fine
            ("X99", "R1", "C1", 80),
            ("X04", "R1", "C1", 80),
            ("X03", "U1", "C1", 80),
            ("X02", "R2", "C9", 80),
            ("X02", "R2", "C2", 101),
            ("X02", "R2", "C1", "eighty"),
        ],
        columns=SCORES_COLUMNS,
    )

    with pytest.raises(ValidationError) as raised, translation.override("en"):
        scores_record(campaign=campaign_c, scores=rows)

    assert raised.value.messages == [
        "row 2 (X99, R1, C1): no such expert",
        "row 3 (X04, R1, C1): the expert is not on the base's panel",
        "row 4 (X03, U1, C1): the expert declared a conflict with the base",
        "row 5 (X02, R2, C9): the criterion is not in the base's rubric",
        "row 6 (X02, R2, C2): 101 is outside the scale 0 to 100",
        "row 7 (X02, R2, C1): 'eighty' is not a number.",
    ]
    assert Score.objects.count() == 0


@pytest.mark.django_db
def test_scores_record_needs_published_panels(campaign_c, roster, rubric):
    from mieval.panels.services import scores_record

    with pytest.raises(ValidationError) as raised, translation.override("en"):
        scores_record(campaign=campaign_c, scores=pd.DataFrame(columns=SCORES_COLUMNS))

    assert raised.value.messages == ["Publish the campaign's panels before recording scores."]


def published_expert(code):
    from mieval.panels.models import Expert

    return Expert.objects.get(code=code)


# --- the demo loader --------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_panels_demo_publishes_panels_and_leaves_the_demo_expert_to_score(tmp_path):
    from django.contrib.auth import get_user_model

    from mieval.collection.selectors import campaign_import_plan
    from mieval.collection.services import campaign_create, campaign_import_apply
    from mieval.demo.campaign import write_sample
    from mieval.panels.models import EvaluationSettings, Expert, PanelSet, Score
    from mieval.panels.selectors import demo_expert, panel_assignments

    paths = write_sample(tmp_path)
    campaign = campaign_create(
        code="demo", first_year=2016, last_year=2018, name_en="d", name_zh="d"
    )
    plan = campaign_import_plan(
        campaign=campaign, bases_path=paths["bases"], values_path=paths["values"]
    )
    campaign_import_apply(plan=plan, actor="demo")

    call_command("load_panels_demo", campaign="demo", dir=str(tmp_path), time_limit=30)
    call_command("load_panels_demo", campaign="demo", dir=str(tmp_path), time_limit=30)

    panel_set = PanelSet.objects.get(campaign=campaign)
    assert panel_set.state == "published"
    assert panel_set.panels.count() == 40
    keep_free = demo_expert(campaign)
    pairs = panel_assignments(panel_set)
    scored = pairs[pairs["expert_code"] != keep_free.code]
    assert Score.objects.filter(campaign=campaign).count() == len(scored) * len(DEMO_RUBRIC)
    assert not Score.objects.filter(expert=keep_free).exists()
    assert set(Score.objects.values_list("state", flat=True)) == {"submitted"}
    call_command("demo_users")
    login = Expert.objects.get(pk=keep_free.pk).user
    assert (login.username, login.profile.role) == ("expert", "expert")
    organiser = get_user_model().objects.get(username="organiser")
    assert organiser.profile.organisation == keep_free.organisation
    settings = EvaluationSettings.objects.get(campaign=campaign)
    assert (settings.expert_weight, settings.index_weight) == (Decimal("0.7"), Decimal("0.3"))
    assert (settings.excellent, settings.good, settings.qualified) == (70, 60, 50)
