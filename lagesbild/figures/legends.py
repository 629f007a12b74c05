"""Where a chart's legend stands: beside the plot, in two columns beside it (meeting mode, many
entries), or in a row above or under it; names wider than their room wrapped. Used by
:func:`lagesbild.figures.finishing.finish`."""

from __future__ import annotations

import math

import plotly.graph_objects as go

from lagesbild.figures.figdict import update_layout

COLUMN_MAX_PX = 400       # px a legend in columns may be high (it runs on beside the x labels)


def columns(fig, entries: list, s: dict) -> str:
    """``columns``: more entries than stand beside a meeting panel's plot in one column go into two
    legends side by side there (the second at the chart's right edge), in a smaller font: eight
    categories over two rows above the plot had left it 20 px high. Legend groups stay whole."""
    groups = []
    for t in _traces(fig):
        key = _get(t, "legendgroup") or _get(t, "name")
        if key is not None and key not in groups:
            groups.append(key)
    second = set(groups[math.ceil(len(groups) / 2):])
    if isinstance(fig, dict):
        fig["data"] = [dict(t, legend="legend2") if (t.get("legendgroup") or t.get("name")) in second else t
                       for t in fig["data"]]
    else:
        for t in fig.data:
            if (t.legendgroup or t.name) in second:
                t.legend = "legend2"
    return "columns"


def _traces(fig) -> list:
    return fig.get("data") or [] if isinstance(fig, dict) else list(fig.data)


def _get(trace, key):
    return trace.get(key) if isinstance(trace, dict) else getattr(trace, key, None)


def wrap_legend(fig, width: float, size: float) -> None:
    """Break legend names wider than ``width`` px into lines at spaces (a trace dict is copied
    before its name changes: never alter a shared one)."""
    from lagesbild.figures import fit

    if isinstance(fig, dict):
        data = fig.get("data") or []
        if any(t.get("name") and fit.text_px(t["name"], size) > width for t in data):
            fig["data"] = [dict(t, name=fit.wrap(t["name"], width, size))
                           if t.get("name") and fit.text_px(t["name"], size) > width else t for t in data]
        return
    for t in fig.data:
        if t.name and fit.text_px(t.name, size) > width:
            t.name = fit.wrap(t.name, width, size)


def place_legend(fig: go.Figure, where: str, size: float = 0) -> None:
    """Put the legend beside the plot (``right``) or lay it out horizontally above or under it."""
    if where == "columns":
        # two legends right of the plot: the first beside it, the second at the chart's right edge
        # (the right margin holds both, whatever the width the chart is drawn at)
        common = dict(orientation="v", y=1, yanchor="top", tracegroupgap=0, maxheight=COLUMN_MAX_PX,
                      font=dict(size=size), bgcolor="rgba(255,255,255,0)")
        update_layout(fig, legend=dict(common, x=1.01, xanchor="left"),
                      legend2=dict(common, xref="container", x=1, xanchor="right"))
    elif where == "right":
        # no gap between legend groups (plotly's 10 px each): four categories then stand in a short
        # meeting panel's plot height without the legend scrolling
        update_layout(fig, legend=dict(orientation="v", x=1.01, xanchor="left", y=1, yanchor="top",
                                       tracegroupgap=0))
    elif where in ("top", "below"):
        y, anchor = (1.0, "bottom") if where == "top" else (-0.01, "top")
        update_layout(fig, legend=dict(orientation="h", x=0, xanchor="left", y=y, yanchor=anchor,
                                      bgcolor="rgba(255,255,255,0)"))
