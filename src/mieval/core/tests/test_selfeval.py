"""The checks of a self-evaluation report against its template, and the search's excerpts."""

from mieval.core.limits import SELFEVAL_QUERY_TERMS_MAX
from mieval.core.selfeval import (
    DEFAULT_SECTIONS,
    SectionSpec,
    default_sections,
    excerpt,
    length_problems,
    missing_required,
    search_terms,
    text_length,
)

SPECS = [
    SectionSpec("a", "甲", "A", 5),
    SectionSpec("b", "乙", "B", 3, required=False),
    SectionSpec("c", "丙", "C", 4),
]


def test_the_default_template_has_the_five_sections_of_a_self_evaluation():
    assert [(s["code"], s["title_zh"], s["title_en"]) for s in default_sections()] == [
        ("progress", "工作进展与成效", "Progress and results"),
        ("experience", "经验与做法", "Experience and practices"),
        ("problems", "问题与制约", "Problems and constraints"),
        ("next_steps", "下一步工作", "Next steps"),
        ("policy_requests", "政策建议", "Policy requests"),
    ]
    assert all(s["required"] and s["guidance_zh"] and s["guidance_en"] for s in default_sections())
    assert len(DEFAULT_SECTIONS) == 5


def test_a_length_counts_characters_without_surrounding_space():
    assert text_length("  示范基地\n") == 4
    assert text_length("") == 0


def test_length_problems_name_each_section_over_its_limit_in_template_order():
    problems = length_problems(SPECS, {"c": "12345", "a": "123456", "b": "123"})

    assert [(p.code, p.length, p.max_chars) for p in problems] == [("a", 6, 5), ("c", 5, 4)]


def test_missing_required_skips_optional_sections_and_counts_blank_as_empty():
    assert [s.code for s in missing_required(SPECS, {"a": "  ", "b": ""})] == ["a", "c"]
    assert missing_required(SPECS, {"a": "x", "c": "y"}) == []


def test_search_terms_split_at_spaces_drop_duplicates_and_keep_at_most_five():
    assert search_terms("  孵化  信用 孵化 Credit credit ") == ["孵化", "信用", "Credit"]
    assert len(search_terms("a b c d e f g")) == SELFEVAL_QUERY_TERMS_MAX


def test_an_excerpt_marks_every_match_around_the_first():
    text = "一二三四五六七八九十市场主体增加，市场主体存活率提高。甲乙丙丁戊己庚辛壬癸"

    assert excerpt(text, ["市场主体"], context=3) == [
        ("…八九十", False),
        ("市场主体", True),
        ("增加，…", False),
    ]
    # Adjacent matches are one marked segment.
    assert excerpt(text, ["市场主体", "存活"], context=10) == [
        ("一二三四五六七八九十", False),
        ("市场主体", True),
        ("增加，", False),
        ("市场主体存活", True),
        ("率…", False),
    ]


def test_an_excerpt_is_case_insensitive_and_keeps_the_text_as_written():
    assert excerpt("The Credit system", ["credit"], context=4) == [
        ("The ", False),
        ("Credit", True),
        (" sys…", False),
    ]


def test_an_excerpt_without_a_match_is_the_start_of_the_text():
    assert excerpt("一二三四五", ["甲"], context=1) == [("一二…", False)]
    assert excerpt("一二", ["甲"], context=1) == [("一二", False)]
