"""Numbers as the pages show them."""

import math


def float_or_none(value) -> float | None:
    """The value as a float; None for None and NaN (a template shows no figure)."""
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value
