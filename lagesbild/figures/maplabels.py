"""Names on the offline map: which of its places, districts and activities are named at a given
figure size, and where, so that no two names overlap and none covers an activity's ring, a note on
the plot or (where there is room elsewhere) a hot spot.

The map itself (:mod:`lagesbild.figures.planmap`) keeps in its ``layout.meta`` what may be named
(:func:`label_candidates`, most important first: activities, then places, then districts), the view
and the boxes of the hot spots (:func:`hot_boxes`); :func:`place_labels` writes the names as
annotations in data coordinates, so they follow a zoom, and is run again by the exports at the
printed size (:mod:`lagesbild.export.mapview`, :func:`lagesbild.figures.tilemap.label_places`).

Examples
--------
>>> box = label_box(100, 50, "Torget", 13)
>>> round(box[2] - box[0]) > 40 and box[1] < 50 < box[3]
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely

from lagesbild.core.hotspot_change import CHANGE_LABELS
from lagesbild.figures import figdict, fit, palette
from lagesbild.figures.markup import plain

LABEL_NAME = "map_label"  # the name of a label annotation (places, districts, activities)
LABEL_BG = "rgba(255,255,255,0.8)"
LABEL_GAP = 2  # px kept free around a label
#: the figure size (CSS px) the dashboard's labels are chosen for when the browser's size is not
#: known, no larger than the map is drawn: 700 px high in normal mode, ``100vh - 300px`` but at least
#: 640 px in meeting mode, and the width of the map's panel at 1366 px
LABEL_PX = {False: (1240, 700), True: (1240, 640)}


def label_candidates(places, points, styles: dict) -> list[dict]:
    """What may be named, most important first: activities (their numbers), places, districts."""
    out = []
    if points is not None and len(points):
        for x, y, nr in zip(points["x"], points["y"], points["label"], strict=True):
            if nr:
                out.append({"text": str(nr), "x": float(x), "y": float(y), "kind": "activity"})
    if places is not None and len(places):
        out += _place_candidates(places, [k for k in styles if k != "plats"])
    order = {"activity": 0, "place": 1, "district": 2}
    return sorted(out, key=lambda c: order[c["kind"]])


def _place_candidates(places, area_kinds) -> list[dict]:
    """Places named at a point inside them, districts at the middle of their top edge (the top 2 %
    of the shape, and a metre): the same GEOS operations on all shapes at once (one at a time took
    ~0.25 ms of every map change)."""
    geoms = np.asarray(places.geometry.array)
    area = np.fromiter((k in area_kinds for k in places["kind"]), dtype=bool, count=len(geoms))
    x, y = np.empty(len(geoms)), np.empty(len(geoms))
    if area.any():
        minx, _, maxx, maxy = shapely.bounds(geoms[area]).T
        top = shapely.intersection(geoms[area], shapely.box(minx, maxy - (maxy - minx) * 0.02 - 1, maxx, maxy))
        x[area] = np.where(shapely.is_empty(top), (minx + maxx) / 2, shapely.get_x(shapely.centroid(top)))
        y[area] = maxy
    if not area.all():
        pts = shapely.point_on_surface(geoms[~area])
        x[~area], y[~area] = shapely.get_x(pts), shapely.get_y(pts)
    return [{"text": plain(name), "x": float(px), "y": float(py), "kind": "district" if a else "place"}
            for name, px, py, a in zip(places["name"], x.tolist(), y.tolist(), area.tolist(), strict=True)]


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
    meta = figure_meta(fig)
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


def figure_meta(fig: go.Figure | dict) -> dict:
    """The figure's ``layout.meta`` (a plotly figure's or a figure dict's), {} when it holds none."""
    meta = fig.get("layout", {}).get("meta") if isinstance(fig, dict) else fig.layout.meta
    return meta if isinstance(meta, dict) else {}




def hot_boxes(cells, mode: str, few) -> list:
    """Bounds of the cells names should leave visible: hot spots (new and persistent ones in change
    mode; with too few crimes, cells of 3 or more)."""
    if few:
        keep = pd.to_numeric(cells["count_after" if mode == "change" else "count"], errors="coerce") >= 3
    elif mode == "change":
        keep = cells["change"].astype(str).isin([CHANGE_LABELS["new"], CHANGE_LABELS["persistent"]])
    else:
        keep = cells["gi_bin"] > 0
    shapes = np.asarray(cells.geometry.array)[np.asarray(keep, dtype=bool)]  # no GeoDataFrame filtered
    return [[round(v) for v in b] for b in shapely.bounds(shapes).tolist()]
