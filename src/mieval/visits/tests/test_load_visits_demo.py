"""``load_visits_demo`` on campaign ``c``: leaders, plans, records, a photo, opinions."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mieval.visits.models import Opinion, OpinionResponse, PanelLeader, Visit, VisitFile


def test_the_demo_loads_once(published, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = StringIO()
    call_command("load_visits_demo", "--campaign", "c", stdout=out)
    assert out.getvalue() == "visits: 2 leaders, 4 records (2 with a photo), 4 opinions\n"
    assert sorted(PanelLeader.objects.values_list("panel__number", "expert__code")) == [
        (1, "X01"),
        (2, "X04"),
    ]
    assert Visit.objects.count() == 5
    assert sorted(Opinion.objects.values_list("base__code", "state")) == [
        ("E1", "submitted"),
        ("R1", "accepted"),
        ("R2", "draft"),
        ("U1", "circulated"),
    ]
    # U2's visit is still to come. The two other members of panel 1 agree with R1's and U1's
    # opinions; of panel 2, X05 dissents from E1's, X06 agrees.
    assert OpinionResponse.objects.filter(agrees=True).count() == 5
    assert list(OpinionResponse.objects.filter(agrees=False).values_list("expert__code")) == [
        ("X05",)
    ]
    assert sorted(VisitFile.objects.values_list("name", flat=True)) == [
        "E1-site.png",
        "R1-site.png",
    ]
    again = StringIO()
    call_command("load_visits_demo", "--campaign", "c", stdout=again)
    assert again.getvalue() == "visits: already loaded\n"
    assert Visit.objects.count() == 5


def test_a_campaign_without_published_panels_is_refused(campaign_c):
    with pytest.raises(CommandError, match="no published panels"):
        call_command("load_visits_demo", "--campaign", "c")
