"""The backbone's counts, without a database, with exact numbers."""

from mieval.core.backbone import BackboneRow, backbone_counts


def test_counts_by_role_group_and_state_with_zeros():
    rows = [
        BackboneRow("panel_member", "east", "rostered"),
        BackboneRow("panel_member", "central_west", "recorded"),
        BackboneRow("visit_contact", "east", "recorded"),
        BackboneRow("visit_contact", "east", "invited"),
        BackboneRow("nominated", "central_west", "recorded"),
    ]

    counts = backbone_counts(rows)

    assert counts.total == 5
    assert counts.by_role == {"panel_member": 2, "visit_contact": 2, "nominated": 1}
    assert counts.by_region_group == {"east": 3, "central_west": 2, "northeast": 0}
    assert counts.by_state == {"recorded": 3, "invited": 1, "rostered": 1}
    assert counts.table == {
        ("panel_member", "east"): 1,
        ("panel_member", "central_west"): 1,
        ("panel_member", "northeast"): 0,
        ("visit_contact", "east"): 2,
        ("visit_contact", "central_west"): 0,
        ("visit_contact", "northeast"): 0,
        ("nominated", "east"): 0,
        ("nominated", "central_west"): 1,
        ("nominated", "northeast"): 0,
    }


def test_no_rows_counts_zero_everywhere():
    counts = backbone_counts([])

    assert counts.total == 0
    assert counts.by_role == {"panel_member": 0, "visit_contact": 0, "nominated": 0}
    assert counts.by_region_group == {"east": 0, "central_west": 0, "northeast": 0}
    assert sum(counts.table.values()) == 0
    assert len(counts.table) == 9


def test_an_unknown_group_is_counted_after_the_known_ones():
    counts = backbone_counts([BackboneRow("nominated", "abroad", "recorded")])

    assert list(counts.by_region_group) == ["east", "central_west", "northeast", "abroad"]
    assert counts.by_region_group["abroad"] == 1
    assert counts.table[("nominated", "abroad")] == 1
