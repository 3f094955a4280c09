"""The results page: grades combining the composite index (exact values), the leniency
correction where anchor bases connect the panels, the CSV export, the grading settings."""

import csv
import io
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from mieval.panels.models import EvaluationSettings, PanelEvent, Score
from mieval.panels.tests.conftest import panel_set_publish


@pytest.fixture(autouse=True)
def english(client):
    """The pages in English (the site's default language is Chinese)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def submit(campaign, rubric, expert_code, base_code, c1, c2=None):
    """Submitted scores C1 and C2 (C2 = C1 unless given): total 0.6 C1 + 0.4 C2."""
    from mieval.panels.models import Expert
    from mieval.registry.models import Base

    expert, base = Expert.objects.get(code=expert_code), Base.objects.get(code=base_code)
    for criterion, value in zip(
        rubric.criteria.order_by("code"), (c1, c1 if c2 is None else c2), strict=True
    ):
        Score.objects.create(
            campaign=campaign,
            expert=expert,
            base=base,
            criterion=criterion,
            value=Decimal(value),
            state=Score.State.SUBMITTED,
        )


def index_run(campaign, category: str, scores: dict[str, float]):
    """A stored index run of the category with the top aggregate ``Index``."""
    from mieval.analytics.models import IndexFramework, IndexRun, IndexScore
    from mieval.registry.models import Base, Category

    framework, _ = IndexFramework.objects.get_or_create(
        code=f"f-{category}",
        version=1,
        defaults={
            "category": Category.objects.get(code=category),
            "name_zh": "指数",
            "name_en": "Index",
            "text": "",
        },
    )
    run = IndexRun.objects.create(
        campaign=campaign, framework=framework, year=2018, input_hash="0", dimensions=["Index"]
    )
    for code, score in scores.items():
        IndexScore.objects.create(
            run=run, base=Base.objects.get(code=code), code="Index", level=2, score=score
        )
    return run


@pytest.fixture
def scored(campaign_c, published, rubric):
    """R1: totals 76, 70, 86 (trimmed mean 76); U1: 84, 100 (trimmed mean 92)."""
    submit(campaign_c, rubric, "X01", "R1", 80, 70)
    submit(campaign_c, rubric, "X02", "R1", 70, 70)
    submit(campaign_c, rubric, "X03", "R1", 90, 80)
    submit(campaign_c, rubric, "X02", "U1", 80, 90)
    submit(campaign_c, rubric, "X03", "U1", 100, 100)
    return campaign_c


@pytest.mark.django_db
def test_grades_combine_the_latest_index_run_and_fall_back_to_the_expert_score(
    client, alice, scored
):
    EvaluationSettings.objects.create(
        campaign=scored, expert_weight=Decimal("0.6"), index_weight=Decimal("0.4")
    )
    index_run(scored, "region", {"R1": 10.0})  # older run: not used
    index_run(scored, "region", {"R1": 60.0})
    client.force_login(alice)

    with translation.override("en"):
        rows = {r["base"]: r for r in client.get("/campaigns/c/panels/results/").context["rows"]}

    # R1: 0.6 × 76 + 0.4 × 60 = 69.6 -> qualified (60 <= 69.6 < 80)
    assert (rows["R1"]["expert_score"], rows["R1"]["index_score"]) == (76.0, 60.0)
    assert rows["R1"]["combined"] == pytest.approx(69.6)
    assert (rows["R1"]["grade_code"], rows["R1"]["note"]) == ("qualified", "")
    # U1 (a university: no index run of its category): the expert score alone, 92 -> excellent
    assert (rows["U1"]["index_score"], rows["U1"]["combined"]) == (None, 92.0)
    assert (rows["U1"]["grade_code"], rows["U1"]["note"]) == ("excellent", "no_index_score")
    assert rows["U1"]["note_text"] == (
        "No composite index score: graded on the expert score alone."
    )


@pytest.mark.django_db
def test_the_expert_score_is_put_on_0_to_100_by_the_rubric_scale(client, alice, scored, rubric):
    rubric.criteria.update(scale_min=0, scale_max=200)
    EvaluationSettings.objects.create(
        campaign=scored, expert_weight=1, index_weight=0, excellent=50, good=40, qualified=30
    )
    client.force_login(alice)

    rows = {r["base"]: r for r in client.get("/campaigns/c/panels/results/").context["rows"]}

    # 76 on 0-200 is 38 on 0-100: below good (40), from qualified (30)
    assert (rows["R1"]["expert_score"], rows["R1"]["grade_code"]) == (38.0, "qualified")
    assert (rows["U1"]["expert_score"], rows["U1"]["note"]) == (46.0, "")


@pytest.mark.django_db
def test_the_results_csv_has_every_column_at_full_precision(client, alice, scored):
    index_run(scored, "region", {"R1": 60.0})
    client.force_login(alice)

    response = client.get("/campaigns/c/panels/results.csv")

    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content[1:])))
    assert rows[0] == [
        "base_code",
        "name_zh",
        "name_en",
        "n_experts",
        "mean",
        "trimmed_mean",
        "median",
        "leniency_corrected",
        "expert_score",
        "index_score",
        "combined",
        "grade",
        "grade_zh",
        "grade_en",
        "note",
    ]
    # defaults: weights 0.5 and 0.5: (76 + 60) / 2 = 68 -> qualified
    assert rows[1] == [
        "R1",
        "区域一",
        "Region one",
        "3",
        "77.33333333333333",
        "76.0",
        "76.0",
        "",
        "76.0",
        "60.0",
        "68.0",
        "qualified",
        "合格",
        "qualified",
        "",
    ]
    assert rows[2][0] == "U1" and rows[2][9:] == [
        "",
        "92.0",
        "excellent",
        "优秀",
        "excellent",
        "no_index_score",
    ]
    assert response["Content-Disposition"] == 'attachment; filename="c-scores.csv"'


@pytest.mark.django_db
def test_leniency_is_not_applicable_to_disjoint_panels(client, alice, scored):
    client.force_login(alice)

    response = client.get("/campaigns/c/panels/results/")

    assert response.context["leniency_applied"] is False
    assert [r["corrected"] for r in response.context["rows"]] == [None, None]
    assert 'id="leniency-na"' in response.content.decode()
    assert [c["corrected"] for c in response.context["components"]] == [False]


@pytest.mark.django_db
def test_leniency_corrects_where_an_anchor_base_connects_the_panels(
    client, alice, campaign_c, roster, rubric
):
    # R2 is scored by both panels: panel 1 (X01, X02) is 10 points stricter than panel 2.
    panel_set_publish(
        campaign_c, {1: (["X01", "X02"], ["R1", "R2"]), 2: (["X03", "X04"], ["R2", "U1"])}
    )
    for expert, base, value in [
        ("X01", "R1", 80),
        ("X01", "R2", 70),
        ("X02", "R1", 70),
        ("X02", "R2", 60),
        ("X03", "R2", 80),
        ("X03", "U1", 90),
        ("X04", "R2", 90),
        ("X04", "U1", 70),
    ]:
        submit(campaign_c, rubric, expert, base, value)
    client.force_login(alice)

    response = client.get("/campaigns/c/panels/results/")

    rows = {r["base"]: r for r in response.context["rows"]}
    # least squares of x = base + expert effect (sum of effects 0): effects X01 -5, X02 -15,
    # X03 +12.5, X04 +7.5, so R1 75 -> 85, R2 75 -> 75, U1 80 -> 70
    assert {b: (r["mean"], r["corrected"]) for b, r in rows.items()} == {
        "R1": (75.0, pytest.approx(85.0)),
        "R2": (75.0, pytest.approx(75.0)),
        "U1": (80.0, pytest.approx(70.0)),
    }
    assert response.context["leniency_applied"] is True
    assert response.context["components"] == [
        {
            "component": 1,
            "panels": "1;2",
            "n_bases": 3,
            "n_experts": 4,
            "n_anchor_bases": 1,
            "corrected": True,
        }
    ]


@pytest.mark.django_db
def test_the_analyst_saves_the_grading_settings_audited(client, alice, campaign_c):
    client.force_login(alice)

    response = client.post(
        "/campaigns/c/panels/settings/",
        {
            "expert_weight": "0.7",
            "index_weight": "0.3",
            "excellent": "85",
            "good": "75",
            "qualified": "60",
            "scoring_deadline": "2026-06-30 18:00",
            "revision": "0",
        },
    )

    assert response.status_code == 302
    saved = EvaluationSettings.objects.get(campaign=campaign_c)
    assert (saved.expert_weight, saved.index_weight, saved.excellent, saved.revision) == (
        Decimal("0.7"),
        Decimal("0.3"),
        Decimal("85"),
        1,
    )
    # read in the project's time zone (Asia/Shanghai)
    assert f"{timezone.localtime(saved.scoring_deadline):%Y-%m-%d %H:%M}" == "2026-06-30 18:00"
    event = PanelEvent.objects.get()
    assert (event.kind, event.actor, event.details["after"]["excellent"]) == (
        "settings_saved",
        "alice",
        "85",
    )


@pytest.mark.django_db
def test_bad_grading_settings_are_all_named_and_nothing_is_saved(client, alice, campaign_c):
    client.force_login(alice)

    with translation.override("en"):
        response = client.post(
            "/campaigns/c/panels/settings/",
            {
                "expert_weight": "0",
                "index_weight": "0",
                "excellent": "70",
                "good": "80",
                "qualified": "120",
            },
        )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The two weights must not both be 0.",
        "The thresholds must lie between 0 and 100.",
        "The thresholds must decrease: excellent above good above qualified.",
    ]
    assert EvaluationSettings.objects.count() == 0


@pytest.mark.django_db
def test_a_stale_settings_form_is_refused(client, alice, campaign_c):
    EvaluationSettings.objects.create(campaign=campaign_c, revision=3)
    client.force_login(alice)

    response = client.post(
        "/campaigns/c/panels/settings/",
        {
            "expert_weight": "0.5",
            "index_weight": "0.5",
            "excellent": "90",
            "good": "80",
            "qualified": "60",
            "revision": "2",
        },
    )

    assert response.status_code == 200
    assert EvaluationSettings.objects.get().revision == 3


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "status"), [("alice", 200), ("oscar", 403), ("erin", 403)])
def test_only_the_office_opens_settings_and_rubrics(client, everyone, campaign_c, username, status):
    client.force_login(everyone[username])

    statuses = {
        client.get(page).status_code
        for page in (
            "/campaigns/c/panels/settings/",
            "/campaigns/c/rubrics/",
            "/campaigns/c/rubrics/new/",
            "/campaigns/c/panels/results.csv",
        )
    }

    assert statuses == {status}


@pytest.mark.django_db
def test_a_comment_written_as_a_formula_stays_text_in_the_comments_csv(client, alice, scored):
    score = Score.objects.filter(campaign=scored, base__code="R1").order_by("pk").first()
    score.comment = '=HYPERLINK("http://evil.example","open")'
    score.confidential_comment = "@SUM(A1:A9)"
    score.save(update_fields=["comment", "confidential_comment"])
    client.force_login(alice)

    content = client.get("/campaigns/c/panels/comments.csv").content.decode("utf-8-sig")

    rows = list(csv.reader(io.StringIO(content)))
    written = [row[-2:] for row in rows[1:] if row[-2] or row[-1]]
    assert written == [['\'=HYPERLINK("http://evil.example","open")', "'@SUM(A1:A9)"]]
