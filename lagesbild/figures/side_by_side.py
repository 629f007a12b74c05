"""Places side by side: grouped bars, one group per place, one bar per category.

Input is the ``table`` of :func:`lagesbild.analysis.side_by_side.side_by_side` (one period is drawn,
the latest by default). The measure is the count or crimes per 1 000 inhabitants and year; a place
without a meaningful rate gets no bar and the subtitle says why. Categories keep their one colour
(:func:`lagesbild.figures.palette.category_colour`).

Examples
--------
>>> t = pd.DataFrame({"place_id": ["a", "a", "b", "b"], "name": ["A", "A", "B", "B"],
...     "category": ["rån", "alla", "rån", "alla"], "period": "2022–2023", "count": [5, 9, 7, 7],
...     "rate": [1.5, 2.0, float("nan"), float("nan")], "missing": 0})
>>> fig = make_side_by_side(t, measure="rate")
>>> [tr.name for tr in fig.data], list(fig.data[0].x)
(['rån'], ['A'])
>>> "B: brott per 1" in fig.layout.meta["extra"]
True
"""

from __future__ import annotations

import re
import textwrap

import pandas as pd
import plotly.graph_objects as go

from lagesbild.core.compare import ALL  # the label of the total over the categories
from lagesbild.figures import finishing, fit, palette, sides, style
from lagesbild.figures.format import fmt_int, fmt_num, fmt_p, fmt_period
from lagesbild.figures.markup import plain, plain_all
from lagesbild.figures.tables import ALL_NAME, category_label, comparison_notes, fmt_rate

TITLES = {"count": "Anmälda brott per plats", "rate": "Anmälda brott per 1 000 invånare och år"}
#: a period counted on fewer months than it has, because the latest period's data end early
CUT_MARK = "*"
INTERVAL_COLOUR = "#3A3F45"  # the rates' 95 % intervals: dark on white, beside any category's colour
CUT_NOTE = "* Samma månader i varje period, eftersom data inte finns för hela den senaste perioden"


def cut_periods(table: pd.DataFrame) -> set:
    """The periods of a side-by-side ``table`` counted like for like (on the same months as the
    period they are compared with, fewer than the period has)."""
    if table is None or "like_for_like" not in table:
        return set()
    return set(table.loc[table["like_for_like"].fillna(False).astype(bool), "period"])


def counted_span(table: pd.DataFrame, period: str) -> str | None:
    """The months a cut period's counts cover (``sep 2022–jun 2023``), or None for a whole period.

    Examples
    --------
    >>> t = pd.DataFrame({"period": ["2022–2023"], "like_for_like": [True],
    ...                   "start": pd.to_datetime(["2022-09-01"]), "end": pd.to_datetime(["2023-06-30"])})
    >>> counted_span(t, "2022–2023")
    'sep 2022–jun 2023'
    """
    if period not in cut_periods(table):
        return None
    rows = table[(table["period"] == period) & table["like_for_like"].fillna(False).astype(bool)]
    start, end = pd.Timestamp(rows["start"].min()), pd.Timestamp(rows["end"].max())
    return fmt_period(f"{start:%Y-%m-%d}–{end:%Y-%m-%d}")


def place_notes(res: dict) -> list[str]:
    """The notes of every place's numbers, as Plats gives them: with two or more periods the notes of
    each place's changes (a comparison cut like for like, a population that changed, a dispersion that
    widens the test), with one period the notes of its rates (a population interpolated or taken from
    the nearest known year: the page showed none, the CLI's JSON had it on every row). A note every
    place's rows carry is said once, the others after the place's name.

    Examples
    --------
    >>> t = pd.DataFrame({"name": ["A", "B"], "category": ["rån", "rån"],
    ...                   "note": ["Befolkningen 2024 är interpolerad mellan kända år."] * 2})
    >>> place_notes({"changes": pd.DataFrame(), "table": t, "category_names": {}, "categories": ["rån"]})
    ['Befolkningen 2024 är interpolerad mellan kända år.']
    """
    changes = res["changes"]
    if changes.empty:  # one period: the table's rows carry their rates' notes
        changes = res.get("table")
        if changes is None or changes.empty or "note" not in changes:
            return []
    names = res["category_names"]
    per_place = {}
    for name, g in changes.groupby("name", sort=False):
        labels = [category_label(names, c) for c in g["category"]]
        own = comparison_notes(pd.DataFrame({"Kategori": labels, "_not": g["note"].fillna("")}))
        per_place[name] = own
    common = [n for n in next(iter(per_place.values())) if n and all(n in v for v in per_place.values())]
    out = list(common)
    for name, own in per_place.items():
        for n in own:
            if n and n not in common:
                labelled = any(n.startswith(category_label(names, c) + ": ") for c in res["categories"]) \
                    or n.startswith(ALL_NAME + ": ")
                out.append(f"{name}, {n}" if labelled else f"{name}: {n}")
    return out


NAME_LINE = 20  # characters of a place's name per line under its bars


def place_ticks(names) -> list[str]:
    """Each place's name for the axis under its bars, broken into lines of about :data:`NAME_LINE`
    characters at spaces (escaped: plotly markup). Level, never turned: a name of 64 characters was
    turned by 30° and took 444 px of a meeting panel, leaving the bars 39 px.

    Examples
    --------
    >>> place_ticks(["Vårberg", "Hässelby torg och Hässelby gårds centrum"])
    ['Vårberg', 'Hässelby torg och<br>Hässelby gårds<br>centrum']
    """
    return ["<br>".join(plain_all(textwrap.wrap(str(n), NAME_LINE, break_long_words=False,
                                                break_on_hyphens=False)) or [plain(n)]) for n in names]


def make_side_by_side(table: pd.DataFrame, *, measure: str = "count", period: str | None = None,
                      category_names: dict | None = None, context: style.FigureContext | None = None,
                      height: int | None = None) -> go.Figure:
    """Grouped bars of counts (``measure='count'``) or rates (``'rate'``) in one period."""
    ctx, names = context or style.FigureContext(), category_names or {}
    title = TITLES[measure]
    if table is None or table.empty:
        return finishing.empty_figure("inga platser är valda", title=title, context=ctx)
    period = period or table["period"].iloc[-1]
    df = table[(table["period"] == period) & (table["category"] != ALL)]
    places = list(dict.fromkeys(df["name"]))
    value = "rate" if measure == "rate" else "count"
    without = [p for p in places if df.loc[df["name"] == p, value].isna().all()]
    fig = go.Figure()
    for cat, g in df.groupby("category", sort=False):
        g = g.dropna(subset=[value])
        if g.empty:
            continue
        label = plain(names.get(cat, cat))
        low = g["rate_low"] if "rate_low" in g else pd.Series(float("nan"), index=g.index)
        high = g["rate_high"] if "rate_high" in g else pd.Series(float("nan"), index=g.index)
        text = [f"{plain(p)}, {label}: " + (f"{fmt_num(v, 1)} per 1 000 inv. och år"
                                            + (f" (95 % KI {fmt_num(lo, 1)}–{fmt_num(hi, 1)})"
                                               if pd.notna(lo) and pd.notna(hi) else "")
                                            + f" ({fmt_int(c)} brott)"
                                            if value == "rate" else f"{fmt_int(v)} brott")
                for p, v, c, lo, hi in zip(g["name"], g[value], g["count"], low, high, strict=True)]
        bar = dict(x=plain_all(g["name"]), y=g[value], name=label, marker_color=palette.category_colour(cat),
                   text=text, hovertemplate="%{text}<extra></extra>", textposition="none")
        if value == "rate" and high.notna().any():  # each rate's 95 % interval (analysis.side_by_side)
            bar["error_y"] = dict(type="data", symmetric=False, array=(high - g[value]).clip(lower=0).tolist(),
                                  arrayminus=(g[value] - low).clip(lower=0).tolist(), thickness=1.2, width=3,
                                  color=INTERVAL_COLOUR)
        fig.add_trace(go.Bar(**bar))
    extra = None
    if without:
        why = "brott per 1 000 invånare är inte meningsfullt (för få eller okänt antal invånare)" \
            if value == "rate" else "data saknas"
        extra = f"{', '.join(without)}: {why}"
    span = counted_span(table, period)
    if span:  # the period is cut like for like: its months are said, and marked as in the table
        cut = f"{CUT_NOTE.rstrip()}: {span}"
        extra = f"{extra}. {cut}" if extra else cut
    if not fig.data:
        return finishing.empty_figure(extra or "inga brott för urvalet", title=title, context=ctx)
    fig.update_layout(barmode="group", meta=dict(extra=extra))
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=plain_all(places),
                     tickmode="array", tickvals=plain_all(places), ticktext=place_ticks(places), tickangle=0)
    fig.update_yaxes(title=dict(text="Per 1 000 inv." if value == "rate" else "Antal"),
                     rangemode="tozero")
    finishing.finish(fig, title=title, periods=[period + (CUT_MARK if span else "")], context=ctx,
                     height=height, extra=extra)
    _fit_names(fig, places, ctx.meeting)
    fig.layout.meta = {**fig.layout.meta, "extra": extra}
    return fig


def name_lines(name: str, room: float, size: float) -> list[str]:
    """A place's name in lines no wider than ``room`` px at font ``size``, broken at spaces and after
    hyphens (a word wider than the room gets a line of its own).

    Examples
    --------
    >>> name_lines("Östra Järna-Överjärnas strandängar", 120, 16)
    ['Östra Järna-', 'Överjärnas', 'strandängar']
    >>> name_lines("Vårberg", 120, 16)
    ['Vårberg']
    """
    lines: list[str] = []
    for word in (w for w in re.split(r"\s+|(?<=-)", str(name)) if w):
        joined = f"{lines[-1]}{'' if lines and lines[-1].endswith('-') else ' '}{word}" if lines else word
        if lines and fit.line_px(joined, size) <= room:
            lines[-1] = joined
        else:
            lines.append(word)
    return lines or [str(name)]


def _fit_names(fig: go.Figure, places: list, meeting: bool) -> None:
    """Break the places' names to the slot each has under the plot the margins leave, not to
    :data:`NAME_LINE` characters whatever the room: beside a legend four places have about 150 px of a
    900 px meeting chart, and "Södertälje centrum" (190 px) ran into its neighbour's name. The bottom
    margin and the title block are then laid out again for the new lines."""
    if not places or fig.layout.xaxis.ticktext is None:
        return
    s = style.SIZES[bool(meeting)]
    font = fig.layout.xaxis.tickfont
    size = float(font.size) if font is not None and font.size else s["font"]
    room = fit.SIDE_BY_SIDE * sides.plot_px(fig, meeting) / len(places)
    if all(fit.line_px(line, size) <= room for t in fig.layout.xaxis.ticktext for line in t.split("<br>")):
        return
    fig.update_xaxes(ticktext=["<br>".join(plain_all(name_lines(p, room, size))) for p in places])
    finishing.refit(fig, fit.figure_width(fig, meeting), meeting=meeting)


def _klass(significant, verdict: str) -> str:
    if not bool(significant):
        return "saknas" if str(verdict).startswith("kan inte") else "ingen"
    return "okning" if str(verdict).startswith(("ökning", "högre")) else "minskning"


def make_side_by_side_table(result: dict, *, meeting: bool = False) -> pd.DataFrame:
    """One row per place and category: each period's count and rate, and the change (Plats' test).

    A period counted like for like (the latest incomplete: every period cut to its months) carries
    :data:`CUT_MARK` in its headers, as the Plats table does; :data:`CUT_NOTE` explains it."""
    names, table = result["category_names"], result["table"]
    cut = cut_periods(table)
    changes = result["changes"]
    last = changes.groupby(["place_id", "category"], sort=False).tail(1).set_index(
        ["place_id", "category"]) if len(changes) else None
    periods = list(dict.fromkeys(table["period"]))
    rows = []
    for (pid, cat), g in table.groupby(["place_id", "category"], sort=False):
        g = g.set_index("period")
        row = {"Plats": g["name"].iloc[0], "Kategori": category_label(names, cat)}
        for p in periods:
            label = p + (CUT_MARK if p in cut else "")
            row[label] = fmt_int(g.loc[p, "count"]) if p in g.index and pd.notna(g.loc[p, "count"]) \
                else "saknas"
            if not meeting or p == periods[-1]:
                one = g.loc[p] if p in g.index else {}
                # the wall shows the rate alone (its chart draws the interval): "(48,9–58,7)" broke
                # inside the numbers in a meeting table of four long-named places at 1366 px
                # the latest period's rate with its interval (the one the chart and the tests between
                # places use); earlier periods' alone: every rate with brackets made the table scroll
                # sideways at 1 024 px
                row[f"{label} per 1 000 inv."] = fmt_rate(one.get("rate")) if meeting or p != periods[-1] \
                    else fmt_rate(one.get("rate"), one.get("rate_low"), one.get("rate_high"))
        if last is not None and (pid, cat) in last.index:
            r = last.loc[(pid, cat)]
            arrow = {"okning": "▲ ", "minskning": "▼ "}.get(_klass(r["significant"], r["verdict"]), "")
            row["Bedömning"] = arrow + str(r["verdict"])
            if not meeting:
                row["p (justerat)"] = fmt_p(r["p_value"])
            row["_klass"] = _klass(r["significant"], r["verdict"])
        row["_category"] = cat
        rows.append(row)
    return pd.DataFrame(rows)


def make_between_table(between: pd.DataFrame, *, category_names=None, meeting: bool = False) -> pd.DataFrame:
    """One row per category and pair of places: both rates, their ratio and the verdict."""
    names = category_names or {}
    rows = []
    for r in between.itertuples():
        row = {"Kategori": category_label(names, r.category),
               "Platser": f"{r.name_a} – {r.name_b}",
               "Per 1 000 inv. och år": (f"{fmt_num(r.rate_a, 1)} – {fmt_num(r.rate_b, 1)}"
                                         if pd.notna(r.rate_a) and pd.notna(r.rate_b) else "–"),
               "Kvot": fmt_num(r.rate_ratio, 2) if pd.notna(r.rate_ratio) else "–"}
        row["Bedömning"] = str(r.verdict)  # no arrow or colour: a difference is not an increase
        if not meeting:
            row["Test"] = {"kvasi-Poisson": "kvasi-Poisson", "exakt Poisson": "exakt Poisson"}.get(
                r.method, "–")
            row["p (justerat)"] = fmt_p(r.p_value)
        row["_klass"] = "saknas" if r.method is None else "ingen"
        row["_category"] = r.category
        rows.append(row)
    return pd.DataFrame(rows)


def table_columns(table: pd.DataFrame) -> list[dict]:
    """DataTable columns: counts, rates and ratios right-aligned, text left. A header may wrap at
    its spaces (:data:`NUMBER_HEADERS`), but never inside a period or "1 000".

    Examples
    --------
    >>> table_columns(pd.DataFrame(columns=["Plats", "2021–2022 per 1 000 inv."]))[1]["name"]
    '2021\u2060–\u20602022 per 1\xa0000 inv.'
    """
    text = {"Plats", "Kategori", "Platser", "Bedömning", "Test", "Per 1 000 inv. och år"}
    return [{"name": header_text(c), "id": c, "type": "text" if c in text else "numeric"}
            for c in table.columns if not c.startswith("_")]


def header_text(column: str) -> str:
    """A column's header as shown: no line break inside a period (word joiners around its en dash)
    or inside "1 000" (a no-break space)."""
    return column.replace("\u2013", "\u2060\u2013\u2060").replace("1 000", "1\u00a0000")


#: the DataTable header rules of the tables: a number column's header wraps at its spaces (the
#: cells' rule keeps numbers on one line; "2021–2022 per 1 000 inv." on one line made the table
#: wider than its card at 1366 px)
NUMBER_HEADERS = [{"if": {"column_type": "numeric"}, "whiteSpace": "normal"}]
#: Swedish headers of the side-by-side frames that the shared header table does not name (the page's
#: downloads and the CLI's ``compare-places --format csv``)
COLUMN_HEADERS = {"rate": "Per 1 000 inv. och år", "count_before": "Antal perioden före (förändringen)",
                  "missing": "Data saknas", "place_a": "Plats A-id", "place_b": "Plats B-id", "name_a": "Plats A",
                  "name_b": "Plats B", "phi": "Överspridning (phi)", "df": "Frihetsgrader"}
