"""The plot area's sides: left and right margins that hold what stands beside the plot, the plot's
width, and category x axes laid out for that width (labels on two lines, or the angle the margins
were made for). Used by :func:`lagesbild.figures.finishing.finish` and ``refit``."""

from __future__ import annotations

import math

import plotly.graph_objects as go

from lagesbild.figures.figdict import update_layout

SIDE_MARGIN = 16  # px left and right of the plot area with nothing beside it
SIDE_EDGE = 10    # px added to an estimate of what is beside the plot area (see _side)


def side_margins(fig, s: dict, meeting: bool) -> None:
    """Left and right margins that hold the y-axis labels, a legend beside the plot, colour bars and
    the last x-axis label, so plotly's automatic margins (kept as a safety net) need not grow them
    and lay out and draw the chart a second time on every update."""
    from lagesbild.figures import fit, margins

    left = _side(margins.y_label_px(fig, s["font"]))
    plot_w = max(fit.figure_width(fig, meeting) - left - SIDE_MARGIN, fit.MIN_TEXT_PX)
    update_layout(fig, margin=dict(l=left, r=_side(margins.right_px(fig, s["font"], plot_w))))


def settle_categories(fig, s: dict, meeting: bool) -> bool:
    """Lay out the labels of category x axes for the plot's width and fix what plotly would otherwise
    choose at the width it is drawn at: labels wider than their slot are broken into lines at spaces
    (:func:`lagesbild.figures.fit.stack_labels`, as the axis's ``ticktext``), so nine tertials or eight
    date ranges stand side by side on two lines instead of being turned, which took a third of a
    meeting panel's height; labels that still do not fit get the angle the margins were made for
    (30° or upright), since a panel drawn wider than estimated would otherwise turn them less and
    reach past the margins. The axes are named in ``layout.meta['settled']`` for :func:`lagesbild.figures.finishing.refit`.
    True when an axis changed (the side margins are then laid out again)."""
    from lagesbild.figures import fit

    view = fit.figure_view(fig)
    axes = {}  # key -> (axis name, distinct labels, font size, domain share)
    for key in [k for k in view.layout if fit.is_axis["x"](k)]:
        axis = view.layout[key]
        if axis.type != "category" or axis.ticktext is not None or axis.tickangle is not None \
                or axis.visible is False or axis.showticklabels is False:
            continue
        texts = fit.tick_texts(fig, axis, "x", "x" + key[5:])
        if texts:
            domain = axis.domain or (0, 1)
            axes[key] = ("x" + key[5:], list(dict.fromkeys(texts)),
                         _font_size(axis.tickfont, s["font"]), domain[1] - domain[0])
    if not axes:
        return False
    # stacked labels stand level, so the last one no longer reaches past the plot as a turned one does:
    # try them at the widest plot the right margin could then leave, keep them if they fit the plot
    # the margins leave once laid out for them
    margin = fig["layout"]["margin"] if isinstance(fig, dict) else fig.layout.margin
    widest = plot_px(fig, meeting) + (margin["r"] or SIDE_MARGIN) - SIDE_MARGIN
    stacked = {}
    for key, (_, shown, size, share) in axes.items():
        lines = fit.stack_labels(shown, widest * share / len(shown), size)
        if lines != shown:
            stacked[key] = lines
            update_layout(fig, **{key: dict(tickmode="array", tickvals=shown, ticktext=lines)})
    if stacked:
        side_margins(fig, s, meeting)
        plot_w = plot_px(fig, meeting)
        for key in list(stacked):
            _, shown, size, share = axes[key]
            lines = fit.stack_labels(shown, plot_w * share / len(shown), size)
            if lines == shown:  # no longer fit
                _unset_axis(fig, key)
                del stacked[key]
            elif lines != stacked[key]:  # lines made for the widest plot, too wide for the one it got
                # ("2026–2027 / (t.o.m. 16 okt)": the second line fitted with the right margin's room
                # and, kept, the labels were turned after all; three lines stand level)
                stacked[key] = lines
                update_layout(fig, **{key: dict(ticktext=lines)})
    settled, plot_w = list(stacked), plot_px(fig, meeting)
    for key, (name, _, size, share) in axes.items():
        angle = fit.x_labels(fig, fit.figure_view(fig).layout[key], name, size, plot_w * share)[2]
        if angle:
            update_layout(fig, **{key: dict(tickangle=angle)})
            settled.append(key)
    if settled:
        meta = dict((fig["layout"].get("meta") if isinstance(fig, dict) else fig.layout.meta) or {})
        update_layout(fig, meta=dict(meta, settled=sorted({*meta.get("settled", ()), *settled})))
    return bool(settled)


def wrap_x_titles(fig, s: dict, meeting: bool) -> None:
    """Break an x axis's title wider than its axis into lines that fit under it (panels side by side
    in a narrow export: "Andel av Hässelby-Vällingby" ran into the next panel's "Andel av Stockholm").
    A title that fits is left as it is."""
    from lagesbild.figures import fit

    view = fit.figure_view(fig)
    plot_w = plot_px(fig, meeting)
    for key in [k for k in view.layout if fit.is_axis["x"](k)]:
        axis = view.layout[key]
        text = axis.title.text if axis.title is not None else None
        if not text or axis.visible is False:
            continue
        domain = axis.domain or (0, 1)
        width = plot_w * (domain[1] - domain[0])
        size = _font_size(axis.title.font, s["font"])
        whole = " ".join(str(text).replace("<br>", " ").split())
        if fit.text_px(whole, size) > width:
            update_layout(fig, **{key: dict(title=dict(text=fit.wrap(whole, width, size, least=0)))})


def few_number_ticks(fig, s: dict, meeting: bool) -> None:
    """Give a number x axis narrower than :data:`lagesbild.figures.fit.MIN_TEXT_PX` (bars beside long
    labels in a narrow export) no more ticks than stand level side by side: plotly put "0 %, 20 %,
    40 %, 60 %" on 70 px, turned, and they ran into the source line under them."""
    from lagesbild.figures import fit

    view = fit.figure_view(fig)
    margin = view.layout.margin
    plot_w = fit.figure_width(fig, meeting) - (margin.l or 0) - (margin.r or 0)  # as drawn, no least
    for key in [k for k in view.layout if fit.is_axis["x"](k)]:
        axis = view.layout[key]
        if axis.type in ("category", "date", "multicategory") or axis.visible is False \
                or axis.showticklabels is False or axis.tickvals is not None or axis.dtick is not None \
                or axis.nticks or fit.tick_texts(fig, axis, "x", "x" + key[5:]):
            continue
        domain = axis.domain or (0, 1)
        width = plot_w * (domain[1] - domain[0])
        if width >= fit.MIN_TEXT_PX:
            continue
        widest = fit.text_px("000" + (axis.ticksuffix or ""), _font_size(axis.tickfont, s["font"]))
        update_layout(fig, **{key: dict(nticks=max(2, int(width // (1.6 * widest))), tickangle=0)})


def _unset_axis(fig, key: str) -> None:
    if isinstance(fig, dict):
        for k in ("tickmode", "tickvals", "ticktext", "tickangle"):
            fig["layout"][key].pop(k, None)
    else:
        fig.layout[key].update(tickmode=None, tickvals=None, ticktext=None, tickangle=None)


def unsettle_categories(fig: go.Figure) -> None:
    """Take back what :func:`settle_categories` fixed on the axes it names, so it is laid out anew
    for another width."""
    meta = dict(fig.layout.meta or {})
    for key in meta.pop("settled", ()):
        _unset_axis(fig, key)
    fig.layout.meta = meta


def _font_size(font, size: float) -> float:
    return float(font.size) if font is not None and font.size else size


def plot_px(fig, meeting: bool = False) -> float:
    """The plot area's width in CSS px: the figure's width (``layout.width`` or the mode's nominal
    width) less the side margins :func:`lagesbild.figures.finishing.finish` set."""
    from lagesbild.figures import fit

    margin = fit.figure_view(fig).layout.margin
    sides = (margin.l or 0) + (margin.r or 0) if margin is not None else 2 * SIDE_MARGIN
    return max(fit.figure_width(fig, meeting) - sides, fit.MIN_TEXT_PX)


def _side(estimate: float) -> int:
    """A side margin: :data:`SIDE_MARGIN`, or the estimated labels (legend, colour bar) and a little
    more, so plotly's own estimate of them (slightly larger than the text) fits too."""
    return max(SIDE_MARGIN, math.ceil(estimate + SIDE_EDGE)) if estimate else SIDE_MARGIN
