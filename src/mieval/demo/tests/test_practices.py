"""The demo reforms come from bases of a fitting category and are dated when such measures
existed (the sample bases of seed 0)."""

import datetime as dt

import pytest

from mieval.demo.campaign import sample_bases
from mieval.demo.practices import sample_practices

# Transcribed again: the categories whose bases make a measure of each area.
REGION, UNIVERSITY, ENTERPRISE = "region", "university_institute", "enterprise"
AREA = {
    "business_registration": {REGION},
    "finance_tax": {REGION, ENTERPRISE},
    "land_space": {REGION, UNIVERSITY},
    "technology_transfer": {UNIVERSITY, ENTERPRISE, REGION},
    "intellectual_property": {REGION, UNIVERSITY, ENTERPRISE},
    "talent": {REGION, UNIVERSITY, ENTERPRISE},
}


@pytest.fixture(scope="module")
def sample():
    bases = sample_bases(0)
    reforms, nominations = sample_practices(bases, 0)
    return bases.set_index("code"), reforms, nominations


def test_registration_reforms_come_from_regions_and_transfer_not_only_from_them(sample):
    bases, reforms, _ = sample
    category = reforms["base_code"].map(bases["category"])
    for area, allowed in AREA.items():
        assert set(category[reforms["area"] == area]) <= allowed, area
    assert set(category[reforms["area"] == "business_registration"]) == {REGION}
    transfer = category[reforms["area"] == "technology_transfer"]
    assert {UNIVERSITY, ENTERPRISE} & set(transfer)
    # A university's reform of business registration would not be one.
    assert not ((reforms["area"] == "business_registration") & (category != REGION)).any()


def test_measures_are_dated_when_they_existed_and_within_the_campaign(sample):
    bases, reforms, _ = sample
    title = reforms["title"].where(reforms["language"] == "zh", reforms["title_other"])
    dated = dict(zip(title, reforms["introduced_on"], strict=False))
    # Simplified deregistration nationwide from March 2017; the standard land plots of Zhejiang
    # from 2018; IP securitisation from December 2018.
    assert dated["简易注销改革"] >= dt.date(2017, 3, 1)
    assert dated["标准地出让"] >= dt.date(2018, 1, 1)
    assert dated["知识产权证券化"] >= dt.date(2018, 12, 1)
    assert reforms["introduced_on"].between(dt.date(2016, 1, 1), dt.date(2018, 12, 31)).all()
    # nothing before the base was designated
    batch = reforms["base_code"].map(bases["batch"])
    assert all(day.year >= b for day, b in zip(reforms["introduced_on"], batch, strict=True))
    # the measures of later years are not in the demo
    assert not title.isin(["包容审慎监管清单", "专利开放许可", "数据知识产权登记"]).any()


def test_researchers_come_from_universities_and_institutes(sample):
    bases, _, nominations = sample
    researchers = nominations[nominations["subkind"] == "researcher"]
    assert len(researchers) > 0
    assert set(researchers["base_code"].map(bases["category"])) == {UNIVERSITY}
    batch = nominations["base_code"].map(bases["batch"])
    assert (nominations["year"] >= batch).all()
