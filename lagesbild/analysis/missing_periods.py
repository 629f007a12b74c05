"""Periods a place has no data for: the one message Plats, Jämför and the CLI's ``compare`` give
instead of a table of zeros ("Inga data för 2019–2020 för Flemingsberg: brottsdata finns sep 2021–aug
2025.")."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild.analysis import base
from lagesbild.sources.months import MONTH_ABBR


def periods_without_data(store, places, periods) -> str | None:
    """A plain Swedish message when none of ``places`` (place rows) has crime data in any month of
    ``periods`` though it has some elsewhere ("Inga data för 2019–2020 och 2020–2021 för Flemingsberg:
    brottsdata finns sep 2021–aug 2025."), else None. Data: the months a source covers for a place
    (its own or every place's rows; 0 crimes included) and whole-period counts (Brå's years) overlapping
    a period. Plats said "Data saknas för 12 månader i 2019–2020; antalet avser månaderna med data"."""
    ids = [r["place_id"] for r in places]
    cov = base.coverage_for(store, ids)
    # the distinct months only (coverage has a row per source, place and category): one array
    # comparison per period instead of a Python loop over every row (12 ms a place change); picked
    # out with numpy (pandas' isin, loc and unique were 0.4 ms of a place change)
    starts = _months(cov["month"].to_numpy()[_applies(cov["place_id"].to_numpy(), ids)])
    ends = _month_ends(starts)
    whole = base.whole_rows(store)
    if len(whole):
        whole = whole[whole["place_id"].isin(ids)]
        starts = np.concatenate([starts, pd.to_datetime(whole["period_start"]).to_numpy("datetime64[ns]")])
        ends = np.concatenate([ends, pd.to_datetime(whole["period_end"]).to_numpy("datetime64[ns]")])
    if not len(starts) or any(((starts <= np.datetime64(pd.Timestamp(p.end)))
                               & (ends >= np.datetime64(pd.Timestamp(p.start)))).any() for p in periods):
        return None
    starts, ends = [pd.Timestamp(starts.min())], [pd.Timestamp(ends.max())]
    def day(d):  # a date range's ends as Swedish dates (1 jan 2018), not ISO
        return f"{d.day} {MONTH_ABBR[d.month - 1]} {d.year}"
    said, who = (" och ".join([", ".join(x[:-1]), x[-1]] if len(x) > 1 else x) for x in (
        [f"{day(p.start)}–{day(p.end)}" if p.label.count("-") == 4 else p.label  # ISO dates
         for p in periods], [r["name"] for r in places]))
    span = "–".join(f"{MONTH_ABBR[d.month - 1]} {d.year}" for d in (min(starts), max(ends)))
    return f"Inga data för {said} för {who}: brottsdata finns {span}."


def _applies(place_ids: np.ndarray, ids) -> np.ndarray:
    """Coverage rows of every place (no place) or of one of ``ids`` (as pandas' ``isna | isin``)."""
    keep = pd.isna(place_ids)
    for i in dict.fromkeys(ids):
        keep |= place_ids == i
    return keep


def _months(values: np.ndarray) -> np.ndarray:
    """The distinct months of ``values`` as datetime64[ns] (sorted; only their span and overlaps count)."""
    if values.dtype != np.dtype("datetime64[ns]"):  # dates, strings or another unit from a store
        values = pd.DatetimeIndex(pd.to_datetime(pd.unique(values))).to_numpy("datetime64[ns]")
    return np.unique(values)


def _month_ends(starts: np.ndarray) -> np.ndarray:
    """``starts + pd.offsets.MonthEnd(0)`` in numpy: the last day of each month at the same time of day.

    >>> _month_ends(np.array(["2024-02-01", "2023-12-31T06:00", "NaT"], "datetime64[ns]")).astype(str).tolist()
    ['2024-02-29T00:00:00.000000000', '2023-12-31T06:00:00.000000000', 'NaT']
    """
    days = starts.astype("datetime64[D]")
    last = (starts.astype("datetime64[M]") + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
    return last.astype("datetime64[ns]") + (starts - days.astype("datetime64[ns]"))


__all__ = ["periods_without_data"]
