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

import base64
import math
import re
from functools import lru_cache

import numpy as np
import plotly.graph_objects as go
from PIL import ImageFont

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
AUTORANGE_PAD = 1.1   # plotly's automatic range reaches this far beyond the largest value (at most)
COLORBAR_X = 1.02     # plotly's default place of a colour bar, as a share of the plot area's width
COLORBAR_PAD = 30     # px of a colour bar besides its bar, labels and title (its xpad and gaps)
TICK_PAD = 10         # px between the axis line and its labels (tick length and gap)
AXIS_TITLE_PAD = 12   # px between tick labels and an axis title
Y_TITLE_GAP = 2       # px between a y axis's tick labels and its (turned) title
LEGEND_SYMBOL = 46    # px of a legend entry besides its text (symbol and gaps)
LEGEND_PAD = 10       # px above and below a legend's rows
LEGEND_ROW_EM = 1.65  # a legend row, in ems of the legend font
SECTION_GAP = 8       # px between the axis labels, the legend and the source line
NOTE_GAP = 4          # px between the source line and a note under it (exports)
BOTTOM_PAD = 4        # px under the source line
AUTO_ANGLE = 30       # degrees plotly turns labels that do not fit side by side
SIDE_BY_SIDE = 0.8    # labels are assumed turned when wider than this share of their slot
MIN_TEXT_PX = 180
COLORSCALE_TYPES = ("heatmap", "histogram2d", "contour")  # traces with a colour bar unless told not to
MAP_TYPES = ("choroplethmap", "scattermap", "densitymap", "choroplethmapbox", "scattermapbox")


def _lines(text) -> list[str]:
    return [re.sub(r"<[^>]+>", "", line) for line in str(text or "").split("<br>")]


@lru_cache(maxsize=2)
def _font(bold: bool):
    """DejaVu Sans (bold) at 100 px, or None when the font files are not installed."""
    try:
        return ImageFont.truetype(FONT_FILES[bool(bold)], 100)
    except OSError:
        return None


@lru_cache(maxsize=16384)
def line_px(line: str, size: float, bold: bool = False) -> float:
    """Width in CSS px of one line of plain text in :data:`FONT_FAMILY` at font ``size`` (kept: the
    same labels, titles and source lines are measured on every view)."""
    font = _font(bold)
    if font is None:
        return len(line) * FALLBACK_EM * size
    return font.getlength(line) * size / 100 * MEASURE_SLACK


def text_px(text, size: float, bold: bool | None = None) -> float:
    """Width in CSS px of the longest line of ``text`` at font ``size`` (bold when ``bold`` or when the
    text is marked ``<b>``)."""
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


def wrap(text: str, width_px: float, size: float, bold: bool = False) -> str:
    """Break ``text`` into ``<br>``-joined lines that fit ``width_px`` at font ``size`` (measured; a
    word wider than the width gets a line of its own)."""
    width = max(width_px, MIN_TEXT_PX)
    out = []
    for para in keep_together(str(text)).split("<br>"):
        line = ""
        for word in (w for w in para.split(" ") if w):
            candidate = f"{line} {word}" if line else word
            if line and line_px(candidate, size, bold) > width:
                out.append(line)
                line = word
            else:
                line = candidate
        out.append(line)
    return "<br>".join(out)


class _Node:
    """Read access to a figure dict as plotly's objects give it: attributes, None when unset.

    The Plats figures are plain dicts (``{"data": [...], "layout": {...}}``, see
    :mod:`lagesbild.figures.finishing`); the estimates here read them and plotly figures alike.
    """

    __slots__ = ("_d",)

    def __init__(self, d: dict):
        self._d = d

    def __getattr__(self, name):
        value = self._d.get(name)
        return _Node(value) if isinstance(value, dict) else value

    __getitem__ = __getattr__

    def __iter__(self):
        return iter(self._d)

    @property
    def data(self):
        return [_Node(t) for t in self._d.get("data", ())]

    @property
    def layout(self):
        return _Layout(self._d.get("layout") or {})


class _Layout(_Node):
    """A layout: its x and y axes are there (empty) when unset, as on a plotly layout."""

    __slots__ = ()
    AXES = ("xaxis", "yaxis")

    def __getattr__(self, name):
        value = self._d.get(name)
        if value is None and name in self.AXES:
            return _Node({})
        return _Node(value) if isinstance(value, dict) else value

    __getitem__ = __getattr__

    def __iter__(self):
        return iter(list(self._d) + [k for k in self.AXES if k not in self._d])


def figure_view(fig):
    """``fig`` itself (a plotly figure) or a :class:`_Node` reading a figure dict the same way
    (``figure_view(d).layout.margin.t``; None where plotly would say None)."""
    return _Node(fig) if isinstance(fig, dict) else fig


def figure_width(fig: go.Figure, meeting: bool = False) -> float:
    """The width text is fitted to: ``layout.width`` or the nominal width of the mode."""
    return float(figure_view(fig).layout.width or NOMINAL_WIDTH[bool(meeting)])


def is_map(fig: go.Figure) -> bool:
    """Whether the figure draws a map (no cartesian axes)."""
    fig = figure_view(fig)
    if any(t.type in MAP_TYPES for t in fig.data):
        return True
    y = fig.layout.yaxis  # the offline map: equal-aspect axes without ticks (figures.planmap)
    return y.scaleanchor == "x" and y.visible is False


def _axes(fig: go.Figure, letter: str) -> list:
    fig = figure_view(fig)
    return [fig.layout[k] for k in fig.layout if re.fullmatch(letter + r"axis\d*", k)]


def _trace_values(fig: go.Figure, letter: str, axis_name: str) -> list:
    """Text values the traces put on axis ``axis_name`` (e.g. ``x2``) of direction ``letter``."""
    fig, out = figure_view(fig), []
    for t in fig.data:
        ref = getattr(t, letter + "axis", None) or letter
        vals = getattr(t, letter, None)
        if isinstance(vals, dict):  # numbers sent as a typed array ({"dtype": …, "bdata": …})
            continue
        if ref == axis_name and vals is not None and isinstance(next(iter(vals), None), str):
            out += [v for v in vals if isinstance(v, str)]
    return out


def _tick_texts(fig: go.Figure, axis, letter: str, name: str) -> list[str] | None:
    """The texts an axis shows, or None for numeric/date labels without explicit text."""
    if axis.ticktext is not None:
        return [str(t) for t in axis.ticktext]
    values = _trace_values(fig, letter, name)
    return values or None


def _numbers(values) -> np.ndarray:
    """Finite numbers of a trace's array: a list, a numpy array or a typed array
    (``{"dtype": "f8", "bdata": …}``); empty when the values are not numbers."""
    if isinstance(values, dict) or hasattr(values, "bdata"):
        get = values.get if isinstance(values, dict) else lambda k: getattr(values, k, None)
        try:
            out = np.frombuffer(base64.b64decode(get("bdata")), dtype=np.dtype(get("dtype")))
        except (TypeError, ValueError):
            return np.empty(0)
    else:
        try:
            out = np.asarray(values if values is not None else (), dtype=float).ravel()
        except (TypeError, ValueError):
            return np.empty(0)
    out = out.astype(float, copy=False)
    return out[np.isfinite(out)]


def _numeric_top(fig, letter: str, axis_name: str, axis) -> tuple[float, bool] | None:
    """The largest magnitude a numeric axis shows and whether it shows negative numbers: its fixed
    range, or its traces' values (error bars and stacked bars included) with the autorange's
    padding; None without numbers."""
    if axis.range is not None and axis.autorange is not True:
        vals = _numbers(list(axis.range))
        return (float(np.abs(vals).max()), bool((vals < 0).any())) if vals.size else None
    tops, negative = [], False
    for t in fig.data:
        if (getattr(t, letter + "axis", None) or letter) != axis_name:
            continue
        vals = _numbers(getattr(t, letter, None))
        if not vals.size:
            continue
        err = getattr(t, "error_" + letter, None)
        extra = _numbers(err.array) if err is not None and err.array is not None else np.empty(0)
        tops.append(float(np.abs(vals).max()) + (float(extra.max()) if extra.size else 0.0))
        negative |= bool((vals < 0).any())
    if not tops:
        return None
    stacked = fig.layout.barmode in ("stack", "relative")
    return (sum(tops) if stacked else max(tops)) * AUTORANGE_PAD, negative


def _number_label(shown: tuple[float, bool] | None, axis) -> str:
    """The widest label plotly's automatic ticks give an axis showing ``shown`` (Swedish digit
    groups; tenths or hundredths on short ranges), with the axis's prefix and suffix.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> _number_label((1234.5, False), NS(tickprefix=None, ticksuffix=None))
    '1 235'
    >>> _number_label((3.0, True), NS(tickprefix=None, ticksuffix=" %"))
    '−8,8 %'
    """
    if shown is None:
        text, negative = "8" * NUMBER_TICK_CHARS, False
    else:
        top, negative = shown
        text = "0,88" if top < 1 else "8,8" if top < 5 else f"{math.ceil(top):,}".replace(",", " ")
    return f"{axis.tickprefix or ''}{'−' if negative else ''}{text}{axis.ticksuffix or ''}"


def _font_size(font, size: float) -> float:
    return float(font.size) if font is not None and font.size else size


def y_label_px(fig: go.Figure, size: float) -> float:
    """Estimated width of the leftmost y axis's labels and title (the axis's own tick and title
    font sizes where it sets them; numeric labels from the values it shows)."""
    fig = figure_view(fig)
    axes = _axes(fig, "y")
    if not axes or is_map(fig) or all(a.visible is False for a in axes):
        return 0.0
    axis = axes[0]
    if axis.visible is False or axis.showticklabels is False:
        label = 0.0
    else:
        tick = _font_size(axis.tickfont, size)
        texts = _tick_texts(fig, axis, "y", "y")
        label = max((text_px(t, tick) for t in texts), default=0.0) if texts else \
            text_px(_number_label(_numeric_top(fig, "y", "y", axis), axis), tick)
    title = _font_size(axis.title.font if axis.title else None, size) * LINE_EM + Y_TITLE_GAP \
        if axis.title and axis.title.text else 0.0
    return label + title + TICK_PAD


def _x_labels(fig, axis, name: str, size: float, axis_w: float) -> tuple[float, float, float] | None:
    """(widest label, height of its rows, angle) of an x axis with text labels; None for numbers
    and dates. The angle is the axis's own or plotly's turn of labels too wide to stand side by side."""
    texts = _tick_texts(fig, axis, "x", name)
    if not texts:
        return None
    shown = list(dict.fromkeys(texts))
    rows = max(n_lines(t) for t in shown) * size * LINE_EM
    longest = max(text_px(t, size) for t in shown)
    angle = axis.tickangle if isinstance(axis.tickangle, (int, float)) else None
    if angle is None:
        angle = 0 if longest <= SIDE_BY_SIDE * axis_w / max(len(shown), 1) else AUTO_ANGLE
    return longest, rows, angle


def _x_axis_px(fig, axis, name: str, size: float, axis_w: float) -> float:
    if axis.visible is False or axis.showticklabels is False:
        return 0.0
    labels = _x_labels(fig, axis, name, size, axis_w)
    if labels is None:
        height = size * LINE_EM
    else:
        longest, rows, angle = labels
        rad = math.radians(abs(angle))
        height = longest * math.sin(rad) + rows * math.cos(rad)
    title = size * LINE_EM + AXIS_TITLE_PAD if axis.title and axis.title.text else 0.0
    return height + title + TICK_PAD


def _x_overhang(fig, size: float, plot_w: float) -> float:
    """How far the last label of the rightmost x axis with a text label per category reaches beyond
    the plot area: half of it past the middle of its slot, or, turned, its turned width."""
    view = figure_view(fig)
    keys = [k for k in view.layout if re.fullmatch(r"xaxis\d*", k)]
    if not keys or is_map(fig):
        return 0.0
    key = max(keys, key=lambda k: (view.layout[k].domain or (0, 1))[1])
    axis = view.layout[key]
    if axis.visible is False or axis.showticklabels is False or axis.tickvals is not None:
        return 0.0  # (labels at chosen values, not one per slot: where they fall is not known here)
    domain = axis.domain or (0, 1)
    axis_w = plot_w * (domain[1] - domain[0])
    labels = _x_labels(fig, axis, "x" + key[5:], size, axis_w)
    if labels is None or (1 - domain[1]) * plot_w > 0.5:
        return 0.0
    longest, rows, angle = labels
    rad = math.radians(abs(angle))
    reach = longest * math.cos(rad) + rows * math.sin(rad) if angle else longest / 2
    return max(reach - axis_w / len(set(_tick_texts(fig, axis, "x", "x" + key[5:]))) / 2, 0.0)


def x_label_px(fig: go.Figure, size: float, plot_w: float) -> float:
    """Estimated height of the x-axis labels (and titles) under the plot area."""
    fig = figure_view(fig)
    if is_map(fig):
        return 0.0
    out = 0.0
    for key in [k for k in fig.layout if re.fullmatch(r"xaxis\d*", k)]:
        axis = fig.layout[key]
        domain = axis.domain or (0, 1)
        name = "x" + key[5:]
        out = max(out, _x_axis_px(fig, axis, name, size, plot_w * (domain[1] - domain[0])))
    return out


def legend_entries(fig: go.Figure) -> list[str]:
    """Names of the legend's entries (one per legend group)."""
    fig, seen, out = figure_view(fig), set(), []
    for t in fig.data:
        shown = t.showlegend if t.showlegend is not None else len(fig.data) > 1
        if not shown or t.name is None or t.visible is False:
            continue
        key = t.legendgroup or t.name
        if key not in seen:
            seen.add(key)
            out.append(str(t.name))
    return out


def legend_px(fig: go.Figure, size: float, width: float) -> float:
    """Estimated height of a horizontal legend laid out in ``width`` px (0 without entries).

    Plotly puts the entries on one row when they fit; otherwise it aligns them in columns as wide as
    the widest entry, as many as fit the width.
    """
    entries = legend_entries(fig)
    if figure_view(fig).layout.showlegend is False or not entries:
        return 0.0
    widths = [text_px(name, size) + LEGEND_SYMBOL for name in entries]
    row_h = max(n_lines(name) for name in entries) * size * LEGEND_ROW_EM
    if sum(widths) <= width:
        return row_h + 2 * LEGEND_PAD
    per_row = max(int(width // max(widths)), 1)
    return math.ceil(len(entries) / per_row) * row_h + 2 * LEGEND_PAD


def right_px(fig: go.Figure, size: float, plot_w: float | None = None) -> float:
    """Estimated width right of the plot area: a vertical legend beside the plot (``x ≥ 1``), colour
    bars (bar, tick labels, a title on the right side) and the last x-axis label reaching past the
    plot (``plot_w``: the plot area's estimated width); 0 without any of them.

    Setting the right margin to this keeps plotly from growing it and drawing the chart a second time.
    """
    view = figure_view(fig)
    plot_w = plot_w or figure_width(fig) - 2 * LEGEND_PAD
    out = _x_overhang(fig, size, plot_w)
    legend = view.layout.legend
    if legend is not None and legend.orientation == "v" and (legend.x or 0) >= 1 \
            and view.layout.showlegend is not False:
        entries = legend_entries(fig)
        font = _font_size(legend.font, size)
        if entries:
            out = max(out, (legend.x - 1) * plot_w + max(text_px(n, font) for n in entries)
                      + LEGEND_SYMBOL)
    for t in view.data:
        kind = getattr(t, "type", None)
        shown = getattr(t, "showscale", None)
        shown = kind in COLORSCALE_TYPES if shown is None else shown
        if not shown or kind in MAP_TYPES:
            continue
        bar = getattr(t, "colorbar", None) or _Node({})
        z = _numbers(getattr(t, "z", None))
        label = text_px(_number_label((float(np.abs(z).max()), bool((z < 0).any())) if z.size else None,
                                      bar), _font_size(bar.tickfont, size))
        title = size * LINE_EM if bar.title and bar.title.text else 0.0
        gap = ((bar.x if bar.x is not None else COLORBAR_X) - 1) * plot_w
        out = max(out, gap + COLORBAR_PAD + (bar.thickness or 30) + label + title)
    return out
