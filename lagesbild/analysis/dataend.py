"""Where the data end: the last incident, and the last day of complete data every test of change is
given (:func:`data_end`), also where one source's data end in the middle of a month.

Re-exported by :mod:`lagesbild.analysis.base`.
"""

from __future__ import annotations

import pandas as pd

from lagesbild.analysis.memo import memo
from lagesbild.core.coverage import complete_until, sources_complete_until


def last_incident(store):
    """The day of the last incident in the store's last month with data (a date), or None: read once
    per data version for :func:`data_until` and :func:`data_end`."""
    return _last_incident(store)[0]


def _last_incident(store):
    """(:func:`last_incident`, the incidents a day in that month up to it): the rate tells how many
    empty days at the month's end the file's volume allows (:func:`complete_until`)."""
    def build():
        until = store.data_until()
        if until is None:
            return None, None
        start = pd.Timestamp(until).replace(day=1)
        last = store.incidents(start=start, end=until)
        if last.empty:
            return None, None
        day = pd.Timestamp(last["occurred_at"].max())
        return day.date(), len(last) / ((day.normalize() - start).days + 1)
    return memo(store, ("last-incident",), build)


def source_last_incidents(store, sources: pd.DataFrame, coverage: pd.DataFrame) -> dict:
    """``{source: (last incident's day, incidents a day in its month up to it)}`` of each incident
    source without an extraction date, read from its last covered month (``store.incidents``)."""
    out = {}
    if sources is None or sources.empty or coverage is None or coverage.empty:
        return out
    plain = sources[(sources["kind"] == "incidents") & sources["extracted_at"].isna()]["source"]
    last = coverage.groupby("source")["month"].max()
    for name in plain:
        if name not in last.index:
            continue
        start = pd.Timestamp(last[name])
        rows = store.incidents(start=start, end=(start + pd.offsets.MonthEnd(0)).date())
        rows = rows[rows["source"] == name] if "source" in rows else rows.iloc[0:0]
        if len(rows):
            day = pd.Timestamp(rows["occurred_at"].max())
            out[name] = (day.date(), len(rows) / ((day.normalize() - start).days + 1))
    return out


def data_end(store):
    """The last day of complete data: the month before the extraction date's month unless extracted
    after it ended (:func:`lagesbild.core.compare.complete_until`); without an extraction date, the
    last incident's date and the file's volume; None for monthly counts without either (whole months
    assumed)."""
    def build():
        extracted = store.extracted_at()
        if extracted is not None:
            until = complete_until(extracted=extracted)
        else:
            day, rate = _last_incident(store)
            if day is None:
                return None
            until = complete_until(last_incident=day, daily_rate=rate)
        # and no later than where a source's own data end in the middle of a month it covers
        sources, coverage = store.sources(), store.coverage()
        return sources_complete_until(sources, coverage, until, source_last_incidents(store, sources, coverage))
    return memo(store, ("data-end",), build)
