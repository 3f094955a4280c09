"""The robust scales and z-scores shared by the data checks and the expert panels.

Expected values are worked out by hand in the comments; the MAD = 0 case uses the data of a
published question (source named next to it)."""

import doctest
import math

import numpy as np
import pytest

from mieval.core import robust
from mieval.core.robust import (
    mad_scale,
    meanad_scale,
    modified_z,
    qn_factor,
    qn_scale,
    robust_z,
)


def test_the_docstring_examples_hold():
    assert doctest.testmod(robust).failed == 0
    assert doctest.testmod(robust).attempted == 7


def test_qn_by_hand():
    # The distances between 1, 2, 4, 8, 16: 1 3 7 15 2 6 14 4 12 8; h = 5 // 2 + 1 = 3,
    # k = 3: the third smallest is 3; Qn = d_5 * 2.2219 * 3 = 0.844 * 2.2219 * 3 = 5.6258508
    assert qn_scale([1, 2, 4, 8, 16]) == pytest.approx(5.6258508, abs=1e-7)
    # n = 2: the one distance, 1; 0.399 * 2.2219 = 0.8865381
    assert qn_scale([0, 1]) == pytest.approx(0.8865381, abs=1e-7)
    assert math.isnan(qn_scale([3]))
    # Croux and Rousseeuw's factors: tabulated to 9, then n / (n + 1.4) odd, n / (n + 3.8) even
    assert [qn_factor(n) for n in (2, 5, 9)] == [0.399, 0.844, 0.872]
    assert qn_factor(11) == pytest.approx(11 / 12.4)
    assert qn_factor(10) == pytest.approx(10 / 13.8)


def test_mad_by_hand():
    # median 4; |x - 4| = 3 2 0 4 12, median 3; 3 * 1.482602 * b_5 (1.206) = 5.3640548
    assert mad_scale([1, 2, 4, 8, 16]) == pytest.approx(5.3640548, abs=1e-7)
    # b_n = n / (n - 0.8) beyond 9: ten values 0..9, median 4.5, |x - 4.5| median 2.5;
    # 2.5 * 1.482602 * 10 / 9.2 = 4.0288103
    assert mad_scale(range(10)) == pytest.approx(4.0288103, abs=1e-7)


def test_meanad_by_hand():
    # Data of https://stats.stackexchange.com/q/339932: [10] * 7 + [100]; median 10,
    # MeanAD = 90 / 8 = 11.25; 1.253314 * 11.25 = 14.0997825
    assert meanad_scale([10] * 7 + [100]) == 1.253314 * 11.25
    assert meanad_scale([7, 7, 7]) == 0.0
    # NaN is left out: median of 1, 3 is 2; MeanAD 1; all NaN gives NaN
    assert meanad_scale([1.0, np.nan, 3.0]) == 1.253314
    assert math.isnan(meanad_scale([np.nan, np.nan]))


def test_robust_z_divides_and_says_what_a_zero_scale_means():
    assert robust_z(np.array([-3.0, 0.0, 1.5]), 1.5).tolist() == [-2.0, 0.0, 1.0]
    # Per-element scales; a scale of 0: 0 stays 0, anything else is infinitely far; NaN stays
    z = robust_z(np.array([2.0, 0.0, -1.0, np.nan, 4.0]), np.array([4.0, 0.0, 0.0, 0.0, np.nan]))
    assert z[:3].tolist() == [0.5, 0.0, -math.inf]
    assert np.isnan(z[3:]).all()


def test_modified_z_by_hand():
    # Iglewicz and Hoaglin (1993): median 4; |x - 4| = 3 2 0 4 12, MAD 3;
    # M = 0.6745 (x - 4) / 3: -0.6745 -0.4496667 0 0.8993333 2.698
    assert modified_z([1, 2, 4, 8, 16]).tolist() == [
        0.6745 * -3 / 3,
        0.6745 * -2 / 3,
        0.0,
        0.6745 * 4 / 3,
        0.6745 * 12 / 3,
    ]
    assert modified_z([1, 2, 4, 8, 16]).tolist() == pytest.approx(
        [-0.6745, -0.4496667, 0.0, 0.8993333, 2.698], abs=1e-7
    )


def test_modified_z_falls_back_to_meanad_then_to_zero():
    # MAD 0 (seven 10s and a 100): 90 / (1.253314 * 11.25) = 6.3830772
    assert modified_z([10] * 7 + [100]).tolist() == [0.0] * 7 + [90 / (1.253314 * 11.25)]
    assert modified_z([10] * 7 + [100])[-1] == pytest.approx(6.3830772, abs=1e-7)
    # Every value alike: every score 0
    assert modified_z([5, 5, 5]).tolist() == [0.0, 0.0, 0.0]


def test_modified_z_leaves_nan_out():
    # Median of 1, 2, 4, 8, 16 is 4, as without the NaN; the NaN keeps a NaN score
    z = modified_z([1, np.nan, 2, 4, 8, 16])
    assert np.isnan(z[1])
    assert z[[0, 2, 3, 4, 5]].tolist() == modified_z([1, 2, 4, 8, 16]).tolist()
    assert np.isnan(modified_z([np.nan, np.nan])).all()
    assert modified_z([]).tolist() == []
