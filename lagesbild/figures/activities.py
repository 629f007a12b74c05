"""The action plan's activities on a timeline, with their T1/T2/VB follow-ups.

Input is the store's ``activities()`` and ``followups()`` frames (already filtered to a place). Each
activity is a bar from its start to its end; an open-ended activity (``tillsvidare``) runs to the
timeline's end with a lighter, hatched tail. A follow-up is a marker at the end of its tertial (T1: 30
April, T2: 31 August, VB: 31 December), its colour and symbol telling whether the goal was met.

Examples
--------
>>> acts = pd.DataFrame({"activity_id": ["a1"], "aktivitet": ["Platssamverkan Hässelby torg"],
...     "start_date": pd.to_datetime(["2019-02-01"]), "end_date": [pd.NaT], "open_ended": [True]})
>>> fu = pd.DataFrame({"activity_id": ["a1"], "year": [2021], "period": ["T1"], "goal_met": ["delvis"],
...                    "carried_out": ["Två trygghetsvandringar"]})
>>> fig = make_activity_timeline(acts, fu, until="2023-08-31")
>>> [t["name"] for t in fig["data"]]
['Pågår tillsvidare', 'Mål uppfyllt: delvis']
"""

from __future__ import annotations

import re
import textwrap
from urllib.parse import quote

import pandas as pd

from lagesbild import clock
from lagesbild.figures import figdict, finishing, palette, style
from lagesbild.figures.format import fmt_date
from lagesbild.figures.markup import plain, plain_all

TITLE = "Åtgärdsplanens aktiviteter och uppföljning"
PERIOD_END = {"T1": (4, 30), "T2": (8, 31), "T3": (12, 31), "VB": (12, 31)}
#: goal_met value -> (legend label, colour, symbol)
STATUS = {
    "ja": ("Mål uppfyllt: ja", palette.OKABE_ITO["green"], "circle"),
    "delvis": ("Mål uppfyllt: delvis", palette.OKABE_ITO["orange"], "diamond"),
    "nej": ("Mål uppfyllt: nej", palette.OKABE_ITO["vermillion"], "x"),
    "annat": ("Uppföljning (fritext)", palette.NEUTRAL, "square"),
}
BAR_COLOUR = "#0072B2"
WRAP = 34
FREE_TEXT_CHARS = 40  # a free-text follow-up in the plan table's cell (whole in its tooltip)


def followup_date(year, period) -> pd.Timestamp:
    """The date a follow-up is drawn at: the end of its tertial, VB at 31 December.

    Examples
    --------
    >>> followup_date(2021, "T2").date().isoformat()
    '2021-08-31'
    """
    month, day = PERIOD_END.get(str(period).upper(), (12, 31))
    return pd.Timestamp(int(year), month, day)


def followup_field(value) -> str:
    """A follow-up's field as text: '' for a missing one (None, NaN, blank); Åtgärdsplan's table and
    the pack's follow-up cells read it alike."""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()


def status_key(goal_met) -> str:
    """``ja``, ``delvis``, ``nej`` or ``annat`` for a free-text answer.

    Examples
    --------
    >>> status_key("Ja"), status_key(" delvis "), status_key("arbetet pågår")
    ('ja', 'delvis', 'annat')
    """
    text = str(goal_met or "").strip().lower()
    return text if text in ("ja", "delvis", "nej") else "annat"


UNDATED = "<i>(startdatum saknas)</i>"  # under the name of an activity without a start date


def _label(name) -> str:
    """The activity's whole name, wrapped (never cut: the name is what the meeting talks about)."""
    return "<br>".join(plain(line) for line in textwrap.wrap(str(name), WRAP)) or "–"


def _ms(a, b) -> float:
    return (pd.Timestamp(b) - pd.Timestamp(a)).total_seconds() * 1000


def make_activity_timeline(activities: pd.DataFrame, followups: pd.DataFrame | None = None, *,
                           place: str | None = None, until=None,
                           context: style.FigureContext | None = None,
                           height: int | None = None) -> dict:
    """Bars from start to end per activity and follow-up markers (a figure dict, see
    :mod:`lagesbild.figures.finishing`).

    Parameters
    ----------
    activities : DataFrame
        ``activity_id, aktivitet, start_date, end_date, open_ended`` (+ ``arbetsgrupp``,
        ``sammankallande``, ``motesfrekvens`` for the hover text).
    followups : DataFrame, optional
        ``activity_id, year, period, goal_met, carried_out``.
    until : date-like, optional
        Where open-ended activities end on the chart (default today).
    """
    ctx = context or style.FigureContext()
    if activities is None or activities.empty:
        return finishing.empty_dict("platsen har inga aktiviteter i åtgärdsplanen", title=TITLE,
                                    place=place, context=ctx, source=style.PLAN_SOURCE, until=False)
    acts = activities.copy()
    acts["start_date"] = pd.to_datetime(acts["start_date"])
    acts["end_date"] = pd.to_datetime(acts["end_date"])
    acts = acts.sort_values("start_date", na_position="last")
    labels = []
    for n, start in zip(acts["aktivitet"], acts["start_date"], strict=True):
        label = _label(n)  # two activities with the same name still get a row each
        label = label if label not in labels else f"{label} ({labels.count(label) + 1})"
        # an activity without a start has no bar: its row says why, in the label (a note inside the
        # plot ran out of narrow plots)
        labels.append(label + (f"<br>{UNDATED}" if pd.isna(start) else ""))
    label_of = dict(zip(acts["activity_id"], labels, strict=False))
    # the follow-ups of these activities as plain rows (a frame per status costs more than the chart)
    fu = [] if followups is None or len(followups) == 0 else [
        r for r in figdict.records(followups[["activity_id", "year", "period", "goal_met", "carried_out"]])
        if r["activity_id"] in label_of]
    ends = [acts["end_date"].max(), pd.Timestamp(until) if until is not None else pd.Timestamp(clock.now())]
    if fu:
        ends.append(max(followup_date(r["year"], r["period"]) for r in fu))
    stop = max(e for e in ends if pd.notna(e))
    latest = acts["start_date"].max()
    if pd.notna(latest) and latest >= stop:
        # an activity planned to start after every other end and today (a camera from Feb 2027 in a
        # plan read in Dec 2026): the chart ran to 31 Dec 2026 and its bar went back from its start to
        # there, as if it ran Dec–Jan. The chart now runs to the end of that start's month
        stop = latest + pd.offsets.MonthEnd(1)
    s = style.sizes(ctx)
    data = []
    fixed, open_ = [], []
    for row, label in zip(figdict.records(acts), labels, strict=False):
        if pd.isna(row["start_date"]):
            continue
        end = row["end_date"] if pd.notna(row["end_date"]) else stop
        hover = (f"<b>{plain(row['aktivitet'])}</b><br>start {fmt_date(row['start_date'])}, "
                 f"{'tillsvidare' if pd.isna(row['end_date']) else 'slut ' + fmt_date(end)}")
        for key, name in (("arbetsgrupp", "Arbetsgrupp"), ("sammankallande", "Sammankallande"),
                          ("motesfrekvens", "Mötesfrekvens")):
            if row.get(key):
                hover += f"<br>{name}: {plain(row[key])}"
        (open_ if pd.isna(row["end_date"]) else fixed).append((label, row["start_date"], end, hover))
    for rows, name, opacity, pattern in ((fixed, "Aktivitet", 0.9, ""),
                                         (open_, "Pågår tillsvidare", 0.55, "/")):
        if rows:
            data.append(dict(
                type="bar", y=[r[0] for r in rows], base=[r[1].isoformat() for r in rows],
                x=[_ms(r[1], r[2]) for r in rows], orientation="h", name=name,
                marker=dict(color=BAR_COLOUR, opacity=opacity,
                            pattern=dict(shape=pattern, fillmode="overlay", fgcolor="white")),
                customdata=[r[3] for r in rows], hovertemplate="%{customdata}<extra></extra>"))
    for key, (name, colour, symbol) in STATUS.items():
        sub = [r for r in fu if status_key(r["goal_met"]) == key]
        if not sub:
            continue
        data.append(dict(
            type="scatter", y=[label_of[r["activity_id"]] for r in sub],
            x=[followup_date(r["year"], r["period"]) for r in sub], mode="markers",
            name=name, marker=dict(color=colour, symbol=symbol, size=s["font"] * 1.05,
                                   line=dict(color="white", width=1.5)),
            customdata=[f"{plain(r['period'])} {plain(r['year'])}: mål uppfyllt – {plain(r['goal_met'])}<br>"
                        f"{'<br>'.join(plain_all(textwrap.wrap(str(r['carried_out'] or ''), 60)))}"
                        for r in sub],
            hovertemplate="%{customdata}<extra></extra>"))
    first = acts["start_date"].min()
    first = stop - pd.DateOffset(years=1) if pd.isna(first) else first
    vals, text = style.month_ticks(first, stop, anchor_month=1)
    layout = dict(
        barmode="overlay", bargap=0.35,
        xaxis=dict(type="date", tickvals=vals, ticktext=text,
                   range=[first - pd.Timedelta(days=45), stop + pd.Timedelta(days=45)]),
        yaxis=dict(categoryorder="array", categoryarray=list(reversed(labels)), automargin=True))
    most_lines = max((label.count("<br>") + 1 for label in labels), default=1)
    rows_h = max(54 if not ctx.meeting else 76, most_lines * s["font"] * 1.3 + 20)
    # the legend above the rows, also in meeting mode: beside them (two columns, 413 px) it left a
    # 1024 px projector's plot 141 px for the dates, drawn over each other; the rows' height is set below,
    # so a legend on top takes no height from them
    fig = finishing.finish({"data": data, "layout": layout}, title=TITLE, place=place, context=ctx,
                           source=style.PLAN_SOURCE, until=False, extra=f"t.o.m. {fmt_date(stop)}",
                           legend="top")
    # the rows get their height whatever the margins hold (turned dates under a narrow plot)
    margin = fig["layout"]["margin"]
    fig["layout"]["height"] = height or max(300, margin["t"] + margin["b"] + 30 + rows_h * len(acts))
    return fig


STATUS_MARK = {"ja": "● ja", "delvis": "◆ delvis", "nej": "✖ nej"}
FOLLOWUP_ORDER = {"T1": 1, "T2": 2, "T3": 3, "VB": 4}


def _span(start, end, open_ended) -> str:
    from lagesbild.figures.format import fmt_month

    first = "start saknas" if pd.isna(start) else fmt_month(start)
    last = "tillsvidare" if pd.isna(end) else fmt_month(end)
    return f"{first} – {last}"


MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:&\"'=/])")


ZWSP = "\u200b"


def slash_breaks(value) -> str:
    """Text for a table cell that may wrap after each "/" (a zero-width space after it), so a name
    such as "Fruängen/Västertorp/Hägerstensåsen" does not set its column's smallest width. For
    display only: the downloads are built from the data, not from these cells.

    Examples
    --------
    >>> slash_breaks("Fruängen/Västertorp").split(ZWSP)
    ['Fruängen/', 'Västertorp']
    >>> slash_breaks("a / b")
    'a / b'
    """
    return re.sub(r"/(?=\S)", "/" + ZWSP, str(value))


def md_text(value) -> str:
    """Text made inert in Markdown: every punctuation mark that Markdown reads is backslash-escaped,
    so a place name cannot add a link, an image, HTML or emphasis.

    Examples
    --------
    >>> print(md_text("Torg [klicka](https://x.example)"))
    Torg \\[klicka\\]\\(https\\:\\/\\/x\\.example\\)
    """
    return MD_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def md_link(text, place_id, prefix: str = "/plats/", suffix: str = "") -> str:
    """A Markdown link to a place page with the name escaped and the id percent-encoded.

    Examples
    --------
    >>> md_link("Torget", "a)b")
    '[Torget](/plats/a%29b)'
    """
    return f"[{md_text(text)}]({prefix}{quote(str(place_id), safe='')}{suffix})"


def make_plan_table(activities: pd.DataFrame, links: pd.DataFrame, followups: pd.DataFrame, *,
                    place_names: dict | None = None, n_followups: int = 3, link_prefix: str = "/plats/",
                    link_suffix: str = "") -> pd.DataFrame:
    """The action plan as a table: one row per activity with its places (as Markdown links) and the
    status of the ``n_followups`` latest follow-up periods (``T1 2023`` …) as columns. Activity and
    place names may wrap after a "/" (:func:`slash_breaks`).

    Examples
    --------
    >>> acts = pd.DataFrame({"activity_id": ["a"], "aktivitet": ["Platssamverkan"],
    ...     "priority_area": ["Platser"], "start_date": pd.to_datetime(["2019-02-01"]), "end_date": [pd.NaT],
    ...     "open_ended": [True], "motesfrekvens": ["1 gång per månad"], "sammankallande": ["SDF"]})
    >>> fu = pd.DataFrame({"activity_id": ["a"], "year": [2021], "period": ["T1"], "goal_met": ["ja"],
    ...                    "carried_out": ["Vandring"]})
    >>> t = make_plan_table(acts, pd.DataFrame({"activity_id": ["a"], "place_id": ["torg"]}), fu,
    ...                     place_names={"torg": "Torget"})
    >>> t.iloc[0][["Plats", "Löptid", "T1 2021"]].tolist()
    ['[Torget](/plats/torg)', 'feb 2019 – tillsvidare', '● ja']
    """
    names = dict(place_names or {})
    base = ["Prioriterat område", "Aktivitet", "Plats", "Löptid", "Mötesfrekvens", "Sammankallande"]
    if activities is None or activities.empty:
        return pd.DataFrame(columns=base)
    fu = followups if followups is not None else pd.DataFrame(columns=["activity_id", "year", "period"])
    keys = sorted({(int(y), str(p)) for y, p in zip(fu["year"], fu["period"], strict=True)},
                  key=lambda k: (k[0], FOLLOWUP_ORDER.get(k[1], 9)))[-n_followups:]
    status = {(r["activity_id"], int(r["year"]), str(r["period"])): r for r in fu.to_dict("records")}
    rows = []
    order = [c for c in ("priority_area", "aktivitet") if c in activities]
    for r in activities.sort_values(order, na_position="last").to_dict("records"):
        pids = links.loc[links["activity_id"] == r["activity_id"], "place_id"].tolist() if len(links) else []
        row = {"Prioriterat område": r.get("priority_area") or "–", "Aktivitet": slash_breaks(r["aktivitet"]),
               "Plats": ", ".join(md_link(slash_breaks(names.get(p, p)), p, link_prefix, link_suffix)
                                  for p in pids) or "–",
               "Löptid": _span(r.get("start_date"), r.get("end_date"), r.get("open_ended")),
               "Mötesfrekvens": r.get("motesfrekvens") or "–",
               "Sammankallande": r.get("sammankallande") or "–", "_id": r["activity_id"]}
        for year, period in keys:
            f = status.get((r["activity_id"], year, period))
            goal = "" if f is None else followup_field(f["goal_met"])
            done = "" if f is None else followup_field(f.get("carried_out"))
            key = None if f is None else status_key(goal)
            # a free-text answer is shortened at a word (never mid-word); the tooltip has it whole. A
            # follow-up of what was done only (no "mål uppfyllt") shows that text, not an empty cell
            free = goal or done
            row[f"{period} {year}"] = "–" if f is None or not (key in STATUS_MARK or free) else STATUS_MARK.get(
                key, textwrap.shorten(free, FREE_TEXT_CHARS, placeholder=" …"))
            row[f"_s {period} {year}"] = key or ""
            whole = f"Mål uppfyllt: {goal}. " if key == "annat" and goal else ""
            row[f"_t {period} {year}"] = "" if f is None else whole + done
        rows.append(row)
    return pd.DataFrame(rows)
