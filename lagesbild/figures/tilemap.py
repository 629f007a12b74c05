"""The hotspot map over a tile server's basemap (MapLibre, when ``basemap_url`` names one): cells,
outlines and activities as map traces, views fitted to a figure's size, and place names on an
exported map.

:func:`fit_view` centres and zooms the map so all it draws fits a given figure size inside its margins;
the dashboard fits to :data:`MAP_PX` and the exports (:mod:`lagesbild.export.mapview`) to the exported
size. The offline map is :mod:`lagesbild.figures.planmap`; the figure itself is made by
:func:`lagesbild.figures.maps.make_hotspot_map`.
"""

from __future__ import annotations

import base64
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lagesbild.figures import fit, maplabels, palette, planmap
from lagesbild.figures.markup import plain, plain_all

PLACE_STYLE = {"stadsdelsomrade": ("#4D4D4D", 2.5), "stad": ("#000000", 3.0)}
PLACE_DEFAULT = ("#0072B2", 2.0)
MAP_PX = (1100, 700)  # nominal size of the dashboard's map, to which its view is fitted
MAP_PAD = 1.06  # margin around what a map draws, as a factor of its extent
MAX_ZOOM = 17
TILE_PX = 512  # MapLibre's tile size: zoom z shows 360° in 512 · 2^z pixels
MAP_LAYOUTS = ("map", "mapbox")


def _to_4326(gdf):
    if gdf is None or len(gdf) == 0:
        return gdf
    return gdf.to_crs(4326) if gdf.crs is not None and gdf.crs.to_epsg() != 4326 else gdf


def _coords(obj, out: list) -> None:
    """Collect every ``[lon, lat]`` pair of a GeoJSON geometry (any nesting)."""
    if isinstance(obj, (list, tuple)):
        if len(obj) >= 2 and all(isinstance(v, (int, float)) for v in obj[:2]):
            out.append((float(obj[0]), float(obj[1])))
        else:
            for item in obj:
                _coords(item, out)
    elif isinstance(obj, dict):
        if "coordinates" in obj:
            _coords(obj["coordinates"], out)
        for key in ("features", "geometry", "geometries"):
            if key in obj:
                _coords(obj[key], out)


def _array(values) -> list:
    """Plain values of a trace array (plotly 6 may hold them as base64 ``{dtype, bdata}``)."""
    if isinstance(values, dict) and "bdata" in values:
        raw = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values.get("dtype", "f8"))
        return raw.tolist()
    return list(values)


def map_bounds(fig: go.Figure):
    """``(min lon, min lat, max lon, max lat)`` of everything drawn on the figure's map, or None.

    Examples
    --------
    >>> map_bounds(go.Figure(go.Scattermap(lon=[18.0, 18.1], lat=[59.3, 59.35])))
    (18.0, 59.3, 18.1, 59.35)
    """
    pts: list = []
    for trace in fig.data:
        if trace.type in ("choroplethmap", "choroplethmapbox") and trace.geojson is not None:
            _coords(trace.geojson, pts)
        elif trace.type in ("scattermap", "scattermapbox") and trace.lon is not None:
            if (trace.hoverinfo == "skip" and trace.marker is not None and trace.marker.opacity == 0):
                continue  # the density colour-bar carrier is not part of what the map shows
            pts += [(float(x), float(y)) for x, y in zip(_array(trace.lon), _array(trace.lat), strict=False)
                    if x is not None and y is not None]
    sub = fig.layout.map if "map" in fig.layout else None
    for layer in (sub.layers if sub is not None and sub.layers else ()):
        if layer.coordinates:
            _coords(list(layer.coordinates), pts)
    if not pts:
        return None
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def view_for(bounds, width: float, height: float, margin=None, pad: float = MAP_PAD) -> dict:
    """Centre and zoom that fit lon/lat ``bounds`` into a map of ``width`` × ``height`` CSS px
    (minus the figure's ``margin``: a dict or plotly margin with ``l, r, t, b``)."""
    m = {k: (getattr(margin, k, None) if not isinstance(margin, dict) else margin.get(k)) or 0
         for k in "lrtb"} if margin is not None else dict.fromkeys("lrtb", 0)
    plot_w = max(width - m["l"] - m["r"], 50)
    plot_h = max(height - m["t"] - m["b"], 50)
    minx, miny, maxx, maxy = bounds
    lat = (miny + maxy) / 2
    span_x, span_y = max(maxx - minx, 1e-4) * pad, max(maxy - miny, 1e-4) * pad
    zx = math.log2(plot_w * 360 / (TILE_PX * span_x))
    zy = math.log2(plot_h * 360 * math.cos(math.radians(lat)) / (TILE_PX * span_y))
    return {"center": {"lon": (minx + maxx) / 2, "lat": lat}, "zoom": round(min(zx, zy, MAX_ZOOM), 2)}


def fit_view(fig: go.Figure, width: float, height: float, *, pad: float = MAP_PAD) -> go.Figure:
    """Centre and zoom every map of ``fig`` so all it draws fits a figure of ``width`` × ``height``
    CSS px, inside the figure's margins (title block, legend, source line). In place; returned.

    The dashboard fits its maps to a nominal size (:data:`MAP_PX`); exports fit them to the
    exported size.

    Examples
    --------
    >>> fig = go.Figure(go.Scattermap(lon=[18.0, 18.1], lat=[59.3, 59.35]))
    >>> fig.update_layout(map=dict(zoom=1), margin=dict(l=0, r=0, t=0, b=0))  # doctest: +ELLIPSIS
    Figure(...)
    >>> fit_view(fig, 605, 400).layout.map.center.lon
    18.05
    """
    bounds = map_bounds(fig)
    if bounds is None:
        return fig
    view = view_for(bounds, width, height, fig.layout.margin, pad)
    for key in MAP_LAYOUTS:
        sub = fig.layout[key] if key in fig.layout else None  # noqa: SIM401 - no .get on plotly layouts
        if sub is not None and (sub.zoom is not None or sub.center is not None or sub.style):
            sub.update(**view)
    return fig


def _cells_trace(gdf, name: str, colour: str, hover: list[str], opacity: float = 0.8):
    geo = gdf[["cell_id", "geometry"]].__geo_interface__
    return go.Choroplethmap(
        geojson=geo, locations=gdf["cell_id"], featureidkey="properties.cell_id",
        z=[1] * len(gdf), colorscale=[[0, colour], [1, colour]], showscale=False, name=name,
        showlegend=True, marker=dict(opacity=opacity, line=dict(width=0.4, color="#FFFFFF")),
        customdata=hover, hovertemplate="%{customdata}<extra>" + name + "</extra>")


def _outline_traces(places) -> list:
    traces = []
    if places is None or len(places) == 0:
        return traces
    groups = places.groupby(places["kind"].map(lambda k: k if k in PLACE_STYLE else "plats"))
    names = {"stadsdelsomrade": "Stadsdelsområden", "stad": "Staden", "plats": "Platser"}
    for kind, sub in groups:
        lons, lats, text = [], [], []
        for name, geom in zip(sub["name"], sub.geometry, strict=False):
            for poly in getattr(geom, "geoms", [geom]):
                xs, ys = poly.exterior.coords.xy
                lons += list(xs) + [None]
                lats += list(ys) + [None]
                text += [plain(name)] * len(xs) + [None]  # also the exported map's labels
        colour, width = PLACE_STYLE.get(kind, PLACE_DEFAULT)
        traces.append(go.Scattermap(lon=lons, lat=lats, mode="lines", name=names[kind],
                                    line=dict(color=colour, width=width), text=text,
                                    hovertemplate="%{text}<extra></extra>"))
    return traces


def _activity_traces(activities: pd.DataFrame | None, s: dict) -> list:
    if activities is None or len(activities) == 0:
        return []
    hover = activities["hover"] if "hover" in activities else plain_all(activities["aktivitet"])
    # small (MapLibre draws no open circles): a hot spot cell stays visible around the marker
    ring = go.Scattermap(lon=activities["lon"], lat=activities["lat"], mode="markers",
                         marker=dict(size=s["font"] * 0.8, color="white"), hoverinfo="skip",
                         showlegend=False)
    dot = go.Scattermap(lon=activities["lon"], lat=activities["lat"], mode="markers",
                        name="Aktiviteter i åtgärdsplanen",
                        marker=dict(size=s["font"] * 0.5, color="#1B1F24"), text=hover,
                        hovertemplate="%{text}<extra></extra>")
    return [ring, dot]


LABEL_NAME = "map_label"  # the name of a place's label annotation on an exported map
LABEL_LIFT = 9  # px a label sits above its place's point (clear of an activity's marker)


def _mercator(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """Web Mercator pixel coordinates at ``zoom`` (MapLibre's 512-pixel tiles)."""
    scale = TILE_PX * 2 ** zoom
    lat = max(min(lat, 85.0), -85.0)
    y = (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2
    return (lon + 180) / 360 * scale, y * scale


def label_places(fig: go.Figure, width: float, height: float, *, size: float = 11) -> go.Figure:
    """Name the places and districts on a map drawn ``width`` × ``height`` CSS px with a fixed view
    (an exported map: :func:`fit_view` first). In place; returned.

    A place gets its name over the middle of its outline, lifted a little (clear of an activity's
    marker); a district just inside its northern edge. A name that would leave the map or cover one
    already placed is left out (places first), so names never overlap.
    """
    if planmap.is_plan_map(fig):
        return maplabels.place_labels(fig, width, height)
    fig.layout.annotations = [a for a in fig.layout.annotations if a.name != LABEL_NAME]
    sub = fig.layout.map if "map" in fig.layout else None
    if sub is None or sub.center is None or sub.zoom is None:
        return fig
    m = fig.layout.margin
    plot_w = max(width - (m.l or 0) - (m.r or 0), 50)
    plot_h = max(height - (m.t or 0) - (m.b or 0), 50)
    cx, cy = _mercator(sub.center.lon, sub.center.lat, sub.zoom)
    points = {}
    for trace in fig.data:
        if trace.type == "scattermap" and trace.mode == "lines" and trace.text is not None:
            coords: dict = {}
            for lon, lat, name in zip(_array(trace.lon), _array(trace.lat), _array(trace.text), strict=False):
                if name is not None and lon is not None:
                    coords.setdefault(name, []).append((float(lon), float(lat)))
            for name, pts in coords.items():
                xs, ys = [p[0] for p in pts], [p[1] for p in pts]
                # a place's name over its middle, a district's just inside its northern edge
                top = trace.name != "Platser"
                points.setdefault(trace.name, {})[name] = ((min(xs) + max(xs)) / 2,
                                                           max(ys) if top else (min(ys) + max(ys)) / 2, top)
    placed: list = []
    for group in ("Platser", "Stadsdelsområden"):
        for name, (lon, lat, top) in points.get(group, {}).items():
            x, y = _mercator(lon, lat, sub.zoom)
            w, h = fit.text_px(name, size) + 6, size * fit.LINE_EM + 4
            px = plot_w / 2 + x - cx
            py = plot_h / 2 + y - cy + (h + LABEL_LIFT if top else -LABEL_LIFT)  # the label's bottom
            box = (px - w / 2, py - h, px + w / 2, py)
            if box[0] < 0 or box[2] > plot_w or box[1] < 0 or box[3] > plot_h or any(
                    box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                continue
            placed.append(box)
            fig.add_annotation(text=name, xref="paper", yref="paper", x=px / plot_w, y=1 - py / plot_h,
                               xanchor="center", yanchor="bottom", showarrow=False, name=LABEL_NAME,
                               font=dict(size=size, color=palette.TEXT), bgcolor="rgba(255,255,255,0.75)")
    return fig
