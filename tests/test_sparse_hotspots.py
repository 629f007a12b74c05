"""Hot and cold spots on sparse grids (lagesbild.core.sparse_hotspots).

References: hand sums of the Poisson and negative binomial probabilities, a Monte Carlo of the null
hypothesis itself (cells drawn independently with the background's mean and variance), and random
maps, on which every hot or cold spot is false.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from shapely.geometry import box

from lagesbild.core.grid import distance_band_weights
from lagesbild.core.hotspots import classify_hotspots, gi_star, hotspots, star_weights
from lagesbild.core.sparse_hotspots import neighbourhood_p

LATTICE = np.array([[i * 200.0, j * 200.0] for i in range(27) for j in range(27)])
W = distance_band_weights(LATTICE, 300.0)  # queen neighbours
STAR = star_weights(W)


def test_p_values_equal_hand_sums():
    # a row of six cells, each with its neighbours; cell 1's neighbourhood (cells 0–2) holds 1 + 6 + 5
    # = 12, the cells outside 1, 0, 2: mean 1, sample variance 1 (not over Poisson): Poisson(3)
    star = sparse.csr_matrix(np.eye(6) + np.eye(6, k=1) + np.eye(6, k=-1))
    counts = [1, 6, 5, 1, 0, 2]
    p = neighbourhood_p(counts, star)
    upper = 1 - sum(math.exp(-3) * 3**k / math.factorial(k) for k in range(12))
    assert p[1] == pytest.approx(2 * upper, rel=1e-10)
    # cell 4's neighbourhood (3–5) holds 3; outside 1, 6, 5: mean 4, variance 7 (over Poisson), so
    # S is negative binomial with mean 12, variance 21: r = 144/9 = 16, q = 12/21
    r, q = 16.0, 12 / 21
    lower = sum(math.comb(int(r) + k - 1, k) * q**r * (1 - q) ** k for k in range(4))
    assert p[4] == pytest.approx(2 * lower, rel=1e-10)


def test_p_values_match_a_monte_carlo_of_the_null():
    # cells drawn independently from a negative binomial of mean 0.6 and variance 1.5 per cell: a
    # 9-cell neighbourhood's tail probabilities are those of the model the test uses
    rng = np.random.default_rng(3)
    m, v, k = 0.6, 1.5, 9
    r, q = m * m / (v - m), m / v
    sums = rng.negative_binomial(r, q, size=(200_000, k)).sum(axis=1)
    background = rng.negative_binomial(r, q, size=20_000)  # many cells: their mean and variance ≈ m, v
    star = sparse.lil_matrix(sparse.eye(len(background) + 1))
    star[0, 1:k] = 1  # cell 0 with 8 neighbours, whose counts are 0: the neighbourhood holds cell 0's
    star = star.tocsr()
    for observed in (0, 3, 10, 16):
        counts = np.concatenate([[observed], background]).astype(float)
        counts[1:k] = 0
        p = neighbourhood_p(counts, star)[0]
        upper, lower = (sums >= observed).mean(), (sums <= observed).mean()
        mc = min(1.0, 2 * min(upper, lower))
        tail = min(upper, lower)
        se = 2 * math.sqrt(max(tail * (1 - tail), 1e-5) / len(sums))
        assert abs(p - mc) <= 6 * se + 0.02 * mc, (observed, p, mc)


def _maps_with_a_spot(mean, reps=200, seed=11, extra=0, cell=364):
    """Share of random maps (multinomial, equal cells of a 27 × 27 lattice) with a hot or cold spot at
    90 % or more after BH; with ``extra`` crimes added to one cell, the share of maps where that cell
    is a hot spot at 95 %."""
    rng = np.random.default_rng(seed)
    found = 0
    for _ in range(reps):
        y = rng.multinomial(int(round(mean * len(LATTICE))), np.full(len(LATTICE), 1 / len(LATTICE)))
        y[cell] += extra
        bins = classify_hotspots(gi_star(y, W)["z"], neighbourhood_p(y, STAR))["gi_bin"]
        found += bool(bins.iloc[cell] >= 2) if extra else bool((bins != 0).any())
    return found / reps


@pytest.mark.parametrize("mean", [0.05, 0.3, 1.0, 5.0])
def test_random_sparse_maps_rarely_get_a_spot(mean):
    # every spot on a random map is false: with FDR at 10 % at most about 10 % of maps may get one
    # (the normal approximation gave 94 %/54 %/24 %/11 %: tests/test_hotspots.py)
    assert _maps_with_a_spot(mean) <= 0.10


@pytest.mark.parametrize(("mean", "extra"), [(0.05, 5), (0.05, 10), (0.3, 20), (1.0, 20), (5.0, 40)])
def test_a_hot_spot_at_one_address_is_found(mean, extra):
    # with the map's own variance as yardstick (as Gi* standardises) 10 extra crimes on a map of 0.05
    # per cell were found in no map: the hot spot raised its own variance
    assert _maps_with_a_spot(mean, reps=100, extra=extra) >= 0.9


def test_the_map_uses_the_discrete_test_below_20_crimes_per_cell_and_finds_a_square():
    rng = np.random.default_rng(5)
    xy = rng.uniform(0, 4000, (400, 2))  # one crime per 200 m cell on average, spread at random
    square = rng.normal(2100, 20, (25, 2))  # and 25 at one square
    both = np.vstack([xy, square])
    result = hotspots(pd.DataFrame({"x": both[:, 0], "y": both[:, 1]}), box(0, 0, 4000, 4000),
                      exclude_water=False)
    assert result.attrs["p_method"] == "negbin"
    assert "rutorna utanför" in result.attrs["fdr_note"]
    hot = result[result["gi_bin"] >= 2]
    assert "200m-E2000-N2000" in set(hot["cell_id"])
    assert (hot["z"] > 0).all()  # the same side as Gi*: above the background
    alone = hotspots(pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1]}), box(0, 0, 4000, 4000),
                     exclude_water=False)
    assert not (alone["gi_bin"] != 0).any()  # without the square: nothing


def test_degenerate_neighbourhoods_are_not_significant():
    whole = sparse.csr_matrix(np.ones((3, 3)))  # every neighbourhood is the whole grid
    assert neighbourhood_p([0, 5, 1], whole).tolist() == [1.0, 1.0, 1.0]
    alone = sparse.csr_matrix(np.eye(4))
    assert neighbourhood_p([0, 0, 0, 0], alone).tolist() == [1.0] * 4  # no crime anywhere
