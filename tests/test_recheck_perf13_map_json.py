"""The plan map writes whole coordinates as ints (issue #10, perf13): the same drawing, a shorter answer.

A map's cells lie on a grid of whole metres, but their rings and hover points were written as floats
("665000.0"): json writes a float in about twice the time of an int (0.38 of 1.07 ms for the Gi* map's
answer on skarholmen) and two bytes longer. ``planmap`` now writes a whole number as an int; plotly.js
reads both as the same number, so what is drawn is unchanged. The reference is the drawing as it was,
kept here: the rings and centres rounded to the decimetre as floats, on hypothesis-random cells
(whole and fractional corners, holes, multi-part and empty cells).
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plotly.utils import PlotlyJSONEncoder
from shapely.geometry import MultiPolygon, box

from lagesbild.figures import planmap
from tests.test_recheck_perf13_map_speed import CELL_KINDS, cell_shape

X0, Y0 = 500_000.0, 7_400_000.0


def _rings_as_before(geoms) -> tuple[list, list]:
    """Every polygon's exterior ring, counter-clockwise, rounded to the decimetre as floats, rings
    separated by None (planmap.xy before perf13, written out with shapely's public functions)."""
    xs, ys = [], []
    for geom in geoms:
        parts = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
        for part in parts:
            if part.is_empty:
                continue
            ring = shapely.orient_polygons(part).exterior
            coords = np.asarray(ring.coords)
            xs += np.round(coords[:, 0], 1).tolist() + [None]
            ys += np.round(coords[:, 1], 1).tolist() + [None]
    return xs, ys


@st.composite
def cells(draw):
    n = draw(st.integers(1, 12))
    geoms = []
    for i in range(n):
        # whole metres, or a corner a fraction of a metre off the grid (a cell cut by the shore)
        x = X0 + 200 * i + draw(st.sampled_from([0.0, 0.25, 0.5, 37.04, 199.95]))
        y = Y0 + draw(st.sampled_from([0.0, 0.1, 0.05, 12.5]))
        geoms.append(cell_shape(draw(st.sampled_from(CELL_KINDS)), x, y))
    return gpd.GeoSeries(geoms, crs=3006)


def _same_numbers(new: list, old: list) -> None:
    assert len(new) == len(old)
    for a, b in zip(new, old, strict=True):
        if b is None:
            assert a is None
        elif float(b).is_integer():
            assert type(a) is int and a == b  # "665000", not "665000.0"
        else:
            assert type(a) is float and a == b


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells())
def test_rings_are_the_same_numbers_whole_ones_as_ints(geoms):
    want_x, want_y = _rings_as_before(geoms)
    for got_x, got_y in (planmap.xy(geoms, whole=True), planmap.CellShapes(geoms.array).select(np.ones(len(geoms), bool)).xy()):
        _same_numbers(got_x, want_x)
        _same_numbers(got_y, want_y)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells())
def test_a_class_of_cells_is_drawn_as_before_in_fewer_bytes(geoms):
    gdf = gpd.GeoDataFrame(geometry=geoms)
    new = planmap.cells_traces(gdf, "Het punkt", "#D7301F", ["x"] * len(gdf))
    centres = np.round(shapely.get_coordinates(shapely.centroid(np.asarray(geoms.array))), 1)
    want_x, want_y = _rings_as_before(geoms)
    old = [dict(new[0], x=want_x, y=want_y), dict(new[1], x=centres[:, 0].tolist(), y=centres[:, 1].tolist())]
    new_text, old_text = (json.dumps(t, cls=PlotlyJSONEncoder) for t in (new, old))
    assert json.loads(new_text) == json.loads(old_text)  # the same numbers: the same drawing
    assert len(new_text) <= len(old_text)
    _same_numbers(new[1]["x"], old[1]["x"])
    _same_numbers(new[1]["y"], old[1]["y"])


def test_a_grid_of_whole_metres_is_written_without_decimals():
    """Failed on the old code: '500000.0' was written for every corner and centre."""
    grid = gpd.GeoDataFrame(geometry=[box(X0 + 200 * i, Y0, X0 + 200 * i + 200, Y0 + 200) for i in range(3)],
                            crs=3006)
    text = json.dumps(planmap.cells_traces(grid, "Ej signifikant", "#999999", ["a", "b", "c"]), cls=PlotlyJSONEncoder)
    assert ".0," not in text and ".0]" not in text
    assert '"x": [500200, 500200, 500000, 500000, 500200, null' in text
    assert '"x": [500100, 500300, 500500]' in text


def test_fractional_coordinates_keep_their_decimetre():
    grid = gpd.GeoSeries([box(X0 + 0.25, Y0 + 0.04, X0 + 10.5, Y0 + 10)])
    xs, ys = planmap.xy(grid, whole=True)
    assert xs == [10.5 + X0, 10.5 + X0, 0.2 + X0, 0.2 + X0, 10.5 + X0, None]  # 0.25 to even: 0.2
    assert ys == [Y0, Y0 + 10, Y0 + 10, Y0, Y0, None]
    assert [type(v) for v in ys[:5]] == [int] * 5


def test_other_callers_of_xy_still_get_floats_unless_they_ask():
    """Outlines and water (and tests/test_planmap.py) keep xy's types: ints only for decimals=0."""
    xs, _ = planmap.xy(gpd.GeoSeries([box(X0, Y0, X0 + 10, Y0 + 10)]))
    assert [type(v) for v in xs[:5]] == [float] * 5
