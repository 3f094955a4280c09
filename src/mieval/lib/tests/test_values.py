"""The one value checker: what it accepts, how it normalises, and how it explains a refusal."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mieval.core.problems import ProblemCode
from mieval.core.values import (
    MAX_DECIMALS,
    MAX_INTEGER_DIGITS,
    MAX_SIGNIFICANT_DIGITS,
    MAX_TEXT_LENGTH,
    is_same_number,
    value_check,
)

RANGE = (
    "a value has at most 15 significant digits and 8 decimal places, and lies between "
    "-10^20 and 10^20"
)


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("12,345,678.9", "12345678.9"),
        ("１２３", "123"),  # full-width digits
        (" +5 ", "5"),
        ("\u22123", "-3"),  # the minus sign
        ("1.50", "1.50"),  # trailing zeros stay as typed
        (".5", "0.5"),
        ("5.", "5"),
        ("007", "7"),
        ("1.5e3", "1500"),
        ("1.5e-05", "0.000015"),  # how Excel writes a small number
        ("1e19", "10000000000000000000"),
        ("-0", "0"),  # PostgreSQL has no negative zero
        ("-0.00", "0.00"),
        ("99999999999999900000", "99999999999999900000"),
        ("-99999999999999900000", "-99999999999999900000"),
        ("9.99999999999999e19", "99999999999999900000"),
        ("123456789012345", "123456789012345"),
        ("1234567.12345678", "1234567.12345678"),
        ("123456789012345.0", "123456789012345.0"),
        ("0.00000001", "0.00000001"),
    ],
)
def test_accepted_values_are_stored_in_positional_notation(text, raw):
    checked = value_check(text)

    assert (checked.raw, checked.problems) == (raw, ())
    assert checked.number == Decimal(raw)


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        # issue 13, point 2: both were accepted and broke the campaign
        (
            "1e20",
            ProblemCode.OUT_OF_RANGE,
            "1e20 is too large to be stored: a value lies between -10^20 and 10^20 (at most 20"
            " digits before the decimal point), with at most 15 significant digits and 8"
            " decimal places",
        ),
        (
            "99999999999999999999",
            ProblemCode.OUT_OF_RANGE,
            "99999999999999999999 cannot be stored exactly: it has 20 significant digits; " + RANGE,
        ),
        (
            "100000000000000000000",
            ProblemCode.OUT_OF_RANGE,
            "100000000000000000000 is too large to be stored: a value lies between -10^20 and"
            " 10^20 (at most 20 digits before the decimal point), with at most 15 significant"
            " digits and 8 decimal places",
        ),
        (
            "1234567890123456",
            ProblemCode.OUT_OF_RANGE,
            "1234567890123456 cannot be stored exactly: it has 16 significant digits; " + RANGE,
        ),
        (
            "12345678.12345678",
            ProblemCode.OUT_OF_RANGE,
            "12345678.12345678 cannot be stored exactly: it has 16 significant digits; " + RANGE,
        ),
        (
            "0.000000001",
            ProblemCode.OUT_OF_RANGE,
            "0.000000001 cannot be stored exactly: it has 9 decimal places; " + RANGE,
        ),
        (
            "1e-99999999999",
            ProblemCode.OUT_OF_RANGE,
            "1e-99999999999 cannot be stored exactly: it has 99999999999 decimal places; " + RANGE,
        ),
        (
            "1e99999999999999999999",
            ProblemCode.OUT_OF_RANGE,
            "'1e99999999999999999999' is too large to be a number here",
        ),
        (
            "NaN",
            ProblemCode.NOT_A_NUMBER,
            "'NaN' is not a number; leave the cell empty for a missing value",
        ),
        (
            "sNaN",
            ProblemCode.NOT_A_NUMBER,
            "'sNaN' is not a number; leave the cell empty for a missing value",
        ),
        (
            "-Infinity",
            ProblemCode.NOT_A_NUMBER,
            "'-Infinity' is not a number; leave the cell empty for a missing value",
        ),
        ("٣", ProblemCode.NOT_A_NUMBER, "'٣' is not a number"),  # Arabic-Indic three
        ("1 000", ProblemCode.NOT_A_NUMBER, "'1 000' is not a number"),
        ("0x10", ProblemCode.NOT_A_NUMBER, "'0x10' is not a number"),
        ("1_000", ProblemCode.NOT_A_NUMBER, "'1_000' is not a number"),
        (
            "12,34",
            ProblemCode.NOT_A_NUMBER,
            "'12,34' is not a number; ',' may only separate groups of three digits (12,345.6)"
            " and decimals need '.'",
        ),
        (
            "1" * 65,
            ProblemCode.OUT_OF_RANGE,
            f"'{'1' * 40}… (65 characters)' is too long; a value has at most 64 characters",
        ),
    ],
)
def test_refused_values_are_explained_with_the_allowed_range(text, code, message):
    checked = value_check(text)

    assert (checked.number, checked.raw) == (None, "")
    assert [(p.code, p.message) for p in checked.problems] == [(code, message)]


def test_a_negative_value_too_large_to_store_gets_both_problems():
    checked = value_check("-1e20", non_negative=True, indicator="patents_granted")

    assert [p.code for p in checked.problems] == [ProblemCode.OUT_OF_RANGE, ProblemCode.NEGATIVE]
    assert checked.problems[1].message == (
        "-1e20 is negative; indicator 'patents_granted' cannot be below 0"
    )


def test_a_negative_value_names_the_indicator_and_keeps_its_text():
    checked = value_check("-1.5e3", non_negative=True, indicator="patents_granted")

    assert (checked.number, checked.raw) == (Decimal("-1500"), "-1500")
    assert [p.message for p in checked.problems] == [
        "-1500 is negative; indicator 'patents_granted' cannot be below 0"
    ]


def test_a_long_text_is_refused_before_it_is_parsed():
    checked = value_check("9" * 1_000_000)

    [problem] = checked.problems
    assert problem.params["length"] == 1_000_000
    assert problem.message == (
        f"'{'9' * 40}… (1,000,000 characters)' is too long; a value has at most 64 characters"
    )


def test_files_that_are_not_stored_take_any_finite_number():
    assert value_check("12345678901234567890123", storable=False).raw == ("12345678901234567890123")
    assert [p.message for p in value_check("1e400", storable=False).problems] == [
        "'1e400' is too large to be a number here"
    ]


def test_empty_is_no_value_and_no_problem():
    assert value_check("  ").empty
    assert value_check(None).empty


def test_the_limits_fit_the_value_column():
    from mieval.collection.models import Value

    field = Value._meta.get_field("value")
    assert (
        field.max_digits,
        field.decimal_places,
    ) == (MAX_INTEGER_DIGITS + MAX_DECIMALS, MAX_DECIMALS)
    # the longest stored text: a sign, 20 digits, the point and 8 decimals
    assert Value._meta.get_field("raw").max_length >= 1 + MAX_INTEGER_DIGITS + 1 + MAX_DECIMALS
    assert MAX_SIGNIFICANT_DIGITS == 15  # what an IEEE double (SQLite's REAL) keeps exactly


# --- properties --------------------------------------------------------------------------------

#: Every number the store keeps exactly: at most 15 significant digits, 8 decimals, below 10^20.
storable = st.builds(
    lambda digits, places, sign: Decimal(sign * digits).scaleb(-places),
    st.integers(min_value=0, max_value=10**MAX_SIGNIFICANT_DIGITS - 1),
    st.integers(min_value=-(MAX_INTEGER_DIGITS - MAX_SIGNIFICANT_DIGITS), max_value=MAX_DECIMALS),
    st.sampled_from([1, -1]),
)


def spellings(number: Decimal) -> st.SearchStrategy[str]:
    """Ways a person, Excel or a script writes ``number``."""
    plain = format(number, "f")
    full_width = plain.translate(str.maketrans("0123456789.-", "０１２３４５６７８９．－"))
    options = [plain, f" {plain}\t", format(number, "e"), format(number, "E"), full_width]
    if number >= 0:
        options.append("+" + plain)
    if abs(number) >= 1000 and "." not in plain:
        options.append(f"{int(number):,}")
    return st.sampled_from(options)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.data())
def test_every_storable_number_is_accepted_whatever_its_spelling(data):
    number = data.draw(storable)
    text = data.draw(spellings(number))

    checked = value_check(text)

    assert checked.problems == ()
    assert checked.number == number
    assert value_check(checked.raw).raw == checked.raw  # normalising twice changes nothing
    assert len(checked.raw) <= 30


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(max_size=80))
def test_any_text_is_a_number_or_a_clear_refusal(text):
    checked = value_check(text)

    if checked.problems:
        assert (checked.number, checked.raw) == (None, "")
        assert all(p.message and len(p.message) < 400 for p in checked.problems)
    elif not checked.empty:
        assert value_check(checked.raw).number == checked.number
        assert -checked.number.as_tuple().exponent <= MAX_DECIMALS
        assert abs(checked.number) < Decimal(10) ** MAX_INTEGER_DIGITS
    assert len(text) <= MAX_TEXT_LENGTH or checked.problems


@pytest.mark.parametrize(
    ("stored", "new", "same"),
    [
        ("1.5", "1.5", True),
        ("1.50", "1.5", True),  # spelling differs, the number does not
        ("1,000", "1000", True),  # stored before the checker normalised it
        ("0", "0.0", True),
        ("1.5", "1.6", False),
        ("abc", "1", False),  # a stored text that is not a number equals no number
    ],
)
def test_is_same_number(stored, new, same):
    assert is_same_number(stored, new) is same
