"""Bringing a store written by an earlier version up to :data:`~lagesbild.store.schema.SCHEMA_VERSION`.

Version 1 kept one SQL row per incident in a table ``incidents``; version 2 keeps them in
``incident_blocks`` (see :mod:`lagesbild.store.blocks`), and ``incident_counts`` holds a row per
year with a column per month (:mod:`lagesbild.store.counts`) under a primary key. Opening a
version-1 store copies its incident rows into blocks and its counts into the new table, in one
transaction, and drops the old tables. Nothing else changed between the two. Version 3 adds
``category`` and ``grain`` to ``coverage`` (existing rows: every category, monthly). Later columns
that older rows lack are added where they are missing (``survey.design_effect``,
``activity_places.link_order``) without a new version number.
"""

from __future__ import annotations

import json
import sqlite3
from urllib.parse import quote

import pandas as pd
from sqlalchemy import delete, insert, inspect, select, text

from lagesbild.settings import sqlite_file
from lagesbild.store import counts
from lagesbild.store import schema as t
from lagesbild.store.writer import Writer

COPY_ROWS = 200_000

#: tables another program may keep in a database lagesbild shares (PostGIS's reference table)
SHARED_TABLES = frozenset({"spatial_ref_sys"})


def refuse_foreign(engine, url: str) -> None:
    """Refuse a database that holds tables but none of lagesbild's (another program's SQLite file,
    a mistyped PostgreSQL database) before anything is written into it: opening it, even to read,
    would otherwise switch it to WAL and add lagesbild's tables beside the other program's. An SQLite
    file is looked at read-only, before the engine's first connection sets its pragmas."""
    from lagesbild.store.open_error import foreign_store

    if engine.dialect.name == "sqlite":  # a store in memory is new
        file = sqlite_file(url)
        names = _sqlite_tables(file) if file is not None else set()
    else:
        with engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
    names -= SHARED_TABLES
    if names and not names & (set(t.metadata.tables) | {"incidents"}):  # incidents: version 1
        raise foreign_store(url, sorted(names))


def _sqlite_tables(file) -> set[str]:
    """The tables of an existing SQLite file, read-only; empty for a new or empty file, and for one
    SQLite cannot read (the engine's first connection then says why)."""
    if not file.is_file() or file.stat().st_size == 0:
        return set()
    try:
        con = sqlite3.connect(f"file:{quote(str(file))}?mode=ro", uri=True)
        try:
            return {r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
                "ESCAPE '\\'")}
        finally:
            con.close()
    except sqlite3.Error:
        return set()


def upgrade(engine) -> None:
    """Migrate the store behind `engine` to the current schema, if it is older (idempotent)."""
    with engine.begin() as conn:
        if "incidents" in inspect(conn).get_table_names():
            _incidents_to_blocks(conn)
            _counts_per_year(conn)
        _coverage_columns(conn)
        _survey_design_effect(conn)
        _activity_link_order(conn)
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


def _survey_design_effect(conn) -> None:
    """A weighted survey's design effect (nullable: older rows have none, as a simple random sample)."""
    if "survey" in inspect(conn).get_table_names() and "design_effect" not in {
            c["name"] for c in inspect(conn).get_columns("survey")}:
        conn.execute(text("ALTER TABLE survey ADD COLUMN design_effect FLOAT"))


def _activity_link_order(conn) -> None:
    """The order activity links were read in (``link_order``): old links get the order the store gave
    them so far (SQLite's rowid; PostgreSQL's pages, as its reads returned them)."""
    if "activity_places" not in inspect(conn).get_table_names() or "link_order" in {
            c["name"] for c in inspect(conn).get_columns("activity_places")}:
        return
    conn.execute(text("ALTER TABLE activity_places ADD COLUMN link_order BIGINT"))
    if conn.dialect.name == "postgresql":
        conn.execute(text("UPDATE activity_places AS a SET link_order = n.k FROM (SELECT ctid, "
                          "row_number() OVER () AS k FROM activity_places) AS n WHERE a.ctid = n.ctid"))
    else:
        conn.execute(text("UPDATE activity_places SET link_order = rowid"))


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
