"""Hot and cold spots on sparse grids: an exact binomial test of each neighbourhood's count.

Gi*'s p-values (:func:`lagesbild.core.hotspots.gi_star`) come from a normal approximation to the
neighbourhood sum. With few crimes per cell that sum is far from normal (most cells are 0, a few 1 or
2), and the normal tail calls random maps "hot": a 90 % hot or cold spot in 26–91 % of random maps
below one crime per cell, after the FDR correction (module docstring of ``hotspots``).

Below ``SPARSE_MEAN_PER_CELL`` crimes per cell a cell's star neighbourhood (the cell and its
neighbours) is tested exactly instead. Under complete spatial randomness every one of the map's ``N``
crimes lands in a cell with probability proportional to the cell's land area, so the neighbourhood's
count is Binomial(``N``, its share of the land). It is the null hypothesis of the Poisson and
Bernoulli scan statistics used for sparse disease and crime clusters (Kulldorff 1997). The p-value is
two-sided: ``p = min(1, 2·min(P(S ≥ s), P(S ≤ s)))``. Its expected count ``N × share`` is Gi*'s
``x̄ · k`` for equal cells, so a neighbourhood above it has a positive z-score and is a candidate
hot spot.

Why not Gi*'s own null hypothesis made exact (the map's counts dealt out to the cells at random)?
That conditions on the counts themselves: a single cell with 180 crimes among cells with 0–12 is then
no hot spot, because some cell must hold the 180. A hot spot at one address — a square, a shopping
centre — is the commonest kind, and under spatial randomness it is one.

What the test assumes and cannot tell: equal exposure per square metre of land (no population,
visitors or land use); crimes independent of each other. Repeat crimes at one address, and crime
that clusters at every scale, make real counts vary more than the binomial allows. The test then
calls more neighbourhoods hot than a test that knew that spread would, and the map's note says so.
Above ``SPARSE_MEAN_PER_CELL`` the normal Gi*, standardised by the map's own variance, is used.
Neighbourhoods overlap, so the tests are positively dependent; the Benjamini–Hochberg correction
applied afterwards (:func:`~lagesbild.core.hotspots.classify_hotspots`) is the usual choice for such
tests (ArcGIS does the same).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

__all__ = ["binomial_p"]


def binomial_p(star_count, star_share, total: int) -> np.ndarray:
    """Two-sided exact binomial p-values of each neighbourhood's count under spatial randomness.

    Parameters
    ----------
    star_count : array-like of int
        Each cell's star-neighbourhood count (its own count and its neighbours').
    star_share : array-like of float
        Each neighbourhood's share of the grid's land area (``k / n`` for ``k`` equal cells of ``n``).
    total : int
        Crimes on the grid.

    Returns
    -------
    numpy.ndarray
        p-values; 1 where the neighbourhood is the whole grid or has no area.

    Examples
    --------
    Ten crimes on 100 equal cells; a neighbourhood of 9 cells expects 0.9 crimes. Five or more happen
    with probability Σ_{j≥5} C(10, j)·0.09^j·0.91^(10−j) = 0.0010, none with 0.91^10 = 0.389:

    >>> binomial_p([5, 0, 1], [0.09, 0.09, 0.09], 10).round(4).tolist()
    [0.002, 0.7788, 1.0]
    """
    s = np.asarray(star_count, dtype=float).ravel()
    share = np.clip(np.asarray(star_share, dtype=float).ravel(), 0.0, 1.0)
    upper = stats.binom.sf(s - 1, total, share)
    lower = stats.binom.cdf(s, total, share)
    p = np.minimum(1.0, 2.0 * np.minimum(upper, lower))
    return np.where((share > 0) & (share < 1) & (total > 0), p, 1.0)
