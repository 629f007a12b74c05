"""The place against its district and the city: its share of their reported crime per period.

Input is :func:`lagesbild.core.shares.share_of_parent` output. One panel per parent (district, city),
one line per category; a point whose share changed significantly since the previous period gets an
arrow (▲/▼, drawn above every line, beside the point so it covers no other category's point of the
period, in lanes so close arrows stand apart) and a dark outline, so the colour is never the only cue. The
panels are named under their x axes and hold every period label inside them. The figure is a dict
(see :mod:`lagesbild.figures.finishing`).

Examples
--------
>>> shares = pd.DataFrame({"parent_id": ["sdo", "sdo"], "category": "rån",
...     "period": ["2021–2022", "2022–2023"], "count_place": [20, 10], "count_parent": [100, 100],
...     "share": [0.2, 0.1], "significant": [False, True],
...     "verdict": ["", "andelen har minskat, statistiskt säkerställt"]})
>>> fig = make_share_chart(shares, place="Vårberg", parent_names={"sdo": "Skärholmen"})
>>> fig["layout"]["xaxis"]["title"]["text"]
'Andel av Skärholmen'

"""

from __future__ import annotations

from functools import cache

import pandas as pd
from plotly.subplots import make_subplots

from lagesbild.core.compare import ALL  # the label of the total over the categories
from lagesbild.core.shares import OTHER_SOURCES
from lagesbild.figures import figdict, finishing, fit, palette, style
from lagesbild.figures.format import fmt_int, fmt_pct, fmt_period
from lagesbild.figures.markup import plain

TITLE = "Platsens andel av de större områdenas anmälda brott"  # each panel names its area
PLOT_PX = {False: 240, True: 300}  # height of the plot area on screen (the margins come on top)
PANEL_GAP_PX = 24  # px between a panel's last x label and the next panel's y-axis labels and title
#: why there is no share to draw: no district or city stored above the place; the parents' monthly
#: counts missing (a share is counted from months: yearly counts such as Brå's give none); no crimes
EMPTY_NO_PARENT = "platsen har ingen större inläst nivå (stadsdelsområde eller stad) att visa sin andel av"
EMPTY_NO_MONTHS = ("det finns inga månadssiffror för {areas} under perioderna "
                   "(andelen räknas ur månadssiffror, inte ur årssiffror)")
EMPTY_NO_CRIMES = "det finns inga brott i {areas} för urvalet"
EMPTY_OTHER_SOURCE = ("platsens antal är större än antalet i {areas}, så de kommer från olika "
                      "källor (t.ex. en fil med platsens månadssiffror bredvid områdets händelser): ingen "
                      "andel kan visas")
#: {areas} above when the chart is given no names: a kommun's areas are named, not "staden" (desk9)
UNNAMED_AREAS = "stadsdelsområdet eller staden"
EMPTY_OTHER_SOURCES = ("olika källor för platsen och området: platsens brott och områdets räknas ur olika "
                       "källor (t.ex. platsens händelser med läge bredvid områdets månadssiffror), så ingen "
                       "andel kan visas")
#: under a chart where some shares are blank for that reason (:data:`lagesbild.core.shares.OTHER_SOURCES`)
NOTE_OTHER_SOURCES = "andel saknas där platsen och området räknas ur olika källor"
POINT_OUTLINE = 2.5   # px of the dark outline of a point whose share changed significantly
ARROW_GAP = 2         # px between a point's outline and its arrow, and between arrows side by side
ARROW_CLEARANCE = 1.15  # arrows in one lane stand this many arrow heights apart (the axis' range is estimated)


def _parent_label(parent_id, parent_names: dict) -> str:
    if parent_id is None or pd.isna(parent_id):
        return "Andel av staden"
    return f"Andel av {plain(parent_names.get(parent_id) or parent_id)}"


def _areas(shares, parent_names) -> str:
    """The areas a share is of, by name ("Skärholmen och Stockholm", "Södertälje"), for the reasons.

    >>> _areas(pd.DataFrame({"parent_id": ["sdo", "sdo", None]}), {"sdo": "Skärholmen"})
    'Skärholmen och staden'
    >>> _areas(None, {})
    'stadsdelsområdet eller staden'
    """
    ids = list(dict.fromkeys(shares["parent_id"])) if shares is not None and "parent_id" in shares else []
    names = [("staden" if pid is None or pd.isna(pid) else plain((parent_names or {}).get(pid) or pid))
             for pid in ids] or [plain(n) for n in (parent_names or {}).values()]
    return " och ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names) or UNNAMED_AREAS


def _empty_reason(shares, parent_names) -> str:
    """Why a share table has no share to draw (see :data:`EMPTY_NO_PARENT`)."""
    if (shares is None or shares.empty) and not parent_names:
        return EMPTY_NO_PARENT
    areas = _areas(shares, parent_names)
    if shares is not None and not shares.empty and {"months_missing", "count_parent"} <= set(shares) \
            and (shares["count_parent"].fillna(0) == 0).all() and (shares["months_missing"] > 0).all():
        return EMPTY_NO_MONTHS.format(areas=areas)
    if shares is not None and not shares.empty and {"count_place", "count_parent"} <= set(shares) \
            and (shares["count_place"].fillna(0) > shares["count_parent"].fillna(0)).any():
        return EMPTY_OTHER_SOURCE.format(areas=areas)
    if _other_sources(shares):
        return EMPTY_OTHER_SOURCES
    return EMPTY_NO_CRIMES.format(areas=areas)


def _other_sources(shares) -> bool:
    """Whether a row's share is blank because the place and its area are counted from different
    sources (the note of :func:`lagesbild.core.shares.share_table`)."""
    if shares is None or shares.empty or "note" not in shares:
        return False
    # what ``note.astype(str).str.contains(needle, regex=False).any()`` says, without building two
    # Series and a string array for each chart (≈ 0.15 ms)
    needle = OTHER_SOURCES.split(" (")[0]
    return any(needle in str(v) for v in shares["note"].tolist())


def _marks(sub) -> list[str]:
    """▲/▼ for the rows (``significant``, ``verdict`` columns) whose share changed significantly."""
    out = []
    for sig, verdict in zip(sub["significant"], sub["verdict"], strict=True):
        if bool(sig) and "ökat" in str(verdict):
            out.append("▲")
        elif bool(sig) and "minskat" in str(verdict):
            out.append("▼")
        else:
            out.append("")
    return out


def _arrow_places(arrows: list, plot_px: float, text_px: float) -> dict:
    """(category, point) -> (side, lane) of each arrow: beside its point (``"right"`` or ``"left"``,
    never over or under it, where other categories' points of the period stand), in the first lane
    (next to the point) on a side where no arrow already placed in that lane is closer in height than
    an arrow's height; else in the next lane out. The plot is ``plot_px`` high, its axis from 0 to a
    tenth over the highest share; arrows are ``text_px`` high.

    Examples
    --------
    >>> arrows = [(["a", "b"], [10.0, 5.0], ["▲", ""], "c1", "rån"),
    ...           (["a", "b"], [10.4, 9.0], ["▼", "▲"], "c2", "stöld"),
    ...           (["a", "b"], [10.2, 1.0], ["▲", "▲"], "c3", "bedrägeri")]
    >>> places = _arrow_places(arrows, 240, 20)
    >>> [places[("stöld", 0)], places[("bedrägeri", 0)], places[("rån", 0)]]
    [('right', 0), ('left', 0), ('right', 1)]
    >>> places[("stöld", 1)], places[("bedrägeri", 1)]
    (('right', 0), ('right', 0))
    """
    top = max((v for _x, y, *_ in arrows for v in y if v is not None), default=0.0) * 1.1
    close = ARROW_CLEARANCE * text_px / plot_px * top if top > 0 else 0.0  # an arrow's height in the axis' units
    at: dict = {}
    for x, y, marks, _colour, cat in arrows:
        for i, (period, value, mark) in enumerate(zip(x, y, marks, strict=True)):
            if mark and value is not None:
                at.setdefault(period, []).append((value, cat, i))
    out = {}
    for points in at.values():
        points.sort(key=lambda p: -p[0])
        placed: dict = {}  # (side, lane) -> the heights of the arrows there
        for value, cat, i in points:
            lane = 0
            while True:
                side = next((side for side in ("right", "left")
                             if all(abs(value - v) >= close for v in placed.get((side, lane), ()))), None)
                if side:
                    break
                lane += 1
            placed.setdefault((side, lane), []).append(value)
            out[(cat, i)] = (side, lane)
    return out


def _lane_marker_px(lane: int, point_px: float, arrow_px: float) -> float:
    """The size of the invisible marker that puts an arrow's text in ``lane`` beside its point:
    plotly sets a text at ``size / 1.6 + 1`` px from the point's centre (textposition "middle right"
    or "middle left"); the first lane clears the point (``point_px`` across with its outline) by
    :data:`ARROW_GAP`, each lane is an arrow's width and a gap further out.

    Examples
    --------
    >>> round(_lane_marker_px(0, 9.1, 12) / 1.6 + 1, 2), round(_lane_marker_px(1, 9.1, 12) / 1.6 + 1, 2)
    (7.8, 21.8)
    """
    offset = point_px / 2 + POINT_OUTLINE / 2 + ARROW_GAP + lane * (arrow_px + ARROW_GAP)
    return (offset - 1) * 1.6


def _spacing(ctx, s: dict) -> float:
    """Room between the panels for the right panel's y-axis labels, as a fraction of the plot width
    at the nominal width."""
    width = fit.nominal_width(ctx.meeting) - 32
    gap = fit.NUMBER_TICK_CHARS * fit.CHAR_EM * s["font"] + fit.TICK_PAD + PANEL_GAP_PX
    return round(gap / (width - gap), 3)


def make_share_chart(shares: pd.DataFrame, *, place: str | None = None, category_names=None,
                     parent_names=None, context: style.FigureContext | None = None,
                     height: int | None = None, colours: dict | None = None) -> dict:
    """Lines of the place's share (percent) of each parent's count, per period and category.

    Parameters
    ----------
    shares : DataFrame
        ``parent_id, category, period, count_place, count_parent, share, significant, verdict``.
    parent_names : dict, optional
        Parent id -> display name (None is the city).
    """
    ctx = context or style.FigureContext()
    if shares is None or shares.empty or pd.isna(shares["share"].to_numpy()).all():  # no share to draw
        periods = list(dict.fromkeys(shares["period"].tolist())) if shares is not None and \
            "period" in shares else None
        return finishing.empty_dict(_empty_reason(shares, parent_names), title=TITLE, place=place,
                                    periods=periods or None, context=ctx)
    names = dict(category_names or {}, **{ALL: "Alla valda kategorier"})
    parents = list(dict.fromkeys(shares["parent_id"].tolist()))
    labels = [_parent_label(p, dict(parent_names or {})) for p in parents]
    s = style.sizes(ctx)
    layout = _panels(len(parents), _spacing(ctx, s))
    data = []
    cats = list(dict.fromkeys(shares["category"].tolist()))
    periods = list(dict.fromkeys(shares["period"].tolist()))
    label = {p: fmt_period(p) for p in periods}  # whole-month ranges by their months ("jan–mar 2021")
    shown = list(label.values())
    col = figdict.columns(shares, ("category", "period", "share", "count_place", "count_parent",
                                   "significant", "verdict"))
    rows: dict = {}  # (parent or None for the city, category) -> row positions, in the frame's order
    for i, (p, na, cat) in enumerate(zip(shares["parent_id"].tolist(), shares["parent_id"].isna().tolist(),
                                         col["category"], strict=True)):
        rows.setdefault((None if na else p, cat), []).append(i)
    for col_no, parent in enumerate(parents, start=1):
        key = None if parent is None or pd.isna(parent) else parent
        axes = dict(xaxis=f"x{col_no if col_no > 1 else ''}", yaxis=f"y{col_no if col_no > 1 else ''}")
        arrows = []
        for cat in cats:
            at = rows.get((key, cat), [])
            sub = {c: [v[i] for i in at] for c, v in col.items()}
            marks, colour = _marks(sub), palette.category_colour(cat)
            x, y = [label[p] for p in sub["period"]], [v * 100 for v in sub["share"]]
            arrows.append((x, y, marks, colour, cat))
            data.append(dict(
                type="scatter", x=x, y=y, name=plain(names.get(cat, cat)), legendgroup=cat,
                showlegend=col_no == 1, mode="lines+markers", text=marks,
                line=dict(color=colour, width=s["line"]),
                marker=dict(size=s["font"] * 0.7, color=colour,
                            line=dict(width=[POINT_OUTLINE if m else 0 for m in marks], color="#000000")),
                customdata=[[fmt_pct(sh, 1), fmt_int(a), fmt_int(b), v or "första perioden"]
                            for sh, a, b, v in zip(sub["share"], sub["count_place"],
                                                   sub["count_parent"], sub["verdict"], strict=False)],
                hovertemplate="%{x}<br>%{fullData.name}: <b>%{customdata[0]}</b> "
                              "(%{customdata[1]} av %{customdata[2]})<br>%{customdata[3]}"
                              "<extra></extra>", **axes))
        arrow_font = s["font"] + 2
        places = _arrow_places(arrows, (PLOT_PX[bool(ctx.meeting)] if height is None else height / 2),
                               arrow_font * fit.LINE_EM)
        arrow_px = fit.line_px("▲", arrow_font)
        for x, y, marks, colour, cat in arrows:  # drawn last, so no line or point hides an arrow
            if any(marks):
                # beside the point, not over or under it where the period's other points stand: the
                # invisible marker (a line of no width) sets the text's distance from the point
                at = [places.get((cat, i), ("right", 0)) for i in range(len(x))]
                data.append(dict(type="scatter", x=x, y=y, mode="markers+text", text=marks,
                                 textposition=[f"middle {side}" for side, _ in at],
                                 marker=dict(symbol="line-ns", color=colour, line=dict(width=0),
                                             size=[round(_lane_marker_px(lane, s["font"] * 0.7, arrow_px), 1)
                                                   for _, lane in at]),
                                 cliponaxis=False, showlegend=False,
                                 legendgroup=cat, hoverinfo="skip", name="arrows",
                                 textfont=dict(size=arrow_font, color=colour), **axes))
        figdict.merge(layout, {axes["yaxis"].replace("y", "yaxis"): dict(rangemode="tozero", ticksuffix=" %"),
                             axes["xaxis"].replace("x", "xaxis"): dict(
                                 title=dict(text=labels[col_no - 1],
                                            font=dict(size=s["font"], color=palette.TEXT)),
                                 # every period inside its panel: the first and last labels cannot run
                                 # into the next panel
                                 type="category", categoryorder="array", categoryarray=shown,
                                 range=[-0.5, len(periods) - 0.5])})
    span = shown if len(shown) < 3 else [f"{shown[0]} till {shown[-1]}"]
    fig = finishing.finish({"data": data, "layout": layout}, title=TITLE, place=place, periods=span,
                           context=ctx, height=height,
                           extra="; ".join(["▲/▼ = andelen har ändrats, statistiskt säkerställt",
                                            *([NOTE_OTHER_SOURCES] if _other_sources(shares) else [])]),
                           legend="top")
    if height is None:  # room for the plot under the title block and legend, whatever their height
        margin, plot_h = fig["layout"]["margin"], PLOT_PX[bool(ctx.meeting)]
        # the legend half a tick label higher, so a right panel's top label (often at the plot's top
        # edge) does not touch the legend row above it
        lift = s["font"] * 0.6
        fig["layout"]["legend"]["y"] = 1 + lift / plot_h
        margin["t"] = round(margin["t"] + lift)
        fig["layout"]["height"] = margin["t"] + margin["b"] + plot_h
    return fig


@cache
def _panel_axes(n: int, spacing: float) -> dict:
    """The axes of ``n`` panels side by side, as plotly's ``make_subplots`` lays them out (once)."""
    layout = make_subplots(rows=1, cols=n, horizontal_spacing=spacing).to_dict()["layout"]
    return {k: v for k, v in layout.items() if k.startswith(("xaxis", "yaxis"))}


def _panels(n: int, spacing: float) -> dict:
    """A fresh layout holding :func:`_panel_axes` (copied: the kept one is never altered)."""
    return {k: dict(v, domain=list(v["domain"])) for k, v in _panel_axes(n, spacing).items()}
