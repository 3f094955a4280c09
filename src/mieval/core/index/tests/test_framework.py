"""The framework file: hierarchy, steps and located problems."""

import pytest

from mieval.core.index.framework import framework_parse
from mieval.core.problems import InputError, ProblemCode

GOOD = """\
denominators = ["pop"]

[[indicator]]
code = "x1"
parent = "P"
direction = -1
denominator = "pop"

[[indicator]]
code = "x2"
parent = "P"
weight = 2

[[aggregate]]
code = "P"
parent = "I"

[[aggregate]]
code = "I"

[[step]]
kind = "impute"
method = "group_mean"
group = "region"

[[step]]
kind = "normalise"

[[step]]
kind = "aggregate"
method = "geometric"
"""


def test_a_good_framework():
    framework = framework_parse(GOOD)
    h = framework.hierarchy.set_index("code")
    assert framework.indicators == ["x1", "x2"]
    assert framework.aggregates == ["P", "I"]
    assert framework.index == "I"
    assert h["level"].to_dict() == {"x1": 1, "x2": 1, "P": 2, "I": 3}
    assert h.loc["x1", "direction"] == -1 and h.loc["x1", "denominator"] == "pop"
    assert h.loc["x2", "weight"] == 2.0
    assert [s.kind for s in framework.steps] == ["impute", "normalise", "aggregate"]
    assert framework.step("normalise").params["method"] == "minmax"  # the default
    assert framework.step("normalise").params["high"] == 100.0


def problems(text: str) -> list[tuple[int | None, str | None, ProblemCode]]:
    with pytest.raises(InputError) as caught:
        framework_parse(text, file="f.toml")
    return [(p.line, p.key, p.code) for p in caught.value.problems]


def test_every_problem_is_located():
    text = (
        GOOD.replace('parent = "I"', 'parent = "Nowhere"')
        .replace("direction = -1", "direction = 2")
        .replace('method = "geometric"', 'method = "median"\ncolour = "red"')
    )
    found = problems(text)
    assert (6, "indicator[0].direction", ProblemCode.NOT_ALLOWED) in found
    assert (16, "aggregate[0].parent", ProblemCode.UNKNOWN_CODE) in found
    assert (31, "step[2].method", ProblemCode.NOT_ALLOWED) in found
    assert (32, "step[2].colour", ProblemCode.UNKNOWN_KEY) in found
    # P no longer hangs under I, so I has no children
    assert (19, "aggregate[1].code", ProblemCode.INCONSISTENT) in found
    assert len(found) == 5


def test_structure_problems():
    text = GOOD.replace('[[step]]\nkind = "normalise"\n', "").replace(
        'denominator = "pop"', 'denominator = "area"'
    )
    found = problems(text)
    assert (None, "step", ProblemCode.REQUIRED) in found
    assert (7, "indicator[0].denominator", ProblemCode.UNKNOWN_CODE) in found


def test_group_impute_needs_a_group_and_toml_errors_have_lines():
    found = problems(GOOD.replace('group = "region"', ""))
    assert (None, "step[0].group", ProblemCode.REQUIRED) not in found  # located by 'method'
    assert any(key == "step[0].group" and code == ProblemCode.REQUIRED for _, key, code in found)
    assert problems("x = [1,\n") == [(1, None, ProblemCode.UNREADABLE)]


def test_duplicate_codes_and_cycles():
    text = GOOD + '\n[[indicator]]\ncode = "x1"\nparent = "P"\n'
    assert any(
        k == "indicator[2].code" and c == ProblemCode.DUPLICATE for _, k, c in problems(text)
    )
    cyclic = GOOD.replace(
        '[[aggregate]]\ncode = "I"\n', '[[aggregate]]\ncode = "I"\nparent = "P"\n'
    )
    messages = problems(cyclic)
    assert any(c in (ProblemCode.INCONSISTENT, ProblemCode.REQUIRED) for _, _, c in messages)


BAD = """\
[[indicator]]
code = "x1"
parent = "P"
weight = "0.5a"

[[indicator]]
code = "x2"
parent = "Q"
weight = -1

[[indicator]]
code = "x3"
parent = "P"
weight = nan

[[aggregate]]
code = "P"
parent = "I"

[[aggregate]]
code = "I"

[[aggregate]]
code = "Empty"
parent = "I"

[[aggregate]]
code = "A"
parent = "B"

[[aggregate]]
code = "B"
parent = "A"

[[step]]
kind = "normalise"

[[step]]
kind = "aggregate"
"""


def test_bad_framework_every_problem_located_and_reported_together():
    # given a framework with a weight that does not parse, a negative and a NaN weight, a parent
    # that does not exist, an aggregate without children and a cycle A -> B -> A
    found = problems(BAD)
    # then all of them come in one InputError, each with its line and key path
    assert (4, "indicator[0].weight", ProblemCode.NOT_A_NUMBER) in found
    assert (9, "indicator[1].weight", ProblemCode.OUT_OF_RANGE) in found
    assert (8, "indicator[1].parent", ProblemCode.UNKNOWN_CODE) in found
    assert (14, "indicator[2].weight", ProblemCode.NOT_A_NUMBER) in found
    assert (24, "aggregate[2].code", ProblemCode.INCONSISTENT) in found
    assert (29, "aggregate[3].parent", ProblemCode.INCONSISTENT) in found
    assert len(found) == 6


def test_bad_framework_messages_name_the_bad_value():
    with pytest.raises(InputError) as caught:
        framework_parse(BAD, file="f.toml")
    text = str(caught.value)
    assert text.startswith("6 problems found; nothing was written.")
    assert "f.toml, line 4, indicator[0].weight: '0.5a' is not a number" in text
    assert "f.toml, line 9, indicator[1].weight: must be >= 0" in text
    assert "f.toml, line 14, indicator[2].weight: nan is not a number" in text
    assert "parent 'Q' is not an aggregate of the framework" in text
    assert "aggregate 'Empty' has no children" in text
    assert "the parents form a cycle: A -> B -> A" in text
