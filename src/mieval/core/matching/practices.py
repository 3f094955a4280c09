r"""Same measure, several bases: text similarity between reforms, and query ranking.

Plain numpy/scipy, no Django. The terms and the TF-IDF weighting are the exchange's
(:func:`mieval.core.matching.exchange.text_terms`,
:func:`~mieval.core.matching.exchange.tfidf_matrix`): character 1-3-grams for Chinese, words and
word bigrams for English, sublinear tf, smoothed idf, unit rows, so the cosine of two texts is the
dot product of their rows.

:func:`same_measure_pairs` suggests pairs of reforms of *different* bases whose cosine is at
least ``threshold``; an analyst confirms or rejects each suggestion. :func:`query_scores`
ranks texts against a search query.
"""

import numpy as np

from mieval.core.matching.exchange import tfidf_matrix

#: Cosine from which two reforms are suggested as the same measure. Rewordings of one policy
#: in the demo score 0.45-0.8; different measures of one policy area below 0.3.
SAME_MEASURE_THRESHOLD = 0.4
#: Rows of the similarity matrix computed at a time.
BLOCK = 500


def same_measure_pairs(
    ids: list[int], bases: list, texts: list[str], threshold: float = SAME_MEASURE_THRESHOLD
) -> list[tuple[int, int, float]]:
    """Pairs of texts of different bases with cosine similarity at least ``threshold``.

    Parameters
    ----------
    ids, bases, texts : lists of equal length
        Each reform's id, its base (any comparable key) and its text.
    threshold : float
        The smallest cosine suggested, in (0, 1].

    Returns
    -------
    list of (id_a, id_b, cosine)
        ``id_a < id_b``, ordered by cosine descending, then by ids.
    """
    if not len(ids) == len(bases) == len(texts):
        raise ValueError("ids, bases and texts must have the same length")
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold {threshold!r} is not in (0, 1]")
    if len(texts) < 2:
        return []
    matrix, _ = tfidf_matrix(list(texts))
    base_keys = np.array([str(b) for b in bases], dtype=object)
    pairs = []
    # Row blocks keep memory at BLOCK x n however many reforms a campaign holds.
    for start in range(0, len(texts), BLOCK):
        cosine = (matrix[start : start + BLOCK] @ matrix.T).toarray()
        rows = np.arange(start, start + cosine.shape[0])
        keep = (
            (rows[:, None] < np.arange(len(texts))[None, :])
            & (base_keys[rows][:, None] != base_keys[None, :])
            # Rounding noise of the dot product must not drop a pair at the threshold.
            & (cosine >= threshold - 1e-12)
        )
        for i, j in zip(*np.nonzero(keep), strict=True):
            a, b = sorted((ids[rows[i]], ids[j]))
            pairs.append((a, b, float(min(cosine[i, j], 1.0))))
    pairs.sort(key=lambda p: (-p[2], p[0], p[1]))
    return pairs


def query_scores(query: str, texts: list[str]) -> list[float]:
    """The cosine of each text with the query, the idf taken over the texts and the query."""
    if not texts:
        return []
    matrix, _ = tfidf_matrix([*texts, query])
    scores = matrix[:-1] @ matrix[-1].T
    return [float(x) for x in np.asarray(scores.toarray()).ravel()]
