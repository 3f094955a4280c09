"""Aggregate names from the framework TOML (name_zh / name_en) on every index page, in the
language of the request; indicators keep the names of the indicator framework."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from mieval.analytics.models import IndexFramework, IndexRun
from mieval.analytics.services import index_framework_create, index_run_store
from mieval.analytics.tests.test_index_run import TINY, run_index
from mieval.core.index import framework_parse
from mieval.core.problems import InputError
from mieval.registry.models import Category

NAMED = (
    TINY.replace(
        'code = "Ent"\nparent = "T"',
        'code = "Ent"\nparent = "T"\nname_zh = "创业活力"\nname_en = "Entrepreneurship"',
    )
    .replace(
        'code = "Inn"\nparent = "T"',
        'code = "Inn"\nparent = "T"\nname_zh = "创新能力"\nname_en = "Innovation"',
    )
    .replace(
        '[[aggregate]]\ncode = "T"\n',
        '[[aggregate]]\ncode = "T"\nname_zh = "双创指数"\nname_en = "MIE index"\n',
    )
)


def test_parser_reads_names_and_falls_back():
    parsed = framework_parse(NAMED)
    assert parsed.names == {
        "Ent": ("创业活力", "Entrepreneurship"),
        "Inn": ("创新能力", "Innovation"),
        "T": ("双创指数", "MIE index"),
    }
    assert parsed.name("Ent", zh=True) == "创业活力"
    assert parsed.name("Ent", zh=False) == "Entrepreneurship"
    only_zh = framework_parse(
        TINY.replace('code = "Ent"\nparent = "T"', 'code = "Ent"\nparent = "T"\nname_zh = "创业"')
    )
    assert only_zh.name("Ent", zh=False) == "创业"  # the other language rather than the code
    assert only_zh.name("Inn", zh=True) == "Inn"


def test_parser_refuses_a_name_that_is_not_text():
    with pytest.raises(InputError) as error:
        framework_parse(
            TINY.replace('code = "Ent"\nparent = "T"', 'code = "Ent"\nparent = "T"\nname_en = 3')
        )
    (problem,) = error.value.problems
    assert (problem.key, problem.line, problem.message) == (
        "aggregate[0].name_en",
        15,
        "must be a name",
    )


@pytest.fixture
def named_run(campaign_c, alice):
    framework = index_framework_create(
        code="named",
        category=Category.objects.get(code="region"),
        name_zh="小指数",
        name_en="Tiny index",
        text=NAMED,
    )
    run_index(campaign_c, framework, alice, runs=0)
    return IndexRun.objects.get()


@pytest.mark.parametrize(
    "language, ent, inn, top",
    [
        ("en", "Entrepreneurship", "Innovation", "MIE index"),
        ("zh-hans", "创业活力", "创新能力", "双创指数"),
    ],
)
def test_pages_show_the_names_in_the_language(client, alice, named_run, language, ent, inn, top):
    client.cookies["django_language"] = language
    client.force_login(alice)

    ranking = client.get(reverse("index_run_detail", args=["c", named_run.pk])).content.decode()
    assert f'<th class="num" data-code="Ent">{ent}</th>' in ranking
    assert f'<th class="num" data-code="Inn">{inn}</th>' in ranking
    assert f'<p class="lead" id="index-name">{top}</p>' in ranking

    base = client.get(reverse("index_base", args=["c", named_run.pk, "R1"])).content.decode()
    assert f'<tr data-code="T"><td>{top}</td>' in base
    assert f'<tr data-code="Ent"><td>{ent}</td>' in base
    # traceability: each indicator's dimension by name
    assert '<tr data-indicator="patents_granted"><td>' in base
    row = base.split('<tr data-indicator="patents_granted">')[1].split("</tr>")[0]
    assert f"<td>{inn}</td>" in row


def test_radar_axes_are_named(client, alice, campaign_c):
    # Three dimensions: the radar's axes are the dimensions, by name. A run stored directly
    # (the fixture has values for two indicators only).
    text = NAMED.replace(
        '[[aggregate]]\ncode = "T"',
        '[[indicator]]\ncode = "new_urban_employment"\nparent = "Emp"\n\n'
        '[[aggregate]]\ncode = "Emp"\nparent = "T"\nname_zh = "就业"\nname_en = "Jobs"\n\n'
        '[[aggregate]]\ncode = "T"',
    )
    framework = index_framework_create(
        code="three",
        category=Category.objects.get(code="region"),
        name_zh="三",
        name_en="Three",
        text=text,
    )
    bases = dict(campaign_c.bases.values_list("code", "pk"))
    scores = [
        {
            "base_id": bases[b],
            "code": c,
            "level": 3 if c == "T" else 2,
            "score": 50.0,
            "rank": 1,
            "group_rank": 1,
            "group_size": 2,
            "median_rank": None,
            "q05": None,
            "q95": None,
        }
        for b in ("R1", "R2")
        for c in ("T", "Ent", "Inn", "Emp")
    ]
    run = index_run_store(
        campaign=campaign_c,
        framework=framework,
        year=2016,
        params={"runs": 0},
        job=None,
        user=alice,
        scores=scores,
        computed={
            "input_hash": "0" * 64,
            "inputs": {},
            "normalised": {},
            "dimensions": ["T", "Ent", "Inn", "Emp"],
            "weights": {},
            "sensitivity": [],
        },
    )
    client.cookies["django_language"] = "en"
    client.force_login(alice)

    base = client.get(reverse("index_base", args=["c", run.pk, "R1"])).content.decode()

    assert '"axes": ["Entrepreneurship", "Innovation", "Jobs"]' in base


def test_load_index_frameworks_names_the_dimensions(db):
    call_command("load_index_frameworks")

    parsed = IndexFramework.objects.get(code="mie-region").parsed()
    assert parsed.names == {
        "Entrepreneurship": ("创业活力", "Entrepreneurship"),
        "Innovation": ("创新能力", "Innovation"),
        "MIE": ("双创指数", "MIE index"),
    }
