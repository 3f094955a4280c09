"""Weights against published examples (the source named next to each number)."""

import numpy as np
import pandas as pd

from mieval.core.index import weights


def long(matrix) -> pd.DataFrame:
    """Rows are units a0, a1, ..., columns criteria c0, c1, ...; as a long frame."""
    m = np.asarray(matrix, dtype=float)
    return pd.DataFrame(
        [
            {"unit": f"a{i}", "code": f"c{j}", "value": m[i, j]}
            for i in range(m.shape[0])
            for j in range(m.shape[1])
        ]
    )


def test_entropy_weights_elsayed_2017():
    # Elsayed, E. A., Dawood, A. S., Karthikeyan, R. (2017). Evaluating alternatives through the
    # application of TOPSIS method with entropy weight. Int. J. Eng. Trends Technol. 46(2),
    # 60-66; matrix and weights (6 decimals) as in pymcdm's tests (TestEntropyWeights,
    # kotbaton/pymcdm). Same convention as ours: p_ij = x_ij / sum_i x_ij on the raw values.
    matrix = [
        [7, 312, 1891, 6613, 163],
        [72, 88, 728, 941804, 1078],
        [10, 252, 2594, 3466, 117471],
        [10, 145, 980, 2371, 86329],
        [65, 54, 350, 501, 29897],
        [29, 48, 380, 912, 34051],
        [7, 476, 3300, 78470, 2212],
        [70, 87, 650, 733, 819000],
        [4, 86, 591, 3015, 103],
        [12, 79, 579, 3240, 96098],
        [21, 45, 261, 1253, 453],
        [1, 72, 530, 4333, 0.104800],
    ]
    out = weights.entropy_weights(long(matrix))
    assert out["code"].tolist() == ["c0", "c1", "c2", "c3", "c4"]
    assert [round(w, 6) for w in out["weight"]] == [
        0.104991,
        0.069124,
        0.071373,
        0.449937,
        0.304575,
    ]


def test_critic_weights_tus_adali_2019():
    # Tus, A., Aytac Adali, E. (2019). The new combination with CRITIC and WASPAS methods for
    # the time and attendance software selection problem. Opsearch 56(2), 528-538; matrix and
    # weights (3 decimals) as in pymcdm's tests (TestCRITICWeights, kotbaton/pymcdm), the
    # CRITIC of Diakoulaki, Mavrotas and Papayannakis (1995). The published weights are
    # reproduced with every criterion min-max scaled as a benefit (pymcdm's test passes no
    # criterion types): the min-max scaling of criterion c0 is not reversed, so its
    # correlations keep their sign. The standard deviation (sample, n - 1, here; population in
    # some texts) does not matter: it scales every C_j by the same factor.
    matrix = [
        [5000, 3, 3, 4, 3, 2],
        [680, 5, 3, 2, 2, 1],
        [2000, 3, 2, 3, 4, 3],
        [600, 4, 3, 1, 2, 2],
        [800, 2, 4, 3, 3, 4],
    ]
    out = weights.critic_weights(long(matrix))
    assert [round(w, 3) for w in out["weight"]] == [0.157, 0.249, 0.168, 0.121, 0.154, 0.151]


# Diakoulaki, D., Mavrotas, G., Papayannakis, L. (1995). Determining objective weights in
# multiple criteria problems: the CRITIC method. Computers & Operations Research 22(7),
# 763-770: the paper's own decision matrix (8 alternatives, 3 benefit criteria), as reproduced
# in scikit-criteria's tests (quatrope/scikit-criteria, tests/preprocessing/test_weighters.py,
# test_CRITIC_diakoulaki1995determining, and tests/preprocessing/test_scalers.py for the
# normalised matrix). The weights (8 decimals) are those scikit-criteria asserts for the
# paper's convention (min-max scaling to [0, 1], Pearson correlation); the weights as printed
# in the paper itself could not be checked against a copy of the paper.
DIAKOULAKI_1995 = [
    [61, 1.08, 4.33],
    [20.7, 0.26, 4.34],
    [16.3, 1.98, 2.53],
    [9.0, 3.29, 1.65],
    [5.4, 2.77, 2.33],
    [4.0, 4.12, 1.21],
    [-6.1, 3.52, 2.10],
    [-34.6, 3.31, 0.98],
]


def test_critic_weights_diakoulaki_1995():
    out = weights.critic_weights(long(DIAKOULAKI_1995))
    assert out["code"].tolist() == ["c0", "c1", "c2"]
    assert [round(w, 8) for w in out["weight"]] == [0.20222554, 0.48090173, 0.31687273]


def test_critic_min_max_scaling_is_the_papers():
    # The paper's scaling r_ij = (x_ij - worst_j) / (best_j - worst_j), as in scikit-criteria's
    # test_CenitDistanceMatrixScaler_diakoulaki1995determining (8 decimals).
    x = np.asarray(DIAKOULAKI_1995)
    z = (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))
    assert np.round(z[:3], 8).tolist() == [
        [1.0, 0.21243523, 0.99702381],
        [0.57845188, 0.0, 1.0],
        [0.53242678, 0.44559585, 0.46130952],
    ]
    # CRITIC on the scaled matrix gives the same weights: the scaling is inside the method.
    again = weights.critic_weights(long(z))
    assert [round(w, 8) for w in again["weight"]] == [0.20222554, 0.48090173, 0.31687273]


def test_critic_standard_deviation_convention_does_not_matter():
    # Sample (n - 1) or population (n) standard deviation: every C_j is scaled by the same
    # factor sqrt(n / (n - 1)), so the weights are the same either way.
    x = np.asarray(DIAKOULAKI_1995)
    z = (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))
    r = np.corrcoef(z, rowvar=False)
    for ddof in (0, 1):
        c = z.std(axis=0, ddof=ddof) * (1 - r).sum(axis=0)
        assert [round(w, 8) for w in c / c.sum()] == [0.20222554, 0.48090173, 0.31687273]


def test_ahp_saaty_2008_drinks():
    # Saaty, T. L. (2008). Decision making with the analytic hierarchy process. Int. J.
    # Services Sciences 1(1), 83-98: relative consumption of drinks in the USA. Weights (3
    # decimals) and CR = 0.022 with Saaty's RI(7) = 1.32, as in AHPy's tests
    # (PhilipGriffith/AHPy, test_drinks_weights_precision_3_saaty, test_drinks_cr_saaty).
    names = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"]
    # a_jk: how much more of j than of k is drunk (upper triangle; the rest is reciprocal)
    upper = {
        ("coffee", "wine"): 9,
        ("coffee", "tea"): 5,
        ("coffee", "beer"): 2,
        ("coffee", "soda"): 1,
        ("coffee", "milk"): 1,
        ("coffee", "water"): 1 / 2,
        ("wine", "tea"): 1 / 3,
        ("wine", "beer"): 1 / 9,
        ("wine", "soda"): 1 / 9,
        ("wine", "milk"): 1 / 9,
        ("wine", "water"): 1 / 9,
        ("tea", "beer"): 1 / 3,
        ("tea", "soda"): 1 / 4,
        ("tea", "milk"): 1 / 3,
        ("tea", "water"): 1 / 9,
        ("beer", "soda"): 1 / 2,
        ("beer", "milk"): 1,
        ("beer", "water"): 1 / 3,
        ("soda", "milk"): 2,
        ("soda", "water"): 1 / 2,
        ("milk", "water"): 1 / 3,
    }
    matrix = np.ones((7, 7))
    for (j, k), value in upper.items():
        matrix[names.index(j), names.index(k)] = value
    result = weights.ahp_weights(names, matrix)
    assert dict(zip(names, [round(w, 3) for w in result.weights["weight"]], strict=True)) == {
        "coffee": 0.177,
        "wine": 0.019,
        "tea": 0.042,
        "beer": 0.116,
        "soda": 0.190,
        "milk": 0.129,
        "water": 0.327,
    }
    assert round(result.cr, 3) == 0.022


def test_ahp_wang_chin_2011():
    # Wang, Y. M., Chin, K. S. (2011). A linear programming approximation to the eigenvector
    # method in the analytic hierarchy process. Information Sciences 181(23), 5240-5248;
    # matrix and eigenvector weights (4 decimals) as in pymcdm's tests (TestAHPWeights).
    matrix = [
        [1, 4, 3, 1, 3, 4],
        [1 / 4, 1, 7, 3, 1 / 5, 1],
        [1 / 3, 1 / 7, 1, 1 / 5, 1 / 5, 1 / 6],
        [1, 1 / 3, 5, 1, 1, 1 / 3],
        [1 / 3, 5, 5, 1, 1, 3],
        [1 / 4, 1, 6, 3, 1 / 3, 1],
    ]
    result = weights.ahp_weights(list("abcdef"), matrix)
    assert [round(w, 4) for w in result.weights["weight"]] == [
        0.3208,
        0.1395,
        0.0348,
        0.1285,
        0.2374,
        0.1391,
    ]
