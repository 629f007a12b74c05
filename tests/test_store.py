"""The store: replacement rules, coverage, one source per place and month."""

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import event

from lagesbild.store import Store


@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 's.sqlite'}")


def counts_frame(rows):
    """Rows of (place_id, category, 'YYYY-MM', count) as aggregated monthly counts."""
    df = pd.DataFrame(rows, columns=["place_id", "category", "month", "count"])
    start = pd.to_datetime(df["month"] + "-01")
    return pd.DataFrame({"place_id": df["place_id"], "category": df["category"],
                         "period_start": start, "period_end": start + pd.offsets.MonthEnd(0),
                         "count": df["count"].astype("Int64"), "preliminary": False})


def write_counts(store, rows, source, ingest_id):
    df = counts_frame(rows)
    with store.transaction() as w:
        replaced = w.replace_crime_counts(df, source, ingest_id)
        for pid, g in df.groupby("place_id"):
            w.set_coverage(source, g["period_start"], place_id=pid)
        w.upsert_source(source, kind="crimes", ingest_id=ingest_id)
    return replaced


def test_newer_export_replaces_overlapping_months_instead_of_adding(store):
    write_counts(store, [("p", "inbrott", "2020-01", 5), ("p", "inbrott", "2020-02", 7)], "polisen", 1)
    replaced = write_counts(store, [("p", "inbrott", "2020-02", 9), ("p", "inbrott", "2020-03", 4)],
                            "polisen", 2)
    got = store.monthly_counts().set_index("month")["count"]
    assert replaced == 1
    assert got.to_dict() == {pd.Timestamp("2020-01-01"): 5, pd.Timestamp("2020-02-01"): 9,
                             pd.Timestamp("2020-03-01"): 4}


def test_other_source_is_not_replaced_but_latest_source_wins_per_place_month(store):
    write_counts(store, [("p", "inbrott", "2020-01", 5), ("p", "inbrott", "2020-02", 7)], "a", 1)
    write_counts(store, [("p", "inbrott", "2020-02", 1)], "b", 2)
    got = store.monthly_counts()
    assert sorted(zip(got["month"].dt.month, got["count"], got["source"], strict=False)) == [
        (1, 5, "a"), (2, 1, "b")]


def test_covered_month_without_rows_is_zero_not_missing(store):
    with store.transaction() as w:
        w.set_coverage("inc", pd.to_datetime(["2020-01-01", "2020-02-01"]))
        w.upsert_source("inc", kind="incidents", ingest_id=1)
        w.add_incident_counts(pd.DataFrame({"source": ["inc"], "place_id": ["p"],
                                            "category": ["inbrott"],
                                            "month": pd.to_datetime(["2020-01-01"]), "count": [3]}))
    cov = store.coverage()
    assert set(cov["month"].dt.month) == {1, 2}
    assert store.monthly_counts()["count"].tolist() == [3]
    assert store.data_until() == dt.date(2020, 2, 29)


def test_failed_transaction_leaves_store_unchanged(store):
    write_counts(store, [("p", "inbrott", "2020-01", 5)], "a", 1)
    before = store.dump()
    with pytest.raises(RuntimeError), store.transaction() as w:
        w.replace_crime_counts(counts_frame([("p", "inbrott", "2020-01", 99)]), "a", 2)
        raise RuntimeError("halfway")
    assert store.dump() == before


def test_incident_months_are_replaced_for_the_same_source_only(store):
    inc = pd.DataFrame({"incident_id": ["1", "2", "3"],
                        "occurred_at": pd.to_datetime(["2020-01-05", "2020-02-05", "2020-03-05"]),
                        "category": "inbrott", "x": 1.0, "y": 2.0})
    with store.transaction() as w:
        w.insert_incidents(inc, "a", 1)
        w.insert_incidents(inc, "b", 1)
        removed = w.delete_incident_months("a", dt.date(2020, 2, 1), dt.date(2020, 3, 1))
    assert removed == 2
    left = store.incidents()
    assert sorted(zip(left["source"], left["incident_id"], strict=True)) == [("a", "1"), ("b", "1"), ("b", "2"),
                                                                 ("b", "3")]


def test_incident_filters(store):
    inc = pd.DataFrame({"incident_id": ["1", "2"],
                        "occurred_at": pd.to_datetime(["2020-01-31 23:59", "2020-02-01 00:00"]),
                        "category": ["inbrott", "personran"], "x": [10.0, 500.0], "y": [10.0, 500.0]})
    with store.transaction() as w:
        w.insert_incidents(inc, "a", 1)
    assert store.incidents(end="2020-01-31")["incident_id"].tolist() == ["1"]
    assert store.incidents(start="2020-02-01")["incident_id"].tolist() == ["2"]
    assert store.incidents(category="personran")["incident_id"].tolist() == ["2"]
    assert store.incidents(bbox=(0, 0, 100, 100))["incident_id"].tolist() == ["1"]


def test_place_filtered_read_equals_full_read(store):
    write_counts(store, [("p", "inbrott", "2020-01", 5), ("q", "inbrott", "2020-01", 2)], "a", 1)
    write_counts(store, [("p", "inbrott", "2020-01", 7)], "b", 2)
    cold = store.monthly_counts(place_ids=["p"])  # read from SQL for this place only
    store.monthly_counts()  # builds the full frame
    warm = store.monthly_counts(place_ids=["p"])
    pd.testing.assert_frame_equal(cold, warm)
    assert cold["count"].tolist() == [7] and cold["source"].tolist() == ["b"]


def test_rows_of_some_places_equal_a_filter_of_the_whole_frame(store):
    write_counts(store, [("p", "inbrott", "2020-01", 5), ("q", "inbrott", "2020-02", 2),
                         ("r", "ran", "2020-03", 1)], "a", 1)
    with store.transaction() as w:  # a month covered for every place
        w.set_coverage("a", pd.to_datetime(["2020-04-01"]), place_id=None)
    monthly, coverage = store.monthly_counts(), store.coverage()
    for ids in (["p"], ["q", "p"], ["p", "p"], ["okänd"], []):
        got = store.monthly_counts(place_ids=ids)
        pd.testing.assert_frame_equal(
            got, monthly[monthly["place_id"].isin(ids)].reset_index(drop=True))
        want = coverage[coverage["place_id"].isna() | coverage["place_id"].isin(ids)]
        pd.testing.assert_frame_equal(store.coverage(place_ids=ids), want)
    assert set(store.coverage(place_ids=["p"])["place_id"].fillna("alla")) == {"p", "alla"}
    got = store.monthly_counts(place_ids=["p"])
    got["count"] = -1  # callers may modify what they get: the kept frame stays as it was
    assert (store.monthly_counts()["count"] >= 0).all()


def test_kept_incident_blocks_follow_a_write_by_another_process(tmp_path, monkeypatch):
    import lagesbild.store.incident_reads as store_module

    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    reader, writer = Store(url), Store(url)  # two workers on one store

    def write(ids, days, ingest_id):
        inc = pd.DataFrame({"incident_id": ids, "occurred_at": pd.to_datetime(days),
                            "category": "inbrott", "x": 1.0, "y": 2.0})
        with writer.transaction() as w:
            w.delete_incident_months("a", dt.date(2020, 1, 1), dt.date(2020, 3, 1))
            w.insert_incidents(inc, "a", ingest_id)
            w.bump_version()

    write(["1", "2", "3"], ["2020-01-05", "2020-02-05", "2020-03-05"], 1)
    monkeypatch.setattr(store_module, "BLOCKS_KEPT", 2)  # fewer kept than read: the oldest dropped
    first = reader.incidents()
    assert first["incident_id"].tolist() == ["1", "2", "3"]
    pd.testing.assert_frame_equal(reader.incidents(), first)
    assert reader.incidents(start="2020-02-01")["incident_id"].tolist() == ["2", "3"]
    write(["4", "5"], ["2020-01-06", "2020-03-06"], 2)
    assert reader.incidents()["incident_id"].tolist() == ["4", "5"]


def test_a_pinned_block_reads_the_version_once_and_sees_its_own_writes(tmp_path):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    reader, writer = Store(url), Store(url)  # two workers on one store
    queries = []
    event.listen(reader.engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *args: queries.append(statement))
    start = reader.version()
    with reader.pinned_version():
        queries.clear()
        with writer.transaction() as w:  # another worker ingests meanwhile
            w.bump_version()
        assert [reader.version() for _ in range(5)] == [start] * 5  # one version for the whole block
        assert not any("meta" in q for q in queries)  # and the database was not asked again
        with reader.pinned_version():  # nested: the outer pin holds
            assert reader.version() == start
        with reader.transaction() as w:  # a write inside the block reads the new version
            w.bump_version()
        inside = reader.version()
        assert inside == writer.version() != start  # the database's version after both writes
    after = reader.version()
    assert after == inside and after != start
    with writer.transaction() as w:
        w.bump_version()
    assert reader.version() == writer.version() != after  # unpinned: every call asks the database
