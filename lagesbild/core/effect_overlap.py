"""What else changed at a place inside an activity's before/after windows.

:func:`lagesbild.core.effects.activity_effects` compares equal windows before and after an activity's
start. The change it measures is the place's, not the activity's: an activity that ended early is
measured over months without it, and another activity at the same place that started or ended inside
the windows changed the place too, so the two cannot be told apart (the second activity's "before" is
then the first one's "after"). :func:`overlap_warnings` adds a warning to each such row; the test
itself is unchanged. So does :func:`source_warnings` where the place's counts before the start come
from another source than those after it (monthly counts from one file, incidents from another): a
change of source moves the counts as much as an activity would.
"""

from __future__ import annotations

import pandas as pd

from lagesbild.core.periods import format_date_sv

WARN_ENDED = ("Aktiviteten avslutades {end}, före efterfönstrets slut ({until}): efterfönstret räknar "
              "också tiden efter att den avslutades.")
WARN_SOURCE = ("Källbyte: brottsdata före start kommer från {before}, efter start från {after}; en "
               "skillnad kan komma av bytet av källa.")
WARN_OTHER = ("Annan aktivitet på platsen inom fönstren: {what}. Förändringen kan inte skiljas mellan "
              "aktiviteterna.")


def _day(value):
    return None if value is None or pd.isna(value) else pd.Timestamp(value).normalize()


def overlap_warnings(table: pd.DataFrame, activities: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """``table`` (one row per activity × place × category, with ``activity_id, place_id,
    before_start, after_end, warnings``) with a warning where the activity ended inside its after
    window, or another activity linked to the same place started or ended inside the windows.

    Examples
    --------
    >>> acts = pd.DataFrame({"activity_id": ["a", "b"], "aktivitet": ["Platssamverkan", "Kameror"],
    ...     "start_date": pd.to_datetime(["2022-01-10", "2022-06-01"]),
    ...     "end_date": pd.to_datetime(["2022-09-30", None]), "open_ended": [False, True]})
    >>> links = pd.DataFrame({"activity_id": ["a", "b"], "place_id": "torg"})
    >>> t = pd.DataFrame({"activity_id": ["a"], "place_id": ["torg"], "warnings": [""],
    ...     "before_start": pd.to_datetime(["2021-01-01"]), "after_end": pd.to_datetime(["2022-12-31"])})
    >>> said = overlap_warnings(t, acts, links)["warnings"][0]
    >>> "Aktiviteten avslutades 30 sep 2022, före efterfönstrets slut (31 dec 2022)" in said
    True
    >>> "Annan aktivitet på platsen inom fönstren: Kameror startade 1 juni 2022." in said
    True
    """
    if table.empty or activities is None or activities.empty or links is None:
        return table
    acts = activities.set_index("activity_id")
    at = links.groupby("place_id")["activity_id"].apply(list).to_dict()
    extra = []
    for act, place, first, last in zip(table["activity_id"], table["place_id"], table["before_start"],
                                       table["after_end"], strict=True):
        first, last, said = _day(first), _day(last), []
        if first is None or last is None or act not in acts.index:
            extra.append("")
            continue
        own = acts.loc[act]
        end = _day(own.get("end_date"))
        if end is not None and not bool(own.get("open_ended", False)) and end < last:
            said.append(WARN_ENDED.format(end=format_date_sv(end), until=format_date_sv(last)))
        others = []
        for other in dict.fromkeys(at.get(place, [])):
            if other == act or other not in acts.index:
                continue
            row = acts.loc[other]
            for col, verb in (("start_date", "startade"), ("end_date", "avslutades")):
                day = _day(row.get(col))
                if day is None or (col == "end_date" and bool(row.get("open_ended", False))):
                    continue
                if first <= day <= last:
                    others.append(f"{row.get('aktivitet', other)} {verb} {format_date_sv(day)}")
        if others:
            said.append(WARN_OTHER.format(what=", ".join(others)))
        extra.append(" ".join(said))
    table["warnings"] = [" ".join(w for w in (old if isinstance(old, str) else "", new) if w)
                         for old, new in zip(table["warnings"], extra, strict=True)]
    return table


def source_warnings(table: pd.DataFrame, monthly: pd.DataFrame, total: str = "alla") -> pd.DataFrame:
    """``table`` with a warning on each row whose place's counts (of its category; any for ``total``)
    in the before window come from other sources than those in the after window (``monthly``'s
    ``source`` column; nothing is said without it).

    Examples
    --------
    >>> m = pd.DataFrame({"place_id": "torg", "category": "rån", "count": 3,
    ...     "month": pd.date_range("2021-01-01", periods=24, freq="MS"),
    ...     "source": ["polisen-brott"] * 12 + ["polisen-incidenter"] * 12})
    >>> t = pd.DataFrame({"place_id": ["torg"], "category": ["rån"], "warnings": [""],
    ...     "before_start": pd.to_datetime(["2021-01-01"]), "before_end": pd.to_datetime(["2021-12-31"]),
    ...     "after_start": pd.to_datetime(["2022-01-01"]), "after_end": pd.to_datetime(["2022-12-31"])})
    >>> source_warnings(t, m)["warnings"][0]
    'Källbyte: brottsdata före start kommer från polisen-brott, efter start från polisen-incidenter; en skillnad kan komma av bytet av källa.'
    """
    if table.empty or monthly is None or monthly.empty or "source" not in monthly:
        return table
    month = pd.to_datetime(monthly["month"]).to_numpy()
    place, cat = monthly["place_id"].to_numpy(dtype=object), monthly["category"].to_numpy(dtype=object)
    src = monthly["source"].to_numpy(dtype=object)
    extra = []
    for r in table[["place_id", "category", "before_start", "before_end", "after_start", "after_end"]] \
            .itertuples(index=False):
        if any(_day(d) is None for d in r[2:]):
            extra.append("")
            continue
        rows = (place == r.place_id) & ((cat == r.category) | (r.category == total))
        before = sorted(set(src[rows & (month >= _day(r.before_start)) & (month <= _day(r.before_end))]))
        after = sorted(set(src[rows & (month >= _day(r.after_start)) & (month <= _day(r.after_end))]))
        extra.append(WARN_SOURCE.format(before=", ".join(before), after=", ".join(after))
                     if before and after and before != after else "")
    table["warnings"] = [" ".join(w for w in (old if isinstance(old, str) else "", new) if w)
                         for old, new in zip(table["warnings"], extra, strict=True)]
    return table
