"""`Store`: opening the database and every read. Writes live in :mod:`lagesbild.store.writer`.

Reads return pandas DataFrames in the shapes documented in ``docs/architecture.md``. A small cache keyed
by the store's data version (bumped by every ingest) keeps repeated dashboard reads cheap; any process
that writes bumps the version, so other workers on the same store see new data on their next read.
The cache lives in :mod:`lagesbild.store.cache`, the incident reads in
:mod:`lagesbild.store.incident_reads`, the "data t.o.m." reads in :mod:`lagesbild.store.data_until`.
"""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager

import numpy as np
import pandas as pd
from sqlalchemy import create_engine, event, func, or_, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from lagesbild.settings import sqlite_file
from lagesbild.store import blocks, counts, migrate
from lagesbild.store import schema as t
from lagesbild.store.cache import VersionedCache
from lagesbild.store.data_until import DataUntilReads
from lagesbild.store.incident_reads import IncidentReads
from lagesbild.store.open_error import open_error
from lagesbild.store.textorder import bytewise, bytewise_labels
from lagesbild.store.writer import Writer

#: the PostgreSQL advisory lock key every write transaction takes (``lagesbild`` in ASCII, shortened)
WRITE_LOCK = 0x6C61676573626C64

#: seconds to wait for a PostgreSQL server to answer a new connection (a URL's own connect_timeout wins)
CONNECT_TIMEOUT = 10


def _engine_options(url: str) -> dict:
    """A PostgreSQL server that takes the connection but never answers is given up after a while; a
    pooled connection is tried before it is used (``pool_pre_ping``), so after the server restarted
    the first request gets a new connection instead of failing on the one the restart ended."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return {}
    options: dict = {"pool_pre_ping": True}
    if "connect_timeout" not in parsed.query:
        options["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT}
    return options


#: milliseconds a write waits for another process's write before it gives up: SQLite's busy timeout
#: ("database is locked"), and on PostgreSQL the lock timeout of the write lock (the advisory lock of
#: :meth:`Store.transaction`; "canceling statement due to lock timeout"). Either ends the CLI with
#: exit code 75 and "databasen är låst av en annan skrivning; försök igen om en stund".
SQLITE_BUSY_MS = 30_000


def _take_write_lock(conn) -> None:
    """Take the store's PostgreSQL write lock, waiting at most :data:`SQLITE_BUSY_MS` for a write of
    another process (it waited without limit, where SQLite gives up). The limit is the transaction's
    own (``SET LOCAL``) and holds for taking this lock only: the write's other statements wait as
    the server's setting says, as before."""
    conn.execute(text(f"SET LOCAL lock_timeout = {int(SQLITE_BUSY_MS)}"))
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
    conn.execute(text("SET LOCAL lock_timeout = DEFAULT"))


def _sqlite_pragmas(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    # 64 KiB pages (takes effect when the file is created): incident blocks are BLOBs of ~0.3 MB,
    # which then span 5 pages instead of 80; writing 1.5 M incidents is ~15 % faster, reads the same
    cur.execute("PRAGMA page_size=65536")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cur.close()


class Store(VersionedCache, IncidentReads, DataUntilReads):
    """A lägesbild store on an SQLAlchemy URL.

    Examples
    --------
    >>> s = Store("sqlite://")
    >>> s.counts()["places"]
    0
    """

    def __init__(self, url: str, *, create: bool = True):
        self.url = url
        self._cache: dict = {}
        self._cache_version = None
        self._blocks_lock = threading.Lock()
        self._pin = threading.local()  # the version pinned for this thread's request (pinned_version)
        try:
            if (file := sqlite_file(url)) is not None:
                file.parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_engine(url, **_engine_options(url))
            if create:  # another program's database is left alone (before a pragma or a table)
                migrate.refuse_foreign(self.engine, url)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            if create:
                t.metadata.create_all(self.engine)
                migrate.upgrade(self.engine)
        except (SQLAlchemyError, OSError, ImportError, ValueError) as exc:  # ValueError: a port "abc"
            raise open_error(url, exc) from None

    @classmethod
    def from_settings(cls, settings) -> Store:
        """Open the store named by the settings."""
        return cls(settings.db_url)

    @contextmanager
    def transaction(self):
        """Yield a :class:`Writer`; everything it writes is committed together or not at all. Writes
        are one at a time (SQLite's file lock; on PostgreSQL an advisory lock), so two ingests of the
        same months never each delete them before the other commits and then both insert them."""
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                _take_write_lock(conn)
            yield Writer(conn)
        self._cache.clear()
        if getattr(self._pin, "version", None) is not None:  # a write inside a pinned block
            self._pin.version = self._read_version()

    # ----- helpers ---------------------------------------------------------------------------
    def _frame(self, query, parse_dates=None, *, plain: bool = False) -> pd.DataFrame:
        """The query's rows as a frame. ``plain``: the columns are text and dates only, so the rows
        are taken from the driver's cursor without SQLAlchemy's per-row objects (half the time for
        the 1.9 million coverage rows of 1,000 places); dates then come as ISO text (SQLite) or dates
        (PostgreSQL) and are parsed with ``parse_dates``."""
        with self.engine.connect() as conn:
            result = conn.execute(query)
            rows = result.cursor.fetchall() if plain else result.fetchall()
            df = pd.DataFrame(rows, columns=list(result.keys()))
        for col in parse_dates or []:
            df[col] = pd.to_datetime(df[col])
        return df

    # ----- reads -----------------------------------------------------------------------------
    def meta(self) -> dict:
        """Key/value facts about the store (``demo``, ``data_until``, ``schema_version`` …)."""
        def build():
            rows = self._frame(select(t.meta))
            out = {k: json.loads(v) for k, v in zip(rows["key"], rows["value"], strict=True)} if len(rows) else {}
            out.setdefault("demo", False)
            return out
        return dict(self._cached("meta", build, copy=False))  # written with a version bump only

    def is_empty(self) -> bool:
        """True when no data of any kind has been ingested."""
        c = self.counts()
        return all(v == 0 for k, v in c.items() if k != "categories")

    def counts(self) -> dict:
        """Row counts per table."""
        names = ["places", "crime_counts", "events", "survey", "activities", "followups",
                 "ingest_log", "categories"]
        with self.engine.connect() as conn:
            out = {n: conn.execute(select(func.count()).select_from(t.metadata.tables[n])).scalar()
                   for n in names}
            rows = conn.execute(select(func.sum(t.incident_blocks.c.rows))).scalar()
        out["incidents"] = int(rows or 0)
        return out

    def places(self) -> pd.DataFrame:
        """Every place: ``place_id, name, kind, district_id, population, approximate, source, wkt_*``."""
        def build():
            df = self._frame(select(t.places).order_by(bytewise(t.places.c.place_id)))
            df["population"] = df["population"].astype("Int64")
            return df
        return self._cached("places", build)

    def places_gdf(self, crs: int = 3006):
        """Every place as a GeoDataFrame in EPSG:3006 (default) or EPSG:4326."""
        import geopandas as gpd

        def build():
            df = self.places()
            col = "wkt_3006" if crs == 3006 else "wkt_4326"
            geom = gpd.GeoSeries.from_wkt(df[col], crs=3006 if crs == 3006 else 4326)
            return gpd.GeoDataFrame(df.drop(columns=["wkt_3006", "wkt_4326"]), geometry=geom)
        return self._cached(("places_gdf", crs), build)  # geometries parsed once per data version

    def categories(self) -> pd.DataFrame:
        """The category vocabulary: ``category_id, name, sensitive``."""
        return self._cached("categories", lambda: self._frame(
            select(t.categories).order_by(bytewise(t.categories.c.category_id))))

    def sources(self) -> pd.DataFrame:
        """Every source with its kind, whether it is fictitious, and its last ingest."""
        return self._cached("sources", lambda: self._frame(select(t.sources).order_by(bytewise(t.sources.c.source))))

    def coverage(self, place_ids=None) -> pd.DataFrame:
        """Months with monthly data per source: ``source, place_id`` (None = every place),
        ``month``, ``category`` (None = every category). With ``place_ids``, only the rows that
        apply to those places: their own and the every-place rows."""
        if place_ids is None:
            return self._cached("coverage", self._build_coverage)
        return self._of_places("coverage", self._build_coverage, place_ids, everywhere=True).copy()

    def _build_coverage(self, place_ids=None) -> pd.DataFrame:
        c = t.coverage.c
        cols = bytewise_labels([c.source, c.place_id, c.month, c.category])  # alike on every store
        query = select(*cols).where(c.grain == "month")
        if place_ids is not None:
            query = query.where(or_(c.place_id.in_(list(place_ids)), c.place_id.is_(None)))
        # one order however the rows are read (the whole table or a few places): the numbers built
        # from them are then the same to the last bit (a dispersion differed in its 17th digit)
        order = (cols[0], cols[1].nulls_first(), cols[2], cols[3].nulls_first())
        return self._frame(query.distinct().order_by(*order), parse_dates=["month"], plain=True)

    def all_coverage(self) -> pd.DataFrame:
        """Every coverage cell, monthly or not: ``source, place_id, month, category, grain``."""
        return self._cached("all_coverage", lambda: self._frame(
            select(*(cols := bytewise_labels(t.coverage.c))).distinct().order_by(*(c.nulls_first() for c in cols)),
            parse_dates=["month"], plain=True))

    def monthly_counts(self, place_ids=None, categories=None) -> pd.DataFrame:
        """Reported crimes per ``place_id, category, month`` with their ``source``.

        Aggregated monthly rows and incidents counted per month are combined; where several sources
        cover the same place and month, the most recently ingested source is used, so no crime is
        counted twice.
        """
        if place_ids is not None:  # on a cold cache only these places' rows are read
            df = self._of_places("monthly", self._build_monthly, place_ids)
        else:
            df = self._cached("monthly", self._build_monthly, copy=False)
        if categories is not None:
            df = df[df["category"].isin(list(categories))]
        return df.reset_index(drop=True)  # a new frame: callers may modify it

    def _build_monthly(self, place_ids=None) -> pd.DataFrame:
        cc, ic = t.crime_counts.c, t.incident_counts.c
        agg_q = (select(cc.source, cc.place_id, cc.category, cc.period_start.label("month"), cc.count,
                        cc.period_end).where(cc.count.is_not(None)))
        inc_q = select(t.incident_counts)  # per year, one column per month
        if place_ids is not None:
            agg_q = agg_q.where(cc.place_id.in_(list(place_ids)))
            inc_q = inc_q.where(ic.place_id.in_(list(place_ids)))
        agg = self._frame(agg_q, parse_dates=["month", "period_end"])
        monthly = agg["period_end"] == agg["month"] + pd.offsets.MonthEnd(0)
        agg = agg[monthly & (agg["month"].dt.day == 1)].drop(columns="period_end")
        inc = counts.to_long(self._frame(inc_q))
        df = pd.concat([agg, inc], ignore_index=True)
        cols = ["place_id", "category", "month", "count", "source"]
        if df.empty:
            return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "month" else
                                              ("int64" if c == "count" else object)) for c in cols})
        df = df[self._winning_rows(df, place_ids)]
        df["count"] = df["count"].astype("int64")
        return df[cols].sort_values(cols[:3]).reset_index(drop=True)

    def _winning_rows(self, df: pd.DataFrame, place_ids=None) -> np.ndarray:
        """Which rows of ``df`` (``place_id, category, month, source``) come from the most recently
        ingested source that covers their place × category × month (a coverage row for the place or
        every place, for the category or every category); rows nothing covers are dropped.

        Keys are integer codes (month, place, category in one int64), not strings: with merges on
        strings the store's first read took 9.3 s at 1,000 places, with these 6.1 s."""
        cov = (self._cached("coverage", self._build_coverage, copy=False) if place_ids is None
               else self._of_places("coverage", self._build_coverage, place_ids, everywhere=True))
        rank = dict(zip(*(self.sources()[c] for c in ("source", "last_ingest_id")), strict=True))
        place_known, cat_known = cov["place_id"].notna().to_numpy(), cov["category"].notna().to_numpy()
        places = pd.Index(pd.unique(pd.concat([df["place_id"], cov["place_id"].dropna()], ignore_index=True)))
        cats = pd.Index(pd.unique(pd.concat([df["category"], cov["category"].dropna()], ignore_index=True)))
        months = pd.Index(pd.unique(pd.concat([df["month"], cov["month"]], ignore_index=True)))
        n_places, n_cats = len(places) + 1, len(cats) + 1  # the last code: every place / category

        def key(frame, by_place, by_cat):
            p = places.get_indexer(frame["place_id"]) if by_place else np.full(len(frame), n_places - 1)
            c = cats.get_indexer(frame["category"]) if by_cat else np.full(len(frame), n_cats - 1)
            return (months.get_indexer(frame["month"]).astype(np.int64) * n_places + p) * n_cats + c

        cov_rank = cov["source"].map(rank).to_numpy(float)  # NaN: a source no longer listed
        best = np.full(len(df), -np.inf)
        winner = np.full(len(df), None, dtype=object)
        for by_place in (False, True):  # later kinds win ties, as the rows were ranked before
            for by_cat in (False, True):
                mask = (place_known == by_place) & (cat_known == by_cat) & ~np.isnan(cov_rank)
                if not mask.any():
                    continue
                part = cov[mask]
                ranked = pd.DataFrame({"key": key(part, by_place, by_cat),
                                       "rank": cov_rank[mask], "source": part["source"].to_numpy()})
                ranked = ranked.sort_values("rank", kind="stable").drop_duplicates("key", keep="last")
                at = pd.Index(ranked["key"]).get_indexer(key(df, by_place, by_cat))
                found = at >= 0
                r = np.where(found, ranked["rank"].to_numpy()[at], -np.inf)
                take = found & (r >= best)
                best[take], winner[take] = r[take], ranked["source"].to_numpy()[at[take]]
        return df["source"].to_numpy() == winner

    def period_counts(self) -> pd.DataFrame:
        """Aggregated rows that span more than one month (e.g. whole Sep–Aug years as exported)."""
        df = self._frame(select(t.crime_counts).order_by(t.crime_counts.c.row_id),  # one order on every server
                         parse_dates=["period_start", "period_end"])
        monthly = (df["period_start"].dt.day == 1) & (
            df["period_end"] == df["period_start"] + pd.offsets.MonthEnd(0))
        return df[~monthly].reset_index(drop=True)

    def survey(self) -> pd.DataFrame:
        """Survey results: ``place_id, level, year, indicator, share, respondents, fictitious, source``."""
        def build():
            df = self._frame(select(t.survey).order_by(
                bytewise(t.survey.c.place_id), t.survey.c.year, bytewise(t.survey.c.indicator), t.survey.c.row_id))
            df["respondents"] = df["respondents"].astype("Int64")
            return df.drop(columns=["row_id", "ingest_id"])
        return self._cached("survey", build)

    def activities(self) -> pd.DataFrame:
        """Action-plan activities (one row each; ``extra`` decoded to a dict)."""
        def build():  # written by an ingest only, which bumps the version
            df = self._frame(select(t.activities).order_by(bytewise(t.activities.c.activity_id)),
                             parse_dates=["start_date", "end_date"])
            df["extra"] = [json.loads(x) for x in df["extra"]]
            return df
        df = self._cached("activities", build)
        df["extra"] = [dict(x) for x in df["extra"]]  # the caller may change its dicts
        return df

    def activity_places(self) -> pd.DataFrame:
        """Links between activities and places: ``activity_id, place_id``."""
        c = t.activity_places.c  # in the order read in, alike on every store (schema.activity_places)
        return self._cached("activity_places", lambda: self._frame(select(c.activity_id, c.place_id).order_by(c.link_order, bytewise(c.activity_id), bytewise(c.place_id))))

    def followups(self) -> pd.DataFrame:
        """Follow-ups per activity, year and tertial (T1, T2, VB)."""
        return self._cached("followups", lambda: self._frame(select(t.followups).order_by(
            bytewise(t.followups.c.activity_id), t.followups.c.year, bytewise(t.followups.c.period))))

    def events(self) -> pd.DataFrame:
        """Polisen's public events."""
        return self._frame(select(t.events).order_by(t.events.c.occurred_at, t.events.c.event_id),
                           parse_dates=["occurred_at"])

    def ingest_log(self) -> pd.DataFrame:
        """Every ingest, newest first."""
        return self._frame(select(t.ingest_log).order_by(t.ingest_log.c.ingest_id.desc()),
                           parse_dates=["started_at", "finished_at"])

    def find_ingest(self, sha256: str, kind: str):
        """The last successful ingest of a file with this checksum and kind, or None."""
        from lagesbild.store.current import find_ingest

        with self.engine.connect() as conn:
            return find_ingest(conn, sha256, kind)

    def extracted_at(self, kinds=("crimes", "incidents")):
        """The latest extraction date (uttagsdatum) of the crime sources, or None."""
        src = self.sources()
        days = src[src["kind"].isin(list(kinds))]["extracted_at"].dropna()
        return None if days.empty else max(pd.Timestamp(d).date() for d in days)

    def dump(self) -> dict:
        """Every table's rows, for tests that a failed ingest changed nothing.

        Incident blocks are listed without their bytes, and their rows decoded under ``incidents``.
        """
        out = {}
        with self.engine.connect() as conn:
            for name, table in t.metadata.tables.items():
                cols = [c for c in table.c if c.name != "data"]
                rows = conn.execute(select(*cols)).fetchall()
                out[name] = sorted(map(tuple, rows), key=repr)
            data = conn.execute(select(t.incident_blocks.c.ingest_id, t.incident_blocks.c.data)
                                .order_by(t.incident_blocks.c.block_id)).fetchall()
        out["incidents"] = sorted(((i, *r.values()) for i, d in data
                                   for r in blocks.decode(d).to_pylist()), key=repr)
        return out

    def ping(self) -> bool:
        """True when the database answers."""
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT 1")).scalar() == 1
