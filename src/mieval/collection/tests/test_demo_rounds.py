"""The demo's three rounds, loaded as ``bin/demo`` loads them: the files of ``mieval sample``,
``mieval import --programme mie-bases --round N``, the lifecycle events, the crosswalk.

Loaded once for the module (inside a transaction rolled back at its end). The expected
figures are recomputed exactly (``fractions.Fraction``) from the written CSV files, without
mieval's trend code; the poster's figures are transcribed again.
"""

import csv
import datetime as dt
import json
from fractions import Fraction

import pytest
from django.core.management import call_command
from django.db import transaction

from mieval.cli import main

PROGRAMME = "mie-bases"
# Source: the poster, "Patents granted 285 289 309"; "Newly employed urban population (10,000
# persons) 91.6 141.1 146.1".
POSTER_PATENTS = (285, 289, 309)
POSTER_EMPLOYMENT = ("91.6", "141.1", "146.1")


def read_csv(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def exact_means(rows: list[dict], code: str, factor: int = 1) -> dict[int, tuple[Fraction, int]]:
    found: dict[int, list[Fraction]] = {}
    for row in rows:
        if row["indicator_code"] == code and row["value"] != "":
            found.setdefault(int(row["year"]), []).append(Fraction(row["value"]) * factor)
    return {year: (sum(v) / len(v), len(v)) for year, v in found.items()}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, django_db_setup, django_db_blocker):
    out = tmp_path_factory.mktemp("demo")
    d = str(out)
    with django_db_blocker.unblock(), transaction.atomic():
        # given the demo's files, imported as bin/demo does
        assert main(["sample", "--out", d]) == 0
        assert (
            main(
                ["import", "--campaign", "demo-r1", "--create", "2016-2016",
                 "--programme", PROGRAMME, "--round", "1",
                 "--bases", f"{d}/round1/bases.csv", "--values", f"{d}/round1/values.csv"]
            )
            == 0
        )  # fmt: skip
        assert (
            main(
                ["import", "--campaign", "demo", "--create", "2016-2018",
                 "--programme", PROGRAMME, "--round", "2",
                 "--bases", f"{d}/bases.csv", "--values", f"{d}/values.csv"]
            )
            == 0
        )  # fmt: skip
        call_command("load_lifecycle_demo", "--file", f"{d}/round3/events.csv")
        assert (
            main(
                ["import", "--campaign", "demo-r3", "--create", "2019-2021",
                 "--programme", PROGRAMME, "--round", "3",
                 "--indicators", f"{d}/round3/indicators.csv",
                 "--bases", f"{d}/round3/bases.csv", "--values", f"{d}/round3/values.csv"]
            )
            == 0
        )  # fmt: skip
        call_command("import_crosswalk", f"{d}/round3/crosswalk.csv")
        trends = out / "trends.json"
        programme = ["trends", "--programme", PROGRAMME, "--format", "json", "--out", str(trends)]
        assert main(programme) == 0
        poster = out / "poster.json"
        assert main(["trends", "--campaign", "demo", "--format", "json", "--out", str(poster)]) == 0
        yield {
            "dir": out,
            "trends": json.loads(trends.read_text(encoding="utf-8-sig")),
            "poster": json.loads(poster.read_text(encoding="utf-8-sig")),
        }
        transaction.set_rollback(True)


def _row(document: dict, code: str) -> dict:
    return next(r for r in document["rows"] if r["indicator"] == code and r["group"] == "all")


@pytest.mark.django_db
def test_the_three_rounds_are_loaded(loaded):
    from mieval.collection.models import Programme

    campaigns = list(Programme.objects.get(code=PROGRAMME).campaigns.order_by("round"))
    assert [(c.round, c.code, c.first_year, c.last_year, c.bases.count()) for c in campaigns] == [
        (1, "demo-r1", 2016, 2016, 28),
        (2, "demo", 2016, 2018, 120),
        (3, "demo-r3", 2019, 2021, 211),
    ]
    assert [(c.framework.code, c.framework.version) for c in campaigns] == [
        ("mie-core", 1),
        ("mie-core", 1),
        ("demo-r3", 1),
    ]
    for campaign, path in zip(
        campaigns, ("round1/values.csv", "values.csv", "round3/values.csv"), strict=True
    ):
        assert campaign.values.count() == len(read_csv(loaded["dir"] / path))
    # the third batch joins in round 3 only, and reports from 2020 on
    r3 = campaigns[2]
    assert r3.bases.filter(batch=2020).count() == 92
    assert not r3.values.filter(base__batch=2020, year=2019).exists()
    assert r3.values.filter(base__batch=2020, year=2020).exists()


@pytest.mark.django_db
def test_the_withdrawn_base_is_out_of_round_3_and_kept_in_round_2(loaded):
    from mieval.collection.models import Campaign
    from mieval.registry.models import Base

    # given the base withdrawn on 2018-12-20 (the events file)
    events = read_csv(loaded["dir"] / "round3/events.csv")
    withdrawal = next(e for e in events if e["kind"] == "withdrawn")
    assert withdrawal["date"] == "2018-12-20"
    base = Base.objects.with_lifecycle().get(code=withdrawal["base_code"])

    # then it is withdrawn, in round 2 with its values, and out of round 3
    assert base.status == "withdrawn"
    assert base.lifecycle_ended_on == dt.date(2018, 12, 20)
    demo, r3 = Campaign.objects.get(code="demo"), Campaign.objects.get(code="demo-r3")
    assert demo.bases.filter(pk=base.pk).exists()
    written = [r for r in read_csv(loaded["dir"] / "values.csv") if r["base_code"] == base.code]
    assert demo.values.filter(base=base).count() == len(written) > 0
    assert not r3.bases.filter(pk=base.pk).exists()
    assert not r3.values.filter(base=base).exists()
    assert base.code in {r["code"] for r in read_csv(loaded["dir"] / "round3/bases.csv")}


@pytest.mark.django_db
def test_the_renaming_is_dated_and_kept_in_the_history(loaded):
    from mieval.registry.models import Base, BaseEvent

    events = read_csv(loaded["dir"] / "round3/events.csv")
    renaming = next(e for e in events if e["kind"] == "renamed")
    r2_bases = {r["code"]: r for r in read_csv(loaded["dir"] / "bases.csv")}
    old = r2_bases[renaming["base_code"]]
    base = Base.objects.get(code=renaming["base_code"])

    # a county became a district (撤县设区) on 2019-07-01
    assert old["subcategory"] == "county"
    assert old["name_zh"].endswith("县（演示）")
    assert renaming["name_zh"] == old["name_zh"].replace("县（演示）", "区（演示）")
    assert [(e.kind, e.date) for e in base.events.order_by("date")] == [
        ("designated", dt.date(2016 if old["batch"] == "2016" else 2017, *(
            (5, 8) if old["batch"] == "2016" else (6, 15)
        ))),
        ("renamed", dt.date(2019, 7, 1)),
    ]  # fmt: skip
    event = base.events.get(kind=BaseEvent.Kind.RENAMED)
    assert (event.old_name_zh, event.new_name_zh) == (old["name_zh"], renaming["name_zh"])
    assert (base.name_zh, base.name_en) == (renaming["name_zh"], renaming["name_en"])
    assert base.names_on(dt.date(2019, 6, 30)) == (old["name_zh"], old["name_en"])
    assert base.names_on(dt.date(2019, 7, 1)) == (renaming["name_zh"], renaming["name_en"])


@pytest.mark.django_db
def test_round_2_still_reproduces_the_posters_table(loaded):
    patents = _row(loaded["poster"], "patents_granted")
    assert [patents["values"][str(y)] for y in (2016, 2017, 2018)] == list(POSTER_PATENTS)
    assert round(patents["cagr"], 3) == 0.041


@pytest.mark.django_db
def test_the_trend_table_across_the_rounds_goes_through_the_crosswalk(loaded):
    d = loaded["dir"]
    r2 = read_csv(d / "values.csv")
    r3 = read_csv(d / "round3/values.csv")
    document = loaded["trends"]

    # the renamed indicator: 2016-2018 from round 2's patents_granted, then round 3's patents
    expected = exact_means(r2, "patents_granted") | exact_means(r3, "patents")
    patents = _row(document, "patents")
    assert {int(y): Fraction(v) for y, v in patents["values"].items()} == {
        y: m for y, (m, _) in expected.items()
    }
    assert {int(y): n for y, n in patents["n"].items()} == {y: n for y, (_, n) in expected.items()}
    assert [expected[y][0] for y in (2016, 2017, 2018)] == list(POSTER_PATENTS)
    assert [expected[y][0] for y in (2019, 2020, 2021)] == [336, 352, 389]
    assert patents["cagr"] == pytest.approx((389 / 285) ** (1 / 5) - 1, rel=1e-12)

    # the unit change: 10,000 persons into persons, factor 10,000
    expected = exact_means(r2, "new_urban_employment", 10000) | exact_means(
        r3, "new_urban_employment"
    )
    employment = _row(document, "new_urban_employment")
    assert [expected[y][0] for y in (2016, 2017, 2018)] == [
        Fraction(f) * 10000 for f in POSTER_EMPLOYMENT
    ]
    for year, (mean, count) in expected.items():
        assert employment["values"][str(year)] == pytest.approx(float(mean), rel=1e-12)
        assert employment["n"][str(year)] == count
    assert employment["values"]["2018"] == pytest.approx(1461000, rel=1e-12)
    assert employment["values"]["2021"] == 1587600

    # the indicator the newer version left out is reported, not dropped silently
    unmapped = {(u["campaign"], u["indicator"]): u for u in document["unmapped"]}
    assert set(unmapped) == {
        ("demo-r1", "univ_ie_education_investment"),
        ("demo", "univ_ie_education_investment"),
    }
    r1 = read_csv(d / "round1/values.csv")
    counted = {
        "demo-r1": sum(r["indicator_code"] == "univ_ie_education_investment" for r in r1),
        "demo": sum(r["indicator_code"] == "univ_ie_education_investment" for r in r2),
    }
    assert {c: u["values"] for (c, _), u in unmapped.items()} == counted
    assert not any(r["indicator"] == "univ_ie_education_investment" for r in document["rows"])


# --- the files alone (no database) ---------------------------------------------------------


def test_round_3_means_are_its_figures_exactly_and_the_files_are_deterministic(tmp_path):
    from mieval.demo.rounds import write_rounds

    # given the rounds' files of one seed, written twice
    first = write_rounds(tmp_path / "a", seed=0)
    second = write_rounds(tmp_path / "b", seed=0)
    assert sorted(first) == [
        "round1/bases",
        "round1/values",
        "round3/bases",
        "round3/crosswalk",
        "round3/events",
        "round3/indicators",
        "round3/values",
    ]
    for name, path in first.items():
        assert path.read_bytes() == second[name].read_bytes(), name

    # then round 3's yearly means are its figures exactly (transcribed here again)
    r3 = read_csv(first["round3/values"])
    assert {y: m for y, (m, _) in exact_means(r3, "patents").items()} == {
        2019: 336,
        2020: 352,
        2021: 389,
    }
    assert {y: m for y, (m, _) in exact_means(r3, "new_urban_employment").items()} == {
        2019: 1503200,
        2020: 1421800,
        2021: 1587600,
    }
    # the crosswalk renames one indicator and changes one unit by a factor
    assert read_csv(first["round3/crosswalk"]) == [
        {"from_framework": "mie-core", "from_version": "1", "from_code": "patents_granted",
         "to_framework": "demo-r3", "to_version": "1", "to_code": "patents", "factor": ""},
        {"from_framework": "mie-core", "from_version": "1",
         "from_code": "new_urban_employment", "to_framework": "demo-r3", "to_version": "1",
         "to_code": "new_urban_employment", "factor": "10000"},
    ]  # fmt: skip
    # round 1 is round 2's 2016 rows of the first batch, unchanged
    r1 = read_csv(first["round1/values"])
    r2 = read_csv(write_sample_values(tmp_path / "c"))
    first_batch = {r["code"] for r in read_csv(first["round1/bases"])}
    assert len(first_batch) == 28
    assert r1 == [r for r in r2 if r["year"] == "2016" and r["base_code"] in first_batch]


def write_sample_values(folder):
    from mieval.demo.campaign import write_sample

    return write_sample(folder, seed=0)["values"]
