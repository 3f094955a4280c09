"""The backbone's pages: the office's list with counts and contacts, the record and edit forms,
the import and the invitation; a base officer's nomination page."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from mieval.backbone.models import BackboneMember
from mieval.backbone.services import backbone_import, member_nominate
from mieval.panels.models import Expert, Organisation
from mieval.registry.models import Base


@pytest.fixture(autouse=True)
def english(client):
    """The pages in English (the site's default is Chinese; one test reads it so)."""
    client.cookies["django_language"] = "en"


def test_import_from_the_page_then_the_list_counts_and_shows_contacts(planned, alice, client):
    client.force_login(alice)

    response = client.post(reverse("backbone_import", args=["c"]), follow=True)

    html = response.content.decode()
    assert "Imported 3 panel members and 3 visit contacts; 0 were recorded already." in html
    assert "010-1234" in html
    assert "lisi@example.org" in html
    # The counts table: panel members 2 east and 1 central and west; 3 contacts, all east.
    table = html.split('id="backbone-counts"')[1].split("</table>")[0]
    assert '<td class="num">2</td><td class="num">1</td><td class="num">0</td>' in table
    assert '<td class="num">3</td><td class="num">0</td><td class="num">0</td>' in table
    assert '<td class="num">5</td><td class="num">1</td><td class="num">0</td>' in table


def test_the_list_filters_by_region_group(planned, alice, client):
    backbone_import(campaign=planned, user=alice)
    client.force_login(alice)

    response = client.get(reverse("backbone_list", args=["c"]), {"group": "central_west"})

    rows = response.content.decode().split('id="backbone-members"')[1].split("</table>")[0]
    assert "专家三" in rows
    assert "张三" not in rows


def test_recording_with_both_base_and_organisation_is_refused(planned, alice, client):
    client.force_login(alice)

    response = client.post(
        reverse("backbone_list", args=["c"]),
        {
            "name": "甲",
            "role": "visit_contact",
            "base": str(Base.objects.get(code="R1").pk),
            "organisation": str(Organisation.objects.get(code="ORG1").pk),
        },
    )

    assert response.status_code == 400
    assert "Choose either a base or an organisation, not both." in response.content.decode()
    assert BackboneMember.objects.count() == 0


def test_a_stale_edit_is_refused_with_409(planned, alice, client):
    backbone_import(campaign=planned, user=alice)
    member = BackboneMember.objects.get(source="visit:R1:张三")
    client.force_login(alice)
    url = reverse("backbone_member", args=["c", member.pk])
    form = {"name": "张三", "role": "visit_contact", "base": str(member.base_id)}

    first = client.post(url, {**form, "phone": "010-9", "version": "1"})
    stale = client.post(url, {**form, "phone": "010-8", "version": "1"})

    assert first.status_code == 302
    assert stale.status_code == 409
    assert "Someone else changed this person meanwhile" in stale.content.decode()
    member.refresh_from_db()
    assert (member.phone, member.version) == ("010-9", 2)


def test_invite_from_the_page(planned, alice, client):
    backbone_import(campaign=planned, user=alice)
    member = BackboneMember.objects.get(source="visit:U2:王五")
    client.force_login(alice)
    org = Organisation.objects.get(code="ORG2")

    taken = client.post(
        reverse("backbone_invite", args=["c", member.pk]),
        {"organisation": str(org.pk), "code": "X01", "version": "1"},
    )
    response = client.post(
        reverse("backbone_invite", args=["c", member.pk]),
        {"organisation": str(org.pk), "code": "BBU2", "version": "1"},
        follow=True,
    )

    assert taken.status_code == 400
    assert "an expert X01 exists already" in taken.content.decode()
    assert "王五 was invited to the roster as expert BBU2." in response.content.decode()
    expert = Expert.objects.get(code="BBU2")
    assert (expert.organisation.code, expert.active, expert.province_id) == ("ORG2", False, "32")


def test_a_base_officer_nominates_and_sees_no_contacts(planned, bob, alice, client):
    member_nominate(
        campaign=planned, base=Base.objects.get(code="R1"), name="钱七", phone="139", user=bob
    )
    backbone_import(campaign=planned, user=alice)
    client.force_login(bob)
    url = reverse("backbone_nominate", args=["c", "R1"])

    empty = client.post(url, {"name": ""})
    response = client.post(url, {"name": "孙八", "position": "专员"}, follow=True)

    assert empty.status_code == 400
    html = response.content.decode()
    assert "孙八 was nominated." in html
    assert "孙八 (专员)" in html
    assert "钱七" in html
    assert "139" not in html
    assert "张三" not in html  # the visit contacts are the office's list
    assert BackboneMember.objects.filter(role="nominated", base__code="R1").count() == 2


def test_the_list_in_chinese(planned, alice, client):
    client.force_login(alice)
    client.cookies["django_language"] = "zh-hans"

    response = client.get(reverse("backbone_list", args=["c"]))

    html = response.content.decode()
    assert "基层业务骨干" in html
    assert "从专家组和实地考察导入" in html


def test_load_backbone_demo_once(planned):
    out = StringIO()
    call_command("load_backbone_demo", "--campaign", "c", stdout=out)
    assert out.getvalue() == "backbone: 3 panel members, 3 visit contacts, 3 nominations\n"
    assert list(
        BackboneMember.objects.filter(role="nominated")
        .order_by("base__code")
        .values_list("base__code", "name")
    ) == [("E1", "王丽"), ("R1", "陈刚"), ("R2", "刘洋")]
    again = StringIO()
    call_command("load_backbone_demo", "--campaign", "c", stdout=again)
    assert again.getvalue() == "backbone: already loaded\n"
    assert BackboneMember.objects.count() == 9


def test_load_backbone_demo_needs_the_campaign(db):
    with pytest.raises(CommandError, match="no campaign 'nope'"):
        call_command("load_backbone_demo", "--campaign", "nope")
