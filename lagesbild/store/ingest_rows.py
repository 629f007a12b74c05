"""The rows an ingest wrote, found by the ingest id they carry: what an earlier read of a file wrote is
taken out when the same file is read in again with a corrected mapping
(:func:`lagesbild.ingest.rereads.replace_earlier_reads`).

Aggregated counts (``crime_counts``) and survey rows carry their ingest's id, so "what that read wrote"
is exactly the rows with its id that are still stored (rows a later file replaced are gone already).
Coverage rows carry no ingest id: the cells the removed counts covered (source, place, category, grain,
month) are forgotten with them, and the new read records its own.

Examples
--------
>>> from lagesbild.store import Store
>>> s = Store("sqlite://")
>>> with s.transaction() as w:
...     len(crime_rows_of(w.conn, [1])), drop_ingest_rows(w.conn, [1])
(0, 0)
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import delete, select

from lagesbild.store import schema as t

#: the tables whose rows a re-read with another mapping replaces by ingest id
TABLES_BY_INGEST = (t.crime_counts, t.survey)

_CHUNK = 500


def same_file_reads(conn, file_digest: str, kind: str, digest: str) -> pd.DataFrame:
    """The successful ingests (``ingest_id, source``) of the same file and kind with another mapping
    (or none) than this one's checksum ``digest`` says, newest first, read on ``conn``
    (:mod:`lagesbild.ingest.rereads`: the log's checksum begins with the file's first 32 hex digits)."""
    log = t.ingest_log.c
    rows = conn.execute(select(log.ingest_id, log.source, log.sha256).where(
        log.kind == kind, log.status == "ok", log.sha256 != digest,
        log.sha256.like(file_digest[:32] + "%")).order_by(log.ingest_id.desc())).fetchall()
    df = pd.DataFrame(rows, columns=["ingest_id", "source", "sha256"])
    return df[df["sha256"].astype(str).str[:32] == file_digest[:32]]


def crime_rows_of(conn, ingest_ids) -> pd.DataFrame:
    """The aggregated counts the ingests ``ingest_ids`` wrote that are still stored:
    ``source, place_id, category, period_start, period_end, count`` (Timestamps)."""
    c = t.crime_counts.c
    cols = ["source", "place_id", "category", "period_start", "period_end", "count"]
    ids = [int(i) for i in ingest_ids]
    rows = []
    for i in range(0, len(ids), _CHUNK):
        rows += conn.execute(select(c.source, c.place_id, c.category, c.period_start, c.period_end,
                                    c.count).where(c.ingest_id.in_(ids[i:i + _CHUNK]))).fetchall()
    df = pd.DataFrame(rows, columns=cols)
    for col in ("period_start", "period_end"):
        df[col] = pd.to_datetime(df[col])
    return df


def drop_ingest_rows(conn, ingest_ids) -> int:
    """Delete the aggregated counts and survey rows the ingests ``ingest_ids`` wrote; the rows
    removed."""
    ids = [int(i) for i in ingest_ids]
    gone = 0
    for table in TABLES_BY_INGEST:
        for i in range(0, len(ids), _CHUNK):
            gone += conn.execute(delete(table).where(table.c.ingest_id.in_(ids[i:i + _CHUNK]))).rowcount or 0
    return gone


def forget_coverage_cells(conn, cells: pd.DataFrame) -> None:
    """Forget coverage cells ``source, place_id, category, month, grain`` (months as first days)."""
    if cells.empty:
        return
    c = t.coverage.c
    for (source, pid, cat, grain), grp in cells.groupby(["source", "place_id", "category", "grain"],
                                                          dropna=False):
        months = sorted({pd.Timestamp(m).date() for m in grp["month"]})
        place_cond = c.place_id.is_(None) if pd.isna(pid) else c.place_id == pid
        cat_cond = c.category.is_(None) if pd.isna(cat) else c.category == cat
        for i in range(0, len(months), _CHUNK):
            conn.execute(delete(t.coverage).where(c.source == source, place_cond, cat_cond,
                                                  c.grain == grain, c.month.in_(months[i:i + _CHUNK])))
