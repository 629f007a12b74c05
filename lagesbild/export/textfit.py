"""Category labels of exported bar charts, broken into short lines.

A chart exported 16 cm wide has less room for the y-axis labels of a horizontal bar chart than the
screen; long labels (survey questions) are broken into lines of at most :data:`LABEL_CHARS`
characters. The source line and notes are laid out by the figures themselves
(:func:`lagesbild.figures.finishing.refit`).

Examples
--------
>>> wrap_text("ord " * 12, width=20)
'ord ord ord ord ord<br>ord ord ord ord ord<br>ord ord'
>>> wrap_text("<b>52\xa0%</b> · n = 12\xa0345 · 2023", width=30)
'<b>52\xa0%</b> · n = 12\xa0345 · 2023'
"""

from __future__ import annotations

import re
import textwrap

import plotly.graph_objects as go

LABEL_CHARS = 30  # longest line of a category label on the y axis of an exported chart
TAG = re.compile(r"<[^>]+>")  # plotly's markup (<b>…</b>): not shown, so not counted in a line's length


def wrap_text(text: str, width: int) -> str:
    """Break a text into lines of at most ``width`` characters joined with ``<br>``."""
    parts = []
    for para in str(text).split("<br>"):
        if len(TAG.sub("", para)) <= max(width, 20):  # counted as shown: "<b>52 %</b> · n = 12 345 · 2023"
            parts.append(para)  # was broken before "2023" by its tags, a line more than the chart had room for
            continue
        parts += textwrap.wrap(para, max(width, 20), break_on_hyphens=False, break_long_words=False) or [""]
    return "<br>".join(parts)


def wrap_category_labels(fig: go.Figure, max_chars: int = LABEL_CHARS) -> go.Figure:
    """Break long category labels of horizontal bar charts (the y axis) into shorter lines.

    Every trace whose y values are texts, and the y axes' category order, get the same mapping, so
    bars and markers stay aligned and each category keeps one row. A word longer than a line is not
    cut.
    """
    if not any(getattr(t, "orientation", None) == "h" for t in fig.data):
        return fig
    for trace in fig.data:
        ys = getattr(trace, "y", None)
        if ys is not None and len(ys) and all(isinstance(y, str) for y in ys):
            trace.y = [wrap_text(y, max_chars) for y in ys]
    for name in [k for k in fig.layout if k.startswith("yaxis")]:
        axis = fig.layout[name]
        if axis.categoryarray is not None:
            axis.categoryarray = [wrap_text(c, max_chars) if isinstance(c, str) else c
                                  for c in axis.categoryarray]
    return fig
