"""The offline hotspot map: drawn on plain axes in SWEREF 99 TM (metres), land and water from bundled
data, places, districts and activities named in the figure itself.

A MapLibre map (``scattermap``) can only write text with glyphs fetched from the internet, and the
server must never fetch a URL. Without a tile server (``LAGESBILD_BASEMAP_URL`` empty, the default)
the map is therefore drawn on cartesian axes with equal aspect (``scaleanchor``): the land and the
water (:func:`lagesbild.core.land.water`, bundled), the cells as filled polygons, the outlines, and
the action plan's activities as small hollow rings, numbered as in the list under the map. Names are
annotations in data coordinates, so they follow a zoom; which fit at a given figure size, and where,
is chosen in :mod:`lagesbild.figures.maplabels` (run again by the exports at the printed size).

Examples
--------
>>> [float(v) for v in view_box(extent=(0, 0, 1000, 500))]  # padded by 4 % of the larger side
[-40.0, -40.0, 1040.0, 540.0]
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import plotly.graph_objects as go
import shapely
from shapely.geometry import box as rect

from lagesbild.core.land import water
from lagesbild.figures import figdict, palette
from lagesbild.figures.kept import MISSING, KeptByIdentity
from lagesbild.figures.maplabels import figure_meta
from lagesbild.figures.markup import plain, plain_all

LAND = "#F4F2EC"
WATER = "#D5E3EC"
ACTIVITY_NAME = "Aktiviteter i åtgärdsplanen"
LAND_REACH = 3.0  # land and water are drawn over a square this many times the view's larger side
VIEW_PAD = 0.04  # margin around what the map draws, as a share of its extent
RING_EM = 0.8  # an activity's ring, in ems of the map's font (small: the cells stay visible)
SHAPES_KEPT = 16  # the cell shapes of this many grids are kept (cell_shapes)


def xy(geoms, holes: bool = False, decimals: int = 1, whole: bool = False) -> tuple[list, list]:
    """x and y of every polygon's exterior ring (and, with ``holes``, its interior rings wound the
    other way, so a filled trace leaves them empty), rings separated by None, rounded to
    ``decimals`` (metres: 1 is a decimetre); with ``whole``, whole numbers as ints (:func:`_whole`)."""
    parts = np.array(list(geoms), dtype=object)
    if not (shapely.get_type_id(parts) == 3).all():  # split multi-polygons (costly: new objects)
        parts = shapely.get_parts(parts)
    polys = parts[(shapely.get_type_id(parts) == 3) & ~shapely.is_empty(parts)]
    if not len(polys):
        return [], []
    polys = shapely.orient_polygons(polys)  # exteriors counter-clockwise, holes clockwise
    rings = shapely.get_rings(polys) if holes else shapely.get_exterior_ring(polys)
    coords, index = shapely.get_coordinates(rings, return_index=True)
    if not len(index):
        return [], []
    return _ring_lists(coords, index, decimals, whole)


def _ring_lists(coords, index, decimals: int = 1, whole: bool = False) -> tuple[list, list]:
    """:func:`xy`'s lists from the rings' coordinates and ring numbers (``get_coordinates``'
    ``return_index``; the numbers ascend, a ring's coordinates together)."""
    if not len(index):
        return [], []
    # coordinate i of the r-th ring (counting rings with points) goes to slot i + r; the slot after
    # each ring stays None
    ring = np.concatenate([[0], np.cumsum(index[1:] != index[:-1])])
    slots = np.arange(len(index)) + ring
    out = []
    for values in (coords[:, 0], coords[:, 1]):
        column = np.full(len(index) + int(ring[-1]) + 1, None, dtype=object)
        # numpy's rounding (scale, round half to even, scale back) is 20x faster than Python's
        # round(); for a value a hair from a tie (x.x5) the two may pick different neighbours, both
        # within half a unit (5 cm) of the value
        if decimals == 0:
            column[slots] = np.rint(values).astype(np.int64)  # "674123", not "674123.0"
        else:
            rounded = np.round(values, decimals)
            column[slots] = rounded
            if whole:
                ints = _whole(rounded)
                column[slots[ints]] = rounded[ints].astype(np.int64)
        out.append(column.tolist())
    return out[0], out[1]


def _whole(values) -> np.ndarray:
    """Where ``values`` are whole numbers: written as ints ("665000", not "665000.0"), the same number
    to plotly.js, two bytes shorter, and json writes an int in half the time of a float (a map's
    cells lie on a grid of whole metres: 0.38 of 1.07 ms to write the Gi* map's answer)."""
    return np.isfinite(values) & (values == np.trunc(values))


def _numbers(values) -> list:
    """The floats ``values`` as a list for a figure, the whole ones as ints (:func:`_whole`)."""
    values = np.asarray(values, dtype=float)
    out = values.astype(object)
    whole = _whole(values)
    out[whole] = values[whole].astype(np.int64)
    return out.tolist()


def view_box(cells=None, places=None, points=None, extent=None):
    """``(minx, miny, maxx, maxy)`` of everything drawn, padded by :data:`VIEW_PAD`, or None."""
    bounds = [tuple(g.total_bounds) for g in (cells, places) if g is not None and len(g)]
    if points is not None and len(points):
        bounds.append((min(points[0]), min(points[1]), max(points[0]), max(points[1])))
    if extent is not None:
        bounds.append(tuple(extent))
    if not bounds:
        return None
    b = np.array(bounds, dtype=float)
    minx, miny, maxx, maxy = b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()
    pad = max(maxx - minx, maxy - miny, 200.0) * VIEW_PAD
    return minx - pad, miny - pad, maxx + pad, maxy + pad


def land_water_traces(view) -> list:
    """The water around ``view`` (bundled water of Stockholms stad, islands left empty), simplified to
    the map's scale, as one trace ``Vatten``. The land is the plot's background (:data:`LAND`, set by
    :func:`plan_axes`): a land trace would be the frame without the water, drawn in the background's
    colour, and it made a third of the dashboard's map answer.

    Trace dicts, worked out once per view (the same area's maps share it) and copied for each figure
    (lists copy fast), so no figure can alter another's."""
    return [dict(t, x=list(t["x"]), y=list(t["y"]), line=dict(t["line"]))
            for t in _land_water(tuple(float(v) for v in view))]


@lru_cache(maxsize=64)
def _land_water(view: tuple) -> tuple:
    # the axes widen the view to the figure's shape: the water reaches well beyond it
    half = max(view[2] - view[0], view[3] - view[1]) * LAND_REACH / 2
    cx, cy = (view[0] + view[2]) / 2, (view[1] + view[3]) / 2
    frame = rect(cx - half, cy - half, cx + half, cy + half)
    tol = max(view[2] - view[0], view[3] - view[1]) / 1500
    wet = shapely.intersection(water(), frame).simplify(tol)
    # whole metres where the simplification already moves the shore by a metre or more
    wx, wy = xy([wet], holes=True, decimals=0 if tol >= 1 else 1)
    return (dict(type="scatter", mode="lines", fill="toself", line=dict(width=0), hoverinfo="skip",
                 showlegend=False, x=wx, y=wy, name="Vatten", fillcolor=WATER),)


class CellShapes:
    """The rings and centres of every cell of a map, worked out once, so that each class of cells
    is drawn from a selection of them (:meth:`select`) instead of a new GeoSeries whose polygons are
    oriented and taken apart again: the same lists as :func:`xy` and :func:`cells_traces` give for
    the selected cells (every step is per polygon, so selecting before or after gives the same)."""

    def __init__(self, geoms):
        geoms = _objects(geoms)
        parts, source = shapely.get_parts(geoms, return_index=True)
        ok = (shapely.get_type_id(parts) == 3) & ~shapely.is_empty(parts)
        parts, source = parts[ok], source[ok]
        rings = shapely.get_exterior_ring(shapely.orient_polygons(parts)) if len(parts) else parts
        self.coords, ring = shapely.get_coordinates(rings, return_index=True)
        self.ring, self.owner = ring, source[ring]  # ring number and cell of each coordinate
        centre = shapely.centroid(geoms)
        has = ~(shapely.is_empty(centre) | shapely.is_missing(centre))  # get_coordinates skips them
        self.centre, self.centred = np.round(shapely.get_coordinates(centre), 1), np.flatnonzero(has)

    def select(self, shown) -> CellSelection:
        """The cells where ``shown`` (a boolean array over the cells) is true."""
        return CellSelection(self, np.asarray(shown, dtype=bool))


_SHAPES = KeptByIdentity(SHAPES_KEPT, hold=True)  # ids of the cells' geometries -> CellShapes


def cell_shapes(geoms) -> CellShapes:
    """:class:`CellShapes` of ``geoms``, kept for the :data:`SHAPES_KEPT` grids drawn last: an area's
    maps of every category and period draw the same cells (the same shapely objects, from the area's
    lattice in :mod:`lagesbild.core.hotspots`), whose orienting and taking apart took 1.8 ms a map.
    The cells are recognised by the identity of every geometry (shapely geometries are immutable);
    the kept entry holds them, so their ids cannot be reused while it lives
    (:mod:`lagesbild.figures.kept`)."""
    geoms = _objects(geoms)
    key = np.fromiter(map(id, geoms), dtype=np.int64, count=len(geoms)).tobytes()
    shapes = _SHAPES.get((geoms,), key=key)
    if shapes is MISSING:
        shapes = CellShapes(geoms)
        _SHAPES.put((geoms,), shapes, key=key)
    return shapes


def _objects(geoms) -> np.ndarray:
    """The geometries as a 1-d object array (a GeometryArray's own, not copied one by one)."""
    try:
        arr = np.asarray(geoms, dtype=object)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.ndim != 1:
        arr = np.empty(len(geoms), dtype=object)
        arr[:] = list(geoms)
    return arr


class CellSelection:
    """Some cells of a :class:`CellShapes`: what :func:`cells_traces` draws."""

    def __init__(self, shapes: CellShapes, shown):
        self.shapes, self.shown = shapes, shown

    def xy(self) -> tuple[list, list]:
        keep = self.shown[self.shapes.owner]
        return _ring_lists(self.shapes.coords[keep], self.shapes.ring[keep], whole=True)

    def centres(self) -> np.ndarray:
        return self.shapes.centre[self.shown[self.shapes.centred]]


def cells_traces(gdf, name: str, colour: str, hover: list[str], opacity: float = 0.8) -> list:
    """Cells of one class (a GeoDataFrame, a GeoSeries or a :class:`CellSelection`) as filled
    polygons, and their hover texts at the cells' centres."""
    if isinstance(gdf, CellSelection):
        (xs, ys), cent = gdf.xy(), gdf.centres()
    else:
        xs, ys = xy(gdf.geometry, whole=True)
        cent = np.round(shapely.get_coordinates(shapely.centroid(np.asarray(gdf.geometry))), 1)
    fill = dict(type="scatter", x=xs, y=ys, mode="lines", fill="toself", name=name, legendgroup=name,
                fillcolor=_rgba(colour, opacity), line=dict(width=0.6, color="#FFFFFF"),
                hoverinfo="skip", showlegend=True)
    tips = dict(type="scatter", x=_numbers(cent[:, 0]), y=_numbers(cent[:, 1]), mode="markers",
                name=name, legendgroup=name, marker=dict(size=12, opacity=0), customdata=list(hover),
                showlegend=False, hovertemplate="%{customdata}<extra>" + name + "</extra>")
    return [fill, tips]


def _rgba(colour: str, opacity: float) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{opacity})"


def density_image(density, top: float, source: str, ctx) -> tuple[dict, dict]:
    """The density raster (a PNG data URL) as a layout image placed in metres, and an invisible
    marker carrying its colour bar."""
    xs, ys, _ = density
    hx = (xs[1] - xs[0]) / 2 if len(xs) > 1 else 25.0
    hy = (ys[1] - ys[0]) / 2 if len(ys) > 1 else 25.0
    image = dict(source=source, xref="x", yref="y", x=xs[0] - hx, y=ys[-1] + hy, sizex=xs[-1] - xs[0] + 2 * hx,
                 sizey=ys[-1] - ys[0] + 2 * hy, sizing="stretch", layer="below", xanchor="left",
                 yanchor="top", name="density")
    carrier = dict(
        type="scatter", x=[float(xs[len(xs) // 2])], y=[float(ys[len(ys) // 2])], mode="markers",
        hoverinfo="skip",
        showlegend=False, name="density_scale",
        marker=dict(size=0.1, opacity=0, color=[0], cmin=0, cmax=top, colorscale=palette.DENSITY_SCALE,
                    showscale=True, colorbar=dict(title=dict(text="Brott per km²", side="right"),
                                                  thickness=14, len=0.6, tickformat=",.0f")))
    return image, carrier


def outline_traces(places, styles: dict, default: tuple) -> list:
    """Places and districts as outlines (hover: the name)."""
    if places is None or len(places) == 0:
        return []
    names = {"stadsdelsomrade": "Stadsdelsområden", "stad": "Staden", "plats": "Platser"}
    traces = []
    kinds = places["kind"].map(lambda k: k if k in styles else "plats")
    for kind, sub in places.groupby(kinds):
        xs, ys = xy(sub.geometry)
        text: list = []
        for name, geom in zip(sub["name"], sub.geometry, strict=True):
            for poly in getattr(geom, "geoms", [geom]):
                if poly.geom_type == "Polygon" and not poly.is_empty:
                    text += [plain(name)] * len(poly.exterior.coords) + [None]
        colour, width = styles.get(kind, default)
        traces.append(dict(type="scatter", x=xs, y=ys, mode="lines", name=names[kind],
                           line=dict(color=colour, width=width), text=text,
                           hovertemplate="%{text}<extra></extra>"))
    return traces


def activity_trace(points, s: dict) -> dict:
    """The activities as small hollow rings (the cells under them stay visible)."""
    return dict(type="scatter", x=list(points["x"]), y=list(points["y"]), mode="markers", name=ACTIVITY_NAME,
                marker=dict(symbol="circle-open", size=s["font"] * RING_EM, color="#1B1F24",
                            line=dict(width=2.2, color="#1B1F24")),
                text=list(points["hover"]), hovertemplate="%{text}<extra></extra>")


def plan_axes(fig: go.Figure | dict, view) -> None:
    """Equal-aspect axes without ticks or grid over ``view`` (metres, SWEREF 99 TM)."""
    axis = dict(visible=False, showgrid=False, zeroline=False, showticklabels=False, ticks="",
                showline=False)
    figdict.update_layout(fig, xaxis=dict(range=[view[0], view[2]], constrain="range", **axis),
                         yaxis=dict(range=[view[1], view[3]], scaleanchor="x", scaleratio=1,
                                    constrain="range", **axis),
                         plot_bgcolor=LAND, hovermode="closest", dragmode="pan")


def is_plan_map(fig: go.Figure | dict) -> bool:
    """Whether the figure is a plan map (made here)."""
    return "map_view" in figure_meta(fig)


def to_3006(gdf):
    """A GeoDataFrame in EPSG:3006 (empty or CRS-less frames as they are)."""
    if gdf is None or len(gdf) == 0 or gdf.crs is None:
        return gdf
    return gdf.to_crs(3006) if epsg_of(gdf.crs) != 3006 else gdf


EPSG_KEPT = 32  # CRS objects whose EPSG code is kept (a map's cells and places share a few)
_EPSG = KeptByIdentity(EPSG_KEPT, hold=True)  # (crs,) -> its EPSG code; held, so its id is not reused


def epsg_of(crs):
    """``crs.to_epsg()``, looked up once per CRS object (pyproj searches its database each time:
    0.15 ms, twice a map; the cells and places of every map of an area carry the same objects)."""
    code = _EPSG.get((crs,))
    if code is MISSING:
        code = crs.to_epsg()
        _EPSG.put((crs,), code)
    return code


def plan_points(activities):
    """Activities with ``x, y`` in SWEREF 99 TM and a ``label`` (their numbers in the list)."""
    if activities is None or len(activities) == 0:
        return None
    import geopandas as gpd

    if "x" not in activities:
        pts = gpd.GeoSeries(gpd.points_from_xy(activities["lon"], activities["lat"]), crs=4326).to_crs(3006)
        activities = activities.assign(x=pts.x.to_numpy(), y=pts.y.to_numpy())
    hover = activities["hover"] if "hover" in activities else plain_all(activities["aktivitet"])
    return activities.assign(label=activities.get("label", ""), hover=hover)
