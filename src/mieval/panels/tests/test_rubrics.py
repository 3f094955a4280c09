"""Rubric editing by the office: validation with every problem listed, revisions, and the rule
that a rubric with submitted scores changes its criteria only in a new version."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from mieval.lib.concurrency import ConcurrentEditError
from mieval.panels.models import PanelEvent, Rubric, Score
from mieval.panels.services import rubric_problems, rubric_save


@pytest.fixture(autouse=True)
def english(client):
    """The pages in English (the site's default language is Chinese)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def criterion(code, weight="1", low="0", high="100", step="", **more):
    return {
        "code": code,
        "name_zh": f"指标{code}",
        "name_en": f"Criterion {code}",
        "weight": weight,
        "scale_min": low,
        "scale_max": high,
        "scale_step": step,
        **more,
    }


def formset(rows, **extra):
    data = {
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
        **extra,
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"criteria-{i}-{key}"] = value
    return data


def test_every_problem_of_the_criteria_is_named():
    with translation.override("en"):
        problems = rubric_problems(
            [
                criterion("C1", weight="0"),
                criterion("C1", low="10", high="5"),
                criterion("", weight="x", name_en=""),
                criterion("C4", step="3"),
                criterion("C5", step="-1"),
            ]
        )

    assert problems == [
        "Criterion 1 (C1): the weight '0' must be a number above 0.",
        "Criterion 2 (C1): the code is already used by criterion 1.",
        "Criterion 2 (C1): the lowest score 10 must be a number below the highest score 5.",
        "Criterion 3: the code is missing.",
        "Criterion 3 (—): the English name is missing.",
        "Criterion 3 (—): the weight 'x' must be a number above 0.",
        "Criterion 4 (C4): the step 3 does not divide the scale 0 to 100 into whole steps.",
        "Criterion 5 (C5): the step '-1' must be a number above 0.",
    ]


@pytest.mark.django_db
def test_the_analyst_creates_a_rubric_for_a_category(client, alice, campaign_c):
    client.force_login(alice)

    response = client.post(
        "/campaigns/c/rubrics/new/",
        {
            "category": "region",
            "comments_confidential": "on",
            **formset(
                [
                    criterion(
                        "A", weight="3", step="5", guidance_zh="看成效", guidance_en="Results"
                    ),
                    criterion("B", weight="1", low="0", high="10"),
                    {"code": "", "name_zh": "", "name_en": ""},  # an empty row is left out
                ]
            ),
        },
    )

    assert response.status_code == 302
    rubric = Rubric.objects.get()
    assert (rubric.category_id, rubric.version, rubric.comments_confidential) == (
        "region",
        1,
        True,
    )
    assert list(
        rubric.criteria.values_list("code", "weight", "scale_max", "scale_step", "guidance_en")
    ) == [
        ("A", Decimal("3"), Decimal("100"), Decimal("5"), "Results"),
        ("B", Decimal("1"), Decimal("10"), None, ""),
    ]
    assert PanelEvent.objects.get().kind == "rubric_saved"
    page = client.get("/campaigns/c/rubrics/").content.decode()
    assert "75 %" in page and "25 %" in page  # each weight's share of the sum 4


@pytest.mark.django_db
def test_a_bad_rubric_is_refused_with_all_problems_and_nothing_saved(client, alice, campaign_c):
    client.force_login(alice)

    with translation.override("en"):
        response = client.post(
            "/campaigns/c/rubrics/new/",
            formset([criterion("A", weight="-1"), criterion("A", high="0")]),
        )

    assert response.status_code == 200
    assert response.context["problems"] == [
        "Criterion 1 (A): the weight '-1' must be a number above 0.",
        "Criterion 2 (A): the code is already used by criterion 1.",
        "Criterion 2 (A): the lowest score 0 must be a number below the highest score 0.",
    ]
    assert Rubric.objects.count() == 0


@pytest.mark.django_db
def test_a_rubric_without_submitted_scores_is_edited_in_place(campaign_c, rubric, alice):
    saved = rubric_save(
        campaign=campaign_c,
        rubric=rubric,
        revision=0,
        user=alice,
        criteria=[criterion("C1", weight="0.5"), criterion("C3", weight="0.5")],
    )

    assert (saved.pk, saved.version, saved.revision) == (rubric.pk, 1, 1)
    assert list(saved.criteria.values_list("code", "weight")) == [
        ("C1", Decimal("0.5")),
        ("C3", Decimal("0.5")),
    ]


@pytest.mark.django_db
def test_a_stale_rubric_edit_is_refused(campaign_c, rubric, alice):
    rubric_save(
        campaign=campaign_c, rubric=rubric, revision=0, user=alice, criteria=[criterion("C1")]
    )

    with (
        pytest.raises(ConcurrentEditError, match="Someone else saved this rubric"),
        translation.override("en"),
    ):
        rubric_save(
            campaign=campaign_c,
            rubric=rubric,
            revision=0,
            user=alice,
            criteria=[criterion("C9")],
        )


@pytest.fixture
def submitted(campaign_c, published, rubric):
    from mieval.panels.tests.test_results import submit

    submit(campaign_c, rubric, "X02", "R1", 70)
    return rubric


@pytest.mark.django_db
def test_a_rubric_with_submitted_scores_changes_weights_only_in_a_new_version(
    client, alice, campaign_c, submitted
):
    client.force_login(alice)
    rows = [
        criterion("C1", weight="0.5", name_zh="运营成效"),
        criterion("C2", weight="0.5", name_zh="示范带动"),
    ]

    with translation.override("en"):
        refused = client.post(
            f"/campaigns/c/rubrics/{submitted.pk}/edit/", formset(rows, revision="0")
        )
    assert refused.context["problems"] == [
        "Version 1 of this rubric already has submitted scores: its criteria codes, weights and"
        " scales cannot change. Save the changes as a new version; the scores submitted so far"
        " stay with version 1."
    ]

    response = client.post(
        f"/campaigns/c/rubrics/{submitted.pk}/edit/",
        formset(rows, revision="0", new_version="1"),
    )

    assert response.status_code == 302
    newest = Rubric.objects.get(version=2)
    assert list(newest.criteria.values_list("code", "weight")) == [
        ("C1", Decimal("0.5")),
        ("C2", Decimal("0.5")),
    ]
    assert list(submitted.criteria.values_list("weight", flat=True)) == [
        Decimal("0.6"),
        Decimal("0.4"),
    ]
    assert Score.objects.filter(criterion__rubric=submitted).count() == 2


@pytest.mark.django_db
def test_wording_changes_in_place_even_with_submitted_scores(campaign_c, submitted, alice):
    rows = [
        criterion("C1", weight="0.6", guidance_en="Look at the incubators."),
        criterion("C2", weight="0.4"),
    ]

    saved = rubric_save(
        campaign=campaign_c, rubric=submitted, revision=0, user=alice, criteria=rows
    )

    assert (saved.pk, saved.version) == (submitted.pk, 1)
    assert saved.criteria.get(code="C1").guidance_en == "Look at the incubators."


@pytest.mark.django_db
def test_a_score_off_the_scales_steps_is_refused(campaign_c, published, rubric, erin):
    from mieval.panels.services import score_save
    from mieval.registry.models import Base

    rubric.criteria.update(scale_step=5)

    with pytest.raises(ValidationError) as refused, translation.override("en"):
        score_save(
            user=erin,
            campaign=campaign_c,
            base=Base.objects.get(code="R1"),
            criteria=list(rubric.criteria.all()),
            entries={"C1": {"value": "72"}, "C2": {"value": "70"}},
        )

    assert refused.value.message_dict == {"C1": ["72 is not on the scale's steps of 5 from 0."]}


# --- numbers the columns cannot keep (issue 13, point 2: the same class as indicator values) ---


def test_a_rubric_number_beyond_its_column_is_named_with_the_allowed_range():
    with translation.override("en"):
        problems = rubric_problems(
            [
                criterion("C1", weight="NaN"),  # compared with 0: InvalidOperation, a 500
                criterion("C2", weight="1e10", high="1e20"),  # stored, then unreadable
                criterion("C3", weight="0.12345"),
            ]
        )

    assert problems == [
        "Criterion 1 (C1): the weight 'NaN' must be a number above 0.",
        "Criterion 2 (C2), weight: 1e10 is too large to be stored: a value lies between -10^4"
        " and 10^4 (at most 4 digits before the decimal point), with at most 8 significant"
        " digits and 4 decimal places",
        "Criterion 2 (C2), highest score: 1e20 is too large to be stored: a value lies between"
        " -10^6 and 10^6 (at most 6 digits before the decimal point), with at most 8"
        " significant digits and 2 decimal places",
        "Criterion 3 (C3), weight: 0.12345 cannot be stored exactly: it has 5 decimal places; a"
        " value has at most 8 significant digits and 4 decimal places, and lies between -10^4"
        " and 10^4",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("NaN", "'NaN' is not a number; leave the cell empty for a missing value"),
        (
            "72.125",  # the column keeps two decimals: it was rounded away silently
            "72.125 cannot be stored exactly: it has 3 decimal places; a value has at most 8"
            " significant digits and 2 decimal places, and lies between -10^6 and 10^6",
        ),
    ],
)
def test_a_score_the_column_cannot_keep_is_refused(
    campaign_c, published, rubric, erin, text, message
):
    from mieval.panels.services import score_save
    from mieval.registry.models import Base

    with pytest.raises(ValidationError) as refused, translation.override("en"):
        score_save(
            user=erin,
            campaign=campaign_c,
            base=Base.objects.get(code="R1"),
            criteria=list(rubric.criteria.all()),
            entries={"C1": {"value": text}, "C2": {"value": "70"}},
        )

    assert refused.value.message_dict == {"C1": [message]}
    assert not Score.objects.filter(criterion__code="C1").exists()
