"""sample_posts: the demo's 80 bilingual posts over the sample bases."""

import pandas as pd
import pytest

from mieval.core.matching.exchange import POSTS_COLUMNS, offers_match
from mieval.demo.campaign import sample_bases
from mieval.demo.exchange import SAMPLE_AS_OF, sample_posts


@pytest.fixture(scope="module")
def bases():
    return sample_bases(0)


def test_eighty_posts_half_needs_half_chinese(bases):
    posts = sample_posts(bases, 0)
    assert list(posts.columns) == POSTS_COLUMNS
    assert len(posts) == 80
    assert posts["kind"].value_counts().to_dict() == {"need": 40, "offer": 40}
    assert posts["language"].value_counts().to_dict() == {"zh": 40, "en": 40}
    assert posts["post_id"].is_unique
    assert posts["base_code"].isin(bases["code"]).all()


def test_same_seed_same_posts_and_bases_unchanged(bases):
    before = bases.copy()
    pd.testing.assert_frame_equal(sample_posts(bases, 3), sample_posts(bases, 3))
    pd.testing.assert_frame_equal(bases, before)
    assert not sample_posts(bases, 3).equals(sample_posts(bases, 4))


def test_need_and_offer_of_a_pair_are_at_different_bases(bases):
    posts = sample_posts(bases, 0).set_index("post_id")
    for need_id in posts.index[posts["kind"] == "need"]:
        offer_id = need_id.replace("D-N-", "D-O-")
        assert posts.at[need_id, "base_code"] != posts.at[offer_id, "base_code"]


def test_every_active_need_finds_its_own_offer_first(bases):
    # Given the demo posts at the demo's date (seed 0: four needs have expired)
    posts = sample_posts(bases, 0)
    active_needs = posts.loc[(posts["kind"] == "need") & (posts["expires"] >= SAMPLE_AS_OF)]

    # When
    matches = offers_match(posts, bases, as_of=SAMPLE_AS_OF)

    # Then the best offer of every active need is the one written for it, but for D-N-12-en:
    # it prefers the East, and its own offer is at a base in Anhui (MIE-2016-008), so the
    # topic's Chinese offer at a Beijing base (MIE-2016-022) comes first
    first = matches.groupby("need_id").head(1).set_index("need_id")["offer_id"]
    assert len(active_needs) == 36
    assert sorted(first.index) == sorted(active_needs["post_id"])
    own = first.index.str.replace("D-N-", "D-O-")
    assert sorted(first.index[first != own]) == ["D-N-12-en"]
    assert first["D-N-12-en"] == "D-O-12-zh"


def test_bad_seed_and_bases_are_reported(bases):
    with pytest.raises(ValueError, match="seed: -1 is not allowed"):
        sample_posts(bases, -1)
    east_only = bases.loc[bases["province"] == "11"]
    with pytest.raises(ValueError, match="at least one East base and one other base"):
        sample_posts(east_only, 0)
