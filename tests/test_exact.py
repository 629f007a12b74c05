"""The vectorised exact tests give scipy's own p-values, table by table."""

import numpy as np
from scipy import stats

from lagesbild.core.exact import SMALLEST_P, binom_tests, fisher_tests, poisson_rate_tests


def scipy_rate_p(a: int, b: int, ea: float, eb: float) -> float:
    """scipy's binomtest of one table as a Poisson rate test: 1.0 without crimes, never below SMALLEST_P
    (lagesbild.core.poisson.poisson_rate_test is a wrapper of poisson_rate_tests: no reference)."""
    if a + b == 0:
        return 1.0
    return float(min(1.0, max(stats.binomtest(b, a + b, eb / (ea + eb)).pvalue, SMALLEST_P)))


def _tables(rng, size):
    small = rng.integers(0, 12, size=(size, 4))
    large = rng.integers(0, 5000, size=(size, 4))
    skewed = np.column_stack([rng.integers(0, 40, size), rng.integers(0, 20000, size),
                              rng.integers(0, 40, size), rng.integers(0, 20000, size)])
    edge = np.array([[0, 0, 0, 0], [0, 5, 0, 7], [5, 0, 7, 0], [3, 3, 3, 3], [1, 0, 0, 1], [0, 1, 1, 0],
                     [10, 0, 0, 0], [50, 50, 20, 80], [274, 5000, 142, 5000]])
    return np.vstack([small, large, skewed, edge])


def test_fisher_equals_scipy_table_by_table():
    t = _tables(np.random.default_rng(7), 300)
    got = fisher_tests(*t.T)
    want = [stats.fisher_exact([[a, b], [c, d]]).pvalue for a, b, c, d in t]
    np.testing.assert_array_equal(got, want)


def test_fisher_equals_scipy_on_large_and_nearly_tied_tables():
    rng = np.random.default_rng(3)
    a, b = rng.integers(0, 3000, 200), rng.integers(0, 90000, 200)
    tables = [np.column_stack([a, b, a, b]), np.column_stack([a, b, b, a]),
              np.column_stack([a, b, a + 1, b]), np.column_stack([a, b + 1, a, b]),
              np.column_stack([a, b, rng.integers(0, 3000, 200), rng.integers(0, 90000, 200)]),
              np.array([[0, 100000, 3, 100000], [40, 10, 0, 0], [1, 2_000_000, 4, 2_000_000],
                        [2500, 40000, 2000, 41000], [9000, 3, 8000, 4]])]
    t = np.vstack(tables)
    got = fisher_tests(*t.T)
    want = [stats.fisher_exact([[a, b], [c, d]]).pvalue for a, b, c, d in t]
    np.testing.assert_array_equal(got, want)


def test_binomial_and_poisson_rates_equal_scipy_table_by_table():
    rng = np.random.default_rng(11)
    a = np.concatenate([rng.integers(0, 15, 300), rng.integers(0, 3000, 300), [0, 0, 5, 9, 1, 40]])
    b = np.concatenate([rng.integers(0, 15, 300), rng.integers(0, 3000, 300), [0, 4, 5, 0, 1, 40]])
    ea = np.concatenate([rng.choice([28, 365, 366, 320], 600), [1, 2, 1, 3, 28, 31]]).astype(float)
    eb = np.concatenate([rng.choice([28, 365, 366, 319], 600), [1, 1, 1, 7, 28, 30]]).astype(float)
    got = poisson_rate_tests(a, b, ea, eb)
    want = [scipy_rate_p(int(x), int(y), float(u), float(v)) for x, y, u, v in zip(a, b, ea, eb, strict=True)]
    np.testing.assert_array_equal(got, want)
    n = a + b
    keep = n > 0
    p = eb[keep] / (ea[keep] + eb[keep])
    np.testing.assert_array_equal(binom_tests(b[keep], n[keep], p),
                                  [stats.binomtest(int(k), int(m), float(q)).pvalue
                                   for k, m, q in zip(b[keep], n[keep], p, strict=True)])


def test_binomial_equals_scipy_on_even_spans_mirrors_and_large_counts():
    rng = np.random.default_rng(2)
    a = rng.integers(0, 5000, 400)
    b = np.concatenate([a[:100], a[100:200] + 1, np.maximum(a[200:300] - 1, 0), rng.integers(0, 5000, 100)])
    a = np.concatenate([a, [150_000, 0, 1, 60_000]])
    b = np.concatenate([b, [149_000, 1, 0, 61_000]])
    for ea, eb in ((28.0, 28.0), (365.0, 366.0), (366.0, 365.0)):
        got = poisson_rate_tests(a, b, ea, eb)
        want = [scipy_rate_p(int(x), int(y), ea, eb) for x, y in zip(a, b, strict=True)]
        np.testing.assert_array_equal(got, want)
