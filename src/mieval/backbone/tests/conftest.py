"""Campaign ``c`` with the panels of ``panels.tests.conftest`` (operational members: X01 erin of
ORG1 and X05 of ORG2, both in Beijing's organisations, east; X03 of ORG3 in Xinjiang, central
and west) and two visit plans with contacts: R1 (Beijing, east; 张三 and 李四) and U2 (Jiangsu,
east; 王五). The clock is frozen at 2026-03-01 09:00 UTC.
"""

from datetime import date

import pytest

from mieval.collection.tests.review_helpers import clock  # noqa: F401
from mieval.panels.models import Expert, Panel
from mieval.panels.tests.conftest import published, roster  # noqa: F401
from mieval.registry.models import Base
from mieval.visits.services import visit_plan_save

CONTACTS = {
    "R1": [
        {"name": "张三", "role": "办公室主任", "phone": "010-1234", "email": ""},
        {"name": "李四", "role": "科普专员", "phone": "", "email": "lisi@example.org"},
    ],
    "U2": [{"name": "王五", "role": "", "phone": "025-5678", "email": "wangwu@example.org"}],
}


@pytest.fixture
def login(client):
    def as_user(user):
        if user is not None:
            client.force_login(user)
        return client

    return as_user


@pytest.fixture
def planned(published, clock):  # noqa: F811
    """The visit plans of R1 (panel 1) and U2 (panel 2) with their contacts."""
    campaign = published.campaign
    for number, code in ((1, "R1"), (2, "U2")):
        panel = Panel.objects.get(panel_set=published, number=number)
        visit_plan_save(
            campaign=campaign,
            panel=panel,
            base=Base.objects.get(code=code),
            visit_date=date(2019, 5, 1),
            itinerary="",
            contacts=CONTACTS[code],
            members=list(Expert.objects.filter(memberships__panel=panel)),
            user=None,
        )
    return campaign
