"""`Writer`: every write to the store, inside one transaction opened by ``Store.transaction()``.

Replacement rules (documented for users in the README, "Inläsning"):

* aggregated crime: a new file from the same source replaces that source's rows for the same place whose
  period overlaps a period in the file;
* incidents: a new file from the same source replaces that source's incidents in every month from the
  file's first to its last month;
* survey: a new row replaces the same source's row for the same place, year and indicator;
* activities, places and events: a new row replaces the row with the same id.
"""

from __future__ import annotations

import datetime as dt
import json
from itertools import chain

import numpy as np
import pandas as pd
from sqlalchemy import Date, delete, func, insert, select, text, update

from lagesbild import clock
from lagesbild.store import schema as t
from lagesbild.store.coverage_writes import CoverageWrites
from lagesbild.store.incident_writes import IncidentWrites


def _column_values(s: pd.Series) -> list:
    """A column as a list of plain Python values (None for missing).

    Numeric columns without missing values and object columns of strings take a fast path
    (``tolist`` already gives Python ints, floats, bools and strs); everything else goes value by value.
    """
    if pd.api.types.is_datetime64_any_dtype(s):
        arr = s.astype(object).tolist()  # Timestamps (datetime subclasses) or NaT
        return [None if v is pd.NaT else v.to_pydatetime() for v in arr]
    kind = s.dtype.kind if isinstance(s.dtype, np.dtype) else ""
    if kind in "biuf" and kind and not (kind == "f" and s.isna().any()):
        return s.to_numpy().tolist()
    if kind == "O" and pd.api.types.infer_dtype(s, skipna=False) in ("string", "empty"):
        return s.tolist()
    out = s.astype(object)
    if s.isna().any():
        out = out.where(s.notna(), None)
    return [v.item() if isinstance(v, np.generic) else v for v in out.tolist()]


def _sqlite_datetime_text(s: pd.Series, *, date_only: bool = False) -> list:
    """Naive datetimes as SQLAlchemy's SQLite types store them, vectorised (None for NaT).

    ``YYYY-MM-DD HH:MM:SS.ffffff`` for DateTime columns, ``YYYY-MM-DD`` for Date columns.

    Examples
    --------
    >>> _sqlite_datetime_text(pd.Series(pd.to_datetime(["2020-01-02 03:04:05.5", None])))
    ['2020-01-02 03:04:05.500000', None]
    >>> _sqlite_datetime_text(pd.Series(pd.to_datetime(["2020-01-02"])), date_only=True)
    ['2020-01-02']
    """
    values = s.to_numpy(dtype="datetime64[ns]")
    nat = np.isnat(values)
    values = values.astype("datetime64[D]" if date_only else "datetime64[us]")
    inverse = None
    if date_only and values.size > 1000:  # dates repeat (e.g. months): format each one once
        values, inverse = np.unique(values, return_inverse=True)
    text = np.datetime_as_string(values)
    if not date_only and text.size:
        # datetime64[ns] years have four digits, so the ISO "T" is always character 10
        text.view(np.uint32).reshape(text.size, -1)[:, 10] = ord(" ")
    out = (text if inverse is None else text[inverse]).tolist()
    if nat.any():
        for i in np.flatnonzero(nat):
            out[i] = None
    return out


MULTIROW_MAX_ROWS = 500   # rows per multi-row INSERT statement (see Writer._insert_multirow)
BULK_BATCH_ROWS = 100_000  # rows per executemany call


def grain_of(start: pd.Series, end: pd.Series) -> pd.Series:
    """``month``, ``quarter``, ``year`` for whole calendar periods, else ``period``.

    Examples
    --------
    >>> s = pd.to_datetime(pd.Series(["2025-01-01", "2025-04-01", "2025-01-01", "2025-01-15"]))
    >>> e = pd.to_datetime(pd.Series(["2025-01-31", "2025-06-30", "2025-12-31", "2025-02-14"]))
    >>> grain_of(s, e).tolist()
    ['month', 'quarter', 'year', 'period']
    """
    first = start.dt.day == 1
    months = (end.dt.year - start.dt.year) * 12 + end.dt.month - start.dt.month + 1
    whole = first & (end == end + pd.offsets.MonthEnd(0))
    out = pd.Series("period", index=start.index, dtype=object)
    out[whole & (months == 1)] = "month"
    out[whole & (months == 3) & (start.dt.month % 3 == 1)] = "quarter"
    out[whole & (months == 12) & (start.dt.month == 1)] = "year"
    return out


class Writer(IncidentWrites, CoverageWrites):
    """Writes on one open connection (one transaction)."""

    def __init__(self, conn):
        self.conn = conn

    # ----- bookkeeping -----------------------------------------------------------------------
    def set_meta(self, key: str, value) -> None:
        """Set a key in the meta table (value stored as JSON)."""
        self.conn.execute(delete(t.meta).where(t.meta.c.key == key))
        self.conn.execute(insert(t.meta).values(key=key, value=json.dumps(value, default=str)))

    def bump_version(self) -> None:
        """Mark the data as changed so that caches in every process are refreshed."""
        now = dt.datetime.now().isoformat(timespec="microseconds")
        self.set_meta("version", now)

    def ensure_categories(self, rows) -> None:
        """Insert or update the category vocabulary: rows of ``(category_id, name, sensitive)``."""
        for cid, name, sensitive in rows:
            self.conn.execute(delete(t.categories).where(t.categories.c.category_id == cid))
            self.conn.execute(insert(t.categories).values(category_id=cid, name=name,
                                                          sensitive=bool(sensitive)))

    def start_ingest(self, kind, file_name, sha256, source) -> int:
        """Log the start of an ingest; return its id."""
        now = clock.now()  # Swedish time, as "Sedan sist" compares it with a meeting's day
        res = self.conn.execute(insert(t.ingest_log).values(
            kind=kind, file_name=file_name, sha256=sha256, source=source, started_at=now,
            finished_at=now, rows_accepted=0, rows_rejected=0, rows_replaced=0, status="running",
            message="", **self._next_ingest_id()))
        return int(res.inserted_primary_key[0])

    def _next_ingest_id(self) -> dict:
        """On PostgreSQL the largest ingest number plus one, as SQLite numbers its rows: a sequence
        keeps the numbers of rolled-back ingests (a refused file), so the numbers users see ("inläsning
        nr 3", status's list) had gaps and differed from SQLite's. Safe under the advisory lock every
        write transaction holds; the sequence is moved along for any insert that still uses it."""
        if self.conn.dialect.name != "postgresql":
            return {}
        new = int(self.conn.execute(select(func.coalesce(func.max(t.ingest_log.c.ingest_id), 0))).scalar()) + 1
        self.conn.execute(text("SELECT setval(pg_get_serial_sequence('ingest_log', 'ingest_id'), :n)"),
                          {"n": new})
        return {"ingest_id": new}

    def finish_ingest(self, ingest_id, *, accepted, rejected, replaced=0, status="ok", message="",
                      source=None):
        """Record the outcome of an ingest; ``source`` when the file's rows went to another source
        than the one it started under (a Brå table is stored as ``bra-brott``)."""
        self.conn.execute(update(t.ingest_log).where(t.ingest_log.c.ingest_id == ingest_id).values(
            finished_at=clock.now(), rows_accepted=int(accepted), rows_rejected=int(rejected),
            rows_replaced=int(replaced), status=status, message=message,
            **({"source": source} if source else {})))
        self.bump_version()

    def upsert_source(self, source, *, kind, ingest_id, fictitious=False, attribution="", notes="",
                      extracted_at=None) -> None:
        """Create or update a source's row."""
        self.conn.execute(delete(t.sources).where(t.sources.c.source == source))
        self.conn.execute(insert(t.sources).values(
            source=source, kind=kind, fictitious=bool(fictitious), attribution=attribution,
            notes=notes, last_ingest_id=ingest_id, extracted_at=extracted_at))

    def set_extracted(self, source: str, day) -> None:
        """Record the date the source's data was extracted (uttagsdatum)."""
        self.conn.execute(update(t.sources).where(t.sources.c.source == source)
                          .values(extracted_at=day))

    # ----- bulk ------------------------------------------------------------------------------
    def bulk_insert(self, table, df: pd.DataFrame, *, suffix: str = "") -> int:
        """Insert a DataFrame's rows fast (plain DB-API executemany, portable paramstyle).

        Columns are converted to plain Python values column by column (vectorised). ``suffix`` is
        appended to each statement (e.g. an ``ON CONFLICT`` clause).
        """
        if df.empty:
            return 0
        cols = list(df.columns)
        style = self.conn.dialect.paramstyle
        marks = ", ".join(self._mark(c) for c in cols)
        sql = f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({marks}){suffix}"
        values = [self._bind(table, c, df[c]) for c in cols]
        if style == "qmark":
            self._insert_multirow(f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ", values,
                                  suffix)
            return len(df)
        if style == "format":
            params = list(zip(*values, strict=False))
        else:
            params = [dict(zip(cols, row, strict=False)) for row in zip(*values, strict=False)]
        for i in range(0, len(params), 100_000):
            self.conn.exec_driver_sql(sql, params[i:i + 100_000])
        return len(df)

    def _mark(self, name: str) -> str:
        """The driver's placeholder for the parameter ``name`` (its DB-API paramstyle)."""
        style = self.conn.dialect.paramstyle
        return {"qmark": "?", "format": "%s", "pyformat": f"%({name})s"}.get(style, f":{name}")

    def _insert_multirow(self, head: str, values: list[list], suffix: str = "") -> None:
        """Insert rows with multi-row ``VALUES (?, ...), (?, ...)`` statements (standard SQL).

        One statement per row pays the statement overhead (and SQLite's AUTOINCREMENT bookkeeping)
        for every row; up to :data:`MULTIROW_MAX_ROWS` rows per statement, within the driver's
        limit of bound parameters, make SQLite inserts about 1.5 times faster. Rows keep their order.
        """
        ncols, n = len(values), len(values[0])
        per = max(1, min(MULTIROW_MAX_ROWS, self._max_params() // ncols))
        row = "(" + ", ".join(["?"] * ncols) + ")"
        flat = list(chain.from_iterable(zip(*values, strict=False)))
        step, full = per * ncols, (n // per) * per * ncols
        stmt = head + ", ".join([row] * per) + suffix
        batch = step * max(1, BULK_BATCH_ROWS // per)
        for i in range(0, full, batch):
            self.conn.exec_driver_sql(stmt, [tuple(flat[j:j + step])
                                             for j in range(i, min(i + batch, full), step)])
        if full < len(flat):
            self.conn.exec_driver_sql(head + ", ".join([row] * (n - full // ncols)) + suffix,
                                      tuple(flat[full:]))

    def _max_params(self) -> int:
        """Bound parameters allowed per statement (SQLite: the connection's limit, else 999)."""
        dbapi = self.conn.connection.dbapi_connection
        try:
            import sqlite3

            return min(int(dbapi.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)), 32_766)
        except (AttributeError, ImportError, TypeError, ValueError):
            return 999

    def _bind(self, table, col: str, s: pd.Series) -> list:
        """Column values as the dialect stores them (SQLAlchemy's own bind processing).

        On SQLite, datetimes are formatted vectorised exactly as SQLAlchemy writes them, so that
        comparisons in queries (which SQLite does on text) are right.
        """
        dialect = self.conn.dialect
        is_date = isinstance(table.c[col].type, Date)
        if pd.api.types.is_datetime64_any_dtype(s) and s.dt.tz is None:
            if dialect.name == "sqlite":
                return _sqlite_datetime_text(s, date_only=is_date)
            if is_date:
                s = pd.Series(s.dt.date, index=s.index, dtype=object)
        values = _column_values(s)
        proc = table.c[col].type.bind_processor(dialect)
        if proc is None or (s.dtype.kind == "f" and isinstance(s.dtype, np.dtype)):
            return values  # the processor of a float column only converts to float
        return [None if v is None else proc(v) for v in values]

    # ----- places ----------------------------------------------------------------------------
    def upsert_places(self, df: pd.DataFrame, ingest_id: int) -> int:
        """Insert places (columns of the places table); an existing place_id is replaced."""
        ids = list(df["place_id"])
        res = self.conn.execute(delete(t.places).where(t.places.c.place_id.in_(ids)))
        self.bulk_insert(t.places, df.assign(ingest_id=ingest_id))
        return res.rowcount or 0

    # ----- aggregated crime ------------------------------------------------------------------
    def replace_crime_counts(self, df: pd.DataFrame, source: str, ingest_id: int) -> int:
        """Insert aggregated counts, replacing the source's rows of the same place, category and kind
        of period (month, quarter, year, other) that overlap them. Returns rows replaced.

        A file says nothing about the categories it does not contain, and a yearly file does not
        replace the months of a monthly one (nor the other way round).
        """
        c = t.crime_counts.c
        ids = []
        for place_id, grp in df.groupby("place_id"):
            lo, hi = grp["period_start"].min().date(), grp["period_end"].max().date()
            old = self.conn.execute(select(c.row_id, c.category, c.period_start, c.period_end).where(
                c.source == source, c.place_id == place_id, c.period_start <= hi,
                c.period_end >= lo)).fetchall()
            if not old:
                continue
            old = pd.DataFrame(old, columns=["row_id", "category", "start", "end"])
            old["start"], old["end"] = pd.to_datetime(old["start"]), pd.to_datetime(old["end"])
            old["grain"] = grain_of(old["start"], old["end"])
            new = grp.assign(grain=grain_of(grp["period_start"], grp["period_end"]))
            pairs = old.merge(new[["category", "grain", "period_start", "period_end"]],
                              on=["category", "grain"])
            hit = pairs[(pairs["start"] <= pairs["period_end"]) & (pairs["end"] >= pairs["period_start"])]
            ids += sorted(set(hit["row_id"].tolist()))
        for i in range(0, len(ids), 500):
            self.conn.execute(delete(t.crime_counts).where(c.row_id.in_(ids[i:i + 500])))
        rows = df[["place_id", "category", "period_start", "period_end", "count", "preliminary"]].copy()
        rows["period_start"] = rows["period_start"].dt.date
        rows["period_end"] = rows["period_end"].dt.date
        self.bulk_insert(t.crime_counts, rows.assign(source=source, ingest_id=ingest_id))
        return len(ids)

    # ----- survey, activities, events --------------------------------------------------------
    def replace_survey(self, df: pd.DataFrame, source: str, ingest_id: int) -> int:
        """Insert survey rows, replacing the source's rows for the same place, year and indicator."""
        c = t.survey.c
        replaced = 0
        for row in df[["place_id", "year", "indicator"]].drop_duplicates().itertuples(index=False):
            res = self.conn.execute(delete(t.survey).where(
                c.source == source, c.place_id == row.place_id, c.year == int(row.year),
                c.indicator == row.indicator))
            replaced += res.rowcount or 0
        cols = ["place_id", "level", "year", "indicator", "share", "respondents", "fictitious"]
        cols += ["design_effect"] if "design_effect" in df.columns else []
        self.bulk_insert(t.survey, df[cols].assign(source=source, ingest_id=ingest_id))
        return replaced

    def upsert_activities(self, acts: pd.DataFrame, links: pd.DataFrame, followups: pd.DataFrame,
                          source: str, ingest_id: int) -> int:
        """Insert activities with their place links and follow-ups; same id replaces."""
        ids = list(acts["activity_id"])
        res = self.conn.execute(delete(t.activities).where(t.activities.c.activity_id.in_(ids)))
        self.conn.execute(delete(t.activity_places).where(t.activity_places.c.activity_id.in_(ids)))
        self.conn.execute(delete(t.followups).where(t.followups.c.activity_id.in_(ids)))
        rows = acts.copy()
        rows["extra"] = [json.dumps(x or {}, ensure_ascii=False, default=str) for x in rows["extra"]]
        for col in ("start_date", "end_date"):
            rows[col] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in rows[col]]
        cols = [c.name for c in t.activities.columns if c.name not in ("source", "ingest_id")]
        self.bulk_insert(t.activities, rows[cols].assign(source=source, ingest_id=ingest_id))
        self.bulk_insert(t.activity_places, self._ordered_links(links))
        if len(followups):
            self.bulk_insert(t.followups, followups[["activity_id", "year", "period", "goal_met",
                                                     "carried_out"]])
        return res.rowcount or 0

    def _ordered_links(self, links: pd.DataFrame) -> pd.DataFrame:
        """The links numbered on from the largest ``link_order`` stored (under the write lock), in the
        order read: the store gives them back in that order on SQLite and PostgreSQL alike."""
        rows = links[["activity_id", "place_id"]].drop_duplicates()
        top = self.conn.execute(select(func.coalesce(func.max(t.activity_places.c.link_order), 0))).scalar()
        return rows.assign(link_order=range(int(top) + 1, int(top) + 1 + len(rows)))

    def upsert_events(self, df: pd.DataFrame, ingest_id: int) -> int:
        """Insert events; an event id already stored is replaced."""
        ids = [int(i) for i in df["event_id"]]
        replaced = 0
        for i in range(0, len(ids), 900):
            res = self.conn.execute(delete(t.events).where(t.events.c.event_id.in_(ids[i:i + 900])))
            replaced += res.rowcount or 0
        cols = ["event_id", "occurred_at", "name", "summary", "url", "event_type", "location_name",
                "lat", "lon"]
        self.bulk_insert(t.events, df[cols].assign(ingest_id=ingest_id))
        return replaced

    def delete_source(self, source: str) -> int:
        """Remove every row a source wrote (counts, incidents, coverage, survey rows, activities with
        their links and follow-ups) and the source itself; its ingests are logged as ``removed``, so
        reading one of its files again reads it in. Places stay (other sources' data use them).
        Returns the rows removed (incidents, counts, survey rows and activities)."""
        gone = 0
        acts = [r[0] for r in self.conn.execute(
            select(t.activities.c.activity_id).where(t.activities.c.source == source))]
        for i in range(0, len(acts), 900):
            for table in (t.activity_places, t.followups):
                self.conn.execute(delete(table).where(table.c.activity_id.in_(acts[i:i + 900])))
        for table in (t.crime_counts, t.survey, t.activities, t.incident_counts, t.coverage):
            n = self.conn.execute(delete(table).where(table.c.source == source)).rowcount or 0
            gone += n if table in (t.crime_counts, t.survey, t.activities) else 0  # derived rows: not counted
        gone += int(self.conn.execute(select(func.coalesce(func.sum(t.incident_blocks.c.rows), 0))
                                      .where(t.incident_blocks.c.source == source)).scalar() or 0)
        self.conn.execute(delete(t.incident_blocks).where(t.incident_blocks.c.source == source))
        self.conn.execute(delete(t.sources).where(t.sources.c.source == source))
        self.conn.execute(update(t.ingest_log).where(t.ingest_log.c.source == source,
                                                     t.ingest_log.c.status == "ok").values(status="removed"))
        return gone

    # ----- reads inside the transaction (see uncommitted rows) --------------------------------
    def read_places(self) -> pd.DataFrame:
        """Places as this transaction sees them."""
        rows = self.conn.execute(select(t.places)).mappings().all()
        return pd.DataFrame(rows, columns=[c.name for c in t.places.columns])
