"""The ``index_run`` job on the fixture campaign, checked by hand.

The tiny framework scores the region bases R1 and R2 on two indicators, one per dimension,
min-max 0-100 and arithmetic means (weights 1). The fixture's values:

==== ===================== ===============
base new_market_entities   patents_granted
==== ===================== ===============
R1   100 (2016)            10 (2016)
R2   300 (2016)            — (2016)
R1   144 (2018)            12 (2018)
==== ===================== ===============

2016: new_market_entities min-max over R1, R2: R1 (100-100)/(300-100)*100 = 0, R2 = 100.
patents_granted has only R1 in 2016 (R2 missing): one value, so min = max; its normalised
value is the middle of the scale, 50 (``steps._constant``), and R2 has none. Dimension "Ent"
= its one indicator: R1 0, R2 100; "Inn": R1 50, R2 none. Index "T" = mean of the present
dimensions: R2 = 100 (the missing Inn drops out), R1 = (0 + 50) / 2 = 25: R2 rank 1, R1 2.
Both bases are urban_district: ranks in the subcategory are the same, of 2.
"""

import pytest

from mieval.analytics.models import IndexFramework, IndexRun, IndexScore
from mieval.analytics.services import index_framework_create, index_run_request
from mieval.jobs.models import Job
from mieval.jobs.worker import run_next
from mieval.registry.models import Category

TINY = """
index = "T"

[[indicator]]
code = "new_market_entities"
parent = "Ent"

[[indicator]]
code = "patents_granted"
parent = "Inn"

[[aggregate]]
code = "Ent"
parent = "T"

[[aggregate]]
code = "Inn"
parent = "T"

[[aggregate]]
code = "T"

[[step]]
kind = "normalise"
method = "minmax"

[[step]]
kind = "aggregate"
method = "arithmetic"
"""


@pytest.fixture
def tiny(db):
    return index_framework_create(
        code="tiny",
        category=Category.objects.get(code="region"),
        name_zh="小指数",
        name_en="Tiny index",
        text=TINY,
    )


def run_index(campaign, framework, user, **params):
    defaults = {"runs": 20, "noise": 0.25, "seed": 1, "sensitivity": False}
    job = index_run_request(
        campaign=campaign,
        framework=framework,
        year=params.pop("year", 2016),
        params={**defaults, **params},
        user=user,
    )
    done = run_next()
    assert done.pk == job.pk
    return done


def test_index_run_ranks_by_hand(campaign_c, tiny, alice):
    job = run_index(campaign_c, tiny, alice)

    assert job.state == Job.State.DONE, job.error
    assert job.progress == 1.0
    run = IndexRun.objects.get()
    assert job.result == {"run": run.pk, "url": f"/campaigns/c/index/{run.pk}/"}
    assert run.job == job
    assert run.created_by == alice
    assert run.dimensions == ["T", "Ent", "Inn"]
    top = {s.base.code: s for s in IndexScore.objects.filter(run=run, code="T")}
    assert sorted(top) == ["R1", "R2"]  # only the region bases
    assert (top["R2"].rank, top["R1"].rank) == (1, 2)
    assert (top["R2"].group_rank, top["R1"].group_rank) == (1, 2)
    assert top["R1"].group_size == 2
    assert (top["R2"].score, top["R1"].score) == (100.0, 25.0)
    ent = {s.base.code: s.score for s in IndexScore.objects.filter(run=run, code="Ent")}
    assert ent == {"R1": 0.0, "R2": 100.0}
    assert run.inputs == {
        "R1": {"new_market_entities": 100.0, "patents_granted": 10.0},
        "R2": {"new_market_entities": 300.0, "patents_granted": None},
    }
    assert len(run.input_hash) == 64


def test_index_run_2018_only_one_base(campaign_c, tiny, alice):
    # 2018: R1 has 144 and 12; R2 has no value (its 2018 figure is blank): R1 alone, rank 1.
    job = run_index(campaign_c, tiny, alice, year=2018)

    assert job.state == Job.State.DONE, job.error
    ranks = dict(IndexScore.objects.filter(code="T").values_list("base__code", "rank"))
    assert ranks == {"R1": 1}


def test_monte_carlo_with_two_bases_keeps_the_order(campaign_c, tiny, alice):
    # R2 = 100 whatever the weights (its only dimension); R1 = (w_Ent * 0 + w_Inn * 50) /
    # (w_Ent + w_Inn) < 100 for any positive weights: every run ranks R2 first.
    run_index(campaign_c, tiny, alice, runs=30)

    top = {s.base.code: s for s in IndexScore.objects.filter(code="T")}
    assert (top["R2"].median_rank, top["R2"].q05, top["R2"].q95) == (1.0, 1.0, 1.0)
    assert (top["R1"].median_rank, top["R1"].q05, top["R1"].q95) == (2.0, 2.0, 2.0)
    assert IndexScore.objects.filter(code="Ent", median_rank__isnull=False).count() == 0


def test_sensitivity_is_stored(campaign_c, tiny, alice):
    run_index(campaign_c, tiny, alice, sensitivity=True, alt_aggregation=True)

    run = IndexRun.objects.get()
    assert [r["input"] for r in run.sensitivity] == ["weights", "aggregate"]
    assert set(run.sensitivity[0]) == {"input", "S1", "S1_conf", "ST", "ST_conf"}


def test_same_values_same_hash(campaign_c, tiny, alice):
    run_index(campaign_c, tiny, alice)
    run_index(campaign_c, tiny, alice, seed=2)

    assert len(set(IndexRun.objects.values_list("input_hash", flat=True))) == 1


def test_load_index_frameworks_is_idempotent(db):
    from django.core.management import call_command

    call_command("load_index_frameworks")
    call_command("load_index_frameworks")

    loaded = IndexFramework.objects.order_by("code")
    assert [(f.code, f.version, f.category_id, len(f.parsed().indicators)) for f in loaded] == [
        ("mie-enterprise", 1, "enterprise", 8),
        ("mie-region", 1, "region", 10),
        ("mie-university", 1, "university_institute", 8),
    ]


def test_the_audit_is_stored_with_the_run(campaign_c, tiny, alice):
    # given the 2016 run of R1 and R2 (Ent: R1 0, R2 100; Inn: R1 50, R2 none; T: R2 1st)
    run_index(campaign_c, tiny, alice, runs=0)
    audit = IndexRun.objects.get().audit
    # then the audit holds the contract's keys for 2016, one year only
    assert audit["year"] == 2016
    assert "years" not in audit
    # removing Ent (or its one indicator) leaves T = Inn: R1 50, R2 unranked; R1 moves 2 -> 1
    # (the only base ranked both times); removing Inn leaves T = Ent: no change
    assert audit["removal"] == [
        {"code": "new_market_entities", "mean_abs_rank_change": 1.0, "max_abs_rank_change": 1.0},
        {"code": "patents_granted", "mean_abs_rank_change": 0.0, "max_abs_rank_change": 0.0},
        {"code": "Ent", "mean_abs_rank_change": 1.0, "max_abs_rank_change": 1.0},
        {"code": "Inn", "mean_abs_rank_change": 0.0, "max_abs_rank_change": 0.0},
    ]
    # two bases are too few for a correlation (at least 3 pairs)
    assert [(r["a"], r["b"], r["pearson"]) for r in audit["correlations"]] == [
        ("new_market_entities", "Ent", None),
        ("patents_granted", "Inn", None),
        ("Ent", "Inn", None),
        ("Ent", "T", None),
        ("Inn", "T", None),
    ]
    assert audit["cronbach"][-1] == {"code": "T", "alpha": None, "n_children": 2}


def test_the_audit_of_a_later_year_covers_every_year_up_to_it(campaign_c, tiny, alice):
    run_index(campaign_c, tiny, alice, year=2018, runs=0)
    audit = IndexRun.objects.get().audit
    assert audit["year"] == 2018
    assert sorted(audit["years"]) == ["2016", "2017", "2018"]
    assert audit["years"]["2018"]["removal"] == audit["removal"]
