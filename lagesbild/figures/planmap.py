"""The offline hotspot map: drawn on plain axes in SWEREF 99 TM (metres), land and water from bundled
data, places, districts and activities named in the figure itself.

A MapLibre map (``scattermap``) can only write text with glyphs fetched from the internet, and the
server must never fetch a URL. Without a tile server (``LAGESBILD_BASEMAP_URL`` empty, the default)
the map is therefore drawn on cartesian axes with equal aspect (``scaleanchor``): the land and the
water (:func:`lagesbild.core.land.water`, bundled), the cells as filled polygons, the outlines, and
the action plan's activities as small hollow rings, numbered as in the list under the map. Names are
annotations in data coordinates, so they follow a zoom; :func:`place_labels` chooses which fit at a
given figure size without overlapping one another or an activity's ring (activities first, then
places, then districts), and is run again by the exports at the printed size.

Examples
--------
>>> box = label_box(100, 50, "Torget", 13)
>>> round(box[2] - box[0]) > 40 and box[1] < 50 < box[3]
True
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
from shapely.geometry import box as rect

from lagesbild.core.hotspot_change import CHANGE_LABELS
from lagesbild.core.land import water
from lagesbild.figures import figdict, fit, palette
from lagesbild.figures.markup import plain, plain_all

LAND = "#F4F2EC"
WATER = "#D5E3EC"
LABEL_NAME = "map_label"  # the name of a label annotation (places, districts, activities)
ACTIVITY_NAME = "Aktiviteter i åtgärdsplanen"
LABEL_BG = "rgba(255,255,255,0.8)"
LAND_REACH = 3.0  # land and water are drawn over a square this many times the view's larger side
VIEW_PAD = 0.04  # margin around what the map draws, as a share of its extent
LABEL_GAP = 2  # px kept free around a label
RING_EM = 0.8  # an activity's ring, in ems of the map's font (small: the cells stay visible)
#: the figure size (CSS px) the dashboard's labels are chosen for when the browser's size is not
#: known, no larger than the map is drawn: 700 px high in normal mode, ``100vh - 300px`` but at least
#: 640 px in meeting mode, and the width of the map's panel at 1366 px
LABEL_PX = {False: (1240, 700), True: (1240, 640)}


def xy(geoms, holes: bool = False, decimals: int = 1) -> tuple[list, list]:
    """x and y of every polygon's exterior ring (and, with ``holes``, its interior rings wound the
    other way, so a filled trace leaves them empty), rings separated by None, rounded to
    ``decimals`` (metres: 1 is a decimetre)."""
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
        column[slots] = (np.rint(values).astype(np.int64) if decimals == 0  # "674123", not "674123.0"
                         else np.round(values, decimals))
        out.append(column.tolist())
    return out[0], out[1]


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


def cells_traces(gdf, name: str, colour: str, hover: list[str], opacity: float = 0.8) -> list:
    """Cells of one class as filled polygons, and their hover texts at the cells' centres."""
    xs, ys = xy(gdf.geometry)
    cent = np.round(shapely.get_coordinates(shapely.centroid(np.asarray(gdf.geometry))), 1)
    fill = dict(type="scatter", x=xs, y=ys, mode="lines", fill="toself", name=name, legendgroup=name,
                fillcolor=_rgba(colour, opacity), line=dict(width=0.6, color="#FFFFFF"),
                hoverinfo="skip", showlegend=True)
    tips = dict(type="scatter", x=cent[:, 0].tolist(), y=cent[:, 1].tolist(), mode="markers",
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


def label_candidates(places, points, styles: dict) -> list[dict]:
    """What may be named, most important first: activities (their numbers), places, districts."""
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


def label_box(px: float, py: float, text: str, size: float) -> tuple:
    """The screen box (left, top, right, bottom) of a label centred on ``px, py``."""
    w = fit.text_px(text, size) + 6
    h = size * fit.LINE_EM + 4
    return px - w / 2, py - h / 2, px + w / 2, py + h / 2


def _offsets(kind: str, w: float, h: float, ring: float) -> list:
    """Where a label may sit relative to its point (screen px, y down), in order of preference: next to
    it, else (:func:`_leader_offsets`) further out with a line to the point."""
    if kind == "activity":
        return [(ring / 2 + w / 2 + 2, 0), (-(ring / 2 + w / 2 + 2), 0), (0, -(ring / 2 + h / 2 + 2)),
                (0, ring / 2 + h / 2 + 2)]
    if kind == "district":
        return [(0, h / 2 + 4), (0, h * 1.5 + 6)]
    lift = max(h, ring) / 2 + h / 2 + 2 * LABEL_GAP + 1  # clear of a ring and its number beside it
    side = ring / 2 + w / 2 + 2 * LABEL_GAP
    return [(0, -lift), (0, lift), (-side, 0), (-w / 2, -lift), (w / 2, -lift), (-w / 2, lift),
            (w / 2, lift), (0, -2 * lift), (0, 2 * lift), (0, 0)]


LEADER_STEPS = (2.0, 3.2, 4.6, 6.4, 8.6)  # how far out (in label heights) a label with a leader line may go


def _leader_offsets(w: float, h: float) -> list:
    """Places further from the point, in eight directions, for a label joined to it by a line."""
    dirs = ((0, -1), (1, -1), (1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1))
    return [(dx * (w / 2 + k * h), dy * (h / 2 + k * h)) for k in LEADER_STEPS for dx, dy in dirs]


def place_labels(fig: go.Figure | dict, width: float, height: float, *, drawn: bool = False
                 ) -> go.Figure | dict:
    """Name what fits on a plan map (a plotly figure or a figure dict) drawn ``width`` × ``height`` CSS
    px, no two names overlapping and none over an activity's ring or outside the plot. In place;
    returned.

    ``drawn``: the map is known to be drawn at that size (the browser's window was measured). The
    figure then has that size (not plotly's automatic one) and the axes the ranges the names were
    placed for, widened to the plot's shape as plotly's equal aspect would widen them. Otherwise a map
    drawn again after the window changed size was drawn by plotly at the scale of its former size (it
    widens the ranges it widened before, never narrows them), and names placed apart for the new size
    came out on top of each other."""
    layout = fit.figure_view(fig).layout
    meta = _meta(fig)
    candidates = meta.get("map_labels") or []
    if isinstance(fig, dict):
        fig["layout"]["annotations"] = [a for a in fig["layout"].get("annotations", ())
                                        if a.get("name") != LABEL_NAME]
    else:
        fig.layout.annotations = [a for a in fig.layout.annotations if a.name != LABEL_NAME]
    view = meta.get("map_view")
    if not candidates or not view:
        return fig
    placed_for = {**meta, "map_label_px": [round(width), round(height)]}  # the size the names are placed for
    if isinstance(fig, dict):
        fig["layout"]["meta"] = placed_for
    else:
        fig.layout.meta = placed_for
    m = layout.margin
    plot_w = max(width - (m.l or 0) - (m.r or 0), 50)
    plot_h = max(height - (m.t or 0) - (m.b or 0), 50)
    minx, miny, maxx, maxy = view
    scale = min(plot_w / (maxx - minx), plot_h / (maxy - miny))
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    size = meta.get("map_label_size", 12)
    ring = meta.get("map_ring_px", 10)

    def screen(x, y):
        return plot_w / 2 + (x - cx) * scale, plot_h / 2 - (y - cy) * scale

    if drawn:
        half_w, half_h = plot_w / scale / 2, plot_h / scale / 2
        figdict.update_layout(fig, autosize=False, width=round(width), height=round(height),
                              xaxis=dict(range=[cx - half_w, cx + half_w]),
                              yaxis=dict(range=[cy - half_h, cy + half_h]))

    placed = [(px - ring / 2, py - ring / 2, px + ring / 2, py + ring / 2)
              for px, py in (screen(c["x"], c["y"]) for c in candidates if c["kind"] == "activity")]
    placed += _note_boxes(fig, plot_w, plot_h)  # a note on the map (too few crimes) is never covered
    hot = []
    for x0, y0, x1, y1 in meta.get("map_hot") or []:
        (a, b), (c_, d) = screen(x0, y1), screen(x1, y0)
        hot.append((a, b, c_, d))
    for c in candidates:
        px, py = screen(c["x"], c["y"])
        b0 = label_box(0, 0, c["text"], size)
        w, h = b0[2] - b0[0], b0[3] - b0[1]
        near, far = _offsets(c["kind"], w, h, ring), _leader_offsets(w, h)
        # hot spots stay visible where possible: first every place clear of them, then over them
        short = far[:2 * len(far) // len(LEADER_STEPS)]  # the two nearest rings of leader places
        tries = [(o, False, True) for o in near] + [(o, True, True) for o in short]
        tries += [(o, False, False) for o in near] + [(o, True, False) for o in far]
        if c["kind"] != "place":  # a number stays next to its ring, a district's name at its edge,
            tries = [t for t in tries if not t[1]] + [t for t in tries if t[1]]  # before any line
        for (ox, oy), leader, clear in tries:
            b = label_box(px + ox, py + oy, c["text"], size)
            grown = (b[0] - LABEL_GAP, b[1] - LABEL_GAP, b[2] + LABEL_GAP, b[3] + LABEL_GAP)
            if grown[0] < 0 or grown[1] < 0 or grown[2] > plot_w or grown[3] > plot_h or _hits(grown, placed) \
                    or (clear and _hits(grown, hot)):
                continue
            placed.append(b)
            where = dict(xshift=ox, yshift=-oy, xanchor="center", yanchor="middle", showarrow=False) \
                if not leader else dict(showarrow=True, ax=ox, ay=oy, arrowhead=0, arrowwidth=1,
                                           arrowcolor=palette.MUTED, standoff=ring / 2 if c["kind"] != "district" else 0)
            figdict.add_annotation(fig, text=c["text"], x=c["x"], y=c["y"], xref="x", yref="y", name=LABEL_NAME,
                                  font=dict(size=size, color=palette.TEXT), bgcolor=LABEL_BG, borderpad=1,
                                  **where)
            break
    return fig


def label_size(meeting: bool, fig: go.Figure | dict) -> tuple[float, float]:
    """The figure size the dashboard's labels are chosen for (:data:`LABEL_PX`; a figure with its
    own height keeps it)."""
    w, h = LABEL_PX[bool(meeting)]
    return w, fit.figure_view(fig).layout.height or h


def _note_boxes(fig, plot_w: float, plot_h: float) -> list:
    """Screen boxes of the notes placed on the plot in paper units (e.g. "för få brott"), besides
    the names this module places."""
    out = []
    for a in fit.figure_view(fig).layout.annotations or ():
        a = fit.figure_view(a) if isinstance(a, dict) else a  # an annotation read like a plotly one
        if a.name == LABEL_NAME or a.xref != "paper" or a.yref != "paper" or not a.text or a.yshift \
                or not (0 <= (a.x or 0) <= 1 and 0 <= (a.y or 0) <= 1):  # (shifted: under the plot)
            continue
        size = (a.font.size if a.font is not None and a.font.size else 12)
        pad = 2 * ((a.borderpad or 1) + (a.borderwidth or 0))
        w = fit.text_px(a.text, size) + pad
        h = fit.n_lines(a.text) * size * fit.LINE_EM + pad
        x, y = (a.x or 0) * plot_w, (1 - (a.y or 0)) * plot_h
        left = x - {"left": 0, "right": w}.get(a.xanchor, w / 2)
        top = y - {"top": 0, "bottom": h}.get(a.yanchor, h / 2)
        out.append((left, top, left + w, top + h))
    return out


def _hits(box, others) -> bool:
    """Whether ``box`` overlaps any of ``others`` (screen boxes: left, top, right, bottom)."""
    return any(box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3] for o in others)


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
    return "map_view" in _meta(fig)


def _meta(fig: go.Figure | dict) -> dict:
    """The figure's ``layout.meta`` (a plotly figure's or a figure dict's), {} when it holds none."""
    meta = fig.get("layout", {}).get("meta") if isinstance(fig, dict) else fig.layout.meta
    return meta if isinstance(meta, dict) else {}


def to_3006(gdf):
    """A GeoDataFrame in EPSG:3006 (empty or CRS-less frames as they are)."""
    if gdf is None or len(gdf) == 0 or gdf.crs is None:
        return gdf
    return gdf.to_crs(3006) if gdf.crs.to_epsg() != 3006 else gdf


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


def hot_boxes(cells, mode: str, few) -> list:
    """Bounds of the cells names should leave visible: hot spots (new and persistent ones in change
    mode; with too few crimes, cells of 3 or more)."""
    if few:
        keep = pd.to_numeric(cells["count_after" if mode == "change" else "count"], errors="coerce") >= 3
    elif mode == "change":
        keep = cells["change"].astype(str).isin([CHANGE_LABELS["new"], CHANGE_LABELS["persistent"]])
    else:
        keep = cells["gi_bin"] > 0
    return [[round(v) for v in b] for b in cells[keep].geometry.bounds.to_numpy().tolist()]
