"""stats12 guards (passed before and after): Gi* and the grid's false discovery rate against independent
references, and the grid's degenerate cases.

esda is not installed here, so Gi* is checked against Ord & Getis (1995, eq. 3.2's star form) written
out densely with numpy: ``G*_i = (Σ_j w_ij x_j − x̄ W_i) / (S √((n Σ_j w_ij² − W_i²)/(n − 1)))`` with
``S² = Σ x²/n − x̄²`` (esda's ``G_Local(star=True, transform='B')`` uses the same). The grid's classes
are checked against statsmodels' Benjamini–Hochberg (``multipletests(method='fdr_bh')``) at 1, 5 and 10 %.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse, stats
from statsmodels.stats.multitest import multipletests

from lagesbild.core.hotspots import classify_hotspots, gi_star
from lagesbild.core.sparse_hotspots import neighbourhood_p


def _queen(rows: int, cols: int) -> np.ndarray:
    n = rows * cols
    W = np.zeros((n, n))
    for i in range(n):
        r, c = divmod(i, cols)
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                rr, cc = r + dr, c + dc
                if (dr or dc) and 0 <= rr < rows and 0 <= cc < cols:
                    W[i, rr * cols + cc] = 1.0
    return W


def _reference_gi(x: np.ndarray, W: np.ndarray) -> np.ndarray:
    n = len(x)
    ws = W.copy()
    np.fill_diagonal(ws, 1.0)
    xbar = x.sum() / n
    s = np.sqrt((x**2).sum() / n - xbar**2)
    wi, w2 = ws.sum(axis=1), (ws**2).sum(axis=1)
    denom = s * np.sqrt((n * w2 - wi**2) / (n - 1))
    # a neighbourhood of every cell (the middle of 3 × 3) is undefined (esda: NaN): z 0
    return np.divide(ws @ x - xbar * wi, denom, out=np.zeros(n), where=denom > 0)


@settings(max_examples=60, deadline=None)
@given(st.integers(3, 7), st.integers(3, 7), st.integers(0, 2**32 - 1), st.floats(0.2, 30.0))
def test_gi_star_equals_ord_getis(rows, cols, seed, mean):
    rng = np.random.default_rng(seed)
    x = rng.poisson(mean, rows * cols).astype(float)
    x[rng.integers(rows * cols)] += rng.integers(0, 20)
    W = _queen(rows, cols)
    got = gi_star(x, sparse.csr_matrix(W))
    if np.all(x == x[0]):  # undefined (esda: NaN): z 0, p 1
        assert (got["z"] == 0).all() and (got["p"] == 1).all()
        return
    want = _reference_gi(x, W)
    assert np.allclose(got["z"], want, atol=1e-10)
    assert np.allclose(got["p"], 2 * stats.norm.sf(np.abs(want)), atol=1e-12)


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(5, 300), st.floats(0.0, 1.0))
def test_grid_classes_are_benjamini_hochberg(seed, n, share_small):
    rng = np.random.default_rng(seed)
    p = np.where(rng.random(n) < share_small, rng.uniform(0, 0.01, n), rng.uniform(0, 1, n))
    z = rng.choice([-1.0, 1.0], n) * stats.norm.isf(p / 2)
    bins = classify_hotspots(z, p)["gi_bin"].to_numpy()
    for magnitude, alpha in ((3, 0.01), (2, 0.05), (1, 0.10)):
        rejected = multipletests(p, alpha=alpha, method="fdr_bh")[0]
        # a cell is at least this level exactly when BH at that level rejects it
        assert np.array_equal(np.abs(bins) >= magnitude, rejected), (magnitude, alpha)
    assert np.array_equal(np.sign(bins[bins != 0]), np.sign(z[bins != 0]))


def test_a_grid_without_crimes_has_no_spots():
    W = sparse.csr_matrix(_queen(6, 6))
    x = np.zeros(36)
    gi = gi_star(x, W)
    assert (gi["p"] == 1).all()
    assert (neighbourhood_p(x, W + sparse.eye(36)) == 1).all()
    assert (classify_hotspots(gi["z"], gi["p"])["gi_bin"] == 0).all()
