"""When each month of data arrived, and the meeting date each user last looked back to.

The store keeps one version of every month (a re-read file replaces its months), each row with the
ingest that wrote it; the ingest log says when that ingest finished. :func:`month_arrivals` joins the
two: per source and month (incident blocks and monthly counts) and per longer period (yearly or
quarterly counts), the ingest that wrote what is stored now and when it finished.

Examples
--------
>>> from lagesbild.store import Store
>>> s = Store("sqlite://")
>>> month_arrivals(s).columns.tolist()
['source', 'start', 'end', 'kind', 'categories', 'ingest_id', 'finished_at']
>>> remember_meeting_date(s, "anna", "2026-11-12")
>>> remembered_meeting_date(s, "anna"), remembered_meeting_date(s, "bo")
(datetime.date(2026, 11, 12), None)
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from lagesbild.store import schema as t
from lagesbild.store.notes import beside_ingests

COLUMNS = ["source", "start", "end", "kind", "categories", "ingest_id", "finished_at"]


def month_arrivals(store) -> pd.DataFrame:
    """Per source and stored period: ``source, start, end`` (dates), ``kind`` (``incidents`` or
    ``counts``), ``categories`` (sorted ids of the counts; empty for incidents), ``ingest_id`` (the
    latest ingest that wrote rows of it) and ``finished_at`` (when that ingest finished)."""
    b, c, log = t.incident_blocks.c, t.crime_counts.c, t.ingest_log.c
    with store.engine.connect() as conn:
        blocks = conn.execute(select(b.source, b.month, func.max(b.ingest_id))
                              .group_by(b.source, b.month)).all()
        counts = conn.execute(select(c.source, c.period_start, c.period_end, c.category,
                                     func.max(c.ingest_id))
                              .group_by(c.source, c.period_start, c.period_end, c.category)).all()
        done = dict(conn.execute(select(log.ingest_id, log.finished_at)).all())
    rows = []
    for source, month, ingest in blocks:
        month = _date(month)
        end = (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()
        rows.append((source, month, end, "incidents", (), int(ingest)))
    grouped: dict = {}
    for source, start, end, category, ingest in counts:
        key = (source, _date(start), _date(end))
        cats, latest = grouped.get(key, (set(), 0))
        grouped[key] = (cats | {category}, max(latest, int(ingest)))
    for (source, start, end), (cats, ingest) in grouped.items():
        rows.append((source, start, end, "counts", tuple(sorted(cats)), ingest))
    out = pd.DataFrame(rows, columns=COLUMNS[:-1])
    out["finished_at"] = pd.to_datetime(pd.Series([done.get(i) for i in out["ingest_id"]], dtype=object))
    return out.sort_values(["source", "start", "end"]).reset_index(drop=True)


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def remember_meeting_date(store, username: str, day) -> None:
    """Keep ``day`` as the user's last meeting date (replacing the one kept before)."""
    day = _date(day)
    with beside_ingests(store) as conn:  # not behind a running ingest (store/notes.py)
        if conn.dialect.name == "postgresql":  # two requests of one user at once: one row, no error
            upsert = pg_insert(t.user_meeting_dates).values(username=username, meeting_date=day)
            conn.execute(upsert.on_conflict_do_update(index_elements=["username"],
                                                      set_={"meeting_date": upsert.excluded.meeting_date}))
            return
        conn.execute(delete(t.user_meeting_dates).where(t.user_meeting_dates.c.username == username))
        conn.execute(insert(t.user_meeting_dates).values(username=username, meeting_date=day))


def remembered_meeting_date(store, username: str):
    """The user's kept meeting date (a date), or None."""
    q = select(t.user_meeting_dates.c.meeting_date).where(t.user_meeting_dates.c.username == username)
    with store.engine.connect() as conn:
        day = conn.execute(q).scalar()
    return None if day is None else _date(day)
