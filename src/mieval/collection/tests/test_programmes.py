"""Programmes and their rounds: the default programme, round numbers, the migration's data step,
``mieval import --programme --round`` and the campaign list grouped by programme."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from mieval.cli import main
from mieval.collection.models import Campaign, Programme
from mieval.collection.services import (
    RoundTaken,
    campaign_create,
    programme_create,
    programme_default,
)
from mieval.collection.tests.conftest import BASES_CSV, VALUES_CSV, write

pytestmark = pytest.mark.django_db


def rounds_of(code: str) -> list[tuple[int, str]]:
    return list(
        Campaign.objects.filter(programme__code=code).order_by("round").values_list("round", "code")
    )


def test_a_campaign_goes_into_the_default_programme_as_its_next_round():
    # given: no campaign yet
    # when
    first = campaign_create(code="r1", first_year=2016, last_year=2016)
    second = campaign_create(code="r2", first_year=2016, last_year=2018)

    # then
    assert (first.programme.code, first.round) == ("mie-bases", 1)
    assert (second.programme.code, second.round) == ("mie-bases", 2)
    assert programme_default().name_zh == "国家双创示范基地评估"


def test_a_round_number_can_be_chosen_and_a_taken_one_is_refused():
    programme = programme_create(code="p", name_zh="项目", name_en="Programme")
    campaign_create(code="late", first_year=2020, last_year=2020, programme=programme, round=3)

    with pytest.raises(RoundTaken) as caught:
        campaign_create(code="dup", first_year=2021, last_year=2021, programme=programme, round=3)

    assert str(caught.value) == "round 3 of programme 'p' is campaign 'late' already"
    # The next round follows the highest number, not the count of campaigns.
    following = campaign_create(code="next", first_year=2021, last_year=2021, programme=programme)
    assert following.round == 4
    assert rounds_of("p") == [(3, "late"), (4, "next")]


def test_round_zero_is_refused():
    with pytest.raises(ValueError, match="round 0 is not a round number; rounds count from 1"):
        campaign_create(code="z", first_year=2016, last_year=2016, round=0)


def test_the_database_refuses_two_campaigns_in_one_round():
    campaign_create(code="a", first_year=2016, last_year=2016)
    b = campaign_create(code="b", first_year=2017, last_year=2017)

    b.round = 1
    with pytest.raises(IntegrityError), transaction.atomic():
        b.save(update_fields=["round"])


def test_the_migration_numbers_existing_campaigns_by_first_year():
    # given: campaigns in another programme, created out of order of their years
    other = programme_create(code="old")
    campaign_create(code="c2020", first_year=2020, last_year=2021, programme=other, round=1)
    campaign_create(code="c2016", first_year=2016, last_year=2016, programme=other, round=2)
    campaign_create(code="c2016b", first_year=2016, last_year=2018, programme=other, round=3)
    migration = importlib.import_module("mieval.collection.migrations.0004_programmes_rounds")

    # when
    migration.campaigns_into_default_programme(apps, None)

    # then: the oldest first year is round 1; a tie goes to the earlier last year
    assert rounds_of("mie-bases") == [(1, "c2016"), (2, "c2016b"), (3, "c2020")]
    assert rounds_of("old") == []


@pytest.fixture
def files(tmp_path):
    return write(tmp_path / "bases.csv", BASES_CSV), write(tmp_path / "values.csv", VALUES_CSV)


def test_import_creates_a_campaign_as_a_round_of_a_new_programme(files, capsys):
    bases, _ = files
    args = ["import", "--campaign", "c", "--create", "2016-2018", "--bases", str(bases)]

    assert main([*args, "--programme", "demo-prog", "--round", "2"]) == 0

    err = capsys.readouterr().err
    assert "Created programme 'demo-prog'." in err
    assert "Created campaign 'c' (2016-2018). It is round 2 of programme 'demo-prog'." in err
    assert rounds_of("demo-prog") == [(2, "c")]
    assert Programme.objects.get(code="demo-prog").name_en == "demo-prog"


def test_import_into_a_taken_round_writes_nothing(files, capsys):
    bases, _ = files
    campaign_create(code="first", first_year=2016, last_year=2016)

    args = ["import", "--campaign", "c", "--create", "2016-2018", "--bases", str(bases)]
    code = main([*args, "--round", "1"])

    assert code == 2
    err = capsys.readouterr().err
    assert "mieval import: round 1 of programme 'mie-bases' is campaign 'first' already;" in err
    assert not Campaign.objects.filter(code="c").exists()


def test_import_into_an_existing_campaign_keeps_its_round(files, capsys):
    _, values = files
    campaign_create(code="c", first_year=2016, last_year=2018)

    code = main(["import", "--campaign", "c", "--values", str(values), "--round", "5"])

    assert code == 2
    assert "campaign 'c' is round 1, not 5; change it in the admin" in capsys.readouterr().err


def test_a_dry_run_creates_no_programme(files, capsys):
    bases, _ = files

    args = ["import", "--campaign", "c", "--create", "2016", "--bases", str(bases)]
    code = main([*args, "--programme", "p2", "--dry-run"])

    assert code == 0
    assert "Would create programme 'p2'." in capsys.readouterr().err
    assert not Programme.objects.filter(code="p2").exists()
    assert not Campaign.objects.exists()


def test_the_campaign_list_groups_campaigns_by_programme_latest_round_first(client, alice):
    other = programme_create(code="zz", name_zh="另一项目", name_en="Another programme")
    campaign_create(code="r1", first_year=2016, last_year=2016)
    campaign_create(code="r2", first_year=2016, last_year=2018)
    campaign_create(code="x1", first_year=2020, last_year=2020, programme=other)
    client.force_login(alice)

    response = client.get("/campaigns/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    groups = response.context["programmes"]
    listed = [(g["programme"].code, [r["campaign"].code for r in g["campaigns"]]) for g in groups]
    assert listed == [("mie-bases", ["r2", "r1"]), ("zz", ["x1"])]
    assert [g["name"] for g in groups] == [
        "Evaluation of the national MIE demonstration bases",
        "Another programme",
    ]
