"""The demo's visits: deterministic, every opinion state shown, most bases recorded."""

from collections import Counter
from datetime import date

from mieval.demo.visits import demo_photo, demo_visits

BASES = [(f"B{n:02d}", f"基地{n}") for n in range(12)]


def test_the_demo_visits_are_deterministic():
    assert demo_visits(2, BASES, 2019) == demo_visits(2, BASES, 2019)
    assert demo_photo("B01") == demo_photo("B01")


def test_one_base_in_five_waits_for_its_visit_and_every_state_is_shown():
    visits = demo_visits(1, BASES, 2019)
    assert [v.base for v in visits if not v.recorded] == ["B04", "B09"]
    states = Counter(v.opinion_state for v in visits if v.recorded)
    assert states == Counter(
        {"accepted": 2, "draft": 2, "agreed": 2, "dissent": 1, "submitted": 1, None: 2}
    )


def test_the_order_goes_on_over_the_panels():
    first = demo_visits(1, BASES[:3], 2019)
    second = demo_visits(2, BASES[3:6], 2019, first=3)
    assert [v.opinion_state for v in first + second] == [
        "accepted",
        "draft",
        "agreed",
        "dissent",
        None,
        None,
    ]
    assert [v.recorded for v in first + second] == [True, True, True, True, False, True]


def test_the_visits_of_a_panel_follow_each_other_day_by_day():
    visits = demo_visits(3, BASES[:3], 2019)
    assert [v.date for v in visits] == [date(2019, 4, 21), date(2019, 4, 22), date(2019, 4, 23)]


def test_the_photo_is_a_png():
    assert demo_photo("R1").startswith(b"\x89PNG\r\n\x1a\n")
