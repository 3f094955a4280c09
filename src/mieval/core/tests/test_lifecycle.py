"""The rule of the years a base is active in (``core.lifecycle.is_active_in``), the scope rule
of a campaign: designated by the end of the last year, not ended before the first began."""

import datetime as dt

import pytest

from mieval.core.lifecycle import is_active_in


@pytest.mark.parametrize(
    ("batch", "ended_on", "years", "active"),
    [
        (2016, None, (2016, 2018), True),
        (2017, None, (2016, 2018), True),  # designated within the years
        (2020, None, (2016, 2018), False),  # designated after them
        (2016, dt.date(2019, 6, 30), (2016, 2018), True),  # ended after them
        (2016, dt.date(2019, 6, 30), (2019, 2021), True),  # ended during the first year
        (2016, dt.date(2019, 1, 1), (2019, 2021), True),  # on its first day
        (2016, dt.date(2018, 12, 31), (2019, 2021), False),  # the day before it began
        (2016, dt.date(2019, 6, 30), (2020, 2022), False),
    ],
)
def test_is_active_in(batch, ended_on, years, active):
    first, last = years

    assert is_active_in(batch=batch, ended_on=ended_on, first_year=first, last_year=last) is active


def test_years_out_of_order_are_refused():
    with pytest.raises(ValueError, match=r"^first year 2019 is after last year 2018$"):
        is_active_in(batch=2016, ended_on=None, first_year=2019, last_year=2018)
