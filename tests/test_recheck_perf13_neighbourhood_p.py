"""The discrete neighbourhood test's tails without scipy.stats' per-call machinery (issue #10, perf13).

``neighbourhood_p`` (``core/sparse_hotspots.py``) took its tails from ``scipy.stats.nbinom`` and
``scipy.stats.poisson`` for every cell, both distributions for every cell, each call checking and
broadcasting its arguments again (0.34 ms of a map's 1.5 ms Gi* on 222 cells). It now calls the
functions those distributions call, on the tested cells only. The reference here is the algorithm as
it was, written out with ``scipy.stats`` (the independent reference), on hypothesis-random counts and
neighbourhoods: zeros, no crime at all, one cell, fractional counts, sparse and overdispersed maps.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import sparse, stats

from lagesbild.core import sparse_hotspots
from lagesbild.core.sparse_hotspots import neighbourhood_p


def _reference_p(counts, star) -> np.ndarray:
    """The two-sided p of each star neighbourhood as the module docstring defines it, with scipy.stats'
    distributions (this is the code as it was before perf13)."""
    y = np.asarray(counts, dtype=float).ravel()
    w = sparse.csr_matrix(star, dtype=float)
    size = np.asarray(w.sum(axis=1)).ravel()
    inside, inside_sq = w @ y, w @ (y * y)
    outside = len(y) - size
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = (y.sum() - inside) / outside
        var = ((y @ y - inside_sq) - outside * mean**2) / (outside - 1)
        mu, variance = size * mean, size * var
        over = variance > mu * (1 + 1e-9)
        r = np.where(over, mu**2 / (variance - mu), 1.0)
        q = np.where(over, mu / variance, 0.5)
    upper = np.where(over, stats.nbinom.sf(inside - 1, r, q), stats.poisson.sf(inside - 1, mu))
    lower = np.where(over, stats.nbinom.cdf(inside, r, q), stats.poisson.cdf(inside, mu))
    p = np.minimum(1.0, 2.0 * np.minimum(upper, lower))
    return np.where((outside > 1) & (mu > 0), p, 1.0)


@st.composite
def maps(draw):
    """Counts on n cells and a symmetric star neighbourhood (ones on the diagonal)."""
    n = draw(st.integers(1, 40))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=4 * n))
    a = np.eye(n)
    for i, j in pairs:
        a[i, j] = a[j, i] = 1.0
    kind = draw(st.sampled_from(["zeros", "sparse", "overdispersed", "dense", "fractional", "one hot"]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if kind == "zeros":
        y = np.zeros(n)
    elif kind == "sparse":
        y = rng.poisson(draw(st.sampled_from([0.02, 0.1, 0.5])), n).astype(float)
    elif kind == "overdispersed":
        y = rng.negative_binomial(draw(st.sampled_from([0.2, 1.0, 3.0])), 0.2, n).astype(float)
    elif kind == "dense":
        y = rng.poisson(draw(st.sampled_from([5.0, 60.0, 800.0])), n).astype(float)
    elif kind == "fractional":
        y = rng.uniform(0, 4, n)
    else:
        y = np.zeros(n)
        y[rng.integers(n)] = draw(st.integers(1, 200))
    return y, sparse.csr_matrix(a)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(maps())
def test_the_p_values_are_scipy_stats_ones(case):
    y, star = case
    got, want = neighbourhood_p(y, star), _reference_p(y, star)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)
    assert ((got == 1.0) == (want == 1.0)).all()  # untested and P = 1 cells stay exactly 1


@pytest.mark.parametrize("counts", [[0, 3, 3, 3, 2], [0, 0, 0, 0, 0], [7, 0, 0, 0, 0], [1, 1, 1, 1, 1]])
def test_a_row_of_five_cells_as_scipy_stats(counts):
    star = sparse.csr_matrix(np.eye(5) + np.eye(5, k=1) + np.eye(5, k=-1))
    np.testing.assert_allclose(neighbourhood_p(counts, star), _reference_p(counts, star), rtol=1e-12, atol=0)


def test_one_cell_and_no_cells():
    assert neighbourhood_p([4], sparse.csr_matrix(np.ones((1, 1)))).tolist() == [1.0]
    assert neighbourhood_p([], sparse.csr_matrix((0, 0))).tolist() == []


def test_no_scipy_stats_distribution_is_called(monkeypatch):
    """The speed-up itself: the tails come from the special functions, not from a frozen distribution
    checking its arguments on every call (failed on the old code)."""

    def refuse(*args, **kwargs):
        raise AssertionError("scipy.stats' distribution machinery called")

    for dist in (stats.nbinom, stats.poisson):
        for method in ("sf", "cdf"):
            monkeypatch.setattr(dist, method, refuse)
    rng = np.random.default_rng(3)
    n = 30
    star = sparse.csr_matrix(np.eye(n) + np.eye(n, k=1) + np.eye(n, k=-1) + np.eye(n, k=2) + np.eye(n, k=-2))
    over = rng.negative_binomial(0.5, 0.2, n).astype(float)  # cells vary more than Poisson counts
    even = np.full(n, 2.0)
    even[5] = 6.0  # outside every neighbourhood the cells vary less than Poisson ones
    for y in (over, even):
        p = neighbourhood_p(y, star)
        assert p.shape == (n,) and ((p > 0) & (p <= 1)).all()
    monkeypatch.undo()
    np.testing.assert_allclose(neighbourhood_p(over, star), _reference_p(over, star), rtol=1e-12, atol=0)
    np.testing.assert_allclose(neighbourhood_p(even, star), _reference_p(even, star), rtol=1e-12, atol=0)


def test_the_fallback_tails_are_scipy_stats_ones_too():
    """Were scipy's private nbinom tails gone, the public betainc/betaincc give the same numbers."""
    rng = np.random.default_rng(7)
    k = np.floor(rng.uniform(0, 80, 5000))
    r, q = rng.uniform(0.01, 60, 5000), rng.uniform(0.001, 0.999, 5000)
    np.testing.assert_allclose(special_cdf(k, r, q), stats.nbinom.cdf(k, r, q), rtol=1e-12, atol=0)
    np.testing.assert_allclose(special_sf(k, r, q), stats.nbinom.sf(k, r, q), rtol=1e-12, atol=1e-300)


def special_cdf(k, r, q):
    from scipy import special

    return special.betainc(r, k + 1, q)


def special_sf(k, r, q):
    from scipy import special

    return special.betaincc(r, k + 1, q)


def test_the_tails_used_are_scipy_stats_ones():
    rng = np.random.default_rng(11)
    k = np.floor(rng.uniform(0, 80, 5000))
    r, q = rng.uniform(0.01, 60, 5000), rng.uniform(0.001, 0.999, 5000)
    np.testing.assert_allclose(sparse_hotspots._NBINOM_CDF(k, r, q), stats.nbinom.cdf(k, r, q), rtol=1e-12, atol=0)
    np.testing.assert_allclose(sparse_hotspots._NBINOM_SF(k, r, q), stats.nbinom.sf(k, r, q), rtol=1e-12, atol=1e-300)
