"""Campaign ``c`` with the panels of ``panels.tests.conftest``: panel 1 (X01 erin, X02, X03)
evaluates R1 (bob's base), R2 and U1 (carol's); panel 2 (X04, X05, X06) evaluates U2 and E1.

Extra named experts: ``mia`` is X02 (a member of panel 1), ``frank`` is X04 (leader of
panel 2, an expert of another panel for R1). ``leaders``: erin leads panel 1, frank panel 2.
"""

import io
from datetime import UTC, date, datetime

import pytest

from mieval.accounts.services import user_create
from mieval.conftest import PASSWORD
from mieval.panels.models import Expert
from mieval.panels.tests.conftest import published, roster, rubric  # noqa: F401
from mieval.registry.models import Base

NOW = datetime(2026, 5, 20, 9, 30, tzinfo=UTC)


def _user(username: str, role: str):
    return user_create(
        username=username, password=PASSWORD, role=role, email=f"{username}@example.org"
    )


@pytest.fixture
def frozen(monkeypatch):
    """The clock stands at :data:`NOW`."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


@pytest.fixture
def mia(roster):  # noqa: F811
    user = _user("mia", "expert")
    Expert.objects.filter(code="X02").update(user=user)
    user.refresh_from_db()
    return user


@pytest.fixture
def frank(roster):  # noqa: F811
    user = _user("frank", "expert")
    Expert.objects.filter(code="X04").update(user=user)
    user.refresh_from_db()
    return user


def panel(number: int, campaign: str = "c"):
    from mieval.panels.models import Panel

    return Panel.objects.get(
        panel_set__campaign__code=campaign, panel_set__state="published", number=number
    )


def expert(code: str) -> Expert:
    return Expert.objects.get(code=code)


def base(code: str) -> Base:
    return Base.objects.get(code=code)


@pytest.fixture
def leaders(published, alice, erin, frank):  # noqa: F811
    from mieval.visits.services import leader_set

    leader_set(panel=panel(1), expert=expert("X01"), user=alice)
    leader_set(panel=panel(2), expert=expert("X04"), user=alice)


@pytest.fixture
def visit_r1(leaders, campaign_c, alice):
    """R1's visit on 2018-06-12 with X01 and X02, one contact."""
    from mieval.visits.services import visit_plan_save

    return visit_plan_save(
        campaign=campaign_c,
        panel=panel(1),
        base=base("R1"),
        visit_date=date(2018, 6, 12),
        itinerary="09:00 孵化器参观\n14:00 座谈",
        contacts=[{"name": "王主任", "role": "办公室主任", "phone": "010-1234", "email": ""}],
        members=[expert("X01"), expert("X02")],
        user=alice,
    )


@pytest.fixture
def record_r1(visit_r1, erin):
    from mieval.visits.services import visit_record_save

    return visit_record_save(
        visit=visit_r1,
        members_present=[expert("X01"), expert("X02")],
        base_attendees="王主任\n李经理",
        checked=["space", "ledgers"],
        checked_notes="查看了孵化场地和统计台账。",
        findings="台账与填报数据一致。",
        user=erin,
    )


@pytest.fixture
def opinion_r1(leaders, campaign_c, erin):
    """R1's opinion, drafted by erin."""
    from mieval.visits.services import opinion_save

    return opinion_save(
        campaign=campaign_c,
        panel=panel(1),
        base=base("R1"),
        text="基地运营良好。",
        recommendations="加强东西部交流。",
        user=erin,
    )


def png_bytes(size=(640, 480), color=(200, 30, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()
