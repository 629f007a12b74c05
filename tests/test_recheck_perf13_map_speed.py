"""The map's category change without work that depends on the area only (issue #10, perf13).

* The plan map's Gi* layers oriented and took apart the grid's cells again for every map
  (``CellShapes``: 1.8 ms of a map on skarholmen's 222 cells). ``planmap.cell_shapes`` keeps them for
  the grids drawn last, recognised by the identity of their (immutable) shapely geometries: the area's
  lattice hands every category the same objects. What is drawn is compared with the GeoSeries of each
  class drawn through ``xy`` (the drawing used before perf11), on hypothesis-random grids.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plotly.utils import PlotlyJSONEncoder
from shapely.geometry import MultiPolygon, Polygon, box

from lagesbild.core import hotspots as hs
from lagesbild.figures import maplayers, planmap

X0, Y0 = 500_000.0, 7_400_000.0  # far from the bundled water: every cell is land


def _classes_drawn_as_geoseries(cells) -> list:
    """Each class of cells drawn from its own GeoSeries (``xy`` orients and takes the polygons apart)."""
    out = []
    for gi_bin in sorted(set(cells["gi_bin"].tolist())):
        sub = cells[cells["gi_bin"] == gi_bin]
        out.append(planmap.cells_traces(sub, str(gi_bin), "#123456", ["x"] * len(sub)))
    return out


def _classes_drawn_from_shapes(cells) -> list:
    shapes = planmap.cell_shapes(cells.geometry.array)
    out = []
    for gi_bin in sorted(set(cells["gi_bin"].tolist())):
        shown = (cells["gi_bin"] == gi_bin).to_numpy()
        out.append(planmap.cells_traces(shapes.select(shown), str(gi_bin), "#123456", ["x"] * int(shown.sum())))
    return out


CELL_KINDS = ("square", "clockwise", "hole", "multi", "empty")


def cell_shape(kind: str, x: float, y: float):
    """A 200 m cell at (x, y) of one of :data:`CELL_KINDS` (also used by test_recheck_perf13_map_json)."""
    if kind == "square":
        return box(x, y, x + 200, y + 200)
    if kind == "clockwise":
        return Polygon([(x, y), (x, y + 200), (x + 200, y + 200), (x + 200, y)])
    if kind == "hole":
        return Polygon(box(x, y, x + 200, y + 200).exterior.coords,
                       [box(x + 50, y + 50, x + 150, y + 150).exterior.coords])
    if kind == "multi":
        return MultiPolygon([box(x, y, x + 90, y + 90), box(x + 110, y + 110, x + 200, y + 200)])
    return Polygon()


@st.composite
def grids(draw):
    """Cells: squares, some clockwise, some with a hole, some multi-part, some empty; random classes."""
    n = draw(st.integers(1, 25))
    geoms = []
    for i in range(n):
        x, y = X0 + 200 * (i % 5), Y0 + 200 * (i // 5)
        geoms.append(cell_shape(draw(st.sampled_from(CELL_KINDS)), x, y))
    bins = draw(st.lists(st.sampled_from([-3, -2, -1, 0, 1, 2, 3]), min_size=n, max_size=n))
    return gpd.GeoDataFrame({"gi_bin": bins}, geometry=geoms, crs=3006)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grids())
def test_kept_cell_shapes_draw_what_each_class_s_geoseries_draws(cells):
    want = json.dumps(_classes_drawn_as_geoseries(cells), cls=PlotlyJSONEncoder)
    assert json.dumps(_classes_drawn_from_shapes(cells), cls=PlotlyJSONEncoder) == want
    # a second map of the same cells (a new frame and array, the same geometry objects) draws the same
    again = gpd.GeoDataFrame(cells.copy())
    assert json.dumps(_classes_drawn_from_shapes(again), cls=PlotlyJSONEncoder) == want


def test_a_second_map_of_the_same_cells_does_not_work_them_out_again(monkeypatch):
    """Failed on the old code (there was no cell_shapes; every map built CellShapes again)."""
    rng = np.random.default_rng(5)
    xy = rng.uniform(0, 2000, (400, 2)) + [X0, Y0]
    area = box(X0, Y0, X0 + 2000, Y0 + 2000)
    first = hs.hotspots(pd.DataFrame({"x": xy[:200, 0], "y": xy[:200, 1]}), area)
    second = hs.hotspots(pd.DataFrame({"x": xy[200:, 0], "y": xy[200:, 1]}), area)
    assert first.geometry.array is not second.geometry.array  # two maps, two frames
    built = []
    real = planmap.CellShapes

    class Counting(real):
        def __init__(self, geoms):
            built.append(len(geoms))
            super().__init__(geoms)

    monkeypatch.setattr(planmap, "CellShapes", Counting)
    planmap._SHAPES.clear()
    maplayers._gi_traces(first, draw=planmap.cells_traces)
    maplayers._gi_traces(second, draw=planmap.cells_traces)
    assert built == [len(first)]


def test_other_cells_are_not_drawn_with_kept_shapes():
    """Grids of the same size but other cells (another area, or cells made anew) get their own shapes."""
    a = gpd.GeoSeries([box(X0 + 10 * i, Y0, X0 + 10 * i + 10, Y0 + 10) for i in range(4)], crs=3006)
    b = gpd.GeoSeries([box(X0 + 10 * i, Y0 + 50, X0 + 10 * i + 10, Y0 + 60) for i in range(4)], crs=3006)
    sa, sb = planmap.cell_shapes(a.array), planmap.cell_shapes(b.array)
    assert sa is not sb
    assert sa.coords[:, 1].max() == Y0 + 10 and sb.coords[:, 1].min() == Y0 + 50
    assert planmap.cell_shapes(a.array) is sa


def test_only_the_last_grids_are_kept():
    planmap._SHAPES.clear()
    series = [gpd.GeoSeries([box(X0 + i, Y0, X0 + i + 1, Y0 + 1)]) for i in range(planmap.SHAPES_KEPT + 5)]
    for s in series:
        planmap.cell_shapes(s.array)
    assert len(planmap._SHAPES) == planmap.SHAPES_KEPT
