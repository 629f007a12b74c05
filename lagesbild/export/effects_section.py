"""The meeting pack's before/after table: each activity's counts in equally long windows before and
after its start, at one place (:func:`lagesbild.analysis.place.place_effects`, as on the place page).

A short table shows every category. A long one (a plan of many activities at a place with many
categories: 23 × 20 rows filled some forty pages) shows, per activity, all categories together and
the categories whose own change is statistically säkerställd, and says that every category's row is
in the pack's zip file (:data:`EFFECT_REST_NOTE`); the data file always holds every row. A place whose
crime data are counts of whole years only has no months to cut windows from: the pack says so
(:data:`EFFECT_YEARLY_ONLY`) instead of a row of dashes.
"""

from __future__ import annotations

import textwrap

import pandas as pd

from lagesbild.analysis.pack import whole_periods_only, whole_span_text
from lagesbild.export.content import Paragraph, Table
from lagesbild.export.data import ExportData
from lagesbild.export.safety import (
    EFFECT_COUNTS,
    EFFECT_DEPENDENTS,
    SUPPRESSED,
    is_suppressed,
    safe_filename,
    suppress_counts,
    suppression_note,
)
from lagesbild.figures.effects_table import compared_with, effects_note, make_effects_table
from lagesbild.figures.tables import ALL, category_label, comparison_notes, verdict_class

#: rows a before/after table shows whole (about three pages); a longer one is cut to each activity's
#: total and its säkerställd categories (:func:`shown_rows`)
MAX_EFFECT_ROWS = 30
EFFECT_REST_NOTE = ("Tabellen visar {shown} av {total} rader: för varje aktivitet alla kategorier "
                    "tillsammans och de kategorier vars egen förändring är statistiskt säkerställd. Före "
                    "och efter för varje kategori finns i paketets zip-fil, data/{file}.csv och .xlsx.")
EFFECT_YEARLY_ONLY = ("Före/efter kräver anmälda brott per månad: {place} har bara siffror för hela år "
                      "({periods}), så före och efter aktiviteternas start kan inte jämföras här. "
                      "Jämförelsen mellan åren står ovan.")
NO_START = "Ingen av platsens aktiviteter har ett startdatum: före/efter kan inte beräknas."


def shown_rows(raw: pd.DataFrame, limit: int = MAX_EFFECT_ROWS):
    """Which rows of the before/after frame the document shows: every row up to ``limit``; beyond it,
    per activity the total over its categories (every category where there is no total) and each
    category whose change is säkerställd, in the frame's order. A boolean array over ``raw``.

    >>> raw = pd.DataFrame({"activity_id": ["a"] * 3, "category": ["rån", "stöld", "alla"],
    ...     "significant": [True, False, False], "verdict": ["minskning, statistiskt säkerställd",
    ...     "ingen säkerställd förändring", "ingen säkerställd förändring"]})
    >>> shown_rows(raw).tolist(), shown_rows(raw, limit=2).tolist()
    ([True, True, True], [True, False, True])
    """
    import numpy as np

    if len(raw) <= limit:
        return np.ones(len(raw), dtype=bool)
    total = (raw["category"] == ALL).to_numpy()
    with_total = set(raw.loc[total, "activity_id"])
    found = np.array([verdict_class(s, v) in ("okning", "minskning")
                      for s, v in zip(raw.get("significant", [None] * len(raw)), raw["verdict"], strict=True)])
    return total | found | ~raw["activity_id"].isin(with_total).to_numpy()


EFFECT_WIDTHS = {"Aktivitet": 2.6, "Kategori": 1.6, "Före": 2.2, "Efter": 2.2, "Förändring": 1.6,
                 "p-värde": 1.2, "Bedömning": 2.6, "Jämfört med omgivningen": 2.6}
#: the before/after windows' weights when no row has a count in them (an activity starting after the
#: data's end: every cell "–"): the room goes to the two sentence columns, which ran 10 lines a row
EMPTY_WINDOW_WIDTHS = {"Före": 1.2, "Efter": 1.2}


def effect_widths(columns: list[str], rows: list[list[str]]) -> list[float]:
    """The table's relative column widths: :data:`EFFECT_WIDTHS`, but a before/after window column
    with nothing but dashes in every row gets :data:`EMPTY_WINDOW_WIDTHS` (its header still fits: the
    PDF keeps every column as wide as its longest word).

    >>> effect_widths(["Aktivitet", "Före", "Efter"], [["A", "–", "–"]])
    [2.6, 1.2, 1.2]
    >>> effect_widths(["Aktivitet", "Före", "Efter"], [["A", "–", "–"], ["B", "12 (jan–jun 2026)", "–"]])
    [2.6, 2.2, 1.2]
    """
    def empty(i: int) -> bool:
        return all(len(str(r[i]).strip(" -–")) == 0 for r in rows)
    return [EMPTY_WINDOW_WIDTHS[c] if c in EMPTY_WINDOW_WIDTHS and empty(i) else EFFECT_WIDTHS.get(c, 1.5)
            for i, c in enumerate(columns)]


EFFECT_NOTE = ("Före/efter: lika långa perioder före och efter aktivitetens start, per brottskategori "
               "och för kategorierna tillsammans; jämförelse med {compared} (platsens "
               "kvot efter/före mot områdets, med hänsyn till hur mycket antalen brukar variera; viktad "
               "förskjutningsdifferens bara när ett förskjutningsområde runt platsen finns).")
# (that a change after a start is no proof of an effect is the rows' own caveat, which follows: said
# twice, the notes ran a page further)


#: the before/after table's data file (the pack's zip): Swedish headers, in this order; numbers rounded
EFFECT_DATA = {"aktivitet": "Aktivitet", "start_date": "Aktivitetens start", "place_name": "Plats",
               "category_name": "Kategori", "before_start": "Före från", "before_end": "Före till",
               "after_start": "Efter från", "after_end": "Efter till", "months": "Månader",
               "count_before": "Antal före", "count_after": "Antal efter", "change": "Förändring",
               "pct_change": "Förändring (%)", "q_value": "p-värde", "verdict": "Bedömning",
               "comparison": "Jämförelseområde", "comparison_before": "Jämförelseområdet före",
               "comparison_after": "Jämförelseområdet efter", "relative_ratio": "Relativ förändring (kvot)",
               "relative_ci_low": "Kvotens nedre gräns", "relative_ci_high": "Kvotens övre gräns",
               "relative_ci_level": "Intervallets nivå", "relative_q": "p-värde mot jämförelseområdet",
               "relative_verdict": "Jämfört med omgivningen", "wdd": "WDD", "wdd_q": "WDD:s p-värde",
               "wdd_verdict": "WDD-bedömning", "note": "Not", "warnings": "Varningar"}
EFFECT_ROUND = {"pct_change": 1, "relative_ratio": 3, "relative_ci_low": 3, "relative_ci_high": 3,
                "relative_ci_level": 4, "q_value": 4, "relative_q": 4, "wdd": 1, "wdd_q": 4}
EFFECT_P = ("q_value", "relative_q", "wdd_q")  # p-values: rounded never across α (agreeing_round)


def agreeing_round(p, digits: int, alpha: float):
    """``p`` rounded to ``digits`` decimals, or to more when fewer would carry it across ``alpha``
    (0,049996 is 0,05 at four decimals beside "statistiskt säkerställd"), as :func:`fmt_p` shows it.

    >>> agreeing_round(0.049996, 4, 0.05), agreeing_round(0.43712, 4, 0.05), agreeing_round(7e-05, 4, 0.05)
    (0.049996, 0.4371, 0.0001)
    """
    if pd.isna(p):
        return p
    rounded = round(float(p), digits)
    while (rounded < alpha) != (p < alpha) and digits < 15:
        digits += 1
        rounded = round(float(p), digits)
    return rounded


EFFECT_HIDDEN_CELLS = ("Förändring", "p-värde", "Jämfört med omgivningen")  # with any hidden count


#: the activity's name on its rows after the first: cut at a word to this many characters
SHORT_NAME_CHARS = 30


def once_per_activity(rows: list, ids) -> list:
    """The rows with the activity's whole name (the first cell) on its first row only, and on its
    other rows cut at a word (:data:`SHORT_NAME_CHARS`): a long name repeated whole on each of its
    twenty categories' rows made every row ten lines tall, and a blank cell left a row at the top of
    a page without its activity. The data file has the whole name on every row.

    >>> once_per_activity([["Platssamverkan kring Vårbergs centrum och stråket", "x"],
    ...                    ["Platssamverkan kring Vårbergs centrum och stråket", "y"], ["B", "z"], ["B", "w"]],
    ...                   ["a", "a", "b", "b"])  # doctest: +NORMALIZE_WHITESPACE
    [['Platssamverkan kring Vårbergs centrum och stråket', 'x'], ['Platssamverkan kring …', 'y'],
     ['B', 'z'], ['B', 'w']]
    """
    if ids is None:
        return rows
    return [[textwrap.shorten(row[0], SHORT_NAME_CHARS, placeholder=" …") if i and ids[i] == ids[i - 1]
             else row[0], *row[1:]] for i, row in enumerate(rows)]


def effects_table(data: ExportData, place: dict) -> list:
    """Before/after each of the place's activities (:func:`lagesbild.analysis.place.place_effects`,
    as on the place page), per category and all together (a long table: :func:`shown_rows`); nothing
    when the place has no activity. Small counts of sensitive categories are hidden as in the
    comparison (an external pack showed "Våld i nära relation 4 → 5"), on the page and in the data
    file."""
    from lagesbild.analysis.place import place_effects

    if data.activities_for(place["place_id"]).empty:
        return []
    whole = whole_periods_only(data.store, place["place_id"])
    if whole is not None:  # no month to cut a window from: a row of dashes said "inga brottsdata per månad"
        return [Paragraph(EFFECT_YEARLY_ONLY.format(place=place["name"], periods=whole_span_text(whole)), "note")]
    raw = place_effects(data.store, data.settings, place["place_id"])
    shown = make_effects_table(raw, category_names=data.category_names)
    if shown.empty:
        return [Paragraph(NO_START, "note")]
    hidden_raw, n = suppress_counts(raw, count_columns=[c for c in EFFECT_COUNTS if c in raw],
                                    sensitive=data.sensitive, threshold=data.threshold,
                                    dependents=EFFECT_DEPENDENTS)
    hidden = hidden_raw[[c for c in EFFECT_COUNTS if c in hidden_raw]].map(is_suppressed).any(axis=1).to_numpy()
    for column, count in (("Före", "count_before"), ("Efter", "count_after")):  # row for row as ``raw``
        small = hidden_raw[count].map(is_suppressed).to_numpy()
        shown.loc[small, column] = [_hidden_cell(v) for v in shown.loc[small, column]]
    for column in EFFECT_HIDDEN_CELLS:
        shown.loc[hidden, column] = SUPPRESSED
    shown.loc[hidden, "Bedömning"] = "visas inte (litet antal)"
    columns = [c for c in shown.columns if not c.startswith("_")]
    caveats = [str(c) for c in raw.get("caveat", pd.Series(dtype=object)).dropna().unique()]
    keep = shown_rows(hidden_raw.reset_index(drop=True))  # a hidden row is never picked as säkerställd
    stem = safe_filename(f"Före och efter {place['name']}")
    notes = [EFFECT_NOTE.format(compared=compared_with(raw)), *[n for n in [effects_note(raw)] if n], *caveats,
             *row_notes(shown.loc[keep], raw["activity_id"].to_numpy()[keep] if "activity_id" in raw else None, stem)]
    if n:
        notes.append(suppression_note(data.threshold, [data.category_names.get(c, c)
                                                        for c in sorted(data.sensitive)]))
    # where the rest is: in the document only (the data file it points to holds every row)
    rest = [] if keep.all() else [Paragraph(EFFECT_REST_NOTE.format(shown=int(keep.sum()), total=len(keep),
                                                                     file=stem), "note")]
    rows = once_per_activity(shown.loc[keep, columns].astype(str).values.tolist(),
                             raw["activity_id"].to_numpy()[keep] if "activity_id" in raw else None)
    return [Table(stem, columns, rows, effect_widths(columns, rows), notes=notes,
                  data=effects_data(hidden_raw, data, place), caption="Före och efter aktiviteternas start"),
            *rest]


#: the row notes a pack's page holds (a plan of 23 activities × 20 categories gave two pages of them);
#: the rest, and each note's full list of rows, are in the table's data file
ROW_NOTES_MAX, ROW_NOTE_CHARS = 6, 240
ROW_NOTES_REST = "Noterna för alla rader står i kolumnerna Not och Varningar i data/{file}.csv och .xlsx."


def row_notes(shown: pd.DataFrame, ids, file: str | None = None) -> list[str]:
    """The notes and warnings of the rows shown (regression to the mean, windows shorter than a year,
    another activity inside the windows, a change of source), each naming its rows by category (and
    activity, when the place has several), as Plats and ``lagesbild effect`` give them: the pack's
    table showed a drop after a start that followed a place's highest months without a word.

    >>> t = pd.DataFrame({"Aktivitet": ["A", "A"], "Kategori": ["Rån", "Stöld"],
    ...                   "_not": ["Regression mot medelvärdet.", ""]})
    >>> row_notes(t, ["a", "a"])
    ['Rån: Regression mot medelvärdet.']
    """
    if shown.empty or "_not" not in shown or not shown["_not"].fillna("").astype(str).str.strip().any():
        return []
    several = ids is not None and len(set(ids)) > 1
    labels = [f"{k} ({textwrap.shorten(str(a), SHORT_NAME_CHARS, placeholder=' …')})" if several else str(k)
              for k, a in zip(shown["Kategori"], shown["Aktivitet"], strict=True)]
    notes = comparison_notes(pd.DataFrame({"Rad": labels, "_not": shown["_not"].fillna("").tolist()}))
    short = [textwrap.shorten(n, ROW_NOTE_CHARS, placeholder=" …") for n in notes[:ROW_NOTES_MAX]]
    if file and (len(notes) > ROW_NOTES_MAX or short != notes[:ROW_NOTES_MAX]):
        short.append(ROW_NOTES_REST.format(file=file))
    return short


def _hidden_cell(text: str) -> str:
    """A count cell with its number hidden and its period kept: "4 (feb 2018–jan 2019)" → "– (…)"."""
    text = str(text)
    return SUPPRESSED + text[text.index(" ("):] if " (" in text else SUPPRESSED


def effects_data(raw: pd.DataFrame, data: ExportData, place: dict) -> pd.DataFrame:
    """The before/after rows for the data file: Swedish headers (:data:`EFFECT_DATA`), names for ids,
    dates as days and numbers rounded as shown (the file had the frame's English column names and
    sixteen decimals)."""
    out = raw.assign(category_name=[category_label(data.category_names, c) for c in raw["category"]],
                     place_name=place["name"])
    for column, digits in EFFECT_ROUND.items():
        if column in out:
            values = pd.to_numeric(out[column], errors="coerce")
            rounded = (values.map(lambda p, d=digits: agreeing_round(p, d, data.alpha)) if column in EFFECT_P
                       else values.round(digits))
            out[column] = rounded.astype(object).where(~out[column].map(is_suppressed), SUPPRESSED)
    for column in ("start_date", "before_start", "before_end", "after_start", "after_end"):
        if column in out:
            out[column] = pd.to_datetime(out[column], errors="coerce").dt.date
    return out[[c for c in EFFECT_DATA if c in out]].rename(columns=EFFECT_DATA)
