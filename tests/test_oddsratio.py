"""The conditional odds ratio and its exact interval (lagesbild.core.oddsratio), held to scipy's
``scipy.stats.contingency.odds_ratio(kind="conditional")`` and its ``confidence_interval``."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
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


def test_relative_test_gives_scipys_interval_without_overdispersion():
    r = relative_test((474, 328), (3115, 3157))
    ref = scipy_reference([[328, 474], [3157, 3115]], 0.95)
    assert all(same(x, y) for x, y in zip(
        (r["relative_ratio"], r["relative_ci_low"], r["relative_ci_high"]), ref, strict=True))
