"""The monthly trend chart: counts per month and category with the rolling 12-month line.

``make_trend_months`` takes :func:`lagesbild.core.compare.monthly_series` output for several
categories (stacked with a ``category`` column): months without data are gaps, never zeros; the
rolling 12-month sum is drawn as its monthly average on the same axis; activity start dates are
vertical lines with labels (:mod:`lagesbild.figures.activity_marks`). The bars per year are in
:mod:`lagesbild.figures.trend`, which also re-exports :func:`make_trend_months` and
:data:`TITLE_MONTHS`.

Examples
--------
>>> s = pd.DataFrame({"category": ["rån"] * 2, "month": pd.to_datetime(["2020-01-01", "2020-02-01"]),
...                   "count": [3, 5]})
>>> make_trend_months(s)["data"][0]["y"]
[3, 5]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild.core.compare import ALL  # the label of the total over the categories
from lagesbild.figures import activity_marks, figdict, finishing, palette, source_marks, style
from lagesbild.figures.format import fmt_int, fmt_month, fmt_num
from lagesbild.figures.markup import plain

TITLE_MONTHS = "Anmälda brott per månad"
LINES_NOTE = "tunn linje: per månad, tjock: rullande 12 mån (snitt per månad)"


def _names(category_names) -> dict:
    names = dict(category_names or {})
    names.setdefault(ALL, "Alla valda kategorier")
    return names

def _gaps(sub: pd.DataFrame) -> list[tuple]:
    """Contiguous runs of uncovered months as (first month, last month)."""
    if "covered" not in sub:
        return []
    runs, start, prev = [], None, None
    for month, covered in zip(sub["month"], sub["covered"], strict=True):
        if not covered and start is None:
            start = month
        if covered and start is not None:
            runs.append((start, prev))
            start = None
        prev = month
    if start is not None:
        runs.append((start, prev))
    return runs


def _whole(values: pd.Series) -> list:
    """Whole numbers as ints, missing ones as None."""
    return [None if v != v else int(v) for v in values.to_numpy(dtype="float64", na_value=np.nan).tolist()]


def _months(values: pd.Series):
    """Months as the figure JSON holds them (what plotly sends for a datetime column)."""
    array = values.to_numpy()
    return np.datetime_as_string(array).tolist() if array.dtype.kind == "M" else array


def make_trend_months(series: pd.DataFrame, *, place: str | None = None, category_names=None,
                      activities: pd.DataFrame | None = None,
                      context: style.FigureContext | None = None, height: int | None = None,
                      colours: dict | None = None, source_changes: pd.DataFrame | None = None) -> dict:
    """Monthly counts per category with a rolling 12-month line; gaps where data are missing.

    Parameters
    ----------
    series : DataFrame
        ``category, month, count`` (``<NA>`` = no data) and optionally ``covered, rolling_12`` as
        :func:`lagesbild.core.compare.monthly_series` returns them, one block per category.
    activities : DataFrame, optional
        ``aktivitet, start_date``: drawn as labelled vertical lines at their start.
    source_changes : DataFrame, optional
        ``month, before, after`` (:func:`lagesbild.analysis.source_change.source_switches`): a dotted
        line where the counts start to come from another source, named in the subtitle.

    Examples
    --------
    >>> s = pd.DataFrame({"category": "rån", "month": pd.date_range("2020-01-01", periods=3, freq="MS"),
    ...                   "count": pd.array([2, None, 4], dtype="Int64")})
    >>> make_trend_months(s)["data"][0]["y"][1] is None
    True
    """
    ctx = context or style.FigureContext()
    if series is None or series.empty or series["count"].notna().sum() == 0:
        return finishing.empty_dict("det finns inga månader med data för urvalet", title=TITLE_MONTHS,
                                    place=place, context=ctx)
    names, s = _names(category_names), style.sizes(ctx)
    first, last = pd.Timestamp(series["month"].min()), pd.Timestamp(series["month"].max())
    # the columns as lists once (a frame per category costs more than the whole figure)
    month_ts, month_json = series["month"].tolist(), _months(series["month"])
    label_of = {m: fmt_month(m) for m in dict.fromkeys(month_ts)}
    count_all = _whole(series["count"])
    rolling_all = _whole(series["rolling_12"]) if "rolling_12" in series else None
    covered_all = series["covered"].tolist() if "covered" in series else None
    rows: dict = {}
    for i, cat in enumerate(series["category"].tolist()):
        rows.setdefault(cat, []).append(i)
    data, layout = [], {}
    for i, (cat, at) in enumerate(rows.items()):
        colour, name = palette.category_colour(cat), plain(names.get(cat, cat))
        counts = [count_all[j] for j in at]
        rolls = [rolling_all[j] for j in at] if rolling_all is not None else None
        has_rolling = rolls is not None and any(r is not None for r in rolls)
        months, labels = [month_json[j] for j in at], [label_of[month_ts[j]] for j in at]
        data.append(dict(
            type="scatter", x=months, y=counts, name=name, mode="lines+markers", connectgaps=False,
            line=dict(color=colour, width=s["line"] * 0.5), marker=dict(size=s["font"] * 0.35),
            opacity=0.75, legendgroup=cat, showlegend=not has_rolling,
            customdata=[[m, "data saknas" if c is None else fmt_int(c)]
                        for m, c in zip(labels, counts, strict=False)],
            hovertemplate="%{customdata[0]}<br>%{fullData.name}: <b>%{customdata[1]}</b><extra></extra>"))
        if has_rolling:
            data.append(dict(
                type="scatter", x=months, y=[None if r is None else r / 12 for r in rolls],
                name=name, mode="lines", connectgaps=False,
                line=dict(color=colour, width=s["line"] * 1.6), legendgroup=cat,
                customdata=[[m, fmt_int(r), fmt_num(None if r is None else r / 12, 1)]
                            for m, r in zip(labels, rolls, strict=False)],
                hovertemplate="12 mån t.o.m. %{customdata[0]}: <b>%{customdata[1]}</b> brott"
                              "<br>(%{customdata[2]} per månad)<extra>%{fullData.name}</extra>"))
        if i == 0 and covered_all is not None and not all(covered_all):
            # shaded where no category shown has data: a category ending early (or starting late)
            # just ends its line; the band said "data saknas" over the others' months
            anyone: dict = {}
            for m, c in zip(month_ts, covered_all, strict=True):
                anyone[m] = anyone.get(m, False) or bool(c)
            months_seen = sorted(anyone)
            gaps = _gaps(pd.DataFrame({"month": months_seen, "covered": [anyone[m] for m in months_seen]}))
            for a, b in gaps:  # as plotly's add_vrect draws them
                x0, x1 = a - pd.Timedelta(days=15), b + pd.Timedelta(days=15)
                layout.setdefault("shapes", []).append(dict(
                    type="rect", x0=x0, x1=x1, xref="x", y0=0, y1=1, yref="y domain",
                    fillcolor="#DDDDDD", opacity=0.5, line=dict(width=0), layer="below"))
                layout.setdefault("annotations", []).append(dict(
                    text="data saknas", x=x0, xref="x", y=0, yref="y domain", xanchor="left",
                    yanchor="bottom", showarrow=False, font=dict(size=s["font"] - 3)))
    fig = {"data": data, "layout": layout}
    unlabelled = activity_marks.add_activity_lines(fig, activities, first, last, ctx)
    switched = source_marks.add_source_lines(fig, source_changes, ctx)
    # ticks at the first month shown (the periods' start: September for Sep–Aug years, January for
    # calendar years, a tertial's first month); they stood at September whatever the periods were
    vals, text = style.month_ticks(first, last, anchor_month=pd.Timestamp(first).month)
    figdict.merge(layout, dict(
        hovermode="closest",
        xaxis=dict(type="date", tickvals=vals, ticktext=text, title={},
                   range=[first - pd.Timedelta(days=20), last + pd.Timedelta(days=20)]),
        yaxis=dict(title=dict(text="Per månad" if ctx.meeting else "Antal per månad"), rangemode="tozero")))
    periods = [f"{fmt_month(first)}–{fmt_month(last)}"]
    rolling = rolling_all is not None and any(r is not None for r in rolling_all)
    # starts whose names found no room say so under the title (their names are in the action plan)
    extra = " · ".join(t for t in (LINES_NOTE if rolling else None, switched,
                                   activity_marks.unlabelled_note(unlabelled)) if t) or None
    return finishing.finish(fig, title=TITLE_MONTHS, place=place, periods=periods, context=ctx,
                            extra=extra, height=height)
