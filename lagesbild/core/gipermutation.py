"""Conditional permutation p-values of Getis–Ord Gi* for grids with few crimes per cell.

The normal approximation of Gi* (:func:`lagesbild.core.hotspots.gi_star`) needs many crimes per cell:
with crimes spread at random over a 27 × 27 lattice, a third of the maps at 0.3 crimes per cell and one
in ten at 5 per cell got a hot or cold spot at 95 % after the Benjamini–Hochberg correction, which
promises at most one in twenty. The conditional permutation test (Anselin 1995; ``esda.G_Local`` with
``permutations``) needs no approximation: cell ``i`` keeps its own count, and its ``W_i − 1``
neighbours are replaced by cells drawn at random, without replacement, from the other ``n − 1``. With
binary weights, the mean and the standard deviation of the counts unchanged by a permutation, Gi* is an
increasing function of the neighbourhood sum, so the sums are compared directly.

The p-value is two-sided: ``p = min(1, 2 (min(#{s ≥ s_obs}, #{s ≤ s_obs}) + 1) / (P_i + 1))`` over the
``P_i`` permuted sums ``s`` of the cell; ties count against significance (counts tie often), so the test
keeps its level however few the crimes (esda's ``p_sim`` is the one-sided folded version of this and
counts ties only on the upper side).

As in esda's ``crand``, the random neighbour sets are drawn once and shared by all cells; a draw that
contains cell ``i`` itself is not used for ``i`` (the others are still uniform random sets of the other
cells), so each cell has ``P_i ≤ P`` permutations. The draws are seeded from the counts, so the same map
always gets the same classes.

Examples
--------
>>> from lagesbild.core.grid import distance_band_weights
>>> xy = [[i * 200.0, j * 200.0] for i in range(10) for j in range(10)]
>>> counts = np.zeros(100)
>>> counts[[44, 45, 54, 55]] = 6  # four cells with six crimes each, in one block
>>> p = gi_permutation_p(counts, distance_band_weights(xy, 300.0))
>>> bool(p[44] < 0.01), bool(p[0] == 1.0)
(True, True)
"""

from __future__ import annotations

import hashlib

import numpy as np

PERMUTATIONS = 99_999  # the smallest p is 2/100 000: BH over thousands of cells can still reject


def _draws(rng: np.random.Generator, n: int, k: int, permutations: int) -> np.ndarray:
    """``permutations`` random sets of ``k`` distinct cells out of ``n`` (rows of an int array)."""
    if k == 0:
        return np.zeros((permutations, 0), np.int64)
    if 3 * k > n:  # small grids: whole random orders
        return np.argsort(rng.random((permutations, n)), axis=1)[:, :k]
    draws = rng.integers(0, n, (permutations, k))
    while True:  # redraw the rows with a repeated cell (few when k is small next to n)
        repeated = (np.diff(np.sort(draws, axis=1), axis=1) == 0).any(axis=1)
        if not repeated.any():
            return draws
        draws[repeated] = rng.integers(0, n, (int(repeated.sum()), k))


def _seed(y: np.ndarray, card: np.ndarray) -> int:
    """A seed made from the counts and the neighbourhood sizes (the same map, the same draws)."""
    digest = hashlib.blake2b(y.tobytes() + card.astype(np.int64).tobytes(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def gi_permutation_p(counts, W, *, permutations: int = PERMUTATIONS, seed: int | None = None) -> np.ndarray:
    """Two-sided conditional permutation p-values of Gi* for each cell (see the module docstring).

    Parameters
    ----------
    counts : array-like of length n
        Incidents per cell.
    W : scipy.sparse matrix (n × n)
        Neighbour weights, treated as binary with the cell itself added (Gi*), as in
        :func:`lagesbild.core.hotspots.gi_star`.
    permutations : int
        Random neighbour sets drawn (default :data:`PERMUTATIONS`).
    seed : int or None
        Seed of the draws; None = a seed made from the counts (reproducible).

    Returns
    -------
    numpy.ndarray
        p in (0, 1]; 1 where every permuted sum equals the observed one (constant counts, or a
        neighbourhood of every cell).
    """
    from lagesbild.core.hotspots import star_weights  # hotspots uses this module

    y = np.asarray(counts, dtype=float).ravel()
    n = len(y)
    w = star_weights(W)
    if w.shape != (n, n):
        raise ValueError(f"weights are {w.shape}, counts have {n} cells")
    p = np.ones(n)
    if n < 2:
        return p
    card = np.diff(w.indptr).astype(np.int64)
    others = np.asarray(w @ y).ravel() - y  # the observed sum of each cell's neighbours
    rng = np.random.default_rng(_seed(y, card) if seed is None else seed)
    draws = _draws(rng, n, int(card.max()) - 1, permutations)
    tol = 1e-9 * max(1.0, float(np.abs(y).sum()))
    for c in np.unique(card):
        cells = np.flatnonzero(card == c)
        if c <= 1:
            continue  # no neighbours: nothing to permute, p = 1
        sets = draws[:, :c - 1]
        sums = y[sets].sum(axis=1)  # one permuted neighbour sum per draw
        order = np.sort(sums)
        obs = others[cells]
        ge = permutations - np.searchsorted(order, obs - tol, side="left")
        le = np.searchsorted(order, obs + tol, side="right")
        # draws that contain the cell itself are not used for it
        where = np.full(n, -1, np.int64)
        where[cells] = np.arange(len(cells))
        row, col = np.nonzero(where[sets] >= 0)
        own = where[sets[row, col]]
        used = np.full(len(cells), permutations, np.int64)
        np.subtract.at(used, own, 1)
        np.subtract.at(ge, own, (sums[row] >= obs[own] - tol).astype(np.int64))
        np.subtract.at(le, own, (sums[row] <= obs[own] + tol).astype(np.int64))
        p[cells] = np.minimum(1.0, 2.0 * (np.minimum(ge, le) + 1) / (used + 1))
    return p
