"""The map's category change without repeated work (issue #10, perf11) gives the same answers as before.

* Gi* (``hotspots``) keeps each area's star weights, their row sums and its cell lookup with the area's
  grid, takes its p-values from ``special.ndtr`` and builds its GeoDataFrame from arrays: the result is
  compared with esda's ``G_Local`` (z) and with the algorithm used before, assembled here from the
  public pieces (a brute-force count per cell, ``gi_star``, ``neighbourhood_p``, ``classify_hotspots``
  and geopandas' own constructor), on hypothesis-random points: none at all, all in one cell, zeros,
  a grid of one cell, square and hexagonal cells, the finer grid of a small area.
* The plan map draws each class of cells from the cells' rings worked out once (``CellShapes``):
  the traces are those of the GeoSeries of each class, as before, also for empty and multi-part cells.
* The outlines of an area are kept below the web layer (``figures.maps.kept_outlines``): a second map
  of the same places frame does not work them out again, and draws the same figure.
"""

from __future__ import annotations

import json
import warnings

import esda
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from libpysal.weights import W
from plotly.utils import PlotlyJSONEncoder
from scipy import sparse
from scipy import stats as sps
from shapely.geometry import MultiPolygon, Polygon, box

from lagesbild.core import grid as gr
from lagesbild.core import hotspots as hs
from lagesbild.core.hotspot_limits import MIN_CELLS, MIN_INCIDENTS, UNTESTED, discrete_p_needed
from lagesbild.core.sparse_hotspots import neighbourhood_p
from lagesbild.figures import maplayers, palette, planmap
from lagesbild.figures import maps as fm
from lagesbild.figures.format import fmt_int, fmt_num, fmt_p

X0, Y0 = 500_000.0, 7_400_000.0  # far from the bundled water: every cell is land


# References ----------------------------------------------------------------------------------------
def _brute_counts(grid, x, y, area) -> np.ndarray:
    """Points per cell by testing every point against every cell: inside the area (boundary included,
    as ``intersects``) and in the cell, square cells half-open (left and bottom edges in), hexagons by
    the nearest centre."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    out = np.zeros(len(grid), dtype=np.int64)
    if not len(x) or not len(grid):
        return out
    import shapely

    inside = shapely.intersects_xy(area, x, y)
    x, y = x[inside], y[inside]
    if grid.attrs["shape"] == "square":
        b = grid.geometry.bounds.to_numpy()
        hit = ((x[:, None] >= b[:, 0]) & (x[:, None] < b[:, 2]) & (y[:, None] >= b[:, 1]) & (y[:, None] < b[:, 3]))
        has = hit.any(axis=1)
        np.add.at(out, hit[has].argmax(axis=1), 1)
        return out
    every = gr._hex_cells(area.bounds, grid.attrs["cell_size"])  # every lattice centre around the area
    allc = shapely.get_coordinates(shapely.centroid(every[2]))
    near = np.argmin((x[:, None] - allc[:, 0]) ** 2 + (y[:, None] - allc[:, 1]) ** 2, axis=1)
    ids = {cid: i for i, cid in enumerate(grid["cell_id"])}
    for j in near:
        i = ids.get(every[3][j])
        if i is not None:
            out[i] += 1
    return out


def _hotspots_old(incidents, area, *, cell_size, shape, exclude_water, fit_small):
    """The result :func:`hotspots` gave before, from the public pieces (columns, classes, frame)."""
    whole = gr.metric_area(area)
    chosen = float(cell_size)
    x, y = (incidents[c].to_numpy(dtype=float, na_value=np.nan) for c in ("x", "y"))

    def grid_of(size):
        water, g, w, _text = hs._lattice(__import__("shapely").to_wkb(whole), float(size), shape, "distance", 8,
                                         None, exclude_water, 0.5)[:4]
        return water, g, w, _brute_counts(g, x, y, g.attrs["area"])

    water, grid, weights, counts = grid_of(chosen)
    finer = hs.fitted_cell_size(whole, chosen) if fit_small else chosen
    located = np.isfinite(x) & np.isfinite(y)
    import shapely

    if finer < chosen and len(counts) < MIN_CELLS and (
            counts.sum() >= MIN_INCIDENTS
            or int(shapely.contains_xy(whole, x[located], y[located]).sum()) >= MIN_INCIDENTS):
        water, grid, weights, counts = grid_of(finer)
    gi = hs.gi_star(counts, weights)
    if discrete_p_needed(counts):
        gi["p"] = neighbourhood_p(counts, hs.star_weights(weights))
    classes = hs.classify_hotspots(gi["z"], gi["p"])
    if len(counts) < MIN_CELLS:
        classes = classes.assign(gi_bin=0, klass=UNTESTED)
    return gpd.GeoDataFrame({"cell_id": grid["cell_id"], "count": counts, "area_share": grid["area_share"],
                             "z": gi["z"], "p": gi["p"], "gi_bin": classes["gi_bin"], "klass": classes["klass"]},
                            geometry=grid.geometry, crs=grid.crs)


def _esda_z(counts, weights) -> np.ndarray:
    """esda's Gi* z-scores (star, binary weights); NaN where Gi* is undefined."""
    csr = sparse.csr_matrix(weights)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = W({i: csr[i].indices.tolist() for i in range(csr.shape[0])}, silence_warnings=True)
        return esda.G_Local(np.asarray(counts, float), w, star=True, transform="B", permutations=0).Zs


# Random incidents ----------------------------------------------------------------------------------
@st.composite
def scenes(draw):
    """An area (a box, from a sliver of one cell to 14 × 14 cells), a cell size and shape, and points:
    none, all in one spot, spread, clustered, some outside the area or without coordinates."""
    size = draw(st.sampled_from([100.0, 200.0]))
    w, h = (draw(st.floats(0.3, 14.0)) * size for _ in range(2))
    ox, oy = draw(st.floats(0, 150)), draw(st.floats(0, 150))
    area = box(X0 + ox, Y0 + oy, X0 + ox + w, Y0 + oy + h)
    n = draw(st.sampled_from([0, 1, 5, 29, 30, 120, 600]))
    kind = draw(st.sampled_from(["spread", "one", "cluster"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if kind == "one":
        x = np.full(n, X0 + ox + w / 3)
        y = np.full(n, Y0 + oy + h / 3)
    else:
        x = rng.uniform(X0 + ox - 50, X0 + ox + w + 50, n)
        y = rng.uniform(Y0 + oy - 50, Y0 + oy + h + 50, n)
        if kind == "cluster" and n:
            k = n // 2
            x[:k] = rng.normal(X0 + ox + w / 2, size / 2, k)
            y[:k] = rng.normal(Y0 + oy + h / 2, size / 2, k)
    if n and draw(st.booleans()):
        x[0] = np.nan  # a crime without coordinates
    shape = draw(st.sampled_from(["square", "hex"]))
    return pd.DataFrame({"x": x, "y": y}), area, size, shape, draw(st.booleans()), draw(st.booleans())


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenes())
def test_hotspots_are_what_they_were(scene):
    incidents, area, size, shape, water, small = scene
    try:
        old = _hotspots_old(incidents, area, cell_size=size, shape=shape, exclude_water=water, fit_small=small)
    except ValueError:  # no grid at all: the code must refuse as well
        with pytest.raises(ValueError):
            hs.hotspots(incidents, area, cell_size=size, shape=shape, exclude_water=water, fit_small=small)
        return
    new = hs.hotspots(incidents, area, cell_size=size, shape=shape, exclude_water=water, fit_small=small)
    assert_geodataframe_equal(new, old, check_less_precise=False)
    assert list(new.dtypes.astype(str)) == list(old.dtypes.astype(str))
    assert new.attrs["incidents"] == int(old["count"].sum())
    # z as esda's G_Local (NaN where undefined: 0 here), p as scipy's normal tail where normal
    grid_w = hs._lattice(__import__("shapely").to_wkb(area), new.attrs["cell_size"], shape, "distance", 8, None,
                         water, 0.5)[2]
    ref = _esda_z(new["count"].to_numpy(), grid_w) if len(new) > 1 else np.array([np.nan] * len(new))
    finite = np.isfinite(ref)
    assert np.allclose(new["z"].to_numpy()[finite], ref[finite], rtol=0, atol=1e-9)
    assert (new["z"].to_numpy()[~finite] == 0).all()
    if new.attrs["p_method"] == "normal":
        assert np.array_equal(new["p"].to_numpy(), 2 * sps.norm.sf(np.abs(new["z"].to_numpy())))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=40), st.sampled_from(["band", "knn"]))
def test_gi_star_is_esda_on_random_counts(counts, kind):
    """Zeros, constant counts and one cell included (z = 0, p = 1 where esda gives NaN)."""
    n = len(counts)
    xy = np.array([[(i % 6) * 200.0, (i // 6) * 200.0] for i in range(n)])
    weights = (gr.distance_band_weights(xy, 300.0) if kind == "band" or n < 4 else gr.knn_weights(xy, 3))
    ours = hs.gi_star(counts, weights)
    ref = _esda_z(counts, weights) if n > 1 else np.array([np.nan])
    finite = np.isfinite(ref)
    assert np.allclose(ours["z"].to_numpy()[finite], ref[finite], rtol=0, atol=1e-9)
    assert (ours["z"].to_numpy()[~finite] == 0).all() and (ours["p"].to_numpy()[~finite] == 1).all()
    assert np.array_equal(ours["p"].to_numpy(), 2 * sps.norm.sf(np.abs(ours["z"].to_numpy())))


def test_an_area_s_star_weights_and_cell_lookup_are_made_once(monkeypatch):
    """A second map of the same area (another category) neither makes the star weights again nor
    finds the cells' centres again: both are kept with the area's grid."""
    area = box(X0, Y0, X0 + 2000, Y0 + 1800)
    rng = np.random.default_rng(3)
    first = pd.DataFrame({"x": rng.uniform(X0, X0 + 2000, 300), "y": rng.uniform(Y0, Y0 + 1800, 300)})
    second = pd.DataFrame({"x": rng.uniform(X0, X0 + 2000, 90), "y": rng.uniform(Y0, Y0 + 1800, 90)})
    hs._lattice.cache_clear()
    hs.hotspots(first, area)
    calls = {"star": 0, "centroid": 0}
    star, centroids = hs.star_weights, gpd.GeoSeries.centroid

    def counted_star(w):
        calls["star"] += 1
        return star(w)

    def counted_centroid(self):
        calls["centroid"] += 1
        return centroids.fget(self)

    monkeypatch.setattr(hs, "star_weights", counted_star)
    monkeypatch.setattr(gpd.GeoSeries, "centroid", property(counted_centroid))
    again = hs.hotspots(second, area)
    assert calls == {"star": 0, "centroid": 0}
    assert again["count"].sum() == 90


# The plan map's cells ------------------------------------------------------------------------------
SIDE = 200.0


@st.composite
def grids(draw):
    """Cells as :func:`hotspots` returns them, with random classes, counts, z and p; the first cell
    maybe cut into two parts or away wholly."""
    spots = draw(st.lists(st.integers(0, 63), max_size=24, unique=True))
    n = len(spots)
    geoms = [box(660000 + (i % 8) * SIDE, 6570000 + (i // 8) * SIDE,
                 660000 + (i % 8 + 1) * SIDE, 6570000 + (i // 8 + 1) * SIDE) for i in spots]
    if n:
        odd = draw(st.sampled_from(["none", "multi", "empty", "none"]))
        a = geoms[0].bounds
        if odd == "multi":
            geoms[0] = MultiPolygon([box(a[0], a[1], a[0] + 50, a[1] + 50), box(a[2] - 50, a[3] - 50, a[2], a[3])])
        elif odd == "empty":
            geoms[0] = Polygon()
    one = draw(st.sampled_from([None, -3, 0, 2, 3]))
    bins = [one] * n if one is not None else draw(st.lists(st.integers(-3, 3), min_size=n, max_size=n))
    counts = draw(st.lists(st.integers(0, 40), min_size=n, max_size=n))
    z = draw(st.lists(st.one_of(st.just(float("nan")), st.floats(-6, 6)), min_size=n, max_size=n))
    p = draw(st.lists(st.one_of(st.just(float("nan")), st.floats(0, 1)), min_size=n, max_size=n))
    return gpd.GeoDataFrame({"cell_id": [f"c{i}" for i in spots], "count": np.array(counts, dtype=np.int64),
                             "z": np.array(z, dtype=float), "p": np.array(p, dtype=float),
                             "gi_bin": np.array(bins, dtype=np.int64)}, geometry=geoms, crs=3006)


def _gi_traces_old(cells, draw) -> list:
    """The Gi* layers as drawn before: each class's cells a GeoSeries of their own."""
    traces = []
    bins, counts = cells["gi_bin"].to_numpy(), cells["count"].to_numpy()
    z, p = cells["z"].to_numpy(), cells["p"].to_numpy()
    for gi_bin, (_, colour) in palette.GI_CLASSES.items():
        label = hs.CLASS_LABELS.get(gi_bin, _)
        shown = (bins == gi_bin) & (counts > 0) if gi_bin == 0 else bins == gi_bin
        if shown.any():
            hover = [f"{fmt_int(c)} brott i rutan<br>z = {fmt_num(v, 2)}, p = {fmt_p(q)}"
                     for c, v, q in zip(counts[shown].tolist(), z[shown].tolist(), p[shown].tolist(), strict=True)]
            sub = gpd.GeoSeries(cells.geometry.array[shown], crs=cells.crs)
            traces += draw(sub, label, colour, hover, 0.35 if gi_bin == 0 else 0.8)
    return traces


def _plain(traces) -> str:
    return json.dumps(traces, cls=PlotlyJSONEncoder, sort_keys=True)


@settings(max_examples=80, deadline=None)
@given(grids())
def test_the_plan_map_draws_each_class_as_before(cells):
    assert _plain(maplayers._gi_traces(cells, planmap.cells_traces)) == _plain(_gi_traces_old(cells, planmap.cells_traces))


@settings(max_examples=60, deadline=None)
@given(grids(), st.data())
def test_a_selection_of_cells_has_the_rings_and_centres_of_those_cells(cells, data):
    shown = np.array(data.draw(st.lists(st.booleans(), min_size=len(cells), max_size=len(cells))), dtype=bool)
    chosen = planmap.CellShapes(cells.geometry.array).select(shown)
    assert chosen.xy() == planmap.xy(gpd.GeoSeries(cells.geometry.array[shown]))
    import shapely

    cent = np.round(shapely.get_coordinates(shapely.centroid(cells.geometry.array[shown])), 1)
    assert np.array_equal(chosen.centres(), cent)


# The outlines kept below the web layer -------------------------------------------------------------
def _places():
    return gpd.GeoDataFrame({"place_id": ["omr", "p1"], "name": ["Området", "Torget"],
                             "kind": ["stadsdelsomrade", "torg"]},
                            geometry=[box(660000, 6570000, 661600, 6571600), box(660400, 6570400, 660800, 6570800)],
                            crs=3006)


def test_a_second_map_of_the_same_places_uses_the_outlines_worked_out_for_the_first(monkeypatch):
    places = _places()
    rng = np.random.default_rng(1)
    grid = gpd.GeoDataFrame({"cell_id": ["a", "b"], "count": [3, 40], "z": rng.normal(size=2),
                             "p": [0.5, 0.001], "gi_bin": [0, 3], "klass": ["", ""], "area_share": [1.0, 1.0]},
                            geometry=[box(660000, 6570000, 660200, 6570200), box(660200, 6570000, 660400, 6570200)],
                            crs=3006)
    worked = {"n": 0}
    outline = planmap.outline_traces

    def counted(*args, **kwargs):
        worked["n"] += 1
        return outline(*args, **kwargs)

    first = fm.make_hotspot_map(grid, places=places, area="Området", category="Rån", periods=["2022–2023"])
    monkeypatch.setattr(planmap, "outline_traces", counted)
    second = fm.make_hotspot_map(grid, places=places, area="Området", category="Rån", periods=["2022–2023"])
    assert worked["n"] == 0
    assert _plain([first]) == _plain([second])
    # as the outlines worked out for the figure (the old path, given explicitly)
    given_ = fm.make_hotspot_map(grid, places=places, area="Området", category="Rån", periods=["2022–2023"],
                                 outlines=outline(planmap.to_3006(places), fm.PLACE_STYLE, fm.PLACE_DEFAULT))
    assert _plain([given_]) == _plain([second])
    # another frame (the next data version) is worked out anew
    fm.make_hotspot_map(grid, places=_places(), area="Området", category="Rån", periods=["2022–2023"])
    assert worked["n"] == 1



# The CRS of the map's frames -----------------------------------------------------------------------
@settings(max_examples=30, deadline=None)
@given(st.sampled_from([3006, 4326, 3857, 3011, None]), st.integers(0, 3))
def test_frames_are_put_in_sweref_as_before(epsg, n):
    frame = gpd.GeoDataFrame({"place_id": [f"p{i}" for i in range(n)]},
                             geometry=[box(660000 + 300 * i, 6570000, 660200 + 300 * i, 6570200) for i in range(n)],
                             crs=3006)
    if epsg is None:
        frame = frame.set_crs(None, allow_override=True)
    elif epsg != 3006:
        frame = frame.to_crs(epsg)
    for _ in range(2):  # the second time from the kept code
        got = planmap.to_3006(frame)
        old = frame if (n == 0 or frame.crs is None or frame.crs.to_epsg() == 3006) else frame.to_crs(3006)
        if old is frame:
            assert got is frame
        else:
            assert_geodataframe_equal(got, old)


def test_a_crs_is_looked_up_once(monkeypatch):
    import pyproj

    crs = pyproj.CRS.from_epsg(3006)
    frame = gpd.GeoDataFrame({"a": [1]}, geometry=[box(0, 0, 1, 1)], crs=crs)
    planmap.to_3006(frame)
    looked = {"n": 0}
    lookup = pyproj.CRS.to_epsg

    def counted(self, *args, **kwargs):
        looked["n"] += 1
        return lookup(self, *args, **kwargs)

    monkeypatch.setattr(pyproj.CRS, "to_epsg", counted)
    assert planmap.to_3006(frame) is frame
    assert looked["n"] == 0
