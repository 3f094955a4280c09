"""The report's sentences on the network of realised cooperation (problems 1 and 3), on the
hand-built network of ``core/exchange/tests/test_network.py``: round r2 against round r1."""

from mieval.core.exchange.network import network_rounds
from mieval.core.exchange.tests.test_network import LINKS
from mieval.core.reports.content import exchange_section, network_sentences


def _network():
    first, second = network_rounds(LINKS, ["r1", "r2"])
    return {
        "round": "r2",
        "previous": "r1",
        "figures": second["figures"],
        "previous_figures": first["figures"],
        "change": second["change"],
    }


def test_the_sentences_carry_the_rounds_numbers_and_the_change():
    # r2: 7 links, 3 East-Central-West (3/7 = 42.9%); r1: 1 of 2 (50.0%): -7.1 points.
    # HHI 3/14 = 0.214 over 6 parties (floor 1/6 = 0.167); top 1 party 4/14 = 28.6%;
    # cross-region 4/7 = 57.1%; base-provider 6/7 = 85.7%; r1: HHI 0.375, top 50.0%,
    # base-provider 1/2 = 50.0%.
    sentences = network_sentences(_network())

    assert [s["key"] for s in sentences] == ["network_east_central_west", "network_concentration"]
    assert sentences[0]["en"] == (
        "Problem 1 (channels between the East and the Central-West): of the 7 cooperations"
        " both sides confirm in this round, 3 linked an East and a Central-West party (42.9%);"
        " in the previous round (r1) 1 (50.0%), a change of -7.1 percentage points."
    )
    assert sentences[0]["zh"] == (
        "问题一（东部与中西部交流渠道）：本轮双方均确认的合作共7项，其中东部与中西部之间3项，"
        "占42.9%；上一轮（r1）为1项，占50.0%，变化-7.1个百分点。"
    )
    assert sentences[1]["en"] == (
        "Problem 3 (clustering and integration): the Herfindahl-Hirschman index of the"
        " cooperation network is 0.214 (6 parties; 0.167 at the lowest), the top 10% of parties"
        " (1) hold 28.6% of the links' ends; 57.1% of the cooperations cross region groups and"
        " 85.7% link a base with a professional service provider; in the previous round (r1)"
        " the index was 0.375, the top 10% held 50.0% and base-provider cooperation was 50.0%."
    )
    assert sentences[1]["zh"] == (
        "问题三（集聚与融合）：合作网络的赫芬达尔—赫希曼指数为0.214（6个参与方，最低可为0.167），"
        "合作最多的前10%参与方（1个）占合作端点的28.6%；跨区域合作占57.1%，示范基地与专业服务"
        "机构之间的合作占85.7%；上一轮（r1）指数为0.375，前10%参与方占50.0%，基地与服务机构"
        "之间的合作占50.0%。"
    )


def test_the_section_shows_the_pairs_and_old_snapshots_have_none():
    network = _network()
    payload = {"exchange": None, "network": network}

    section = exchange_section(payload, "en")

    assert [s["key"] for s in section["network"]] == [
        "network_east_central_west",
        "network_concentration",
    ]
    assert section["network_tables"]["by_region_pair"] == [
        {"pair": "Central and West ↔ East", "links": 3, "share": "42.9%"},
        {"pair": "East ↔ East", "links": 3, "share": "42.9%"},
        {"pair": "East ↔ Northeast", "links": 1, "share": "14.3%"},
    ]
    assert section["network_tables"]["by_type_pair"][0] == {
        "pair": "Enterprise ↔ third-party institution",
        "links": 2,
        "share": "28.6%",
    }
    # A snapshot frozen before the network was: no "network" key, no sentence.
    assert exchange_section({"exchange": None}, "en") is None
    assert network_sentences(None) == []
    # A round without a confirmed cooperation says so.
    empty = network_rounds(LINKS.iloc[:0], ["r9"])[0]
    assert network_sentences({"figures": empty["figures"]})[0]["en"] == (
        "No cooperation confirmed by both sides in this round yet."
    )
