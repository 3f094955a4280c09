"""Migration 0005: the ``status`` and ``designated`` attributes that bases files left before
the lifecycle existed become events.

Given bases whose attributes hold those keys, when the migration's step runs (with today's
models, which have the fields it uses), then the events and audit rows are exactly these and
the keys have left the attributes."""

import datetime as dt
from importlib import import_module

from django.apps import apps

from mieval.registry.models import Base, BaseChange, BaseEvent

STEP = import_module("mieval.registry.migrations.0005_lifecycle_from_attributes")


def test_old_lifecycle_attributes_become_events(campaign_c, monkeypatch):
    monkeypatch.setattr(
        "django.utils.timezone.now", lambda: dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    )
    Base.objects.filter(code="R1").update(
        attributes={"designated": "2016-05-12", "status": "withdrawn", "park": "Zhongguancun"}
    )
    Base.objects.filter(code="U1").update(attributes={"designated": "2017-01-01", "status": "?"})

    STEP.forward(apps, None)

    assert list(
        BaseEvent.objects.order_by("base__code", "id").values_list(
            "base__code", "kind", "date", "reason", "source"
        )
    ) == [
        ("R1", "designated", dt.date(2016, 5, 12), "", "file"),
        ("R1", "withdrawn", dt.date(2026, 3, 1), "from the bases file", "file"),
    ]
    assert BaseChange.objects.get(base__code="R1", actor=STEP.ACTOR).changes == {
        "designated": [None, "2016-05-12"],
        "status": ["active", "withdrawn"],
    }
    # U1's date is not in its batch's year, its status no status: both only leave.
    assert dict(Base.objects.values_list("code", "attributes").filter(code__in=["R1", "U1"])) == {
        "R1": {"park": "Zhongguancun"},
        "U1": {},
    }
    assert not BaseChange.objects.filter(base__code="U1", actor=STEP.ACTOR).exists()
