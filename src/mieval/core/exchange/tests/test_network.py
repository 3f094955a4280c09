"""The network figures on a small network built by hand, every figure computed by hand in the
comments.

Parties: A (region base, East), B (university base, Central-West), C (enterprise base, East),
P (third-party provider, East), Q (national society, Central-West), R (local association,
Northeast).

Round r2, seven realised cooperations::

    1 A-B  region/university_institute   east/central_west
    2 A-P  region/third_party            east/east
    3 A-Q  region/national_society       east/central_west
    4 B-P  university_institute/third_party  central_west/east
    5 C-P  enterprise/third_party        east/east
    6 A-R  region/local_association      east/northeast
    7 P-C  third_party/enterprise        east/east  (a second cooperation of C and P)

Round r1, two: A-B and A-P (links 1 and 2 again).
"""

import pandas as pd
import pytest

from mieval.core.exchange.network import (
    LINK_COLUMNS,
    network_figures,
    network_pairs_table,
    network_rounds,
    network_rounds_table,
)
from mieval.core.exchange.outcomes import outcome_combined

PARTIES = {
    "A": ("region", "east"),
    "B": ("university_institute", "central_west"),
    "C": ("enterprise", "east"),
    "org:P": ("third_party", "east"),
    "org:Q": ("national_society", "central_west"),
    "org:R": ("local_association", "northeast"),
}
R2 = [("A", "B"), ("A", "org:P"), ("A", "org:Q"), ("B", "org:P"), ("C", "org:P"),
      ("A", "org:R"), ("org:P", "C")]  # fmt: skip
R1 = [("A", "B"), ("A", "org:P")]


def _links(round_code, pairs):
    return [
        (round_code, a, b, PARTIES[a][0], PARTIES[b][0], PARTIES[a][1], PARTIES[b][1])
        for a, b in pairs
    ]


LINKS = pd.DataFrame(_links("r1", R1) + _links("r2", R2), columns=LINK_COLUMNS)


def test_the_figures_of_the_hand_built_network():
    # Given the seven links of round r2
    links = LINKS.loc[LINKS["round"] == "r2"].copy()
    before = links.copy()

    # When the figures are computed
    figures = network_figures(links)

    # Then L = 7 links among N = 6 parties.
    assert (figures["links"], figures["nodes"]) == (7, 6)
    # Across region groups: links 1, 3, 4 (East-Central-West) and 6 (East-Northeast) = 4 of 7.
    assert (figures["cross_region"], figures["cross_region_share"]) == (4, 4 / 7)
    # East <-> Central-West: links 1, 3, 4 = 3 of 7.
    assert (figures["east_central_west"], figures["east_central_west_share"]) == (3, 3 / 7)
    # Base <-> provider: every link but 1 (A-B, two bases) = 6 of 7.
    assert (figures["base_provider"], figures["base_provider_share"]) == (6, 6 / 7)
    # Degrees: A 4 (1, 2, 3, 6), B 2 (1, 4), C 2 (5, 7), P 4 (2, 4, 5, 7), Q 1, R 1; sum 14 = 2L.
    # HHI = (4² + 2² + 2² + 4² + 1² + 1²) / 14² = 42 / 196 = 3/14; its floor 1/N = 1/6.
    assert figures["hhi"] == pytest.approx(3 / 14, abs=1e-15)
    assert figures["hhi_min"] == 1 / 6
    # Top 10%: ceil(6 / 10) = 1 party, the largest degree 4: 4 / 14 = 2/7 of the link ends.
    assert (figures["top_decile_nodes"], figures["top_decile_share"]) == (1, 4 / 14)
    # Region-group pairs: central_west-east 3 (1, 3, 4), east-east 3 (2, 5, 7),
    # east-northeast 1 (6); ties by the codes.
    assert figures["by_region_pair"] == [
        {"a": "central_west", "b": "east", "links": 3, "share": 3 / 7},
        {"a": "east", "b": "east", "links": 3, "share": 3 / 7},
        {"a": "east", "b": "northeast", "links": 1, "share": 1 / 7},
    ]
    # Type pairs: enterprise-third_party 2 (5, 7), each other pair 1, by the codes.
    assert figures["by_type_pair"] == [
        {"a": "enterprise", "b": "third_party", "links": 2, "share": 2 / 7},
        {"a": "local_association", "b": "region", "links": 1, "share": 1 / 7},
        {"a": "national_society", "b": "region", "links": 1, "share": 1 / 7},
        {"a": "region", "b": "third_party", "links": 1, "share": 1 / 7},
        {"a": "region", "b": "university_institute", "links": 1, "share": 1 / 7},
        {"a": "third_party", "b": "university_institute", "links": 1, "share": 1 / 7},
    ]
    # And the input is unchanged.
    pd.testing.assert_frame_equal(links, before)


def test_round_over_round_the_change_against_the_previous_round():
    # Given rounds r1 (2 links) and r2 (7 links), and an empty round r3
    # When the rounds are measured in order
    rounds = network_rounds(LINKS, ["r1", "r2", "r3"])

    # Then r1: L = 2, N = 3 (A, B, P); A-B is East-Central-West: 1 of 2; degrees A 2, B 1, P 1:
    # HHI = (4 + 1 + 1) / 16 = 0.375; top ceil(0.3) = 1 party: 2 / 4 = 0.5.
    first = rounds[0]
    assert (first["round"], first["previous"], first["change"]) == ("r1", None, None)
    assert first["figures"]["east_central_west_share"] == 0.5
    assert first["figures"]["hhi"] == 0.375
    assert first["figures"]["top_decile_share"] == 0.5
    # r2 against r1: links 7 - 2 = 5, parties 6 - 3 = 3, East-Central-West 3 - 1 = 2 links and
    # 3/7 - 1/2 = -1/14 of the share, HHI 3/14 - 3/8 = -9/56, top share 2/7 - 1/2 = -3/14,
    # cross-region 4/7 - 1/2 = 1/14, base-provider 6/7 - 1/2 = 5/14.
    change = rounds[1]["change"]
    assert rounds[1]["previous"] == "r1"
    assert (change["links"], change["nodes"], change["east_central_west"]) == (5, 3, 2)
    assert change["east_central_west_share"] == pytest.approx(-1 / 14, abs=1e-15)
    assert change["hhi"] == pytest.approx(-9 / 56, abs=1e-15)
    assert change["top_decile_share"] == pytest.approx(-3 / 14, abs=1e-15)
    assert change["cross_region_share"] == pytest.approx(1 / 14, abs=1e-15)
    assert change["base_provider_share"] == pytest.approx(5 / 14, abs=1e-15)
    # r3 has no link: zero counts, no shares, and no change where a share is missing.
    empty = rounds[2]
    assert (empty["figures"]["links"], empty["figures"]["nodes"]) == (0, 0)
    assert (empty["figures"]["hhi"], empty["figures"]["east_central_west_share"]) == (None, None)
    assert empty["figures"]["by_region_pair"] == []
    assert (empty["change"]["links"], empty["change"]["hhi"]) == (-7, None)


def test_the_rounds_table_reads_each_figure_with_its_change():
    # Given rounds r1 and r2 measured (the figures of the two tests above)
    measured = network_rounds(LINKS, ["r1", "r2"])

    # When they are laid out as a table
    table = network_rounds_table(measured)

    # Then one row per figure, r1 then r2, rounded only in the texts:
    # cross-region 1/2 then 4/7 = 57.14% (+1/14 = +7.14 points), East-Central-West 1 then 3
    # links (1/2, then 3/7 = 42.86%: -7.14 points), base-provider 1/2 then 6/7 = 85.71%
    # (+35.71 points), HHI 0.375 then 3/14 = 0.2143 (-9/56 = -0.1607), top 10% 1/2 then 2/7 =
    # 28.57% (-3/14 = -21.43 points).
    texts = {
        row["figure"]: [(c["value_text"], c["change_text"]) for c in row["cells"]] for row in table
    }
    assert texts == {
        "links": [("2", None), ("7", "+5")],
        "nodes": [("3", None), ("6", "+3")],
        "cross_region_share": [("50.0%", None), ("57.1%", "+7.1")],
        "east_central_west": [("1", None), ("3", "+2")],
        "east_central_west_share": [("50.0%", None), ("42.9%", "-7.1")],
        "base_provider_share": [("50.0%", None), ("85.7%", "+35.7")],
        "hhi": [("0.375", None), ("0.214", "-0.161")],
        "top_decile_share": [("50.0%", None), ("28.6%", "-21.4")],
    }
    assert [row["unit"] for row in table][:3] == ["count", "count", "share"]
    hhi = table[6]["cells"][1]
    assert (hhi["round"], hhi["value"], hhi["change"]) == ("r2", 3 / 14, 3 / 14 - 0.375)


def test_the_pairs_table_across_rounds():
    # Given rounds r1, r2 and the empty r3
    measured = network_rounds(LINKS, ["r1", "r2", "r3"])

    # When the links by region-group pair are laid out across the rounds
    table = network_pairs_table(measured, "by_region_pair")

    # Then r1 has central_west-east 1 (A-B) and east-east 1 (A-P) of 2; r2 3, 3 and
    # east-northeast 1 of 7; r3 none (no share). In r3 every pair has 0 links, so the order
    # is by the codes.
    cells = {
        (row["a"], row["b"]): [
            (c["links"], c["share_text"], c["change_text"]) for c in row["cells"]
        ]
        for row in table
    }
    assert [(row["a"], row["b"]) for row in table] == [
        ("central_west", "east"),
        ("east", "east"),
        ("east", "northeast"),
    ]
    assert cells == {
        ("central_west", "east"): [(1, "50.0%", None), (3, "42.9%", "+2"), (0, "—", "-3")],
        ("east", "east"): [(1, "50.0%", None), (3, "42.9%", "+2"), (0, "—", "-3")],
        ("east", "northeast"): [(0, "0.0%", None), (1, "14.3%", "+1"), (0, "—", "-1")],
    }
    # By type pair over r1 and r2, most links in r2 first: enterprise-third_party 2 (links 5, 7)
    types = network_pairs_table(measured[:2], "by_type_pair")
    first = types[0]
    assert (first["a"], first["b"]) == ("enterprise", "third_party")
    assert [(c["links"], c["share"], c["change"]) for c in first["cells"]] == [
        (0, 0.0, None),
        (2, 2 / 7, 2),
    ]
    assert len(types) == 6
    with pytest.raises(ValueError, match="figure: 'links' is not a pair figure"):
        network_pairs_table(measured, "links")


def test_bad_links_are_named():
    bad = LINKS.assign(to_group=["east", "mars", *["east"] * 7])
    with pytest.raises(ValueError, match="column 'to_group' on row 1: 'mars' is not allowed"):
        network_figures(bad)
    loop = LINKS.assign(to_node=LINKS["from_node"])
    with pytest.raises(ValueError, match="row 0 links 'A' with itself"):
        network_figures(loop)
    with pytest.raises(ValueError, match=r"missing column\(s\) \['round'\]"):
        network_rounds(LINKS.drop(columns="round"), ["r1"])


@pytest.mark.parametrize(
    ("requesting", "responding", "combined"),
    [
        (None, None, ("pending", None)),
        ("agreed", None, ("one_side", None)),
        (None, "done", ("one_side", None)),
        ("done", "under_way", ("realised", "under_way")),
        ("agreed", "done", ("realised", "agreed")),
        ("done", "done", ("realised", "done")),
        ("dropped", "dropped", ("dropped", None)),
        ("done", "dropped", ("disputed", None)),
    ],
)
def test_the_combined_outcome_of_both_sides_reports(requesting, responding, combined):
    assert outcome_combined(requesting, responding) == combined


def test_an_unknown_state_is_refused():
    with pytest.raises(ValueError, match="state: 'maybe' is not allowed"):
        outcome_combined("maybe", None)
