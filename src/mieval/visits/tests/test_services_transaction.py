"""The visit record's save where no outer transaction is open, as in a request (ATOMIC_REQUESTS
is off): the service opens its own, which PostgreSQL's SELECT ... FOR UPDATE needs (the
decorator once slipped off and only the browser tests on PostgreSQL noticed)."""

import pytest

from mieval.visits import services
from mieval.visits.tests.conftest import expert
from mieval.web.tests.test_browser import reference_data  # noqa: F401 (fixture)


@pytest.mark.django_db(transaction=True)
def test_a_record_is_saved_where_no_outer_transaction_is_open(visit_r1, erin):
    record = services.visit_record_save(
        visit=visit_r1,
        members_present=[expert("X01")],
        base_attendees="王主任",
        checked=["space"],
        checked_notes="",
        findings="首次记录。",
        user=erin,
    )
    again = services.visit_record_save(
        visit=visit_r1,
        members_present=[expert("X01")],
        base_attendees="王主任",
        checked=["space"],
        checked_notes="",
        findings="第二次记录。",
        user=erin,
        version=record.version,
    )
    assert (again.version, again.findings) == (2, "第二次记录。")
