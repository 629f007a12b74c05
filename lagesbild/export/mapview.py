"""Maps in exported charts: the offline style and a view fitted to the export size.

A map exported for Word has no tiles (``white-bg``; raster layers and layers loaded from URLs are
dropped, data-URL images such as the density surface are kept), and its centre and zoom are computed
from everything it draws so that all of it fits the exported size.

Examples
--------
>>> fig = go.Figure(go.Scattermap(lon=[18.0, 18.1], lat=[59.3, 59.35]))
>>> map_bounds(fig)
(18.0, 59.3, 18.1, 59.35)
"""

from __future__ import annotations

import base64
import math

import numpy as np
import plotly.graph_objects as go

OFFLINE_MAP_STYLE = "white-bg"
MAP_LAYOUTS = ("map", "mapbox")
MAP_PAD = 1.06  # margin around what a map draws, as a factor of its extent
MAP_MAX_ZOOM = 17
TILE_PX = 512  # MapLibre's tile size: zoom z shows 360° in 512 · 2^z pixels


def offline_maps(fig: go.Figure) -> go.Figure:
    """Give every map subplot the offline style: no tile or raster layers, white background."""
    for key in MAP_LAYOUTS:
        sub = fig.layout[key] if key in fig.layout else None
        if sub is None or (sub.style is None and not sub.layers):
            continue
        layers = [layer for layer in (sub.layers or ())
                  if layer.sourcetype != "raster" and not _is_url(layer.source)]
        sub.style = OFFLINE_MAP_STYLE
        sub.layers = layers  # assigned, not update(): update() merges layers index by index
    return fig


def _is_url(source) -> bool:
    items = source if isinstance(source, (list, tuple)) else [source]
    return any(isinstance(s, str) and s.startswith(("http://", "https://")) for s in items)


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
    """``(min lon, min lat, max lon, max lat)`` of everything drawn on the figure's map, or None."""
    pts: list = []
    for trace in fig.data:
        if trace.type in ("choroplethmap", "choroplethmapbox") and trace.geojson is not None:
            _coords(trace.geojson, pts)
        elif trace.type in ("scattermap", "scattermapbox") and trace.lon is not None:
            pts += [(float(x), float(y)) for x, y in zip(_array(trace.lon), _array(trace.lat))
                    if x is not None and y is not None]
    sub = fig.layout.map if "map" in fig.layout else None
    for layer in (sub.layers if sub is not None and sub.layers else ()):
        if layer.coordinates:
            _coords(list(layer.coordinates), pts)
    if not pts:
        return None
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def fit_map_view(fig: go.Figure, width: int, height: int) -> go.Figure:
    """Centre and zoom every map so all it draws fits a figure of ``width`` × ``height`` CSS px."""
    bounds = map_bounds(fig)
    if bounds is None:
        return fig
    m = fig.layout.margin
    plot_w = max(width - (m.l or 0) - (m.r or 0), 50)
    plot_h = max(height - (m.t or 0) - (m.b or 0), 50)
    minx, miny, maxx, maxy = bounds
    lat = (miny + maxy) / 2
    span_x, span_y = max(maxx - minx, 1e-4) * MAP_PAD, max(maxy - miny, 1e-4) * MAP_PAD
    zx = math.log2(plot_w * 360 / (TILE_PX * span_x))
    zy = math.log2(plot_h * 360 * math.cos(math.radians(lat)) / (TILE_PX * span_y))
    for key in MAP_LAYOUTS:
        sub = fig.layout[key] if key in fig.layout else None
        if sub is not None and (sub.zoom is not None or sub.center is not None):
            sub.update(center=dict(lon=(minx + maxx) / 2, lat=lat),
                       zoom=round(min(zx, zy, MAP_MAX_ZOOM), 2))
    return fig


