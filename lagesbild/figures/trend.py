"""Trend charts: counts per September–August year (or any periods) as grouped bars.

Returns a figure dict (``{"data": [...], "layout": {...}}``, see :mod:`lagesbild.figures.finishing`).
``make_trend_years`` takes :func:`lagesbild.core.compare.counts_by_period` output for Sep–Aug years; a
year that has months without data (the running year) is drawn hatched and lighter and labelled
``2022–2023 (t.o.m. 31 mars 2023)``, never as a whole year. The chart per month,
``make_trend_months``, is in :mod:`lagesbild.figures.trend_months` and importable from here too.

Examples
--------
>>> counts = pd.DataFrame({"category": ["rån", "rån"], "period": ["2021–2022", "2022–2023"],
...     "count": [40, 18], "months_missing": [0, 5], "n_months": [12, 12]})
>>> fig = make_trend_years(counts, data_until="2023-03-31", place="Vårberg")
>>> fig["data"][0]["x"]
['2021–2022', '2022–2023 (t.o.m. 31\\xa0mars)']
"""

from __future__ import annotations

import math
import re

import pandas as pd

from lagesbild.core.compare import ALL  # the label of the total over the categories
from lagesbild.figures import figdict, finishing, fit, palette, sides, style
from lagesbild.figures.format import fmt_date, fmt_int, fmt_period
from lagesbild.figures.markup import plain

# the chart per month, importable from here as before; _names is shared by both charts
from lagesbild.figures.trend_months import LINES_NOTE, TITLE_MONTHS, _names, make_trend_months  # noqa: F401

BARGAP = 0.25          # share of a period's slot between groups of bars
BAR_LABEL_PAD = 4      # px a count needs besides its text to stay clear of the next one
TURNED_EM = 1.17       # a count turned upright is as wide as the font's ascent and descent (DejaVu Sans:
#                        1.164 em, as the browser boxes the text)
UPRIGHT_PLOT_PX = {False: 160, True: 140}  # plot height assumed when making room for upright counts (the
#                 lowest shown: a meeting panel's plot at 1920×960 is about 150 px; an export keeps
#                 160 px, lagesbild.export.render.MIN_PLOT_PX, and 300 let the counts into its legend)
TITLE_YEARS = "Anmälda brott per september–augusti-år"
#: the title of the period chart by the kind of its periods (lagesbild.core.periods.KINDS)
TITLE_BY_KIND = {"sep_aug": TITLE_YEARS, "calendar_year": "Anmälda brott per kalenderår",
                 "tertial": "Anmälda brott per tertial", "vb": "Anmälda brott per kalenderår",
                 "month": "Anmälda brott per månad", "rolling_12": "Anmälda brott per tolvmånadersperiod"}
TITLE_PERIODS = "Anmälda brott per period"
PARTIAL_NOTE = "Randig, ljusare stapel:<br>året är inte komplett"
PARTIAL_NOTE_SHORT = "Randig: ej helt år"  # meeting mode: one line of a legend beside a short plot


#: in meeting mode, more periods than this put the bar chart's legend above the plot, not beside it
MEETING_SIDE_LEGEND_PERIODS = 4


#: below this largest count the year chart's axis steps by whole crimes
WHOLE_TICKS_BELOW = 5


def _partial_label(row, data_until) -> str | None:
    """The label suffix of an incomplete year, or None for a complete one."""
    missing = int(row.get("months_missing", 0) or 0)
    if missing == 0:
        return None
    end = pd.Timestamp(row["end"]) if "end" in row and not pd.isna(row.get("end")) else None
    if data_until is not None and (end is None or end.date() > pd.Timestamp(data_until).date()):
        return f"t.o.m. {fmt_date(data_until)}"
    return f"data saknas för {missing} mån"


def period_title(labels) -> str:
    """The chart title for periods of one kind (Sep–Aug years, tertials …), else a general one.

    Examples
    --------
    >>> period_title(["T1 2021", "T1 2022"]), period_title(["2021", "T1 2022"])
    ('Anmälda brott per tertial', 'Anmälda brott per period')
    """
    from lagesbild.core.periods import parse_period

    kinds = set()
    for label in labels:
        try:
            kinds.add(parse_period(label).kind)
        except ValueError:
            kinds.add(None)
    return TITLE_BY_KIND.get(kinds.pop(), TITLE_PERIODS) if len(kinds) == 1 else TITLE_PERIODS


def _year_rows(counts: pd.DataFrame, data_until, show_total: bool) -> dict:
    """The bars' rows as lists (``category, period, count, partial, xlabel``): years without any data
    left out, and the total too when several categories are shown and ``show_total`` is false."""
    cols = figdict.columns(counts, [c for c in ("category", "period", "count", "months_missing", "n_months",
                                                "end") if c in counts])
    n = len(counts)
    keep = [m < t for m, t in zip(cols["months_missing"], cols["n_months"], strict=True)] \
        if "n_months" in cols and "months_missing" in cols else [True] * n
    if not show_total and len({c for c, k in zip(cols["category"], keep, strict=True) if k}) > 1:
        keep = [k and c != ALL for c, k in zip(cols["category"], keep, strict=True)]
    at = [i for i in range(n) if keep[i]]
    rows = {c: [v[i] for i in at] for c, v in cols.items()}
    described = [c for c in ("months_missing", "end") if c in rows]
    suffix = [_partial_label(dict(zip(described, r, strict=True)), data_until)
              for r in zip(*(rows[c] for c in described), strict=True)] if described else [None] * len(at)
    rows["partial"] = [x is not None for x in suffix]
    rows["missing_text"] = suffix
    # a period's label says it is incomplete only when every bar of it is, alike; when some categories
    # end early (coverage per category) their bars alone are hatched and their hover says why: one
    # period is one group of bars, never two ("2022–2023" beside "2022–2023 (data saknas för 5 mån)")
    alike: dict = {}
    for p, x in zip(rows["period"], suffix, strict=True):
        alike.setdefault(p, set()).add(x)
    rows["xlabel"] = [fmt_period(p) if len(alike[p]) > 1 or x is None else f"{fmt_period(p)} ({_axis_suffix(p, x)})"
                      for p, x in zip(rows["period"], suffix, strict=True)]
    return rows


#: periods no longer than a year, in which a day and month name one date (the year is the period's)
_WITHIN_A_YEAR = ("sep_aug", "calendar_year", "tertial", "vb", "month", "rolling_12")


def _axis_suffix(period: str, suffix: str) -> str:
    """The incomplete period's note under its bars: "t.o.m. 17 okt", without the year its period gives.
    A date never breaks ("17 okt 2026)" is one word), and beside three other years that word was wider
    than its slot on a 1920 px meeting panel, so plotly turned every label by 30° and the chart's margin
    took the grid's room (the place's overview ran past the screen); the hover keeps the whole date.

    Examples
    --------
    >>> _axis_suffix("2026–2027", "t.o.m. 17 okt 2026"), _axis_suffix("2025", "t.o.m. 31 mars 2025")
    ('t.o.m. 17\\xa0okt', 't.o.m. 31\\xa0mars')
    >>> _axis_suffix("2022–2023", "data saknas för 5 mån")
    'data saknas för 5 mån'
    """
    from lagesbild.core.periods import parse_period

    match = re.fullmatch(r"t\.o\.m\. (\d{1,2}) (\S+) \d{4}", suffix)
    if not match:
        return suffix
    try:
        kind = parse_period(period).kind
    except ValueError:
        return suffix
    # day and month on one line ("(t.o.m. 17⏎okt)" read badly)
    return f"t.o.m. {match.group(1)}\u00a0{match.group(2)}" if kind in _WITHIN_A_YEAR else suffix


def make_trend_years(counts: pd.DataFrame, *, data_until=None, place: str | None = None,
                     category_names=None, show_total: bool = False,
                     context: style.FigureContext | None = None, height: int | None = None,
                     colours: dict | None = None) -> dict:
    """Grouped bars of counts per period (Sep–Aug years, or any periods) and category; incomplete
    periods hatched and lighter. The title names the kind of period.

    Parameters
    ----------
    counts : DataFrame
        ``category, period, count`` and, from ``counts_by_period``, ``end, months_missing, n_months``.
    data_until : date-like, optional
        Last day with data; names the end of an incomplete year.
    place : str, optional
        Place name for the subtitle.
    category_names : dict, optional
        Category id -> display name.
    show_total : bool
        Also draw the ``alla`` total when several categories are shown.
    colours : dict, optional
        Category -> colour (:func:`lagesbild.figures.colours.category_colours`).
    """
    ctx = context or style.FigureContext(data_until=data_until)
    until = data_until if data_until is not None else ctx.data_until
    if counts is None or counts.empty:
        return finishing.empty_dict("det finns inga anmälda brott för urvalet", title=TITLE_YEARS,
                                    place=place, context=ctx)
    rows = _year_rows(counts, until, show_total)
    if not rows["period"]:
        return finishing.empty_dict("det finns inga månader med data i de valda åren",
                                    title=TITLE_YEARS, place=place, context=ctx)
    names, s = _names(category_names), style.sizes(ctx)
    groups: dict = dict.fromkeys(dict.fromkeys(counts["category"]))  # the table's order of categories
    for i, cat in enumerate(rows["category"]):
        groups[cat] = (groups[cat] or []) + [i]
    groups = {cat: at for cat, at in groups.items() if at}
    data = []
    for cat, at in groups.items():
        colour, partial = palette.category_colour(cat), [rows["partial"][i] for i in at]
        counts_shown = [rows["count"][i] for i in at]
        data.append(dict(
            type="bar", x=[rows["xlabel"][i] for i in at], y=counts_shown, name=plain(names.get(cat, cat)),
            showlegend=True,  # named even when alone (plotly hides the legend of a single trace)
            marker=dict(color=colour, opacity=[0.55 if p else 1.0 for p in partial],
                        pattern=dict(shape=["/" if p else "" for p in partial], fillmode="overlay",
                                     fgcolor="white", solidity=0.45),
                        line=dict(color=colour, width=1.5)),
            text=[fmt_int(c) for c in counts_shown], textposition="outside", cliponaxis=False,
            textfont=dict(size=s["font"] - 2),
            customdata=[[fmt_int(c), f"ofullständigt år ({rows['missing_text'][i]})" if p else "helt år"]
                        for c, p, i in zip(counts_shown, partial, at, strict=True)],
            hovertemplate="%{x}<br>%{fullData.name}: <b>%{customdata[0]}</b> brott"
                          "<br>%{customdata[1]}<extra></extra>"))
    if any(rows["partial"]):
        data.append(dict(type="bar", x=[None], y=[None], name=PARTIAL_NOTE_SHORT if ctx.meeting else PARTIAL_NOTE,
                         marker=dict(color="#8C8C8C", opacity=0.55,
                                     pattern=dict(shape="/", fillmode="overlay", fgcolor="white",
                                                  solidity=0.45)),
                         showlegend=True, hoverinfo="skip"))
    periods = _in_time_order(counts, rows["period"])
    xlabels = dict(zip(rows["period"], rows["xlabel"], strict=True))  # one label per period
    fig = {"data": data, "layout": dict(
        barmode="group", bargap=BARGAP, uniformtext=dict(minsize=s["font"] - 3, mode="show"),
        # a meeting panel's plot may be lower than the long title (nine tertials' labels, wrapped chips)
        yaxis=dict(title=dict(text="Antal" if ctx.meeting else "Antal anmälda brott"), rangemode="tozero"),
        # in time order: plotly orders categories as the traces first name them, and a first category
        # whose data begin later put 2017–2018 after 2022–2023
        xaxis=dict(type="category", title={}, categoryorder="array",
                   categoryarray=[xlabels[p] for p in periods]))}
    span = periods if len(periods) < 3 else [f"{fmt_period(periods[0])} till {fmt_period(periods[-1])}"]
    # in meeting mode a legend beside many periods' bars leaves them too little width: their labels turn
    # and take the short panel's height, and the legend scrolls; above the plot it takes one row
    legend = "top" if ctx.meeting and len(periods) > MEETING_SIDE_LEGEND_PERIODS else "auto"
    bare = figdict.plain_copy(fig) if ctx.meeting and legend != "top" else None
    fig = finishing.finish(fig, title=period_title(periods), place=place, periods=span, context=ctx,
                           height=height, legend=legend)
    if bare is not None and fig["layout"].get("xaxis", {}).get("tickangle"):
        # six-digit counts' axis labels and the legend beside left the periods too narrow a slot even
        # for "2023–2024": turned 30°, the labels took a third of the panel's height (meet6); the
        # legend above the plot gives them the width to stand level
        fig = finishing.finish(bare, title=period_title(periods), place=place, periods=span, context=ctx,
                               height=height, legend="top")
    # the counts are fitted to the plot's width once the legend has its place: estimated from the whole
    # figure, a legend beside the plot left two bars of 5-digit counts 50 px each, and their level
    # counts 63 px wide stood on each other
    _fit_bar_labels(fig, len(periods), s, ctx.meeting)
    # a place of few crimes: counts are whole, so its axis says 0, 1, 2 (plotly's own steps said 0,5)
    top = max((y for t in fig["data"] if t["type"] == "bar" for y in t["y"] if y is not None), default=0)
    if 0 < top < WHOLE_TICKS_BELOW:
        figdict.merge(fig["layout"], {"yaxis": {"tick0": 0, "dtick": 1}})
    sides.side_margins(fig, s, ctx.meeting)  # the y axis's labels for the range the counts got
    return fig


def _in_time_order(counts: pd.DataFrame, shown) -> list:
    """The periods of ``shown`` (labels) in time order: by their first day (``start``, else ``end``)
    when the counts have it, else as the counts list them.

    >>> c = pd.DataFrame({"period": ["2019–2020", "2017–2018"],
    ...                   "start": pd.to_datetime(["2019-09-01", "2017-09-01"])})
    >>> _in_time_order(c, ["2019–2020", "2017–2018"])
    ['2017–2018', '2019–2020']
    """
    shown = set(shown)
    day = next((c for c in ("start", "end") if c in counts), None)
    if day is None:
        return [p for p in dict.fromkeys(counts["period"]) if p in shown]
    if counts[day].dtype.kind == "M" and counts["period"].notna().all():
        # the usual days (datetime64): each period's first day read from plain lists, not grouped
        # by pandas (≈ 0.5 ms of a change of place)
        cols = figdict.columns(counts, ["period", day])
        least: dict = {}
        for period, when in zip(cols["period"], cols[day], strict=True):
            old = least.get(period, pd.NaT)
            least[period] = when if old is pd.NaT or (when is not pd.NaT and when < old) else old
        keys = list(least)
        return [keys[i] for i in sorted(range(len(keys)), key=lambda i: (
            least[keys[i]] is pd.NaT, least[keys[i]] if least[keys[i]] is not pd.NaT else 0, i))
            if keys[i] in shown]
    first = pd.to_datetime(counts[day], errors="coerce").groupby(counts["period"], sort=False).min()
    order = sorted(range(len(first)), key=lambda i: (pd.isna(first.iloc[i]), first.iloc[i]
                                                     if not pd.isna(first.iloc[i]) else 0, i))
    return [first.index[i] for i in order if first.index[i] in shown]


def _fit_bar_labels(fig: dict, n_periods: int, s: dict, meeting: bool) -> None:
    """Keep the counts over the bars apart at the figure's width: level when the widest fits its bar,
    turned upright when a line of text does, a point smaller when only that fits (each with
    :data:`BAR_LABEL_PAD` to spare), else left out (the table beside the chart has them).
    The y axis gets the headroom the labels need, and the bars are measured once its labels have
    their width: a range grown to "1 000 000" took 19 px from a meeting panel's plot, and counts
    judged apart touched."""
    size = s["font"]
    every = [t for t in fig["data"] if t["type"] == "bar"]
    bars = [t for t in every if t.get("text") is not None]
    if not bars or not n_periods:
        return
    widest = max(fit.text_px(t, size - 2) for b in bars for t in b["text"])
    top = max((y for b in bars for y in b["y"] if y is not None), default=0)
    upright = max(1.12 + widest / UPRIGHT_PLOT_PX[False],
                  1 / max(1 - (widest + 2 * BAR_LABEL_PAD) / UPRIGHT_PLOT_PX[bool(meeting)], 0.25))
    # the count's top stays in the plot: top / range · H + label ≤ H, with H the lowest plot drawn
    for how, headroom in (("level", 1.12), ("upright", upright), ("none", 1.05)):
        if top:
            figdict.merge(fig["layout"], {"yaxis": {"range": [0, top * headroom]}})
            sides.side_margins(fig, s, meeting)  # the y axis's labels for that range
        bar_w = sides.plot_px(fig, meeting) / n_periods * (1 - BARGAP) / len(bars)
        # a turned count needs the same room to its neighbour as a level one: a line height (1.3 em)
        # was all it asked, and six-digit counts ("450 706" / "433 213") touched in a meeting panel
        turned = min(size - 2, math.floor((bar_w - BAR_LABEL_PAD) / TURNED_EM))
        if how == "level" and widest + BAR_LABEL_PAD <= bar_w:
            for t in every:
                t["textangle"] = 0
            return
        if how == "upright" and turned >= size - 3:  # the chart's least text size (uniformtext.minsize)
            for t in every:
                t["textangle"] = -90
                figdict.merge(t, {"textfont": {"size": turned}})
            return
    for t in every:
        t.pop("text", None)
