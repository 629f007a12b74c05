"""Exact binomial hot and cold spots on sparse grids (lagesbild.core.sparse_hotspots).

References: a Monte Carlo of crimes dealt out to cells by their land area (the null hypothesis itself),
a hand computation, and random maps (no hotspot exists on them, so any is false).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from lagesbild.core.grid import distance_band_weights
from lagesbild.core.hotspots import classify_hotspots, gi_star, hotspots, star_weights
from lagesbild.core.sparse_hotspots import binomial_p

LATTICE = np.array([[i * 200.0, j * 200.0] for i in range(27) for j in range(27)])


def test_p_values_equal_a_monte_carlo_of_crimes_dealt_out_by_land_area():
    rng = np.random.default_rng(3)
    xy = LATTICE[:225]
    land = rng.uniform(0.5, 1.0, len(xy))  # cells partly on land, as along a shore
    star = star_weights(distance_band_weights(xy, 300.0))
    share = (star @ land) / land.sum()
    total, reps = 60, 50_000
    deals = rng.multinomial(total, land / land.sum(), size=reps)  # reps × cells
    sums = deals @ star.T.toarray()  # each deal's count in every neighbourhood
    observed = np.array([0, 1, 3, 6, 9])
    for cell in (0, 17, 112):
        p = binomial_p(observed, np.full(len(observed), share[cell]), total)
        upper = (sums[:, cell][:, None] >= observed).mean(axis=0)
        lower = (sums[:, cell][:, None] <= observed).mean(axis=0)
        mc = np.minimum(1.0, 2 * np.minimum(upper, lower))
        tail = np.minimum(upper, lower)  # the Monte Carlo error is that of the smaller tail, doubled
        se = 2 * np.sqrt(np.clip(tail * (1 - tail), 1e-5, None) / reps)
        assert np.all(np.abs(p - mc) <= 5 * se + 1e-4), (cell, p, mc)


def _maps_with_a_spot(mean, reps=200, seed=11, extra=0, cell=364):
    """Share of random maps (multinomial, equal cells of a 27 × 27 lattice, queen neighbours) with a
    hot or cold spot at 90 % or more after BH; with ``extra`` crimes added to one cell, the share of
    maps where that cell is a hot spot at 95 %."""
    rng = np.random.default_rng(seed)
    w = distance_band_weights(LATTICE, 300.0)
    star = star_weights(w)
    share = np.diff(star.indptr) / len(LATTICE)
    found = 0
    for _ in range(reps):
        y = rng.multinomial(int(round(mean * len(LATTICE))), np.full(len(LATTICE), 1 / len(LATTICE)))
        y[cell] += extra
        bins = classify_hotspots(gi_star(y, w)["z"], binomial_p(star @ y, share, y.sum()))["gi_bin"]
        found += bool(bins.iloc[cell] >= 2) if extra else bool((bins != 0).any())
    return found / reps


@pytest.mark.parametrize("mean", [0.05, 0.3, 1.0, 5.0])
def test_random_sparse_maps_rarely_get_a_spot(mean):
    # every spot on a random map is false: with FDR at 10 % at most about 10 % of maps may get one
    # (the normal approximation gave 91 %/51 %/26 %/14 %: tests/test_hotspots.py)
    assert _maps_with_a_spot(mean) <= 0.10


@pytest.mark.parametrize(("mean", "extra"), [(0.3, 20), (1.0, 20), (5.0, 40)])
def test_a_hot_spot_at_one_address_is_found(mean, extra):
    assert _maps_with_a_spot(mean, reps=100, extra=extra) >= 0.9


def test_the_map_uses_the_binomial_below_20_crimes_per_cell_and_finds_a_square():
    rng = np.random.default_rng(5)
    xy = rng.uniform(0, 4000, (400, 2))  # one crime per 200 m cell on average, spread at random
    square = rng.normal(2100, 20, (25, 2))  # and 25 at one square
    both = np.vstack([xy, square])
    result = hotspots(pd.DataFrame({"x": both[:, 0], "y": both[:, 1]}), box(0, 0, 4000, 4000),
                      exclude_water=False)
    assert result.attrs["p_method"] == "binomial"
    assert "slumpvis spridning" in result.attrs["fdr_note"]
    hot = result[result["gi_bin"] >= 2]
    assert "200m-E2000-N2000" in set(hot["cell_id"])
    assert (hot["z"] > 0).all()  # the same side as Gi*: above the expected count
    alone = hotspots(pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1]}), box(0, 0, 4000, 4000),
                     exclude_water=False)
    assert not (alone["gi_bin"] != 0).any()  # without the square: nothing


def test_degenerate_neighbourhoods_are_not_significant():
    assert binomial_p([0, 3, 3], [0.0, 1.0, 0.5], 3).tolist() == [1.0, 1.0, 0.25]
    assert binomial_p([0], [0.5], 0).tolist() == [1.0]
