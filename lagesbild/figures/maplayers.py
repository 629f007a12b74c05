"""The cell layers of the hotspot map, by class: Gi* (``gi_bin``), the change between two periods, or
the counts per cell when there are too few crimes for Gi* (:func:`too_few`). Each class is drawn as
MapLibre polygons or, offline, by the plan map's ``draw`` (:func:`lagesbild.figures.planmap.cells_traces`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild.core.hotspot_change import CHANGE_LABELS
from lagesbild.core.hotspot_limits import MIN_CELLS, MIN_INCIDENTS  # noqa: F401 (MIN_CELLS for web)
from lagesbild.core.hotspots import CLASS_LABELS
from lagesbild.figures import figdict, palette
from lagesbild.figures.format import fmt_int, fmt_num, fmt_p
from lagesbild.figures.planmap import cell_shapes
from lagesbild.figures.tilemap import _cells_trace

CHANGE_KEYS = {label: key for key, label in CHANGE_LABELS.items()}
#: ``n``: the crimes in the grid; where it holds fewer than the area (``attrs["in_area"]``, set by the
#: analysis layer: cells less than half in the area or on land are left out, their crimes with them)
#: both, "26 i kartans rutor, 27 i området"
TOO_FEW = "För få brott ({n}) för en meningsfull hot spot-analys"
#: the grid had fewer cells than Gi* needs (``attrs["tested"]`` False: core.hotspots.MIN_CELLS)
TOO_FEW_CELLS = "För få rutor ({n}) för en meningsfull hot spot-analys"
#: count classes drawn instead of hot spot classes: (from, to or None, legend label, colour)
COUNT_CLASSES = ((1, 1, "1 brott", "#FDD49E"), (2, 2, "2 brott", "#FDBB84"),
                 (3, 4, "3–4 brott", "#FC8D59"), (5, None, "5 brott eller fler", "#D7301F"))


def _gi_traces(cells, draw=None) -> list:
    traces = []
    bins, counts = cells["gi_bin"].to_numpy(), cells["count"].to_numpy()
    z, p = cells["z"].to_numpy(), cells["p"].to_numpy()
    shapes = None
    for gi_bin, (_, colour) in palette.GI_CLASSES.items():
        label = CLASS_LABELS.get(gi_bin, _)
        shown = (bins == gi_bin) & (counts > 0) if gi_bin == 0 else bins == gi_bin
        if shown.any():  # only the classes drawn; no GeoDataFrame filtered (slow) for the plan map
            hover = [f"{fmt_int(c)} brott i rutan<br>z = {fmt_num(v, 2)}, p = {fmt_p(q)}"  # "< 0,001" as elsewhere
                     for c, v, q in zip(counts[shown].tolist(), z[shown].tolist(), p[shown].tolist(), strict=True)]
            if draw is not None and shapes is None:  # the cells' rings once, each class a selection
                shapes = cell_shapes(cells.geometry.array)
            sub = cells[shown] if draw is None else shapes.select(shown)
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


def _too_few_note(fig, few: str, s: dict) -> None:
    """The boxed note in the map's corner saying why the counts are shown instead of Gi*."""
    if len(few) > 60:  # two lines on a narrow map (the grid's and the area's counts make it long)
        few = few.replace(" för en meningsfull", "<br>för en meningsfull")
    figdict.add_annotation(fig, text=f"<b>{few}</b>", xref="paper", yref="paper", x=0.01, y=0.99,
                          xanchor="left", yanchor="top", showarrow=False, align="left",
                          bgcolor="rgba(255,255,255,0.92)", bordercolor=palette.INCREASE, borderwidth=1.5,
                          borderpad=6, font=dict(size=s["font"], color=palette.TEXT), name="too_few")


def shortage(cells, mode: str = "gi", minimum: int | None = None) -> str | None:
    """What the selection lacks for hot spot classes: ``"brott"`` (fewer than :data:`MIN_INCIDENTS`
    crimes; in change mode in either period), ``"rutor"`` (a grid too small to test, ``attrs["tested"]``
    False) or None.

    Examples
    --------
    >>> shortage(pd.DataFrame({"count": [3, 9]})), shortage(pd.DataFrame({"count": [30]}))
    ('brott', None)
    """
    totals = _totals(cells, mode)
    if totals is None:
        return None
    if min(totals) < (MIN_INCIDENTS if minimum is None else minimum):
        return "brott"
    return "rutor" if untested(cells) else None


def _totals(cells, mode: str) -> list[int] | None:
    """The crimes counted (each period's in change mode), or None when there is nothing to judge."""
    if cells is None or mode == "density":
        return None
    cols = ["count_before", "count_after"] if mode == "change" else ["count"]
    if not all(c in cells for c in cols):
        return None
    return [_total(cells[c]) for c in cols]


def _total(column) -> int:
    """The sum of a count column, anything not a number as 0 (integer columns, the usual case,
    summed directly: to_numeric and fillna copy them)."""
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "iu":  # not pandas' Int64 (gaps)
        return int(column.to_numpy().sum())
    return int(pd.to_numeric(column, errors="coerce").fillna(0).sum())


def too_few(cells, mode: str = "gi", minimum: int | None = None) -> str | None:
    """The message shown instead of hot spot classes when the selection has too few crimes, or the grid
    too few cells (:func:`shortage`), or None.

    Gi* on a handful of crimes finds nothing meaningful (ArcGIS's Hot Spot Analysis asks for at least
    :data:`MIN_INCIDENTS`); in change mode both periods need that many.

    Examples
    --------
    >>> too_few(pd.DataFrame({"count": [3, 9]}))
    'För få brott (12) för en meningsfull hot spot-analys'
    >>> too_few(pd.DataFrame({"count": [30]})) is None
    True
    >>> few_cells = pd.DataFrame({"count": [81]})
    >>> few_cells.attrs["tested"] = False
    >>> too_few(few_cells)  # 81 crimes, but a grid of one cell
    'För få rutor (1) för en meningsfull hot spot-analys'
    >>> edge = pd.DataFrame({"count": [20, 6]})
    >>> edge.attrs["in_area"] = [27]  # one crime in a cell mostly outside the area, not in the grid
    >>> too_few(edge)
    'För få brott (26 i kartans rutor, 27 i området) för en meningsfull hot spot-analys'
    >>> edge.attrs["area_words"] = "i kartans område"  # the pack's map: the place and its surroundings
    >>> too_few(edge)
    'För få brott (26 i kartans rutor, 27 i kartans område) för en meningsfull hot spot-analys'
    """
    kind = shortage(cells, mode, minimum)
    if kind == "rutor":
        return TOO_FEW_CELLS.format(n=fmt_int(len(cells)))
    if kind != "brott":
        return None
    totals = _totals(cells, mode)
    areas = list(cells.attrs.get("in_area") or [])
    if len(areas) != len(totals) or all(a == t for a, t in zip(areas, totals, strict=True)):
        return TOO_FEW.format(n=" och ".join(fmt_int(t) for t in totals))
    return TOO_FEW.format(n=f"{' och '.join(fmt_int(t) for t in totals)} i kartans rutor, "
                            f"{' och '.join(fmt_int(a) for a in areas)} {cells.attrs.get('area_words', 'i området')}")


def untested(cells) -> bool:
    """Whether the grid was too small to test (:func:`lagesbild.core.hotspots.hotspots`' ``tested``)."""
    return cells is not None and cells.attrs.get("tested", True) is False


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
