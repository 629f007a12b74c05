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

import plotly.graph_objects as go

from lagesbild.figures import tilemap

OFFLINE_MAP_STYLE = "white-bg"
MAP_LAYOUTS = tilemap.MAP_LAYOUTS
MAP_PAD = tilemap.MAP_PAD  # margin around what a map draws, as a factor of its extent
MAP_EXPORT_HEIGHT = 560  # CSS px of an exported map whose figure sets no height (the page's map)


def offline_maps(fig: go.Figure) -> go.Figure:
    """Give every map subplot the offline style: no tile or raster layers, white background."""
    for key in MAP_LAYOUTS:
        sub = fig.layout[key] if key in fig.layout else None  # noqa: SIM401 - no .get on plotly layouts
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


def map_bounds(fig: go.Figure):
    """``(min lon, min lat, max lon, max lat)`` of everything drawn on the figure's map, or None
    (:func:`lagesbild.figures.tilemap.map_bounds`)."""
    return tilemap.map_bounds(fig)


def fit_map_view(fig: go.Figure, width: int, height: int) -> go.Figure:
    """Centre and zoom every map so all it draws fits a figure of ``width`` × ``height`` CSS px, and
    name its places and districts (:func:`lagesbild.figures.tilemap.label_places`).

    The figures' own :func:`lagesbild.figures.tilemap.fit_view`, so a map is fitted the same way on
    screen and on paper.
    """
    tilemap.fit_view(fig, width, height, pad=MAP_PAD)
    return tilemap.label_places(fig, width, height)  # names are printed: paper cannot be hovered
