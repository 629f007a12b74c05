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

With fewer than :data:`MIN_INCIDENTS` crimes in the selection (in change mode: in either period) Gi*
says nothing meaningful: the cells are coloured by their counts instead of classes, and the map says
"För få brott (N) för en meningsfull hot spot-analys".

The legend sits under the map, clear of the grid. :func:`fit_view` centres and zooms the map so all
it draws fits a given figure size inside its margins; the dashboard fits to :data:`MAP_PX` and the
exports (:mod:`lagesbild.export.mapview`) to the exported size.

Examples
--------
>>> fig = make_hotspot_map(None, mode="gi")
>>> fig["layout"]["annotations"][0]["text"]
'Inget att visa: det finns inga händelser med koordinater för urvalet'
"""

from __future__ import annotations

import base64
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lagesbild.core.hotspots import CHANGE_LABELS, CLASS_LABELS
from lagesbild.figures import figdict, finishing, fit, palette, planmap, style
from lagesbild.figures.density import density_layer, density_scale_trace
from lagesbild.figures.format import fmt_int, fmt_num

MODES = {"gi": "Hot spots (Getis–Ord Gi*)", "density": "Täthet (kärnskattning)",
         "change": "Förändring av hot spots"}
CHANGE_KEYS = {label: key for key, label in CHANGE_LABELS.items()}
PLACE_STYLE = {"stadsdelsomrade": ("#4D4D4D", 2.5), "stad": ("#000000", 3.0)}
PLACE_DEFAULT = ("#0072B2", 2.0)
MAP_PX = (1100, 700)  # nominal size of the dashboard's map, to which its view is fitted
MAP_PAD = 1.06  # margin around what a map draws, as a factor of its extent
MAX_ZOOM = 17
TILE_PX = 512  # MapLibre's tile size: zoom z shows 360° in 512 · 2^z pixels
MAP_LAYOUTS = ("map", "mapbox")
#: fewer crimes than this in the selection: counts per cell, no Gi* classes (ArcGIS asks for 30)
MIN_INCIDENTS = 30
SUMMED = "brotten i kategorierna räknas samman: hot spots på summan av kategorierna"
TOO_FEW = "För få brott ({n}) för en meningsfull hot spot-analys"
COUNTS_TITLE = "Anmälda brott per ruta"
#: count classes drawn instead of hot spot classes: (from, to or None, legend label, colour)
COUNT_CLASSES = ((1, 1, "1 brott", "#FDD49E"), (2, 2, "2 brott", "#FDBB84"),
                 (3, 4, "3–4 brott", "#FC8D59"), (5, None, "5 brott eller fler", "#D7301F"))


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


def _gi_traces(cells, draw=None) -> list:
    traces = []
    bins, counts = cells["gi_bin"].to_numpy(), cells["count"].to_numpy()
    for gi_bin, (_, colour) in palette.GI_CLASSES.items():
        label = CLASS_LABELS.get(gi_bin, _)
        shown = (bins == gi_bin) & (counts > 0) if gi_bin == 0 else bins == gi_bin
        if shown.any():  # a frame only for the classes drawn (filtering a GeoDataFrame is slow)
            sub = cells[shown]
            hover = [f"{fmt_int(c)} brott i rutan<br>z = {fmt_num(z, 2)}, p = {fmt_num(p, 3)}"
                     for c, z, p in zip(sub["count"], sub["z"], sub["p"], strict=True)]
            traces += _drawn(draw, sub, label, colour, hover, 0.35 if gi_bin == 0 else 0.8)
    return traces


def _drawn(draw, sub, label, colour, hover, opacity=0.8) -> list:
    """The traces of one class of cells: MapLibre polygons, or ``draw``'s (the plan map's)."""
    if draw is None:
        return [_cells_trace(sub, label, colour, hover, opacity)]
    return draw(sub, label, colour, hover, opacity)


def _change_traces(cells, draw=None) -> list:
    traces = []
    keys = [CHANGE_KEYS.get(str(c)) for c in cells["change"]]
    for key, (_, colour) in palette.CHANGE_CLASSES.items():
        label = CHANGE_LABELS[key][:1].upper() + CHANGE_LABELS[key][1:]
        sub = cells[[k == key for k in keys]]
        if len(sub):
            hover = [f"före: {fmt_int(a)} brott, efter: {fmt_int(b)} brott"
                     for a, b in zip(sub["count_before"], sub["count_after"], strict=True)]
            traces += _drawn(draw, sub, label, colour, hover)
    return traces


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
    # small (MapLibre draws no open circles): a hot spot cell stays visible around the marker
    ring = go.Scattermap(lon=activities["lon"], lat=activities["lat"], mode="markers",
                         marker=dict(size=s["font"] * 0.8, color="white"), hoverinfo="skip",
                         showlegend=False)
    dot = go.Scattermap(lon=activities["lon"], lat=activities["lat"], mode="markers",
                        name="Aktiviteter i åtgärdsplanen",
                        marker=dict(size=s["font"] * 0.5, color="#1B1F24"), text=hover,
                        hovertemplate="%{text}<extra></extra>")
    return [ring, dot]


def make_hotspot_map(cells=None, *, mode: str = "gi", places=None, density=None, activities=None,
                     basemap_url: str = "", area: str | None = None, category: str | None = None,
                     periods=None, context: style.FigureContext | None = None,
                     height: int | None = None, summed: bool = False) -> go.Figure | dict:
    """The hotspot map: a figure dict (see :mod:`lagesbild.figures.finishing`) for the offline map, the
    default; a plotly figure for a map over a tile server's basemap (``basemap_url``).

    Parameters
    ----------
    cells : GeoDataFrame, optional
        ``hotspots`` output (mode ``gi``) or ``hotspot_change`` output (mode ``change``), any CRS.
    mode : {'gi', 'density', 'change'}
    places : GeoDataFrame, optional
        ``place_id, name, kind, geometry``: boundaries drawn as outlines (the first fits the view
        when there are no cells); empty geometries (areas without a shape) are left out.
    density : tuple, optional
        ``(xs, ys, density)`` from :func:`lagesbild.core.kde.kde_surface` (EPSG:3006).
    activities : DataFrame, optional
        ``lon, lat, aktivitet`` and ``hover`` (the popup text: aktivitet, arbetsgrupp,
        sammankallande, mötesfrekvens, latest follow-up).
    basemap_url : str
        Tile URL template (``{z}/{x}/{y}``); empty = no tiles.
    area, category, periods : optional
        For the title block.
    summed : bool
        ``category`` names several categories whose crimes are counted together: the subtitle says
        that the hot spots are computed on the sum.
    """
    if mode not in MODES:
        raise ValueError(f"Okänt kartläge: {mode!r}; välj {', '.join(MODES)}.")
    ctx = context or style.FigureContext()
    if places is not None and len(places):  # an area without a shape is never drawn
        places = places[~(places.geometry.isna() | places.geometry.is_empty)]
    if not basemap_url:  # offline: plain axes in metres, names written by the figure itself
        return _plan_map(cells, mode=mode, places=places, density=density, activities=activities, area=area,
                         category=category, periods=periods, ctx=ctx, height=height, summed=summed)
    cells, places = _to_4326(cells), _to_4326(places)
    has_cells, has_density, few, title = _what_to_draw(cells, density, mode, category)
    if not (has_cells or has_density):
        return finishing.empty_figure("det finns inga händelser med koordinater för urvalet", title=title,
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
        fig.add_trace(density_scale_trace(top, lon, lat, ctx))
    elif few:
        fig.add_traces(_count_traces(cells, "count_after" if mode == "change" else "count"))
    else:
        fig.add_traces(_gi_traces(cells) if mode == "gi" else _change_traces(cells))
    fig.add_traces(_outline_traces(places) + _activity_traces(activities, s))
    fig.update_layout(map=dict(style="white-bg", layers=layers, zoom=10))
    if few:
        _too_few_note(fig, few, s)
    finishing.finish(fig, title=title, place=area, periods=periods, context=ctx, height=height,
                 extra=SUMMED if summed else None)
    return fit_view(fig, MAP_PX[0], height or fig.layout.height or MAP_PX[1])


def _what_to_draw(cells, density, mode: str, category) -> tuple[bool, bool, str | None, str]:
    """``has_cells, has_density, few`` (why Gi* is not shown, or None) and the map's title."""
    has_cells = cells is not None and len(cells) > 0
    has_density = density is not None and np.isfinite(np.asarray(density[2], dtype=float)).any()
    few = too_few(cells, mode) if has_cells else None
    title = f"{COUNTS_TITLE if few else MODES[mode]}{': ' + category if category else ''}"
    return has_cells, has_density, few, title


def _too_few_note(fig, few: str, s: dict) -> None:
    """The boxed note in the map's corner saying why the counts are shown instead of Gi*."""
    figdict.add_annotation(fig, text=f"<b>{few}</b>", xref="paper", yref="paper", x=0.01, y=0.99,
                          xanchor="left", yanchor="top", showarrow=False, align="left",
                          bgcolor="rgba(255,255,255,0.92)", bordercolor=palette.INCREASE, borderwidth=1.5,
                          borderpad=6, font=dict(size=s["font"], color=palette.TEXT), name="too_few")


def _plan_map(cells, *, mode, places, density, activities, area, category, periods, ctx, height, summed):
    """The offline map on axes in metres (:mod:`lagesbild.figures.planmap`), as a figure dict (see
    :mod:`lagesbild.figures.finishing`)."""
    cells, places = planmap.to_3006(cells), planmap.to_3006(places)
    has_cells, has_density, few, title = _what_to_draw(cells, density, mode, category)
    if not (has_cells or has_density):
        return finishing.empty_dict("det finns inga händelser med koordinater för urvalet", title=title,
                                place=area, periods=periods, context=ctx)
    s = style.sizes(ctx)
    points = planmap.plan_points(activities)
    extent = None
    if has_density:
        xs, ys, _ = density
        extent = (xs[0], ys[0], xs[-1], ys[-1])
    view = planmap.view_box(cells if has_cells else None, places,
                            (points["x"], points["y"]) if points is not None else None, extent)
    fig = {"data": planmap.land_water_traces(view, land=not (mode == "density" and has_density)), "layout": {}}
    if mode == "density" and has_density:
        layer, top = density_layer(*density)
        image, carrier = planmap.density_image(density, top, layer["source"], ctx)
        fig["layout"]["images"] = [image]
        fig["data"].append(carrier)
    elif few:
        fig["data"] += _count_traces(cells, "count_after" if mode == "change" else "count", planmap.cells_traces)
    else:
        draw = planmap.cells_traces
        fig["data"] += _gi_traces(cells, draw) if mode == "gi" else _change_traces(cells, draw)
    fig["data"] += planmap.outline_traces(places, PLACE_STYLE, PLACE_DEFAULT)
    if points is not None:
        fig["data"].append(planmap.activity_trace(points, s))
    planmap.plan_axes(fig, view)
    if few:
        _too_few_note(fig, few, s)
    finishing.finish(fig, title=title, place=area, periods=periods, context=ctx, height=height,
                 extra=SUMMED if summed else None)
    fig["layout"]["meta"] = {
        **fig["layout"]["meta"], "map_view": [float(v) for v in view],
        "map_labels": planmap.label_candidates(places, points, PLACE_STYLE),
        "map_label_size": round(s["font"] * 0.9), "map_ring_px": s["font"] * planmap.RING_EM + 4,
        "map_hot": planmap.hot_boxes(cells, mode, few) if has_cells else []}
    return planmap.place_labels(fig, *planmap.label_size(ctx.meeting, fig))


def too_few(cells, mode: str = "gi", minimum: int | None = None) -> str | None:
    """The message shown instead of hot spot classes when the selection has too few crimes, or None.

    Gi* on a handful of crimes finds nothing meaningful (ArcGIS's Hot Spot Analysis asks for at least
    :data:`MIN_INCIDENTS`); in change mode both periods need that many.

    Examples
    --------
    >>> too_few(pd.DataFrame({"count": [3, 9]}))
    'För få brott (12) för en meningsfull hot spot-analys'
    >>> too_few(pd.DataFrame({"count": [30]})) is None
    True
    """
    minimum = MIN_INCIDENTS if minimum is None else minimum
    if cells is None or mode == "density":
        return None
    cols = ["count_before", "count_after"] if mode == "change" else ["count"]
    if not all(c in cells for c in cols):
        return None
    totals = [int(pd.to_numeric(cells[c], errors="coerce").fillna(0).sum()) for c in cols]
    if min(totals) >= minimum:
        return None
    n = " och ".join(fmt_int(t) for t in totals)
    return TOO_FEW.format(n=n)


def _count_traces(cells, column: str, draw=None) -> list:
    """Cells coloured by their count (no classes): what is shown when there are too few crimes."""
    counts = pd.to_numeric(cells[column], errors="coerce").fillna(0)
    traces = []
    for low, high, label, colour in COUNT_CLASSES:
        sub = cells[(counts >= low) & ((counts <= high) if high is not None else True)]
        if len(sub):
            hover = [f"{fmt_int(c)} brott i rutan" for c in counts[sub.index]]
            traces += _drawn(draw, sub, label, colour, hover)
    return traces


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
        return planmap.place_labels(fig, width, height)
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
