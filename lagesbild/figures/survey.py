"""Safety-survey charts: shares with Wilson intervals against the district and the city.

Input is :func:`lagesbild.core.survey.survey_table` output (shares as fractions, intervals ``ci_lo``,
``ci_hi``, respondents, the district's and city's shares, ``fictitious``). The place's share is a bar
with its 95 % interval as an error bar; the district and the city are markers. Respondent counts are in
the labels (in meeting mode once, in the subtitle) and the hover text; fictitious rows are marked "(fiktiv)". A share without a respondent
count is drawn without an interval and says so.

Examples
--------
>>> t = pd.DataFrame({"indicator": ["Berusade personer stör ordningen"], "year": [2022],
...     "share": [0.23], "respondents": pd.array([310], dtype="Int64"), "ci_lo": [0.187],
...     "ci_hi": [0.279], "district_share": [0.09], "city_share": [0.08], "fictitious": [True]})
>>> fig = make_survey_chart(t, place="Hässelby torg")
>>> fig["data"][0]["y"][0]
'Berusade personer stör<br>ordningen (fiktiv)<br><b>23\\xa0%</b> · n = 310 · 2022'
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lagesbild.core.survey import city_level_name as city_name  # noqa: F401 (the legends' name)
from lagesbild.figures import figdict, finishing, fit, palette, style
from lagesbild.figures.format import fmt_int, fmt_pct
from lagesbild.figures.markup import plain, plain_all

TITLE = "Trygghetsmätning: andel som instämmer"
TITLE_TREND = "Trygghetsmätning över tid"
INTERVAL_NOTE = "felstaplar = 95 % konfidensintervall (Wilson)"
LABEL_CHARS = 30  # longest line of an indicator label (long questions are wrapped in the figure)
COMPACT_LINES = None  # meeting mode's labels are wrapped whole, never cut ("…")
LABEL_ROOM = 0.45  # categories of x axis right of a trend's last year, for its value label
COMPACT_CHARS = 44  # one line for the usual questions: two-line labels touched in a meeting panel
TICK_STEPS = (1, 2, 5, 10, 20, 25, 50, 100)  # percentage steps under the bars, the smallest that fits
SHARE_GAP = 6  # px between a row's last mark and its share (beside plotly's own 3 px)
TICK_SLOT_PX = 75  # px a percentage under the bars takes with its gap ("60 %" is 40 px in meeting mode)
ROW_GAP = 9  # px between two indicators' labels (also assets/meeting-fit.js)
COMPACT_HEIGHT = 460  # px a chart has outside the meeting grid (web.components.CHART_HEIGHT)
#: the columns of ``survey_table`` the latest-year chart draws
CHART_COLUMNS = ("indicator", "year", "share", "respondents", "ci_lo", "ci_hi", "district_share",
                 "city_share", "fictitious")
#: reference series: (column, legend name, colour, marker symbol)
REFERENCES = (("district_share", "Stadsdelsområdet", palette.PLACE_COLOURS["stadsdelsomrade"], "diamond"),
              ("city_share", "Staden", palette.PLACE_COLOURS["stad"], "line-ns"))


def _reference_label(col: str, name: str, district_name: str | None, city: str | None) -> str:
    """A reference marker's legend name: the district's or the kommun's own name where known."""
    own = district_name if col == "district_share" else city
    return plain(own or name)


def _n_text(n) -> str:
    return "n saknas" if n is None or pd.isna(n) else f"n = {fmt_int(n)}"


def _errors(df: pd.DataFrame) -> tuple[list, list]:
    share = df["share"].astype(float).to_numpy()
    lo = pd.to_numeric(df.get("ci_lo"), errors="coerce").astype(float).to_numpy()
    hi = pd.to_numeric(df.get("ci_hi"), errors="coerce").astype(float).to_numpy()
    plus = [None if np.isnan(h) else (h - sh) * 100 for h, sh in zip(hi, share, strict=False)]
    minus = [None if np.isnan(v) else (sh - v) * 100 for v, sh in zip(lo, share, strict=False)]
    return plus, minus


def _interval_text(lo, hi) -> str:
    if lo is None or pd.isna(lo) or pd.isna(hi):
        return "inget intervall (antal svarande saknas)"
    return f"95 % KI {fmt_pct(lo)}–{fmt_pct(hi)}"


def latest_rows(table: pd.DataFrame, year=None) -> pd.DataFrame:
    """The latest year of each indicator (or the given year)."""
    if year is not None:
        return table[table["year"] == int(year)]
    return table.sort_values("year").groupby("indicator", sort=False).tail(1)


def wrap_indicator(text: str, *, max_lines: int | None = None, chars: int = LABEL_CHARS) -> str:
    """An indicator question broken into lines of at most ``chars`` characters.

    Examples
    --------
    >>> wrap_indicator("Narkotikapåverkade personer stör ordningen", max_lines=1)
    'Narkotikapåverkade personer…'
    """
    lines = textwrap.wrap(str(text), chars, break_on_hyphens=False) or [""]
    if max_lines and len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1:])
        lines = lines[:max_lines - 1] + [textwrap.shorten(rest, chars, placeholder="…")
                                         if " " in rest[:chars] else rest[:chars - 1] + "…"]
    return "<br>".join(plain_all(lines))  # wrapped as written, then escaped (a user's question)


def _labels(rows, compact: bool) -> list[str]:
    """The indicators' axis labels (``rows``: a frame or a dict of column lists). The full labels hold
    the place's share in bold: it stood on the bar, at its base, where the district's diamond or the
    city's mark covered it whenever their shares were small ("16 %", "14 %"). Compact labels (meeting
    mode) are wrapped whole at :data:`COMPACT_CHARS` (``*`` = fictitious); the share stands right of
    its row's bar and marks there (:func:`_share_texts`), since a longer label left a meeting panel's
    bars too little width, and the respondent counts are said once, in the subtitle (:func:`_n_range`)."""
    if compact:
        return [wrap_indicator(str(ind), max_lines=COMPACT_LINES, chars=COMPACT_CHARS)
                + ("*" if bool(f) else "")
                for ind, f in zip(rows["indicator"], rows["fictitious"], strict=True)]
    return [f"{wrap_indicator(str(ind) + (' (fiktiv)' if bool(f) else ''))}<br><b>{fmt_pct(sh)}</b> · "
            f"{_n_text(n)} · {y}"
            for ind, f, sh, n, y in zip(rows["indicator"], rows["fictitious"], rows["share"],
                                        rows["respondents"], rows["year"], strict=False)]


def _rows_height(labels: list[str], font: float) -> float:
    """Pixels the indicator labels need on the y axis: plotly gives every category the same height, so
    each as much as the label of most lines, and a gap."""
    lines = max((label.count("<br>") + 1 for label in labels), default=1)
    return len(labels) * (lines * fit.LINE_EM * font + ROW_GAP)


def _row_ends(rows: dict, plus: list) -> list[float]:
    """Per indicator, the right end (%) of what its row draws: the bar and its interval, the
    district's and the city's marks."""
    ends = []
    for i, share in enumerate(rows["share"]):
        values = [share * 100 + (plus[i] or 0)] + [rows[c][i] * 100 for c, *_ in REFERENCES
                                                    if c in rows and not pd.isna(rows[c][i])]
        ends.append(max(values))
    return ends


def _share_texts(rows: dict, labels: list[str], ends: list[float], s: dict, size: float) -> dict:
    """The shares of a meeting panel, each right of its row's bar, interval and marks (on the bar, at
    its base, a district's diamond at 2 % covered it): a text trace whose invisible markers are the
    diamond's size, so the text starts clear of a diamond at the row's end."""
    return dict(type="scatter", x=ends, y=labels, mode="markers+text", showlegend=False,
                text=[f"<b>{fmt_pct(v)}</b>" for v in rows["share"]], textposition="middle right",
                textfont=dict(size=size, color=style.TEXT), cliponaxis=False, hoverinfo="skip",
                marker=dict(size=s["font"] * 1.1, opacity=0), name="andel")


def _share_range(texts: dict, plot_px: float, font: float) -> list[float]:
    """The x axis' range that holds every share right of its row in a plot ``plot_px`` wide (the
    narrowest the panel is drawn), and starts left of 0 % by a diamond's half (one at 0 % then stays
    clear of the question beside the axis)."""
    half = texts["marker"]["size"] / 2
    top = max(end / max(1 - (half + SHARE_GAP + fit.text_px(text, font)) / plot_px, 0.3)
              for end, text in zip(texts["x"], texts["text"], strict=True))
    return [-(half + 2) / plot_px * top, top]


def _tick_step(top: float, ticks: int) -> float:
    """The step between percentages under the bars so that at most ``ticks`` are drawn on an axis
    running to ``top`` %.

    Examples
    --------
    >>> _tick_step(63.7, 2)
    50
    >>> _tick_step(59.4, 5)
    20
    """
    return next((step for step in TICK_STEPS if top / step < ticks), TICK_STEPS[-1])


def _n_range(respondents) -> str:
    """The respondent counts in one text: ``n = 312`` or ``n = 312–12 345`` (``n saknas`` for some).

    Examples
    --------
    >>> _n_range([312, 12345, None])
    'n = 312–12\xa0345, n saknas för en del'
    """
    known = sorted({int(n) for n in respondents if n is not None and not pd.isna(n)})
    if not known:
        return _n_text(None)
    text = _n_text(known[0]) + (f"–{fmt_int(known[-1])}" if len(known) > 1 else "")
    return text + (", n saknas för en del" if any(n is None or pd.isna(n) for n in respondents) else "")


def make_survey_chart(table: pd.DataFrame, *, place: str | None = None, year=None,
                      district_name: str | None = None, context: style.FigureContext | None = None,
                      height: int | None = None, compact: bool | None = None,
                      label_size: float | None = None, city: str | None = None) -> dict:
    """Horizontal bars of the place's latest share per indicator with intervals and references (a
    figure dict, see :mod:`lagesbild.figures.finishing`).

    Parameters
    ----------
    table : DataFrame
        ``survey_table`` output for one place.
    year : int, optional
        Show this survey year instead of each indicator's latest.
    district_name : str, optional
        Legend name of the district marker.
    city : str, optional
        Legend name of the city marker (:func:`city_name`; default "Staden").
    compact : bool, optional
        One-line labels (``*`` = fictitious), the respondent count on the bar (or once in the
        subtitle when every indicator has the same) and no fixed height (default: in meeting mode).
    label_size : float, optional
        The compact chart's indicator names and shares in px (default 4 px under the chart's font:
        16 px on the wall, which Plats' one-screen grid needs; the Trygghet page gives 18).
    """
    ctx = context or style.FigureContext()
    if table is not None and not table.empty:  # only the columns drawn (the table has some thirty)
        table = table[[c for c in CHART_COLUMNS if c in table]]
    rows = latest_rows(table, year) if table is not None and not table.empty else None
    if rows is None or rows.empty:
        return finishing.empty_dict("det finns ingen trygghetsmätning för platsen", title=TITLE,
                                    place=place, context=ctx, source=style.SURVEY_SOURCE, until=False)
    rows = rows.sort_values("share")
    plus, minus = _errors(rows)
    rows = figdict.columns(rows)  # plain lists from here
    s = style.sizes(ctx)
    compact = ctx.meeting if compact is None else compact
    labels = _labels(rows, compact)
    small = label_size or s["font"] - 4  # the compact chart's indicator names and shares
    data = [dict(
        type="bar", y=labels, x=[v * 100 for v in rows["share"]], orientation="h", name=plain(place or "Platsen"),
        marker=dict(color=palette.PLACE_COLOURS["plats"], opacity=0.85),
        error_x=dict(type="data", array=plus, arrayminus=minus, color="#1B1F24", thickness=2,
                     width=s["font"] * 0.5),
        customdata=[[fmt_pct(sh), _interval_text(lo, hi), _n_text(n),
                     f"{plain(ind)}{' (fiktiv)' if bool(f) else ''}, {y}"]
                    for sh, lo, hi, n, ind, f, y in zip(
                        rows["share"], rows.get("ci_lo"), rows.get("ci_hi"), rows["respondents"],
                        rows["indicator"], rows["fictitious"], rows["year"], strict=False)],
        hovertemplate="%{customdata[3]}<br><b>%{customdata[0]}</b> · %{customdata[1]} · "
                      "%{customdata[2]}<extra></extra>")]
    texts = _share_texts(rows, labels, _row_ends(rows, plus), s, small) if compact else None
    for col, name, colour, symbol in REFERENCES:
        if col in rows and any(not pd.isna(v) for v in rows[col]):
            label = _reference_label(col, name, district_name, city)
            data.append(dict(
                type="scatter", y=labels, x=[v * 100 for v in rows[col]], mode="markers", name=label,
                marker=dict(symbol=symbol, size=s["font"] * 1.1, color=colour,
                            line=dict(width=3, color=colour)),
                customdata=[fmt_pct(v) for v in rows[col]],
                hovertemplate="%{fullData.name}: <b>%{customdata}</b><extra></extra>"))
    if texts:
        data.append(texts)
    # no rangemode "tozero": the axis then starts far enough left of 0 % for a district's diamond at
    # 2 % to stay clear of the question beside it (plotly pads the range by the marker's size)
    layout = dict(xaxis=dict(title={}, ticksuffix=" %"),
                  yaxis=dict(automargin=True), bargap=0.35)
    years = sorted({int(y) for y in rows["year"]})
    note = INTERVAL_NOTE + (f" · {_n_range(rows['respondents'])}" if compact else "") + \
        (" · * fiktiv" if compact and any(bool(f) for f in rows["fictitious"]) else "")
    if compact:  # every indicator named (plotly leaves every other label out when rows are tight)
        layout["yaxis"].update(tickfont=dict(size=small), tickmode="linear", tick0=0, dtick=1)
    fig = finishing.finish({"data": data, "layout": layout}, title=TITLE, place=place,
                           periods=[str(y) for y in years], context=ctx,
                           source=style.SURVEY_SOURCE, until=False, extra=note,
                           height=height or (None if compact else 190 + 72 * len(labels)))
    if not compact and not height:  # long questions of four lines: the margins and the rows they need
        margin = fig["layout"].get("margin", {})  # (the height above left them 70 px for 78 px of text)
        need = margin.get("t", 0) + margin.get("b", 0) + _rows_height(labels, s["font"])
        fig["layout"]["height"] = math.ceil(max(fig["layout"]["height"], need))
    if compact:
        margin = fig["layout"].get("margin", {})
        # as many percentages under the bars as stand level side by side: beside long questions and a
        # long place name in the legend, a panel's bars are narrow, and turned percentages ran into the
        # source line under them
        plot_px = fit.figure_width(fig, True) - margin.get("l", 0) - margin.get("r", 0)
        lo, top = _share_range(texts, max(plot_px, 1), small)
        fig["layout"]["xaxis"].update(range=[lo, top], tickmode="linear", tick0=0,
                                      dtick=_tick_step(top, max(plot_px // TICK_SLOT_PX, 2)))
        need = margin.get("t", 0) + margin.get("b", 0) + _rows_height(labels, small)
        if not height and need > COMPACT_HEIGHT:  # many questions: as tall as their labels need (a
            fig["layout"]["height"] = math.ceil(need)  # panel's own height then, assets/meeting-fit.js)
    return fig


def make_survey_trend(table: pd.DataFrame, *, indicator: str, place: str | None = None,
                      district_name: str | None = None, context: style.FigureContext | None = None,
                      height: int | None = None, city: str | None = None) -> go.Figure:
    """One indicator over the survey years: the place with intervals, the district and the city.

    Examples
    --------
    >>> t = pd.DataFrame({"indicator": "oro", "year": [2019, 2021], "share": [0.3, 0.2],
    ...     "respondents": pd.array([300, None], dtype="Int64"), "ci_lo": [0.25, None],
    ...     "ci_hi": [0.35, None], "district_share": [0.1, 0.1], "city_share": [None, None],
    ...     "fictitious": [False, False]})
    >>> len(make_survey_trend(t, indicator="oro").data)
    2
    """
    ctx = context or style.FigureContext()
    title = f"{TITLE_TREND}: {indicator}"
    rows = None if table is None or table.empty else table[table["indicator"] == indicator]
    if rows is None or rows.empty:
        return finishing.empty_figure(f"ingen mätning av ”{indicator}” för platsen", title=title,
                                      place=place, context=ctx, source=style.SURVEY_SOURCE, until=False)
    s = style.sizes(ctx)
    rows = rows.sort_values("year")
    plus, minus = _errors(rows)
    years = [str(int(y)) for y in rows["year"]]
    fic = any(bool(f) for f in rows["fictitious"])
    fig = go.Figure()
    fig.add_scatter(
        x=years, y=rows["share"] * 100, name=plain(place or "Platsen") + (" (fiktiv)" if fic else ""),
        mode="lines+markers+text", line=dict(color=palette.PLACE_COLOURS["plats"], width=s["line"]),
        marker=dict(size=s["font"] * 0.8), text=[fmt_pct(x) for x in rows["share"]],
        textposition="middle right", textfont=dict(size=s["font"] - 2), cliponaxis=False,
        error_y=dict(type="data", array=plus, arrayminus=minus, thickness=2, width=s["font"] * 0.5),
        customdata=[[fmt_pct(sh), _interval_text(lo, hi), _n_text(n)]
                    for sh, lo, hi, n in zip(rows["share"], rows["ci_lo"], rows["ci_hi"],
                                             rows["respondents"], strict=False)],
        hovertemplate="%{x}: <b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}"
                      "<extra></extra>")
    for col, name, colour, symbol in REFERENCES:
        if col in rows and rows[col].notna().any():
            label = _reference_label(col, name, district_name, city)
            fig.add_scatter(x=years, y=rows[col] * 100, name=label, mode="lines+markers",
                            line=dict(color=colour, width=s["line"] * 0.8, dash="dash"),
                            marker=dict(symbol="diamond" if symbol == "diamond" else "square",
                                        size=s["font"] * 0.6, color=colour),
                            customdata=[fmt_pct(v) for v in rows[col]],
                            hovertemplate="%{fullData.name} %{x}: <b>%{customdata}</b><extra></extra>")
    ticks = [f"{y}<br>{_n_text(n)}" for y, n in zip(years, rows["respondents"], strict=False)]
    # room right of the last year for its value label ("15 %"), which is never cut by the plot area
    fig.update_layout(xaxis=dict(type="category", title=None, tickvals=years, ticktext=ticks,
                                 range=[-0.5, len(years) - 0.5 + LABEL_ROOM]),
                      yaxis=dict(title="Andel som instämmer (%)", rangemode="tozero", ticksuffix=" %"))
    return finishing.finish(fig, title=title, place=place, periods=[f"{years[0]}–{years[-1]}"]
                            if len(years) > 1 else years, context=ctx, source=style.SURVEY_SOURCE,
                            until=False, extra=INTERVAL_NOTE, height=height)


def _diff_text(r: dict, prefix: str) -> str:
    """A difference in percentage points with its interval, e.g. ``+12 p.e. (7 till 17)``."""
    from lagesbild.figures.format import fmt_num, fmt_pp

    text = fmt_pp(r.get(f"diff_{prefix}"))
    lo, hi = r.get(f"diff_{prefix}_lo"), r.get(f"diff_{prefix}_hi")
    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
        return text
    return f"{text} ({fmt_num(lo, 0, sign=True)} till {fmt_num(hi, 0, sign=True)})"


def make_survey_table(table: pd.DataFrame, district_name: str | None = None,
                      city: str | None = None) -> pd.DataFrame:
    """The survey table formatted for a DataTable: one row per indicator and year, newest first.
    ``district_name`` names the area the place is compared with ("Mot Huddinge"): the column said
    "Mot stadsdelsområdet" also where that area is a kommun.

    Examples
    --------
    >>> t = pd.DataFrame({"indicator": ["oro"], "year": [2021], "share": [0.2], "ci_lo": [0.16],
    ...     "ci_hi": [0.25], "respondents": pd.array([310], dtype="Int64"), "diff_district": [10.0],
    ...     "diff_city": [float("nan")], "change_pp": [-10.0], "significant": [True],
    ...     "verdict": ["minskning, statistiskt säkerställd"], "fictitious": [True], "note": [""]})
    >>> make_survey_table(t).iloc[0][["Indikator", "Andel", "Mot stadsdelsområdet"]].tolist()
    ['oro (fiktiv)', '20\\xa0%', '+10\\xa0p.e.']
    >>> wide = t.assign(diff_district_lo=7.4, diff_district_hi=15.1)
    >>> make_survey_table(wide).iloc[0]["Mot stadsdelsområdet"]
    '+10\\xa0p.e. (+7 till +15)'
    >>> list(make_survey_table(t, district_name="Huddinge").columns[5:7])
    ['Mot Huddinge', 'Mot staden']

    """
    from lagesbild.figures.format import fmt_pp
    from lagesbild.figures.tables import ARROWS

    against = f"Mot {district_name}" if district_name else "Mot stadsdelsområdet"
    city_col = f"Mot {city}" if city else "Mot staden"
    # a kommun that is both the place's district and the survey's city is compared with once
    cols = ["Indikator", "År", "Andel", "95 % KI", "Svarande", *([] if city_col == against else [against]),
            city_col, "Sedan förra mätningen", "Bedömning", "_klass", "_not"]
    if table is None or table.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for r in table.sort_values(["indicator", "year"], ascending=[True, False]).to_dict("records"):
        sig, verdict = r.get("significant"), str(r.get("verdict") or "")
        klass = "ingen"
        if sig is True or (sig is not None and not pd.isna(sig) and bool(sig)):
            klass = "okning" if verdict.startswith("ökning") else "minskning"
        rows.append({
            "Indikator": f"{r['indicator']}{' (fiktiv)' if bool(r.get('fictitious')) else ''}",
            "År": str(int(r["year"])), "Andel": fmt_pct(r["share"]),
            "95 % KI": (f"{fmt_pct(r['ci_lo'])}–{fmt_pct(r['ci_hi'])}"
                        if not pd.isna(r.get("ci_lo")) else "–"),
            "Svarande": fmt_int(r["respondents"]),
            against: _diff_text(r, "district"), city_col: _diff_text(r, "city"),
            "Sedan förra mätningen": fmt_pp(r.get("change_pp")),
            "Bedömning": ARROWS[klass] + verdict, "_klass": klass, "_not": r.get("note") or ""})
    return pd.DataFrame(rows, columns=cols)
