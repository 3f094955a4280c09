"""The scoring core against published examples, peer libraries and hand computations.

References matched:
- Shrout & Fleiss (1979), Table 2 data and the ICCs of their Table 4 (two decimals).
- Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the 4 coders x 12 units
  example with missing data (three decimals: nominal .743, ordinal .815, interval .849,
  ratio .797).
- pingouin 0.7.0 ``intraclass_corr`` and krippendorff 0.9.0 ``alpha`` on a random case, values
  computed once and written here; neither library is imported.
"""

import math

import numpy as np
import pandas as pd
import pytest

from mieval.core.panels.scoring import (
    GRADE_NAMES,
    NOTE_TEXT,
    Grade,
    GradeConfig,
    ScoreNote,
    grades_assign,
    icc_panels,
    icc_table,
    krippendorff_alpha,
    scorers_flag,
    scores_aggregate,
    scores_correct_leniency,
    scores_total,
)

nan = float("nan")


def wide_to_long(rows, unit_prefix="B", coder_prefix="E", by_coder=False):
    """Rows of a units x coders table (or coders x units with ``by_coder``) as a long frame."""
    records = []
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            unit, coder = (j, i) if by_coder else (i, j)
            records.append((f"{unit_prefix}{unit + 1}", f"{coder_prefix}{coder + 1}", value))
    return pd.DataFrame(records, columns=["base", "expert", "total"])


# ----------------------------------------------------------------------------- rubric totals

WEIGHTS = {"c1": 0.5, "c2": 0.3, "c3": 0.2}


def rubric_scores():
    return pd.DataFrame(
        [
            ("A", "E1", "P1", "c1", 80.0),
            ("A", "E1", "P1", "c2", 90.0),
            ("A", "E1", "P1", "c3", 70.0),
            ("A", "E2", "P1", "c1", 80.0),
            ("A", "E2", "P1", "c2", 90.0),
            # E2 did not score c3 on A
            ("B", "E1", "P1", "c1", 60.0),
            ("B", "E1", "P1", "c2", nan),
            ("B", "E1", "P1", "c3", 90.0),
        ],
        columns=["base", "expert", "panel", "criterion", "score"],
    )


def test_scores_total_weighted_and_rescaled_for_missing_criteria():
    # given rubric scores, one criterion missing as a row and one as NaN
    data = rubric_scores()
    before = data.copy()

    # when
    out = scores_total(data, WEIGHTS)

    # then
    assert list(out.columns) == [
        "base",
        "expert",
        "panel",
        "total",
        "n_scored",
        "n_missing",
        "weight_scored",
        "incomplete",
        "note",
    ]
    assert out[["base", "expert"]].to_numpy().tolist() == [["A", "E1"], ["A", "E2"], ["B", "E1"]]
    # A/E1: 0.5*80 + 0.3*90 + 0.2*70 = 40 + 27 + 14 = 81
    # A/E2: (0.5*80 + 0.3*90) / 0.8 = 67 / 0.8 = 83.75
    # B/E1: (0.5*60 + 0.2*90) / 0.7 = 48 / 0.7 = 68.5714...
    assert out["total"].tolist() == pytest.approx([81.0, 83.75, 48 / 0.7], abs=1e-12)
    assert out["n_scored"].tolist() == [3, 2, 2]
    assert out["n_missing"].tolist() == [0, 1, 1]
    assert out["weight_scored"].tolist() == pytest.approx([1.0, 0.8, 0.7], abs=1e-12)
    assert out["incomplete"].tolist() == [False, True, True]
    assert out["note"].tolist() == ["", "incomplete_rubric", "incomplete_rubric"]
    pd.testing.assert_frame_equal(data, before)


def test_scores_total_unnormalised_weights_give_the_same_totals():
    out = scores_total(rubric_scores(), {"c1": 5, "c2": 3, "c3": 2})
    assert out["total"].tolist() == pytest.approx([81.0, 83.75, 48 / 0.7], abs=1e-12)


def test_scores_total_refuses_a_criterion_without_weight():
    data = rubric_scores()
    data.loc[0, "criterion"] = "c9"
    with pytest.raises(ValueError, match=r"criteria \['c9'\] have no weight"):
        scores_total(data, WEIGHTS)


def test_scores_total_refuses_a_duplicate_score():
    data = pd.concat([rubric_scores(), rubric_scores().iloc[[0]]], ignore_index=True)
    with pytest.raises(ValueError, match="appears more than once"):
        scores_total(data, WEIGHTS)


def test_scores_total_refuses_negative_weights():
    with pytest.raises(ValueError, match="non-negative"):
        scores_total(rubric_scores(), {"c1": 1.0, "c2": -1.0, "c3": 1.0})


# ----------------------------------------------------------------------------- aggregation


def test_scores_aggregate_mean_trimmed_mean_median():
    # given base A with 4 experts, B with 2, C with ties
    data = pd.DataFrame(
        [
            ("A", "E1", 60.0),
            ("A", "E2", 80.0),
            ("A", "E3", 84.0),
            ("A", "E4", 96.0),
            ("B", "E1", 70.0),
            ("B", "E2", 75.0),
            ("C", "E1", 80.0),
            ("C", "E2", 80.0),
            ("C", "E3", 80.0),
            ("C", "E4", 90.0),
        ],
        columns=["base", "expert", "total"],
    )

    out = scores_aggregate(data)

    assert list(out.columns) == ["base", "n_experts", "mean", "trimmed_mean", "median", "note"]
    assert out["base"].tolist() == ["A", "B", "C"]
    assert out["n_experts"].tolist() == [4, 2, 4]
    # A: mean 320/4 = 80; trimmed (80+84)/2 = 82; median 82
    # B: 2 scores, the trimmed mean is the mean 72.5
    # C: mean 82.5; one 80 and the 90 dropped -> 80; median 80
    assert out["mean"].tolist() == [80.0, 72.5, 82.5]
    assert out["trimmed_mean"].tolist() == [82.0, 72.5, 80.0]
    assert out["median"].tolist() == [82.0, 72.5, 80.0]
    assert out["note"].tolist() == ["", "too_few_to_trim", ""]


def test_scores_aggregate_three_scores_trim_to_the_middle_one():
    data = pd.DataFrame(
        [("A", "E1", 50.0), ("A", "E2", 70.0), ("A", "E3", 100.0)],
        columns=["base", "expert", "total"],
    )
    out = scores_aggregate(data)
    assert out["trimmed_mean"].tolist() == [70.0]
    assert out["mean"].tolist() == [pytest.approx(220 / 3)]


# ----------------------------------------------------------------------------- leniency

# Exactly additive scores x = beta_b + lambda_e with sum(lambda) = 0: least squares must return
# them exactly. Panel P1 (E1, E2) scores A, B; panel P2 (E3, E4) scores C, D; anchor X is scored
# by E1 (P1) and E3 (P2). Panel P3 (E5, E6) scores F, G only: disconnected.
BETA = {"A": 70.0, "B": 80.0, "C": 75.0, "D": 85.0, "X": 78.0}
LAMBDA = {"E1": 2.0, "E2": 0.0, "E3": -1.0, "E4": -1.0}
DESIGN = [
    ("A", "E1", "P1"),
    ("A", "E2", "P1"),
    ("B", "E1", "P1"),
    ("B", "E2", "P1"),
    ("C", "E3", "P2"),
    ("C", "E4", "P2"),
    ("D", "E3", "P2"),
    ("D", "E4", "P2"),
    ("X", "E1", "P1"),
    ("X", "E3", "P2"),
]


def leniency_scores():
    rows = [(b, e, p, BETA[b] + LAMBDA[e]) for b, e, p in DESIGN]
    rows += [("F", "E5", "P3", 60.0), ("F", "E6", "P3", 70.0)]
    rows += [("G", "E5", "P3", 80.0), ("G", "E6", "P3", 94.0)]
    return pd.DataFrame(rows, columns=["base", "expert", "panel", "total"])


def test_leniency_recovers_an_additive_model_on_the_connected_panels():
    data = leniency_scores()
    before = data.copy()

    result = scores_correct_leniency(data)

    bases = result.bases.set_index("base")
    assert list(result.bases.columns) == [
        "base",
        "component",
        "n_experts",
        "raw_mean",
        "adjusted",
        "corrected",
        "note",
    ]
    for code, beta in BETA.items():
        assert bases.loc[code, "adjusted"] == pytest.approx(beta, abs=1e-9)
        assert bool(bases.loc[code, "corrected"]) is True
    # raw mean of A is 70 + (2 + 0) / 2 = 71: the lenient E1 lifted it
    assert bases.loc["A", "raw_mean"] == 71.0
    experts = result.experts.set_index("expert")
    for code, effect in LAMBDA.items():
        assert experts.loc[code, "effect"] == pytest.approx(effect, abs=1e-9)
    components = result.components
    assert list(components.columns) == [
        "component",
        "panels",
        "n_panels",
        "n_experts",
        "n_bases",
        "n_anchor_bases",
        "n_scores",
        "rmse",
        "corrected",
        "note",
    ]
    first = components.iloc[0]
    assert first["panels"] == "P1;P2"
    assert (first["n_experts"], first["n_bases"], first["n_anchor_bases"]) == (4, 5, 1)
    assert first["n_scores"] == 10
    # 10 scores - 5 bases - 4 experts + 1 constraint = 2 residual degrees of freedom, fit exact
    assert first["rmse"] == pytest.approx(0.0, abs=1e-9)
    pd.testing.assert_frame_equal(data, before)


def test_leniency_refuses_a_disconnected_panel_and_keeps_raw_scores():
    result = scores_correct_leniency(leniency_scores())

    components = result.components.set_index("panels")
    p3 = components.loc["P3"]
    assert bool(p3["corrected"]) is False
    assert p3["note"] == "panel_not_connected"
    assert p3["n_anchor_bases"] == 0
    assert math.isnan(p3["rmse"])
    bases = result.bases.set_index("base")
    # F: raw mean (60 + 70) / 2 = 65, G: (80 + 94) / 2 = 87, kept as they are
    assert bases.loc[["F", "G"], "adjusted"].tolist() == [65.0, 87.0]
    assert bases.loc[["F", "G"], "note"].tolist() == ["panel_not_connected"] * 2
    experts = result.experts.set_index("expert")
    assert experts.loc[["E5", "E6"], "effect"].isna().all()
    assert experts.loc[["E5", "E6"], "note"].tolist() == ["panel_not_connected"] * 2
    assert bases.loc["F", "component"] != bases.loc["A", "component"]


def test_leniency_hand_computed_minimal_anchor():
    # E1 (P1) scores A 80 and anchor X 70; E2 (P2) scores B 60 and X 74.
    # On X: lambda1 - lambda2 = 70 - 74 = -4, with lambda1 + lambda2 = 0 -> lambda = (-2, +2);
    # beta_X = 72, beta_A = 80 - (-2) = 82, beta_B = 60 - 2 = 58. No residual df: rmse NaN.
    data = pd.DataFrame(
        [
            ("A", "E1", "P1", 80.0),
            ("X", "E1", "P1", 70.0),
            ("B", "E2", "P2", 60.0),
            ("X", "E2", "P2", 74.0),
        ],
        columns=["base", "expert", "panel", "total"],
    )
    result = scores_correct_leniency(data)
    bases = result.bases.set_index("base")["adjusted"]
    assert bases.loc[["A", "B", "X"]].tolist() == pytest.approx([82.0, 58.0, 72.0], abs=1e-9)
    assert result.experts["effect"].tolist() == pytest.approx([-2.0, 2.0], abs=1e-9)
    assert math.isnan(result.components.loc[0, "rmse"])
    assert result.components.loc[0, "n_anchor_bases"] == 1


# ----------------------------------------------------------------------------- reliability

# Shrout & Fleiss (1979), Table 2: 6 targets x 4 judges.
SHROUT_FLEISS = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]


def test_icc_matches_shrout_fleiss_1979():
    out = icc_table(wide_to_long(SHROUT_FLEISS), "base", "expert", "total").set_index("type")
    assert list(out.reset_index().columns) == [
        "type",
        "description",
        "icc",
        "F",
        "df1",
        "df2",
        "pval",
    ]
    # Shrout & Fleiss (1979) Table 4, two decimals
    published = {"ICC1": 0.17, "ICC2": 0.29, "ICC3": 0.71, "ICC1k": 0.44, "ICC2k": 0.62}
    published["ICC3k"] = 0.91
    for kind, value in published.items():
        assert round(out.loc[kind, "icc"], 2) == value
    assert (out.loc["ICC2", "df1"], out.loc["ICC2", "df2"]) == (5, 15)
    assert (out.loc["ICC1", "df1"], out.loc["ICC1", "df2"]) == (5, 18)


# Random case (numpy default_rng(20240601), 8 bases x 4 experts, one decimal).
RANDOM_PANEL = [
    [76.3, 84.8, 83.0, 82.7],
    [70.6, 84.2, 92.0, 73.3],
    [67.4, 75.8, 67.7, 68.3],
    [66.9, 72.0, 65.6, 62.9],
    [78.5, 76.7, 81.5, 76.2],
    [78.9, 87.8, 92.8, 86.2],
    [88.0, 90.3, 91.1, 94.2],
    [82.5, 91.6, 85.1, 80.4],
]


def test_icc_matches_pingouin_on_a_random_panel():
    out = icc_table(wide_to_long(RANDOM_PANEL), "base", "expert", "total").set_index("type")
    # pingouin 0.7.0 intraclass_corr(data, "base", "expert", "total"), ICC column
    pingouin = {
        "ICC1": 0.6940964441,  # ICC(1,1)
        "ICC2": 0.7015614311,  # ICC(A,1)
        "ICC3": 0.7774501216,  # ICC(C,1)
        "ICC1k": 0.9007544319,  # ICC(1,k)
        "ICC2k": 0.9038747452,  # ICC(A,k)
        "ICC3k": 0.9332153423,  # ICC(C,k)
    }
    for kind, value in pingouin.items():
        assert out.loc[kind, "icc"] == pytest.approx(value, abs=1e-9)
    # pingouin 0.7.0: F = 14.9734989281, pval = 7.145e-07 for ICC(A,1)
    assert out.loc["ICC2", "F"] == pytest.approx(14.9734989281, abs=1e-9)
    assert out.loc["ICC2", "pval"] == pytest.approx(7.145e-07, rel=1e-3)
    assert out.loc["ICC1", "F"] == pytest.approx(10.0760166812, abs=1e-9)


def test_icc_table_refuses_incomplete_data():
    data = wide_to_long(SHROUT_FLEISS).iloc[1:]
    with pytest.raises(ValueError, match="target 'B1' lacks a rating"):
        icc_table(data, "base", "expert", "total")


def test_icc_panels_uses_each_panels_complete_data():
    # P1: Shrout & Fleiss's data plus a seventh base missing one judge (dropped);
    # P2: one base only -> no ICC.
    p1 = wide_to_long(SHROUT_FLEISS).assign(panel="P1")
    extra = pd.DataFrame(
        [("B7", "E1", 5.0), ("B7", "E2", 5.0), ("B7", "E3", 5.0)], columns=p1.columns[:3]
    ).assign(panel="P1")
    p2 = pd.DataFrame(
        [("C1", "F1", 70.0), ("C1", "F2", 75.0)], columns=["base", "expert", "total"]
    ).assign(panel="P2")
    data = pd.concat([p1, extra, p2], ignore_index=True)

    out = icc_panels(data)

    assert list(out.columns) == [
        "panel",
        "type",
        "icc",
        "F",
        "df1",
        "df2",
        "pval",
        "n_bases",
        "n_experts",
        "n_bases_dropped",
        "note",
    ]
    assert len(out) == 12
    first = out[out["panel"] == "P1"].set_index("type")
    assert round(first.loc["ICC2", "icc"], 2) == 0.29  # Shrout & Fleiss (1979)
    assert round(first.loc["ICC3k", "icc"], 2) == 0.91  # Shrout & Fleiss (1979)
    assert first["n_bases"].unique().tolist() == [6]
    assert first["n_bases_dropped"].unique().tolist() == [1]
    second = out[out["panel"] == "P2"]
    assert second["icc"].isna().all()
    assert second["note"].unique().tolist() == ["too_few_for_icc"]


# Krippendorff (2011), p. 8: 4 observers x 12 units with missing values (coders as rows).
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
]


@pytest.mark.parametrize(
    ("metric", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_alpha_matches_krippendorff_2011(metric, published):
    data = wide_to_long(KRIPPENDORFF_2011, by_coder=True)
    alpha = krippendorff_alpha(data, metric=metric)
    # Krippendorff (2011), three decimals
    assert round(alpha, 3) == published


def test_krippendorff_alpha_matches_the_krippendorff_package_on_a_random_case():
    # the random panel transposed, with 25 % of the values removed (same generator)
    coders = [
        [nan, 70.6, 67.4, 66.9, 78.5, 78.9, nan, 82.5],
        [nan, 84.2, 75.8, 72.0, 76.7, 87.8, 90.3, 91.6],
        [83.0, 92.0, 67.7, 65.6, 81.5, 92.8, nan, 85.1],
        [82.7, 73.3, 68.3, 62.9, 76.2, 86.2, 94.2, nan],
    ]
    alpha = krippendorff_alpha(wide_to_long(coders, by_coder=True), metric="interval")
    # krippendorff 0.9.0 alpha(reliability_data=coders, level_of_measurement="interval")
    assert alpha == pytest.approx(0.6788391944779788, abs=1e-12)


def test_krippendorff_alpha_refuses_an_unknown_metric():
    with pytest.raises(ValueError, match="metric 'cosine' is not one of"):
        krippendorff_alpha(wide_to_long(SHROUT_FLEISS), metric="cosine")


# ----------------------------------------------------------------------------- outlying scorers


def test_scorers_flag_modified_z():
    # given five experts on one base, scores 70 72 74 76 100 (mean 78.4);
    # d_e = x_e - mean of the others = 5/4 (x_e - 78.4): -10.5 -8 -5.5 -3 27
    # median -5.5; |d - median|: 5 2.5 0 2.5 32.5 -> MAD 2.5
    # M = 0.6745 (d + 5.5) / 2.5: -1.349 -0.6745 0 0.6745 8.76850
    data = pd.DataFrame(
        [("A", f"E{i + 1}", x) for i, x in enumerate([70.0, 72.0, 74.0, 76.0, 100.0])],
        columns=["base", "expert", "total"],
    )
    before = data.copy()

    out = scorers_flag(data)

    expected_columns = ["expert", "n_bases", "mean_deviation", "modified_z", "flagged", "note"]
    assert list(out.columns) == expected_columns
    assert out["n_bases"].tolist() == [1] * 5
    assert out["mean_deviation"].tolist() == pytest.approx([-10.5, -8, -5.5, -3, 27], abs=1e-12)
    assert out["modified_z"].tolist() == pytest.approx(
        [-1.349, -0.6745, 0.0, 0.6745, 8.7685], abs=1e-12
    )
    assert out["flagged"].tolist() == [False, False, False, False, True]
    assert len(out) == 5  # flagged, not dropped
    pd.testing.assert_frame_equal(data, before)


def test_scorers_flag_falls_back_to_mean_absolute_deviation_when_mad_is_zero():
    # E1..E4 give 80 on A, B, C; E5 gives 60. E1: 80 - (240 + 60)/4 = 5 on each base;
    # E5: 60 - 80 = -20. Deviations 5 5 5 5 -20, median 5, MAD 0;
    # MeanAD = 25/5 = 5, M_E5 = -25 / (1.253314 * 5) = -3.98942...
    rows = [(b, f"E{i + 1}", 80.0) for b in "ABC" for i in range(4)]
    rows += [(b, "E5", 60.0) for b in "ABC"]
    out = scorers_flag(pd.DataFrame(rows, columns=["base", "expert", "total"]))
    assert out["modified_z"].tolist() == pytest.approx(
        [0.0, 0.0, 0.0, 0.0, -25 / (1.253314 * 5)], abs=1e-12
    )
    assert out["flagged"].tolist() == [False, False, False, False, True]


def test_scorers_flag_notes_an_expert_with_no_shared_base():
    data = pd.DataFrame(
        [("A", "E1", 70.0), ("A", "E2", 80.0), ("A", "E3", 75.0), ("B", "E4", 60.0)],
        columns=["base", "expert", "total"],
    )
    out = scorers_flag(data).set_index("expert")
    assert out.loc["E4", "n_bases"] == 0
    assert math.isnan(out.loc["E4", "mean_deviation"])
    assert bool(out.loc["E4", "flagged"]) is False
    assert out.loc["E4", "note"] == "too_few_to_compare"


# ----------------------------------------------------------------------------- grades


def test_grades_assign_inclusive_lower_bounds_and_labels():
    config = GradeConfig(expert_weight=0.6, index_weight=0.4)
    data = pd.DataFrame(
        {
            "base": ["A", "B", "C", "D", "E", "F"],
            "expert_score": [90.0, 95.0, 80.0, 60.0, 50.0, nan],
            "index_score": [90.0, 70.0, 80.0, 60.0, 70.0, 80.0],
        }
    )

    out = grades_assign(data, config)

    assert list(out.columns) == [
        "base",
        "expert_score",
        "index_score",
        "combined",
        "grade",
        "grade_zh",
        "grade_en",
        "note",
    ]
    # A 90 (= excellent bound), B 0.6*95 + 0.4*70 = 85, C 80 (= good bound),
    # D 60 (= qualified bound), E 0.6*50 + 0.4*70 = 58, F missing expert score
    assert out["combined"].iloc[:5].tolist() == pytest.approx([90, 85, 80, 60, 58], abs=1e-12)
    assert out["grade"].tolist() == [
        "excellent",
        "good",
        "good",
        "qualified",
        "unqualified",
        "",
    ]
    assert out["grade_zh"].tolist() == ["优秀", "良好", "良好", "合格", "不合格", ""]
    assert out["grade_en"].tolist()[:2] == ["excellent", "good"]
    assert out["note"].tolist() == [""] * 5 + ["missing_score"]


def test_grades_assign_just_below_a_bound():
    data = pd.DataFrame({"base": ["A"], "expert_score": [89.99], "index_score": [89.99]})
    assert grades_assign(data)["grade"].tolist() == ["good"]


def test_grades_assign_weight_zero_needs_no_score():
    config = GradeConfig(expert_weight=1.0, index_weight=0.0)
    data = pd.DataFrame({"base": ["A"], "expert_score": [85.0], "index_score": [nan]})
    out = grades_assign(data, config)
    assert out["combined"].tolist() == [85.0]
    assert out["grade"].tolist() == ["good"]


def test_grade_config_refuses_unordered_thresholds():
    with pytest.raises(ValueError, match="strictly decreasing"):
        GradeConfig(excellent=80, good=85, qualified=60)


def test_labels_are_bilingual_data():
    assert set(GRADE_NAMES) == set(Grade)
    assert set(NOTE_TEXT) == set(ScoreNote)
    assert all(len(names) == 2 and all(names) for names in GRADE_NAMES.values())
    assert np.all([len(text) == 2 for text in NOTE_TEXT.values()])


def test_leniency_on_a_complete_crossed_design_is_the_two_way_anova():
    # Shrout & Fleiss's 6 targets x 4 judges, judges 1-2 as panel P1 and 3-4 as P2, every
    # target scored by both panels (6 anchors). In a complete two-way layout least squares gives
    # beta_b = target mean and lambda_e = judge mean - grand mean (grand mean 127/24), and the
    # residual mean square is Shrout & Fleiss's (1979, Table 2) EMS = 1.02.
    data = wide_to_long(SHROUT_FLEISS)
    data["panel"] = data["expert"].map({"E1": "P1", "E2": "P1", "E3": "P2", "E4": "P2"})

    result = scores_correct_leniency(data)

    bases = result.bases
    assert bases["adjusted"].tolist() == pytest.approx(bases["raw_mean"].tolist(), abs=1e-9)
    assert bases["raw_mean"].tolist() == pytest.approx([6, 3, 6.5, 4, 7.5, 4.75], abs=1e-12)
    grand = 127 / 24
    judge_means = [46 / 6, 15 / 6, 26 / 6, 40 / 6]
    assert result.experts["effect"].tolist() == pytest.approx(
        [m - grand for m in judge_means], abs=1e-9
    )
    component = result.components.iloc[0]
    assert (component["n_panels"], component["n_anchor_bases"]) == (2, 6)
    assert round(component["rmse"] ** 2, 2) == 1.02  # Shrout & Fleiss (1979), EMS
