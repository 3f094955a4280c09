"""backbone_counts: the import's people and a nomination, counted by role and region group."""

from mieval.backbone.models import BackboneMember
from mieval.backbone.selectors import backbone_counts, members_listed
from mieval.backbone.services import backbone_import, member_record
from mieval.registry.models import Base


def test_counts_by_role_and_region_group(planned, alice):
    backbone_import(campaign=planned, user=alice)
    member_record(
        campaign=planned,
        name="赵六",
        role="nominated",
        base=Base.objects.get(code="U1"),
        user=alice,
    )

    counts = backbone_counts(campaign=planned)

    assert counts.total == 7
    assert counts.by_role == {"panel_member": 3, "visit_contact": 3, "nominated": 1}
    # X03's organisation (ORG3) and U1 (Hubei) are central and west; the rest east.
    assert counts.by_region_group == {"east": 5, "central_west": 2, "northeast": 0}
    assert counts.by_state == {"recorded": 4, "invited": 0, "rostered": 3}
    assert counts.table[("panel_member", "east")] == 2
    assert counts.table[("panel_member", "central_west")] == 1
    assert counts.table[("visit_contact", "east")] == 3
    assert counts.table[("nominated", "central_west")] == 1


def test_members_listed_filters(planned, alice, django_assert_max_num_queries):
    backbone_import(campaign=planned, user=alice)

    with django_assert_max_num_queries(1):
        central = members_listed(campaign=planned, group="central_west")
    assert [m.name for m in central] == ["专家三"]
    contacts = members_listed(campaign=planned, role=BackboneMember.Role.VISIT_CONTACT, q="李")
    assert [(m.name, m.region_group) for m in contacts] == [("李四", "east")]
    assert members_listed(campaign=planned, state="invited") == []
