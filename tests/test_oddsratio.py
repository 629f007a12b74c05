"""The conditional odds ratio and its exact interval (lagesbild.core.oddsratio), held to scipy's
``scipy.stats.contingency.odds_ratio(kind="conditional")`` and its ``confidence_interval``."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.stats.contingency import odds_ratio

from lagesbild.core.oddsratio import conditional_odds_ratio
from lagesbild.core.relative import relative_test


def scipy_reference(table, level):
    res = odds_ratio(np.array(table), kind="conditional")
    ci = res.confidence_interval(level)
    return float(res.statistic), float(ci.low), float(ci.high)


def same(a: float, b: float) -> bool:
    return (math.isinf(a) and math.isinf(b)) or math.isclose(a, b, rel_tol=1e-7, abs_tol=1e-12)


counts = st.integers(0, 400)


@settings(max_examples=60, deadline=None)
@given(counts, counts, counts, counts, st.sampled_from([0.95, 0.99, 0.9975]))
def test_equals_scipy(a, b, c, d, level):
    table = [[a, b], [c, d]]
    if min(a + b, c + d, a + c, b + d) == 0:  # an empty row or column: relative_test answers before
        return
    ours, ref = conditional_odds_ratio(table, level), scipy_reference(table, level)
    assert all(same(x, y) for x, y in zip(ours, ref, strict=True)), (table, ours, ref)


def test_large_counts_and_the_ends_of_the_support():
    """Counts in the thousands (where scipy took 37 ms a table), a zero cell at either end."""
    for table in ([[328, 474], [3157, 3115]], [[1147, 1240], [9000, 9500]], [[0, 5], [10, 20]],
                  [[5, 0], [10, 20]], [[3, 7], [0, 12]], [[1, 1], [1, 1]]):
        ours, ref = conditional_odds_ratio(table), scipy_reference(table, 0.95)
        assert all(same(x, y) for x, y in zip(ours, ref, strict=True)), (table, ours, ref)


def _minlike_p(table, psi: float) -> float:
    """Fisher's two-sided (minlike) p-value at odds ratio psi, from scipy's noncentral hypergeometric."""
    (a, b), (c, d) = table
    dist = stats.nchypergeom_fisher(a + b + c + d, a + b, a + c, psi)
    pmf = dist.pmf(np.arange(max(0, a - d), min(a + b, a + c) + 1))
    return float(pmf[pmf <= dist.pmf(a) * (1 + 1e-7)].sum())


def test_relative_test_gives_scipys_estimate_and_the_minlike_interval_without_overdispersion():
    """The estimate is scipy's conditional one; the interval (since stats9) the odds ratios Fisher's
    minlike test does not reject, so its ends are where scipy's minlike p-value crosses 5 % (checked a
    millionth inside and outside: at an end the p-value jumps, as a count becomes as likely as the
    observed one)."""
    r = relative_test((474, 328), (3115, 3157))
    table = [[328, 474], [3157, 3115]]
    assert same(r["relative_ratio"], scipy_reference(table, 0.95)[0])
    low, high = r["relative_ci_low"], r["relative_ci_high"]
    assert _minlike_p(table, low * (1 + 1e-6)) >= 0.05 > _minlike_p(table, low * (1 - 1e-6))
    assert _minlike_p(table, high * (1 - 1e-6)) >= 0.05 > _minlike_p(table, high * (1 + 1e-6))
