"""The value checker's limits fit the column that stores a value (moved from
``lib/tests/test_values.py``: ``lib`` imports no domain app)."""

from mieval.collection.models import Value
from mieval.core.values import MAX_DECIMALS, MAX_INTEGER_DIGITS, MAX_SIGNIFICANT_DIGITS


def test_the_limits_fit_the_value_column():
    field = Value._meta.get_field("value")
    assert (
        field.max_digits,
        field.decimal_places,
    ) == (MAX_INTEGER_DIGITS + MAX_DECIMALS, MAX_DECIMALS)
    # the longest stored text: a sign, 20 digits, the point and 8 decimals
    assert Value._meta.get_field("raw").max_length >= 1 + MAX_INTEGER_DIGITS + 1 + MAX_DECIMALS
    assert MAX_SIGNIFICANT_DIGITS == 15  # what an IEEE double (SQLite's REAL) keeps exactly
