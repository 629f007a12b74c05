"""Whether the rows an earlier ingest wrote are still what the store holds: the ingest's "already
read" check (:func:`lagesbild.ingest.run.ingest_file`).

A file whose checksum was read in before is "already read" only while nothing has replaced its rows
since. A corrected file B (the same source and months) replaces the rows of file A; reading A again
must then put A's numbers back, not be refused. Two questions decide it, both asked of the database:

* did a later successful ingest of the same kind replace any rows at all (``rows_replaced``)? If not,
  nothing of the earlier ingest can have been replaced;
* otherwise, for the kinds whose rows carry their ingest's id (aggregated counts, incident blocks,
  survey rows, events), does the store still hold as many rows of the earlier ingest as it accepted?
  The rows of another ingest may have been the ones replaced. Places and activities are replaced by
  id and also written by other kinds (the built-in districts): any later replacement counts.

Examples
--------
>>> from lagesbild.store import Store
>>> s = Store("sqlite://")
>>> with s.transaction() as w:
...     i = w.start_ingest("crimes", "a.csv", "x", "polisen")
...     w.finish_ingest(i, accepted=0, rejected=0, replaced=0, status="ok", message="")
>>> rows_intact(s, s.find_ingest("x", "crimes"))
True
"""

from __future__ import annotations

from sqlalchemy import func, select

from lagesbild.store import schema as t

#: kind -> the number of rows an ingest of that kind still has in the store
ROWS_OF_KIND = {
    "crimes": (t.crime_counts, func.count()),
    "incidents": (t.incident_blocks, func.coalesce(func.sum(t.incident_blocks.c.rows), 0)),
    "survey": (t.survey, func.count()),
    "events": (t.events, func.count()),
}


def rows_intact(store, ingest: dict, conn=None) -> bool:
    """Whether the rows ``ingest`` (a row of the ingest log, :meth:`Store.find_ingest`) wrote are all
    still stored, none replaced by a later ingest. ``conn``: ask on that connection (an ingest's own,
    after it took the write lock) instead of a new one."""
    if conn is None:
        with store.engine.connect() as own:
            return rows_intact(store, ingest, own)
    log = t.ingest_log.c
    kind, ingest_id = ingest["kind"], int(ingest["ingest_id"])
    replacing = conn.execute(select(func.count()).where(
        log.kind == kind, log.status == "ok", log.ingest_id > ingest_id, log.rows_replaced > 0)).scalar()
    if not replacing:
        return True
    if kind not in ROWS_OF_KIND:
        return False
    table, measure = ROWS_OF_KIND[kind]
    left = conn.execute(select(measure).where(table.c.ingest_id == ingest_id)).scalar()
    return int(left or 0) == int(ingest["rows_accepted"] or 0)


def find_ingest(conn, sha256: str, kind: str) -> dict | None:
    """The last successful ingest of a file with this checksum and kind, or None, read on ``conn``."""
    q = (select(t.ingest_log).where(t.ingest_log.c.sha256 == sha256, t.ingest_log.c.kind == kind,
                                    t.ingest_log.c.status == "ok")
         .order_by(t.ingest_log.c.ingest_id.desc()).limit(1))
    row = conn.execute(q).mappings().first()
    return dict(row) if row else None
