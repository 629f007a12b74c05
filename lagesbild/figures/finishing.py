"""Finishing a figure: its title block, legend and source line laid out for its width, and the
figures that say why there is nothing to show.

Every figure function ends with :func:`finish`, which gives the figure a title, a subtitle with the place
and the period(s), the Swedish number separators and the source line
``Källa: Polisen, anmälda brott; bearbetning <organisation>, data t.o.m. <date>`` (plus
`` – FIKTIVA DEMODATA`` for demo data) inside the image, so a chart pasted into minutes carries it.
The subtitle and the source line are wrapped to the figure's width and the legend is laid out above
the plot (under a map; beside the plot in meeting mode), with the margins reserved for all of it
(:mod:`lagesbild.figures.fit`), so a chart exported 16 cm wide needs no patching. The look itself
(template, sizes, the source line's text) is :mod:`lagesbild.figures.style`.

Examples
--------
>>> from lagesbild.figures.style import FigureContext
>>> ctx = FigureContext(organisation="SDF Vällingby", data_until="2023-08-31", demo=True)
>>> fig = empty_figure("ingen kategori är vald", title="Trend", context=ctx)
>>> fig.layout.annotations[0].text
'Inget att visa: ingen kategori är vald'

Figures on a page that must answer at once (Plats) are built as plain dicts, ``{"data": [trace
dicts], "layout": {...}}``, which ``dcc.Graph`` takes as they are: plotly's validating objects cost a
hundred times more. The template is validated once, through plotly
(:func:`lagesbild.figures.style.template_json`), and each such figure gets a copy of it;
:func:`finish`, :func:`is_empty` and :mod:`lagesbild.figures.fit` read both kinds, and ``go.Figure(d)``
gives the plotly figure where one is needed (exports).
"""

from __future__ import annotations

import copy
import re
import threading

import plotly.graph_objects as go

from lagesbild.figures import sides
from lagesbild.figures.figdict import add_annotation, update_layout
from lagesbild.figures.legends import columns as _columns
from lagesbild.figures.legends import place_legend as _place_legend
from lagesbild.figures.legends import wrap_legend as _wrap_legend
from lagesbild.figures.markup import literal, plain
from lagesbild.figures.palette import INCREASE, MUTED
from lagesbild.figures.sides import SIDE_MARGIN, plot_px  # noqa: F401 (re-exported: a chart's width)
from lagesbild.figures.style import (
    CRIME_SOURCE,
    SEPARATORS,
    SIZES,
    FigureContext,
    sizes,
    source_line,
    subtitle,
    template,
    template_json,
)

TITLE_PAD = 10  # px above the title
LEGEND_TUCK = 12  # px of the gap under the subtitle a legend above the plot may use
MEETING_SIDE_LEGEND = 5  # most legend entries beside a meeting-mode plot (≈ 28 px each, a panel's
#                         plot is ≈ 150 px high with wrapped controls at 1920×1080)
SIDE_LEGEND_SHARE = 0.25  # widest legend text beside the plot, as a share of the figure's width (a
#                          longer name, e.g. a place's of fifty letters, is wrapped onto more lines)
MIN_PLOT_SHARE = 0.2      # a legend beside the plot moves above it when the plot would be narrower
MIN_PLOT_PX = 160         # … or narrower than this
COLUMN_FONT_DROP = 4      # px smaller legend font when the entries stand in two columns beside the plot

SOURCE_NAME = "source_line"  # the name of the source-line annotation
NOTE_NAME = "export_note"    # the name of a note under it (exports)


def finish(fig: go.Figure | dict, *, title: str, place: str | None = None, periods=None,
           context: FigureContext | None = None, source: str = CRIME_SOURCE, until: bool = True,
           extra: str | None = None, height: int | None = None, legend: str = "auto"
           ) -> go.Figure | dict:
    """Give a figure the shared look, its title block and its source line (in place; returned).

    ``fig`` is a plotly figure or a figure dict (``{"data": [...], "layout": {...}}``); a dict gets
    a copy of the template validated once (:func:`template_json`).

    The subtitle and the source line are wrapped to the figure's width (``layout.width``, else a
    16 cm Word column; see :mod:`lagesbild.figures.fit`); the top margin holds the title block and
    the legend, the bottom margin the x-axis labels and the source line, which sits at the bottom
    edge. Nothing depends on the figure's height, so the layout holds at any size.

    Parameters
    ----------
    title : str
        Swedish title (plain text: escaped here, see :mod:`lagesbild.figures.markup`).
    place, periods, extra : optional
        Shown in the subtitle (plain text, escaped here).
    context : FigureContext
        Organisation, data date, demo flag and meeting mode.
    source : str
        The data source named in the source line.
    until : bool
        Whether the source line gives the crime data's last day.
    legend : {'auto', 'top', 'below', 'right', 'keep'}
        Where the legend goes: ``top`` between the subtitle and the plot and ``below`` under the plot
        (maps, which have no axis labels there), laid out horizontally so they take no width from a
        narrow chart; ``right`` beside the plot (meeting mode's short, wide panels). ``auto`` is
        ``below`` for maps, ``right`` for other charts in meeting mode (``top`` when they have more
        than :data:`MEETING_SIDE_LEGEND` entries) and ``top`` otherwise;
        ``keep`` leaves the figure's own placement.
    """
    from lagesbild.figures import fit

    ctx = context or FigureContext()
    s = sizes(ctx)
    # the title block's and the source line's texts are plain text (a place's, a category's name):
    # escaped here, before they are wrapped and marked up (bold title, <br> breaks)
    title = plain(title)
    update_layout(
        fig, template=template_json(ctx.meeting) if isinstance(fig, dict) else template(ctx.meeting),
        separators=SEPARATORS,
        margin=dict(t=s["top"], b=s["bottom"], l=SIDE_MARGIN, r=SIDE_MARGIN, autoexpand=True),
        meta=dict(title=title, place=place, periods=list(periods or []) if not isinstance(
            periods, str) else [periods], source_line=source_line(ctx, source, until)),
    )
    if height:
        update_layout(fig, height=height)
    where = legend
    if legend == "auto":
        # beside the plot in meeting mode's short, wide panels, unless it has more entries than a
        # panel's plot is high: then above it, where it wraps into rows and nothing scrolls
        entries = fit.legend_entries(fig)
        where = "below" if fit.is_map(fig) else "top" if not ctx.meeting else "right" \
            if len(entries) <= MEETING_SIDE_LEGEND else _columns(fig, entries, s)
    if where == "right":  # long names wrapped, so the legend leaves the plot its width
        _wrap_legend(fig, SIDE_LEGEND_SHARE * fit.figure_width(fig, ctx.meeting), s["font"] - 1)
    _place_legend(fig, where, s["font"] - COLUMN_FONT_DROP)
    sides.side_margins(fig, s, ctx.meeting)
    if where == "right" and sides.plot_px(fig, ctx.meeting) < max(
            MIN_PLOT_PX, MIN_PLOT_SHARE * fit.figure_width(fig, ctx.meeting)):
        where = "top"
        _place_legend(fig, where)
        sides.side_margins(fig, s, ctx.meeting)
    if where in ("top", "below"):  # an entry wider than the plot is wrapped to it
        _wrap_legend(fig, sides.plot_px(fig, ctx.meeting) - fit.LEGEND_SYMBOL, s["font"] - 1)
    if sides.settle_categories(fig, s, ctx.meeting):
        sides.side_margins(fig, s, ctx.meeting)
    _fit_empty(fig, ctx.meeting)
    legend_h = fit.legend_px(fig, s["font"] - 1, sides.plot_px(fig, ctx.meeting)) if where in ("top", "below") \
        else 0.0
    _title_block(fig, title, plain(subtitle(place, periods, extra)), s, ctx.meeting,
                 legend_h if where == "top" else 0.0)
    _source_block(fig, plain(source_line(ctx, source, until)), s, ctx, legend_h if where == "below" else 0.0)
    return fig


def _fit_empty(fig, meeting: bool) -> None:
    """Wrap the "Inget att visa" text of an :func:`empty_dict` figure to the plot's width (plotly never
    wraps an annotation, and a long reason ran off both edges of a chart exported 16 cm wide)."""
    from lagesbild.figures import fit

    width = sides.plot_px(fig, meeting)
    if isinstance(fig, dict):  # copied before it changes (never alter a shared annotation)
        anns = fig["layout"].get("annotations") or []
        at = [i for i, a in enumerate(anns) if a.get("name") == "empty"]
        if at:
            anns = fig["layout"]["annotations"] = list(anns)
            ann = anns[at[0]]
            size = (ann.get("font") or {}).get("size") or SIZES[bool(meeting)]["title"]
            anns[at[0]] = dict(ann, text=fit.wrap(ann["text"].replace("<br>", " "), width, size))
        return
    for ann in fig.layout.annotations:
        if ann.name == "empty":
            size = ann.font.size or SIZES[bool(meeting)]["title"]
            ann.text = fit.wrap(ann.text.replace("<br>", " "), width, size)


def _title_block(fig: go.Figure, title: str, sub: str, s: dict, meeting: bool,
                 legend_h: float) -> None:
    from lagesbild.figures import fit

    width = fit.figure_width(fig, meeting) - 32
    sub = fit.wrap(sub, width, s["subtitle"]) if fit.text_px(sub, s["subtitle"]) > width else sub
    if fit.text_px(title, s["title"], bold=True) > width:
        # plotly grows a title of several lines upwards from its first line's place: the pad moves it
        # down by the added lines, and the margin holds them (twice: pad and text)
        title = fit.wrap(title, width, s["title"], bold=True)
    top = (s["top"] + sub.count("<br>") * s["subtitle"] * fit.LINE_EM
           + 2 * title.count("<br>") * s["title"] * fit.LINE_EM + (legend_h and legend_h - LEGEND_TUCK))
    update_layout(
        fig, title=dict(text="<br>".join(f"<b>{line}</b>" for line in title.split("<br>")), x=0.01,
                   xanchor="left", y=1, yanchor="top",
                   yref="container", font=dict(size=s["title"]),
                   pad=dict(t=TITLE_PAD + title.count("<br>") * s["title"] * fit.LINE_EM),
                   subtitle=dict(text=sub, font=dict(size=s["subtitle"], color=MUTED))),
        margin=dict(t=round(top)))


def _source_block(fig: go.Figure, text: str, s: dict, ctx: FigureContext, legend_h: float) -> None:
    """Add the source line under the plot and reserve the bottom margin (see :func:`_fit_bottom`)."""
    add_annotation(
        fig, text=text, xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="bottom",
        showarrow=False, align="left",
        font=dict(size=s["source"], color=MUTED if not ctx.demo else INCREASE), name=SOURCE_NAME)
    _fit_bottom(fig, s, ctx.meeting, legend_h)


def _fit_bottom(fig: go.Figure, s: dict, meeting: bool, legend_h: float, note: str | None = None
                ) -> None:
    """Wrap the source line (and an optional note under it) to the width under the plot, and set the
    bottom margin to hold the x-axis labels (or a legend under a map), the source line and the note."""
    from lagesbild.figures import fit

    if isinstance(fig, dict):  # the annotation is copied before it changes (never alter a shared one)
        anns = fig["layout"]["annotations"] = list(fig["layout"]["annotations"])
        i = next(i for i, a in enumerate(anns) if a.get("name") == SOURCE_NAME)
        ann = anns[i] = dict(anns[i], y=0, yanchor="bottom")
        text = ann["text"]
    else:
        ann = next(a for a in fig.layout.annotations if a.name == SOURCE_NAME)
        ann.update(y=0, yanchor="bottom")
        text = ann.text
    plot_w = sides.plot_px(fig, meeting)
    # the source line starts under the plot and may run on under a legend beside it (at the top); when
    # wide labels beside a narrow plot leave it too little room there, it starts at the figure's left
    # edge (it ran out of an 8 cm export of a survey's long questions)
    margin = fit.figure_view(fig).layout.margin
    margin_l, width = margin.l or SIDE_MARGIN, fit.figure_width(fig, meeting)
    text_w = width - margin_l - SIDE_MARGIN
    x = 0
    if text_w < fit.MIN_TEXT_PX:  # paper units: the plot area as plotly draws it (not plot_px's least)
        x = -(margin_l - SIDE_MARGIN) / max(width - margin_l - (margin.r or SIDE_MARGIN), 1)
        text_w = width - 2 * SIDE_MARGIN
    text = fit.wrap(text.replace("<br>", " "), text_w, s["source"])
    if isinstance(fig, dict):
        ann["x"] = x
    else:
        ann.update(text=text, x=x)  # before a note is added (plotly makes the annotations anew then)
    below = fit.x_label_px(fig, s["font"], plot_w) + legend_h
    source_h = fit.n_lines(text) * s["source"] * fit.LINE_EM
    note_h = 0.0
    if note:
        note_text = fit.wrap(note, text_w, s["source"] - 1)
        note_h = fit.NOTE_GAP + fit.n_lines(note_text) * (s["source"] - 1) * fit.LINE_EM
        add_annotation(fig, text=note_text, xref="paper", yref="paper", x=x, y=0, xanchor="left",
                        yanchor="top", showarrow=False, align="left", name=NOTE_NAME,
                        font=dict(size=s["source"] - 1, color=MUTED))
    bottom = round(max(below + fit.SECTION_GAP + source_h + note_h + fit.BOTTOM_PAD,
                       s["bottom"] * 0.6))
    update_layout(fig, margin=dict(b=bottom))
    shift = -(bottom - fit.BOTTOM_PAD - note_h)
    if isinstance(fig, dict):
        ann.update(text=text, yshift=shift)
        if note:
            fig["layout"]["annotations"][-1]["yshift"] = shift - fit.NOTE_GAP
    else:  # the source annotation found anew: adding the note made plotly copy the annotations
        next(a for a in fig.layout.annotations if a.name == SOURCE_NAME).yshift = shift
        if note:
            fig.layout.annotations[-1].yshift = -(bottom - fit.BOTTOM_PAD - note_h + fit.NOTE_GAP)


def refit(fig: go.Figure, width: float, *, note: str | None = None, meeting: bool = False
          ) -> go.Figure:
    """Lay the title block, the side margins and the source line out again for a new width (e.g. an
    export's), with ``note`` under the source line.

    The figure must have been made by :func:`finish`. ``layout.width`` is left as it was. ``note`` is
    plain text (an activity's name in a map's note) whose ``<br>`` alone breaks lines: the rest is
    escaped (:mod:`lagesbild.figures.markup`).
    """
    from lagesbild.figures import fit

    if note:
        note = "<br>".join(plain(part) for part in note.split("<br>"))

    s = SIZES[bool(meeting)]
    old = fig.layout.width
    fig.layout.width = width
    sides.unsettle_categories(fig)
    sides.side_margins(fig, s, meeting)
    if sides.settle_categories(fig, s, meeting):
        sides.side_margins(fig, s, meeting)
    sides.wrap_x_titles(fig, s, meeting)
    sides.few_number_ticks(fig, s, meeting)
    legend = fig.layout.legend
    below = legend.orientation == "h" and legend.y is not None and legend.y < 0
    above = legend.orientation == "h" and legend.y is not None and legend.y >= 1
    legend_h = fit.legend_px(fig, s["font"] - 1, sides.plot_px(fig, meeting)) if below or above else 0.0
    if fig.layout.title.text:  # the title block wrapped anew for this width (it was for the screen's)
        title = " ".join(re.sub(r"<[^>]+>", " ", fig.layout.title.text).split())
        sub = " ".join((fig.layout.title.subtitle.text or "").replace("<br>", " ").split(" "))
        _title_block(fig, title, sub, s, meeting, legend_h if above else 0.0)
    _fit_empty(fig, meeting)
    _fit_bottom(fig, s, meeting, legend_h if below else 0.0, note)
    fig.layout.width = old
    return fig


def empty_dict(reason: str, *, title: str, context: FigureContext | None = None,
               place: str | None = None, periods=None, source: str = CRIME_SOURCE, until: bool = True) -> dict:
    """A figure dict that says why there is nothing to show instead of an empty chart (see
    :func:`empty_figure`; built in well under a millisecond).

    Examples
    --------
    >>> fig = empty_dict("data saknas", title="Karta")
    >>> fig["layout"]["xaxis"], is_empty(fig)
    ({'visible': False}, True)
    """
    from lagesbild.figures import fit

    size = sizes(context)["title"] - 2
    meeting = bool(context and context.meeting)
    # wrapped to the narrowest width the figure is drawn at (a 16 cm column, or a meeting panel)
    text = fit.wrap(f"Inget att visa: {plain(reason)}", fit.nominal_width(meeting) - 2 * SIDE_MARGIN, size)
    fig = {"data": [], "layout": {
        "annotations": [dict(text=text, xref="paper", yref="paper", x=0.5, y=0.55, showarrow=False,
                             font=dict(size=size, color=MUTED), name="empty")],
        "xaxis": {"visible": False}, "yaxis": {"visible": False}}}
    # ``until``: as the chart it stands for (a survey or plan chart names no crime data's last day)
    return finish(fig, title=title, place=place, periods=periods, context=context, source=source, until=until)


def empty_figure(reason: str, *, title: str, context: FigureContext | None = None,
                 place: str | None = None, periods=None, source: str = CRIME_SOURCE,
                 until: bool = True) -> go.Figure:
    """A figure that says why there is nothing to show instead of an empty chart.

    Examples
    --------
    >>> empty_figure("data saknas", title="Karta").layout.xaxis.visible
    False
    """
    key = (reason, title, context, place, periods if isinstance(periods, str) else
           tuple(periods or ()), source, until)
    try:
        hash(key)
    except TypeError:  # a context or period that cannot be a key: built every time
        key = None
    if key is None:
        return go.Figure(empty_dict(reason, title=title, place=place, periods=periods, context=context,
                                    source=source, until=until))
    with _EMPTY_LOCK:  # requests run in threads: a lookup never meets another's eviction
        fig = _EMPTY.get(key)
    if fig is None:
        fig = empty_dict(reason, title=title, place=place, periods=periods, context=context, source=source,
                         until=until)
        with _EMPTY_LOCK:
            while len(_EMPTY) >= EMPTY_KEPT:
                _EMPTY.pop(next(iter(_EMPTY)))
            _EMPTY[key] = fig
    # a new figure from a copy of the kept one (never the kept one itself)
    return go.Figure(copy.deepcopy(fig))


#: :func:`empty_figure`'s figures as dicts, by their arguments (a pure function of them)
_EMPTY: dict = {}
EMPTY_KEPT = 256
_EMPTY_LOCK = threading.Lock()


def empty_text(fig: go.Figure | dict) -> str:
    """The plain text of an :func:`empty_figure` / :func:`empty_dict` (its line breaks as spaces, no
    markup), for a page that shows it as text instead of a chart.

    Examples
    --------
    >>> empty_text(empty_dict("brott per 1 000 invånare är inte meningsfullt för Göteborg och Boden "
    ...                       "(för få eller okänt antal invånare)", title="Jämför"))
    'Inget att visa: brott per 1 000 invånare är inte meningsfullt för Göteborg och Boden (för få eller okänt antal invånare)'
    """
    import re

    layout = fig.get("layout", {}) if isinstance(fig, dict) else fig.layout.to_plotly_json()
    text = next(a.get("text", "") for a in layout.get("annotations", ()) if a.get("name") == "empty")
    return literal(re.sub(r"<[^>]+>", "", re.sub(r"\s*<br>\s*", " ", str(text)))).strip()


def is_empty(fig: go.Figure | dict) -> bool:
    """Whether the figure (plotly or dict) is an :func:`empty_figure` / :func:`empty_dict`."""
    if isinstance(fig, dict):
        return any(a.get("name") == "empty" for a in fig.get("layout", {}).get("annotations", ()))
    return any(a.name == "empty" for a in fig.layout.annotations)
