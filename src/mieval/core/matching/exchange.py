r"""Needs against offers: the matching core of the exchange, in Chinese and English.

Plain pandas/numpy/scipy.sparse, no Django, no model download. The poster names the problem
("lack of communication channels and exchange mechanisms between the different types of
demonstration sites in the East and Midwest") and the practice ("using evaluation as a
platform for exchange and cooperation to facilitate demand matching"); this module ranks, for
every need a base posts, the offers of other bases that could meet it.

Naming: ``*_terms`` return readable terms, ``*_matrix`` sparse matrices, ``offers_match`` the
ranked pairs. Inputs are never modified.

Terms
-----
A text is NFKC-normalised and lower-cased. Each run of CJK ideographs gives its character
n-grams of length 1 to 3 (within the run, never across punctuation or Latin); each run of
Latin letters and digits gives words, and the sequence of the text's words (after dropping
:data:`LATIN_STOPWORDS`) gives unigrams and adjacent bigrams ("venture capital"). A mixed text
gets both. Single characters of :data:`CJK_STOPCHARS` (的, 和, 与 ...) are dropped as unigrams
only.

Score
-----
For a need :math:`n` and an offer :math:`o` (both active, different bases):

.. math::

    \mathrm{score} = w_{text}\,\cos(v_n, v_o) + w_{tag}\,J(T_n, T_o)
        + w_{cat}\,[c_n = c_o] + \underbrace{w_{bridge}\,B + w_{pref}\,P}_{region\_rule}
        + w_{cross}\,[k_n \ne k_o]

- :math:`v` the TF-IDF vectors over the active posts (:math:`N` documents):
  :math:`\mathrm{tf} = 1 + \ln(\mathrm{count})` (sublinear),
  :math:`\mathrm{idf}(t) = \ln\frac{1 + N}{1 + \mathrm{df}(t)} + 1` (smoothed), each vector
  divided by its L2 norm, so the cosine is the dot product;
- :math:`J = |T_n \cap T_o| / |T_n \cup T_o|` the Jaccard overlap of the tag sets (tags
  stripped and lower-cased; 0 when both are empty);
- :math:`c` the post category (technology, talent, ...), :math:`k` the base category (region,
  university_institute, enterprise): a pair across base types gets ``cross_type``;
- :math:`B = 1` when one base is in the East and the other in the Central-West region group
  (``core.reference.region_group_of``), the poster's East-Midwest channel;
- :math:`P = 1` when the offer's base region (or region group) is in the need's
  ``preferred_regions``, or the need's base region (or group) is in the offer's.

Default weights (:class:`MatchWeights`): :math:`w_{text} = 1`, :math:`w_{tag} = 0.3`,
:math:`w_{cat} = 0.1`, :math:`w_{bridge} = 0.05`, :math:`w_{pref} = 0.05`,
:math:`w_{cross} = 0.03`. The text carries the relevance; the bonuses are small enough to
reorder near ties only (a cosine gap of 0.1 outweighs every region and type bonus together).

Excluded: posts whose ``expires`` is before ``as_of``, pairs of the same base, and pairs with
no evidence at all (cosine 0 and no shared tag), so a need can get fewer than ``k`` offers.
Ties are broken by ``offer_id``.
"""

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

import numpy as np
import pandas as pd
import scipy.sparse as sp

from mieval.core.reference import PROVINCE_BY_CODE, REGION_BY_CODE, REGIONS

KINDS = ("need", "offer")
POST_CATEGORIES = ("technology", "talent", "capital", "incubation_space", "services", "markets")
LANGUAGES = ("zh", "en")

POSTS_COLUMNS = [
    "post_id",
    "base_code",
    "kind",
    "category",
    "title",
    "text",
    "tags",
    "language",
    "preferred_regions",
    "expires",
]
BASES_COLUMNS = ["code", "category", "province"]
MATCH_COLUMNS = [
    "need_id",
    "offer_id",
    "score",
    "text_similarity",
    "tag_overlap",
    "region_rule",
    "cross_type",
    "shared_terms",
    "explanation_zh",
    "explanation_en",
]

#: English function words that carry no matching evidence (dropped before bigrams are formed).
LATIN_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "for",
        "to",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
        "be",
        "been",
        "we",
        "our",
        "us",
        "you",
        "your",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "will",
        "can",
        "who",
        "which",
        "into",
        "per",
    ]
)
#: Chinese function characters dropped as unigrams (kept inside bigrams and trigrams).
CJK_STOPCHARS = frozenset("的了和与及或等在为是我有也将对并")

#: Shared terms listed per pair.
SHARED_TERMS = 5
#: Needs scored per block of the sparse product (bounds the dense block to CHUNK x offers).
CHUNK = 512
# Candidates looked at per pair when choosing the shared terms.
_SHARED_CANDIDATES = 8

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_REGION_CODES = tuple(r.code for r in REGIONS)
_GROUP_CODES = tuple(dict.fromkeys(r.group for r in REGIONS))
_PLACES = _REGION_CODES + _GROUP_CODES


@dataclass(frozen=True)
class MatchWeights:
    """Weights of the score's parts (see the module docstring for the formula)."""

    text: float = 1.0
    tag: float = 0.3
    category: float = 0.1
    bridge: float = 0.05
    preferred_region: float = 0.05
    cross_type: float = 0.03


def text_terms(text: str) -> list[str]:
    """The terms of a text, in order, with repeats: CJK 1-3-grams, Latin words and bigrams.

    Parameters
    ----------
    text : str
        Chinese, English or both.

    Returns
    -------
    list of str
        For each CJK run of length :math:`L`, its :math:`L` characters (less stop characters),
        :math:`L - 1` bigrams and :math:`L - 2` trigrams; then the Latin words (less stop
        words) and the bigrams of adjacent remaining words, joined by a space.

    Examples
    --------
    >>> text_terms("专利许可")
    ['专', '利', '许', '可', '专利', '利许', '许可', '专利许', '利许可']
    >>> text_terms("Venture capital for AI")
    ['venture', 'capital', 'ai', 'venture capital', 'capital ai']
    """
    norm = unicodedata.normalize("NFKC", str(text)).lower()
    terms: list[str] = []
    for run in _CJK_RUN.findall(norm):
        terms.extend(ch for ch in run if ch not in CJK_STOPCHARS)
        terms.extend(run[i : i + 2] for i in range(len(run) - 1))
        terms.extend(run[i : i + 3] for i in range(len(run) - 2))
    words = [w for w in _LATIN_WORD.findall(_CJK_RUN.sub(" ", norm)) if w not in LATIN_STOPWORDS]
    terms.extend(words)
    terms.extend(f"{a} {b}" for a, b in pairwise(words))
    return terms


def tfidf_matrix(texts: list[str]) -> tuple[sp.csr_matrix, list[str]]:
    r"""TF-IDF vectors of texts: sublinear tf, smoothed idf, rows of unit L2 norm.

    Parameters
    ----------
    texts : list of str
        The documents; together they are the corpus the idf is computed on.

    Returns
    -------
    matrix : scipy.sparse.csr_matrix
        ``len(texts) x len(terms)``, float64: :math:`x_{dt} = (1 + \ln c_{dt})\,
        (\ln\frac{1 + N}{1 + \mathrm{df}_t} + 1) / \lVert\cdot\rVert_2`, with :math:`c_{dt}` the
        count of term :math:`t` in document :math:`d` (:func:`text_terms`) and :math:`N` the
        number of documents. A text without terms gives a zero row.
    terms : list of str
        The column's term, in order of first appearance.
    """
    term_lists = [text_terms(text) for text in texts]
    lengths = np.fromiter(map(len, term_lists), dtype=np.int64, count=len(term_lists))
    # pd.factorize numbers the terms in order of first appearance, in C.
    codes, vocabulary = pd.factorize(
        pd.Series([t for ts in term_lists for t in ts], dtype=object), sort=False
    )
    shape = (len(texts), len(vocabulary))
    rows = np.repeat(np.arange(len(texts)), lengths)
    matrix = sp.csr_matrix(
        (np.ones(len(codes), dtype=np.float64), (rows, codes.astype(np.int64))), shape=shape
    )
    matrix.sum_duplicates()
    df = np.bincount(matrix.indices, minlength=shape[1])
    idf = np.log((1.0 + shape[0]) / (1.0 + df)) + 1.0
    matrix.data = (1.0 + np.log(matrix.data)) * idf[matrix.indices]
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    matrix = sp.csr_matrix(sp.diags(scale) @ matrix)
    matrix.sort_indices()
    return matrix, [str(t) for t in vocabulary]


def tag_set(tags) -> frozenset[str]:
    """Tags stripped and lower-cased, empty ones dropped."""
    if tags is None or (isinstance(tags, float) and math.isnan(tags)):
        return frozenset()
    if isinstance(tags, str):
        tags = tags.split(";")
    return frozenset(t.strip().lower() for t in tags if str(t).strip())


def tag_jaccard(a, b) -> float:
    r"""Jaccard overlap :math:`|A \cap B| / |A \cup B|` of two tag collections (0 if both empty)."""
    sa, sb = tag_set(a), tag_set(b)
    union = len(sa | sb)
    return len(sa & sb) / union if union else 0.0


def region_rule(
    need_province: str,
    offer_province: str,
    need_preferred=(),
    offer_preferred=(),
    weights: MatchWeights | None = None,
) -> float:
    r"""The region part of the score for one pair: :math:`w_{bridge} B + w_{pref} P`.

    :math:`B = 1` when one province is in the East region group and the other in the
    Central-West group; :math:`P = 1` when the offer's region or region group is among the
    need's preferred regions, or the need's among the offer's.
    """
    w = weights or MatchWeights()
    need_places = _places_of(need_province)
    offer_places = _places_of(offer_province)
    bridge = {need_places[1], offer_places[1]} == {"east", "central_west"}
    preferred = bool(set(offer_places) & set(need_preferred)) or bool(
        set(need_places) & set(offer_preferred)
    )
    return w.bridge * bridge + w.preferred_region * preferred


def _places_of(province: str) -> tuple[str, str]:
    region = PROVINCE_BY_CODE[province].region
    return region, REGION_BY_CODE[region].group


def _check_frames(posts: pd.DataFrame, bases: pd.DataFrame) -> None:
    for name, frame, columns in (
        ("posts", posts, POSTS_COLUMNS),
        ("bases", bases, BASES_COLUMNS),
    ):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise ValueError(f"{name}: missing column(s) {missing}; required are {columns}")
    for column, allowed in (
        ("kind", KINDS),
        ("category", POST_CATEGORIES),
        ("language", LANGUAGES),
    ):
        bad = posts.loc[~posts[column].isin(allowed)]
        if not bad.empty:
            row = bad.iloc[0]
            raise ValueError(
                f"posts: column {column!r} of post {row['post_id']!r}: {row[column]!r} is not"
                f" allowed; use one of {list(allowed)}"
            )
    if posts["post_id"].duplicated().any():
        dup = posts.loc[posts["post_id"].duplicated(), "post_id"].iloc[0]
        raise ValueError(f"posts: post_id {dup!r} occurs more than once")
    unknown_base = posts.loc[~posts["base_code"].isin(bases["code"])]
    if not unknown_base.empty:
        row = unknown_base.iloc[0]
        raise ValueError(
            f"posts: base_code {row['base_code']!r} of post {row['post_id']!r} is not in bases"
        )
    unknown_province = bases.loc[~bases["province"].astype(str).isin(PROVINCE_BY_CODE)]
    if not unknown_province.empty:
        row = unknown_province.iloc[0]
        raise ValueError(
            f"bases: province {row['province']!r} of base {row['code']!r} is not a GB/T 2260"
            " two-digit province code"
        )
    for preferred in posts["preferred_regions"]:
        bad_places = set(preferred or ()) - set(_PLACES)
        if bad_places:
            raise ValueError(
                f"posts: preferred region(s) {sorted(bad_places)} not allowed; use codes of"
                f" {list(_PLACES)}"
            )


def _side_arrays(side: pd.DataFrame, bases: pd.DataFrame, tag_index: dict[str, int]):
    """Per-post arrays of one side (needs or offers) for the vectorised score."""
    # Integer codes: comparing object arrays pair by pair would dominate the run time.
    base_position = pd.Index(bases["code"]).get_indexer(side["base_code"])
    base = bases.iloc[base_position]
    base_category_codes, _ = pd.factorize(bases["category"])
    province = base["province"].astype(str).to_numpy()
    places = [_places_of(p) for p in province]
    place_pos = {p: i for i, p in enumerate(_PLACES)}
    own = np.zeros((len(side), len(_PLACES)), dtype=np.float64)
    wants = np.zeros_like(own)
    for i, ((region, group), preferred) in enumerate(
        zip(places, side["preferred_regions"], strict=True)
    ):
        own[i, place_pos[region]] = own[i, place_pos[group]] = 1.0
        for p in preferred or ():
            wants[i, place_pos[p]] = 1.0
    tags = [tag_set(t) for t in side["tags"]]
    rows = np.repeat(np.arange(len(tags)), [len(t) for t in tags])
    cols = np.array([tag_index[t] for ts in tags for t in sorted(ts)], dtype=np.int64)
    tag_matrix = sp.csr_matrix(
        (np.ones(len(cols)), (rows, cols)), shape=(len(tags), max(len(tag_index), 1))
    )
    return {
        "category": pd.Index(POST_CATEGORIES).get_indexer(side["category"]),
        "base": base_position,
        "base_category": base_category_codes[base_position],
        "east": np.array([g == "east" for _, g in places]),
        "central_west": np.array([g == "central_west" for _, g in places]),
        "own": sp.csr_matrix(own),
        "wants": sp.csr_matrix(wants),
        "tags": tag_matrix,
        "tag_count": np.array([len(t) for t in tags], dtype=np.float64),
    }


def offers_match(
    posts: pd.DataFrame,
    bases: pd.DataFrame,
    *,
    as_of: date,
    k: int = 10,
    weights: MatchWeights | None = None,
) -> pd.DataFrame:
    """The top ``k`` offers for every active need, scored as in the module docstring.

    Parameters
    ----------
    posts : pandas.DataFrame
        One row per post, columns :data:`POSTS_COLUMNS`: ``post_id`` (unique), ``base_code``,
        ``kind`` (``need`` or ``offer``), ``category`` (:data:`POST_CATEGORIES`), ``title``,
        ``text`` (title and text are matched together), ``tags`` (tuple of str), ``language``
        (``zh`` or ``en``; informational, terms are found by script), ``preferred_regions``
        (tuple of region or region-group codes, may be empty), ``expires`` (date).
    bases : pandas.DataFrame
        ``code``, ``category`` (base category) and ``province`` (GB/T 2260 two-digit code) of
        every base that posts; region and region group are derived from the province.
    as_of : datetime.date
        Posts expiring before this day are left out.
    k : int, default 10
        Offers kept per need.
    weights : MatchWeights, optional
        The weights; :class:`MatchWeights` defaults when omitted.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`MATCH_COLUMNS`: ``need_id``, ``offer_id``, ``score`` (float),
        ``text_similarity`` (cosine in [0, 1]), ``tag_overlap`` (Jaccard in [0, 1]),
        ``region_rule`` (float, the region part of the score), ``cross_type`` (bool: base
        categories differ), ``shared_terms`` (tuple of up to 5 readable terms among the 8
        that contribute most to the cosine, :math:`v_{nt} v_{ot}`: single CJK characters
        left out, overlapping CJK n-grams joined into the phrase both texts contain, a term
        left out when it is part of a longer one listed),
        ``explanation_zh``, ``explanation_en`` (str). Sorted by need (in the posts' order) and
        descending score, ties by ``offer_id``.

    Raises
    ------
    ValueError
        On a missing column, an unknown kind, category, language, base, province or region, a
        duplicate ``post_id``, or ``k < 1``.
    """
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise ValueError(f"k: {k!r} is not allowed; use a positive integer")
    _check_frames(posts, bases)
    w = weights or MatchWeights()
    active = posts.loc[pd.to_datetime(posts["expires"]) >= pd.Timestamp(as_of)]
    needs = active.loc[active["kind"] == "need"].reset_index(drop=True)
    # Offers in post_id order, so that index order is the documented tie order.
    offers = active.loc[active["kind"] == "offer"]
    offers = offers.iloc[np.argsort(offers["post_id"].astype(str).to_numpy(), kind="stable")]
    offers = offers.reset_index(drop=True)
    if needs.empty or offers.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in MATCH_COLUMNS})

    both = pd.concat([needs, offers], ignore_index=True)
    documents = (both["title"].fillna("") + "\n" + both["text"].fillna("")).tolist()
    matrix, terms = tfidf_matrix(documents)
    is_need = np.arange(len(both)) < len(needs)
    need_vectors, offer_vectors = matrix[is_need], matrix[~is_need]
    offer_vectors_t = sp.csr_matrix(offer_vectors.T)

    all_tags = sorted(set().union(*(tag_set(t) for t in both["tags"])))
    tag_index = {t: i for i, t in enumerate(all_tags)}
    n_side = _side_arrays(needs, bases, tag_index)
    o_side = _side_arrays(offers, bases, tag_index)
    offer_tags_t = sp.csr_matrix(o_side["tags"].T)
    offer_own_t = sp.csr_matrix(o_side["own"].T)
    offer_wants_t = sp.csr_matrix(o_side["wants"].T)

    # The category, East-Midwest and cross-type bonuses depend on a few codes only: a post's
    # "kind key" (post category, region group, base category) indexes a small table.
    n_key, o_key, bonus_table = _bonus_table(n_side, o_side, w)
    kk = min(k, len(offers))
    parts = {name: [] for name in ("need", "offer", "score", "text", "tag", "preferred")}
    any_tags = bool(len(all_tags))
    any_preference = bool(n_side["wants"].nnz or o_side["wants"].nnz)
    for start in range(0, len(needs), CHUNK):
        rows = slice(start, min(start + CHUNK, len(needs)))
        text = (need_vectors[rows] @ offer_vectors_t).toarray()
        score = bonus_table[n_key[rows, None], o_key[None, :]]
        score += w.text * text if w.text != 1.0 else text
        evidence = text > 0
        if any_tags:
            inter = (n_side["tags"][rows] @ offer_tags_t).toarray()
            union = n_side["tag_count"][rows, None] + o_side["tag_count"][None, :] - inter
            tag = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
            score += w.tag * tag
            evidence |= tag > 0
        else:
            tag = np.zeros_like(text)
        if any_preference:
            preferred = ((n_side["wants"][rows] @ offer_own_t).toarray() > 0) | (
                (n_side["own"][rows] @ offer_wants_t).toarray() > 0
            )
            score += w.preferred_region * preferred
        else:
            preferred = np.zeros(text.shape, dtype=bool)
        evidence &= n_side["base"][rows, None] != o_side["base"][None, :]
        score[~evidence] = -np.inf
        top = _top_k(score, kk)
        local = np.repeat(np.arange(top.shape[0]), kk)
        flat = top.ravel()
        keep = np.isfinite(score[local, flat])
        local, flat = local[keep], flat[keep]
        parts["need"].append(local + start)
        parts["offer"].append(flat)
        parts["score"].append(score[local, flat])
        parts["text"].append(text[local, flat])
        parts["tag"].append(tag[local, flat])
        parts["preferred"].append(preferred[local, flat])
    joined = {name: np.concatenate(values) for name, values in parts.items()}
    need_rows, offer_rows = joined["need"], joined["offer"]
    same_category = n_side["category"][need_rows] == o_side["category"][offer_rows]
    bridge = (n_side["east"][need_rows] & o_side["central_west"][offer_rows]) | (
        n_side["central_west"][need_rows] & o_side["east"][offer_rows]
    )
    cross = n_side["base_category"][need_rows] != o_side["base_category"][offer_rows]
    region = w.bridge * bridge + w.preferred_region * joined["preferred"]
    normalised = [unicodedata.normalize("NFKC", d).lower() for d in documents]
    need_texts = normalised[: len(needs)]
    offer_texts = normalised[len(needs) :]
    shared = _shared_terms(
        need_vectors, offer_vectors, need_rows, offer_rows, terms, need_texts, offer_texts
    )
    out = pd.DataFrame(
        {
            "need_id": needs["post_id"].to_numpy()[need_rows],
            "offer_id": offers["post_id"].to_numpy()[offer_rows],
            "score": joined["score"],
            "text_similarity": joined["text"],
            "tag_overlap": joined["tag"],
            "region_rule": region,
            "cross_type": cross,
            "shared_terms": shared,
        }
    )
    texts = [
        _explanations(row, same, br, w)
        for row, same, br in zip(out.itertuples(index=False), same_category, bridge, strict=True)
    ]
    out["explanation_zh"] = [t[0] for t in texts]
    out["explanation_en"] = [t[1] for t in texts]
    return out.reset_index(drop=True)


def _bonus_table(n_side: dict, o_side: dict, w: MatchWeights):
    """Kind keys of needs and offers and the table of their category, bridge and type bonus."""
    n_group = n_side["east"] + 2 * n_side["central_west"]  # 0 northeast, 1 east, 2 central-west
    o_group = o_side["east"] + 2 * o_side["central_west"]
    base_types = int(max(n_side["base_category"].max(), o_side["base_category"].max())) + 1
    n_key = (n_side["category"] * 3 + n_group) * base_types + n_side["base_category"]
    o_key = (o_side["category"] * 3 + o_group) * base_types + o_side["base_category"]
    size = len(POST_CATEGORIES) * 3 * base_types
    key = np.arange(size)
    category, group, base_type = key // (3 * base_types), key // base_types % 3, key % base_types
    bonus = (
        w.category * (category[:, None] == category[None, :])
        + w.bridge * ((group[:, None] * group[None, :]) == 2)
        + w.cross_type * (base_type[:, None] != base_type[None, :])
    )
    return n_key, o_key, bonus


def _top_k(score: np.ndarray, k: int) -> np.ndarray:
    """Per row, the column indices of the ``k`` largest scores, by score then column index.

    ``argpartition`` finds the k-th largest score in linear time; rows with ties across that
    score (rare with real texts) are redone with a stable sort so the lower index wins.
    """
    if k >= score.shape[1]:
        return np.argsort(-score, axis=1, kind="stable")
    top = np.argpartition(-score, k - 1, axis=1)[:, :k]
    top_scores = np.take_along_axis(score, top, axis=1)
    order = np.lexsort((top, -top_scores), axis=1)
    top = np.take_along_axis(top, order, axis=1)
    kth = np.take_along_axis(score, top[:, -1:], axis=1)
    # Rows whose k-th score is -inf have fewer than k eligible offers: those are dropped later.
    tied = np.flatnonzero(((score >= kth).sum(axis=1) > k) & np.isfinite(kth[:, 0]))
    for row in tied:
        top[row] = np.argsort(-score[row], kind="stable")[:k]
    return top


def _shared_terms(
    need_vectors: sp.csr_matrix,
    offer_vectors: sp.csr_matrix,
    need_rows: np.ndarray,
    offer_rows: np.ndarray,
    terms: list[str],
    need_texts: list[str],
    offer_texts: list[str],
) -> list[tuple[str, ...]]:
    """Per pair, readable terms with the largest products :math:`v_{nt} v_{ot}`.

    Candidates are taken in order of contribution; single CJK characters are skipped (they
    read as nothing), a term inside one already listed is skipped, a longer term replaces the
    shorter ones it contains, and two overlapping CJK n-grams are joined ("专利许" + "利许可"
    -> "专利许可") when the joined string occurs in both texts.
    """
    cjk = np.array([bool(_CJK_RUN.fullmatch(t)) for t in terms], dtype=bool)
    readable = ~(cjk & (np.fromiter(map(len, terms), dtype=np.int64, count=len(terms)) == 1))
    # Contributions of every term to every pair's cosine at once: row p is v_n * v_o.
    products = sp.csr_matrix(need_vectors[need_rows].multiply(offer_vectors[offer_rows]))
    products.data[~readable[products.indices]] = 0.0
    products.eliminate_zeros()
    out = []
    for p, (n, o) in enumerate(zip(need_rows, offer_rows, strict=True)):
        row = slice(products.indptr[p], products.indptr[p + 1])
        indices, contribution = products.indices[row], products.data[row]
        if len(contribution) > _SHARED_CANDIDATES:
            best = np.argpartition(-contribution, _SHARED_CANDIDATES - 1)[:_SHARED_CANDIDATES]
            indices, contribution = indices[best], contribution[best]
        chosen: list[str] = []
        for i in np.lexsort((indices, -contribution)):
            term = terms[indices[i]]
            if not any(term in c for c in chosen):
                chosen = [c for c in chosen if c not in term] + [term]
        if cjk[indices].sum() > 1:
            chosen = _phrases_joined(chosen, need_texts[n], offer_texts[o])
        chosen = chosen[:SHARED_TERMS]
        out.append(tuple(chosen))
    return out


def _phrases_joined(chosen: list[str], text_a: str, text_b: str) -> list[str]:
    """Join overlapping CJK terms into the phrase both texts contain, until none overlap.

    "学生" + "生创业" -> "学生创业" when both texts contain it; a term inside a joined phrase
    goes. The order of first appearance is kept.
    """
    changed = True
    while changed:
        changed = False
        for a in chosen:
            if not ("\u3400" <= a[0] <= "\ufaff"):
                continue
            for b in chosen:
                if a is b or not ("\u3400" <= b[0] <= "\ufaff"):
                    continue
                for m in range(min(len(a), len(b)) - 1, 0, -1):
                    joined = a + b[m:]
                    if a.endswith(b[:m]) and joined in text_a and joined in text_b:
                        position = min(chosen.index(a), chosen.index(b))
                        rest = [c for c in chosen if c is not a and c is not b and c not in joined]
                        chosen = [*rest[:position], joined, *rest[position:]]
                        changed = True
                        break
                if changed:
                    break
            if changed:
                break
    return chosen


def _explanations(row, same_category: bool, bridge: bool, w: MatchWeights) -> tuple[str, str]:
    zh = [f"文本相似度 {row.text_similarity:.2f}"]
    en = [f"text similarity {row.text_similarity:.2f}"]
    if row.tag_overlap > 0:
        zh.append(f"标签重合度 {row.tag_overlap:.2f}")
        en.append(f"tag overlap {row.tag_overlap:.2f}")
    if same_category:
        zh.append("需求与供给同属一类")
        en.append("need and offer of the same category")
    if bridge:
        zh.append("东部与中西部示范基地对接")
        en.append("links an East and a Central-West base")
    preferred = row.region_rule - w.bridge * bridge
    if preferred > 1e-12:
        zh.append("符合意向地区")
        en.append("in a preferred region")
    if row.cross_type:
        zh.append("跨类型示范基地合作")
        en.append("across base types")
    if row.shared_terms:
        zh.append("共同关键词：" + "、".join(row.shared_terms))
        en.append("shared terms: " + ", ".join(row.shared_terms))
    return "；".join(zh) + "。", "; ".join(en) + "."


def precision_at_k(matches: pd.DataFrame, correct: dict[str, set[str]], k: int = 5) -> float:
    r"""The share of needs with a correct offer among their ``k`` best offers.

    .. math:: P@k = \frac{1}{|N|} \sum_{n \in N} [\, C_n \cap \mathrm{top}_k(n) \ne \emptyset \,]

    with :math:`N` the needs of ``correct`` (every labelled need counts, one without any
    match is a miss), :math:`C_n` its correct offer ids and :math:`\mathrm{top}_k(n)` the
    first ``k`` rows of ``need_id == n`` in ``matches`` (as :func:`offers_match` orders
    them). With one correct offer per need this is what retrieval papers call the hit rate
    or success at :math:`k`.
    """
    if not correct:
        raise ValueError("correct: no labelled need; give at least one need and its offers")
    top = matches.groupby("need_id", sort=False).head(k)
    found = top.groupby("need_id")["offer_id"].agg(set).to_dict()
    hits = sum(bool(found.get(need, set()) & offers) for need, offers in correct.items())
    return hits / len(correct)
