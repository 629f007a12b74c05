"""The store's tables, in SQLAlchemy Core.

Only portable types are used (no SQLite- or PostgreSQL-only features): geometries are kept as WKT text
in both EPSG:3006 (for metric computation) and EPSG:4326 (for display), so the same code runs on an
SQLite file and on a PostgreSQL URL.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from lagesbild.store.counts import MONTH_COLUMNS

metadata = MetaData()

SCHEMA_VERSION = "3"  # 2: incident blocks, counts per year; 3: coverage per category and grain
# (lagesbild/store/migrate.py)

ID = 120  # length of identifiers (place ids, category ids, source names)

meta = Table(
    "meta", metadata,
    Column("key", String(ID), primary_key=True),
    Column("value", Text, nullable=False),
)

# One row per ingest. ``sha256`` is the checksum an ingest is found again by (the "already read" check):
# the file's SHA-256 for an ingest without a mapping, and with a mapping (``--mapping``, a saved
# mapping of the Data page) a composite of the same length: the file's first 32 hex digits followed by
# 32 of a SHA-256 of the file's digest and what the mapping says
# (:func:`lagesbild.ingest.rereads.ingest_checksum`). So it is not always the file's checksum; its first
# 32 digits always name the file. The column keeps its name: older stores, backups and readers of the
# log (status, "Sedan sist") use it, and a rename would need a migration for no change in meaning to
# them.
ingest_log = Table(
    "ingest_log", metadata,
    Column("ingest_id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("source", String(ID), nullable=False),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime, nullable=False),
    Column("rows_accepted", Integer, nullable=False),
    Column("rows_rejected", Integer, nullable=False),
    Column("rows_replaced", Integer, nullable=False, default=0),
    Column("status", String(20), nullable=False),
    Column("message", Text, nullable=False, default=""),
)

sources = Table(
    "sources", metadata,
    Column("source", String(ID), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("fictitious", Boolean, nullable=False, default=False),
    Column("attribution", Text, nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
    Column("last_ingest_id", Integer, nullable=False),
    Column("extracted_at", Date, nullable=True),
)

places = Table(
    "places", metadata,
    Column("place_id", String(ID), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(30), nullable=False),
    Column("district_id", String(ID), nullable=True),
    Column("population", Integer, nullable=True),
    Column("approximate", Boolean, nullable=False, default=False),
    Column("source", Text, nullable=False, default=""),
    Column("wkt_3006", Text, nullable=False),
    Column("wkt_4326", Text, nullable=False),
    Column("minx", Float, nullable=False),
    Column("miny", Float, nullable=False),
    Column("maxx", Float, nullable=False),
    Column("maxy", Float, nullable=False),
    Column("ingest_id", Integer, nullable=False),
)

categories = Table(
    "categories", metadata,
    Column("category_id", String(ID), primary_key=True),
    Column("name", Text, nullable=False),
    Column("sensitive", Boolean, nullable=False, default=False),
)

crime_counts = Table(
    "crime_counts", metadata,
    Column("row_id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(ID), nullable=False),
    Column("place_id", String(ID), nullable=False),
    Column("category", String(ID), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("count", Integer, nullable=True),
    Column("preliminary", Boolean, nullable=False, default=False),
    Column("ingest_id", Integer, nullable=False),
    Index("ix_crime_counts_place", "place_id", "category", "period_start"),
    Index("ix_crime_counts_source", "source", "place_id", "period_start"),
)

# Incidents, one block per source and month: the month's rows as a compressed Arrow IPC stream
# (see lagesbild/store/blocks.py for why and for the format). All-or-nothing like every other table.
incident_blocks = Table(
    "incident_blocks", metadata,
    Column("block_id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(ID), nullable=False),
    Column("month", Date, nullable=False),
    Column("rows", Integer, nullable=False),
    Column("ingest_id", Integer, nullable=False),
    Column("format", String(30), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Index("ix_incident_blocks", "source", "month"),
    Index("ix_incident_blocks_month", "month"),
)

# Incidents counted per place, category and calendar year, one column per month (m01 … m12; see
# lagesbild/store/counts.py): every incident counts for every place whose polygon contains it.
# Maintained by the ingest (incidents and places), read by Store.monthly_counts().
incident_counts = Table(
    "incident_counts", metadata,
    Column("source", String(ID), nullable=False),
    Column("place_id", String(ID), nullable=False),
    Column("category", String(ID), nullable=False),
    Column("year", Integer, nullable=False),
    *[Column(m, Integer, nullable=False, server_default="0") for m in MONTH_COLUMNS],
    PrimaryKeyConstraint("place_id", "category", "year", "source", name="pk_incident_counts"),
    sqlite_with_rowid=False,  # SQLite: the rows live in the key's B-tree (one tree, not two)
)

# Months for which a source has data: per place (NULL: every place) and category (NULL: every
# category). grain: "month" when the source gives counts per month (a covered month without a row is
# zero), "quarter"/"year"/"period" when it gives counts for longer periods only (the months are covered
# by those counts; they say nothing about single months).
GRAINS = ("month", "quarter", "year", "period")
coverage = Table(
    "coverage", metadata,
    Column("source", String(ID), nullable=False),
    Column("place_id", String(ID), nullable=True),
    Column("month", Date, nullable=False),
    Column("category", String(ID), nullable=True),
    Column("grain", String(10), nullable=False, server_default="month"),
    Index("ix_coverage", "source", "month"),
)

events = Table(
    "events", metadata,
    Column("event_id", BigInteger, primary_key=True, autoincrement=False),
    Column("occurred_at", DateTime, nullable=False),
    Column("name", Text, nullable=False),
    Column("summary", Text, nullable=False, default=""),
    Column("url", Text, nullable=False, default=""),
    Column("event_type", Text, nullable=False),
    Column("location_name", Text, nullable=False, default=""),
    Column("lat", Float, nullable=True),
    Column("lon", Float, nullable=True),
    Column("ingest_id", Integer, nullable=False),
)

survey = Table(
    "survey", metadata,
    Column("row_id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(ID), nullable=False),
    Column("place_id", String(ID), nullable=False),
    Column("level", String(30), nullable=False),
    Column("year", Integer, nullable=False),
    Column("indicator", Text, nullable=False),
    Column("share", Float, nullable=False),
    Column("respondents", Integer, nullable=True),
    # a weighted survey's design effect (respondents count as respondents / design_effect in the tests)
    Column("design_effect", Float, nullable=True),
    Column("fictitious", Boolean, nullable=False, default=False),
    Column("ingest_id", Integer, nullable=False),
    Index("ix_survey_place", "place_id", "year"),
)

activities = Table(
    "activities", metadata,
    Column("activity_id", String(ID), primary_key=True),
    Column("aktivitet", Text, nullable=False),
    Column("priority_area", Text, nullable=False, default=""),
    Column("arbetsgrupp", Text, nullable=False, default=""),
    Column("syfte", Text, nullable=False, default=""),
    Column("mal", Text, nullable=False, default=""),
    Column("malgrupp", Text, nullable=False, default=""),
    Column("matbara_mal", Text, nullable=False, default=""),
    Column("start_date", Date, nullable=True),
    Column("end_date", Date, nullable=True),
    Column("open_ended", Boolean, nullable=False, default=False),
    Column("motesfrekvens", Text, nullable=False, default=""),
    Column("sammankallande", Text, nullable=False, default=""),
    Column("sdf_kontakt", Text, nullable=False, default=""),
    Column("polis_kontakt", Text, nullable=False, default=""),
    Column("ovriga", Text, nullable=False, default=""),
    Column("template", String(10), nullable=False, default="ny"),
    Column("extra", Text, nullable=False, default="{}"),
    Column("source", String(ID), nullable=False),
    Column("ingest_id", Integer, nullable=False),
)

activity_places = Table(
    "activity_places", metadata,
    Column("activity_id", String(ID), nullable=False),
    Column("place_id", String(ID), nullable=False),
    # the order links were read in (each activity's places as its plan lists them): PostgreSQL returns
    # rows in the order of its pages, which VACUUM reorders (lagesbild/store/migrate.py fills old stores)
    Column("link_order", BigInteger, nullable=True),
    UniqueConstraint("activity_id", "place_id", name="uq_activity_place"),
)

followups = Table(
    "followups", metadata,
    Column("activity_id", String(ID), nullable=False),
    Column("year", Integer, nullable=False),
    Column("period", String(4), nullable=False),
    Column("goal_met", Text, nullable=False, default=""),
    Column("carried_out", Text, nullable=False, default=""),
    UniqueConstraint("activity_id", "year", "period", name="uq_followup"),
)

# ----- meeting notes (a short note per place and meeting date; lagesbild/store/notes.py) ---------------
meeting_notes = Table(
    "meeting_notes", metadata,
    Column("note_id", Integer, primary_key=True, autoincrement=True),
    Column("place_id", String(ID), nullable=False, index=True),
    Column("meeting_date", Date, nullable=False),
    Column("author", String(ID), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)
# the last meeting date a user chose on "Sedan förra mötet" (lagesbild/store/history.py)
user_meeting_dates = Table(
    "user_meeting_dates", metadata,
    Column("username", String(ID), primary_key=True),
    Column("meeting_date", Date, nullable=False),
)
# ----- accounts and audit (web login; lagesbild/store/accounts.py) -------------------------------
users = Table(
    "users", metadata,
    Column("username", String(ID), primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(20), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# the key of each account's web sessions, put in the session cookie at login; replaced at logout and
# on a new password, which ends every session made with the old key
user_sessions = Table(
    "user_sessions", metadata,
    Column("username", String(ID), primary_key=True),
    Column("session_key", String(64), nullable=False),
)

audit_log = Table(
    "audit_log", metadata,
    Column("audit_id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("username", String(ID), nullable=False),
    Column("action", String(30), nullable=False),
    Column("detail", Text, nullable=False, default=""),
    Column("ip", String(64), nullable=False, default=""),
    Index("ix_audit_action_at", "action", "at"),
)

app_keys = Table(
    "app_keys", metadata,
    Column("name", String(ID), primary_key=True),
    Column("value", Text, nullable=False),
)
