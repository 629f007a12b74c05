"""Fitting the source line and notes under an exported chart to the width they have.

Plotly does not wrap annotation text, and an annotation placed at the left edge of the plot area
(``xref="paper"``, ``x=0``) may only run from there to the figure's right margin: the figure minus its
margins and the y-axis labels. The browser computes those only when drawing, so the width is
estimated here from the figure (tick texts, font sizes) and the text is broken into lines that fit,
with the bottom margin grown to hold them.

Examples
--------
>>> wrap_text("ord " * 12, width=20)
'ord ord ord ord ord<br>ord ord ord ord ord<br>ord ord'
"""

from __future__ import annotations

import re
import textwrap

import plotly.graph_objects as go

from lagesbild.figures import style
from lagesbild.figures.fit import MAP_TYPES, keep_together  # noqa: F401 (re-exported for tests)

CHAR_EM = 0.5  # average character width of the sans-serif fonts used, in ems (measured ~0.45)
NUMBER_TICK_CHARS = 7  # width of a numeric tick label (e.g. "1 500 %") in characters
LINE_EM = 1.3  # plotly's line height in ems
NOTE_GAP = 4  # px between the source line and a note
BOTTOM_PAD = 6  # px below the lowest text
MIN_TEXT_PX = 200
LABEL_CHARS = 30  # longest line of a category label on the y axis of an exported chart
NOTE_NAME = "export_note"


def _plain(text) -> list[str]:
    return [re.sub(r"<[^>]+>", "", line) for line in str(text or "").split("<br>")]


def _longest(texts) -> int:
    return max((len(line) for t in texts for line in _plain(t)), default=0)


def wrap_text(text: str, width: int) -> str:
    """Break a text into lines of at most ``width`` characters joined with ``<br>``."""
    parts = []
    for para in str(text).split("<br>"):
        parts += textwrap.wrap(para, max(width, 20), break_on_hyphens=False) or [""]
    return "<br>".join(parts)


def _font(fig: go.Figure) -> float:
    size = fig.layout.font.size if fig.layout.font and fig.layout.font.size else None
    if size is None and fig.layout.template and fig.layout.template.layout.font:
        size = fig.layout.template.layout.font.size
    return float(size or style.SIZES[False]["font"])


def _axis_width(fig: go.Figure, font: float) -> float:
    horizontal = [t for t in fig.data if getattr(t, "orientation", None) == "h" and t.y is not None]
    if horizontal:
        chars = _longest(y for t in horizontal for y in t.y)
    else:
        chars = NUMBER_TICK_CHARS
    title = fig.layout.yaxis.title.text if fig.layout.yaxis and fig.layout.yaxis.title else None
    return chars * CHAR_EM * font + (font + 12 if title else 6)


def wrap_category_labels(fig: go.Figure, max_chars: int = LABEL_CHARS) -> go.Figure:
    """Break long category labels of horizontal bar charts (the y axis) into shorter lines.

    Every trace whose y values are texts gets the same mapping, so bars and markers stay aligned.
    """
    if not any(getattr(t, "orientation", None) == "h" for t in fig.data):
        return fig
    for trace in fig.data:
        ys = getattr(trace, "y", None)
        if ys is not None and len(ys) and all(isinstance(y, str) for y in ys):
            trace.y = [wrap_text(y, max_chars) for y in ys]
    return fig


def text_width(fig: go.Figure, width: int) -> float:
    """Estimated width in CSS pixels from the plot area's left edge to the figure's right margin.

    Text under the plot starts at the plot's left edge (after the y-axis labels) and may run under a
    legend on the right, which sits beside the plot, not below it.
    """
    m = fig.layout.margin
    inner = width - (m.l if m.l is not None else 80) - (m.r if m.r is not None else 80)
    if any(t.type in MAP_TYPES for t in fig.data):
        return max(inner, MIN_TEXT_PX)
    return max(inner - _axis_width(fig, _font(fig)), MIN_TEXT_PX)


def chars_that_fit(fig: go.Figure, width: int, size: float) -> int:
    """How many characters of text at ``size`` px fit in one line under the plot area."""
    return int(text_width(fig, width) / (CHAR_EM * size))


def _line_px(size: float) -> float:
    return size * LINE_EM


def fit_texts(fig: go.Figure, width: int, source_name: str, note: str | None = None) -> go.Figure:
    """Wrap the source line to the width under the plot and add ``note`` (wrapped) under it.

    A source line anchored at its bottom is moved down by the lines it gains, so it never grows up
    into the axis labels; the bottom margin grows to hold everything.
    """
    s = style.SIZES[False]
    bottom = fig.layout.margin.b if fig.layout.margin.b is not None else s["bottom"]
    ann = next((a for a in fig.layout.annotations or () if a.name == source_name), None)
    low = 0.0  # how far below the plot area the lowest text reaches, in px
    if ann is not None:
        size = ann.font.size if ann.font and ann.font.size else s["source"]
        ann.text = wrap_text(keep_together(ann.text.replace("<br>", " ")),
                             chars_that_fit(fig, width, size))
        lines = ann.text.count("<br>") + 1
        shift = -(ann.yshift or 0)
        if ann.yanchor == "bottom":
            shift += (lines - 1) * _line_px(size)
            ann.yshift = -shift
            low = shift
        else:
            low = shift + lines * _line_px(size)
    if note:
        size = s["source"] - 1
        text = wrap_text(note, chars_that_fit(fig, width, size))
        fig.add_annotation(text=text, xref="paper", yref="paper", x=0, y=0, xanchor="left",
                           yanchor="top", yshift=-(low + NOTE_GAP), showarrow=False, align="left",
                           font=dict(size=size, color=style.MUTED), name=NOTE_NAME)
        low += NOTE_GAP + (text.count("<br>") + 1) * _line_px(size)
    fig.update_layout(margin=dict(b=max(bottom, round(low + BOTTOM_PAD))))
    return fig
