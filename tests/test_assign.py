"""Point-in-polygon assignment of incidents to places (grid index) against plain shapely."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lagesbild.ingest.assign import PlaceIndex
from lagesbild.ingest.pipgrid import Grid, PipGrid

SQUARE = "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))"
COLUMNS = ["place_id", "category", "month", "count", "source"]


def naive_pairs(wkts, x, y):
    """Reference: ``shapely.contains_xy`` per polygon over all points, ordered by place and row."""
    rows, cols = [np.array([], dtype=np.int64)], [np.array([], dtype=np.int64)]
    for j, geom in enumerate(shapely.from_wkt(list(wkts))):
        inside = np.flatnonzero(shapely.contains_xy(geom, x, y))
        rows.append(inside)
        cols.append(np.full(len(inside), j, dtype=np.int64))
    return np.concatenate(rows), np.concatenate(cols)


def naive_counts(places, df):
    """Reference counts {(place_id, category, month): n} from :func:`naive_pairs`."""
    rows, cols = naive_pairs(places["wkt_3006"], df["x"].to_numpy(float), df["y"].to_numpy(float))
    month = pd.DatetimeIndex(df["occurred_at"].to_numpy().astype("datetime64[M]"), dtype="M8[ns]")
    keys = zip(places["place_id"].to_numpy()[cols], df["category"].to_numpy()[rows], month[rows], strict=False)
    return pd.Series(list(keys), dtype=object).value_counts().to_dict()


def places_of(wkts):
    return pd.DataFrame({"place_id": [f"p{i}" for i in range(len(wkts))], "wkt_3006": list(wkts)})


def assert_same_as_naive(wkts, x, y, max_cells=None):
    index = PlaceIndex(places_of(wkts), **({} if max_cells is None else {"max_cells": max_cells}))
    rows, cols = index.assign(x, y)
    ref_rows, ref_cols = naive_pairs(wkts, x, y)
    np.testing.assert_array_equal(cols, ref_cols)
    np.testing.assert_array_equal(rows, ref_rows)
    return index


# ------------------------------------------------------------------------------ hand cases
HOLED = "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (4 4, 6 4, 6 6, 4 6, 4 4))"
TWO_PARTS = "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 1, 0 0)), ((5 5, 6 5, 6 6, 5 6, 5 5)))"
OVERLAPPING = "MULTIPOLYGON (((0 0, 4 0, 4 4, 0 4, 0 0)), ((2 2, 6 2, 6 6, 2 6, 2 2)))"  # invalid
LEFT, RIGHT = "POLYGON ((0 0, 5 0, 5 10, 0 10, 0 0))", "POLYGON ((5 0, 10 0, 10 10, 5 10, 5 0))"
TRIANGLE = "POLYGON ((0 0, 10 0, 0 10, 0 0))"
FAR = "POLYGON ((650000 6580000, 650010 6580000, 650010 6580010, 650000 6580010, 650000 6580000))"
NAN, INF = math.nan, math.inf

CASES = [  # name, polygons, points, expected (row, place) pairs
    ("interior", [SQUARE], [(5, 5), (0.001, 9.999)], [(0, 0), (1, 0)]),
    ("on an edge", [SQUARE], [(10, 5), (5, 0), (0, 7.25)], []),
    ("on a vertex", [SQUARE], [(0, 0), (10, 10), (0, 10)], []),
    ("just inside and outside an edge", [SQUARE], [(9.999999, 5), (10.000001, 5)], [(0, 0)]),
    ("in a hole, on its edge, outside it", [HOLED], [(5, 5), (4, 5), (6, 6), (3, 5)], [(3, 0)]),
    ("multipolygon parts", [TWO_PARTS], [(0.5, 0.5), (5.5, 5.5), (3, 3), (1, 0.5)],
     [(0, 0), (1, 0)]),
    ("overlapping parts (invalid)", [OVERLAPPING], [(1, 1), (3, 3), (5, 5)], [(0, 0), (2, 0)]),
    ("nested", [SQUARE, "POLYGON ((2 2, 3 2, 3 3, 2 3, 2 2))"], [(2.5, 2.5), (2, 2.5), (7, 7)],
     [(0, 0), (1, 0), (2, 0), (0, 1)]),
    ("districts tiling a city", [SQUARE, LEFT, RIGHT], [(5, 5), (2, 5), (7, 5), (5, 0), (5, 10)],
     [(0, 0), (1, 0), (2, 0), (1, 1), (2, 2)]),
    ("diagonal edge", [TRIANGLE], [(5, 5), (4.9, 5), (2.5, 7.5), (5.1, 5)], [(1, 0)]),
    ("missing and infinite coordinates", [SQUARE], [(NAN, 5), (5, NAN), (INF, 5), (5, -INF)], []),
    ("far off the grid", [SQUARE], [(1e9, 1e9), (-1e9, 5), (5, 1e300)], []),
    ("an empty polygon", ["POLYGON EMPTY", SQUARE], [(5, 5)], [(0, 1)]),
    ("a line and a point", ["LINESTRING (0 0, 10 0)", "POINT (1 1)"], [(5, 0), (1, 1), (5, 1)],
     [(0, 0), (1, 1)]),
    ("metre coordinates", [FAR], [(650005, 6580005), (650010, 6580005), (650010.001, 6580005)],
     [(0, 0)]),
    ("a single point only", [SQUARE], [(3, 3)], [(0, 0)]),
    ("no points", [SQUARE, LEFT], [], []),
]


@pytest.mark.parametrize("max_cells", [16, 1_000_000])
@pytest.mark.parametrize("name, wkts, points, expected", CASES, ids=[c[0] for c in CASES])
def test_hand_cases(name, wkts, points, expected, max_cells):
    xy = np.array(points, dtype=float).reshape(-1, 2)
    rows, cols = PlaceIndex(places_of(wkts), max_cells=max_cells).assign(xy[:, 0], xy[:, 1])
    assert list(zip(rows.tolist(), cols.tolist(), strict=False)) == expected


def test_points_on_cell_edges_and_corners():
    wkts = [SQUARE, LEFT, HOLED, TRIANGLE]
    index = PlaceIndex(places_of(wkts), max_cells=64)
    g = index.grid.grid
    i, j = np.meshgrid(np.arange(g.nx + 1), np.arange(g.ny + 1))
    x, y = g.x0 + i.ravel() * g.size, g.y0 + j.ravel() * g.size
    along = np.linspace(g.x0, g.x0 + g.nx * g.size, 7 * g.nx)
    x = np.concatenate([x, along, x])
    y = np.concatenate([y, np.full_like(along, g.y0 + 3 * g.size), y + 1e-9])
    rows, cols = index.assign(x, y)
    ref_rows, ref_cols = naive_pairs(wkts, x, y)
    assert len(ref_rows) > 50  # the points do reach into the places
    np.testing.assert_array_equal(rows, ref_rows)
    np.testing.assert_array_equal(cols, ref_cols)


def test_most_points_need_no_exact_test():
    """The grid must actually decide points: in a big square almost every cell is interior."""
    pg = PipGrid(shapely.from_wkt([SQUARE]), max_cells=10_000)
    rng = np.random.default_rng(1)
    x, y = rng.uniform(0.5, 9.5, 10_000), rng.uniform(0.5, 9.5, 10_000)
    inner, edge = pg.locate(x, y)
    assert (inner > 0).mean() > 0.9 and (edge > 0).mean() < 0.1


def test_city_sized_scene_with_the_default_grid():
    """Districts tiling a city, squares inside, 40 000 points bunched at their edges (EPSG:3006)."""
    rng = np.random.default_rng(7)
    angles = np.sort(rng.uniform(0, 2 * np.pi, 3000))
    radii = 10_000 * (1 + 0.2 * rng.uniform(-1, 1, 3000))
    centre = np.array([670_000, 6_580_000])
    city = shapely.Polygon(centre + radii[:, None] * np.c_[np.cos(angles), np.sin(angles)])
    cuts = np.linspace(658_000, 682_000, 5)
    districts = [city.intersection(shapely.box(a, 6_560_000, b, 6_600_000))
                 for a, b in zip(cuts, cuts[1:], strict=False)]
    corners = centre + rng.uniform(-5000, 5000, (30, 2))
    squares = [shapely.box(x, y, x + 300, y + 200) for x, y in corners]
    wkts = shapely.to_wkt([city, *districts, *squares], rounding_precision=-1)
    verts = shapely.get_coordinates(shapely.from_wkt(wkts))
    near = verts[rng.integers(0, len(verts), 30_000)] + rng.normal(0, 30, (30_000, 2)).round(1)
    spread = rng.uniform((655_000, 6_565_000), (685_000, 6_595_000), (10_000, 2))
    xy = np.concatenate([near, spread, verts])
    index = assert_same_as_naive(wkts, xy[:, 0], xy[:, 1])
    assert index.grid.grid.n > 500_000


# ------------------------------------------------------------------------------ monthly counts
def incidents(points, categories, months):
    xy = np.array(points, dtype=float).reshape(-1, 2)
    return pd.DataFrame({"occurred_at": pd.to_datetime(list(months), format="ISO8601"),
                         "category": list(categories), "x": xy[:, 0], "y": xy[:, 1]})


def test_monthly_counts_format_and_order():
    places = pd.DataFrame({"place_id": ["stad", "vast", "ost"], "wkt_3006": [SQUARE, LEFT, RIGHT]})
    df = incidents([(2, 3), (2, 2), (7, 7), (5, 5), (7, 1), (50, 50)],
                   ["stold", "ran", "ran", "ran", "ran", "ran"],
                   ["2021-01-01", "2021-03-31 23:59", "2021-01-15", "2021-01-02", "2021-03-01",
                    "2021-01-01"])
    got = PlaceIndex(places).monthly_counts(df, "polisen")
    assert list(got.columns) == COLUMNS
    assert [str(t) for t in got.dtypes] == ["object", "object", "datetime64[ns]", "int64", "object"]
    assert [(r.place_id, r.category, str(r.month.date()), r.count) for r in got.itertuples()] == [
        ("stad", "ran", "2021-01-01", 2), ("stad", "ran", "2021-03-01", 2),
        ("stad", "stold", "2021-01-01", 1),
        ("vast", "ran", "2021-03-01", 1), ("vast", "stold", "2021-01-01", 1),
        ("ost", "ran", "2021-01-01", 1), ("ost", "ran", "2021-03-01", 1)]
    assert set(got["source"]) == {"polisen"}


@pytest.mark.parametrize("points", [[], [(50, 50), (NAN, NAN), (10, 5)]],
                         ids=["no rows", "none inside"])
def test_monthly_counts_without_hits_is_an_empty_frame(points):
    df = incidents(points, ["ran"] * len(points), ["2021-01-01"] * len(points))
    got = PlaceIndex(places_of([SQUARE])).monthly_counts(df, "s")
    assert got.empty and list(got.columns) == ["source", "place_id", "category", "month", "count"]


def test_monthly_counts_skip_rows_without_category_or_time():
    df = incidents([(1, 1), (2, 2), (3, 3)], ["ran", None, "ran"],
                   ["2021-01-01", "2021-01-01", None])
    got = PlaceIndex(places_of([SQUARE])).monthly_counts(df, "s")
    assert got[["place_id", "category", "count"]].values.tolist() == [["p0", "ran", 1]]


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_monthly_counts_months_for_any_time_unit(unit):
    when = np.array(["1969-12-31T23:59:59", "1970-01-01T00:00", "2020-02-29T23:59:59",
                     "2020-03-01T00:00", "NaT"], dtype=f"M8[{unit}]")
    df = pd.DataFrame({"occurred_at": when, "category": "ran", "x": 1.0, "y": 1.0})
    got = PlaceIndex(places_of([SQUARE])).monthly_counts(df, "s")
    assert [str(m.date()) for m in got["month"]] == [
        "1969-12-01", "1970-01-01", "2020-02-01", "2020-03-01"]


# ------------------------------------------------------------------------------ properties
COORD = st.integers(-40, 40)


@st.composite
def hulls(draw):
    pts = draw(st.lists(st.tuples(COORD, COORD), min_size=3, max_size=7, unique=True))
    hull = shapely.convex_hull(shapely.multipoints(pts))
    assume(hull.geom_type == "Polygon")
    return hull


@st.composite
def holed_boxes(draw):
    x0, y0 = draw(COORD), draw(COORD)
    w, h = draw(st.integers(3, 30)), draw(st.integers(3, 30))
    hx, hy = draw(st.integers(1, w - 2)), draw(st.integers(1, h - 2))
    hw, hh = draw(st.integers(1, w - hx - 1)), draw(st.integers(1, h - hy - 1))
    hole = shapely.box(x0 + hx, y0 + hy, x0 + hx + hw, y0 + hy + hh)
    return shapely.Polygon(shapely.box(x0, y0, x0 + w, y0 + h).exterior, [hole.exterior])


@st.composite
def shapes(draw):
    """Convex, holed, multi-part and notched polygons on an integer lattice."""
    kind = draw(st.sampled_from(["hull", "holed", "union", "difference"]))
    if kind == "hull":
        return draw(hulls())
    if kind == "holed":
        return draw(holed_boxes())
    a, b = draw(hulls()), draw(st.one_of(hulls(), holed_boxes()))
    geom = shapely.union(a, b) if kind == "union" else shapely.difference(a, b)
    assume(geom.geom_type in ("Polygon", "MultiPolygon") and geom.area > 0)
    return geom


@st.composite
def scenes(draw):
    """A city, districts tiling it (shared edges), places, and a place nested in another."""
    city = draw(shapes())
    xs = [-100, *sorted(draw(st.lists(COORD, max_size=2, unique=True))), 100]
    ys = [-100, *sorted(draw(st.lists(COORD, max_size=2, unique=True))), 100]
    districts = [city.intersection(shapely.box(a, c, b, d))
                 for a, b in zip(xs, xs[1:], strict=False) for c, d in zip(ys, ys[1:], strict=False)]
    places = draw(st.lists(shapes(), max_size=4))
    nested = [p.intersection(shapely.box(*draw(st.tuples(COORD, COORD)), 40, 40))
              for p in places[:1]]
    geoms = [g for g in [city, *districts, *places, *nested]
             if g.geom_type in ("Polygon", "MultiPolygon") and g.area > 0]
    return geoms


def lattice_edge_points(geoms):
    """Lattice points lying exactly on edges with integer end points, and edge midpoints."""
    rings = shapely.get_rings(shapely.get_parts(geoms))
    xy, ring = shapely.get_coordinates(rings, return_index=True)
    out = []
    for k in np.flatnonzero(ring[1:] == ring[:-1]):
        a, b = xy[k], xy[k + 1]
        out.append((a + b) / 2)
        if np.all(a == np.round(a)) and np.all(b == np.round(b)):
            d = (b - a).astype(int)
            n = math.gcd(abs(int(d[0])), abs(int(d[1])))
            out.extend(a + np.outer(np.arange(n + 1), d // max(n, 1)))
    return np.array(out, dtype=float).reshape(-1, 2)


@settings(max_examples=150, deadline=None)
@given(scene=scenes(),
       free=st.lists(st.tuples(st.integers(-90, 90), st.integers(-90, 90)), max_size=80),
       scale=st.sampled_from([1.0, 0.5, 12.5]),
       offset=st.sampled_from([(0.0, 0.0), (650_000.0, 6_580_000.0)]),
       max_cells=st.sampled_from([16, 300, 4096, 100_000]), data=st.data())
def test_assignment_equals_contains_xy(scene, free, scale, offset, max_cells, data):
    def to_map(xy):
        return np.asarray(offset) + scale * np.asarray(xy, dtype=float).reshape(-1, 2)

    geoms = shapely.transform(np.array(scene, dtype=object), to_map)
    wkts = shapely.to_wkt(geoms, rounding_precision=-1)
    geoms = shapely.from_wkt(wkts)  # exactly what the index reads
    lattice = np.array(free, dtype=float).reshape(-1, 2) / 2
    xy = np.concatenate([to_map(lattice), to_map(lattice_edge_points(scene)),
                         shapely.get_coordinates(geoms), [[NAN, 0.0], [0.0, INF]]])
    index = PlaceIndex(places_of(wkts), max_cells=max_cells)
    g = index.grid.grid
    i = np.array(data.draw(st.lists(st.integers(0, g.nx), min_size=1, max_size=20)))
    j = np.array(data.draw(st.lists(st.integers(0, g.ny), min_size=len(i), max_size=len(i))))
    on_cells = np.c_[g.x0 + i * g.size, g.y0 + j * g.size]
    xy = np.concatenate([xy, on_cells, np.c_[on_cells[:, 0], xy[: len(i), 1]]])
    rows, cols = index.assign(xy[:, 0], xy[:, 1])
    ref_rows, ref_cols = naive_pairs(wkts, xy[:, 0], xy[:, 1])
    np.testing.assert_array_equal(cols, ref_cols)
    np.testing.assert_array_equal(rows, ref_rows)

    n = len(xy)
    df = pd.DataFrame({
        "occurred_at": pd.Timestamp("2020-01-01") + pd.to_timedelta(np.arange(n) * 11 % 90, "D"),
        "category": np.array(["ran", "stold", "skada"], dtype=object)[np.arange(n) % 3],
        "x": xy[:, 0], "y": xy[:, 1]})
    got = index.monthly_counts(df, "s")
    cols = ["place_id", "category", "month", "count"]
    got_counts = {(p, c, m): k for p, c, m, k in got[cols].itertuples(index=False)}
    assert got_counts == naive_counts(places_of(wkts), df)
    assert not got.duplicated(["place_id", "category", "month"]).any()


@settings(max_examples=60, deadline=None)
@given(bounds=st.tuples(st.floats(-1e7, 1e7), st.floats(-1e7, 1e7),
                        st.floats(0, 1e5), st.floats(0, 1e5)),
       cells=st.integers(16, 100_000))
def test_grid_covers_its_bounds_with_empty_outer_cells(bounds, cells):
    x, y, w, h = bounds
    g = Grid.around((x, y, x + w, y + h), cells)
    assert g.n <= 1.5 * cells + 25
    u, v = g.uv(np.array([x, x + w]), np.array([y, y + h]))
    assert u.min() >= 2 - 1e-6 and u.max() <= g.nx - 2 + 1e-6
    assert v.min() >= 2 - 1e-6 and v.max() <= g.ny - 2 + 1e-6
