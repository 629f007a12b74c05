"""Side margins that hold what is beside a chart's plot area, estimated from the figure itself.

:func:`y_label_px` estimates the y axis's tick labels (in the axis's own font; numbers from the values
the axis shows) and title, :func:`right_px` a legend beside the plot, colour bars and the last x label
reaching past the plot. :func:`lagesbild.figures.finishing.finish` sets the left and right margins from
them. Plotly's automatic margins stay on as a safety net, but when the margins already hold everything
plotly does not grow them, which would lay out and draw the chart a second time on every update
(≈ 70 ms of a change of place in the browser, measured with ``bench_browser.py``); the layout test
of every page asserts that no chart's margins grew.

Text is measured as :mod:`lagesbild.figures.fit` measures it (the pages' font, its own glyph widths).
"""

from __future__ import annotations

import base64
import math

import numpy as np
import plotly.graph_objects as go

from lagesbild.figures import fit

# ----- declarative table -----------------------------------------------------------------------
AUTORANGE_PAD = 1.1   # plotly's automatic range reaches this far beyond the largest value (at most)
COLORBAR_X = 1.02     # plotly's default place of a colour bar, as a share of the plot area's width
COLORBAR_PAD = 30     # px of a colour bar besides its bar, labels and title (its xpad and gaps)
LEGEND_GAP = 12       # px between two legends beside each other right of the plot
Y_TITLE_GAP = 2       # px between a y axis's tick labels and its (turned) title
COLORSCALE_TYPES = ("heatmap", "histogram2d", "contour")  # traces with a colour bar unless told not to


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


def _shown(vals: np.ndarray) -> tuple[float, bool] | None:
    """(largest magnitude, any negative) of finite numbers; None without any."""
    return (float(np.abs(vals).max()), bool((vals < 0).any())) if vals.size else None


def _numeric_top(fig, letter: str, axis_name: str, axis) -> tuple[float, bool] | None:
    """The largest magnitude a numeric axis shows and whether it shows negative numbers: its fixed
    range, or its traces' values (error bars and stacked bars included) with the autorange's
    padding; None without numbers."""
    if axis.range is not None and axis.autorange is not True:
        return _shown(_numbers(list(axis.range)))
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
        text, negative = "8" * fit.NUMBER_TICK_CHARS, False
    else:
        top, negative = shown
        text = "0,88" if top < 1 else "8,8" if top < 5 else f"{math.ceil(top):,}".replace(",", " ")
    return f"{axis.tickprefix or ''}{'−' if negative else ''}{text}{axis.ticksuffix or ''}"


def _number_px(shown: tuple[float, bool] | None, axis, size: float) -> float:
    """Width of the widest number label of an axis (:func:`_number_label`) in its tick font."""
    return fit.text_px(_number_label(shown, axis), _font_size(axis.tickfont, size))


def _font_size(font, size: float) -> float:
    return float(font.size) if font is not None and font.size else size


def y_label_px(fig: go.Figure, size: float) -> float:
    """Estimated width of the leftmost y axis's labels and title (the axis's own tick and title
    font sizes where it sets them; numeric labels from the values it shows)."""
    fig = fit.figure_view(fig)
    axes = fit.axes_of(fig, "y")
    if not axes or fit.is_map(fig) or all(a.visible is False for a in axes):
        return 0.0
    axis = axes[0]
    if axis.visible is False or axis.showticklabels is False:
        label = 0.0
    else:
        texts = fit.tick_texts(fig, axis, "y", "y")
        label = max((fit.text_px(t, _font_size(axis.tickfont, size)) for t in texts), default=0.0) \
            if texts else _number_px(_numeric_top(fig, "y", "y", axis), axis, size)
    title = _font_size(axis.title.font if axis.title else None, size) * fit.LINE_EM + Y_TITLE_GAP \
        if axis.title and axis.title.text else 0.0
    return label + title + fit.TICK_PAD


def _x_overhang(fig, size: float, plot_w: float) -> float:
    """How far the last label of the rightmost x axis reaches beyond the plot area: with a text label
    per category, half of it past the middle of its slot, or, turned, its turned width; with numbers,
    half the widest number or chosen label (a tick may fall on the edge)."""
    view = fit.figure_view(fig)
    keys = [k for k in view.layout if fit.is_axis["x"](k)]
    if not keys or fit.is_map(fig):
        return 0.0
    key = max(keys, key=lambda k: (view.layout[k].domain or (0, 1))[1])
    axis = view.layout[key]
    domain = axis.domain or (0, 1)
    if axis.visible is False or axis.showticklabels is False or (1 - domain[1]) * plot_w > 0.5:
        return 0.0
    if axis.tickvals is not None and axis.type != "category":
        # labels at chosen values: the last may fall on the plot's edge
        size_t = _font_size(axis.tickfont, size)
        return max((fit.text_px(str(t), size_t) for t in axis.ticktext or ()), default=0.0) / 2
    axis_w = plot_w * (domain[1] - domain[0])
    name = "x" + key[5:]
    labels = fit.x_labels(fig, axis, name, size, axis_w)
    if labels is None:  # numbers: the last tick may fall on the plot's edge, half its label beyond
        shown = _numeric_top(view, "x", name, axis) if axis.type != "date" else None
        return _number_px(shown, axis, size) / 2 if shown is not None else 0.0
    longest, rows, angle = labels
    rad = math.radians(abs(angle))
    reach = longest * math.cos(rad) + rows * math.sin(rad) if angle else longest / 2
    return max(reach - axis_w / len(set(fit.tick_texts(fig, axis, "x", name))) / 2, 0.0)


def right_px(fig: go.Figure, size: float, plot_w: float | None = None) -> float:
    """Estimated width right of the plot area: a vertical legend beside the plot (``x ≥ 1``), colour
    bars (bar, tick labels, a title on the right side) and the last x-axis label reaching past the
    plot (``plot_w``: the plot area's estimated width); 0 without any of them.

    Setting the right margin to this keeps plotly from growing it and drawing the chart a second time.
    """
    view = fit.figure_view(fig)
    plot_w = plot_w or fit.figure_width(fig) - 2 * fit.LEGEND_PAD
    out = _x_overhang(fig, size, plot_w)
    legend = view.layout.legend
    if legend is not None and legend.orientation == "v" and (legend.x or 0) >= 1 \
            and view.layout.showlegend is not False:
        entries = fit.legend_entries(fig)
        font = _font_size(legend.font, size)
        if entries:
            out = max(out, (legend.x - 1) * plot_w + max(fit.text_px(n, font) for n in entries)
                      + fit.LEGEND_SYMBOL)
    second = view.layout["legend2"] if "legend2" in list(view.layout) else None
    if second is not None and second.xanchor is not None and legend is not None and (legend.x or 0) >= 1:
        # two legends right of the plot (finishing's ``columns``): beside each other, the second at
        # the chart's right edge
        font = _font_size(legend.font, size)
        names = fit.legend_entries(fig)
        later = {str(t.name) for t in view.data if t.legend == "legend2" and t.name is not None}
        cols = [[n for n in names if n not in later], [n for n in names if n in later]]
        out = max(out, (legend.x - 1) * plot_w + LEGEND_GAP + sum(
            max((fit.text_px(n, font) for n in col), default=0.0) + fit.LEGEND_SYMBOL for col in cols))
    for t in view.data:
        kind = getattr(t, "type", None)
        shown = getattr(t, "showscale", None)
        shown = kind in COLORSCALE_TYPES if shown is None else shown
        if not shown or kind in fit.MAP_TYPES:
            continue
        bar = getattr(t, "colorbar", None) or fit.figure_view({})
        label = _number_px(_shown(_numbers(getattr(t, "z", None))), bar, size)
        title = size * fit.LINE_EM if bar.title and bar.title.text else 0.0
        gap = ((bar.x if bar.x is not None else COLORBAR_X) - 1) * plot_w
        out = max(out, gap + COLORBAR_PAD + (bar.thickness or 30) + label + title)
    return out
