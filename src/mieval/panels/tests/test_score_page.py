"""The scoring page of an expert: the form of one base's scores, its errors and the service.

erin is X01, of panel 1 (R1, R2, U1); the rubric has C1 and C2, each scored 0 to 100."""

import pytest
from django.utils import translation

from mieval.panels.forms import ScoreForm
from mieval.panels.models import Score
from mieval.panels.tests.test_results import submit

URL = "/campaigns/c/scoring/R1/"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def errors_of(response) -> dict[str, str]:
    return {r["criterion"].code: r["error"] for r in response.context["rows"]}


@pytest.mark.django_db
def test_the_form_checks_each_value_and_names_every_problem_at_once(rubric):
    criteria = list(rubric.criteria.order_by("code"))

    with translation.override("en"):
        form = ScoreForm(
            {"C1-value": "150", "C2-value": " 4.5 ", "C2-comment": " ok "}, criteria=criteria
        )
        assert form.is_valid() is False
        assert form.errors == {"C1-value": ["150 is outside the scale 0 to 100."]}

        form = ScoreForm(
            {"C1-value": "", "C2-value": " 4.5 ", "C2-comment": " ok "}, criteria=criteria
        )
        assert form.is_valid() is True
    assert form.entries() == {
        "C1": {"value": "", "comment": "", "confidential_comment": ""},
        "C2": {"value": "4.5", "comment": "ok", "confidential_comment": ""},
    }


@pytest.mark.django_db
def test_submitted_scores_can_no_longer_change_in_the_form(rubric):
    with translation.override("en"):
        form = ScoreForm({"C1-value": "abc"}, criteria=list(rubric.criteria.all()), submitted=True)

        assert form.is_valid() is False
        assert form.errors == {
            "__all__": ["The scores of this base are submitted and can no longer change."]
        }


@pytest.mark.django_db
def test_bad_values_are_shown_next_to_their_criterion_and_nothing_is_saved(
    client, erin, published, rubric
):
    client.force_login(erin)

    response = client.post(URL, {"C1-value": "150", "C2-value": "NaN", "C2-comment": "x"})

    assert response.status_code == 200
    assert errors_of(response) == {
        "C1": "150 is outside the scale 0 to 100.",
        "C2": "'NaN' is not a number; leave the cell empty for a missing value",
    }
    # What was posted is shown again (a field not posted, as before the form: None)
    assert [(r["value"], r["comment"]) for r in response.context["rows"]] == [
        ("150", None),
        ("NaN", "x"),
    ]
    assert messages_of(response) == []
    assert Score.objects.count() == 0


@pytest.mark.django_db
def test_the_error_of_a_value_is_the_services_own(client, erin, published, rubric):
    from django.core.exceptions import ValidationError

    from mieval.panels.services import score_save
    from mieval.registry.models import Base

    client.force_login(erin)
    response = client.post(URL, {"C1-value": "NaN"})
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        score_save(
            user=erin,
            campaign=published.campaign,
            base=Base.objects.get(code="R1"),
            criteria=list(rubric.criteria.all()),
            entries={"C1": {"value": "NaN"}},
        )

    assert errors_of(response) == {"C1": refused.value.message_dict["C1"][0], "C2": ""}


@pytest.mark.django_db
def test_a_draft_is_saved_and_shown_again(client, erin, published, rubric):
    client.force_login(erin)

    response = client.post(
        URL, {"C1-value": " 90 ", "C1-comment": " 好 ", "C1-confidential": "内部", "save": ""}
    )

    assert (response.status_code, response["Location"]) == (302, URL)
    assert list(
        Score.objects.values_list(
            "criterion__code", "value", "comment", "confidential_comment", "state"
        )
    ) == [("C1", 90, "好", "内部", "draft")]
    page = client.get(URL)
    assert [
        (r["value"], r["comment"], r["confidential"], r["error"]) for r in page.context["rows"]
    ] == [
        ("90", "好", "内部", ""),
        ("", "", "", ""),
    ]
    assert messages_of(page) == ["Your scores are saved as a draft."]


@pytest.mark.django_db
def test_submitting_with_a_criterion_unscored_says_which(client, erin, published, rubric):
    client.force_login(erin)

    response = client.post(URL, {"C1-value": "80", "submit": ""})

    assert response.status_code == 200
    assert messages_of(response) == ["Score every criterion before submitting; missing: C2"]
    assert list(Score.objects.values_list("criterion__code", "state")) == [("C1", "draft")]


@pytest.mark.django_db
def test_scores_submitted_are_not_changed_by_a_post(client, erin, published, rubric, campaign_c):
    submit(campaign_c, rubric, "X01", "R1", 70)
    client.force_login(erin)

    response = client.post(URL, {"C1-value": "10", "C2-value": "abc"})

    assert response.status_code == 200
    assert messages_of(response) == [
        "The scores of this base are submitted and can no longer change."
    ]
    assert errors_of(response) == {"C1": "", "C2": ""}
    assert sorted(Score.objects.values_list("criterion__code", "value", "state")) == [
        ("C1", 70, "submitted"),
        ("C2", 70, "submitted"),
    ]
