"""Sedan förra mötet, as worded: months read in on different days are listed with their own day, and
the total over the categories is named in Swedish, never by its id ``alla``.

The stores are built from counts files whose ingests are dated by hand in the ingest log (as if read on
those days), so the expected months and days are known without the code under test.
"""

from __future__ import annotations

import datetime as dt

import pytest

from lagesbild.analysis.overview import overview_table
from lagesbild.analysis.since_meeting import since_last_meeting
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import load_settings
from tests.test_since_meeting import BEFORE, MEETING, PLACES, _backdate, _counts_file, _months

JULY = dt.datetime(2023, 7, 10, 10, 0)
SEPTEMBER = dt.datetime(2023, 9, 10, 10, 0)


@pytest.fixture
def three_deliveries(tmp_path):
    """Hässelby torg, personrån: Sep 2021–Feb 2023 read before the meeting (20 a month), Mar–Jun 2023
    read on 10 July (60 a month), Jul–Aug 2023 read on 10 September (60 a month); narkotikabrott 10
    every month, so the total over the categories changes with personrån."""
    settings = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite"))
    store = open_store(settings)
    ingest_file(store, "places", PLACES)
    for name, first, last, count, when in (("a", "2021-09-01", "2023-02-01", 20, BEFORE),
                                           ("b", "2023-03-01", "2023-06-01", 60, JULY),
                                           ("c", "2023-07-01", "2023-08-01", 60, SEPTEMBER)):
        path = _counts_file(tmp_path / f"{name}.csv", _months(first, last),
                            [("Hässelby torg", "Personrån", lambda m, n=count: n),
                             ("Hässelby torg", "Narkotikabrott", lambda m: 10)])
        _backdate(store, ingest_file(store, "crimes", path, source="polisen-brott").ingest_id, when)
    return store, settings


def test_months_read_on_different_days_keep_their_own_day(three_deliveries):
    store, settings = three_deliveries
    out = since_last_meeting(store, settings, meeting_date=MEETING, today=dt.date(2023, 9, 20),
                             with_hotspots=False)
    assert [(m["months"], m["read"]) for m in out["months"]] == [
        (_months("2023-03-01", "2023-06-01"), JULY.date()),
        (_months("2023-07-01", "2023-08-01"), SEPTEMBER.date())]
    texts = [m["text"] for m in out["months"]]
    assert texts[0].startswith("polisen-brott: antal anmälda brott för mars 2023–juni 2023 (4 månader)")
    assert texts[0].endswith("inläst 10 juli 2023.")
    assert texts[1].startswith("polisen-brott: antal anmälda brott för juli 2023–augusti 2023 (2 månader)")
    assert texts[1].endswith("inläst 10 sep 2023.")
    # a meeting between the two later deliveries sees only the last one
    later = since_last_meeting(store, settings, meeting_date=dt.date(2023, 8, 1), today=dt.date(2023, 9, 20),
                               with_hotspots=False)
    assert [(m["months"], m["read"]) for m in later["months"]] == [
        (_months("2023-07-01", "2023-08-01"), SEPTEMBER.date())]


def test_the_total_over_the_categories_is_named_in_swedish(three_deliveries):
    store, settings = three_deliveries
    out = since_last_meeting(store, settings, meeting_date=MEETING, today=dt.date(2023, 9, 20),
                             with_hotspots=False)
    now = overview_table(store, settings)["comparison"]
    # the reference: the overview itself holds a row for the total of Hässelby torg, significant now
    total = now[(now["place_id"] == "hasselby-torg") & (now["category"] == "alla")]
    assert len(total) == 1 and bool(total["significant"].iloc[0])
    names = {c["category"]: c["category_name"] for c in out["changes"]}
    assert names == {"alla": "Alla kategorier", "personran": "Personrån"}
    for c in out["changes"]:
        assert ", alla (" not in c["text"] and ", alla (" not in c["detail"]
        assert c["text"].startswith(f"Hässelby torg, {c['category_name']} (2021–2022 och 2022–2023): ny ökning")
