"""The demo reforms, cases and people, and the command that loads them (idempotent)."""

import pytest
from django.core.management import call_command

from mieval.core.matching.practices import same_measure_pairs
from mieval.demo.campaign import sample_bases
from mieval.demo.practices import NOMINATION_COLUMNS, REFORM_COLUMNS, sample_practices
from mieval.practices.models import Nomination, Reform, ReformLink


@pytest.fixture(scope="module")
def sample():
    return sample_practices(sample_bases(0), 0)


def test_the_sample_has_its_documented_shape(sample):
    reforms, nominations = sample

    assert tuple(reforms.columns) == REFORM_COLUMNS and len(reforms) == 60
    assert reforms["area"].value_counts().to_dict() == {
        "business_registration": 10,
        "talent": 10,
        "finance_tax": 10,
        "intellectual_property": 10,
        "technology_transfer": 10,
        "land_space": 10,
    }
    assert reforms["language"].value_counts().to_dict() == {"zh": 47, "en": 13}
    assert tuple(nominations.columns) == NOMINATION_COLUMNS
    assert nominations["kind"].value_counts().to_dict() == {"case": 20, "person": 15}
    assert int(nominations["consent"].sum()) == 30
    # Contact data for people only.
    cases = nominations[nominations["kind"] == "case"]
    assert (cases["contact_phone"] == "").all() and (cases["contact_email"] == "").all()


def test_the_same_seed_gives_the_same_sample(sample):
    again = sample_practices(sample_bases(0), 0)

    assert sample[0].equals(again[0]) and sample[1].equals(again[1])


def test_exactly_the_six_near_duplicates_are_suggested(sample):
    reforms, _ = sample
    texts = (
        reforms["title"] + " " + reforms["description"] + " " + reforms["title_other"] + " "
        + reforms["description_other"]
    ).tolist()  # fmt: skip

    pairs = same_measure_pairs(list(range(60)), reforms["base_code"].tolist(), texts)

    assert sorted(b for _, b, _ in pairs) == [54, 55, 56, 57, 58, 59]


@pytest.mark.django_db
def test_the_command_loads_the_sample_once(tmp_path, capsys):
    from mieval.collection.selectors import campaign_import_plan
    from mieval.collection.services import campaign_create, campaign_import_apply

    sample_bases(0).to_csv(tmp_path / "bases.csv", index=False)
    campaign = campaign_create(code="demo", first_year=2016, last_year=2018)
    plan = campaign_import_plan(
        campaign=campaign, bases_path=tmp_path / "bases.csv", values_path=None
    )
    campaign_import_apply(plan=plan, actor="test")

    call_command("load_practices_sample", campaign="demo")
    call_command("load_practices_sample", campaign="demo")

    assert Reform.objects.count() == 60
    assert Reform.objects.filter(status="classified").count() == 54
    assert Nomination.objects.count() == 35
    assert ReformLink.objects.filter(status="confirmed").count() == 3
    assert ReformLink.objects.filter(status="suggested").count() == 3
    assert capsys.readouterr().out.splitlines() == [
        "practices: 60 reform measures, 35 nominations loaded into 'demo'",
        "practices: 0 reform measures, 0 nominations loaded into 'demo'",
    ]
