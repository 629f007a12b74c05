"""Incidents stored as blocks per source and month: round trip, filters, replacement, id clashes,
compaction and the migration from one SQL row per incident."""

from __future__ import annotations

import datetime as dt
import sqlite3

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import func, select

from lagesbild.errors import InputError
from lagesbild.ingest import ingest_file
from lagesbild.store import Store, schema
from tests.test_ingest import INCIDENT_HEADER, TORG, write


def rows(ids, days, x_offsets=None):
    """Incident CSV rows at the Hässelby torg point: ids, ISO days (``2021-03-05``), x offsets."""
    x_offsets = x_offsets or [0] * len(ids)
    return "".join(f"{i};{d} 12:00;Skadegörelse;{TORG[0] + o:.1f};{TORG[1]:.1f}\n".replace(".", ",")
                   for i, d, o in zip(ids, days, x_offsets, strict=False))


def torg_counts(store):
    mc = store.monthly_counts(place_ids=["hasselby-torg"])
    return {m.strftime("%Y-%m"): int(c) for m, c in zip(mc["month"], mc["count"], strict=True)}


def stored(store, source="polisen-incidenter"):
    inc = store.incidents()
    inc = inc[inc["source"] == source]
    return dict(zip(inc["incident_id"], inc["occurred_at"].dt.strftime("%Y-%m-%d"), strict=False))


# ----- round trip and filters (hypothesis) ------------------------------------------------------
incident = st.tuples(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12),
    st.datetimes(min_value=dt.datetime(2015, 1, 1), max_value=dt.datetime(2024, 12, 31)),
    st.sampled_from(["inbrott", "ran", "skadegorelse"]),
    st.floats(0, 1000, allow_nan=False), st.floats(0, 1000, allow_nan=False))


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.lists(incident, max_size=40, unique_by=lambda r: r[0]),
       start=st.dates(dt.date(2015, 1, 1), dt.date(2024, 12, 31)),
       days=st.integers(0, 4000), box=st.tuples(st.floats(0, 1000), st.floats(0, 1000)))
def test_blocks_give_back_what_was_stored_and_filter_like_pandas(tmp_path_factory, data, start,
                                                                  days, box):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('blk') / 's.sqlite'}")
    df = pd.DataFrame(data, columns=["incident_id", "occurred_at", "category", "x", "y"])
    df["occurred_at"] = pd.to_datetime(df["occurred_at"]).dt.floor("us")
    with store.transaction() as w:
        assert w.insert_incidents(df, "a", 1) == len(df)
    back = store.incidents()
    key = ["incident_id"]
    got = back.drop(columns="source").sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, df.sort_values(key).reset_index(drop=True),
                                  check_dtype=False)
    assert store.counts()["incidents"] == len(df)
    end = start + dt.timedelta(days=days)
    lo, hi = sorted(box)
    ref = df[(df["occurred_at"] >= pd.Timestamp(start))
             & (df["occurred_at"] < pd.Timestamp(end) + pd.Timedelta(days=1))
             & (df["category"] == "ran") & df["x"].between(lo, hi) & df["y"].between(lo, hi)]
    sub = store.incidents(category="ran", start=start, end=end, bbox=(lo, lo, hi, hi))
    assert sorted(sub["incident_id"]) == sorted(ref["incident_id"])


# ----- replacement and id clashes ---------------------------------------------------------------
def test_newer_export_replaces_its_months_and_keeps_the_others(places_store, tmp_path):
    old = write(tmp_path, "old.csv", INCIDENT_HEADER + rows(
        ["A1", "A2", "A3", "A4"], ["2021-01-10", "2021-02-10", "2021-03-10", "2021-03-11"]))
    ingest_file(places_store, "incidents", old)
    new = write(tmp_path, "new.csv", INCIDENT_HEADER + rows(
        ["B1", "A3", "B2"], ["2021-02-01", "2021-03-10", "2021-04-30"]))
    report = ingest_file(places_store, "incidents", new)
    assert report.replaced == 3  # A2, A3, A4: the old rows of February and March
    assert stored(places_store) == {"A1": "2021-01-10", "B1": "2021-02-01", "A3": "2021-03-10",
                                    "B2": "2021-04-30"}
    assert torg_counts(places_store) == {"2021-01": 1, "2021-02": 1, "2021-03": 1, "2021-04": 1}


def test_an_id_may_move_to_another_month_inside_the_new_span(places_store, tmp_path):
    ingest_file(places_store, "incidents", write(tmp_path, "a.csv", INCIDENT_HEADER + rows(
        ["A1", "A2"], ["2021-01-31", "2021-03-01"])))
    # a corrected date: A1 now in February, inside the new file's span January–February
    ingest_file(places_store, "incidents", write(tmp_path, "b.csv", INCIDENT_HEADER + rows(
        ["A0", "A1"], ["2021-01-05", "2021-02-01"])))
    assert stored(places_store) == {"A0": "2021-01-05", "A1": "2021-02-01", "A2": "2021-03-01"}


def test_an_id_stored_for_a_month_outside_the_file_is_rejected(places_store, tmp_path):
    ingest_file(places_store, "incidents", write(tmp_path, "a.csv", INCIDENT_HEADER + rows(
        ["A1", "A2"], ["2021-01-10", "2021-02-10"])))
    before = places_store.dump()
    bad = write(tmp_path, "b.csv", INCIDENT_HEADER + rows(["C1", "A1", "C2"],
                                                          ["2021-03-01", "2021-03-02", "2021-04-01"]))
    with pytest.raises(InputError) as exc:
        ingest_file(places_store, "incidents", bad)
    [err] = exc.value.errors
    assert (err.line, err.column, err.value) == (3, "id", "A1")
    assert "annan månad" in err.reason
    assert places_store.dump() == before
    report = ingest_file(places_store, "incidents", bad, keep_valid=True,
                         report_path=tmp_path / "fel.csv")
    assert report.accepted == 2 and report.rejected == 1
    assert stored(places_store) == {"A1": "2021-01-10", "A2": "2021-02-10", "C1": "2021-03-01",
                                    "C2": "2021-04-01"}
    assert torg_counts(places_store) == {"2021-01": 1, "2021-02": 1, "2021-03": 1, "2021-04": 1}


def test_an_unsorted_file_leaves_one_block_per_month(places_store, tmp_path, monkeypatch):
    from lagesbild.sources import incidents as reader

    chunks = []
    original = reader.iter_incidents

    def small_chunks(*args, **kwargs):  # many chunks, each spanning several months
        for part in original(*args, chunk_rows=7, **kwargs):
            chunks.append(len(part.table))
            yield part

    monkeypatch.setattr(reader, "iter_incidents", small_chunks)
    months = [f"2021-{m:02d}-01" for m in (5, 1, 3, 1, 5, 3, 2)] * 6  # whole months: from the 1st
    f = write(tmp_path, "u.csv", INCIDENT_HEADER + rows([f"U{i}" for i in range(len(months))], months))
    ingest_file(places_store, "incidents", f)
    assert len(chunks) == 6
    c = schema.incident_blocks.c
    with places_store.engine.connect() as conn:
        per_month = dict(conn.execute(select(c.month, func.count()).group_by(c.month)).fetchall())
    assert sorted(per_month.values()) == [1, 1, 1, 1]
    assert torg_counts(places_store) == {"2021-01": 12, "2021-02": 6, "2021-03": 12, "2021-05": 12}
    assert len(stored(places_store)) == 42


# ----- migration from schema version 1 ----------------------------------------------------------
V1_INCIDENTS = """CREATE TABLE incidents (row_id INTEGER PRIMARY KEY AUTOINCREMENT,
  source VARCHAR(120) NOT NULL, incident_id VARCHAR(120) NOT NULL, occurred_at DATETIME NOT NULL,
  category VARCHAR(120) NOT NULL, x FLOAT NOT NULL, y FLOAT NOT NULL, ingest_id INTEGER NOT NULL,
  CONSTRAINT uq_incident UNIQUE (source, incident_id))"""


V1_COUNTS = """CREATE TABLE incident_counts (source VARCHAR(120) NOT NULL,
  place_id VARCHAR(120) NOT NULL, category VARCHAR(120) NOT NULL, month DATE NOT NULL,
  count INTEGER NOT NULL)"""


def test_a_version_1_store_is_migrated_to_blocks(tmp_path):
    path = tmp_path / "v1.sqlite"
    con = sqlite3.connect(path)
    con.execute(V1_INCIDENTS)
    con.execute(V1_COUNTS)
    con.execute("CREATE INDEX ix_incident_counts ON incident_counts (place_id, category, month)")
    con.execute("CREATE INDEX ix_incident_counts_source ON incident_counts (source, month)")
    con.execute("INSERT INTO incident_counts VALUES ('a', 'p', 'ran', '2020-01-01', 30)")
    v1 = [("a", f"I{i}", f"2020-{1 + i % 3:02d}-0{1 + i % 9} 10:30:00.000000", "ran", float(i), 2.5, 7)
          for i in range(30)] + [("b", "I0", "2020-05-01 00:00:00.000000", "inbrott", 1.0, 1.0, 8)]
    con.executemany("INSERT INTO incidents (source, incident_id, occurred_at, category, x, y, "
                    "ingest_id) VALUES (?, ?, ?, ?, ?, ?, ?)", v1)
    con.commit()
    con.close()
    store = Store(f"sqlite:///{path}")
    back = store.incidents().sort_values(["source", "incident_id"])
    expect = pd.DataFrame(v1, columns=["source", "incident_id", "occurred_at", "category", "x", "y",
                                       "ingest_id"]).sort_values(["source", "incident_id"])
    assert back["incident_id"].tolist() == expect["incident_id"].tolist()
    assert np.array_equal(back["occurred_at"].to_numpy(),
                          pd.to_datetime(expect["occurred_at"]).to_numpy())
    assert back["x"].tolist() == expect["x"].tolist()
    assert store.counts()["incidents"] == 31
    assert store.meta()["schema_version"] == schema.SCHEMA_VERSION
    with store.engine.connect() as conn:
        assert conn.execute(select(schema.incident_counts)).fetchall() == [
            ("a", "p", "ran", 2020, 30, *[0] * 11)]
    tables = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
    assert "incidents" not in tables
    c = schema.incident_blocks.c
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).where(c.source == "a")).scalar() == 3
        assert set(conn.execute(select(c.ingest_id)).scalars()) == {7, 8}
    Store(f"sqlite:///{path}")  # opening again changes nothing
    assert store.counts()["incidents"] == 31


# ----- counts per year with month columns -------------------------------------------------------
count_row = st.tuples(st.sampled_from(["s", "t"]), st.sampled_from(["p", "q", "r"]),
                      st.sampled_from(["ran", "inbrott"]),
                      st.dates(dt.date(2015, 1, 1), dt.date(2024, 12, 31)), st.integers(1, 50))


@hsettings(max_examples=60, deadline=None)
@given(st.lists(count_row, max_size=40))
def test_counts_per_year_hold_the_summed_monthly_counts(rows_):
    from lagesbild.store import counts

    long = pd.DataFrame(rows_, columns=counts.LONG)
    long["month"] = pd.to_datetime(long["month"]).dt.to_period("M").dt.to_timestamp()
    back = counts.to_long(counts.to_wide(long))
    expect = long.groupby(counts.LONG[:4], as_index=False)["count"].sum()
    key = counts.LONG[:4]
    pd.testing.assert_frame_equal(back.sort_values(key).reset_index(drop=True),
                                  expect.sort_values(key).reset_index(drop=True), check_dtype=False)
