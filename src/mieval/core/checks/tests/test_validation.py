"""Validation rules: expressions, comparison rules, missing-value strategies, change rules,
the rules file. Every expected value is worked out by hand in the comments."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mieval.core.checks.rules import (
    PREVIEW_COLUMNS,
    PROBLEM_COLUMNS,
    ChangeRule,
    ExpressionError,
    Number,
    Ref,
    Rule,
    Severity,
    default_rule_set,
    default_rules,
    expression_parse,
    expression_refs,
    rules_check,
    rules_parse,
    rules_preview,
    rules_read,
)
from mieval.core.problems import InputError, ProblemCode

EXAMPLE_RULES = Path(__file__).resolve().parents[5] / "examples" / "rules.toml"

BASES = pd.DataFrame(
    {
        "code": ["R1", "R2", "U1"],
        "category": ["region", "region", "university_institute"],
        "subcategory": ["county", "new_area", "st_university"],
    }
)


def values_of(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["base_code", "indicator_code", "year", "value"])


def flagged(problems: pd.DataFrame) -> list[tuple]:
    return list(
        problems[["base_code", "indicator_code", "year", "rule", "severity"]].itertuples(
            index=False, name=None
        )
    )


# --- expressions -----------------------------------------------------------------------------


def test_precedence_unary_minus_and_previous():
    tree = expression_parse("1 + 2 * -#{a}.previous / (#{b} - 4)")

    assert expression_refs(tree) == [Ref("a", previous=True), Ref("b")]
    # 1 + 2 * -a / (b - 4) with a = 3, b = 7: 1 + 2 * -3 / 3 = 1 - 2 = -1
    rule = Rule("r", left="1 + 2 * -#{a}.previous / (#{b} - 4)", operator="==", right="-1")
    values = values_of(("R1", "a", 2016, 3.0), ("R1", "b", 2017, 7.0))
    assert rules_check(values, BASES.iloc[:1], [rule]).empty
    assert expression_parse("2.5e1") == Number(25.0)


@pytest.mark.parametrize(
    ("text", "position", "reason"),
    [
        ("#{a} + * 2", 8, "expected a number, #{code} or '(' but found '*'"),
        ("(#{a} + 1", 10, "expected ')'"),
        ("#{a} 3", 6, "unexpected '3'; an operator is missing before it"),
        ("#{a}.prev", 5, "unknown suffix '.prev'; only '.previous' exists"),
        ("__import__('os')", 1, "unexpected '_'"),
        ("#{a b}", 1, "'a b' is not an indicator code"),
        ("#a", 1, "'#' must start an indicator reference '#{code}'"),
        ("   ", 1, "the expression is empty"),
        ("#{a} +", 7, "expected a number, #{code} or '(' but found the end"),
    ],
)
def test_syntax_errors_name_the_position(text, position, reason):
    with pytest.raises(ExpressionError) as caught:
        expression_parse(text)

    assert caught.value.position + 1 == position
    assert caught.value.reason.startswith(reason)


def test_a_bad_rule_names_itself_and_the_position():
    with pytest.raises(ValueError, match=r"rule 'r1', right: expected '\)' at character 6"):
        Rule("r1", left="#{a}", operator="<", right="(#{b}")
    with pytest.raises(ValueError, match="rule 'r2': operator '=<' is not allowed"):
        Rule("r2", left="#{a}", operator="=<", right="1")
    with pytest.raises(ValueError, match="rule 'r3': neither side refers to an indicator"):
        Rule("r3", left="1", operator="<", right="2")
    with pytest.raises(ValueError, match=r"rule 'r4', message_en: unknown placeholder '\{x\}'"):
        Rule("r4", left="#{a}", operator="<", right="2", message_en="{x}")


# --- comparison rules ------------------------------------------------------------------------


def test_problem_frame_columns_and_messages():
    rule = Rule(
        "coop",
        left="#{a}",
        operator="<=",
        right="#{b} * 10",
        severity="error",
        name_en="Cooperation",
        name_zh="合作",
    )
    # R1 2016: 120 <= 10 * 10 = 100 fails; R2 2016: 50 <= 100 holds.
    values = values_of(
        ("R1", "a", 2016, 120.0), ("R1", "b", 2016, 10.0),
        ("R2", "a", 2016, 50.0), ("R2", "b", 2016, 10.0),
    )  # fmt: skip
    before = values.copy()

    problems = rules_check(values, BASES, [rule])

    assert list(problems.columns) == list(PROBLEM_COLUMNS)
    assert str(problems["year"].dtype) == "Int64"
    assert flagged(problems) == [("R1", "a", 2016, "coop", "error")]
    assert problems["message"][0] == (
        "Cooperation: #{a} <= #{b} * 10 does not hold (left side 120, right side 100)."
    )
    assert problems["message_zh"][0] == (
        "合作：不满足 #{a} <= #{b} * 10（左边为 120，右边为 100）。"
    )
    pd.testing.assert_frame_equal(values, before)


def test_missing_value_strategies():
    # R1: a = 10, b missing; R2: both missing; U1: a = 3, b = 5.
    values = values_of(("R1", "a", 2016, 10.0), ("U1", "a", 2016, 3.0), ("U1", "b", 2016, 5.0))

    def run(missing):
        rule = Rule("r", left="#{a}", operator="<=", right="#{b}", missing=missing)
        return flagged(rules_check(values, BASES, [rule]))

    # Any missing: only U1 is checked, 3 <= 5 holds.
    assert run("skip_if_any_missing") == []
    # All missing: R1 is checked with b = 0: 10 <= 0 fails; R2 is skipped.
    assert run("skip_if_all_missing") == [("R1", "a", 2016, "r", "warning")]
    # Never skip: R2 is checked too, 0 <= 0 holds.
    assert run("never_skip") == [("R1", "a", 2016, "r", "warning")]
    required = Rule("req", left="#{b}", operator=">", right="0", missing="never_skip")
    # A value required: R1 and R2 have none (0 > 0 fails), U1 has 5.
    assert [p[0] for p in flagged(rules_check(values, BASES, [required]))] == ["R1", "R2"]


def test_division_by_zero_skips_the_row_with_an_info_note():
    rule = Rule("per", left="#{a} / #{b}", operator="<=", right="2")
    # R1: 10 / 0, not checked; R2: 10 / 4 = 2.5 > 2, flagged; U1: 4 / 2 = 2, holds.
    values = values_of(
        ("R1", "a", 2016, 10.0), ("R1", "b", 2016, 0.0),
        ("R2", "a", 2016, 10.0), ("R2", "b", 2016, 4.0),
        ("U1", "a", 2016, 4.0), ("U1", "b", 2016, 2.0),
    )  # fmt: skip

    problems = rules_check(values, BASES, [rule])
    preview = rules_preview(values, BASES, [rule])

    assert flagged(problems) == [
        ("R1", "a", 2016, "per", "info"),
        ("R2", "a", 2016, "per", "warning"),
    ]
    assert problems["message"][0] == (
        "Rule 'per' was not checked: division by zero in '#{a} / #{b} <= 2'."
    )
    assert list(preview.columns) == list(PREVIEW_COLUMNS)
    assert preview.to_dict("records") == [
        {
            "rule": "per",
            "severity": "warning",
            "checked": 2,
            "skipped": 0,
            "division_by_zero": 1,
            "flagged": 1,
        }
    ]


def test_tolerance_categories_and_previous_year():
    # 0.1 + 0.2 == 0.3 holds despite binary floating point.
    equal = Rule("sum", left="#{a} + #{b}", operator="==", right="#{c}")
    values = values_of(
        ("R1", "a", 2016, 0.1), ("R1", "b", 2016, 0.2), ("R1", "c", 2016, 0.3),
    )  # fmt: skip
    assert rules_check(values, BASES, [equal]).empty

    # Kept stock: x_t >= 0.5 x_{t-1}. R1 2017: 40 >= 0.5 * 100 = 50 fails; U1 is a university,
    # outside the rule's categories; 2016 has no previous year, so it is skipped.
    kept = Rule(
        "kept", left="#{a}", operator=">=", right="#{a}.previous * 0.5", categories=("region",)
    )
    values = values_of(
        ("R1", "a", 2016, 100.0), ("R1", "a", 2017, 40.0),
        ("U1", "a", 2016, 100.0), ("U1", "a", 2017, 1.0),
    )  # fmt: skip
    assert flagged(rules_check(values, BASES, [kept])) == [("R1", "a", 2017, "kept", "warning")]
    by_subcategory = Rule(
        "kept",
        left="#{a}",
        operator=">=",
        right="#{a}.previous * 0.5",
        categories=("st_university",),
    )
    assert flagged(rules_check(values, BASES, [by_subcategory])) == [
        ("U1", "a", 2017, "kept", "warning")
    ]


# --- change rules ----------------------------------------------------------------------------


def test_change_rule_ratios_and_zeros():
    rows = []
    # (base, indicator): 2016 -> 2017
    pairs = {
        ("R1", "national_talent"): (59, 589),  # x9.98 > 5: warning
        ("R1", "patents_granted"): (10, 50),  # x5 exactly: not flagged
        ("R1", "training_reach"): (10, 2),  # x0.2 exactly: not flagged
        ("R2", "national_talent"): (10, 1.9),  # x0.19 < 0.2: warning
        ("R2", "patents_granted"): (0, 4),  # from 0: 1 + 4 = 5 is not above 5
        ("R2", "training_reach"): (0, 5),  # from 0: 1 + 5 = 6 > 5: info
        ("U1", "national_talent"): (5, 0),  # to 0: 1 + 5 > 5: info
        ("U1", "patents_granted"): (0, 0),  # no change
    }
    for (base, code), (before, after) in pairs.items():
        rows += [(base, code, 2016, float(before)), (base, code, 2017, float(after))]

    problems = rules_check(values_of(*rows), BASES, [ChangeRule()])

    assert flagged(problems) == [
        ("R1", "national_talent", 2017, "yoy_change", "warning"),
        ("R2", "national_talent", 2017, "yoy_change", "warning"),
        ("R2", "training_reach", 2017, "yoy_change", "info"),
        ("U1", "national_talent", 2017, "yoy_change", "info"),
    ]
    assert problems["message"].tolist() == [
        "High-level personnel at the national level rose from 59 in 2016 to 589 in 2017 (×9.98),"
        " more than a 5-fold change on the previous year; please verify.",
        "High-level personnel at the national level fell from 10 in 2016 to 1.9 in 2017 (×0.19),"
        " more than a 5-fold change on the previous year; please verify.",
        "People covered by training and lectures rose from 0 in 2016 to 5 in 2017; a change from"
        " zero has no ratio, please verify.",
        "High-level personnel at the national level fell from 5 in 2016 to 0 in 2017; please"
        " verify that 0 is not a missing value.",
    ]
    assert problems["message_zh"][0] == (
        "国家级高层次人才数量由2016年的59上升至2017年的589（×9.98），变化超过上年的5倍，请核实。"
    )
    only = ChangeRule(code="talent", indicators=("patents_granted",), max_ratio=2, severity="error")
    # x5 > 2 on patents; the other patents pairs start or end at 0 and stay within 1 + x <= 2.
    assert flagged(rules_check(values_of(*rows), BASES, [only])) == [
        ("R1", "patents_granted", 2017, "talent", "error"),
        ("R2", "patents_granted", 2017, "talent", "info"),
    ]


def test_change_rule_needs_consecutive_calendar_years():
    # 2016 and 2018 with nothing in 2017: a change rule does not compare them.
    values = values_of(("R1", "national_talent", 2016, 1.0), ("R1", "national_talent", 2018, 99.0))
    assert rules_check(values, BASES, [ChangeRule()]).empty


def test_default_rules():
    rules = default_rules()

    assert [r.code for r in rules][:3] == ["yoy_change", "non_negative_new_market_entities",
                                           "non_negative_national_talent"]  # fmt: skip
    assert len(rules) == 13
    negative = values_of(("R1", "patents_granted", 2016, -1.0))
    problems = rules_check(negative, BASES, rules)
    assert flagged(problems) == [
        ("R1", "patents_granted", 2016, "non_negative_patents_granted", "error")
    ]
    assert problems["message"][0] == "Patents granted is -1; it cannot be negative."
    assert default_rule_set().outliers.peers_min_size == 3


def test_unknown_base_is_refused():
    with pytest.raises(ValueError, match="values: base codes not in bases: X9"):
        rules_check(values_of(("X9", "a", 2016, 1.0)), BASES, default_rules())


# --- the rules file --------------------------------------------------------------------------


def test_example_rules_file():
    rule_set = rules_read(EXAMPLE_RULES)

    assert [r.code for r in rule_set.rules] == [
        "rd_centres_kept",
        "incubation_area_kept",
        "patents_reported",
        "yoy_change",
    ]
    assert rule_set.outliers.history_max_ratio == 5.0
    patents = rule_set.rules[2]
    assert patents.missing == "never_skip" and patents.severity is Severity.INFO


BAD_RULES = """\
include_default = true

[outliers]
peers_max_z = -1

[[rule]]
code = "a"
left = "#{patents_granted} + * 2"
operator = "=<"
right = "#{patent_granted}"
severity = "fatal"
message_en = "{lft} is bad"

[[rule]]
code = "a"
left = "(#{patents_granted}"
operator = "<"
right = "3"
categories = ["regoin"]

[[yoy_rule]]
code = "y"
max_ratio = 0.5
indicators = ["national_talent", "talent"]
"""


def test_bad_rules_file_reports_every_problem_with_line_and_key():
    with pytest.raises(InputError) as caught:
        rules_parse(BAD_RULES, file="bad.toml")

    found = [(p.line, p.key, p.code) for p in caught.value.problems]
    assert found == [
        (1, "include_default", ProblemCode.UNKNOWN_KEY),
        (4, "outliers.peers_max_z", ProblemCode.OUT_OF_RANGE),
        (8, "rule[1].left", ProblemCode.INVALID_EXPRESSION),
        (9, "rule[1].operator", ProblemCode.NOT_ALLOWED),
        (10, "rule[1].right", ProblemCode.UNKNOWN_CODE),
        (11, "rule[1].severity", ProblemCode.NOT_ALLOWED),
        (12, "rule[1].message_en", ProblemCode.INVALID_TEMPLATE),
        (15, "rule[2].code", ProblemCode.DUPLICATE),
        (16, "rule[2].left", ProblemCode.INVALID_EXPRESSION),
        (19, "rule[2].categories", ProblemCode.UNKNOWN_CODE),
        (23, "yoy_rule[1].max_ratio", ProblemCode.OUT_OF_RANGE),
        (24, "yoy_rule[1].indicators", ProblemCode.UNKNOWN_CODE),
    ]
    problems = caught.value.problems
    assert str(problems[0]) == (
        "bad.toml, line 1, include_default: unknown key 'include_default' (allowed:"
        " include_defaults, outliers, rule, yoy_rule); did you mean 'include_defaults'?"
    )
    assert str(problems[2]) == (
        "bad.toml, line 8, rule[1].left: rule 'a': expected a number, #{code} or '(' but found"
        " '*' at character 22 of '#{patents_granted} + * 2'"
    )
    assert problems[4].message.endswith("did you mean 'patents_granted'?")


def test_toml_syntax_error_has_its_line():
    with pytest.raises(InputError) as caught:
        rules_parse('[[rule]]\ncode = "x"\nleft = \n', file="r.toml")

    (problem,) = caught.value.problems
    assert (problem.line, problem.code) == (3, ProblemCode.UNREADABLE)
    assert problem.message.startswith("not valid TOML: ")


def test_include_defaults_and_code_clash():
    rule_set = rules_parse("include_defaults = true\n")
    assert len(rule_set.rules) == 13

    with pytest.raises(InputError) as caught:
        rules_parse('include_defaults = true\n[[yoy_rule]]\ncode = "yoy_change"\n')
    assert caught.value.problems[0].message == (
        "code 'yoy_change' is also used by the built-in rules"
    )


def test_a_whole_campaign_is_checked_in_vectorised_time():
    # 212 bases x 12 indicators x 10 years, the size of a whole campaign.
    rng = np.random.default_rng(0)
    bases = pd.DataFrame(
        {
            "code": [f"B{i:03d}" for i in range(212)],
            "category": "region",
            "subcategory": "county",
        }
    )
    index = pd.MultiIndex.from_product(
        [bases["code"], [f"i{k}" for k in range(12)], range(2016, 2026)],
        names=["base_code", "indicator_code", "year"],
    )
    values = index.to_frame(index=False)
    values["value"] = rng.lognormal(5, 1, len(values))
    rules = [ChangeRule(), Rule("r", left="#{i0}", operator="<=", right="#{i1} * 100")]

    preview = rules_preview(values, bases, rules)

    # Pairs of consecutive years: 212 bases x 12 indicators x 9 pairs.
    assert preview["checked"].tolist() == [212 * 12 * 9, 212 * 10]


def test_severities_are_in_order_most_severe_first():
    assert [(s.value, s.rank) for s in Severity] == [("error", 0), ("warning", 1), ("info", 2)]
    assert sorted(["info", "error", "warning"], key=lambda s: Severity(s).rank) == [
        "error",
        "warning",
        "info",
    ]
