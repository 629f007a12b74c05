"""The map change's work made cheaper without changing its answer (issue #10, perf15):

* ``fmt_p`` writes each distinct p-value once (a map's ~140 hover texts took 0.34 ms); the reference is
  the text as it was written before, kept here (``core.trend.format_p`` with a no-break space), on
  hypothesis-random values and the odd kinds a table hands it (None, NaN, numpy and pandas missing
  values, numpy floats, ints, text);
* the names' candidates (``maplabels.label_candidates``) come from the GEOS operations on all shapes at
  once; the reference is the loop over the shapes as it was, kept here, on random districts and places
  (squares, L-shapes, multi-part shapes);
* the cells' table behind the map's Excel download is built only when a download reads it; the table
  itself is ``cell_table``'s, as before (the frame compared with ``cell_table`` of the same cells).
"""

from __future__ import annotations

import json
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plotly.utils import PlotlyJSONEncoder
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry import box as rect

from lagesbild.figures import maplabels
from lagesbild.figures.format import MISSING, fmt_p
from lagesbild.figures.markup import plain
from tests.test_recheck_desk11_compare_source import _store


def _fmt_p_before(p, alpha: float = 0.05) -> str:
    """fmt_p before perf15 (figures/format.py at b995dfe)."""
    from lagesbild.core.trend import format_p

    def missing(value) -> bool:
        if value is None or value is pd.NA or value is pd.NaT:
            return True
        try:
            return bool(pd.isna(value))
        except (TypeError, ValueError):
            return False

    if missing(p):
        return MISSING
    return format_p(float(p), alpha).replace("< ", "<\u00a0")


@given(st.floats(0, 1, allow_nan=False), st.sampled_from([0.05, 0.01, 0.1]))
@settings(max_examples=300, deadline=None)
def test_a_p_value_is_written_as_before(p, alpha):
    for value in (p, np.float64(p), np.float32(p)):
        assert fmt_p(value, alpha) == _fmt_p_before(value, alpha)
        assert fmt_p(value, alpha) == _fmt_p_before(value, alpha)  # the second time from the cache


def test_odd_values_are_written_as_before():
    values = [None, float("nan"), np.nan, np.float64("nan"), pd.NA, pd.NaT, 0, 1, 0.0, -0.0, 1e-300,
              0.0499999, 0.05, 0.050001, 0.000999, 0.001, "0.0412", np.int64(1), True, 5e-324]
    for v in values:
        assert fmt_p(v) == _fmt_p_before(v), repr(v)
    assert fmt_p(0.0412) == "0,0412" and fmt_p(0.0498) == "0,0498"  # by hand: three digits, decimal comma
    assert fmt_p(0.00001) == "<\u00a00,001" and fmt_p(float("nan")) == "–"


def _label_candidates_before(places, points, styles: dict) -> list[dict]:
    """maplabels.label_candidates before perf15 (b995dfe), one shape at a time."""
    out = []
    if points is not None and len(points):
        for x, y, nr in zip(points["x"], points["y"], points["label"], strict=True):
            if nr:
                out.append({"text": str(nr), "x": float(x), "y": float(y), "kind": "activity"})
    if places is not None and len(places):
        area_kinds = [k for k in styles if k != "plats"]
        for name, kind, geom in zip(places["name"], places["kind"], places.geometry, strict=True):
            if kind in area_kinds:
                minx, _, maxx, maxy = geom.bounds
                top = shapely.intersection(geom, rect(minx, maxy - (maxy - minx) * 0.02 - 1, maxx, maxy))
                x = top.centroid.x if not top.is_empty else (minx + maxx) / 2
                out.append({"text": plain(name), "x": float(x), "y": float(maxy), "kind": "district"})
            else:
                pt = geom.representative_point()
                out.append({"text": plain(name), "x": float(pt.x), "y": float(pt.y), "kind": "place"})
    order = {"activity": 0, "place": 1, "district": 2}
    return sorted(out, key=lambda c: order[c["kind"]])


STYLES = {"stadsdelsomrade": {}, "omrade": {}, "plats": {}}
X0, Y0 = 670_000.0, 6_580_000.0


def _shape(kind: str, x: float, y: float, w: float, h: float):
    if kind == "square":
        return rect(x, y, x + w, y + h)
    if kind == "ell":  # the top edge only over the left part
        return Polygon([(x, y), (x + w, y), (x + w, y + h / 2), (x + w / 3, y + h / 2), (x + w / 3, y + h),
                        (x, y + h)])
    if kind == "slanted":  # a peak: the top strip is a sliver
        return Polygon([(x, y), (x + w, y), (x + w / 2, y + h)])
    return MultiPolygon([rect(x, y, x + w / 3, y + h), rect(x + w / 2, y, x + w, y + h / 2)])


@st.composite
def place_frames(draw):
    n = draw(st.integers(1, 8))
    rows = []
    for i in range(n):
        w = draw(st.sampled_from([40.0, 350.0, 1234.5, 5000.0]))
        h = draw(st.sampled_from([30.0, 600.0, 2222.25]))
        geom = _shape(draw(st.sampled_from(["square", "ell", "slanted", "multi"])), X0 + 900 * i, Y0, w, h)
        rows.append({"name": draw(st.sampled_from(["Torget", "Å & <b>", "Norra"])) + str(i),
                     "kind": draw(st.sampled_from(["stadsdelsomrade", "omrade", "plats"])), "geometry": geom})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=3006)


@given(place_frames(), st.booleans())
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_names_candidates_are_the_same_as_before(places, with_points):
    points = pd.DataFrame({"x": [X0 + 10.5, X0 + 20], "y": [Y0 + 5, Y0 + 7.25], "label": [1, 0]}) \
        if with_points else None
    new = maplabels.label_candidates(places, points, STYLES)
    old = _label_candidates_before(places, points, STYLES)
    assert json.dumps(new) == json.dumps(old)


def test_a_district_candidate_by_hand():
    """A square district 0–100 × 0–50: named at the middle of its top edge (50, 50); a place at a
    point inside it."""
    places = gpd.GeoDataFrame({"name": ["D", "P"], "kind": ["stadsdelsomrade", "plats"],
                               "geometry": [rect(0, 0, 100, 50), rect(200, 0, 210, 10)]}, crs=3006)
    got = maplabels.label_candidates(places, None, STYLES)
    assert [c["kind"] for c in got] == ["place", "district"]
    assert (got[1]["x"], got[1]["y"]) == (50.0, 50.0)
    assert 200 <= got[0]["x"] <= 210 and 0 <= got[0]["y"] <= 10


def _numbers_in(node):
    from lagesbild.web.numbers import numbers_of

    found = numbers_of(node)
    if found is not None:
        yield node, found
    children = getattr(node, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and hasattr(child, "to_plotly_json"):
            yield from _numbers_in(child)


def test_the_map_builds_its_cells_table_only_when_a_download_reads_it(tmp_path, monkeypatch):
    from lagesbild.analysis import maps as am
    from lagesbild.web.views import map as view

    settings_, store = _store(tmp_path)
    real, built = am.cell_table, []

    def counted(cells, density=None):
        built.append(1)
        return real(cells, density)

    monkeypatch.setattr(am, "cell_table", counted)
    page = view.map_view(store, settings_, area="skalby", category="skadegorelse", period="2024–2025")
    assert built == []  # drawing the map made no table
    (graph, numbers), = [(n, x) for item in page if item is not None for n, x in _numbers_in(item)]
    res = am.map_layers(store, settings_, area="skalby", category="skadegorelse", period="2024–2025")
    expected = real(res["cells"])
    pd.testing.assert_frame_equal(numbers.frame, expected)  # the same table as before
    assert built == [1] and numbers.frame is numbers.frame and built == [1]  # made once
    assert numbers.title == f"Karta – {res['category_name']}" and numbers.role == "analytiker"
    assert math.isfinite(float(numbers.frame["x"].dropna().iloc[0]))
    json.dumps(page, cls=PlotlyJSONEncoder)  # the numbers never go to the browser
