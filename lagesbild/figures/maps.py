"""The hotspot map: Gi* classes, a density surface or the change between two periods, with places,
districts and the action plan's activities.

The map needs no internet: ``map_style`` is ``white-bg`` and every layer (cells, boundaries, the density
image) is drawn from data in the figure. A tile basemap is added only when the ``basemap_url`` setting
names one (e.g. an internal tile server), as a raster layer under the data.

Modes (:data:`MODES`):

* ``gi`` – cells of :func:`lagesbild.core.hotspots.hotspots` coloured by ``gi_bin`` (RdBu, colour-blind
  safe; cells without significance and without crimes are left out);
* ``density`` – the raster of :func:`lagesbild.core.kde.kde_surface` as a semi-transparent image;
* ``change`` – cells of :func:`lagesbild.core.hotspot_change.hotspot_change`: new, persistent, ended.

With fewer than :data:`~lagesbild.figures.maplayers.MIN_INCIDENTS` crimes in the selection (in change
mode: in either period) Gi* says nothing meaningful: the cells are coloured by their counts instead of
classes, and the map says "För få brott (N) för en meningsfull hot spot-analys".

The legend sits under the map, clear of the grid. :func:`fit_view` centres and zooms the map so all
it draws fits a given figure size inside its margins; the dashboard fits to :data:`MAP_PX` and the
exports (:mod:`lagesbild.export.mapview`) to the exported size. The cell layers by class are
:mod:`lagesbild.figures.maplayers`; the map over a tile server and the fitting
:mod:`lagesbild.figures.tilemap`; the offline map :mod:`lagesbild.figures.planmap`.

Examples
--------
>>> fig = make_hotspot_map(None, mode="gi")
>>> fig["layout"]["annotations"][0]["text"]
'Inget att visa: det finns inga händelser med koordinater för urvalet'
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lagesbild.figures import finishing, maplabels, planmap, style
from lagesbild.figures.density import density_layer, density_scale_trace
from lagesbild.figures.kept import MISSING, KeptByIdentity
from lagesbild.figures.maplayers import (
    _change_traces,
    _count_traces,
    _gi_traces,
    _too_few_note,
    too_few,
)
from lagesbild.figures.tilemap import (
    MAP_PX,
    PLACE_DEFAULT,
    PLACE_STYLE,
    _activity_traces,
    _outline_traces,
    _to_4326,
    fit_view,
)

MODES = {"gi": "Heta och kalla punkter (Getis–Ord Gi*)", "density": "Täthet (kärnskattning)",
         "change": "Förändring av heta punkter"}
SUMMED = "brotten i kategorierna räknas samman: hot spots på summan av kategorierna"
COUNTS_TITLE = "Anmälda brott per ruta"
#: why a map with neither cells nor density is empty, unless the caller knows better
NOTHING = "det finns inga händelser med koordinater för urvalet"


def make_hotspot_map(cells=None, *, mode: str = "gi", places=None, density=None, activities=None,
                     basemap_url: str = "", area: str | None = None, category: str | None = None,
                     periods=None, context: style.FigureContext | None = None,
                     height: int | None = None, summed: bool = False,
                     drawn: tuple[float, float] | None = None, nothing: str = NOTHING,
                     outlines: list | None = None) -> go.Figure | dict:
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
    drawn : (width, height), optional
        The CSS px the offline map is drawn at, when known (the browser's window): its names are
        placed for that size; else for the dashboard's nominal size (:data:`maplabels.LABEL_PX`).
    nothing : str
        Why the map is empty when there are neither cells nor density (:data:`NOTHING` unless the
        caller knows better, e.g. that the place has only counts without a place).
    outlines : list, optional
        :func:`plan_outlines` of ``places``; copied into the figure, never altered. Else those kept
        for this ``places`` frame (:func:`kept_outlines`: the analysis layer returns the same frame
        for an area until the data change, so a change of category or period draws the outlines
        worked out for the area's first map).
    """
    if mode not in MODES:
        raise ValueError(f"Okänt kartläge: {mode!r}; välj {', '.join(MODES)}.")
    ctx = context or style.FigureContext()
    if outlines is None and not basemap_url:
        outlines = kept_outlines(places)
    if places is not None and len(places):  # an area without a shape is never drawn
        places = places[~(places.geometry.isna() | places.geometry.is_empty)]
    if not basemap_url:  # offline: plain axes in metres, names written by the figure itself
        return _plan_map(cells, mode=mode, places=places, density=density, activities=activities, area=area,
                         category=category, periods=periods, ctx=ctx, height=height, summed=summed,
                         drawn=drawn, nothing=nothing, outlines=outlines)
    cells, places = _to_4326(cells), _to_4326(places)
    has_cells, has_density, few, title = _what_to_draw(cells, density, mode, category)
    if not (has_cells or has_density):
        return finishing.empty_figure(nothing, title=title, place=area, periods=periods, context=ctx)
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


def plan_outlines(places) -> list:
    """The offline map's traces of ``places``' outlines (those with a shape, in EPSG:3006), as
    :func:`make_hotspot_map` draws them; a caller may keep them for its next map of the same places."""
    if places is not None and len(places):
        places = places[~(places.geometry.isna() | places.geometry.is_empty)]
    return planmap.outline_traces(planmap.to_3006(places), PLACE_STYLE, PLACE_DEFAULT)


#: frames of places whose outline traces are kept (an area's; the analysis layer keeps the frame)
OUTLINES_KEPT = 16
_OUTLINES = KeptByIdentity(OUTLINES_KEPT)  # (places,) -> traces, while the frame lives


def kept_outlines(places) -> list:
    """:func:`plan_outlines` of ``places``, worked out once for each frame while it lives (the
    :data:`OUTLINES_KEPT` frames used last): the analysis layer returns one frame per area and data
    version, so its maps share their outlines. Callers copy them (:func:`_copied`), never alter them.
    A frame is recognised by identity, checked through a weak reference (an id of a frame since freed
    may be reused; :mod:`lagesbild.figures.kept`). Frames must not be changed once drawn (the analysis
    layer's never are)."""
    if places is None:
        return plan_outlines(places)
    traces = _OUTLINES.get((places,))
    if traces is MISSING:
        traces = plan_outlines(places)
        _OUTLINES.put((places,), traces)
    return traces


def _copied(traces: list) -> list:
    """Outline traces for one figure: their lists copied (fast), so no figure alters another's."""
    return [dict(t, x=list(t["x"]), y=list(t["y"]), text=list(t["text"]), line=dict(t["line"])) for t in traces]


def _plan_map(cells, *, mode, places, density, activities, area, category, periods, ctx, height, summed,
              drawn=None, nothing=NOTHING, outlines=None):
    """The offline map on axes in metres (:mod:`lagesbild.figures.planmap`), as a figure dict (see
    :mod:`lagesbild.figures.finishing`)."""
    cells, places = planmap.to_3006(cells), planmap.to_3006(places)
    has_cells, has_density, few, title = _what_to_draw(cells, density, mode, category)
    if not (has_cells or has_density):
        return finishing.empty_dict(nothing, title=title, place=area, periods=periods, context=ctx)
    s = style.sizes(ctx)
    points = planmap.plan_points(activities)
    extent = None
    if has_density:
        xs, ys, _ = density
        extent = (xs[0], ys[0], xs[-1], ys[-1])
    view = planmap.view_box(cells if has_cells else None, places,
                            (points["x"], points["y"]) if points is not None else None, extent)
    fig = {"data": planmap.land_water_traces(view), "layout": {}}
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
    fig["data"] += (_copied(outlines) if outlines is not None
                    else planmap.outline_traces(places, PLACE_STYLE, PLACE_DEFAULT))
    if points is not None:
        fig["data"].append(planmap.activity_trace(points, s))
    if drawn:  # the legend and the source line wrapped for the width the map is drawn at
        fig["layout"]["width"] = round(drawn[0])
    planmap.plan_axes(fig, view)
    if few:
        _too_few_note(fig, few, s)
    finishing.finish(fig, title=title, place=area, periods=periods, context=ctx, height=height,
                     extra=SUMMED if summed else None)
    fig["layout"]["meta"] = {
        **fig["layout"]["meta"], "map_view": [float(v) for v in view],
        "map_labels": maplabels.label_candidates(places, points, PLACE_STYLE),
        "map_label_size": round(s["font"] * 0.9), "map_ring_px": s["font"] * planmap.RING_EM + 4,
        "map_hot": maplabels.hot_boxes(cells, mode, few) if has_cells else []}
    return maplabels.place_labels(fig, *(drawn or maplabels.label_size(ctx.meeting, fig)), drawn=bool(drawn))
