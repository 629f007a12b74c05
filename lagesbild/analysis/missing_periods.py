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
    # comparison per period instead of a Python loop over every row (12 ms a place change)
    months = pd.DatetimeIndex(pd.to_datetime(pd.unique(
        cov.loc[cov["place_id"].isna() | cov["place_id"].isin(ids), "month"])))
    starts, ends = months.to_numpy("datetime64[ns]"), (months + pd.offsets.MonthEnd(0)).to_numpy("datetime64[ns]")
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


__all__ = ["periods_without_data"]
