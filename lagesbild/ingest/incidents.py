"""Ingesting incident-level crime: stream the file, store blocks, count per place, replace months.

The file is read and validated in a background thread up to two chunks ahead
(:class:`~lagesbild.sources.ahead.read_ahead`), the points are counted per place in a second one
(:class:`Counts`); pyarrow, numpy and shapely release the GIL, so reading, counting and writing
overlap. Incidents are written as blocks per month
(:mod:`lagesbild.store.blocks`).

Replacement (README, "Inläsning"): the file replaces the source's incidents in every month from its
first to its last month. An id the source already has in a month outside that span is rejected
("händelse-id finns redan inläst för en annan månad"); only then do the id checks need the stored ids
(:class:`IdClashes`).
"""

from __future__ import annotations

import importlib
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lagesbild.errors import RowError
from lagesbild.ingest.assign import PlaceIndex, sum_counts
from lagesbild.ingest.common import finish, is_fictitious, take_result, valid_rows
from lagesbild.ingest.report import clock_remarks, detected_crs, table_remarks, untimed_remark
from lagesbild.ingest.shapeless import shaped
from lagesbild.sources.ahead import read_ahead
from lagesbild.sources.completeness import complete_from
from lagesbild.sources.months import MONTH_ABBR, MONTH_FULL, MONTH_IN_DATES
from lagesbild.store import blocks

ID_CLASH = "händelse-id finns redan inläst för en annan månad"
#: A month inside an incident file's span without a single row is a gap in the export, not a month
#: without crime, when the file's months hold at least this many rows (median): a Poisson count with
#: that mean is 0 with probability e⁻²⁰ ≈ 2·10⁻⁹ (more crime varies more, but not down to nothing).
#: Such a month is left uncovered (missing: never compared, never counted as zero) and the ingest
#: report says so; in a sparser file an empty month is kept as a month without crime.
GAP_MIN_MEDIAN = 20
GAP_REMARK = ("{months} har inga rader i filen, fast filen har i median {median} brott per månad: "
              "{it} räknas som saknad (inte som noll brott) och jämförs inte")


def start_reading(path, *, crs=None, display_name=None, mapping=None, date_format=None,
                  **_) -> read_ahead:
    """Start reading and checking the file in a background thread (up to two chunks ahead, so that
    a slow write of one chunk does not stall the reading).

    The ingest driver calls this before it computes the file's checksum, so both overlap.
    """
    reader = importlib.import_module("lagesbild.sources.incidents")
    return read_ahead(reader.iter_incidents(path, crs=crs, file_name=display_name, mapping=mapping,
                                            date_format=date_format),
                      name="lagesbild-ingest-read", depth=2)


#: the summary's sentence when the reader found the first coordinate column to hold the northing (as
#: Swedish survey notation writes X = north; GIS tools write x = east): which way it read them is said
SWAPPED_AXES = ("Den första koordinatkolumnen lästes som nordkoordinat och den andra som östkoordinat "
                "(svensk kartnotation, X = norr), eftersom bara så hamnar punkterna i Sverige; "
                "kontrollera gärna några händelser på kartan.")


def ingest_incidents(store, w, path, source, report, *, crs, display_name, fictitious, progress,
                     mapping=None, started=None, date_format=None, **_):
    """Incidents, streamed in chunks (see the module docstring)."""
    chunks = started or start_reading(path, crs=crs, display_name=display_name, mapping=mapping,
                                      date_format=date_format)
    places = w.read_places()  # while the first chunk is read
    had_rows = w.has_incidents(source)
    clashes = IdClashes(w.incident_ids(source)) if had_rows else None
    accepted, span, untimed, meta = 0, MonthSpan(), 0, {}  # meta: the reader's running counts
    bar = _progress(progress, display_name)
    counts = Counts(places, source)
    out = w.incident_stream(source, report.ingest_id)
    pairs: set = set()  # (place, category) with incidents in the file: what the file covers

    def add_counts(part):
        pairs.update(zip(part["place_id"], part["category"], strict=True))
        w.add_incident_counts(part)

    try:
        for res in chunks:
            take_result(report, res)
            meta = res.meta
            report.generated_ids = max(report.generated_ids, int(res.meta.get("generated_ids") or 0))
            if res.meta.get("swapped_axes") and SWAPPED_AXES not in report.remarks:
                report.remarks.append(SWAPPED_AXES)
            said = detected_crs(res.meta)
            if said and said not in report.remarks:
                report.remarks.append(said)
            untimed = int(res.meta.get("untimed") or 0)  # running count too
            df = valid_rows(res.table, res.errors)
            if len(df):
                new_months = span.add(df["occurred_at"])
                if had_rows:  # the source's old counts of a month go before this file's first
                    w.delete_incident_counts(source, new_months)
                if clashes is not None:
                    clashes.add(df, span)
                accepted += out.add(df)
                for part in counts.add(df):
                    add_counts(part)
            if bar is not None:
                bar.update(len(res.table))
        out.close()
        for part in counts.finish():
            add_counts(part)
    finally:
        chunks.close()
        counts.close()
        if bar is not None:
            bar.close()
    report.remarks += clock_remarks(meta)
    if untimed:
        report.remarks.append(untimed_remark(untimed, accepted))
    report.remarks.extend(table_remarks(meta))
    if span.first is not None:
        report.replaced += w.delete_incident_months(source, span.first, span.last,
                                                    keep_ingest=report.ingest_id, with_counts=False)
        w.delete_incident_counts(source, span.unseen())
        if clashes is not None:
            accepted -= _reject_clashes(w, clashes, span, source, report, display_name)
            if clashes.rejected:
                w.delete_incident_counts(source, span.months())
                pairs.clear()
                recounted, counts.outside = _recount(w, places, source, report.ingest_id)
                add_counts(recounted)
        w.compact_incident_blocks(source, report.ingest_id)
        gaps, median = span.gaps()
        if gaps:
            report.remarks.append(gap_remark(gaps, median))
        partial = span.partial_start()
        if partial is not None:  # a part month is never compared with a whole one: left out
            w.delete_incident_counts(source, [partial])
            report.remarks.append(partial_start_remark(span.first_time, partial))
        w.delete_coverage(source, span.first, span.last)
        w.add_coverage_grid(source, *coverage_axes(pairs), span.covered(),
                            replace=False)  # the span's cells were forgotten just above
    if counts.pool is not None and len(shaped(places)):
        report.outside_places = counts.outside
    elif accepted:  # nothing to count them in: say so, or the dashboard stays empty without a word
        report.remarks.append(NO_PLACES)
    # a "FIKTIVA SIFFROR" title row above the header marks the source as a "# FIKTIVA" note does
    w.upsert_source(source, kind="incidents", ingest_id=report.ingest_id,
                    fictitious=is_fictitious([*report.notes, *meta.get("title_lines", [])], fictitious),
                    notes="\n".join(report.notes))
    finish(report, accepted)


NO_PLACES = ("Databasen har inga platser med gräns ännu: händelserna är sparade men räknas inte för någon "
             "plats förrän en platsfil läses in (på sidan Data eller med lagesbild ingest places …); då "
             "räknas de om.")


def coverage_axes(pairs) -> tuple[list, list]:
    """What an incident file covers, as the places and categories whose every combination it covers
    (over every month of its span but its gaps, :meth:`MonthSpan.gaps`): every place it has incidents in
    and every category it has incidents of. A place with none of a category the file reports has
    zero of it; places and categories the file does not mention are left as they were.

    Examples
    --------
    >>> coverage_axes({("torg", "ran"), ("sdo", "narkotika")})
    (['sdo', 'torg'], ['narkotika', 'ran'])
    """
    return sorted({p for p, _ in pairs}), sorted({c for _, c in pairs})


def month_counts(when: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The months (``datetime64[M]``) with times in `when`, in order, and the times in each.

    One ``bincount`` over the span of months (a chunk of a file spans few months; sorting the
    chunk's times, as ``np.unique`` does, costs ten times as much).

    Examples
    --------
    >>> m, n = month_counts(pd.Series(pd.to_datetime(["2020-03-02", "2020-01-31", "2020-03-09"])))
    >>> [str(v) for v in m], n.tolist()
    (['2020-01', '2020-03'], [1, 2])
    """
    months = when.to_numpy(dtype="datetime64[ns]").astype("datetime64[M]")
    codes = months[~np.isnat(months)].astype(np.int64)  # a missing time has no month
    if not codes.size:
        return np.array([], dtype="datetime64[M]"), np.array([], dtype=np.int64)
    lo = codes.min()
    n = np.bincount(codes - lo)
    at = np.flatnonzero(n)
    return (at + lo).astype("datetime64[M]"), n[at]


class MonthSpan:
    """First and last month (``datetime64[M]``) of the rows seen so far, and the months seen."""

    def __init__(self):
        self.lo = self.hi = None
        self.seen: set = set()
        self.rows: dict = {}  # month (first day) -> rows of the file in it
        self.first_time = None  # the earliest time seen

    def add(self, when: pd.Series) -> list:
        """Take in a chunk's times; return the months not seen before (first days)."""
        months, n = month_counts(when)
        earliest = when.min()
        if not pd.isna(earliest) and (self.first_time is None or earliest < self.first_time):
            self.first_time = earliest
        self.lo = months[0] if self.lo is None else min(self.lo, months[0])
        self.hi = months[-1] if self.hi is None else max(self.hi, months[-1])
        for m, k in zip(months.tolist(), n.tolist(), strict=True):
            self.rows[m] = self.rows.get(m, 0) + k
        new = [m for m in months.tolist() if m not in self.seen]
        self.seen.update(new)
        return new

    @property
    def first(self):
        """First day of the first month (a date), or None."""
        return None if self.lo is None else pd.Timestamp(self.lo).date()

    @property
    def last(self):
        """First day of the last month (a date), or None."""
        return None if self.hi is None else pd.Timestamp(self.hi).date()

    def contains(self, months: np.ndarray) -> np.ndarray:
        return (months >= self.lo) & (months <= self.hi)

    def months(self) -> list:
        """Every month from the first to the last (first days)."""
        return [m.date() for m in pd.period_range(self.first, self.last, freq="M").to_timestamp()]

    def unseen(self) -> list:
        """Months inside the span without rows in the file."""
        return [m for m in self.months() if m not in self.seen]

    def partial_start(self):
        """The first month (first day, a date) when the file began inside it
        (:func:`lagesbild.sources.completeness.complete_from`, with the file's rows per day), else None."""
        if self.first_time is None or not self.rows:
            return None
        rate = float(np.median(list(self.rows.values()))) / 30.4
        start = complete_from(self.first_time, rate)
        return self.first if start is not None and start > self.first else None

    def covered(self) -> list:
        """The months the file covers: every month of its span but its gaps and a month it began
        inside (:meth:`partial_start`)."""
        gaps, _ = self.gaps()
        partial = self.partial_start()
        return [m for m in self.months() if m not in gaps and m != partial]

    def gaps(self) -> tuple[list, int]:
        """The months inside the span that are gaps in the file (:data:`GAP_MIN_MEDIAN`), and the
        median rows per month with rows."""
        unseen = self.unseen()
        median = int(np.median(list(self.rows.values()))) if self.rows else 0
        return (unseen if unseen and median >= GAP_MIN_MEDIAN else []), median


def partial_start_remark(first_time, month) -> str:
    """The ingest report's remark on a file that began inside its first month.

    Examples
    --------
    >>> import datetime
    >>> partial_start_remark(pd.Timestamp("2021-09-16 08:00"), datetime.date(2021, 9, 1))
    'Filen börjar 16 sep 2021, inne i september 2021: den månaden räknas inte (en del av den saknas), så den jämförs aldrig som en hel månad.'
    """
    day = pd.Timestamp(first_time)
    start = f"{day.day} {MONTH_IN_DATES[day.month - 1]} {day.year}"
    return (f"Filen börjar {start}, inne i {MONTH_FULL[month.month - 1]} {month.year}: den "
            "månaden räknas inte (en del av den saknas), så den jämförs aldrig som en hel månad.")


def gap_remark(gaps: list, median: int) -> str:
    """The ingest report's remark on months missing from a file.

    Examples
    --------
    >>> import datetime
    >>> gap_remark([datetime.date(2022, 11, 1)], 340)[:60]
    'nov 2022 har inga rader i filen, fast filen har i median 340'
    """
    names = [f"{MONTH_ABBR[m.month - 1]} {m.year}" for m in gaps]
    months = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]
    return GAP_REMARK.format(months=months, median=f"{median:,}".replace(",", "\u00a0"),
                             it="månaden" if len(gaps) == 1 else "månaderna")


class IdClashes:
    """Ids of the file that the source already has, in months the file may not replace.

    Keeps, per matching row, its line and the stored row's month (16 bytes), and forgets matches
    whose stored month already lies inside the file's span (which only grows); what is left at the
    end is an id stored for another month.
    """

    def __init__(self, stored: tuple[pa.Array, np.ndarray]):
        self.ids, self.months = stored
        self.lines = np.zeros(0, dtype=np.int64)
        self.where = np.zeros(0, dtype=np.int64)
        self.rejected: list[str] = []

    def add(self, df: pd.DataFrame, span: MonthSpan) -> None:
        ids = blocks.arrow_strings(df["incident_id"])
        found = pc.index_in(ids, value_set=self.ids).to_numpy(zero_copy_only=False)
        hit = ~np.isnan(found)
        where = found[hit].astype(np.int64)
        self.lines = np.concatenate([self.lines, df["line"].to_numpy()[hit]])
        self.where = np.concatenate([self.where, where])
        self._forget(span)

    def _forget(self, span: MonthSpan) -> None:
        inside = span.contains(self.months[self.where])
        self.lines, self.where = self.lines[~inside], self.where[~inside]

    def outside(self, span: MonthSpan) -> list[tuple[int, str]]:
        """(line, id) of every id stored for a month outside the final span."""
        self._forget(span)
        values = self.ids.take(pa.array(self.where)).to_pylist() if len(self.where) else []
        return sorted(zip(self.lines.tolist(), values, strict=False))


def _reject_clashes(w, clashes: IdClashes, span: MonthSpan, source, report, name) -> int:
    bad = clashes.outside(span)
    for line, value in bad:
        report.errors.append(RowError(name, int(line), "id", value, ID_CLASH))
    clashes.rejected = [value for _, value in bad]
    return w.drop_incident_ids(source, report.ingest_id, clashes.rejected) if bad else 0


def _recount(w, places, source, ingest_id) -> tuple[pd.DataFrame, int]:
    """Monthly counts of the incidents this ingest stored (after rows were taken out again), and the
    number of them in no place."""
    if places.empty:
        return sum_counts([]), 0
    index = PlaceIndex(places)
    parts = [index.counts_and_outside(df, source) for df in w.iter_incidents(ingest_id=ingest_id)]
    return sum_counts([p for p, _ in parts]), sum(n for _, n in parts)


class Counts:
    """Monthly counts per place of the inserted chunks, computed in a background thread.

    The thread first builds the place index, then counts each chunk; the point-in-polygon tests
    (shapely) and numpy release the GIL, so counting overlaps reading and writing. :meth:`add`
    hands back the counts that are ready (in chunk order), for the caller to store while the file is
    still being read; :meth:`finish` the rest. ``outside`` counts the rows in no place.
    """

    def __init__(self, places: pd.DataFrame, source: str):
        self.source = source
        self.pool = None if places.empty else ThreadPoolExecutor(
            1, thread_name_prefix="lagesbild-ingest-count")
        self.index = None if self.pool is None else self.pool.submit(PlaceIndex, places)
        self.pending: list = []
        self.outside = 0

    def _count(self, df: pd.DataFrame) -> pd.DataFrame:
        part, outside = self.index.result().counts_and_outside(df, self.source, categorical=True)
        self.outside += outside  # one worker thread: no race
        return part

    def add(self, df: pd.DataFrame) -> list[pd.DataFrame]:
        if self.pool is None:
            return []
        self.pending.append(self.pool.submit(self._count, df))
        ready = []
        while len(self.pending) > 2 or (self.pending and self.pending[0].done()):
            ready.append(self.pending.pop(0).result())
        return ready

    def finish(self) -> list[pd.DataFrame]:
        ready = [f.result() for f in self.pending]
        self.pending = []
        return ready

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _progress(enabled, name):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(desc=f"Läser {name}", unit=" rader", unit_scale=True, leave=False)

