"""The store: replacement rules, coverage, one source per place and month."""

import datetime as dt

import pandas as pd
import pytest

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
