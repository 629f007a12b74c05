"""Activity starts on the month chart: a dashed line at each start and, where there is room, its name.

Names of starts close in time go in rows under each other, each row a line of text lower. A name that
finds no row where it stays clear of the others keeps its line but is not drawn (its annotation is
there, ``visible=False``), and the chart's subtitle says how many starts have no name
(:func:`unlabelled_note`), so nothing is lost without a word. Widths are estimated with
:mod:`lagesbild.figures.fit` (no browser): the plot's width is taken low, so two names judged apart are
apart on any screen.

Examples
--------
>>> fig = {"data": [], "layout": {}}
>>> acts = pd.DataFrame({"aktivitet": ["Vakter"], "start_date": pd.to_datetime(["2021-01-01"])})
>>> add_activity_lines(fig, acts, pd.Timestamp("2020-01-01"), pd.Timestamp("2022-12-01"), style.FigureContext())
0
>>> fig["layout"]["annotations"][0]["text"]
'▶ Vakter'
>>> unlabelled_note(3)
'3 aktivitetsstarter till utan etikett – se Åtgärdsplanen'
"""

from __future__ import annotations

import pandas as pd

from lagesbild.figures import figdict, fit, style
from lagesbild.figures.format import fmt_date
from lagesbild.figures.markup import plain

LABEL_MAX = 30  # characters of an activity name shown at its start line
ACTIVITY_PLOT_SHARE = 0.55  # the plot's share of the figure's width, taken low, when placing their labels
ACTIVITY_ROWS = 5  # rows of activity labels at most (a name finding none free is left out and counted)
LABEL_PAD = 8  # px of a label besides its text (background box and a gap to the next)
ROW_GAP = 4  # px between two rows of labels
LABEL_NAME, LINE_NAME = "activity_label", "activity_start"
META_KEY = "activity_labels"  # layout.meta's list of each label's [start as a share of the plot, short name]


def unlabelled_note(n: int) -> str | None:
    """The subtitle's word on ``n`` starts drawn without their name (None when every one has it)."""
    if not n:
        return None
    return f"{n} aktivitetsstart{'er' if n > 1 else ''} till utan etikett – se Åtgärdsplanen"


def _text(short: str, leftwards: bool) -> str:
    """The label, its ▶ next to the line whichever way it runs."""
    return f"{short} ▶" if leftwards else f"▶ {short}"


def place_labels(labels: list[dict], where: list[tuple[float, str]], plot_px: float, size: float) -> int:
    """Give each activity label (annotation dicts in start order; ``where``: each one's start as a share
    of the plot's width, and its short name) a row and a side of its line where it stays clear of the
    others, or hide it; return how many are hidden. A start in the later half runs leftwards (to its line) unless only the other side
    has room, and the other way round; a label never runs past the plot's edges."""
    rows: list[list[tuple[float, float]]] = []  # per row, the spans (px) of its labels
    row_px = size * fit.LINE_EM + ROW_GAP
    hidden = 0
    for label, (share, short) in zip(labels, where, strict=True):
        at = share * plot_px
        late = share > 0.5
        placed = None
        for leftwards in (late, not late):
            width = fit.text_px(_text(short, leftwards), size) + LABEL_PAD
            left, right = (at - width, at) if leftwards else (at, at + width)
            if leftwards != late and (left < 0 or right > plot_px):
                continue  # the other side only when it stays in the plot
            free = next((r for r, spans in enumerate(rows)
                         if all(right <= a or b <= left for a, b in spans)), len(rows))
            if free < ACTIVITY_ROWS:
                placed = (free, leftwards, (left, right))
                break
        if placed is None:
            label.update(visible=False, text=_text(short, late))
            hidden += 1
            continue
        row, leftwards, span = placed
        if row == len(rows):
            rows.append([])
        rows[row].append(span)
        label.update(visible=True, text=_text(short, leftwards), xanchor="right" if leftwards else "left",
                     yshift=-row * row_px)
    return hidden


def add_activity_lines(fig: dict, activities, first, last, ctx: style.FigureContext) -> int:
    """A dashed line at each start from ``first`` to the end of ``last``'s month, and its name where
    there is room (:func:`place_labels`); return how many names are left out."""
    if activities is None or len(activities) == 0:
        return 0
    end = last + pd.offsets.MonthEnd(0)
    starts = pd.to_datetime(activities["start_date"]).tolist()
    shown = sorted(((start, str(name)) for start, name in zip(starts, activities["aktivitet"].tolist(),
                                                                strict=True)
                    if not pd.isna(start) and first <= start <= end), key=lambda a: a[0])
    size = style.sizes(ctx)["font"] - 2
    layout = fig["layout"]
    span = (end - first).total_seconds() or 1.0
    labels, where = [], []
    for start, name in shown:
        # cut as written, then escaped (a cut never splits an entity)
        short = plain(name if len(name) <= LABEL_MAX else name[:LABEL_MAX - 1] + "…")
        layout.setdefault("shapes", []).append(dict(
            type="line", x0=start, x1=start, yref="paper", y0=0, y1=1,
            line=dict(color="#333333", width=1.5, dash="dash"), name=LINE_NAME))
        labels.append(dict(
            x=start, yref="paper", y=1, yanchor="top", showarrow=False,
            hovertext=f"{plain(name)}<br>start {fmt_date(start)}", font=dict(size=size, color="#333333"),
            bgcolor="rgba(255,255,255,0.8)", name=LABEL_NAME))
        where.append(((start - first).total_seconds() / span, short))
    hidden = place_labels(labels, where, ACTIVITY_PLOT_SHARE * fit.figure_width(fig, ctx.meeting), size)
    layout["annotations"] = [*layout.get("annotations", ()), *labels]
    # kept for refit_activity_labels (an export at another width)
    layout["meta"] = {**(layout.get("meta") or {}), META_KEY: [list(w) for w in where]}
    return hidden


def refit_activity_labels(fig, width: float, meeting: bool = False) -> None:
    """Place the activity labels of a month chart (a plotly figure or a figure dict made by
    :func:`lagesbild.figures.trend.make_trend_months`) again for a figure ``width`` px wide, e.g. an
    export 8 cm wide, and make the subtitle's count of unnamed starts say so. Call it before
    :func:`lagesbild.figures.finishing.refit`, which wraps the subtitle for that width."""
    is_dict = isinstance(fig, dict)
    layout = fig.setdefault("layout", {}) if is_dict else fig.layout
    meta = (layout.get("meta") if is_dict else layout.meta) or {}
    where = meta.get(META_KEY) if isinstance(meta, dict) else None
    anns = list(layout.get("annotations") or [] if is_dict else layout.annotations)
    at = [i for i, a in enumerate(anns) if (a.get("name") if is_dict else a.name) == LABEL_NAME]
    if not where or len(where) != len(at):
        return
    labels = [dict(anns[i]) if is_dict else anns[i].to_plotly_json() for i in at]
    before = sum(1 for a in labels if a.get("visible") is False)
    size = (labels[0].get("font") or {}).get("size") or style.sizes(style.FigureContext(meeting=meeting))["font"] - 2
    hidden = place_labels(labels, [tuple(w) for w in where], ACTIVITY_PLOT_SHARE * width, size)
    for i, label in zip(at, labels, strict=True):
        if is_dict:
            anns[i] = label
        else:
            anns[i].update(visible=label["visible"], text=label["text"], xanchor=label.get("xanchor"),
                           yshift=label.get("yshift"))
    if is_dict:
        layout["annotations"] = anns
    title = layout.get("title") if is_dict else layout.title
    sub = ((title or {}).get("subtitle") or {}).get("text") if is_dict else title.subtitle.text
    if sub is None or hidden == before:
        return
    parts = [p for p in sub.replace("<br>", " ").split(" · ") if p != unlabelled_note(before)]
    text = " · ".join([*parts, *filter(None, [unlabelled_note(hidden)])])
    if is_dict:
        figdict.merge(layout, {"title": {"subtitle": {"text": text}}})
    else:
        fig.layout.title.subtitle.text = text
