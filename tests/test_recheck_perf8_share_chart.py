"""figures.share.make_share_chart without pandas' string machinery (recheck of issue #10 by perf8).

Each place change drew the share chart, and it asked twice of pandas what one pass over a column says:
whether any share can be drawn (``share.notna().sum() == 0``) and whether a note says the place and
its area are counted from different sources (``note.astype(str).str.contains(...).any()``, which
builds a string array and two Series). Both are now read from the column's values. The reference is
the old function, kept below as it was (with the old ``_other_sources``), run on random share tables
(empty, every share missing, notes of different sources or none, None/NaN/numbers in the note column,
one parent or two, the city as a parent, one category or several): the figure dicts must be equal.
"""

from __future__ import annotations

import json
import math

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.core.cube import build_cube
from lagesbild.core.shares import OTHER_SOURCES, share_table
from lagesbild.figures import figdict, finishing, fit, palette, style
from lagesbild.figures.format import fmt_int, fmt_pct, fmt_period
from lagesbild.figures.markup import plain
from lagesbild.figures.share import (
    ALL,
    NOTE_OTHER_SOURCES,
    PLOT_PX,
    POINT_OUTLINE,
    TITLE,
    _arrow_places,
    _empty_reason,
    _lane_marker_px,
    _marks,
    _other_sources,
    _panels,
    _parent_label,
    _spacing,
    make_share_chart,
)


def old_other_sources(shares) -> bool:
    """_other_sources as it was before perf8."""
    if shares is None or shares.empty or "note" not in shares:
        return False
    return bool(shares["note"].astype(str).str.contains(OTHER_SOURCES.split(" (")[0], regex=False).any())


def old_make_share_chart(shares: pd.DataFrame, *, place: str | None = None, category_names=None,
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
    if shares is None or shares.empty or shares["share"].notna().sum() == 0:
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
                                            *([NOTE_OTHER_SOURCES] if old_other_sources(shares) else [])]),
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


NOTE = OTHER_SOURCES.format(parent="bromma", label="2021–2022")
NOTES = st.sampled_from(["", NOTE, "Jämfört lika: 6 månader. " + NOTE, "Jämfört lika: 6 månader.", None,
                         math.nan, 3, "olika källor"])


@st.composite
def share_tables(draw):
    parents = draw(st.sampled_from([["bromma"], [None], ["bromma", None], ["bromma", "stockholm"]]))
    cats = draw(st.lists(st.sampled_from(["rån", "stöld", ALL, "våld"]), min_size=0, max_size=3, unique=True))
    periods = draw(st.lists(st.sampled_from(["2019–2020", "2020–2021", "2021–2022", "jan 2022"]),
                            min_size=1, max_size=3, unique=True))
    rows = [(p, c, per) for p in parents for c in cats for per in periods]
    n = len(rows)
    place = draw(st.lists(st.one_of(st.integers(0, 300), st.just(math.nan)), min_size=n, max_size=n))
    parent = draw(st.lists(st.one_of(st.integers(0, 3000), st.just(math.nan)), min_size=n, max_size=n))
    share = [a / b if not (math.isnan(a) or math.isnan(b)) and b > 0 and a <= b and draw(st.booleans())
             else math.nan for a, b in zip(place, parent, strict=True)]
    sig = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    verdict = draw(st.lists(st.sampled_from(["", "andelen har ökat, statistiskt säkerställt",
                                             "andelen har minskat, statistiskt säkerställt",
                                             "ingen säkerställd förändring av andelen"]), min_size=n, max_size=n))
    table = pd.DataFrame({"place_id": "torget", "parent_id": [r[0] for r in rows],
                          "category": [r[1] for r in rows], "period": [r[2] for r in rows],
                          "count_place": pd.Series(place, dtype=float), "count_parent": pd.Series(parent, dtype=float),
                          "share": pd.Series(share, dtype=float), "significant": sig, "verdict": verdict,
                          "note": pd.Series(draw(st.lists(NOTES, min_size=n, max_size=n)), dtype=object)})
    return table


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(share_tables(), st.booleans())
def test_share_chart_is_the_old_one(shares, meeting):
    kw = dict(place="Torget", category_names={"rån": "Rån"}, parent_names={"bromma": "Bromma", None: "Staden"},
              context=style.FigureContext(meeting=meeting))
    # as JSON text: a NaN share is NaN in both (NaN != NaN in a dict comparison)
    assert _text(make_share_chart(shares.copy(), **kw)) == _text(old_make_share_chart(shares.copy(), **kw))


def _text(fig: dict) -> str:
    return json.dumps(fig, sort_keys=True, default=repr)


@settings(max_examples=300, deadline=None)
@given(st.lists(NOTES, max_size=8), st.sampled_from([object, "string", "category"]))
def test_other_sources_is_the_old_one(notes, dtype):
    t = pd.DataFrame({"note": pd.Series(notes, dtype=object)})
    if dtype is not object:
        t["note"] = t["note"].map(lambda v: v if isinstance(v, str) else None).astype(dtype)
    assert _other_sources(t) == old_other_sources(t)


def test_other_sources_of_share_table():
    # share_table's own note (a place's months from another source than its district's): True
    monthly = pd.DataFrame({"place_id": ["torg", "rest", "torg", "rest"], "category": "rån",
                            "month": pd.to_datetime(["2019-01-01", "2019-01-01", "2020-01-01", "2020-01-01"]),
                            "count": [50, 50, 20, 80], "source": ["a", "b", "a", "a"]})
    out = share_table(build_cube(monthly), ["2019-01", "2020-01"], "torg", [None], present=["rån"])
    assert _other_sources(out) == old_other_sources(out)
    assert not _other_sources(out.assign(note=""))
