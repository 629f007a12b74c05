"""Tests for lagesbild.core.kde: the kernel density surface against direct kernel sums and scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from shapely.geometry import Polygon, box

from lagesbild.core.kde import bandwidth_rule, kde_surface

AREA = box(674_000, 6_580_000, 678_000, 6_583_000)


def direct_density(px, py, gx, gy, h):
    """Sum of isotropic Gaussian kernels at the grid points, in points per km² (coordinates in metres)."""
    d2 = (gx[..., None] - px) ** 2 + (gy[..., None] - py) ** 2
    return np.exp(-d2 / (2 * h**2)).sum(-1) / (2 * math.pi * (h / 1000) ** 2)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), h=st.sampled_from([100.0, 180.0, 250.0]))
def test_surface_equals_direct_kernel_sum_for_points_on_raster_centres(seed, h):
    rng = np.random.default_rng(seed)
    # points on raster centres well inside the area: binning is then exact
    px = 674_000 + 50 * rng.integers(30, 50, 40) + 25.0
    py = 6_580_000 + 50 * rng.integers(20, 40, 40) + 25.0
    xs, ys, dens = kde_surface(px, py, AREA, bandwidth=h, cell_size=50)
    gx, gy = np.meshgrid(xs, ys)
    expected = direct_density(px, py, gx, gy, h)
    # away from the peak the truncated kernel drops mass < 1e-4 of the peak
    assert np.allclose(dens, expected, rtol=1e-3, atol=1e-3 * expected.max())


def test_random_points_are_close_to_the_exact_kde():
    rng = np.random.default_rng(1)
    px, py = rng.normal(676_000, 400, 2000), rng.normal(6_581_500, 300, 2000)
    xs, ys, dens = kde_surface(px, py, AREA, bandwidth=200, cell_size=25)
    gx, gy = np.meshgrid(xs[::8], ys[::8])
    expected = direct_density(px, py, gx, gy, 200.0)
    assert np.abs(dens[::8, ::8] - expected).max() < 0.02 * expected.max()


def test_density_integrates_to_the_number_of_points_inside():
    rng = np.random.default_rng(2)
    px, py = rng.normal(676_000, 300, 1000), rng.normal(6_581_500, 300, 1000)
    px[:10] = 690_000  # outside the area: dropped
    xs, ys, dens = kde_surface(px, py, AREA, bandwidth=150, cell_size=50)
    assert math.isclose(np.nansum(dens) * 0.05**2, 990, rel_tol=1e-3)
    assert dens.shape == (60, 80)
    assert xs[0] == 674_025 and ys[-1] == 6_582_975


def test_cells_outside_the_area_are_nan():
    triangle = Polygon([(0, 0), (1000, 0), (0, 1000)])
    xs, ys, dens = kde_surface([200.0], [200.0], triangle, bandwidth=100, cell_size=100)
    gx, gy = np.meshgrid(xs, ys)
    assert np.isnan(dens[gx + gy > 1000]).all()
    assert np.isfinite(dens[gx + gy < 1000]).all()


def test_bandwidth_rules_match_scipy_gaussian_kde_factors():
    rng = np.random.default_rng(3)
    x, y = rng.normal(0, 300, 500), rng.normal(0, 200, 500)
    sigma = math.sqrt((x.var(ddof=1) + y.var(ddof=1)) / 2)
    kde = stats.gaussian_kde(np.vstack([x, y]))
    assert math.isclose(bandwidth_rule(x, y, "scott"), sigma * kde.scotts_factor())
    assert math.isclose(bandwidth_rule(x, y, "silverman"), sigma * kde.silverman_factor())


def test_default_bandwidth_is_scott_and_fallback_for_a_single_point():
    rng = np.random.default_rng(4)
    px, py = rng.normal(676_000, 300, 300), rng.normal(6_581_500, 300, 300)
    default = kde_surface(px, py, AREA)[2]
    scott = kde_surface(px, py, AREA, bandwidth=bandwidth_rule(px, py))[2]
    assert np.allclose(default, scott, equal_nan=True)
    single = kde_surface([676_000.0], [6_581_500.0], AREA, cell_size=50)[2]
    assert math.isclose(np.nanmax(single), 1 / (2 * math.pi * 0.2**2), rel_tol=0.02)  # h = 4 × 50 m


def test_no_points_and_bad_arguments():
    assert np.nansum(kde_surface([], [], AREA)[2]) == 0
    with pytest.raises(ValueError):
        kde_surface([0.0], [0.0], AREA, bandwidth=-5)
    with pytest.raises(ValueError):
        kde_surface([0.0], [0.0], AREA, bandwidth="bad")
    with pytest.raises(ValueError, match="grader"):
        kde_surface([18.0], [59.3], box(17.9, 59.2, 18.2, 59.4))
