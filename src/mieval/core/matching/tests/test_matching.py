"""offers_match and its parts: hand-computed TF-IDF cosines, Jaccard overlaps, region rules,
and precision at 5 on the labelled set.

``data/labelled.csv`` (hand-written for these tests): one row per need with the offer written
for it — ``need_id, need_language, need_category, need_text, offer_id, offer_language,
offer_category, offer_text, correct_offer_ids`` (ids joined by ";") — and 15 distractor offers
with empty need fields. 126 needs (69 with Chinese text, 57 English; 6 mix Latin terms into
Chinese; N115-N126 are paraphrases with little word overlap) against all 141 offers.
"""

import math
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mieval.core.matching.exchange import (
    MATCH_COLUMNS,
    POSTS_COLUMNS,
    MatchWeights,
    offers_match,
    precision_at_k,
    region_rule,
    tag_jaccard,
    text_terms,
    tfidf_matrix,
)

AS_OF = date(2026, 6, 1)
LATER = date(2027, 1, 1)
LABELLED = Path(__file__).parent / "data" / "labelled.csv"
# Measured 125 / 126 = 0.992 (the one miss, N125 "toys ... safe for the EU market" against
# "Toy safety testing to EN 71 ...", shares only "safe"/"eu" word forms); the floor leaves room
# for small changes of tokenisation or weights.
PRECISION_AT_5_FLOOR = 0.95

# idf of a term in one of two documents: ln((1 + 2) / (1 + 1)) + 1
A = math.log(1.5) + 1.0


def post(post_id, base, kind, text, *, category="technology", tags=(), prefer=(), expires=LATER):
    return (post_id, base, kind, category, "", text, tags, "zh", prefer, expires)


def posts_frame(rows):
    return pd.DataFrame(rows, columns=POSTS_COLUMNS)


BASES = pd.DataFrame(
    {
        "code": ["SC", "BJ", "LN", "SC2"],
        "category": ["region", "enterprise", "region", "region"],
        "province": ["51", "11", "21", "51"],  # Sichuan (west), Beijing (east), Liaoning (NE)
    }
)


def test_terms_of_chinese_english_and_mixed_text():
    assert text_terms("专利许可") == [
        "专",
        "利",
        "许",
        "可",
        "专利",
        "利许",
        "许可",
        "专利许",
        "利许可",
    ]
    assert text_terms("Venture capital for AI") == [
        "venture",
        "capital",
        "ai",
        "venture capital",
        "capital ai",
    ]
    # CJK runs end at Latin; the stop character 的 is dropped as a unigram only
    assert text_terms("的AI芯片") == ["芯", "片", "芯片", "ai"]
    assert text_terms("Ｖｅｎｔｕｒｅ") == ["venture"]  # NFKC: full-width letters


def test_tfidf_cosine_of_two_chinese_strings_by_hand():
    # Given "专利" (专, 利, 专利) and "专利许可" (9 terms): the 3 shared terms have df 2, idf 1;
    # the 6 others df 1, idf ln(3/2) + 1; every count is 1, so tf = 1
    matrix, terms = tfidf_matrix(["专利", "专利许可"])

    # Then cos = 3 / (sqrt(3) * sqrt(3 + 6 A^2))
    expected = 3 / (math.sqrt(3) * math.sqrt(3 + 6 * A**2))
    assert (matrix @ matrix.T).toarray()[0, 1] == pytest.approx(expected, rel=1e-12)
    assert len(terms) == 9
    assert np.allclose(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel(), [1.0, 1.0])


def test_tfidf_cosine_of_two_english_strings_by_hand():
    # "venture capital fund": venture, capital, fund, venture capital, capital fund
    # "venture capital": venture, capital, venture capital (all three shared, idf 1)
    matrix, _ = tfidf_matrix(["venture capital fund", "venture capital"])
    expected = 3 / (math.sqrt(3 + 2 * A**2) * math.sqrt(3))
    assert (matrix @ matrix.T).toarray()[0, 1] == pytest.approx(expected, rel=1e-12)


def test_sublinear_tf():
    # "ai ai" has the single term "ai" twice (tf 1 + ln 2) and the bigram "ai ai" once
    matrix, terms = tfidf_matrix(["ai ai", "ai"])
    row = dict(zip(terms, matrix[0].toarray().ravel(), strict=True))
    tf_ai, tf_bigram = 1 + math.log(2), 1.0 * A
    norm = math.hypot(tf_ai, tf_bigram)
    assert row["ai"] == pytest.approx(tf_ai / norm, rel=1e-12)
    assert row["ai ai"] == pytest.approx(tf_bigram / norm, rel=1e-12)


def test_empty_text_gives_a_zero_row():
    matrix, _ = tfidf_matrix(["", "专利"])
    assert matrix[0].nnz == 0


def test_tag_jaccard():
    assert tag_jaccard(("Patent", "AI"), ("patent ", "biotech", "ai")) == pytest.approx(2 / 3)
    assert tag_jaccard((), ()) == 0.0
    assert tag_jaccard(("a",), ()) == 0.0


def test_region_rule():
    # Sichuan (central-west) and Beijing (east): the East-Midwest bridge
    assert region_rule("51", "11") == pytest.approx(0.05)
    # ... and the need prefers the East: bridge and preference
    assert region_rule("51", "11", ("east",)) == pytest.approx(0.10)
    # the offer prefers the need's region group
    assert region_rule("51", "11", (), ("central_west",)) == pytest.approx(0.10)
    # Liaoning (northeast) and Beijing: no bridge; a preference by region code
    assert region_rule("21", "11") == 0.0
    assert region_rule("21", "11", ("east",)) == pytest.approx(0.05)
    # two central-west bases: no bridge
    assert region_rule("51", "50") == 0.0


def test_score_is_the_documented_sum():
    # Given a Sichuan region base's need and a Beijing enterprise's offer, same category,
    # tags {patent, ai} and {patent}, the need preferring the East
    posts = posts_frame(
        [
            post("n", "SC", "need", "专利", tags=("patent", "AI"), prefer=("east",)),
            post("o", "BJ", "offer", "专利许可", tags=("Patent",)),
        ]
    )

    # When
    out = offers_match(posts, BASES, as_of=AS_OF)

    # Then
    cosine = 3 / (math.sqrt(3) * math.sqrt(3 + 6 * A**2))
    assert list(out.columns) == MATCH_COLUMNS
    row = out.iloc[0]
    assert (row["need_id"], row["offer_id"]) == ("n", "o")
    assert row["text_similarity"] == pytest.approx(cosine, rel=1e-12)
    assert row["tag_overlap"] == pytest.approx(0.5)
    assert row["region_rule"] == pytest.approx(0.10)
    assert bool(row["cross_type"]) is True
    assert row["score"] == pytest.approx(cosine + 0.3 * 0.5 + 0.1 + 0.10 + 0.03, rel=1e-12)
    assert row["shared_terms"] == ("专利",)
    assert row["explanation_zh"] == (
        f"文本相似度 {cosine:.2f}；标签重合度 0.50；需求与供给同属一类；东部与中西部示范基地对接；"
        "符合意向地区；跨类型示范基地合作；共同关键词：专利。"
    )
    assert row["explanation_en"] == (
        f"text similarity {cosine:.2f}; tag overlap 0.50; need and offer of the same category;"
        " links an East and a Central-West base; in a preferred region; across base types;"
        " shared terms: 专利."
    )


def test_custom_weights():
    posts = posts_frame(
        [post("n", "SC", "need", "专利"), post("o", "LN", "offer", "专利许可", category="capital")]
    )
    weights = MatchWeights(text=2.0, category=1.0, cross_type=1.0)
    out = offers_match(posts, BASES, as_of=AS_OF, weights=weights)
    cosine = 3 / (math.sqrt(3) * math.sqrt(3 + 6 * A**2))
    # different post category, both region bases, Sichuan-Liaoning: only the text counts
    assert out["score"].tolist() == pytest.approx([2 * cosine])


def test_expired_same_base_and_unrelated_offers_are_left_out():
    posts = posts_frame(
        [
            post("n", "SC", "need", "专利许可"),
            post("o-ok", "BJ", "offer", "专利许可"),
            post("o-expired", "BJ", "offer", "专利许可", expires=date(2026, 5, 31)),
            post("o-same-base", "SC", "offer", "专利许可"),
            post("o-unrelated", "LN", "offer", "天使投资"),
            post("o-today", "SC2", "offer", "专利许可", expires=AS_OF),
        ]
    )
    out = offers_match(posts, BASES, as_of=AS_OF)
    assert out["offer_id"].tolist() == ["o-ok", "o-today"]


def test_expired_need_gets_no_row():
    posts = posts_frame(
        [
            post("n", "SC", "need", "专利许可", expires=date(2020, 1, 1)),
            post("o", "BJ", "offer", "专利许可"),
        ]
    )
    out = offers_match(posts, BASES, as_of=AS_OF)
    assert out.empty
    assert list(out.columns) == MATCH_COLUMNS


def test_top_k_sorted_by_score_then_offer_id():
    # Given three identical offers from the same kind of base and one weaker one
    posts = posts_frame(
        [
            post("n", "SC", "need", "技术转移"),
            post("o3", "SC2", "offer", "技术转移"),
            post("o1", "SC2", "offer", "技术转移"),
            post("o2", "SC2", "offer", "技术转移"),
            post("o0", "SC2", "offer", "技术转移服务平台"),
        ]
    )
    out = offers_match(posts, BASES, as_of=AS_OF, k=2)
    assert out["offer_id"].tolist() == ["o1", "o2"]
    full = offers_match(posts, BASES, as_of=AS_OF)
    assert full["offer_id"].tolist() == ["o1", "o2", "o3", "o0"]


def test_inputs_are_not_modified():
    posts = posts_frame([post("n", "SC", "need", "专利"), post("o", "BJ", "offer", "专利许可")])
    before_posts, before_bases = posts.copy(), BASES.copy()
    offers_match(posts, BASES, as_of=AS_OF)
    pd.testing.assert_frame_equal(posts, before_posts)
    pd.testing.assert_frame_equal(BASES, before_bases)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "wish"}, "column 'kind' of post 'n': 'wish' is not allowed"),
        ({"category": "land"}, "column 'category' of post 'n': 'land' is not allowed"),
        ({"language": "fr"}, "column 'language' of post 'n': 'fr' is not allowed"),
        ({"base_code": "XX"}, "base_code 'XX' of post 'n' is not in bases"),
        ({"preferred_regions": ("mars",)}, "preferred region(s) ['mars'] not allowed"),
    ],
)
def test_bad_posts_are_reported(change, message):
    posts = posts_frame([post("n", "SC", "need", "专利"), post("o", "BJ", "offer", "专利")])
    for column, value in change.items():
        posts.at[0, column] = value
    with pytest.raises(
        ValueError,
        match=message.replace("(", r"\(")
        .replace(")", r"\)")
        .replace("[", r"\[")
        .replace("]", r"\]"),
    ):
        offers_match(posts, BASES, as_of=AS_OF)


def test_bad_k_and_missing_column_are_reported():
    posts = posts_frame([post("n", "SC", "need", "专利"), post("o", "BJ", "offer", "专利")])
    with pytest.raises(ValueError, match="k: 0 is not allowed"):
        offers_match(posts, BASES, as_of=AS_OF, k=0)
    with pytest.raises(ValueError, match=r"posts: missing column\(s\) \['tags'\]"):
        offers_match(posts.drop(columns="tags"), BASES, as_of=AS_OF)


def test_precision_at_k_by_hand():
    matches = pd.DataFrame({"need_id": ["a", "a", "a", "b"], "offer_id": ["x", "y", "z", "w"]})
    correct = {"a": {"z"}, "b": {"w"}, "c": {"v"}}  # c has no match at all: a miss
    assert precision_at_k(matches, correct, k=2) == pytest.approx(1 / 3)
    assert precision_at_k(matches, correct, k=3) == pytest.approx(2 / 3)


def labelled_posts():
    table = pd.read_csv(LABELLED, dtype=str, keep_default_na=False)
    rows = []
    for r in table.itertuples():
        if r.need_id:
            rows.append(
                (
                    r.need_id,
                    f"b-{r.need_id}",
                    "need",
                    r.need_category,
                    "",
                    r.need_text,
                    (),
                    r.need_language,
                    (),
                    LATER,
                )
            )
        rows.append(
            (
                r.offer_id,
                f"b-{r.offer_id}",
                "offer",
                r.offer_category,
                "",
                r.offer_text,
                (),
                r.offer_language,
                (),
                LATER,
            )
        )
    posts = posts_frame(rows)
    # One base per post, all alike: only text and post category decide
    bases = pd.DataFrame({"code": posts["base_code"], "category": "region", "province": "11"})
    correct = {
        r.need_id: set(r.correct_offer_ids.split(";")) for r in table.itertuples() if r.need_id
    }
    return posts, bases, correct


def test_labelled_set_is_big_enough_and_bilingual():
    posts, _, correct = labelled_posts()
    needs = posts.loc[posts["kind"] == "need"]
    assert len(correct) >= 100
    assert needs["language"].value_counts().to_dict().keys() == {"zh", "en"}
    assert (needs["language"] == "en").sum() >= 40
    assert (needs["language"] == "zh").sum() >= 40


def test_precision_at_5_on_the_labelled_set():
    posts, bases, correct = labelled_posts()
    matches = offers_match(posts, bases, as_of=AS_OF, k=10)
    assert precision_at_k(matches, correct, k=5) >= PRECISION_AT_5_FLOOR


def test_vectorised_scores_equal_the_formula_pair_by_pair():
    # Given 30 random posts over the four bases, with tags, preferences and expiries
    rng = np.random.default_rng(7)
    words = ["专利", "许可", "孵化", "基金", "patent", "licence", "venture capital", "testing"]
    rows = []
    for i in range(30):
        rows.append(
            post(
                f"p{i:02d}",
                str(rng.choice(BASES["code"])),
                "need" if i < 12 else "offer",
                " ".join(rng.choice(words, 3)),
                category=str(rng.choice(["technology", "capital"])),
                tags=tuple(rng.choice(["a", "b", "c"], rng.integers(0, 3), replace=False)),
                prefer=tuple(rng.choice(["east", "central_west", "northeast"], rng.integers(0, 2))),
                expires=date(2026, 1, 1) if i % 7 == 0 else LATER,
            )
        )
    posts = posts_frame(rows)

    # When
    out = offers_match(posts, BASES, as_of=AS_OF, k=3)

    # Then each row's parts and score are those of the formula, computed one pair at a time
    active = posts.loc[posts["expires"] >= AS_OF]
    matrix, _ = tfidf_matrix(("\n" + active["text"]).tolist())
    cosine = (matrix @ matrix.T).toarray()
    position = {p: i for i, p in enumerate(active["post_id"])}
    by_id = posts.set_index("post_id")
    kind_of = BASES.set_index("code")["category"]
    province = BASES.set_index("code")["province"]
    expected = []
    for _, need in active.loc[active["kind"] == "need"].iterrows():
        scored = []
        for _, offer in active.loc[active["kind"] == "offer"].iterrows():
            text = cosine[position[need["post_id"]], position[offer["post_id"]]]
            tag = tag_jaccard(need["tags"], offer["tags"])
            if need["base_code"] == offer["base_code"] or (text <= 0 and tag == 0):
                continue
            region = region_rule(
                province[need["base_code"]],
                province[offer["base_code"]],
                need["preferred_regions"],
                offer["preferred_regions"],
            )
            cross = kind_of[need["base_code"]] != kind_of[offer["base_code"]]
            same = need["category"] == offer["category"]
            score = text + 0.3 * tag + 0.1 * same + region + 0.03 * cross
            scored.append((-score, offer["post_id"], score, text, tag, region, cross))
        for item in sorted(scored)[:3]:
            expected.append((need["post_id"], *item[1:]))
    assert len(out) == len(expected) == 29  # some needs have fewer than 3 offers
    for row, exp in zip(out.itertuples(index=False), expected, strict=True):
        assert (row.need_id, row.offer_id, bool(row.cross_type)) == (exp[0], exp[1], exp[6])
        assert [row.score, row.text_similarity, row.tag_overlap, row.region_rule] == (
            pytest.approx(list(exp[2:6]), abs=1e-12)
        )
    assert by_id.loc[out["need_id"], "kind"].eq("need").all()
