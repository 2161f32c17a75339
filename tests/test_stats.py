"""Confidence intervals across seeds: t-intervals, paired and Welch differences, equivalence."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from experiments.running.stats import Interval, diff_ci, equivalent, mean_ci

DATA = [1.0, 4.0, 5.0, 5.0, 7.0, 8.0]


def test_mean_ci_by_hand():
    n = len(DATA)
    mean = sum(DATA) / n  # 5.0
    var = sum((x - mean) ** 2 for x in DATA) / (n - 1)  # 30 / 5 = 6
    assert (mean, var) == (5.0, 6.0)
    half = sps.t.ppf(0.975, n - 1) * math.sqrt(var / n)
    ci = mean_ci(DATA)
    assert ci.estimate == pytest.approx(5.0)
    assert ci.low == pytest.approx(mean - half)
    assert ci.high == pytest.approx(mean + half)
    assert ci.n == 6 and ci.level == 0.95
    assert half == pytest.approx(2.5706 * 1.0, abs=1e-3)  # t(0.975, 5) = 2.5706, se = 1


def test_mean_ci_other_levels():
    ci90, ci99 = mean_ci(DATA, 0.90), mean_ci(DATA, 0.99)
    assert ci90.high - 5.0 == pytest.approx(sps.t.ppf(0.95, 5) * 1.0)
    assert ci99.high - 5.0 == pytest.approx(sps.t.ppf(0.995, 5) * 1.0)
    assert ci90.low > mean_ci(DATA).low > ci99.low


def test_mean_ci_needs_two_values():
    with pytest.raises(ValueError, match="at least 2"):
        mean_ci([1.0])
    with pytest.raises(ValueError):
        mean_ci([])


def test_mean_ci_constant_values():
    ci = mean_ci([0.3] * 5)
    assert ci.low == pytest.approx(0.3) and ci.high == pytest.approx(0.3)


@pytest.mark.parametrize("n", [5, 30])
def test_mean_ci_coverage(n):
    rng = np.random.default_rng(20240601)
    reps, mu = 2000, 1.5
    samples = rng.normal(mu, 2.0, size=(reps, n))
    intervals = [mean_ci(row) for row in samples]
    hits = sum(ci.low <= mu <= ci.high for ci in intervals)
    assert 0.93 <= hits / reps <= 0.97


def test_welch_coverage():
    rng = np.random.default_rng(7)
    reps, hits = 2000, 0
    for _ in range(reps):
        a = rng.normal(1.0, 1.0, size=8)
        b = rng.normal(0.4, 3.0, size=20)  # unequal variances and sizes
        ci = diff_ci(a, b)
        hits += ci.low <= 0.6 <= ci.high
    assert 0.93 <= hits / reps <= 0.97


def test_paired_diff_is_mean_ci_of_differences():
    a = np.array([0.20, 0.25, 0.31, 0.18, 0.22])
    b = np.array([0.15, 0.22, 0.30, 0.10, 0.20])
    ci = diff_ci(a, b, paired=True)
    ref = mean_ci(a - b)
    assert (ci.estimate, ci.low, ci.high, ci.n) == pytest.approx(
        (ref.estimate, ref.low, ref.high, ref.n))
    assert ci.estimate == pytest.approx(0.038)
    assert ci.excludes(0.0)


def test_paired_removes_shared_noise():
    rng = np.random.default_rng(3)
    common = rng.normal(0, 1.0, size=20)  # seed effect shared by both arms
    a = common + 0.1 + rng.normal(0, 0.01, 20)
    b = common + rng.normal(0, 0.01, 20)
    paired, welch = diff_ci(a, b, paired=True), diff_ci(a, b)
    assert paired.estimate == pytest.approx(welch.estimate)
    assert paired.excludes(0.0) and not welch.excludes(0.0)
    assert paired.high - paired.low < 0.1 * (welch.high - welch.low)


def test_welch_against_scipy():
    a = np.array([1.0, 2.0, 3.5, 4.0, 2.2])
    b = np.array([0.5, 0.9, 1.1, 0.2, 1.5, 0.7, 0.8])
    ci = diff_ci(a, b)
    res = sps.ttest_ind(a, b, equal_var=False)
    ref = res.confidence_interval(0.95)
    assert ci.estimate == pytest.approx(a.mean() - b.mean())
    assert (ci.low, ci.high) == pytest.approx((ref.low, ref.high))
    assert ci.n == 12


def test_interval_helpers():
    ci = Interval(0.5, 0.4, 0.6, 10, 0.95)
    assert not ci.excludes(0.5) and not ci.excludes(0.4) and ci.excludes(0.39)
    assert ci.within(0.3, 0.7) and ci.within(0.4, 0.6) and not ci.within(0.45, 0.7)
    assert str(ci) == "0.5000 [0.4000, 0.6000] (n=10)"


def test_equivalence():
    rng = np.random.default_rng(11)
    a = rng.normal(0.20, 0.01, size=30)
    same = a + rng.normal(0.0, 0.002, size=30)
    ok, ci = equivalent(a, same, margin=0.01, paired=True)
    assert ok and ci.level == 0.90
    assert ci.within(-0.01, 0.01)
    # a real difference larger than the margin is not equivalent
    shifted = a - 0.02 + rng.normal(0.0, 0.002, size=30)
    ok, ci = equivalent(a, shifted, margin=0.01, paired=True)
    assert not ok and ci.low > 0.01
    # too few or too noisy runs cannot show equivalence even without a difference
    noisy = a + rng.normal(0.0, 0.05, size=30)
    assert not equivalent(a[:3], noisy[:3], margin=0.01, paired=True)[0]


def test_equivalence_uses_the_90_percent_interval():
    a = np.array([0.10, 0.12, 0.11, 0.13, 0.09, 0.10])
    b = np.array([0.11, 0.10, 0.12, 0.11, 0.10, 0.11])
    ci90 = diff_ci(a, b, level=0.90, paired=True)
    # a margin between the 90% and 95% half-widths: equivalent by TOST at alpha = 0.05
    ci95 = diff_ci(a, b, level=0.95, paired=True)
    margin = (max(abs(ci90.low), abs(ci90.high)) + max(abs(ci95.low), abs(ci95.high))) / 2
    ok, ci = equivalent(a, b, margin=margin, paired=True)
    assert ok
    assert (ci.low, ci.high) == pytest.approx((ci90.low, ci90.high))
    assert not ci95.within(-margin, margin)
