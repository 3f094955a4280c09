"""Reads for the pages: the bases of a campaign counted by category, subcategory, region, batch.

Campaign ``c`` (see ``mieval/conftest.py``): R1 (Beijing) and R2 (Sichuan) are urban districts,
U1 (Hubei) and U2 (Jiangsu) S&T universities, E1 (Guangdong) a private enterprise.
"""

import pytest
from django.utils import translation

from mieval.collection.selectors import campaign_frames
from mieval.web.selectors import bases_breakdowns


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def test_bases_breakdowns_in_reference_order(campaign_c):
    breakdowns = bases_breakdowns(campaign_frames(campaign_c).bases)

    as_tuples = {
        field: [(r["code"], r["label"], r["n"]) for r in rows] for field, rows in breakdowns.items()
    }
    assert as_tuples == {
        "category": [
            ("region", "Region", 2),
            ("university_institute", "Universities and institutes", 2),
            ("enterprise", "Enterprise", 1),
        ],
        "subcategory": [
            ("urban_district", "Urban district", 2),
            ("st_university", "S&T university", 2),
            ("private", "Private enterprise", 1),
        ],
        # Beijing, Jiangsu and Guangdong are in the east, Hubei central, Sichuan west.
        "region": [("east", "East", 3), ("central", "Central", 1), ("west", "West", 1)],
        "batch": [("2016", "First batch (2016)", 2), ("2017", "Second batch (2017)", 3)],
    }


def test_bases_breakdowns_of_no_bases(campaign_c):
    bases = campaign_frames(campaign_c).bases.iloc[0:0]

    assert bases_breakdowns(bases) == {"category": [], "subcategory": [], "region": [], "batch": []}
