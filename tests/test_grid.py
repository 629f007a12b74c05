"""Tests for lagesbild.core.grid: grids, point counts and neighbour weights."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from libpysal.weights import KNN, DistanceBand
from shapely.geometry import Polygon, box

from lagesbild.core.grid import (
    cell_centroids,
    count_points,
    distance_band_weights,
    knn_weights,
    make_grid,
    neighbour_spacing,
)

# An L-shaped area with a hole, in SWEREF 99 TM near Hässelby, not aligned to any grid.
X0, Y0 = 660_130.0, 6_584_070.0
AREA = Polygon(
    [(X0 + dx, Y0 + dy) for dx, dy in [(0, 0), (1730, 0), (1730, 760), (820, 760), (820, 1490), (0, 1490)]],
    holes=[[(X0 + 300, Y0 + 300), (X0 + 520, Y0 + 300), (X0 + 520, Y0 + 610), (X0 + 300, Y0 + 610)]],
)


def brute_force_counts(grid, x, y, area):
    """Count points per cell with shapely point-in-polygon tests, one cell at a time."""
    inside_area = shapely.contains_xy(area, x, y)
    return np.array([(shapely.contains_xy(cell, x, y) & inside_area).sum() for cell in grid.geometry])


def random_points(seed, n=3000):
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = AREA.buffer(300).bounds
    return rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n)


@pytest.mark.parametrize("cell_size", [200.0, 150.0, 62.5])
def test_square_cells_are_aligned_to_the_origin_and_cover_the_area(cell_size):
    grid = make_grid(AREA, cell_size)
    bounds = grid.geometry.bounds.to_numpy()
    assert np.allclose(bounds / cell_size, np.round(bounds / cell_size))
    assert np.allclose(grid.geometry.area, cell_size**2)
    assert grid.crs.to_epsg() == 3006
    assert grid["cell_id"].is_unique
    assert AREA.difference(grid.union_all()).area < 1e-6
    assert grid.geometry.intersection(AREA).area.gt(0).all()


def test_area_share_is_the_share_of_each_cell_inside_the_area():
    grid = make_grid(AREA, 200)
    expected = grid.geometry.intersection(AREA).area / 200**2
    assert np.allclose(grid["area_share"], expected)
    assert math.isclose((grid["area_share"] * 200**2).sum(), AREA.area)
    assert (grid["area_share"] == 1.0).sum() > 0


def test_grids_of_different_areas_line_up_cell_for_cell():
    small = make_grid(box(X0 + 100, Y0 + 100, X0 + 700, Y0 + 500), 200)
    big = make_grid(AREA, 200).set_index("cell_id")
    assert set(small["cell_id"]) <= set(big.index)
    for cell_id, geom in zip(small["cell_id"], small.geometry, strict=False):
        assert geom.equals(big.loc[cell_id, "geometry"])


def test_square_cell_id_names_size_and_lower_left_corner():
    grid = make_grid(box(674_010, 6_580_010, 674_190, 6_580_190), 200)
    assert grid["cell_id"].tolist() == ["200m-E674000-N6580000"]


@pytest.mark.parametrize("cell_size", [200.0, 100.0])
def test_hex_grid_covers_the_area_with_equal_area_hexagons(cell_size):
    grid = make_grid(AREA, cell_size, "hex")
    assert AREA.difference(grid.union_all()).area < 1e-6
    assert np.allclose(grid.geometry.area, cell_size**2)
    assert np.allclose(grid["area_share"], grid.geometry.intersection(AREA).area / cell_size**2)
    # hexagons tile: no overlaps between cells
    assert math.isclose(grid.union_all().area, grid.geometry.area.sum(), rel_tol=1e-9)
    assert grid["cell_id"].is_unique


def test_hex_neighbours_are_six_at_the_lattice_spacing():
    grid = make_grid(box(0, 0, 3000, 3000), 200, "hex")
    w = distance_band_weights(cell_centroids(grid), 1.5 * neighbour_spacing(grid))
    degrees = np.asarray(w.sum(axis=1)).ravel()
    assert degrees.max() == 6
    d = np.sqrt(((cell_centroids(grid)[w.tocoo().row] - cell_centroids(grid)[w.tocoo().col]) ** 2).sum(1))
    assert np.allclose(d, 200 * math.sqrt(2 / math.sqrt(3)))


@pytest.mark.parametrize("shape", ["square", "hex"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_counts_equal_brute_force_point_in_polygon(shape, seed):
    grid = make_grid(AREA, 200, shape)
    x, y = random_points(seed)
    counts = count_points(grid, x, y)
    assert counts.tolist() == brute_force_counts(grid, x, y, AREA).tolist()
    assert counts.sum() == shapely.contains_xy(AREA, x, y).sum()


@settings(max_examples=25, deadline=None)
@given(
    shape=st.sampled_from(["square", "hex"]),
    cell_size=st.sampled_from([90.0, 150.0, 333.0]),
    seed=st.integers(0, 2**32 - 1),
)
def test_counts_equal_brute_force_for_random_grids(shape, cell_size, seed):
    grid = make_grid(AREA, cell_size, shape)
    x, y = random_points(seed, n=500)
    assert count_points(grid, x, y).tolist() == brute_force_counts(grid, x, y, AREA).tolist()


def test_count_points_without_attrs_infers_the_lattice_and_takes_the_area_argument():
    x, y = random_points(7)
    for shape in ("square", "hex"):
        grid = make_grid(AREA, 200, shape)
        bare = gpd.GeoDataFrame(grid[["cell_id", "area_share"]], geometry=grid.geometry.values, crs=3006)
        bare.attrs = {}
        assert count_points(bare, x, y, area=AREA).tolist() == count_points(grid, x, y).tolist()


def test_count_points_ignores_missing_coordinates_and_empty_input():
    grid = make_grid(AREA, 200)
    assert count_points(grid, [np.nan], [np.nan]).sum() == 0
    assert count_points(grid, [], []).tolist() == [0] * len(grid)


@pytest.mark.parametrize(
    "area, crs",
    [
        (box(18.0, 59.3, 18.1, 59.4), None),
        (box(674_000, 6_580_000, 675_000, 6_581_000), 4326),
        (gpd.GeoSeries([box(18.0, 59.3, 18.1, 59.4)], crs=4326), None),
    ],
)
def test_geographic_crs_is_refused(area, crs):
    with pytest.raises(ValueError, match="meter|grader"):
        make_grid(area, 200, crs=crs)


def test_other_metric_crs_is_reprojected_to_sweref99tm():
    area_3006 = gpd.GeoSeries([box(674_000, 6_580_000, 675_000, 6_581_000)], crs=3006)
    grid = make_grid(area_3006.to_crs(3011), 200)
    assert grid.crs.to_epsg() == 3006
    assert math.isclose((grid["area_share"] * 200**2).sum(), 1e6, rel_tol=1e-6)


def test_bad_arguments_are_refused():
    for kwargs in ({"shape": "triangle"}, {"cell_size": 0}, {"cell_size": 0.001}):
        with pytest.raises(ValueError):
            make_grid(AREA, **kwargs)
    for empty in (Polygon(), shapely.LineString([(X0, Y0), (X0 + 500, Y0)])):
        with pytest.raises(ValueError, match="tomt"):
            make_grid(empty)


def test_distance_band_equals_libpysal_distance_band():
    pts = np.random.default_rng(3).uniform(0, 2000, (150, 2))
    w = distance_band_weights(pts, 250.0)
    ref = DistanceBand(pts, threshold=250.0, binary=True, silence_warnings=True).sparse
    assert (w != ref).nnz == 0


def test_default_threshold_is_the_smallest_giving_everyone_a_neighbour():
    pts = np.random.default_rng(4).uniform(0, 2000, (80, 2))
    w = distance_band_weights(pts)
    assert np.asarray(w.sum(axis=1)).min() >= 1
    nearest = np.sort(np.sqrt(((pts[:, None] - pts[None]) ** 2).sum(-1)), axis=1)[:, 1]
    smaller = distance_band_weights(pts, nearest.max() * 0.999)
    assert np.asarray(smaller.sum(axis=1)).min() == 0


def test_square_lattice_bands_give_rook_and_queen_neighbours():
    grid = make_grid(box(0, 0, 1000, 1000), 200)
    xy = cell_centroids(grid)
    centre = int(np.flatnonzero((xy == [500, 500]).all(axis=1))[0])
    assert distance_band_weights(xy)[centre].sum() == 4
    assert distance_band_weights(xy, 1.5 * 200)[centre].sum() == 8
    assert knn_weights(xy, 8)[centre].sum() == 8


def test_knn_equals_libpysal_knn():
    pts = np.random.default_rng(5).uniform(0, 2000, (120, 2))
    for k in (1, 4, 8):
        ref = KNN(pts, k=k).sparse
        ours = knn_weights(pts, k)
        assert (ours != ref).nnz == 0
        assert np.all(np.asarray(ours.sum(axis=1)).ravel() == k)
        assert ours.diagonal().sum() == 0


def test_knn_caps_k_and_handles_tiny_inputs():
    assert knn_weights([[0, 0], [1, 0]], k=8).toarray().tolist() == [[0, 1], [1, 0]]
    assert knn_weights([[0, 0]], k=8).nnz == 0
    assert distance_band_weights([[0, 0]]).nnz == 0
