"""Bringing a store written by an earlier version up to :data:`~lagesbild.store.schema.SCHEMA_VERSION`.

Version 1 kept one SQL row per incident in a table ``incidents``; version 2 keeps them in
``incident_blocks`` (see :mod:`lagesbild.store.blocks`), and ``incident_counts`` holds a row per
year with a column per month (:mod:`lagesbild.store.counts`) under a primary key. Opening a
version-1 store copies its incident rows into blocks and its counts into the new table, in one
transaction, and drops the old tables. Nothing else changed between the two. Version 3 adds
``category`` and ``grain`` to ``coverage`` (existing rows: every category, monthly).
"""

from __future__ import annotations

import json

import pandas as pd
from sqlalchemy import delete, insert, inspect, select, text

from lagesbild.store import counts
from lagesbild.store import schema as t
from lagesbild.store.writer import Writer

COPY_ROWS = 200_000


def upgrade(engine) -> None:
    """Migrate the store behind `engine` to the current schema, if it is older (idempotent)."""
    with engine.begin() as conn:
        if "incidents" in inspect(conn).get_table_names():
            _incidents_to_blocks(conn)
            _counts_per_year(conn)
        _coverage_columns(conn)
        version = conn.execute(select(t.meta.c.value).where(t.meta.c.key == "schema_version")).scalar()
        if version != json.dumps(t.SCHEMA_VERSION):
            conn.execute(delete(t.meta).where(t.meta.c.key == "schema_version"))
            conn.execute(insert(t.meta).values(key="schema_version",
                                               value=json.dumps(t.SCHEMA_VERSION)))


def _coverage_columns(conn) -> None:
    """Version 3: coverage per category and grain (old rows: every category, monthly)."""
    have = {c["name"] for c in inspect(conn).get_columns("coverage")}
    if "category" not in have:
        conn.execute(text("ALTER TABLE coverage ADD COLUMN category VARCHAR(120)"))
    if "grain" not in have:
        conn.execute(text("ALTER TABLE coverage ADD COLUMN grain VARCHAR(10) NOT NULL DEFAULT 'month'"))


def _incidents_to_blocks(conn) -> None:
    """Copy version-1 incident rows into blocks per source, ingest and month; drop the old table."""
    last = 0
    while True:
        rows = conn.execute(text(
            "SELECT row_id, source, incident_id, occurred_at, category, x, y, ingest_id "
            "FROM incidents WHERE row_id > :last ORDER BY row_id LIMIT :n"),
            {"last": last, "n": COPY_ROWS}).fetchall()
        if not rows:
            break
        last = int(rows[-1][0])
        df = pd.DataFrame(rows, columns=["row_id", "source", "incident_id", "occurred_at",
                                         "category", "x", "y", "ingest_id"])
        df["occurred_at"] = pd.to_datetime(df["occurred_at"])
        for (source, ingest_id), part in df.groupby(["source", "ingest_id"], sort=False):
            Writer(conn).insert_incidents(part, source, int(ingest_id))
    conn.execute(text("DROP TABLE incidents"))


def _counts_per_year(conn) -> None:
    """Rebuild ``incident_counts`` per year with month columns (version 1 had a row per month)."""
    for index in ("ix_incident_counts", "ix_incident_counts_source"):
        conn.execute(text(f"DROP INDEX IF EXISTS {index}"))
    rows = conn.execute(text("SELECT source, place_id, category, month, count FROM incident_counts"))
    long = pd.DataFrame(rows.fetchall(), columns=counts.LONG)
    conn.execute(text("DROP TABLE incident_counts"))
    t.incident_counts.create(conn)
    wide = counts.to_wide(long)
    if len(wide):
        conn.execute(insert(t.incident_counts), wide.to_dict("records"))
