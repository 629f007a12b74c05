"""Fitting text to a figure's width: wrapped source lines and subtitles, and the room they need.

Plotly wraps no text and places an annotation relative to the plot area, whose size the browser only
knows when drawing. :func:`lagesbild.figures.finishing.finish` therefore estimates, from the figure itself
(tick texts, legend entries, font sizes), how much room the x-axis labels and a legend under the plot
take, wraps the source line to the width it has, and reserves a bottom margin for all of it, so the
source line sits at the bottom edge, clear of the axis labels. Estimates err on the generous side: a
wider screen leaves a little white space, never an overlap.

The width is the figure's ``layout.width`` when set, else :data:`NOMINAL_WIDTH`: a 16 cm Word column
(605 CSS pixels, the narrowest a chart is printed) or a meeting-mode panel.

Text is measured with the font the pages and charts name, :data:`FONT_FAMILY` (DejaVu Sans, Debian's
``fonts-dejavu-core``, installed by ``scripts/setup.sh``), from its own glyph widths (Pillow), so a
measurement holds on every machine that has the font. Without the font files the width falls back to a
generous estimate per character (:data:`FALLBACK_EM`).

Examples
--------
>>> print(wrap("Källa: Polisen, anmälda brott; bearbetning SDF, data t.o.m. 31 aug 2023", 200, 11))
Källa: Polisen, anmälda brott;<br>bearbetning SDF, data t.o.m.<br>31\xa0aug\xa02023
>>> round(text_px("abcd", 10))
25
>>> text_px("<b>abcd</b>", 10) > text_px("abcd", 10)
True
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go
from PIL import ImageFont

from lagesbild.figures import window
from lagesbild.figures.figview import (  # noqa: F401  (reading a figure: moved there, used from here)
    MAP_TYPES,
    _dict_legend_entries,
    _dict_trace_values,
    _Layout,
    _Node,
    _trace_values,
    axes_of,
    figure_view,
    is_axis,
    is_map,
    legend_entries,
    tick_texts,
)
from lagesbild.figures.markup import literal

# ----- declarative table -----------------------------------------------------------------------
NOMINAL_WIDTH = {False: 605, True: 900}  # CSS px when layout.width is unset (16 cm column / a panel
#                 of meeting mode's two columns at 1920 px; below that width it has one, see style.css)
FONT_FAMILY = "DejaVu Sans"  # the one family of pages and charts (CSS and the plotly template)
FONT_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}  # found in the system's font dirs
MEASURE_SLACK = 1.03  # measured widths are raised by this share (hinting and kerning in the browser)
FALLBACK_EM = 0.65    # average character width in ems without the font files (DejaVu Sans is wide)
CHAR_EM = 0.62        # a digit of DejaVu Sans in ems (numeric tick labels, estimated by count)
LINE_EM = 1.3         # plotly's line height in ems
NUMBER_TICK_CHARS = 6  # a numeric tick label when the values are unknown, e.g. "10 000"
TICK_PAD = 10         # px between the axis line and its labels (tick length and gap)
AXIS_TITLE_PAD = 12   # px between tick labels and an axis title
LEGEND_SYMBOL = 46    # px of a legend entry besides its text (symbol and gaps)
LEGEND_PAD = 10       # px above and below a legend's rows
LEGEND_ROW_EM = 1.65  # a legend row, in ems of the legend font
TRACEGROUPGAP = 10    # plotly's default gap after a legend group (legend.tracegroupgap)
GROUP_WIDTH_MARGIN = 1.04  # legend groups' estimated widths widened by this when packed into rows
SECTION_GAP = 8       # px between the axis labels, the legend and the source line
NOTE_GAP = 4          # px between the source line and a note under it (exports)
BOTTOM_PAD = 4        # px under the source line
AUTO_ANGLE = 30       # degrees plotly turns labels that do not fit side by side
SIDE_BY_SIDE = 0.9    # labels are assumed turned when wider than this share of their slot (plotly
#                       turns them when neighbours would touch: a tenth of slack)
MIN_TEXT_PX = 180


_TAG = re.compile(r"<[^>]+>")
def _lines(text) -> list[str]:
    return [_TAG.sub("", line) for line in str(text or "").split("<br>")]


@lru_cache(maxsize=2)
def _font(bold: bool):
    """DejaVu Sans (bold) at 100 px, or None when the font files are not installed."""
    try:
        return ImageFont.truetype(FONT_FILES[bool(bold)], 100)
    except OSError:
        return None


@lru_cache(maxsize=16384)
def line_px(line: str, size: float, bold: bool = False) -> float:
    """Width in CSS px of one line of text without tags in :data:`FONT_FAMILY` at font ``size``, an
    entity (``&amp;``, a name's escaped ``&lt;``) as the one character plotly draws for it (kept: the
    same labels, titles and source lines are measured on every view).

    >>> line_px("A &amp; B", 10) == line_px("A & B", 10)
    True
    """
    line = literal(line)
    font = _font(bold)
    if font is None:
        return len(line) * FALLBACK_EM * size
    return font.getlength(line) * size / 100 * MEASURE_SLACK


def text_px(text, size: float, bold: bool | None = None) -> float:
    """Width in CSS px of the longest line of ``text`` at font ``size`` (bold when ``bold`` or when the
    text is marked ``<b>``); kept by text, type included (tick labels, counts and names are measured
    several times in each figure's layout), a value that cannot be a key measured every time.

    >>> text_px(1, 10) == text_px("1", 10), text_px(1.0, 10) == text_px("1.0", 10)
    (True, True)
    """
    try:
        return _text_px(text, size, bold)
    except TypeError:  # unhashable
        return _text_px.__wrapped__(text, size, bold)


@lru_cache(maxsize=16384, typed=True)
def _text_px(text, size: float, bold: bool | None) -> float:
    bold = "<b>" in str(text or "") if bold is None else bold
    return max((line_px(line, size, bold) for line in _lines(text)), default=0.0)


def n_lines(text) -> int:
    """Lines of a plotly text (``<br>`` breaks)."""
    return len(_lines(text))


def keep_together(text: str) -> str:
    """No-break spaces in a date (``31 aug 2023``) and in the demo mark, so a wrap never splits them.

    Examples
    --------
    >>> keep_together("t.o.m. 31 aug 2023 – FIKTIVA DEMODATA").count("\\xa0")
    4
    """
    text = re.sub(r"\b(\d{1,2}) (\w+) (\d{4})\b", "\\1\u00a0\\2\u00a0\\3", text)
    return re.sub(r"(– )?FIKTIVA DEMODATA", lambda m: m.group(0).replace(" ", "\u00a0"), text)


def wrap(text: str, width_px: float, size: float, bold: bool = False, least: float = MIN_TEXT_PX,
         measure=None) -> str:
    """Break ``text`` into ``<br>``-joined lines that fit ``width_px`` (at least ``least``) at font
    ``size`` (measured by ``measure``, :func:`line_px` unless given; a word wider than the width gets
    a line of its own).

    Each line takes as many words as fit, the same lines a word-by-word fill gives: with
    :func:`line_px`, whose width grows with every word added, the words that fit are found by halving
    (a subtitle of a new place's name measured about 5 times instead of once per word, ≈ 15 µs each).

    >>> text = "a bb ccc dddd eeeee ffffff"
    >>> wrap(text, 40, 10, least=0)  # "abcd" is 25 px at 10 px (above): "a bb ccc" is wider than 40
    'a bb<br>ccc<br>dddd<br>eeeee<br>ffffff'
    >>> wrap(text, 40, 10, least=0) == _greedy(text, 40, 10, False, line_px)
    True
    """
    width = max(width_px, least)
    if measure is not None:
        return _greedy(text, width, size, bold, measure)
    return _wrapped(str(text), width, size, bool(bold))


@lru_cache(maxsize=8192)
def _wrapped(text: str, width: float, size: float, bold: bool) -> str:
    """:func:`wrap` measured by :func:`line_px` (kept: the same titles, source lines and legend names
    are wrapped to the same widths on every view)."""
    out = []
    for para in keep_together(text).split("<br>"):
        words = [w for w in para.split(" ") if w]
        if not words:
            out.append("")
        while words:
            k = _fitting(words, width, size, bold)
            out.append(" ".join(words[:k]))
            words = words[k:]
    return "<br>".join(out)


def _fitting(words: list[str], width: float, size: float, bold: bool) -> int:
    """How many of ``words`` (at least one) a line of ``width`` px holds, measured by :func:`line_px`
    (which never shrinks as words are added, so the count is found by halving)."""
    if len(words) == 1 or line_px(" ".join(words), size, bold) <= width:
        return len(words)
    lo, hi = 1, len(words) - 1  # lo words fit (the first always does); more than hi do not
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if line_px(" ".join(words[:mid]), size, bold) <= width:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _greedy(text: str, width: float, size: float, bold: bool, measure) -> str:
    """:func:`wrap` word by word, for any ``measure``."""
    out = []
    for para in keep_together(str(text)).split("<br>"):
        line = ""
        for word in (w for w in para.split(" ") if w):
            candidate = f"{line} {word}" if line else word
            if line and measure(candidate, size, bold) > width:
                out.append(line)
                line = word
            else:
                line = candidate
        out.append(line)
    return "<br>".join(out)


def stack_labels(labels, slot_px: float, size: float) -> list[str]:
    """Category labels broken into lines (``<br>``) at spaces when one line is wider than its slot, so
    they stand side by side instead of being turned; unchanged when they fit, or when a word alone is
    still too wide (plotly turns them then).

    Examples
    --------
    >>> stack_labels(["T1 2019", "T2 2019"], 50, 16)
    ['T1<br>2019', 'T2<br>2019']
    >>> stack_labels(["T1 2019"], 200, 16)
    ['T1 2019']
    """
    room = SIDE_BY_SIDE * slot_px
    labels = [str(t) for t in labels]
    if all(text_px(t, size) <= room for t in labels):
        return labels
    out = []
    for label in labels:
        lines: list[str] = []
        for word in keep_together(label).split(" "):
            if lines and line_px(f"{lines[-1]} {word}", size) <= room:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)
        if any(line_px(line, size) > room for line in lines):
            return labels
        out.append("<br>".join(lines))
    return out


def nominal_width(meeting: bool = False) -> float:
    """The width a figure without ``layout.width`` is fitted to: :data:`NOMINAL_WIDTH` of the mode, in
    meeting mode no wider than the one-column panel of the window the page sent
    (:func:`lagesbild.figures.window.drawn_in`: at 911 px a chart is 846 px wide).

    Examples
    --------
    >>> nominal_width(True), nominal_width(False)
    (900.0, 605.0)
    >>> with window.drawn_in(911):
    ...     nominal_width(True), nominal_width(False)
    (846.0, 605.0)
    >>> with window.drawn_in(1366):
    ...     nominal_width(True)
    900.0
    """
    nominal = float(NOMINAL_WIDTH[bool(meeting)])
    panel = window.meeting_panel()
    if meeting and panel:
        return max(min(nominal, panel), float(MIN_TEXT_PX))
    return nominal


def figure_width(fig: go.Figure, meeting: bool = False) -> float:
    """The width text is fitted to: ``layout.width`` or the nominal width of the mode
    (:func:`nominal_width`)."""
    return float(figure_view(fig).layout.width or nominal_width(meeting))


def x_labels(fig, axis, name: str, size: float, axis_w: float) -> tuple[float, float, float] | None:
    """(widest label, height of its rows, angle) of an x axis with text labels; None for numbers
    and dates. The angle is the axis's own or plotly's turn of labels too wide to stand side by side."""
    texts = tick_texts(fig, axis, "x", name)
    if not texts:
        return None
    shown = list(dict.fromkeys(texts))
    rows = max(n_lines(t) for t in shown) * size * LINE_EM
    longest = max(text_px(t, size) for t in shown)
    angle = axis.tickangle if isinstance(axis.tickangle, (int, float)) else None
    if angle is None:
        slot = _slot_px(axis, len(shown), axis_w)
        # plotly turns labels by 30° when turned ones stand clear of each other, else upright
        angle = 0 if longest <= SIDE_BY_SIDE * slot else \
            AUTO_ANGLE if slot * math.sin(math.radians(AUTO_ANGLE)) >= rows else 90
    return longest, rows, angle


def _slot_px(axis, n: int, axis_w: float) -> float:
    """The room a label has: the axis width over the labels, or, for labels at chosen values on an
    axis with a set range (dates a quarter apart on a range a month wider at each end), the closest
    two values' distance in pixels."""
    vals, rng = axis.tickvals, axis.range
    if vals is not None and rng is not None and len(vals) > 1 and len(rng) == 2 \
            and axis.type != "category":  # categories stand at 0, 1, … whatever their text
        try:
            if axis.type == "date":
                at = [pd.Timestamp(v).value for v in [*vals, *rng]]
            else:
                at = [float(v) for v in [*vals, *rng]]
        except (TypeError, ValueError):
            return axis_w / max(n, 1)
        ticks, (lo, hi) = sorted(at[:-2]), at[-2:]
        gap = min(b - a for a, b in zip(ticks, ticks[1:], strict=False))
        if hi > lo and gap > 0:
            return axis_w * gap / (hi - lo)
    return axis_w / max(n, 1)


def _x_axis_px(fig, axis, name: str, size: float, axis_w: float) -> float:
    if axis.visible is False or axis.showticklabels is False:
        return 0.0
    labels = x_labels(fig, axis, name, size, axis_w)
    if labels is None:
        height = size * LINE_EM
    else:
        longest, rows, angle = labels
        rad = math.radians(abs(angle))
        height = longest * math.sin(rad) + rows * math.cos(rad)
    title = n_lines(axis.title.text) * size * LINE_EM + AXIS_TITLE_PAD if axis.title and axis.title.text else 0.0
    return height + title + TICK_PAD


def x_label_px(fig: go.Figure, size: float, plot_w: float) -> float:
    """Estimated height of the x-axis labels (and titles) under the plot area."""
    fig = figure_view(fig)
    if is_map(fig):
        return 0.0
    out = 0.0
    for key in [k for k in fig.layout if is_axis["x"](k)]:
        axis = fig.layout[key]
        domain = axis.domain or (0, 1)
        name = "x" + key[5:]
        out = max(out, _x_axis_px(fig, axis, name, size, plot_w * (domain[1] - domain[0])))
    return out


def legend_px(fig: go.Figure, size: float, width: float) -> float:
    """Estimated height of a horizontal legend laid out in ``width`` px (0 without entries).

    Plotly puts the entries on one row when they fit; otherwise it aligns them in columns as wide as
    the widest entry, as many as fit the width, or, for entries in legend groups, fills each row
    with as many groups as fit, each as wide as its own entry.
    """
    entries = legend_entries(fig)
    view = figure_view(fig)
    if view.layout.showlegend is False or not entries:
        return 0.0
    widths = [text_px(name, size) + LEGEND_SYMBOL for name in entries]
    lines = [n_lines(name) for name in entries]
    grouped = any(t.legendgroup for t in view.data)
    if grouped:
        # entries in legend groups: plotly's entry (the text's lines, at least 16 px, plus 3) and the
        # groups' gap under every row (measured: 29 px a row at 12 px in the exported SVG's legend)
        gap = view.layout.legend.tracegroupgap
        gap = TRACEGROUPGAP if gap is None else gap

        def row_h(n):
            return max(n * size * LINE_EM, 16) + 3 + gap
    else:
        def row_h(n):
            return n * size * LEGEND_ROW_EM
    if sum(widths) <= width:
        return row_h(max(lines)) + 2 * LEGEND_PAD
    # each row as high as its own tallest entry: one entry of two lines made every row count as two
    # (297 px estimated for about 160 px drawn, 4 cm of blank above a 16 cm export's legend)
    if grouped:
        # legend groups are placed one after another, each as wide as its entry, and a group that
        # would pass the plot's width starts a new row (plotly's legend/draw.js); widths a little
        # wide, as text_px is an estimate: one row too many leaves a gap, one too few an overlap
        rows, x = [[]], 0.0
        for w, n in zip(widths, lines, strict=True):
            if x > 0 and x + w * GROUP_WIDTH_MARGIN > width:
                rows, x = rows + [[]], 0.0
            rows[-1].append(n)
            x += w * GROUP_WIDTH_MARGIN
    else:
        per_row = max(int(width // max(widths)), 1)
        rows = [lines[i:i + per_row] for i in range(0, len(lines), per_row)]
    return sum(row_h(max(row)) for row in rows) + 2 * LEGEND_PAD
