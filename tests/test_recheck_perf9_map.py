"""The map's faster paths (issue #10, map category change) give the same answers as before.

The outlines kept per area (``plan_outlines``, passed to ``make_hotspot_map``) draw the same map as
outlines worked out for the figure, and no figure alters the kept ones.

Each test keeps the algorithm the code used before (copied here, marked ``_old``) and compares it with
the code on hypothesis-random grids of cells: zero counts, missing z and p, one class only, no cells,
an empty or a multi-part cell, count columns of integers, floats with gaps and text.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from plotly.utils import PlotlyJSONEncoder
from shapely.geometry import MultiPolygon, Polygon, box

from lagesbild.analysis import maps as am
from lagesbild.core.hotspot_change import CHANGE_LABELS
from lagesbild.core.hotspots import CLASS_LABELS
from lagesbild.figures import maplabels, maplayers, palette, planmap
from lagesbild.figures import maps as fm
from lagesbild.figures.format import fmt_int, fmt_num, fmt_p
from lagesbild.ingest import ingest_file
from lagesbild.settings import ROOT

SIDE = 200.0


# The algorithms before the change ----------------------------------------------------------------
def _gi_traces_old(cells, draw=None) -> list:
    traces = []
    bins, counts = cells["gi_bin"].to_numpy(), cells["count"].to_numpy()
    for gi_bin, (_, colour) in palette.GI_CLASSES.items():
        label = CLASS_LABELS.get(gi_bin, _)
        shown = (bins == gi_bin) & (counts > 0) if gi_bin == 0 else bins == gi_bin
        if shown.any():
            sub = cells[shown]
            hover = [f"{fmt_int(c)} brott i rutan<br>z = {fmt_num(z, 2)}, p = {fmt_p(p)}"
                     for c, z, p in zip(sub["count"], sub["z"], sub["p"], strict=True)]
            traces += maplayers._drawn(draw, sub, label, colour, hover, 0.35 if gi_bin == 0 else 0.8)
    return traces


def _cell_table_old(cells):
    centre = cells.geometry.centroid
    return pd.DataFrame(cells.drop(columns="geometry")).assign(x=centre.x.round(1), y=centre.y.round(1))


def _hot_boxes_old(cells, mode: str, few) -> list:
    if few:
        keep = pd.to_numeric(cells["count_after" if mode == "change" else "count"], errors="coerce") >= 3
    elif mode == "change":
        keep = cells["change"].astype(str).isin([CHANGE_LABELS["new"], CHANGE_LABELS["persistent"]])
    else:
        keep = cells["gi_bin"] > 0
    return [[round(v) for v in b] for b in cells[keep].geometry.bounds.to_numpy().tolist()]


def _total_old(column) -> int:
    return int(pd.to_numeric(column, errors="coerce").fillna(0).sum())


def _area_parts_old(store, geom, area):
    gdf = store.places_gdf()
    outlines = am._outlines(gdf, geom, area)
    sub = gdf[(gdf["district_id"] == area) & gdf.geometry.is_empty]
    links = store.activity_places()
    return outlines, sorted(sub["name"]), links[links["place_id"].isin(outlines["place_id"])]


# Random grids --------------------------------------------------------------------------------------
@st.composite
def grids(draw, *, shapes: bool = False):
    """A GeoDataFrame as :func:`lagesbild.core.hotspots.hotspots` returns (EPSG:3006), random."""
    spots = draw(st.lists(st.integers(0, 63), max_size=24, unique=True))
    n = len(spots)
    geoms = [box(660000 + (i % 8) * SIDE, 6570000 + (i // 8) * SIDE,
                 660000 + (i % 8 + 1) * SIDE, 6570000 + (i // 8 + 1) * SIDE) for i in spots]
    if shapes and n:  # a cell cut by the shore into two parts, or cut away wholly
        odd = draw(st.sampled_from(["none", "multi", "empty"]))
        if odd == "multi":
            a = geoms[0].bounds
            geoms[0] = MultiPolygon([box(a[0], a[1], a[0] + 50, a[1] + 50), box(a[2] - 50, a[3] - 50, a[2], a[3])])
        elif odd == "empty":
            geoms[0] = Polygon()
    one = draw(st.sampled_from([None, -3, -2, -1, 0, 1, 2, 3]))  # one class for every cell, or mixed
    bins = [one] * n if one is not None else draw(st.lists(st.integers(-3, 3), min_size=n, max_size=n))
    counts = draw(st.lists(st.integers(0, 40), min_size=n, max_size=n))
    maybe = st.one_of(st.just(float("nan")), st.floats(-6, 6, allow_nan=False))
    z = draw(st.lists(maybe, min_size=n, max_size=n))
    p = draw(st.lists(st.one_of(st.just(float("nan")), st.just(0.05), st.floats(0, 1), st.floats(0, 0.002)),
                      min_size=n, max_size=n))
    cells = gpd.GeoDataFrame({"cell_id": [f"c{i}" for i in spots], "count": np.array(counts, dtype=np.int64),
                              "area_share": np.ones(n), "z": np.array(z, dtype=float),
                              "p": np.array(p, dtype=float), "gi_bin": np.array(bins, dtype=np.int64),
                              "klass": [CLASS_LABELS.get(b, "") for b in bins]},
                             geometry=geoms, crs=3006)
    cells.attrs.update(cell_size=SIDE, tested=True, neighbourhood="queen")
    return cells


def _plain(traces) -> str:
    """The traces as the JSON the browser gets (plotly's encoder: numpy arrays as lists)."""
    return json.dumps([t if isinstance(t, dict) else t.to_plotly_json() for t in traces],
                      cls=PlotlyJSONEncoder, sort_keys=True)


@settings(max_examples=60)
@given(grids())
def test_gi_layers_are_the_same_as_before(cells):
    for draw in (planmap.cells_traces, None):  # the offline plan map, and the map over a tile server
        assert _plain(maplayers._gi_traces(cells, draw)) == _plain(_gi_traces_old(cells, draw))


@settings(max_examples=60)
@given(grids(shapes=True), st.booleans())
def test_the_numbers_behind_the_map_are_the_same_as_before(cells, with_xy):
    if with_xy:  # a grid that already has x and y columns: replaced in place, as before
        cells = cells.assign(x=1.0, y="y")
    new, old = am.cell_table(cells), _cell_table_old(cells)
    pd.testing.assert_frame_equal(new, old)
    assert new.attrs == old.attrs


@settings(max_examples=60)
@given(grids(), st.sampled_from(["gi", "few", "change", "change-few"]))
def test_the_boxes_names_keep_clear_of_are_the_same_as_before(cells, case):
    if case.startswith("change"):
        labels = list(CHANGE_LABELS.values())
        cells = cells.assign(change=[labels[i % len(labels)] for i in range(len(cells))],
                             count_after=cells["count"].astype(float).where(cells["count"] % 5 != 0))
    mode, few = ("change" if case.startswith("change") else "gi"), ("few" in case or None)
    assert maplabels.hot_boxes(cells, mode, few) == _hot_boxes_old(cells, mode, few)


@settings(max_examples=60)
@given(st.lists(st.one_of(st.integers(0, 10 ** 6), st.none()), max_size=20),
       st.sampled_from(["int64", "uint16", "float", "Int64", "object", "text"]))
def test_the_crimes_counted_are_the_same_as_before(values, kind):
    filled = [v if v is not None else 0 for v in values]
    column = {"int64": lambda: pd.Series(filled, dtype=np.int64),
              "uint16": lambda: pd.Series([v % 65536 for v in filled], dtype=np.uint16),
              "float": lambda: pd.Series(values, dtype=float),
              "Int64": lambda: pd.Series(values, dtype="Int64"),
              "object": lambda: pd.Series(values, dtype=object),
              "text": lambda: pd.Series([str(v) if v is not None else "x" for v in values], dtype=object)}[kind]()
    assert maplayers._total(column) == _total_old(column)
    cells = pd.DataFrame({"count": column})
    new_few, old_few = maplayers.too_few(cells), None
    total = _total_old(column)
    if total < maplayers.MIN_INCIDENTS:
        old_few = maplayers.TOO_FEW.format(n=fmt_int(total))
    assert new_few == old_few


def test_the_area_parts_are_the_same_as_before(places_store):
    ingest_file(places_store, "activities", ROOT / "data" / "demo" / "atgardsplan.yaml")
    gdf = places_store.places_gdf()
    areas = gdf.loc[gdf["kind"].isin(["stadsdelsomrade", "stad"]), "place_id"].tolist()
    assert areas
    linked = 0
    for area in areas:
        geom = am._area_shape(places_store, area)
        assert geom is not None and geom.equals(gdf.loc[gdf["place_id"] == area].geometry.iloc[0])
        new, old = am._area_parts(places_store, geom, area), _area_parts_old(places_store, geom, area)
        pd.testing.assert_frame_equal(new[0], old[0])
        assert new[1] == old[1]
        pd.testing.assert_frame_equal(new[2], old[2])
        linked += len(new[2])
    assert linked  # the demo plan's activities lie in the districts: the links were compared
    assert am._area_shape(places_store, "ingen-sadan-plats") is None


@st.composite
def outline_frames(draw):
    """Places to outline: districts, places, the city and other kinds; empty, missing and multi-part
    shapes; in EPSG:3006 or EPSG:4326; names with markup."""
    n = draw(st.integers(0, 6))
    kinds = draw(st.lists(st.sampled_from(["stadsdelsomrade", "plats", "stad", "omrade"]), min_size=n, max_size=n))
    shapes = []
    for i in range(n):
        x0, y0 = 660000 + 300 * i, 6570000 + 100 * i
        shapes.append(draw(st.sampled_from([
            box(x0, y0, x0 + 250, y0 + 180), Polygon(), None,
            MultiPolygon([box(x0, y0, x0 + 50, y0 + 50), box(x0 + 100, y0 + 100, x0 + 160, y0 + 140)])])))
    places = gpd.GeoDataFrame({"place_id": [f"p{i}" for i in range(n)],
                               "name": [f"Plats <b>{i}</b> & co" for i in range(n)], "kind": kinds},
                              geometry=gpd.GeoSeries(shapes, dtype="geometry"), crs=3006)
    return places.to_crs(4326) if draw(st.booleans()) else places


@settings(max_examples=40)
@given(grids(), outline_frames())
def test_kept_outlines_draw_the_same_map(cells, places):
    kept = fm.plan_outlines(places)
    before = json.dumps(kept, sort_keys=True)
    for mode_cells in (cells, None):  # a map of cells, and the map of nothing (outlines not drawn)
        drawn = fm.make_hotspot_map(mode_cells, places=places, area="Området", category="Rån", periods=["2022-2023"])
        again = fm.make_hotspot_map(mode_cells, places=places, area="Området", category="Rån", periods=["2022-2023"],
                                    outlines=kept)
        assert _plain([drawn]) == _plain([again])
        if isinstance(again, dict):  # altering one figure's outlines leaves the kept ones as they were
            for trace in again.get("data", []):
                for key in ("x", "y", "text"):
                    if isinstance(trace.get(key), list):
                        trace[key].append(None)
                if isinstance(trace.get("line"), dict):
                    trace["line"]["width"] = 99
    assert json.dumps(kept, sort_keys=True) == before
