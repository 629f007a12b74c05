"""Tests for lagesbild.core.hotspots: Gi* against esda, FDR against scipy, classes, change, concentration."""

from __future__ import annotations

import math
import warnings

import esda
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from libpysal.weights import WSP, W
from scipy import sparse, stats
from shapely.geometry import Point, Polygon, box

from lagesbild.core.grid import cell_centroids, distance_band_weights, knn_weights, make_grid
from lagesbild.core.hotspot_change import hotspot_change
from lagesbild.core.hotspots import (
    CLASS_LABELS,
    classify_hotspots,
    concentration,
    fdr_adjust,
    fdr_critical_p,
    gi_star,
    hotspots,
    neighbourhood_weights,
)
from lagesbild.core.land import land_only, water

X0, Y0 = 674_130.0, 6_579_870.0
CORNERS = [(0, 0), (3100, 200), (2900, 2700), (1200, 3300), (-150, 2100)]
AREA = Polygon([(X0 + dx, Y0 + dy) for dx, dy in CORNERS])


def esda_z(counts, w_sparse, via="dict"):
    """Reference z-scores from esda.G_Local(star=True, transform='B'), weights without the diagonal.

    The libpysal W is built from the same neighbour dict (every cell listed, islands included), or
    from the sparse matrix through ``W.from_sparse`` / ``WSP``.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if via == "dict":
            csr = sparse.csr_matrix(w_sparse)
            w = W({i: csr[i].indices.tolist() for i in range(csr.shape[0])}, silence_warnings=True)
        elif via == "from_sparse":
            w = W.from_sparse(w_sparse)
        else:
            w = WSP(w_sparse).to_W(silence_warnings=True)
        g = esda.G_Local(np.asarray(counts, float), w, star=True, transform="B", permutations=0)
    return g.Zs, g.p_norm


def assert_matches_esda(counts, w_sparse, via="dict"):
    ours = gi_star(counts, w_sparse)
    ref_z, ref_p_one_sided = esda_z(counts, w_sparse, via)
    finite = np.isfinite(ref_z)
    assert np.allclose(ours["z"][finite], ref_z[finite], rtol=0, atol=1e-9)
    assert np.allclose(ours["p"][finite], 2 * ref_p_one_sided[finite], rtol=0, atol=1e-12)
    assert (ours["z"][~finite] == 0).all() and (ours["p"][~finite] == 1).all()


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("neighbourhood", ["distance", "knn", "default_band"])
@pytest.mark.parametrize("shape", ["square", "hex"])
def test_gi_star_equals_esda_on_random_counts(seed, neighbourhood, shape):
    grid = make_grid(AREA, 200, shape)
    xy = cell_centroids(grid)
    if neighbourhood == "distance":
        w, _ = neighbourhood_weights(grid, "distance")
    elif neighbourhood == "knn":
        w = knn_weights(xy, 8)
    else:
        w = distance_band_weights(xy)
    counts = np.random.default_rng(seed).poisson(np.random.default_rng(seed + 100).gamma(1.0, 3.0, len(grid)))
    assert_matches_esda(counts, w, via=["dict", "from_sparse", "wsp"][seed % 3])


@settings(max_examples=40, deadline=None)
@given(
    counts=st.lists(st.integers(0, 60), min_size=3, max_size=60),
    k=st.integers(1, 10),
    band=st.floats(1.0, 4.0),
    use_knn=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_gi_star_equals_esda_property(counts, k, band, use_knn, seed):
    n = len(counts)
    pts = np.random.default_rng(seed).uniform(0, 1000, (n, 2))
    w = knn_weights(pts, k) if use_knn else distance_band_weights(pts, band * 1000 / math.sqrt(n))
    assert_matches_esda(counts, w)


def test_gi_star_ignores_an_existing_diagonal_and_weight_values():
    pts = np.random.default_rng(9).uniform(0, 1000, (40, 2))
    w = distance_band_weights(pts, 250)
    counts = np.random.default_rng(10).poisson(4, 40)
    weighted = w.multiply(3.7).tocsr() + sparse.identity(40, format="csr")
    pd.testing.assert_frame_equal(gi_star(counts, weighted), gi_star(counts, w))


def test_gi_star_by_hand_on_a_line_of_five_cells():
    # x = 0 1 9 1 0, rook neighbours plus self; n = 5, mean 2.2, population sd S.
    x = np.array([0, 1, 9, 1, 0], float)
    mean, s = x.mean(), math.sqrt(((x - 2.2) ** 2).mean())
    neigh = [[0, 1], [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4]]
    expected = [(x[j].sum() - mean * len(j)) / (s * math.sqrt((5 * len(j) - len(j) ** 2) / 4)) for j in neigh]
    w = distance_band_weights([[i * 200.0, 0.0] for i in range(5)])
    assert np.allclose(gi_star(x, w)["z"], expected, atol=1e-12)


def test_gi_star_degenerate_inputs_are_not_significant():
    w = distance_band_weights([[i * 200.0, 0.0] for i in range(4)])
    for counts in ([0, 0, 0, 0], [3, 3, 3, 3]):
        result = gi_star(counts, w)
        assert result["z"].tolist() == [0.0] * 4 and result["p"].tolist() == [1.0] * 4
    full = gi_star([1, 5, 2], sparse.csr_matrix(np.ones((3, 3))))
    assert full["z"].tolist() == [0.0] * 3
    with pytest.raises(ValueError):
        gi_star([1, 2], w)


def test_gi_star_keeps_a_series_index():
    w = knn_weights([[0, 0], [1, 0], [5, 0]], k=1)
    counts = pd.Series([1, 4, 0], index=["a", "b", "c"])
    assert gi_star(counts, w).index.tolist() == ["a", "b", "c"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=200))
def test_fdr_adjust_equals_scipy(p):
    expected = stats.false_discovery_control(np.array(p), method="bh")
    assert np.allclose(fdr_adjust(p), expected, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=200), st.sampled_from([0.01, 0.05, 0.10]))
def test_fdr_critical_p_rejects_exactly_where_the_adjusted_p_is_below_alpha(p, alpha):
    p = np.array(p)
    rejected = p <= fdr_critical_p(p, alpha)
    adjusted = stats.false_discovery_control(p, method="bh")
    assert (rejected == (adjusted <= alpha + 1e-15)).all()


def test_fdr_critical_p_by_hand():
    p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.060, 0.074, 0.205, 0.212, 0.216]
    # m = 10. alpha 0.05: k*0.005 = .005 .010 .015 .020 ...; p(1)=.001 ok, p(2)=.008 ok, p(3)=.039 > .015 ...
    # and no later p(k) <= k*.005 (p(5)=.042 > .025, p(10)=.216 > .05): critical p = .008.
    assert fdr_critical_p(p, 0.05) == 0.008
    # alpha 0.10: k*.01: p(5)=.042 <= .05, p(7)=.074 > .07, p(6)=.060 <= .06 -> critical p = .060.
    assert fdr_critical_p(p, 0.10) == 0.060
    # alpha 0.01: k*.001: p(1)=.001 <= .001, p(2)=.008 > .002 -> .001
    assert fdr_critical_p(p, 0.01) == 0.001
    assert fdr_critical_p([0.5, 0.9], 0.05) == 0.0


def test_classify_without_fdr_uses_the_arcgis_confidence_levels():
    z = [3.0, 2.6, 2.0, 1.7, 1.0, -1.7, -2.0, -3.0]
    p = 2 * stats.norm.sf(np.abs(z))
    result = classify_hotspots(z, p, fdr=False)
    assert result["gi_bin"].tolist() == [3, 3, 2, 1, 0, -1, -2, -3]
    assert result["klass"].tolist() == [CLASS_LABELS[b] for b in [3, 3, 2, 1, 0, -1, -2, -3]]
    assert CLASS_LABELS[3] == "Het punkt – 99 % konfidens"
    assert CLASS_LABELS[0] == "Ej signifikant"
    assert CLASS_LABELS[-1] == "Kall punkt – 90 % konfidens"


def test_classify_with_fdr_by_hand():
    p = np.array([0.001, 0.008, 0.039, 0.041, 0.042, 0.060, 0.074, 0.205, 0.212, 0.216])
    z = np.array([1, -1, 1, 1, -1, 1, 1, 1, 1, -1]) * stats.norm.isf(p / 2)
    # critical p (test above): 99 % .001, 95 % .008, 90 % .060
    expected = [3, -2, 1, 1, -1, 1, 0, 0, 0, 0]
    assert classify_hotspots(z, p)["gi_bin"].tolist() == expected


def test_classify_with_fdr_equals_adjusted_p_against_alpha():
    rng = np.random.default_rng(11)
    z = rng.normal(0, 2, 500)
    p = 2 * stats.norm.sf(np.abs(z))
    adjusted = stats.false_discovery_control(p)
    level = np.select([adjusted <= 0.01, adjusted <= 0.05, adjusted <= 0.10], [3, 2, 1], 0)
    assert classify_hotspots(z, p)["gi_bin"].tolist() == (level * np.sign(z)).astype(int).tolist()


def planted_incidents(seed=0):
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = AREA.bounds
    background = np.column_stack([rng.uniform(minx, maxx, 3000), rng.uniform(miny, maxy, 3000)])
    centre = np.array([X0 + 1500.0, Y0 + 1500.0])
    cluster = centre + rng.normal(0, 120, (600, 2))
    xy = np.vstack([background, cluster])
    ids = [f"i{i}" for i in range(len(xy))]
    return pd.DataFrame({"incident_id": ids, "x": xy[:, 0], "y": xy[:, 1]}), centre


@pytest.mark.parametrize("shape", ["square", "hex"])
@pytest.mark.parametrize("neighbourhood", ["distance", "knn"])
def test_a_planted_cluster_is_a_99_percent_hot_spot(shape, neighbourhood):
    incidents, centre = planted_incidents()
    result = hotspots(incidents, AREA, shape=shape, neighbourhood=neighbourhood)
    centre_cell = result[result.geometry.contains(Point(*centre))].iloc[0]
    assert centre_cell["gi_bin"] == 3
    assert centre_cell["klass"] == "Het punkt – 99 % konfidens"
    far = result.geometry.centroid.distance(Point(*centre)) > 800
    assert (result.loc[far, "gi_bin"] < 3).all()
    assert list(result.columns) == ["cell_id", "count", "area_share", "z", "p", "gi_bin", "klass", "geometry"]
    assert result.crs.to_epsg() == 3006
    kept = shapely.union_all(result.geometry.values).intersection(land_only(AREA))
    inside = gpd.GeoSeries(gpd.points_from_xy(incidents.x, incidents.y)).within(kept).sum()
    assert result["count"].sum() == inside == result.attrs["incidents"]


def test_no_cluster_gives_few_hot_spots_after_fdr():
    rng = np.random.default_rng(5)
    minx, miny, maxx, maxy = AREA.bounds
    xy = rng.uniform([minx, miny], [maxx, maxy], (4000, 2))
    result = hotspots(pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1]}), AREA, cell_size=250)
    assert (result["gi_bin"].abs() == 3).sum() == 0


def test_hotspots_matches_the_pieces_and_esda():
    incidents, _ = planted_incidents(1)
    result = hotspots(incidents, AREA, neighbourhood="knn", k=6, fdr=False)
    grid = make_grid(land_only(AREA), 200)
    grid = grid[grid["area_share"] >= 0.5]
    w = knn_weights(cell_centroids(grid), 6)
    ref_z, _ = esda_z(result["count"], w)
    assert np.allclose(result["z"], ref_z, atol=1e-9)
    assert result.attrs["neighbourhood"] == "6 närmaste rutor"
    with pytest.raises(ValueError):
        hotspots(incidents, AREA, neighbourhood="queen")


def test_empty_incidents_give_no_hot_spots():
    result = hotspots(pd.DataFrame({"x": [], "y": []}), AREA)
    assert (result["gi_bin"] == 0).all() and (result["count"] == 0).all()


def test_incidents_without_coordinates_are_not_counted():
    incidents = pd.DataFrame({"x": [X0 + 1000, None], "y": [Y0 + 1000, Y0 + 1000]}).astype("Float64")
    assert hotspots(incidents, AREA)["count"].sum() == 1


def cells(bins, ids="abcde"):
    return gpd.GeoDataFrame(
        {"cell_id": list(ids), "count": range(len(ids)), "gi_bin": bins},
        geometry=[box(i, 0, i + 1, 1) for i in range(len(ids))],
        crs=3006,
    )


def test_hotspot_change_by_hand():
    before = cells([3, 2, 1, 2, -3])
    after = cells([2, 1, 3, -1, 0])
    result = hotspot_change(before, after).set_index("cell_id")
    assert result["change"].to_dict() == {
        "a": "kvarstående het punkt",
        "b": "upphörd het punkt",
        "c": "ny het punkt",
        "d": "upphörd het punkt",
        "e": "ingen",
    }
    assert result.crs.to_epsg() == 3006


def test_hotspot_change_aligns_on_cell_id_not_row_order():
    before = cells([0, 0, 3], ids="abc")
    after = cells([3, 0, 0, 2], ids="dcba").iloc[::-1]
    result = hotspot_change(before, after).set_index("cell_id")
    assert result.loc["a", "change"] == "ny het punkt"  # 0 before, 2 after
    assert result.loc["b", "change"] == "ingen"
    assert result.loc["c", "change"] == "upphörd het punkt"
    assert result.loc["d", "change"] == "ny het punkt"
    assert pd.isna(result.loc["d", "gi_bin_before"])
    assert result.loc["d", "geometry"].equals(after.set_index("cell_id").loc["d", "geometry"])


def test_concentration_by_hand():
    counts = np.zeros(40, int)
    counts[:6] = [30, 20, 10, 10, 10, 5]  # total 85
    # 5 % of 40 cells = 2 cells -> 30 + 20 = 50; 10 % = 4 cells -> 30 + 20 + 10 + 10 = 70.
    assert concentration(counts) == {0.05: 50 / 85, 0.10: 70 / 85}
    # 41 cells: ceil(2.05) = 3 cells -> 60; ceil(4.1) = 5 cells -> 80 (ties among the 10s do not matter).
    assert concentration(np.append(counts, 0)) == {0.05: 60 / 85, 0.10: 80 / 85}


def test_concentration_takes_exactly_five_of_a_hundred_cells():
    counts = np.arange(100, 0, -1)  # 0.05 * 100 is 5.000000000000001 in floating point
    assert concentration(counts, shares=(0.05,))[0.05] == sum(range(96, 101)) / counts.sum()


def test_concentration_of_nothing_is_nan():
    result = concentration([0, 0, 0])
    assert all(math.isnan(v) for v in result.values())


# --- land only ---------------------------------------------------------------------------------
HASSELBY_BOX = box(657_000, 6_582_000, 664_000, 6_587_000)  # Hässelby-Vällingby and Lake Mälaren


def land_points(rng, n, area):
    """n points uniform over the land part of area (rejection sampling against the bundled water)."""
    land = land_only(area)
    minx, miny, maxx, maxy = area.bounds
    out = np.empty((0, 2))
    while len(out) < n:
        xy = rng.uniform([minx, miny], [maxx, maxy], (4 * n, 2))
        keep = gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1])).within(land).to_numpy()
        out = np.vstack([out, xy[keep]])
    return out[:n]


def test_water_is_not_counted_as_crime_free_land():
    rng = np.random.default_rng(3)
    xy = land_points(rng, 6000, HASSELBY_BOX)
    incidents = pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1]})
    land = hotspots(incidents, HASSELBY_BOX)
    wet = hotspots(incidents, HASSELBY_BOX, exclude_water=False)
    assert 0.1 < land.attrs["water_share"] < 0.5
    # cells wholly in water are not in the land grid
    assert len(land) < len(wet)
    assert not land.geometry.within(water()).any()
    # random crime on land: the land grid finds (almost) nothing, the grid with water many spots
    assert (land["gi_bin"] != 0).sum() <= 5
    assert (wet["gi_bin"] != 0).sum() > 50
    assert wet["count"].sum() == 6000 and land["count"].sum() > 0.95 * 6000
    assert (land["area_share"] >= 0.5).all()
    assert "rutor testas samtidigt" in land.attrs["fdr_note"]


def test_gi_star_on_the_land_grid_equals_esda():
    rng = np.random.default_rng(4)
    xy = land_points(rng, 3000, HASSELBY_BOX)
    result = hotspots(pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1]}), HASSELBY_BOX, fdr=False)
    grid = make_grid(land_only(HASSELBY_BOX), 200)
    grid = grid[grid["area_share"] >= 0.5]
    assert list(grid["cell_id"]) == list(result["cell_id"])
    w, _ = neighbourhood_weights(grid)
    ref_z, ref_p = esda_z(result["count"], w)
    assert np.allclose(result["z"], ref_z, atol=1e-9)
    assert np.allclose(gi_star(result["count"], w)["p"], 2 * ref_p, atol=1e-9)
    # about 3 crimes per cell: the map's p-values are the discrete ones (tests/test_sparse_hotspots.py)
    assert result.attrs["p_method"] == "negbin" and result["count"].mean() < 20


def test_an_area_wholly_in_water_is_refused():
    lake = water().geoms[0] if hasattr(water(), "geoms") else water()
    inner = lake.representative_point().buffer(5)
    with pytest.raises(ValueError, match="helt i vatten"):
        hotspots(pd.DataFrame({"x": [], "y": []}), inner)


def test_a_kept_grid_gives_the_same_answer_as_a_fresh_one():
    from lagesbild.core import hotspots as hs

    area = box(0, 0, 1400, 1000)
    rng = np.random.default_rng(7)
    runs = [pd.DataFrame({"x": rng.uniform(0, 1400, n), "y": rng.uniform(0, 1000, n)}) for n in (50, 400, 0)]
    hs._lattice.cache_clear()
    first = hotspots(runs[0], area)
    first["cell_id"], first["area_share"] = "ändrad", -1.0  # a caller changing its result …
    kept = [hotspots(inc, area) for inc in runs[1:]]  # … does not reach the grid kept for the next
    assert hs._lattice.cache_info().hits == len(kept)
    for inc, got in zip(runs[1:], kept, strict=True):
        hs._lattice.cache_clear()
        fresh = hotspots(inc, area)
        pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(fresh))
        assert got.attrs == fresh.attrs


# --- sparse counts: the normal approximation of Gi* fails ---------------------------------------
def _random_maps_with_a_hotspot(mean_per_cell, reps=200, seed=11):
    """Share of maps with crimes spread at random (Poisson, the same mean in every cell of a
    27 × 27 square lattice, queen neighbours) that get at least one hot or cold spot at 95 % or more."""
    rng = np.random.default_rng(seed)
    xy = np.array([[i * 200.0, j * 200.0] for i in range(27) for j in range(27)])
    w = distance_band_weights(xy, 300.0)
    hits = 0
    for _ in range(reps):
        gi = gi_star(rng.poisson(mean_per_cell, len(xy)), w)
        hits += bool((classify_hotspots(gi["z"], gi["p"])["gi_bin"].abs() >= 2).any())
    return hits / reps


def test_sparse_grids_get_discrete_p_values_and_say_so():
    # On random maps with 0.3 crimes per cell, the normal approximation gives far more than 5 % of
    # maps a hot or cold spot at 95 % (every spot there is a false discovery): below 20 crimes per
    # cell the map's p-values are the discrete ones (tests/test_sparse_hotspots.py holds them to the
    # bound).
    assert _random_maps_with_a_hotspot(0.3) > 0.10
    rng = np.random.default_rng(5)
    xy = rng.uniform(0, 5400, (220, 2))  # about 0.3 incidents per 200 m cell
    result = hotspots(pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1]}), box(0, 0, 5400, 5400),
                      exclude_water=False)
    note = result.attrs["fdr_note"]
    assert result.attrs["p_method"] == "negbin"
    assert "rutorna utanför" in note and "0,3 brott per ruta" in note
    assert not (result["gi_bin"] != 0).any()  # a random map has no hot or cold spot


def test_dense_grid_keeps_the_fdr_note():
    assert _random_maps_with_a_hotspot(20.0) <= 0.05 + 0.03  # within simulation error of 5 %
    rng = np.random.default_rng(5)
    xy = rng.uniform(0, 2000, (2500, 2))  # 25 incidents per 200 m cell
    note = hotspots(pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1]}), box(0, 0, 2000, 2000),
                    exclude_water=False).attrs["fdr_note"]
    assert "högst" in note and "rutorna utanför" not in note
