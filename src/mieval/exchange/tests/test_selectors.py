"""Suggestions on the tiny hand-made exchange of ``conftest.py``, in both directions, and the
status counts the campaign report uses."""

from datetime import date

import pytest

from mieval.exchange import selectors, services
from mieval.exchange.models import Post
from mieval.exchange.tests.conftest import AS_OF
from mieval.registry.models import Base

pytestmark = pytest.mark.django_db


def _summary(suggestions):
    return [
        (
            s.mine.title,
            s.other.title,
            round(s.score, 4),
            s.shared_terms,
            s.shared_tags,
            s.east_central_west,
            s.preferred_region,
            s.cross_type,
        )
        for s in suggestions
    ]


def test_exchange_frames_hold_the_active_posts_in_one_query(posts, django_assert_num_queries):
    with django_assert_num_queries(1):
        frame, bases = selectors.exchange_frames(as_of=AS_OF)
    assert frame["post_id"].tolist() == [p.pk for n, p in posts.items() if n != "r2_expired"]
    assert frame.loc[0, "tags"] == ("patent", "new_energy")
    assert bases.values.tolist() == [
        ["E1", "enterprise", "44"],
        ["R1", "region", "11"],
        ["R2", "region", "51"],
        ["U1", "university_institute", "42"],
        ["U2", "university_institute", "32"],
    ]


def test_offers_for_a_need(posts):
    # R1 (Beijing, East) needs cathode patent licences and prefers Central-West partners:
    # U1 (Hubei) offers exactly that; U2 (Jiangsu, East) shares only "专利" and a tag.
    found = selectors.post_suggestions(posts["r1_need"], as_of=AS_OF)

    assert _summary(found) == [
        (
            "寻求动力电池专利许可",
            "正极材料专利许可",
            0.926,
            ("专利许可", "正极材料"),
            ("new_energy", "patent"),
            True,
            True,
            True,
        ),
        (
            "寻求动力电池专利许可",
            "知识产权代理",
            0.2191,
            ("专利",),
            ("patent",),
            False,
            False,
            True,
        ),
    ]
    assert found[0].explanation_en == (
        "text similarity 0.40; tag overlap 1.00; need and offer of the same category; links an"
        " East and a Central-West base; in a preferred region; across base types; shared"
        " terms: 专利许可, 正极材料."
    )
    assert found[0].explanation_zh.startswith("文本相似度 0.40；标签重合度 1.00；")
    assert found[0].request is None


def test_needs_for_an_offer(posts):
    # E1's English venture fund meets R2's English need; the expired R2 need is left out.
    found = selectors.post_suggestions(posts["e1_offer"], as_of=AS_OF)

    assert _summary(found) == [
        (
            "Battery venture fund",
            "Venture capital for a battery startup",
            0.7931,
            ("battery", "venture capital"),
            ("venture_capital",),
            True,
            False,
            True,
        )
    ]
    assert (found[0].need, found[0].offer) == (posts["r2_need"], posts["e1_offer"])


def test_a_closed_or_expired_post_gets_no_suggestion(posts):
    assert selectors.post_suggestions(posts["r2_expired"], as_of=AS_OF) == []
    services.post_close(post=posts["r1_need"], user=None)
    posts["r1_need"].refresh_from_db()
    assert selectors.post_suggestions(posts["r1_need"], as_of=AS_OF) == []


def test_base_suggestions_both_directions(posts):
    r2 = Base.objects.get(code="R2")
    assert [(s.mine.title, s.other.title) for s in selectors.base_suggestions(r2, as_of=AS_OF)] == [
        ("Venture capital for a battery startup", "Battery venture fund")
    ]
    u1 = Base.objects.get(code="U1")
    assert [
        (s.mine.title, s.other.title, round(s.score, 4))
        for s in selectors.base_suggestions(u1, as_of=AS_OF)
    ] == [("正极材料专利许可", "寻求动力电池专利许可", 0.9202)]
    assert selectors.base_suggestions(u1, as_of=AS_OF, kind="need") == []


def test_a_suggestion_carries_its_live_request(posts, contacts, bob):
    request = services.contact_request_create(
        base=bob.profile.base,
        my_post=posts["r1_need"],
        other_post=posts["u1_offer"],
        user=bob,
        as_of=AS_OF,
    )
    found = selectors.post_suggestions(posts["r1_need"], as_of=AS_OF)
    assert [s.request for s in found] == [request, None]


def test_posts_listed_filters(posts):
    visible = Post.objects.all()

    def titles(**filters):
        return [p.title for p in selectors.posts_listed(visible, as_of=AS_OF, **filters)]

    assert len(titles()) == 5
    assert titles(kind="need") == ["Venture capital for a battery startup", "寻求动力电池专利许可"]
    assert titles(region="central_west") == [
        "Venture capital for a battery startup",
        "正极材料专利许可",
    ]
    assert titles(region="central") == ["正极材料专利许可"]
    assert titles(language="en", category="capital", q="venture") == [
        "Venture capital for a battery startup",
        "Battery venture fund",
    ]
    assert titles(q="专利 许可") == ["正极材料专利许可", "寻求动力电池专利许可"]


def test_posts_listed_finds_a_chinese_tag(posts):
    offer = posts["u1_offer"]
    data = {field: getattr(offer, field) for field in POST_FIELDS}
    services.post_update(
        post=offer, user=None, data={**data, "tags": ["产学研", "patent"]}, expected_version=1
    )

    found = selectors.posts_listed(Post.objects.all(), as_of=AS_OF, q="产学研")

    assert [p.title for p in found] == ["正极材料专利许可"]


POST_FIELDS = ("kind", "category", "title", "text", "language", "preferred_regions", "expires")


def test_exchange_status_counts(posts, contacts, bob, carol, django_assert_num_queries):
    from mieval.accounts.services import user_create

    r2_officer = user_create(
        username="rita", password="x-123456789", role="base_officer", base=posts["r2_need"].base
    )
    first = services.contact_request_create(
        base=bob.profile.base,
        my_post=posts["r1_need"],
        other_post=posts["u1_offer"],
        user=bob,
        as_of=AS_OF,
    )
    services.contact_request_accept(request=first, base=carol.profile.base, user=carol)
    services.contact_request_create(
        base=bob.profile.base,
        my_post=posts["r1_need"],
        other_post=posts["u2_offer"],
        user=bob,
        as_of=AS_OF,
    )
    services.contact_request_create(
        base=r2_officer.profile.base,
        my_post=posts["r2_need"],
        other_post=posts["e1_offer"],
        user=r2_officer,
        as_of=AS_OF,
    )

    with django_assert_num_queries(1):
        counts = selectors.exchange_status_counts()

    zero = dict.fromkeys(["proposed", "contacted", "agreed", "done", "declined", "withdrawn"], 0)
    assert counts == {
        "total": 3,
        "by_status": {**zero, "proposed": 2, "contacted": 1},
        # R1-U1 (Beijing-Hubei) and R2-E1 (Sichuan-Guangdong); R1-U2 is East-East
        "east_central_west": {**zero, "proposed": 1, "contacted": 1},
        "cross_type": {**zero, "proposed": 2, "contacted": 1},
        "mutual": 1,
    }
    only_r1_u1 = Base.objects.filter(code__in=["R1", "U1"])
    assert selectors.exchange_status_counts(bases=only_r1_u1)["total"] == 1
    assert selectors.exchange_status_counts(since=date(2100, 1, 1))["total"] == 0
