"""The Chinese a user reads follows docs/glossary.md: the catalogue, the templates' contexts,
the reference data, the reports' fixed texts and the demo."""

import importlib
import re
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "mieval"
PO = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

#: Rejected term: the concept it was used for, and the glossary's word.
REJECTED = {
    "评估活动": "campaign: 评估轮次",
    "基地填报员": "base officer: 基地联络员",
    "质询": "data query: 数据核实",
    "运营": "operational: 业务",
    "城市城区": "urban district: 城区",
    "特色类高校": "specialised college: 行业特色高校",
    "孵化平台载体面积": "incubation carrier area: 孵化载体面积",
    "需要解决的问题": "problems: 存在的问题",
}

START_BUTTON = ("button that starts an index computation", "Start")
RANK_CHANGE = ("column of the rank change since the previous year", "Change")
EDIT_LINK = ("link to edit", "Change")
#: (msgctxt, msgid) -> msgstr, the glossary's "Words that change with the context".
CONTEXTS = {
    START_BUTTON: "开始计算",
    RANK_CHANGE: "名次变化",
    EDIT_LINK: "修改",
    ("East or Central-West, not the base category", "Region"): "地区",
}


def catalogue() -> dict[tuple[str | None, str], str]:
    """``(msgctxt or None, msgid) -> msgstr`` of the zh-Hans catalogue (msgstr[0] for plurals)."""
    entry = re.compile(
        r'^(?:msgctxt "(.*)"\n)?msgid "(.*)"\n(?:msgid_plural ".*"\n)?msgstr(?:\[0\])? "(.*)"',
        flags=re.MULTILINE,
    )
    return {
        (context or None, msgid): msgstr
        for context, msgid, msgstr in entry.findall(PO.read_text(encoding="utf-8"))
        if msgid
    }


def test_the_catalogue_uses_no_rejected_term():
    found = sorted(
        f"{msgid!r}: {msgstr} ({REJECTED[term]})"
        for (_context, msgid), msgstr in catalogue().items()
        for term in REJECTED
        if term in msgstr
    )
    assert found == []


@pytest.mark.parametrize(("key", "expected"), list(CONTEXTS.items()))
def test_a_word_with_two_meanings_has_a_context(key, expected):
    assert catalogue()[key] == expected


def test_the_plain_words_keep_their_first_meaning():
    entries = catalogue()

    assert entries[(None, "Start")] == "首页"
    assert entries[(None, "Change")] == "变更"
    assert (None, "Region") not in entries


@pytest.mark.parametrize(("key", "expected"), list(CONTEXTS.items()))
def test_the_compiled_catalogue_gives_the_context_word(key, expected):
    with translation.override("zh-hans"):
        assert translation.pgettext(*key) == expected


@pytest.mark.parametrize(
    ("template", "key"),
    [
        ("analytics/templates/analytics/index_runs.html", START_BUTTON),
        ("analytics/templates/analytics/index_changes.html", RANK_CHANGE),
        ("practices/templates/practices/reform_detail.html", EDIT_LINK),
        ("practices/templates/practices/nomination_detail.html", EDIT_LINK),
    ],
)
def test_the_templates_ask_for_the_context(template, key):
    context, msgid = key
    text = (PACKAGE / template).read_text(encoding="utf-8")

    assert f'{{% translate "{msgid}" context "{context}" %}}' in text
    assert f'{{% translate "{msgid}" %}}' not in text


@pytest.mark.django_db
def test_the_east_central_west_filter_is_diqu():
    from mieval.practices.forms import SearchForm

    with translation.override("zh-hans"):
        assert str(SearchForm().fields["region_group"].label) == "地区"


def test_runtime_code_and_templates_use_no_rejected_term():
    # 运营 is a real word in the demo's stories (运营经理); the expert role is checked below.
    terms = [t for t in REJECTED if t != "运营"]
    found = sorted(
        f"{path.relative_to(ROOT)}: {term}"
        for path in PACKAGE.rglob("*")
        if path.suffix in {".py", ".html", ".txt"}
        and "tests" not in path.relative_to(PACKAGE).parts
        and "migrations" not in path.relative_to(PACKAGE).parts
        for term in terms
        if term in path.read_text(encoding="utf-8")
    )
    assert found == []


def test_reference_data_names():
    from mieval.core.indicators import POSTER_INDICATORS
    from mieval.core.reference import SUBCATEGORY_BY_CODE, group_label

    indicators = {spec.code: spec.name_zh for spec in POSTER_INDICATORS}
    assert SUBCATEGORY_BY_CODE["urban_district"].name_zh == "城区"
    assert SUBCATEGORY_BY_CODE["specialized_college"].name_zh == "行业特色高校"
    assert indicators["incubation_area"] == "孵化载体面积"
    assert indicators["training_reach"] == "培训讲座覆盖人次"
    assert group_label("batch", "2016") == ("首批（2016年）", "First batch (2016)")
    assert group_label("batch", 2017) == ("第二批（2017年）", "Second batch (2017)")
    assert group_label("batch", "2020") == ("第三批（2020年）", "Third batch (2020)")


def test_the_reports_fixed_texts():
    from mieval.core.reports.content import TEXTS

    assert TEXTS["campaign"][0] == "评估轮次"
    assert TEXTS["problems"][0] == "存在的问题"
    assert TEXTS["recommendations"][0] == "对策建议"
    assert TEXTS["grade"][0] == "评估等次"
    assert TEXTS["grading_note"][0].startswith("评估等次按综合得分评定")


def test_the_operational_expert_role_is_yewu():
    from mieval.core.panels.vocabulary import ROLE_NAMES, ExpertRole

    assert ROLE_NAMES[ExpertRole.OPERATIONAL] == ("业务", "operational")
    assert catalogue()[(None, "operational")] == "业务"
    assert catalogue()[(None, "Fewest operational experts")] == "最少业务专家数"


def test_the_base_officer_is_jidi_lianluoyuan():
    assert catalogue()[(None, "base officer")] == "基地联络员"
    assert catalogue()[(None, "data query")] == "数据核实"
    assert catalogue()[(None, "campaign")] == "评估轮次"
    assert catalogue()[(None, "Grade")] == "评估等次"


def test_the_demo_national_societies_have_their_real_names():
    from mieval.demo.campaign import _sample_organisations

    organisations = _sample_organisations()
    names = set(organisations.loc[organisations["kind"] == "national_society", "name_zh"])

    assert len(names) == 25
    for real in (
        "中国化学会",
        "中国药学会",
        "中国农学会",
        "中华医学会",
        "中国能源研究会",
        "中国管理现代化研究会",
        "中国科学学与科技政策研究会",
        "中国科技金融促进会",
    ):
        assert f"演示：{real}" in names
    assert not {n for n in names if re.search("(化学|药学|农学|医学)学会", n)}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("app", "model", "code", "old", "new"),
    [
        ("registry", "Subcategory", "urban_district", "城市城区", "城区"),
        ("registry", "Subcategory", "specialized_college", "特色类高校", "行业特色高校"),
        ("indicators", "Indicator", "incubation_area", "孵化平台载体面积", "孵化载体面积"),
        ("indicators", "Indicator", "training_reach", "培训讲座覆盖人数", "培训讲座覆盖人次"),
    ],
)
def test_a_database_with_the_old_names_gets_the_new_ones(app, model, code, old, new):
    from django.apps import apps

    rows = apps.get_model(app, model).objects.filter(code=code)
    rows.update(name_zh=old)
    migration = importlib.import_module(f"mieval.{app}.migrations.0003_glossary_names")

    migration.rename(apps, None)

    assert list(rows.values_list("name_zh", flat=True).distinct()) == [new]


@pytest.mark.django_db
def test_a_name_the_office_edited_is_left_alone():
    from django.apps import apps

    from mieval.registry.models import Subcategory

    Subcategory.objects.filter(code="urban_district").update(name_zh="中心城区")
    migration = importlib.import_module("mieval.registry.migrations.0003_glossary_names")

    migration.rename(apps, None)

    assert Subcategory.objects.get(code="urban_district").name_zh == "中心城区"
