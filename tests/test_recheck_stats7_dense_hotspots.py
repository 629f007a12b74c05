"""Dense but skewed grids: Gi*'s normal p-values were used at 20 or more crimes per cell whenever the
cells varied at most twice as much as Poisson counts. After Benjamini–Hochberg the p-values that decide
sit far in the normal tail (0.05/729 on a 27 × 27 map), where a little skew counts: cells of 25 crimes
varying 1.9 times more than Poisson counts, without any spatial pattern, had a 95 % hot or cold spot on
7.4 % of maps. Such grids now get the discrete neighbourhood test (core/sparse_hotspots.py), as sparse
and strongly overdispersed ones do; Poisson cells of 20 or more keep Gi*'s normal p-values."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from shapely.geometry import box

from lagesbild.core.hotspot_limits import discrete_p_needed
from lagesbild.core.hotspots import classify_hotspots, gi_star, hotspots
from lagesbild.core.sparse_hotspots import neighbourhood_p
from tests.test_recheck_stats7_null_rates import _queen_star

ALPHA = 0.05
SIDE = 27


def _star() -> sparse.csr_matrix:
    return _queen_star(SIDE)


def _nb(rng, mean, ratio, n):
    shape = mean / (ratio - 1)
    return rng.negative_binomial(shape, shape / (shape + mean), n)


def _spot_rate(rng, draw, reps) -> float:
    star = _star()
    weights = sparse.csr_matrix(star - sparse.eye(SIDE * SIDE))
    spots = 0
    for _ in range(reps):
        y = draw(rng)
        gi = gi_star(y, weights)
        p = neighbourhood_p(y, star) if discrete_p_needed(y) else gi["p"].to_numpy()
        spots += bool((np.abs(classify_hotspots(gi["z"].to_numpy(), p)["gi_bin"].to_numpy()) >= 2).any())
    return spots / reps


def test_random_skewed_dense_maps_get_a_spot_at_most_alpha():
    rng = np.random.default_rng(99)
    reps = 2500
    rate = _spot_rate(rng, lambda r: _nb(r, 25, 1.9, SIDE * SIDE), reps)
    assert rate <= ALPHA + 2 * np.sqrt(ALPHA * (1 - ALPHA) / reps)


def test_a_random_map_of_25_crimes_a_cell_has_no_hot_spot():
    # seeded negative-binomial cells (mean 25, variance 1.8 times it), no spatial pattern: Gi*'s normal
    # p-values made one cell a 95 % spot after BH; the discrete test finds none
    rng = np.random.default_rng(76)
    y = _nb(rng, 25, 1.9, SIDE * SIDE)
    row, col = np.divmod(np.arange(SIDE * SIDE), SIDE)
    incidents = pd.DataFrame({"x": np.repeat(100.0 + 200 * col, y), "y": np.repeat(100.0 + 200 * row, y)})
    out = hotspots(incidents, box(0, 0, 200 * SIDE, 200 * SIDE), cell_size=200.0, exclude_water=False)
    assert len(out) == SIDE * SIDE and out["count"].sum() == y.sum()
    assert out.attrs["p_method"] == "negbin"
    assert int((out["gi_bin"].abs() >= 2).sum()) == 0
    assert "normalapproximation" in out.attrs["fdr_note"]


def test_poisson_dense_maps_keep_gi_star_normal_p_values():
    # guard: 21-100 crimes a cell (the sparse rule starts below 20) varying as Poisson counts keep Gi*'s
    # normal test, which calls at most α of them
    rng = np.random.default_rng(5)
    for mean in (21, 100):
        assert not any(discrete_p_needed(rng.poisson(mean, SIDE * SIDE)) for _ in range(200))
    assert _spot_rate(rng, lambda r: r.poisson(25, SIDE * SIDE), 600) <= ALPHA + 2 * np.sqrt(ALPHA * 0.95 / 600)
