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

import math
import re
import textwrap

import plotly.graph_objects as go

from lagesbild.figures import fit, style
from lagesbild.figures.markup import literal

LABEL_CHARS = 30  # longest line of a category label on the y axis of an exported chart
LABEL_SHARE = 0.45  # of an export narrower than the column, the share its category labels may take
NOMINAL_PX = fit.NOMINAL_WIDTH[False]  # CSS px of the 16 cm column the labels' LABEL_CHARS are made for
LABEL_FONT = style.SIZES[False]["font"]  # px of the axis labels of an exported chart
TAG = re.compile(r"<[^>]+>")  # plotly's markup (<b>…</b>): not shown, so not counted in a line's length


def wrap_text(text: str, width: int) -> str:
    """Break a text into lines of at most ``width`` characters joined with ``<br>``."""
    parts = []
    for para in str(text).split("<br>"):
        # counted as shown: "<b>52 %</b> · n = 12 345 · 2023", an entity (&amp;) one character
        if len(literal(TAG.sub("", para))) <= max(width, 20):
            parts.append(para)  # was broken before "2023" by its tags, a line more than the chart had room for
            continue
        parts += textwrap.wrap(para, max(width, 20), break_on_hyphens=False, break_long_words=False) or [""]
    return "<br>".join(parts)


def wrap_px(text: str, width_px: float, size: float) -> str:
    """Break a label wider than ``width_px`` at font ``size`` into lines that fit; a word wider than
    that keeps a line of its own. Lines without markup are joined first (a question wrapped for the
    column is wrapped anew, not each of its lines apart); a line with markup (the share) stays a line
    of its own. Measured as the figures' margins measure a label: bold throughout when it holds bold
    markup (:func:`lagesbild.figures.margins.y_label_px`), so the margin made for it is as wide.

    Examples
    --------
    >>> wrap_px("Otrygg utomhus sent en kväll i<br>området<br><b>14\xa0%</b> · n = 312 · 2023", 130, 13)
    'Otrygg utomhus<br>sent en kväll i<br>området<br><b>14\xa0%</b> · n\xa0=\xa0312 ·<br>2023'
    """
    bold = "<b>" in str(text)
    if fit.text_px(text, size, bold) <= width_px:
        return text
    paras: list[str] = []
    for para in str(text).split("<br>"):
        if paras and "<" not in para and "<" not in paras[-1]:
            paras[-1] = f"{paras[-1]} {para}"
        else:
            paras.append(para)
    # "n = 312" whole; measured with the markup left out (a share in <b>)
    return "<br>".join(fit.wrap(para.replace(" = ", "\u00a0=\u00a0"), width_px, size, bold, least=0,
                                measure=fit.text_px) for para in paras)


def label_px(width_px: float) -> float | None:
    """How wide the category labels of a horizontal bar chart exported ``width_px`` CSS px wide may be:
    None (lines of :data:`LABEL_CHARS` characters) at the 16 cm column or wider, else
    :data:`LABEL_SHARE` of the width (an 8 cm export of a survey's long questions had its labels take
    all but a sliver of the width, the bars and their percentages squeezed into it)."""
    return None if width_px >= NOMINAL_PX else LABEL_SHARE * width_px


def wrap_category_labels(fig: go.Figure, max_chars: int = LABEL_CHARS, *, width_px: float | None = None,
                         size: float = LABEL_FONT) -> go.Figure:
    """Break long category labels of horizontal bar charts (the y axis) into shorter lines: of at most
    ``max_chars`` characters, or, for a figure exported ``width_px`` wide, narrower than the column,
    of at most :func:`label_px` pixels at font ``size``.

    Every trace whose y values are texts, and the y axes' category order, get the same mapping, so
    bars and markers stay aligned and each category keeps one row. A word longer than a line is not
    cut.
    """
    if not any(getattr(t, "orientation", None) == "h" for t in fig.data):
        return fig
    room = label_px(width_px) if width_px else None
    wrap = (lambda t: wrap_text(t, max_chars)) if room is None else (lambda t: wrap_px(t, room, size))
    before = after = rows = 0
    for trace in fig.data:
        ys = getattr(trace, "y", None)
        if ys is not None and len(ys) and all(isinstance(y, str) for y in ys):
            wrapped = [wrap(y) for y in ys]
            before = max(before, *(fit.n_lines(y) for y in ys))
            after = max(after, *(fit.n_lines(y) for y in wrapped))
            rows = max(rows, len(set(ys)))
            trace.y = wrapped
    for name in [k for k in fig.layout if k.startswith("yaxis")]:
        axis = fig.layout[name]
        if axis.categoryarray is not None:
            axis.categoryarray = [wrap(c) if isinstance(c, str) else c for c in axis.categoryarray]
    if after > before and fig.layout.height:  # every row as tall as the label of most lines (plotly)
        fig.layout.height = math.ceil(fig.layout.height + rows * (after - before) * fit.LINE_EM * size)
    return fig
