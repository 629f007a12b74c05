"""The density surface on the map: a kernel-density raster as a semi-transparent image layer.

The raster of :func:`lagesbild.core.kde.kde_surface` becomes a PNG data URL (no tiles, no internet)
placed by its corners, with an invisible marker carrying the colour bar.

Examples
--------
>>> _colour(0.0), _colour(1.0)
((255, 255, 204), (128, 0, 38))
"""

from __future__ import annotations

import base64
import io

import numpy as np
import plotly.graph_objects as go

from lagesbild.figures import palette


def _colour(value: float) -> tuple:
    stops = [(s, c) for s, c in palette.DENSITY_SCALE]
    for (s0, c0), (s1, c1) in zip(stops, stops[1:], strict=False):
        if value <= s1:
            t = 0 if s1 == s0 else max(0.0, (value - s0) / (s1 - s0))
            a, b = (int(c0[i:i + 2], 16) for i in (1, 3, 5)), (int(c1[i:i + 2], 16) for i in (1, 3, 5))
            return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=False))
    return tuple(int(stops[-1][1][i:i + 2], 16) for i in (1, 3, 5))


def density_layer(xs, ys, density, *, opacity: float = 0.75, crs: int = 3006) -> tuple[dict, float]:
    """A map image layer (PNG data URL) of a density raster, and its maximum.

    ``density[i, j]`` is at ``(xs[j], ys[i])`` in ``crs`` (ascending); NaN and values below 2 % of
    the maximum are transparent, and low values fade in (full opacity from 30 % of the maximum).
    """
    from PIL import Image
    from pyproj import Transformer

    dens = np.asarray(density, dtype=float)
    top = float(np.nanmax(dens)) if np.isfinite(dens).any() else 0.0
    norm = np.where(np.isfinite(dens), dens / top if top > 0 else 0.0, 0.0)
    lut = np.array([_colour(v) for v in np.linspace(0, 1, 256)], dtype=np.uint8)
    idx = np.clip((norm * 255).round().astype(int), 0, 255)
    rgba = np.zeros(dens.shape + (4,), dtype=np.uint8)
    rgba[..., :3] = lut[idx]
    rgba[..., 3] = np.where(norm >= 0.05, np.round(255 * opacity * np.clip(norm / 0.3, 0, 1)), 0)
    buf = io.BytesIO()
    Image.fromarray(rgba[::-1]).save(buf, format="PNG")  # first image row is the northernmost
    hx = (xs[1] - xs[0]) / 2 if len(xs) > 1 else 25.0
    hy = (ys[1] - ys[0]) / 2 if len(ys) > 1 else 25.0
    x0, x1, y0, y1 = xs[0] - hx, xs[-1] + hx, ys[0] - hy, ys[-1] + hy
    tr = Transformer.from_crs(crs, 4326, always_xy=True)
    corners = [list(tr.transform(x, y)) for x, y in ((x0, y1), (x1, y1), (x1, y0), (x0, y0))]
    url = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    return {"sourcetype": "image", "source": url, "coordinates": corners, "below": "traces",
            "name": "density"}, top


def density_scale_trace(top: float, lon: float, lat: float, ctx=None) -> go.Scattermap:
    """An invisible marker at ``lon, lat`` that carries the colour bar (crimes per km², 0 to ``top``)."""
    return go.Scattermap(
        lon=[lon], lat=[lat], mode="markers", hoverinfo="skip", showlegend=False,
        marker=dict(size=0.1, opacity=0, color=[0], cmin=0, cmax=top,
                    colorscale=palette.DENSITY_SCALE, showscale=True,
                    colorbar=dict(title=dict(text="Brott per km²", side="right"), thickness=14,
                                  len=0.6, tickformat=",.0f")))
