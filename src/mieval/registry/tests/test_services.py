"""Writes to the registry: every change recorded in BaseChange.

Given a registry (empty, or the bases of campaign ``c``), when a plan is applied,
or a base is created or edited by hand, then the bases and their audit rows are exactly these.
The clock is frozen, so the moment of each audit row is exact.
"""

from datetime import UTC, datetime

import pytest

from mieval.registry.models import Base, BaseChange
from mieval.registry.selectors import bases_plan
from mieval.registry.services import base_create, base_update, bases_apply
from mieval.registry.tests.helpers import N1, R1, U1, bases_file

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


def audit_rows():
    return list(
        BaseChange.objects.order_by("base__code", "id").values_list(
            "base__code", "changes", "user__username", "actor", "at", "reason"
        )
    )


def test_applying_a_plan_writes_the_bases_and_one_audit_row_each(campaign_c, alice, clock):
    BaseChange.objects.all().delete()
    plan = bases_plan(bases_file({**U1, "batch": 2017}, N1, R1))

    bases_apply(plan=plan, user=alice, actor="alice", reason="2020 list")

    n1 = Base.objects.get(code="N1")
    assert (n1.name_zh, n1.subcategory_id, n1.province_id, n1.batch, n1.attributes) == (
        "新基地",
        "private",
        "44",
        2020,
        {},
    )
    assert Base.objects.get(code="U1").batch == 2017
    assert audit_rows() == [
        ("N1", {"created": [None, "N1"]}, "alice", "alice", NOW, "2020 list"),
        ("U1", {"batch": [2016, 2017]}, "alice", "alice", NOW, "2020 list"),
    ]


def test_an_import_without_a_login_records_the_actor_alone(db, clock):
    bases_apply(plan=bases_plan(bases_file(N1)), actor="import script")

    assert audit_rows() == [("N1", {"created": [None, "N1"]}, None, "import script", NOW, "")]


def test_base_create_records_the_creation(db, admin_user, clock):
    base = base_create(
        code="N1",
        name_zh="新基地",
        name_en="New base",
        subcategory="private",
        province="44",
        batch=2020,
        user=admin_user,
        actor="ada",
        reason="added by hand",
    )

    assert (base.code, base.category.code, base.region, base.batch) == (
        "N1",
        "enterprise",
        "east",
        2020,
    )
    assert (base.created_at, base.updated_at) == (NOW, NOW)
    assert audit_rows() == [("N1", {"created": [None, "N1"]}, "ada", "ada", NOW, "added by hand")]


def test_base_create_refuses_a_code_taken(campaign_c, admin_user):
    before = audit_rows()

    with pytest.raises(ValueError, match=r"^a base with code 'R1' already exists$"):
        base_create(
            code="R1",
            name_zh="重复",
            name_en="Duplicate",
            subcategory="private",
            province="44",
            batch=2020,
            user=admin_user,
            actor="ada",
        )

    assert Base.objects.get(code="R1").name_zh == "区域一"
    assert audit_rows() == before


def test_base_update_returns_and_records_the_changes_and_keeps_the_attributes(
    db, admin_user, clock
):
    bases_apply(plan=bases_plan(bases_file({**N1, "park": "Nanshan"})), actor="import")
    base = Base.objects.get(code="N1")

    changes = base_update(
        base=base,
        name_zh="新基地",
        name_en="Renamed base",
        subcategory="state_owned",
        province="44",
        batch=2021,
        user=admin_user,
        actor="ada",
        reason="typo",
    )

    assert changes == {
        "name_en": ["New base", "Renamed base"],
        "subcategory_id": ["private", "state_owned"],
        "batch": [2020, 2021],
    }
    assert (base.name_en, base.subcategory_id, base.batch, base.attributes) == (
        "Renamed base",
        "state_owned",
        2021,
        {"park": "Nanshan"},
    )
    assert audit_rows() == [
        ("N1", {"created": [None, "N1"]}, None, "import", NOW, ""),
        ("N1", changes, "ada", "ada", NOW, "typo"),
    ]


def test_base_update_without_changes_records_nothing(campaign_c, admin_user):
    base = Base.objects.get(code="R1")
    before = audit_rows()

    changes = base_update(
        base=base,
        name_zh="区域一",
        name_en="Region one",
        subcategory="urban_district",
        province="11",
        batch=2016,
        user=admin_user,
        actor="ada",
    )

    assert changes == {}
    assert audit_rows() == before
