"""The one rule of which indicators apply to which bases."""

import pytest

from mieval.core.indicators import POSTER_INDICATORS, indicator_applies


@pytest.mark.parametrize(
    ("categories", "category", "applies"),
    [
        ((), "region", True),
        ([], "enterprise", True),
        (("region",), "region", True),
        (("region", "enterprise"), "enterprise", True),
        (("university_institute",), "region", False),
        (("region",), "", False),
        (("region",), "Region", False),
    ],
)
def test_an_indicator_applies_to_its_categories_and_without_any_to_all(
    categories, category, applies
):
    assert indicator_applies(categories, category) is applies


def test_the_poster_indicators_that_apply_to_a_university():
    assert [
        spec.code
        for spec in POSTER_INDICATORS
        if indicator_applies(spec.categories, "university_institute")
    ] == [
        "national_talent",
        "incubation_area",
        "provincial_rd_centres",
        "patents_granted",
        "univ_enterprise_coop",
        "institute_ie_projects",
        "training_reach",
        "univ_ie_education_investment",
    ]
