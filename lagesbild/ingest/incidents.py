"""Ingesting incident-level crime: stream the file, store blocks, count per place, replace months.

The file is read and validated in a background thread one chunk ahead (:func:`prefetch`), the points
are counted per place in a second one (:class:`Counts`); pyarrow, numpy and shapely release the GIL,
so reading, counting and writing overlap. Incidents are written as blocks per month
(:mod:`lagesbild.store.blocks`).

Replacement (README, "Inläsning"): the file replaces the source's incidents in every month from its
first to its last month. An id the source already has in a month outside that span is rejected
("händelse-id finns redan inläst för en annan månad"); only then do the id checks need the stored ids
(:class:`IdClashes`).
"""

from __future__ import annotations

import importlib
import queue
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lagesbild.errors import RowError
from lagesbild.ingest.assign import PlaceIndex, sum_counts
from lagesbild.ingest.common import finish, is_fictitious, take_result, valid_rows

COUNT_ROWS_HELD = 1_000_000  # monthly count rows held before they are summed (bounds memory)
ID_CLASH = "händelse-id finns redan inläst för en annan månad"


def ingest_incidents(store, w, path, source, report, *, crs, display_name, fictitious, progress,
                     mapping=None, **_):
    """Incidents, streamed in chunks (see the module docstring)."""
    places = w.read_places()
    clashes = IdClashes(w.incident_ids(source)) if w.has_incidents(source) else None
    accepted, span = 0, _Span()
    bar = _progress(progress, display_name)
    counts = Counts(PlaceIndex(places) if len(places) else None, source)
    reader = importlib.import_module("lagesbild.sources.incidents")
    try:
        for res in prefetch(reader.iter_incidents(path, crs=crs, file_name=display_name,
                                                  mapping=mapping)):
            take_result(report, res)
            df = valid_rows(res.table, res.errors)
            if len(df):
                span.add(df["occurred_at"])
                if clashes is not None:
                    clashes.add(df, span)
                accepted += w.insert_incidents(df, source, report.ingest_id)
                counts.add(df)
            if bar is not None:
                bar.update(len(res.table))
        total = counts.total()
    finally:
        counts.close()
        if bar is not None:
            bar.close()
    if span.first is not None:
        report.replaced += w.delete_incident_months(source, span.first, span.last,
                                                    keep_ingest=report.ingest_id)
        if clashes is not None:
            accepted -= _reject_clashes(w, clashes, span, source, report, display_name)
            if clashes.rejected:
                total = _recount(w, places, source, report.ingest_id)
        w.compact_incident_blocks(source, report.ingest_id)
        w.set_coverage(source, span.months())
    if not total.empty:
        w.add_incident_counts(total)
    w.upsert_source(source, kind="incidents", ingest_id=report.ingest_id,
                    fictitious=is_fictitious(report.notes, fictitious), notes="\n".join(report.notes))
    finish(report, accepted)


class _Span:
    """First and last month (``datetime64[M]``) of the rows seen so far."""

    def __init__(self):
        self.lo = self.hi = None

    def add(self, when: pd.Series) -> None:
        months = when.to_numpy().astype("datetime64[M]")
        lo, hi = months.min(), months.max()
        self.lo = lo if self.lo is None else min(self.lo, lo)
        self.hi = hi if self.hi is None else max(self.hi, hi)

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
        return list(pd.period_range(pd.Timestamp(self.lo), pd.Timestamp(self.hi),
                                    freq="M").to_timestamp())


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

    def add(self, df: pd.DataFrame, span: _Span) -> None:
        ids = pa.array(np.asarray(df["incident_id"], dtype=object), pa.string())
        found = pc.index_in(ids, value_set=self.ids).to_numpy(zero_copy_only=False)
        hit = ~np.isnan(found)
        where = found[hit].astype(np.int64)
        self.lines = np.concatenate([self.lines, df["line"].to_numpy()[hit]])
        self.where = np.concatenate([self.where, where])
        self._forget(span)

    def _forget(self, span: _Span) -> None:
        inside = span.contains(self.months[self.where])
        self.lines, self.where = self.lines[~inside], self.where[~inside]

    def outside(self, span: _Span) -> list[tuple[int, str]]:
        """(line, id) of every id stored for a month outside the final span."""
        self._forget(span)
        values = self.ids.take(pa.array(self.where)).to_pylist() if len(self.where) else []
        return sorted(zip(self.lines.tolist(), values))


def _reject_clashes(w, clashes: IdClashes, span: _Span, source, report, name) -> int:
    bad = clashes.outside(span)
    for line, value in bad:
        report.errors.append(RowError(name, int(line), "id", value, ID_CLASH))
    clashes.rejected = [value for _, value in bad]
    return w.drop_incident_ids(source, report.ingest_id, clashes.rejected) if bad else 0


def _recount(w, places, source, ingest_id) -> pd.DataFrame:
    """Monthly counts of the incidents this ingest stored (after rows were taken out again)."""
    if places.empty:
        return sum_counts([])
    index = PlaceIndex(places)
    parts = [index.monthly_counts(df, source) for df in w.iter_incidents(ingest_id=ingest_id)]
    return sum_counts(parts)


class Counts:
    """Monthly counts per place of the inserted chunks, computed in a background thread.

    The point-in-polygon tests (shapely) and numpy release the GIL, so counting overlaps the
    inserts. Results are summed when more than :data:`COUNT_ROWS_HELD` rows are held.
    """

    def __init__(self, index: PlaceIndex | None, source: str):
        self.index, self.source = index, source
        self.pool = None if index is None else ThreadPoolExecutor(
            1, thread_name_prefix="lagesbild-ingest-count")
        self.pending: list = []
        self.parts: list = []

    def add(self, df: pd.DataFrame) -> None:
        if self.pool is None:
            return
        self.pending.append(self.pool.submit(self.index.monthly_counts, df, self.source))
        while len(self.pending) > 2 or (self.pending and self.pending[0].done()):
            self.parts.append(self.pending.pop(0).result())
        if sum(map(len, self.parts)) > COUNT_ROWS_HELD:
            self.parts = [sum_counts(self.parts)]

    def total(self) -> pd.DataFrame:
        self.parts += [f.result() for f in self.pending]
        self.pending = []
        return sum_counts(self.parts)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def prefetch(results):
    """Iterate `results` in a background thread, one item ahead of the caller.

    Reading and validating the next chunk of a file (pyarrow and numpy, which release the GIL)
    then overlaps writing the current one. Items come in the same order; an exception raised by the
    iterator is raised here. Memory: at most two items beyond the caller's.

    Examples
    --------
    >>> list(prefetch(iter([1, 2, 3])))
    [1, 2, 3]
    """
    items: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()
    done = object()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                items.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work():
        try:
            for item in results:
                if not put((item, None)):
                    return
            put((done, None))
        except BaseException as exc:  # handed to the caller's thread
            put((None, exc))

    thread = threading.Thread(target=work, name="lagesbild-ingest-read", daemon=True)
    thread.start()
    try:
        while True:
            item, exc = items.get()
            if exc is not None:
                raise exc
            if item is done:
                return
            yield item
    finally:
        stop.set()
        thread.join()


def _progress(enabled, name):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(desc=f"Läser {name}", unit=" rader", unit_scale=True, leave=False)
