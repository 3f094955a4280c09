# ruff: noqa: E501 -- Chinese test texts, one a line.
"""The same-measure suggestion and the query ranking: no database."""

import pytest

from mieval.core.matching.practices import query_scores, same_measure_pairs

ONE_WINDOW = "企业开办一窗通办：将企业登记、刻章、申领发票和社保登记合并为一个窗口办理，企业开办时间压缩至一个工作日。"
ONE_WINDOW_REWORDED = "企业开办一窗通办改革：企业登记、刻章、发票申领和社保登记合并在一个窗口办理，开办时间压缩到一个工作日内。"
LAND = "新型产业用地：设立新型产业用地类型，允许研发、创意、制造融合布局。"
TALENT = "高层次人才安居工程：为引进的高层次人才提供人才公寓和购房补贴。"


def test_a_chinese_near_duplicate_of_another_base_is_suggested_and_unrelated_ones_are_not():
    pairs = same_measure_pairs(
        [1, 2, 3, 4], ["R1", "U1", "E1", "R2"], [ONE_WINDOW, LAND, ONE_WINDOW_REWORDED, TALENT]
    )

    assert [(a, b) for a, b, _ in pairs] == [(1, 3)]
    assert 0.6 < pairs[0][2] < 1.0


def test_the_same_base_is_never_linked_to_itself():
    assert same_measure_pairs([1, 2], ["R1", "R1"], [ONE_WINDOW, ONE_WINDOW_REWORDED]) == []


def test_identical_texts_score_one_and_ids_are_ordered():
    pairs = same_measure_pairs([9, 4], ["R1", "U1"], [LAND, LAND])

    assert pairs == [(4, 9, pytest.approx(1.0))]


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="same length"):
        same_measure_pairs([1], ["R1", "U1"], ["a"])
    with pytest.raises(ValueError, match="threshold 0 is not in"):
        same_measure_pairs([1, 2], ["R1", "U1"], ["a", "b"], threshold=0)


def test_query_scores_rank_the_matching_text_first():
    scores = query_scores("人才公寓", [LAND, TALENT, "Venture capital for start-ups"])

    assert scores[1] > 0.1 and scores[0] == 0.0 and scores[2] == 0.0


def test_row_blocks_give_the_same_pairs(monkeypatch):
    from mieval.core.matching import practices as similarity

    texts = [ONE_WINDOW, LAND, ONE_WINDOW_REWORDED, TALENT, LAND]
    args = ([1, 2, 3, 4, 5], ["R1", "U1", "E1", "R2", "E2"], texts)
    whole = same_measure_pairs(*args)
    monkeypatch.setattr(similarity, "BLOCK", 2)

    assert same_measure_pairs(*args) == whole
    assert [(a, b) for a, b, _ in whole] == [(2, 5), (1, 3)]
