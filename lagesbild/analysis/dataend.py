"""Where the data end: the last incident, and the last day of complete data every test of change is
given (:func:`data_end`), also where one source's data end in the middle of a month.

Re-exported by :mod:`lagesbild.analysis.base`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild.analysis.memo import memo
from lagesbild.core.coverage import complete_until


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


def _last_months(store) -> pd.Series:
    """Each source's last covered month (``source`` → first day), read once per data version."""
    def build():
        coverage = store.coverage()
        return pd.Series(dtype="datetime64[ns]") if coverage is None or coverage.empty else \
            coverage.groupby("source")["month"].max()
    return memo(store, ("last-months",), build)


def plain_last_incidents(store) -> dict:
    """:func:`source_last_incidents` of every incident source without an extraction date, once per data
    version (:func:`data_end` and :func:`source_cuts` both ask)."""
    return memo(store, ("plain-last-incidents",),
                lambda: source_last_incidents(store, store.sources(), store.coverage()))


def data_end(store):
    """The last day of complete data: the month before the extraction date's month unless extracted
    after it ended (:func:`lagesbild.core.coverage.complete_until`); without an extraction date, the
    last incident's date and the file's volume; None for monthly counts without either (whole months
    assumed).

    Never later than the latest day to which a crime source of the store's last month is complete
    (:func:`source_ends`), nor after that month. A source of that month which ends earlier than
    another (a second police export that stops on 28 August while the first runs to the 31st) does
    not cut every place: its own months after its end are left out (:func:`source_cuts`), so its
    places are compared like for like on their complete months and the complete source's places keep
    August. When every source of the month ends early, the latest of their ends is every place's.
    """
    def build():
        extracted = latest_extraction(store)
        if extracted is not None:
            until = complete_until(extracted=extracted)
        else:
            day, rate = _last_incident(store)
            if day is None:
                return None
            until = complete_until(last_incident=day, daily_rate=rate)
        last = _last_months(store)
        if last.empty:
            return until
        ends = _newest_ends(store, last)
        if ends:
            until = min(until, max(ends.values()))
        # nor after the data: Brå's calendar year to December read in September said 31 August
        end = (pd.Timestamp(last.max()) + pd.offsets.MonthEnd(0)).date()
        return min(until, end)
    return memo(store, ("data-end",), build)


def source_ends(store) -> dict:
    """``{source: last day of complete data}`` of each crime source whose end is known: the
    :func:`complete_until` of its extraction date, or, for incidents without one, of its last incident
    and its volume. Memoised per data version."""
    def build():
        sources = store.sources()
        if sources is None or sources.empty:
            return {}
        crime = sources[sources["kind"].isin(["crimes", "incidents"]) & sources["extracted_at"].notna()]
        ends = {name: complete_until(extracted=day)
                for name, day in zip(crime["source"], crime["extracted_at"], strict=True)}
        return ends | {name: complete_until(last_incident=day, daily_rate=rate)
                       for name, (day, rate) in plain_last_incidents(store).items() if name not in ends}
    return memo(store, ("source-ends",), build)


def _newest_ends(store, last: pd.Series) -> dict:
    """:func:`source_ends` of the crime sources whose data reach the store's last month (``last``:
    each source's last covered month); monthly counts without an extraction date there end with the
    month. Empty when no source of the month has a known end."""
    sources = store.sources()
    newest = set(last.index[last == last.max()])
    crime = sources[sources["kind"].isin(["crimes", "incidents"]) & sources["source"].isin(newest)]
    own = {name: end for name, end in source_ends(store).items() if name in newest}
    if not own:
        return {}
    month_end = (pd.Timestamp(last.max()) + pd.offsets.MonthEnd(0)).date()
    return {name: own.get(name, month_end) for name in crime["source"]}


def latest_extraction(store):
    """The latest extraction date (uttagsdatum) of the crime sources whose data reach the store's last
    covered month, or None. An older file's extraction date says nothing of the newest month: a Brå
    file of 2021 extracted on 15 Mar 2022 must not end a store of incidents to August 2023 in February
    2022."""
    def build():
        sources, last = store.sources(), _last_months(store)
        if sources is None or sources.empty or last.empty:
            return None
        newest = set(last.index[last == last.max()])
        crime = sources[sources["kind"].isin(["crimes", "incidents"]) & sources["source"].isin(newest)]
        days = crime["extracted_at"].dropna()
        return None if days.empty else max(pd.Timestamp(d).date() for d in days)
    return memo(store, ("latest-extraction",), build)


def complete_coverage(store) -> pd.DataFrame:
    """The store's coverage without the months after an older source's own end (:func:`source_cuts`):
    the months every comparison may count. Memoised per data version."""
    return memo(store, ("complete-coverage",), lambda: trim_coverage(store, store.coverage()))


def complete_counts(store, place_ids=None, categories=None) -> pd.DataFrame:
    """``store.monthly_counts`` without the months after an older source's own end
    (:func:`source_cuts`): a half month of a file that ended is no month's count."""
    return trim_after_cuts(store.monthly_counts(place_ids, categories), source_cuts(store))


def source_cuts(store) -> dict:
    """``{source: last day of complete data}`` of the crime sources whose data end in the middle of a
    month they cover, before :func:`data_end`.

    A source that ends earlier than the others (a file of earlier years, a category whose data
    stopped, or a second export of the last month that stops before its end) ends where its own
    :func:`complete_until` says (:func:`source_ends`): its extraction date, or, for incidents without
    one, its last incident and its volume. Its months after that are not covered
    (:func:`trim_after_cuts`), so the place's and category's comparisons treat them as missing, like
    for like, instead of counting a half month as whole. The sources that end with :func:`data_end`
    are cut there for every place at once (their last month stays covered, so the comparisons can say
    it was left out). Memoised per data version.
    """
    def build():
        last = _last_months(store)
        if last.empty:
            return {}
        end = data_end(store)
        cuts = {}
        for name, cut in source_ends(store).items():
            if name not in last.index or (pd.Timestamp(last[name]) + pd.offsets.MonthEnd(0)).date() <= cut:
                continue
            if last[name] < last.max() or (end is not None and cut < end):
                cuts[name] = cut
        return cuts
    return memo(store, ("source-cuts",), build)


def trim_after_cuts(coverage: pd.DataFrame, cuts: dict) -> pd.DataFrame:
    """``coverage`` (or monthly counts: any frame with ``source, month``) without each source's months
    that end after its cut.

    Examples
    --------
    >>> cov = pd.DataFrame({"source": ["gammal", "gammal", "ny"],
    ...                     "month": pd.to_datetime(["2022-02-01", "2022-03-01", "2022-03-01"])})
    >>> import datetime as dt
    >>> trim_after_cuts(cov, {"gammal": dt.date(2022, 2, 28)})["source"].tolist()
    ['gammal', 'ny']
    """
    if not cuts or coverage is None or coverage.empty:
        return coverage
    drop = _after_cut(coverage, cuts)
    return coverage[~drop].reset_index(drop=True) if drop.any() else coverage


def trim_coverage(store, coverage: pd.DataFrame) -> pd.DataFrame:
    """``coverage`` without each cut source's months after its cut (:func:`trim_after_cuts`), and
    without the cells of those months that an older source covers for the same place and category.

    The store counts a place × category × month from the most recently ingested source that covers it
    (``Store.monthly_counts``); the older source's counts of a cell the newer one covers are not
    kept. A newer export that ended on 25 August therefore left August with no counts, while the
    older export's coverage still called the month covered: August counted as 0 at the place and
    its year of eleven months was compared with a whole one (−23 % for personrån). The month is now
    missing there, and the comparisons count it like for like. An older source's row for every place
    or every category is kept (it covers cells the cut source does not).
    """
    cuts = source_cuts(store)
    if not cuts or coverage is None or coverage.empty:
        return coverage
    drop = _after_cut(coverage, cuts)
    if not drop.any():
        return coverage
    rank = dict(zip(*(store.sources()[c] for c in ("source", "last_ingest_id")), strict=True))
    gone = coverage[drop].assign(rank=lambda f: f["source"].map(rank))
    rest = coverage[~drop].reset_index(drop=True)
    at = np.flatnonzero(rest["month"].isin(set(gone["month"])).to_numpy())
    hidden = np.zeros(len(rest), bool)
    if len(at):
        cand = rest.iloc[at].assign(row=at, rank=lambda f: f["source"].map(rank))
        for by_place in (True, False):
            for by_cat in (True, False):
                g = gone[(gone["place_id"].notna() == by_place) & (gone["category"].notna() == by_cat)]
                if g.empty:
                    continue
                keys = ["month", *(["place_id"] if by_place else []), *(["category"] if by_cat else [])]
                c = cand[cand["place_id"].notna() & cand["category"].notna()]
                both = c.merge(g[[*keys, "rank"]].rename(columns={"rank": "cut_rank"}), on=keys)
                hidden[both.loc[both["rank"] < both["cut_rank"], "row"].to_numpy()] = True
    return rest[~hidden].reset_index(drop=True) if hidden.any() else rest


def _after_cut(frame: pd.DataFrame, cuts: dict) -> np.ndarray:
    """Which rows of ``frame`` (``source, month``) lie in a month ending after their source's cut."""
    cut = frame["source"].map(cuts)
    ends = (frame["month"] + pd.offsets.MonthEnd(0)).dt.date
    return (cut.notna() & (ends > cut.where(cut.notna(), ends))).to_numpy()
