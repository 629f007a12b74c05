"""The hotspot map: Gi* classes, a density surface or the change between two periods, with places,
districts and the action plan's activities.

The map needs no internet: ``map_style`` is ``white-bg`` and every layer (cells, boundaries, the density
image) is drawn from data in the figure. A tile basemap is added only when the ``basemap_url`` setting
names one (e.g. an internal tile server), as a raster layer under the data.

Modes (:data:`MODES`):

* ``gi`` – cells of :func:`lagesbild.core.hotspots.hotspots` coloured by ``gi_bin`` (RdBu, colour-blind
  safe; cells without significance and without crimes are left out);
* ``density`` – the raster of :func:`lagesbild.core.kde.kde_surface` as a semi-transparent image;
* ``change`` – cells of :func:`lagesbild.core.hotspots.hotspot_change`: new, persistent, ended.

Examples
--------
>>> fig = make_hotspot_map(None, mode="gi")
>>> fig.layout.annotations[0].text
'Inget att visa: det finns inga händelser med koordinater för urvalet'
"""

from __future__ import annotations

import base64
import io
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lagesbild.core.hotspots import CHANGE_LABELS, CLASS_LABELS
from lagesbild.figures import style
from lagesbild.figures.format import fmt_int, fmt_num

MODES = {"gi": "Hot spots (Getis–Ord Gi*)", "density": "Täthet (kärnskattning)",
         "change": "Förändring av hot spots"}
CHANGE_KEYS = {label: key for key, label in CHANGE_LABELS.items()}
PLACE_STYLE = {"stadsdelsomrade": ("#4D4D4D", 2.5), "stad": ("#000000", 3.0)}
PLACE_DEFAULT = ("#0072B2", 2.0)
MAP_PX = (1100, 650)  # nominal size used to choose the zoom that fits the area


def _to_4326(gdf):
    if gdf is None or len(gdf) == 0:
        return gdf
    return gdf.to_crs(4326) if gdf.crs is not None and gdf.crs.to_epsg() != 4326 else gdf


def _view(bounds) -> dict:
    """Centre and zoom that fit lon/lat bounds ``(minx, miny, maxx, maxy)``."""
    minx, miny, maxx, maxy = bounds
    lat = (miny + maxy) / 2
    span_x, span_y = max(maxx - minx, 1e-4) * 1.3, max(maxy - miny, 1e-4) * 1.3
    zx = math.log2(MAP_PX[0] * 360 / (512 * span_x))
    zy = math.log2(MAP_PX[1] * 360 * math.cos(math.radians(lat)) / (512 * span_y))
    return {"center": {"lon": (minx + maxx) / 2, "lat": lat}, "zoom": round(min(zx, zy, 16), 2)}


def _cells_trace(gdf, name: str, colour: str, hover: list[str], opacity: float = 0.8):
    geo = gdf[["cell_id", "geometry"]].__geo_interface__
    return go.Choroplethmap(
        geojson=geo, locations=gdf["cell_id"], featureidkey="properties.cell_id",
        z=[1] * len(gdf), colorscale=[[0, colour], [1, colour]], showscale=False, name=name,
        showlegend=True, marker=dict(opacity=opacity, line=dict(width=0.4, color="#FFFFFF")),
        customdata=hover, hovertemplate="%{customdata}<extra>" + name + "</extra>")


def _gi_traces(cells) -> list:
    traces = []
    for gi_bin, (_, colour) in style.GI_CLASSES.items():
        label = CLASS_LABELS.get(gi_bin, _)
        sub = cells[cells["gi_bin"] == gi_bin]
        if gi_bin == 0:
            sub = sub[sub["count"] > 0]
        if len(sub):
            hover = [f"{fmt_int(c)} brott i rutan<br>z = {fmt_num(z, 2)}, p = {fmt_num(p, 3)}"
                     for c, z, p in zip(sub["count"], sub["z"], sub["p"])]
            traces.append(_cells_trace(sub, label, colour, hover, 0.35 if gi_bin == 0 else 0.8))
    return traces


def _change_traces(cells) -> list:
    traces = []
    keys = [CHANGE_KEYS.get(str(c)) for c in cells["change"]]
    for key, (_, colour) in style.CHANGE_CLASSES.items():
        label = CHANGE_LABELS[key][:1].upper() + CHANGE_LABELS[key][1:]
        sub = cells[[k == key for k in keys]]
        if len(sub):
            hover = [f"före: {fmt_int(a)} brott, efter: {fmt_int(b)} brott"
                     for a, b in zip(sub["count_before"], sub["count_after"])]
            traces.append(_cells_trace(sub, label, colour, hover))
    return traces


def _colour(value: float) -> tuple:
    stops = [(s, c) for s, c in style.DENSITY_SCALE]
    for (s0, c0), (s1, c1) in zip(stops, stops[1:]):
        if value <= s1:
            t = 0 if s1 == s0 else max(0.0, (value - s0) / (s1 - s0))
            a, b = (int(c0[i:i + 2], 16) for i in (1, 3, 5)), (int(c1[i:i + 2], 16) for i in (1, 3, 5))
            return tuple(round(x + (y - x) * t) for x, y in zip(a, b))
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


def _density_scale_trace(top: float, lon: float, lat: float, ctx) -> go.Scattermap:
    return go.Scattermap(
        lon=[lon], lat=[lat], mode="markers", hoverinfo="skip", showlegend=False,
        marker=dict(size=0.1, opacity=0, color=[0], cmin=0, cmax=top,
                    colorscale=style.DENSITY_SCALE, showscale=True,
                    colorbar=dict(title=dict(text="Brott per km²", side="right"), thickness=14,
                                  len=0.6, tickformat=",.0f")))


def _outline_traces(places) -> list:
    traces = []
    if places is None or len(places) == 0:
        return traces
    groups = places.groupby(places["kind"].map(lambda k: k if k in PLACE_STYLE else "plats"))
    names = {"stadsdelsomrade": "Stadsdelsområden", "stad": "Staden", "plats": "Platser"}
    for kind, sub in groups:
        lons, lats, text = [], [], []
        for name, geom in zip(sub["name"], sub.geometry):
            for poly in getattr(geom, "geoms", [geom]):
                xs, ys = poly.exterior.coords.xy
                lons += list(xs) + [None]
                lats += list(ys) + [None]
                text += [name] * len(xs) + [None]
        colour, width = PLACE_STYLE.get(kind, PLACE_DEFAULT)
        traces.append(go.Scattermap(lon=lons, lat=lats, mode="lines", name=names[kind],
                                    line=dict(color=colour, width=width), text=text,
                                    hovertemplate="%{text}<extra></extra>"))
    return traces


def _activity_traces(activities: pd.DataFrame | None, s: dict) -> list:
    if activities is None or len(activities) == 0:
        return []
    hover = activities["hover"] if "hover" in activities else activities["aktivitet"]
    ring = go.Scattermap(lon=activities["lon"], lat=activities["lat"], mode="markers",
                         marker=dict(size=s["font"] * 1.5, color="white"), hoverinfo="skip",
                         showlegend=False)
    dot = go.Scattermap(lon=activities["lon"], lat=activities["lat"], mode="markers",
                        name="Aktiviteter i åtgärdsplanen",
                        marker=dict(size=s["font"] * 1.0, color="#1B1F24"), text=hover,
                        hovertemplate="%{text}<extra></extra>")
    return [ring, dot]


def make_hotspot_map(cells=None, *, mode: str = "gi", places=None, density=None, activities=None,
                     basemap_url: str = "", area: str | None = None, category: str | None = None,
                     periods=None, context: style.FigureContext | None = None,
                     height: int | None = None) -> go.Figure:
    """The hotspot map.

    Parameters
    ----------
    cells : GeoDataFrame, optional
        ``hotspots`` output (mode ``gi``) or ``hotspot_change`` output (mode ``change``), any CRS.
    mode : {'gi', 'density', 'change'}
    places : GeoDataFrame, optional
        ``place_id, name, kind, geometry``: boundaries drawn as outlines (the first fits the view
        when there are no cells).
    density : tuple, optional
        ``(xs, ys, density)`` from :func:`lagesbild.core.kde.kde_surface` (EPSG:3006).
    activities : DataFrame, optional
        ``lon, lat, aktivitet`` and ``hover`` (the popup text: aktivitet, arbetsgrupp,
        sammankallande, mötesfrekvens, latest follow-up).
    basemap_url : str
        Tile URL template (``{z}/{x}/{y}``); empty = no tiles.
    area, category, periods : optional
        For the title block.
    """
    if mode not in MODES:
        raise ValueError(f"Okänt kartläge: {mode!r}; välj {', '.join(MODES)}.")
    ctx = context or style.FigureContext()
    title = f"{MODES[mode]}{': ' + category if category else ''}"
    cells, places = _to_4326(cells), _to_4326(places)
    has_cells = cells is not None and len(cells) > 0
    has_density = density is not None and np.isfinite(np.asarray(density[2], dtype=float)).any()
    if not (has_cells or has_density):
        return style.empty_figure("det finns inga händelser med koordinater för urvalet", title=title,
                                  place=area, periods=periods, context=ctx)
    s = style.sizes(ctx)
    fig = go.Figure()
    layers = [{"sourcetype": "raster", "source": [basemap_url], "below": "traces",
               "sourceattribution": "Bakgrundskarta"}] if basemap_url else []
    if mode == "density" and has_density:
        xs, ys, dens = density
        layer, top = density_layer(xs, ys, dens)
        layers.append(layer)
        lon, lat = layer["coordinates"][0]
        fig.add_trace(_density_scale_trace(top, lon, lat, ctx))
        bounds = (layer["coordinates"][0][0], layer["coordinates"][2][1],
                  layer["coordinates"][2][0], layer["coordinates"][0][1])
    else:
        for trace in (_gi_traces(cells) if mode == "gi" else _change_traces(cells)):
            fig.add_trace(trace)
        bounds = tuple(cells.total_bounds)
    for trace in _outline_traces(places) + _activity_traces(activities, s):
        fig.add_trace(trace)
    fig.update_layout(map=dict(style="white-bg", layers=layers, **_view(bounds)),
                      legend=dict(x=0.01, y=0.99, xanchor="left", yanchor="top",
                                  bgcolor="rgba(255,255,255,0.9)", bordercolor="#CCCCCC",
                                  borderwidth=1))
    return style.finish(fig, title=title, place=area, periods=periods, context=ctx, height=height)


FOLLOWUP_ORDER = {"T1": 1, "T2": 2, "T3": 3, "VB": 4}


def activity_points(activities: pd.DataFrame, links: pd.DataFrame, places, followups=None) -> pd.DataFrame:
    """One marker per place with activities: ``place_id, lon, lat, aktivitet, hover``.

    The hover text lists each activity with its arbetsgrupp, sammankallande, mötesfrekvens and latest
    follow-up (latest year; VB after T2 after T1). The marker sits on a point inside the place.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> pl = gpd.GeoDataFrame({"place_id": ["t"], "name": ["Torget"]}, geometry=[box(17.8, 59.3, 17.9, 59.4)],
    ...                       crs=4326)
    >>> acts = pd.DataFrame({"activity_id": ["a"], "aktivitet": ["Platssamverkan"], "arbetsgrupp": ["AG"],
    ...                      "sammankallande": ["SDF"], "motesfrekvens": ["1 gång per månad"]})
    >>> fu = pd.DataFrame({"activity_id": ["a", "a"], "year": [2022, 2022], "period": ["T1", "VB"],
    ...                    "goal_met": ["nej", "ja"], "carried_out": ["", "Vandringar"]})
    >>> pts = activity_points(acts, pd.DataFrame({"activity_id": ["a"], "place_id": ["t"]}), pl, fu)
    >>> "Senaste uppföljning: VB 2022 – mål uppfyllt: ja" in pts.loc[0, "hover"]
    True
    """
    cols = ["place_id", "lon", "lat", "aktivitet", "hover"]
    if activities is None or activities.empty or links is None or links.empty or places is None:
        return pd.DataFrame(columns=cols)
    places = _to_4326(places)
    latest = {}
    if followups is not None and len(followups):
        fu = followups.assign(_o=followups["period"].map(FOLLOWUP_ORDER).fillna(0))
        for r in fu.sort_values(["year", "_o"]).to_dict("records"):
            latest[r["activity_id"]] = r
    merged = links.merge(activities, on="activity_id").merge(
        pd.DataFrame({"place_id": places["place_id"], "name": places.get("name", places["place_id"]),
                      "point": places.geometry.representative_point()}), on="place_id")
    rows = []
    for pid, sub in merged.groupby("place_id", sort=False):
        parts = []
        for r in sub.to_dict("records"):
            text = f"<b>{r['aktivitet']}</b>"
            for key, label in (("arbetsgrupp", "Arbetsgrupp"), ("sammankallande", "Sammankallande"),
                               ("motesfrekvens", "Mötesfrekvens")):
                text += f"<br>{label}: {r.get(key) or '–'}"
            f = latest.get(r["activity_id"])
            text += ("<br>Senaste uppföljning: –" if f is None else
                     f"<br>Senaste uppföljning: {f['period']} {f['year']} – mål uppfyllt: {f['goal_met']}"
                     + (f" ({str(f['carried_out'])[:80]})" if f.get("carried_out") else ""))
            parts.append(text)
        point = sub["point"].iloc[0]
        rows.append({"place_id": pid, "lon": point.x, "lat": point.y,
                     "aktivitet": "; ".join(sub["aktivitet"]),
                     "hover": f"<i>{sub['name'].iloc[0]}</i><br>" + "<br><br>".join(parts)})
    return pd.DataFrame(rows, columns=cols)
