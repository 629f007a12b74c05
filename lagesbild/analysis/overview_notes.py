"""The overview's notes: on what a place's total sums ("Alla är här summan av …"), per place in the
table and said once per set of categories under it; and on the places the table leaves out (yearly
counts only, no crime data)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild.analysis import base
from lagesbild.core.place_family import ALL
from lagesbild.core.population import SENTENCE_END

ALLA_NOTES = {True: "Alla är här summan av {cats}: de kategorier som har data för platsen båda åren.",
              False: "Alla är här summan av {cats}: de kategorier som platsen har data för."}


def alla_note(names, both: bool = True) -> str:
    """The note on a place's total when it sums other categories than the table shows (``both``: the
    categories with data in both years; otherwise every category the place has data for, since
    none has data in both).

    Examples
    --------
    >>> alla_note(["Narkotikabrott", "Skadegörelse", "Rån"])
    'Alla är här summan av Narkotikabrott, Skadegörelse och Rån: de kategorier som har data för platsen båda åren.'
    >>> alla_note(["Rån"], both=False)
    'Alla är här summan av Rån: de kategorier som platsen har data för.'
    """
    return ALLA_NOTES[bool(both)].format(cats=_listed(names))


ALLA_LINES = {True: "Alla för {places}: summan av {cats}, de kategorier som har data där båda åren.",
              False: "Alla för {places}: summan av {cats}, de kategorier som har data där."}


def split_notes(table: pd.DataFrame, rows: pd.DataFrame, category_names=None) -> tuple[list[str], list[str]]:
    """The table's notes without the notes on what a place's total sums, and those said once per
    set of categories with the places they apply to (``rows``: ``place_id, name``)."""
    alla = table.attrs.get("alla") or {}
    notes = table["note"].to_numpy(dtype=object).copy() if len(table) else np.array([], dtype=object)
    if alla and len(table):
        texts = table["place_id"].map({pid: text for pid, (*_, text) in alla.items()})
        total = ((table["category"] == ALL) & texts.notna()).to_numpy()
        notes[total] = [n[:-len(t)].rstrip() if isinstance(n, str) and n.endswith(t) else n
                        for n, t in zip(notes[total], texts[total], strict=True)]
    general = by_reach(notes)
    names = dict(zip(rows["place_id"], rows["name"], strict=True)) if len(rows) else {}
    cat_names = dict(category_names or {})
    by_sum: dict = {}
    for pid, (cats, both, _) in alla.items():
        by_sum.setdefault((cats, both), []).append(names.get(pid, pid))
    lines = [ALLA_LINES[both].format(places=_listed(places, shown=3),
                                     cats=_listed([cat_names.get(c, c) for c in cats]))
             for (cats, both), places in by_sum.items()]
    return general, lines


def by_reach(notes) -> list[str]:
    """The distinct sentences of the rows' notes, those on most rows first (the page shows the first
    few): every note of the table began "Hela månader finns t.o.m. …", and three of them, one
    sentence apart, filled the space under the table.

    Examples
    --------
    >>> by_reach(["Data t.o.m. juli. Faktor 1,1.", "Data t.o.m. juli. Faktor 1,2.", "Data t.o.m. juli.", None])
    ['Data t.o.m. juli.', 'Faktor 1,1.', 'Faktor 1,2.']
    """
    reach: dict = {}
    for note in notes:
        for part in dict.fromkeys(p.strip() for p in SENTENCE_END.split(str(note or ""))):
            if part:
                reach[part] = reach.get(part, 0) + 1
    return sorted(reach, key=lambda s: -reach[s])  # stable: first seen first among equals


def _listed(names, shown: int | None = None) -> str:
    """``Alfa``, ``Alfa och Beta``, ``Alfa, Beta och Gamma``; beyond ``shown`` + 1 names
    ``Alfa, Beta, Gamma och 4 platser till``."""
    names = list(names)
    if shown is not None and len(names) > shown + 1:
        return ", ".join(names[:shown]) + f" och {len(names) - shown} platser till"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]


def yearly_only(store, rows: pd.DataFrame, cmp: pd.DataFrame, pair) -> pd.DataFrame:
    """In a Sep–Aug year, the rows of the places not in the table that have counts for whole calendar
    years (Brå's yearly tables)."""
    if not base.whole_years(store) or pair[-1].kind != "sep_aug" or not len(rows):
        return rows.iloc[0:0]
    shown = set(cmp["place_id"]) if len(cmp) else set()
    return rows[rows["place_id"].isin(set(base.whole_rows(store)["place_id"]) - shown)]


def yearly_only_note(store, rows: pd.DataFrame, cmp: pd.DataFrame, pair) -> str:
    """In a Sep–Aug year, the places not in the table that have counts for whole calendar years
    (Brå's yearly tables) and the latest such year, where they are compared; otherwise ``""``."""
    left = yearly_only(store, rows, cmp, pair)
    if left.empty:
        return ""
    years = base.whole_years(store)
    names = left["name"].tolist()
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]
    return (f"{listed} har bara siffror för hela kalenderår (Brå) och jämförs när ett kalenderår "
            f"väljs (senast {years[-1].label}).")


def missing_note(rows: pd.DataFrame, cmp: pd.DataFrame, pair, yearly: set, chosen: bool) -> str:
    """The places of the overview that its table leaves out for want of crime data in the two years
    (no file has counted crimes there: a place without any is not 0 crimes but unknown), other than
    ``yearly`` (:func:`yearly_only_note` names them); ``""`` when every place is in the table.
    ``chosen``: the categories were chosen (the note then says so).

    Examples
    --------
    >>> from lagesbild.core.periods import sep_aug_year
    >>> rows = pd.DataFrame({"place_id": ["a", "b", "c"], "name": ["Hjulsta", "Öppna ängen", "Rinkeby"]})
    >>> missing_note(rows, pd.DataFrame({"place_id": ["a"]}), [sep_aug_year(2024), sep_aug_year(2025)],
    ...              {"c"}, False)[:60]
    'Öppna ängen saknar brottsdata för 2024–2025 och 2025–2026 oc'
    """
    if not len(rows):
        return ""
    shown = set(cmp["place_id"]) if len(cmp) else set()
    left = [name for pid, name in zip(rows["place_id"], rows["name"], strict=True)
            if pid not in shown and pid not in yearly]
    if not left:
        return ""
    listed = left[0] if len(left) == 1 else ", ".join(left[:-1]) + " och " + left[-1]
    what = "brottsdata i de valda kategorierna" if chosen else "brottsdata"
    return (f"{listed} saknar {what} för {pair[0].label} och {pair[1].label} och står därför inte i "
            f"tabellen (ingen inläst fil har räknat brott där; det är inte detsamma som 0 brott).")
