"""Changes of source on the month chart: a dotted line where the place's monthly counts start to come
from other sources, a short label at its foot, and a word in the subtitle naming the sources.

A level that moves with the source (incidents with coordinates count fewer crimes than the police's
file of all reported crimes) is not a change in crime; the comparisons and trends do not test across
such a change (:mod:`lagesbild.analysis.source_change`), and the chart says where it lies.

Examples
--------
>>> fig = {"data": [], "layout": {}}
>>> ch = pd.DataFrame({"month": [pd.Timestamp("2022-09-01")], "before": ["polisen-brott"],
...                    "after": ["polisen-incidenter"]})
>>> add_source_lines(fig, ch, style.FigureContext())
'prickad linje: byte av källa sep 2022 (polisen-brott → polisen-incidenter), nivån kan flytta med källan'
>>> fig["layout"]["shapes"][0]["line"]["dash"], fig["layout"]["annotations"][0]["text"]
('dot', 'källbyte')
"""

from __future__ import annotations

import pandas as pd

from lagesbild.figures import style
from lagesbild.figures.format import fmt_month
from lagesbild.figures.markup import plain

LINE_COLOUR = "#333333"
LABEL = "källbyte"
NAMED_AT_MOST = 2  # changes named in the subtitle; more are counted
LINE_NAME = "source_change"
#: the label is this much under the chart's font, as the activity start labels: 18 px in meeting mode
LABEL_UNDER_FONT = 2


def add_source_lines(fig: dict, changes: pd.DataFrame | None, context: style.FigureContext) -> str | None:
    """Draw each change of ``changes`` (``month, before, after``) on ``fig`` (a plotly dict with a date
    x axis) and return the subtitle's word on them (as written: the subtitle is escaped where it is
    drawn, :func:`lagesbild.figures.finishing.finish`), or None without changes."""
    if changes is None or changes.empty:
        return None
    size = style.sizes(context)["font"] - LABEL_UNDER_FONT
    layout = fig.setdefault("layout", {})
    words = []
    for row in changes.itertuples(index=False):
        at = pd.Timestamp(row.month) - pd.Timedelta(days=15)  # between the two months
        layout.setdefault("shapes", []).append(dict(
            type="line", name=LINE_NAME, x0=at, x1=at, xref="x", y0=0, y1=1, yref="y domain",
            line=dict(color=LINE_COLOUR, width=2, dash="dot"), layer="above"))
        layout.setdefault("annotations", []).append(dict(
            text=LABEL, x=at, xref="x", y=0, yref="y domain", xanchor="left", yanchor="bottom",
            showarrow=False, font=dict(size=size, color=LINE_COLOUR), bgcolor="rgba(255,255,255,0.8)",
            hovertext=plain(f"Från {fmt_month(row.month)}: {row.after} (före: {row.before})")))
        words.append(f"{fmt_month(row.month)} ({row.before} → {row.after})")  # finish() escapes it
    named = ", ".join(words[:NAMED_AT_MOST])
    more = len(words) - NAMED_AT_MOST
    named += f" och {more} till" if more > 0 else ""
    kind = "byte av källa" if len(words) == 1 else "byten av källa"
    return f"prickad linje: {kind} {named}, nivån kan flytta med källan"
