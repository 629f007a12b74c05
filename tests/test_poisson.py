"""Tests for lagesbild.core.poisson against scipy's binomtest, statsmodels and a hand implementation."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.rates import test_poisson_2indep as sm_poisson_2indep

from lagesbild.core import poisson as ps
from lagesbild.core.poisson import poisson_rate_test, verdict

UP, DOWN, NONE = ("ökning, statistiskt säkerställd", "minskning, statistiskt säkerställd",
                  "ingen säkerställd förändring")


def test_doctests():
    assert doctest.testmod(ps).failed == 0


def hand_p(count_a: int, count_b: int, exposure_a: float, exposure_b: float) -> float:
    """Exact conditional two-sided p-value written out: the probability of every outcome of the
    binomial(n, p) that is at most as likely as the observed one (with scipy's 1e-7 relative slack)."""
    n = count_a + count_b
    if n == 0:
        return 1.0
    p = exposure_b / (exposure_a + exposure_b)
    pmf = stats.binom.pmf(np.arange(n + 1), n, p)
    observed = pmf[count_b]
    return float(min(1.0, pmf[pmf <= observed * (1 + 1e-7)].sum()))


# Hässelby torg, Jan–Nov 2018 against Jan–Nov 2019 (the domain page): equal lengths, p = 1/2.
@pytest.mark.parametrize("category, a, b, significant, text", [
    ("skadegörelse", 274, 142, True, DOWN),
    ("narkotika", 32, 60, True, UP),
    ("våldsbrott", 62, 51, False, NONE),
    ("tillgrepp i butik", 60, 31, True, DOWN),
])
def test_hasselby_reference(category, a, b, significant, text):
    p = poisson_rate_test(a, b)
    assert p == pytest.approx(stats.binomtest(b, a + b, 0.5).pvalue, rel=1e-12)
    assert (p < 0.05) is significant
    assert verdict(a, b, p) == text


@pytest.mark.parametrize("a, b, ea, eb, expected", [
    (0, 0, 1, 1, 1.0),
    (0, 0, 3, 7, 1.0),
    (5, 5, 1, 1, 1.0),
    (10, 20, 1, 2, 1.0),          # rates equal: the observed count is the mode
    (0, 1, 1, 1, 1.0),            # both outcomes equally likely
    (0, 2, 1, 1, 0.5),            # P(0) + P(2) = 1/4 + 1/4
    (0, 3, 1, 1, 0.25),
    (1, 0, 1, 3, 0.25),           # p = 3/4: P(0) = 1/4 and P(1) = 3/4 > P(0)
])
def test_small_cases_by_hand(a, b, ea, eb, expected):
    assert poisson_rate_test(a, b, ea, eb) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("args", [
    (-1, 3), (1.5, 3), (3, float("nan")), (True, 3), ("3", 4), (3, 4, 0, 1), (3, 4, 1, -2),
    (3, 4, float("inf"), 1),
])
def test_rejects_bad_input(args):
    with pytest.raises(ValueError):
        poisson_rate_test(*args)


def test_accepts_numpy_integers_and_integral_floats():
    assert poisson_rate_test(np.int64(32), np.int32(60)) == poisson_rate_test(32, 60)
    assert poisson_rate_test(32.0, 60.0) == poisson_rate_test(32, 60)


def test_underflow_is_reported_as_smallest_positive():
    p = poisson_rate_test(0, 5000)
    assert p == ps.SMALLEST_P > 0


@pytest.mark.parametrize("a, b, p, alpha, ea, eb, text", [
    (10, 30, 0.001, 0.05, 1, 1, UP),
    (30, 10, 0.001, 0.05, 1, 1, DOWN),
    (30, 10, 0.04, 0.01, 1, 1, NONE),
    (30, 10, 0.05, 0.05, 1, 1, NONE),           # p must be below alpha
    (10, 15, 0.01, 0.05, 10, 20, DOWN),         # more crimes but a lower rate
    (10, 15, 0.01, 0.05, 20, 10, UP),
    (10, 10, 0.001, 0.05, 1, 1, NONE),
    (10, 30, float("nan"), 0.05, 1, 1, NONE),
])
def test_verdict_table(a, b, p, alpha, ea, eb, text):
    assert verdict(a, b, p, alpha, exposure_a=ea, exposure_b=eb) == text


def test_verdict_rejects_bad_alpha():
    with pytest.raises(ValueError, match="Signifikansnivån"):
        verdict(1, 2, 0.01, alpha=1.5)


# ---------------------------------------------------------------- hypothesis
counts = st.integers(0, 600)
exposures = st.one_of(st.just(1.0), st.integers(1, 400).map(float),
                      st.floats(0.05, 50, allow_nan=False, allow_infinity=False))


def scipy_p(a: int, b: int, ea: float, eb: float) -> float:
    """The p-value as the scalar test computed it before it used lagesbild.core.exact: scipy's binomtest
    of this one table, 1.0 without crimes, never below SMALLEST_P."""
    if a + b == 0:
        return 1.0
    return float(min(1.0, max(stats.binomtest(b, a + b, eb / (ea + eb)).pvalue, ps.SMALLEST_P)))


any_count = st.one_of(st.just(0), st.integers(0, 20), st.integers(0, 5000), st.integers(0, 10**6))
day_exposures = st.one_of(st.sampled_from([28.0, 29.0, 30.0, 31.0, 90.0, 92.0, 365.0, 366.0]), exposures)


@st.composite
def tables(draw):
    """Random tables, and the edges: zeros, equal rates, mirror images, neighbours of equal counts."""
    ea, eb = draw(day_exposures), draw(day_exposures)
    kind = draw(st.sampled_from(["random", "equal_counts", "equal_rates", "neighbours", "zero"]))
    if kind == "random":
        return draw(any_count), draw(any_count), ea, eb
    if kind == "zero":
        return (0, draw(any_count), ea, eb) if draw(st.booleans()) else (draw(any_count), 0, ea, eb)
    k = draw(st.integers(0, 10**6))
    if kind == "equal_counts":
        return k, k, ea, eb
    if kind == "neighbours":
        return k, k + draw(st.integers(-3, 3)) if k >= 3 else k, ea, ea
    da, db = draw(st.integers(1, 400)), draw(st.integers(1, 400))  # whole days: rates equal exactly
    m = draw(st.integers(0, 10**6 // max(da, db)))
    return m * da, m * db, float(da), float(db)


@settings(max_examples=600, deadline=None)
@given(tables())
def test_equals_scipy_binomtest_exactly(table):
    # the same float as scipy.stats.binomtest of the one table (the scalar implementation before
    # poisson_rate_test ran on lagesbild.core.exact), not merely close to it
    a, b, ea, eb = table
    assert poisson_rate_test(a, b, ea, eb) == scipy_p(a, b, ea, eb)


@pytest.mark.parametrize("a, b, ea, eb", [
    (0, 0, 1, 1), (0, 10**6, 1, 1), (10**6, 0, 365, 366), (10**6, 10**6, 1, 1), (10**6, 10**6 + 1, 1, 1),
    (999_999, 10**6, 28, 31), (150_000, 149_000, 365, 366), (250_000, 250_001, 1, 1), (3, 6, 1, 2),
    (30, 60, 1, 2), (60, 31, 1, 1), (274, 142, 334, 334), (10**6, 2 * 10**6, 1, 2),
])
def test_equals_scipy_binomtest_on_edges(a, b, ea, eb):
    assert poisson_rate_test(a, b, ea, eb) == scipy_p(a, b, float(ea), float(eb))


def test_counts_beyond_64_bits_are_refused():
    with pytest.raises(ValueError, match="för stora"):
        poisson_rate_test(2**62, 2**62)


@settings(max_examples=200, deadline=None)
@given(counts, counts, exposures, exposures)
def test_equals_hand_implementation(a, b, ea, eb):
    p = poisson_rate_test(a, b, ea, eb)
    # the hand sum loses relative precision far out in the tail (p near 1e-297); no verdict depends
    # on p below 1e-250, and the scipy comparison above holds to 1e-12 everywhere
    assert p == pytest.approx(max(hand_p(a, b, ea, eb), ps.SMALLEST_P), rel=1e-7, abs=1e-250)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 400), st.integers(0, 400), exposures, exposures)
def test_equals_statsmodels_exact_cond(a, b, ea, eb):
    if a + b == 0:
        return
    ref = sm_poisson_2indep(a, ea, b, eb, method="exact-cond").pvalue
    assert poisson_rate_test(a, b, ea, eb) == pytest.approx(max(ref, ps.SMALLEST_P), rel=1e-7, abs=1e-300)


@settings(max_examples=200, deadline=None)
@given(counts, counts, exposures, exposures)
def test_symmetric_and_in_unit_interval(a, b, ea, eb):
    p = poisson_rate_test(a, b, ea, eb)
    assert 0 < p <= 1
    assert p == pytest.approx(poisson_rate_test(b, a, eb, ea), rel=1e-7)
    assert p == pytest.approx(poisson_rate_test(a, b, 3 * ea, 3 * eb), rel=1e-7)  # only the ratio matters


@settings(max_examples=150, deadline=None)
@given(counts, counts)
def test_verdict_is_consistent_with_p(a, b):
    p = poisson_rate_test(a, b)
    text = verdict(a, b, p)
    if p >= 0.05 or a == b:
        assert text == NONE
    else:
        assert text == (UP if b > a else DOWN)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 200))
def test_equal_counts_never_significant(n):
    assert poisson_rate_test(n, n) == 1.0
    assert math.isclose(poisson_rate_test(n, 2 * n, 1, 2), 1.0)
