"""Table helpers: the comparison tables (the trend table is in :mod:`lagesbild.figures.trend_table` and
the words every table shares in :mod:`lagesbild.figures.verdicts`, both re-exported here; the overview's
tables are in :mod:`lagesbild.figures.overview`, the before/after table of activities in
:mod:`lagesbild.figures.effects_table`).

These return plain DataFrames/dicts with Swedish text, ready for a Dash ``DataTable``, an HTML table or
a Word table. A change is coloured (and gets an arrow, so colour is never the only cue) only when it is
statistically significant; otherwise the verdict reads "ingen säkerställd förändring".

Examples
--------
>>> cmp = pd.DataFrame({"category": ["narkotika"], "period_a": ["2018"], "period_b": ["2019"],
...     "count_a": [32], "count_b": [60], "change": [28], "pct_change": [87.5], "rate_b": [float("nan")],
...     "p_value": [0.0046], "significant": [True], "verdict": ["ökning, statistiskt säkerställd"],
...     "like_for_like": [False], "note": [""]})
>>> row = make_comparison_table(cmp, category_names={"narkotika": "Narkotikabrott"}).iloc[0]
>>> row["Kategori"], row["Förändring"], row["Förändring (%)"], row["Bedömning"], row["_klass"]
('Narkotikabrott', '+28', '+87,5\\xa0%', '▲ ökning, statistiskt säkerställd', 'okning')
"""

from __future__ import annotations

import math
import re

import pandas as pd

from lagesbild.core.compare import ALL  # the label of the total over the categories
from lagesbild.core.pair_table import NOTES as PAIR_NOTES
from lagesbild.core.population import YEAR_NOTE, merge_notes
from lagesbild.figures import figdict, palette
from lagesbild.figures.format import (
    MISSING,
    fmt_change,
    fmt_count,
    fmt_num,
    fmt_p,
    fmt_pct,
    fmt_period,
)
from lagesbild.figures.quasi_notes import merge_dispersion_notes
from lagesbild.figures.trend_table import CI_SHOWN_MAX, _upper_bound, make_trend_table  # noqa: F401
from lagesbild.figures.verdicts import ALL_NAME, ARROWS, category_label, verdict_class  # noqa: F401

HIDDEN = ("_klass", "_not", "_category")  # plus ``_k<i>`` in the wide table
#: (column, DataTable type) in display order; ``Per 1 000 inv. och år`` only when a population is known.
COLUMNS = (("Kategori", "text"), ("Jämförelse", "text"), ("Före", "numeric"), ("Efter", "numeric"),
           ("Förändring", "numeric"), ("Förändring (%)", "numeric"), ("Per 1 000 inv. och år", "numeric"),
           ("p-värde", "numeric"), ("Bedömning", "text"))
KLASS_COLOURS = {"okning": palette.INCREASE, "minskning": palette.DECREASE}


def make_comparison_table(comparison: pd.DataFrame, *, category_names=None) -> pd.DataFrame:
    """The comparison table with Swedish formatting, one row per category × pair of periods.

    Parameters
    ----------
    comparison : DataFrame
        :func:`lagesbild.core.compare.compare` output.
    category_names : dict, optional
        Category id -> display name.

    Returns
    -------
    DataFrame
        The columns of :data:`COLUMNS` (``Per 1 000 inv. och år`` only when a rate is known) as text, plus the
        hidden ``_klass`` (for colouring), ``_not`` (the note) and ``_category``. Comparisons cut like
        for like carry ``*`` after the periods; :func:`comparison_notes` gives the footnotes.
    """
    names = dict(category_names or {})
    if comparison is None or comparison.empty:
        return pd.DataFrame(columns=[c for c, _ in COLUMNS] + list(HIDDEN))
    df = comparison.copy()
    df["_order"] = (df["category"] == ALL).astype(int)
    df = df.sort_values(["_order"], kind="stable")
    klass = [verdict_class(s, v) for s, v in zip(df["significant"], df["verdict"], strict=True)]
    star = ["*" if bool(x) else "" for x in df.get("like_for_like", [False] * len(df))]
    out = pd.DataFrame({
        "Kategori": [category_label(names, c) for c in df["category"]],
        "Jämförelse": [f"{fmt_period(a)} → {fmt_period(b)}{s}"
                       for a, b, s in zip(df["period_a"], df["period_b"], star, strict=False)],
        "Före": [fmt_count(x) for x in df["count_a"]],
        "Efter": [fmt_count(x) for x in df["count_b"]],
        "Förändring": [fmt_change(x) for x in df["change"]],
        "Förändring (%)": [fmt_pct(x, 1, sign=True, fraction=False) for x in df["pct_change"]],
        "Per 1 000 inv. och år": [fmt_rate(r.get("rate_b"), r.get("rate_b_low"), r.get("rate_b_high"))
                                  for r in figdict.records(df)],
        "p-värde": [fmt_p(p) for p in df["p_value"]],
        "Bedömning": [ARROWS[k] + str(v) for k, v in zip(klass, df["verdict"], strict=False)],
        "_klass": klass, "_not": df.get("note", "").fillna("").astype(str).tolist(),
        "_category": df["category"].tolist(),
    })
    if (out["Per 1 000 inv. och år"] == MISSING).all():
        out = out.drop(columns="Per 1 000 inv. och år")
    return out.reset_index(drop=True)


RATE_COLUMN = "Per 1 000 inv. och år"
RATE_NOTE = ("Per 1 000 inv. och år: inom parentes ett 95-procentigt konfidensintervall (exakt Poisson, "
             "vidgat med platsens egen variation när historiken räcker; befolkningen tas som känd). "
             "Det visar osäkerheten i platsens nivå, inte om den skiljer sig från en annan plats.")


def fmt_rate(rate, low=None, high=None) -> str:
    """A rate per 1 000 inhabitants and year with its 95 % interval in brackets, as the comparison
    tables show it (:func:`lagesbild.analysis.comparison.with_rate_intervals`); without an interval
    the rate alone, without a rate "–".

    >>> fmt_rate(46.71, 20.16, 92.05), fmt_rate(46.71), fmt_rate(float("nan"), 1.0, 2.0)
    ('46,7 (20,2–92,1)', '46,7', '–')
    """
    shown = fmt_num(rate, 1)
    if shown == MISSING or low is None or high is None or pd.isna(low) or pd.isna(high):
        return shown
    return f"{shown} ({fmt_num(low, 1)}–{fmt_num(high, 1)})"


MEETING_DROP = ("Förändring (%)", "Per 1 000 inv. och år", "p-värde")  # columns left out in meeting mode
#: periods whose counts the meeting mode's table shows (the latest; the chart beside it shows every one). Three:
#: with four, at 18 px in half of a 1920 px wall the verdicts wrapped and the table and its notes ran
#: past their panel (meeting-fit.js shrank them to 15 px)
MEETING_PERIODS = 3
MEETING_PERIODS_NOTE = "Tabellen visar de {n} senaste perioderna; diagrammet visar alla."
MEETING_PERIODS_WORD = "tre"


def make_comparison_wide(comparison: pd.DataFrame, *, category_names=None,
                         compact: bool = False) -> pd.DataFrame:
    """The comparison as one row per category: the count of every period, then the latest change.

    A period's count carries ▲/▼ (before it, so that right-aligned counts keep their digits in line)
    when it differs significantly from the period before. The change,
    p-value and verdict columns are those of the last pair. Hidden ``_k<i>`` columns hold the class of
    each period's change (for :func:`comparison_styles`). ``compact`` leaves out
    :data:`MEETING_DROP` and all but the latest :data:`MEETING_PERIODS` periods' counts (for meeting
    mode: a wall screen cannot scroll a table sideways).

    Examples
    --------
    >>> cmp = pd.DataFrame({"category": "rån", "period_a": ["2019", "2020"], "period_b": ["2020", "2021"],
    ...     "count_a": [50, 20], "count_b": [20, 22], "change": [-30, 2], "pct_change": [-60.0, 10.0],
    ...     "p_value": [0.0001, 0.88], "significant": [True, False], "like_for_like": False, "note": "",
    ...     "verdict": ["minskning, statistiskt säkerställd", "ingen säkerställd förändring"]})
    >>> make_comparison_wide(cmp).iloc[0][["2019", "2020", "2021", "Bedömning"]].tolist()
    ['50', '▼ 20', '22', 'ingen säkerställd förändring']
    """
    names = dict(category_names or {})
    if comparison is None or comparison.empty:
        return pd.DataFrame(columns=["Kategori", "Bedömning"] + list(HIDDEN))
    used = ("category", "period_a", "period_b", "count_a", "count_b", "change", "pct_change", "rate_b",
            "rate_b_low", "rate_b_high", "p_value", "significant", "verdict", "note")
    # read only: the columns the table shows, as plain lists (no frame per column, see figdict.columns)
    cols = figdict.columns(comparison, [c for c in used if c in comparison])
    star = "*" if "like_for_like" in comparison and bool(comparison["like_for_like"].any()) else ""
    periods = list(dict.fromkeys(cols["period_a"] + cols["period_b"]))
    labels = {p: fmt_period(p) + star for p in periods}
    rows, groups = [], {}
    for r in (dict(zip(cols, v, strict=True)) for v in zip(*cols.values(), strict=True)):
        # one pass over plain rows: a frame per category costs more
        if not pd.isna(r["category"]):
            groups.setdefault(r["category"], []).append(r)
    for cat, sub in groups.items():
        row = {"Kategori": category_label(names, cat), "_category": cat}
        first = sub[0]
        row[labels[first["period_a"]]], row["_k0"] = fmt_count(first["count_a"]), "ingen"
        for i, r in enumerate(sub, start=1):
            klass = verdict_class(r["significant"], r["verdict"])
            row[labels[r["period_b"]]] = ARROWS[klass] + fmt_count(r["count_b"])
            row[f"_k{i}"] = klass
        last = sub[-1]
        klass = verdict_class(last["significant"], last["verdict"])
        row.update({"Förändring": fmt_change(last["change"]),
                    "Förändring (%)": fmt_pct(last["pct_change"], 1, sign=True, fraction=False),
                    "Per 1 000 inv. och år": fmt_rate(last.get("rate_b"), last.get("rate_b_low"),
                                                      last.get("rate_b_high")),
                    "p-värde": fmt_p(last["p_value"]),
                    "Bedömning": ARROWS[klass] + str(last["verdict"]), "_klass": klass,
                    "_not": " ".join(dict.fromkeys(n for n in map(_shown_note, sub, [last] * len(sub)) if n))})
        rows.append(row)
    # the frame made once from plain rows (dropping, renaming and reordering frames cost a millisecond):
    # its columns in the order the rows first name them, the total's row last
    columns = list(dict.fromkeys(k for row in rows for k in row))
    rows = [r for r in rows if r["_category"] != ALL] + [r for r in rows if r["_category"] == ALL]
    dropped = {RATE_COLUMN} if all(r[RATE_COLUMN] == MISSING for r in rows) else set()
    renamed = {}
    if compact:
        dropped |= set(MEETING_DROP)
        shown = [labels[p] for p in periods]
        early = shown[:-MEETING_PERIODS] if len(shown) > MEETING_PERIODS else []
        if early:  # a wall screen cannot scroll: the latest periods (the chart beside shows all)
            dropped |= set(early) | {f"_k{i}" for i in range(len(early))}
            renamed = {f"_k{i}": f"_k{i - len(early)}" for i in range(len(early), len(shown))}
    kept = [c for c in columns if c not in dropped]
    return pd.DataFrame([[r.get(c, math.nan) for c in kept] for r in rows],
                        columns=[renamed.get(c, c) for c in kept])


def _shown_note(r: dict, last: dict) -> str:
    """A pair's note as the wide table shows it: the percentage is the last pair's only, so an earlier
    pair's "Procentuell förändring kan inte beräknas …" is left out (desk9's Mölnbo named Narkotikabrott
    1 → 1, "0,0 %", for a 0 two periods back)."""
    note = r["note"] or ""
    if r is last or PAIR_NOTES["pct"] not in note:
        return note
    return " ".join(note.replace(PAIR_NOTES["pct"], "").split())


def comparison_notes(table: pd.DataFrame) -> list[str]:
    """The distinct notes of a comparison table, in order; a note that only some rows carry names
    them (by the table's first column, e.g. the category: each category's dispersion differs).

    Examples
    --------
    >>> comparison_notes(pd.DataFrame({"_not": ["A.", "A.", ""]}))
    ['A.']
    >>> comparison_notes(pd.DataFrame({"_not": ["Befolkningen 2019 och 2020 är interpolerad.",
    ...                                         "Befolkningen 2020 och 2021 är interpolerad."]}))
    ['Befolkningen 2019–2021 är interpolerad.']
    >>> comparison_notes(pd.DataFrame({"Kategori": ["Rån", "Stöld", "Rån"],
    ...                                "_not": ["Varierar 2 gånger. Lika med lika.", "Lika med lika.", ""]}))
    ['Rån: Varierar 2 gånger.', 'Lika med lika.']
    >>> comparison_notes(pd.DataFrame({"Aktivitet": ["A", "A", "A"], "Kategori": ["Rån", "Stöld", "Inbrott"],
    ...                                "_not": ["Kortat.", "", "Kortat."]}))
    ['Rån, Inbrott: Kortat.']
    """
    if table is None or table.empty or "_not" not in table:
        return []
    visible = [c for c in table.columns if not str(c).startswith("_")]
    labels = table[visible[0]].astype(str).tolist() if visible else [""] * len(table)
    if len(visible) > 1 and len(set(labels)) == 1 < len(table):
        # one activity's rows (Plats' before/after): the first column names none of them, and a note on
        # some rows was said as if on all ("Data täcker bara 6 månader …" on two of seven)
        second = table[visible[1]].astype(str).tolist()
        labels = second if len(set(second)) == len(second) else labels
    every = set(labels)
    carriers: dict[str, list[str]] = {}
    for label, text in zip(labels, table["_not"], strict=True):
        for part in merge_notes([text]):
            carriers.setdefault(part, [])
            if label not in carriers[part]:
                carriers[part].append(label)
    carriers = _merge_year_notes(carriers)
    out = [f"{', '.join(who)}: {part}" if visible and set(who) != every and not part.startswith("*")
           else part for part, who in carriers.items()]
    out = merge_dispersion_notes(out, carriers, labels)
    rates = table.get(RATE_COLUMN)
    if rates is not None and rates.astype(str).str.contains("(", regex=False).any():
        out.append(RATE_NOTE)  # the brackets of fmt_rate said nothing of what they hold
    return out


def _merge_year_notes(carriers: dict) -> dict:
    """Population notes that differ only by their years as one note of every year, carried by every
    row that carried one of them, at the first one's place (the merging is the population module's)."""
    year_parts = [p for p in carriers if YEAR_NOTE.match(p)]
    out: dict = {}
    for part, who in carriers.items():
        key = part
        if m := YEAR_NOTE.match(part):
            key = merge_notes([p for p in year_parts if YEAR_NOTE.match(p).group(1, 3) == m.group(1, 3)])[0]
        out.setdefault(key, [])
        out[key].extend(w for w in who if w not in out[key])
    return out


def comparison_columns(table: pd.DataFrame) -> list[dict]:
    """DataTable column definitions for the visible columns."""
    kinds = dict(COLUMNS)
    return [{"name": c, "id": c, "type": kinds.get(c, "text")} for c in table.columns
            if not c.startswith("_")]


def period_columns(table: pd.DataFrame | None) -> list[str]:
    """A wide table's period columns (one per hidden ``_k<i>``, after the first visible column): counts,
    right-aligned by :func:`comparison_styles` and :func:`header_styles` (not typed ``numeric``, whose
    no-wrap cells widened the meeting panel's table past its card).

    Examples
    --------
    >>> period_columns(pd.DataFrame(columns=["Kategori", "2022", "2023", "Bedömning", "_k0", "_k1", "_klass"]))
    ['2022', '2023']
    """
    if table is None:
        return []
    visible = [c for c in table.columns if not str(c).startswith("_")]
    n = sum(bool(re.fullmatch(r"_k\d+", str(c))) for c in table.columns)
    return visible[1:1 + n]


def header_styles(table: pd.DataFrame | None) -> list[dict]:
    """DataTable ``style_header_conditional``: the period columns' headers right-aligned over their counts."""
    return [{"if": {"column_id": c}, "textAlign": "right"} for c in period_columns(table)]


def comparison_styles(meeting: bool = False, table: pd.DataFrame | None = None) -> list[dict]:
    """DataTable ``style_data_conditional``: colour and weight for significant changes only (with a
    wide ``table``, also each period's count that changed significantly)."""
    periods = period_columns(table)
    rules = [{"if": {"column_id": c}, "textAlign": "right"} for c in periods]
    for i, column in enumerate(periods):  # period i's count is coloured by its class _k<i>
        for klass, colour in KLASS_COLOURS.items():
            rules.append({"if": {"filter_query": f'{{_k{i}}} = "{klass}"', "column_id": column},
                          "color": colour, "fontWeight": 700})
    for klass, colour in KLASS_COLOURS.items():
        for col in ("Bedömning", "Förändring", "Förändring (%)"):
            rules.append({"if": {"filter_query": f'{{_klass}} = "{klass}"', "column_id": col},
                          "color": colour, "fontWeight": 700})
    rules.append({"if": {"filter_query": '{_klass} = "saknas"', "column_id": "Bedömning"},
                  "color": palette.MUTED, "fontStyle": "italic"})
    rules.append({"if": {"filter_query": f'{{_category}} = "{ALL}"'}, "fontWeight": 600,
                  "borderTop": "2px solid #9AA1A9"})
    return rules

