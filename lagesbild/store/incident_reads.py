"""The incident reads of :class:`~lagesbild.store.store.Store`: the month blocks asked for, decoded
once and kept per data version (:mod:`lagesbild.store.blocks` encodes and decodes them)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from lagesbild.store import blocks
from lagesbild.store import schema as t

BLOCKS_KEPT = 480  # decoded incident blocks kept per process (a block: one source and month)


class IncidentReads:
    """Mixed into :class:`~lagesbild.store.store.Store` (uses its ``engine``, ``_cached`` and
    ``_blocks_lock``)."""

    def incidents(self, category=None, start=None, end=None, bbox=None, *, time_known=False) -> pd.DataFrame:
        """Incidents (``incident_id, occurred_at, category, x, y, source``), optionally filtered.

        ``category`` is an id or a list of ids; ``start``/``end`` inclusive dates; ``bbox`` is
        ``(minx, miny, maxx, maxy)`` in EPSG:3006. Only the blocks of the months asked for are read.
        ``time_known=True`` adds the column ``time_known`` (False: a date without a time of day,
        stored as 00:00; :func:`lagesbild.store.blocks.to_frame`).
        """
        c = t.incident_blocks.c
        q = select(c.block_id, c.ingest_id, c.source).order_by(c.block_id)
        if start is not None:
            q = q.where(c.month >= pd.Timestamp(start).to_period("M").start_time.date())
        if end is not None:
            q = q.where(c.month <= pd.Timestamp(end).date())
        with self.engine.connect() as conn:
            rows = conn.execute(q).fetchall()
        decoded = self._blocks([(r[0], r[1]) for r in rows])
        tables = [blocks.filter_table(decoded[(r[0], r[1])], category=category, start=start, end=end,
                                      bbox=bbox) for r in rows]
        return blocks.to_frame(tables, [r[2] for r in rows], time_known=time_known)

    def _blocks(self, block_ids) -> dict:
        """The decoded blocks (immutable Arrow tables) by ``(block_id, ingest_id)``; the most recently
        read :data:`BLOCKS_KEPT` are kept per data version, so a map's next category or period reads
        no bytes it has read before (the ingest id in the key: a block written again is another)."""
        kept = self._cached("blocks", dict, copy=False)
        with self._blocks_lock:
            missing = [b for b in block_ids if b not in kept]
        read = self._read_blocks(missing)
        with self._blocks_lock:
            out = {b: read[b] if b in read else kept.pop(b, None) for b in block_ids}
        lost = [b for b, table in out.items() if table is None]  # evicted, or written again meanwhile
        if lost:
            again = self._read_blocks(lost, by_id=True)
            out.update({b: again[b[0]] for b in lost if b[0] in again})
        with self._blocks_lock:
            kept.update({b: table for b, table in out.items() if b not in lost})  # most recent last
            while len(kept) > BLOCKS_KEPT:
                kept.pop(next(iter(kept)))
        return out

    def _read_blocks(self, keys, *, by_id: bool = False) -> dict:
        """Decode the blocks of ``(block_id, ingest_id)`` keys (by block id alone with ``by_id``)."""
        c, out = t.incident_blocks.c, {}
        if not keys:
            return out
        with self.engine.connect() as conn:
            for i in range(0, len(keys), 500):
                q = select(c.block_id, c.ingest_id, c.data).where(
                    c.block_id.in_([b for b, _ in keys[i:i + 500]]))
                for bid, ingest, data in conn.execute(q):
                    out[bid if by_id else (bid, ingest)] = blocks.decode(data)
        return out
