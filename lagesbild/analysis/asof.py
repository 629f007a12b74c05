"""The store as it stood on a day: only the data whose ingest finished on that day or before.

Used by :mod:`lagesbild.analysis.since_meeting` to run the overview's own computation on the data as
they stood at the last meeting (see that module for what this can and cannot tell).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from lagesbild.core.periods import month_starts as month_start_stamps
from lagesbild.core.periods import naive_stamps
from lagesbild.store import history
from lagesbild.store.data_until import cells_per_month, until_from_cells


class AsOf:
    """The store as it stood on a day: only the data whose ingest finished on that day or before.

    Reads the analysis layer uses are restricted (counts, coverage, incidents, longer periods, the
    extraction dates); everything else (places, categories, activities …) is the store's own.
    """

    def __init__(self, store, day: dt.date, arrivals: pd.DataFrame | None = None):
        self._store, self.day = store, day
        arr = history.month_arrivals(store) if arrivals is None else arrivals
        known = arr[[as_day(f) <= day for f in arr["finished_at"]]] if len(arr) else arr
        later = arr.drop(known.index)
        self._periods = set(zip(known["source"], known["start"], known["end"], strict=True))
        self._months = {(s, m) for s, a, b in self._periods for m in month_starts(a, b)}
        self._later = {(s, m) for s, a, b in zip(later["source"], later["start"], later["end"], strict=True)
                       for m in month_starts(a, b)}
        self._until = {}
        for s, _a, b in self._periods:
            self._until[s] = max(self._until.get(s, b), b)
        log = store.ingest_log()
        self._ingests = set(log.loc[np.asarray([as_day(f) <= day for f in log["finished_at"]], dtype=bool), "ingest_id"]) \
            if len(log) else set()
        self.url = f"{store.url}#mote={day.isoformat()}"
        self._own: dict = {}  # this view's cache: the store's own cache holds today's data

    def _cached(self, key, build, *, copy: bool = True):
        """Like :meth:`Store._cached`, but kept on this view (the store's cache holds the data as
        they are now, not as they stood on ``day``)."""
        if key not in self._own:
            self._own[key] = build()
        value = self._own[key]
        return value.copy() if copy and hasattr(value, "copy") else value

    def __getattr__(self, name):
        return getattr(self._store, name)

    def version(self):
        return self._store.version()

    def _known(self, sources, months) -> np.ndarray:
        """Whether each row's (source, month) had arrived by the day."""
        return pairs_in(sources, month_start_stamps(months).to_numpy().astype("datetime64[D]"), self._months)

    def monthly_counts(self, place_ids=None, categories=None) -> pd.DataFrame:
        df = self._store.monthly_counts(place_ids, categories)
        return _rows(df, self._known(df["source"], df["month"]))

    def _cover(self, df: pd.DataFrame) -> pd.DataFrame:
        """The coverage rows of sources known by the day, up to each one's last month then, less the
        months that arrived later (one pass per source; coverage has a row per place and month)."""
        sources, days = df["source"].to_numpy(dtype=object), _days(df["month"])
        last = {s: np.datetime64(d, "D") for s, d in self._until.items()}
        until = pd.Series(sources, dtype=object).map(last).to_numpy(dtype="datetime64[D]")  # NaT: unknown
        keep = (days <= until) & ~pairs_in(sources, days, self._later)
        return _rows(df, keep)

    def coverage(self, place_ids=None) -> pd.DataFrame:
        return self._cover(self._store.coverage(place_ids))

    def all_coverage(self) -> pd.DataFrame:
        return self._cover(self._store.all_coverage())

    def period_counts(self) -> pd.DataFrame:
        df = self._store.period_counts()
        keep = [(s, pd.Timestamp(a).date(), pd.Timestamp(b).date()) in self._periods
                for s, a, b in zip(df["source"], df["period_start"], df["period_end"], strict=True)]
        return _rows(df, keep)

    def incidents(self, category=None, start=None, end=None, bbox=None) -> pd.DataFrame:
        df = self._store.incidents(category=category, start=start, end=end, bbox=bbox)
        return _rows(df, self._known(df["source"], df["occurred_at"]))

    def data_until(self):
        return self._cached("data_until", lambda: until_from_cells(cells_per_month(self.all_coverage())),
                            copy=False)

    def extracted_at(self, kinds=("crimes", "incidents")):
        src = self._store.sources()
        src = src[src["kind"].isin(list(kinds)) & src["last_ingest_id"].isin(self._ingests)]
        days = src["extracted_at"].dropna()
        return None if days.empty else max(pd.Timestamp(d).date() for d in days)

    def _incident_sources(self) -> set:
        src = self._store.sources()
        return set(src.loc[src["kind"] == "incidents", "source"])


def _rows(df: pd.DataFrame, keep) -> pd.DataFrame:
    return df[np.asarray(keep, dtype=bool)].reset_index(drop=True)


def _days(values) -> np.ndarray:
    """Dates, datetimes or ISO texts as ``datetime64[D]`` (the time of day dropped, NaT kept)."""
    return naive_stamps(values).to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")


def pairs_in(sources, days: np.ndarray, pairs: set) -> np.ndarray:
    """Whether each (source, day) is one of ``pairs`` (a set of (source, :class:`datetime.date`)):
    one ``np.isin`` per source instead of a set lookup per row.

    Examples
    --------
    >>> days = np.array(["2023-01-01", "2023-02-01", "2023-01-01"], dtype="datetime64[D]")
    >>> pairs_in(["a", "a", "b"], days, {("a", dt.date(2023, 2, 1)), ("b", dt.date(2023, 1, 1))}).tolist()
    [False, True, True]
    """
    sources = np.asarray(sources, dtype=object)
    out = np.zeros(len(sources), bool)
    by_source: dict = {}
    for s, d in pairs:
        by_source.setdefault(s, []).append(d)
    for s, ds in by_source.items():
        rows = sources == s
        if rows.any():
            out[rows] = np.isin(days[rows], np.array(ds, dtype="datetime64[D]"))
    return out


def as_day(value) -> dt.date:
    """A date from a datetime, Timestamp or ISO text."""
    return pd.Timestamp(value).date()


def month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first days of the months from ``start``'s month to ``end``."""
    return [m.date() for m in pd.date_range(pd.Timestamp(start).replace(day=1), end, freq="MS")]
