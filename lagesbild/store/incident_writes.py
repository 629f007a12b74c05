"""The incident writes of :class:`~lagesbild.store.writer.Writer`: month blocks and monthly counts.

Incidents are stored as blocks per source and month (:mod:`lagesbild.store.blocks`), their counts
per place as rows per year with month columns (:mod:`lagesbild.store.counts`). Replacement rule:
a new file from the same source replaces that source's incidents in every month from the file's
first to its last month (the ingest, :mod:`lagesbild.ingest.incidents`, applies it with these
methods).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import delete, func, insert, select, update

from lagesbild.store import blocks, counts
from lagesbild.store import schema as t


def upsert(months: list[str]) -> str:
    """The clause that adds counts of these month columns to a stored year (new rows: 0 elsewhere).

    SQLite (3.24+) and PostgreSQL (9.5+) spell it the same way.
    """
    return (" ON CONFLICT (place_id, category, year, source) DO UPDATE SET "
            + ", ".join(f"{m} = incident_counts.{m} + excluded.{m}" for m in months))


class IncidentWrites:
    """Mixed into :class:`~lagesbild.store.writer.Writer` (uses its ``conn`` and ``bulk_insert``)."""

    def insert_incidents(self, df: pd.DataFrame, source: str, ingest_id: int) -> int:
        """Store incidents (``incident_id, occurred_at, category, x, y``) as blocks per month."""
        return self.insert_incident_table(blocks.to_arrow(df), source, ingest_id)

    def insert_incident_table(self, table, source: str, ingest_id: int) -> int:
        """Store an Arrow table of incidents (:data:`blocks.SCHEMA`) as one block per month."""
        self.insert_blocks(blocks.month_slices(table), source, ingest_id)
        return table.num_rows

    def insert_blocks(self, slices, source: str, ingest_id: int) -> None:
        """Store ``(month, table)`` pairs as one block each."""
        rows = [{"source": source, "month": month.date(), "rows": part.num_rows,
                 "ingest_id": ingest_id, "format": blocks.FORMAT, "data": blocks.encode(part)}
                for month, part in slices]
        if rows:
            self.conn.execute(insert(t.incident_blocks), rows)

    def incident_stream(self, source: str, ingest_id: int) -> IncidentStream:
        """A writer of incidents that arrive in chunks (see :class:`IncidentStream`)."""
        return IncidentStream(self, source, ingest_id)

    def delete_incident_months(self, source: str, first: dt.date, last: dt.date, *,
                               keep_ingest: int | None = None, with_counts: bool = True) -> int:
        """Delete a source's incidents (and, `with_counts`, monthly counts) from month `first` to `last`.

        Blocks written by ingest `keep_ingest` (the running one) are kept. Returns rows deleted.
        """
        start = dt.date(first.year, first.month, 1)
        c = t.incident_blocks.c
        cond = [c.source == source, c.month >= start, c.month <= last]
        if keep_ingest is not None:
            cond.append(c.ingest_id != keep_ingest)
        removed = self.conn.execute(select(func.coalesce(func.sum(c.rows), 0)).where(*cond)).scalar()
        self.conn.execute(delete(t.incident_blocks).where(*cond))
        if with_counts:
            self.delete_incident_counts(source, pd.period_range(start, last, freq="M").to_timestamp())
        return int(removed or 0)

    def incident_ids(self, source: str):
        """The source's stored incident ids and their months: (Arrow strings, ``datetime64[M]``)."""
        c = t.incident_blocks.c
        q = select(c.month, c.data).where(c.source == source).order_by(c.block_id)
        ids, months = [], []
        for month, data in self.conn.execute(q):
            col = blocks.decode(data)["incident_id"].combine_chunks()
            ids.append(col)
            months.append(np.full(len(col), np.datetime64(pd.Timestamp(month), "M")))
        if not ids:
            return pa.array([], pa.string()), np.array([], "datetime64[M]")
        return pa.concat_arrays(ids), np.concatenate(months)

    def drop_incident_ids(self, source: str, ingest_id: int, ids) -> int:
        """Remove these ids from the blocks written by ingest `ingest_id`. Returns rows removed."""
        c = t.incident_blocks.c
        drop = pa.array(list(ids), pa.string())
        removed = 0
        q = select(c.block_id, c.data).where(c.source == source, c.ingest_id == ingest_id)
        for block_id, data in self.conn.execute(q).fetchall():
            table = blocks.decode(data)
            hit = pc.is_in(table["incident_id"], value_set=drop)
            n = pc.sum(hit).as_py() or 0
            if not n:
                continue
            removed += n
            kept = table.filter(pc.invert(hit))
            self.conn.execute(delete(t.incident_blocks).where(c.block_id == block_id))
            if kept.num_rows:
                self.insert_incident_table(kept, source, ingest_id)
        return removed

    def compact_incident_blocks(self, source: str, ingest_id: int) -> None:
        """Merge the blocks ingest `ingest_id` wrote for the same month into one block each."""
        c = t.incident_blocks.c
        many = (select(c.month).where(c.source == source, c.ingest_id == ingest_id)
                .group_by(c.month).having(func.count() > 1))
        for (month,) in self.conn.execute(many).fetchall():
            cond = (c.source == source, c.ingest_id == ingest_id, c.month == month)
            parts = [blocks.decode(d) for (d,) in self.conn.execute(
                select(c.data).where(*cond).order_by(c.block_id))]
            self.conn.execute(delete(t.incident_blocks).where(*cond))
            self.insert_incident_table(pa.concat_tables(parts), source, ingest_id)

    def add_incident_counts(self, df: pd.DataFrame) -> None:
        """Add monthly incident counts (long: ``source, place_id, category, month, count``).

        Stored per year (:mod:`lagesbild.store.counts`); a count for a month already stored is added
        to it.
        """
        wide = counts.to_wide(df)
        months = [m for m in counts.MONTH_COLUMNS if wide[m].any()]  # the others stay as stored
        if months:
            self.bulk_insert(t.incident_counts, wide[counts.KEY + months], suffix=upsert(months))

    def delete_incident_counts(self, source: str, months) -> None:
        """Set a source's monthly incident counts for these months (first days) to zero."""
        c = t.incident_counts.c
        for year, cols in counts.months_by_year(months).items():
            self.conn.execute(update(t.incident_counts).where(c.source == source, c.year == year)
                              .values(dict.fromkeys(cols, 0)))

    def clear_incident_counts(self) -> None:
        """Delete every derived monthly incident count (before rebuilding them for new places)."""
        self.conn.execute(delete(t.incident_counts))

    def incident_months(self, source: str):
        """First and last month of a source's incidents (dates) or (None, None)."""
        c = t.incident_blocks.c
        lo, hi = self.conn.execute(select(func.min(c.month), func.max(c.month))
                                   .where(c.source == source)).one()
        return (None, None) if lo is None else (pd.Timestamp(lo).date(), pd.Timestamp(hi).date())

    def iter_incidents(self, blocks_per_chunk: int = 16, *, ingest_id: int | None = None):
        """Stored incidents (``incident_id, occurred_at, category, x, y, source``) in chunks.

        Every incident, or those written by ingest `ingest_id`.
        """
        c = t.incident_blocks.c
        last = 0
        while True:
            q = (select(c.block_id, c.source, c.data).where(c.block_id > last)
                 .order_by(c.block_id).limit(blocks_per_chunk))
            if ingest_id is not None:
                q = q.where(c.ingest_id == ingest_id)
            rows = self.conn.execute(q).fetchall()
            if not rows:
                return
            last = int(rows[-1][0])
            yield blocks.to_frame([blocks.decode(r[2]) for r in rows], [r[1] for r in rows])

    def has_incidents(self, source: str | None = None) -> bool:
        """True when the source (None: any source) already has incidents stored."""
        c = t.incident_blocks.c
        q = select(c.block_id)
        if source is not None:
            q = q.where(c.source == source)
        return self.conn.execute(q.limit(1)).first() is not None


class IncidentStream:
    """Writes chunks of incidents as blocks, holding back each chunk's last month.

    A file sorted by time (as exports are) then gets one block per month without rewriting: the
    held month is joined to the next chunk's rows of that month. Unsorted files still may leave
    several blocks for a month (:meth:`IncidentWrites.compact_incident_blocks` merges them).
    """

    def __init__(self, writer: IncidentWrites, source: str, ingest_id: int):
        self.writer, self.source, self.ingest_id = writer, source, ingest_id
        self.held = None  # (month, table)

    def add(self, df: pd.DataFrame) -> int:
        """Write a chunk (``incident_id, occurred_at, category, x, y``); returns its rows."""
        table = blocks.to_arrow(df)
        slices = list(blocks.month_slices(table))
        if self.held is not None:
            month, rows = self.held
            if slices and slices[0][0] == month:
                slices[0] = (month, pa.concat_tables([rows, slices[0][1]]))
            else:
                slices.insert(0, self.held)
        self.held = slices.pop() if slices else None
        self.writer.insert_blocks(slices, self.source, self.ingest_id)
        return table.num_rows

    def close(self) -> None:
        """Write the held month."""
        if self.held is not None:
            self.writer.insert_blocks([self.held], self.source, self.ingest_id)
            self.held = None
