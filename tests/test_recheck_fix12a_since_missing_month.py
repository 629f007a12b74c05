"""Sedan sist lists the months of data that arrived, not the months a file marks missing.

desk11's re-check: a Brå table whose November 2026 was ".." (Brå's and SCB's mark for a missing value)
was listed as "januari 2018–november 2026 (107 månader)" while ``status`` said 2018-01–2026-10. A
missing month is stored without a count and without coverage; Sedan sist now takes its months from the
store's coverage, as status does.

The store here: a first delivery (Jan–Feb 2023) read before the meeting on 10 March 2023, a second
(Mar–May 2023) read after it whose May is ".." on every row and whose April is ".." for Personrån.
By hand: the months that arrived are March and April 2023 (2 months), of Narkotikabrott and Personrån
(Personrån in March), and status's last month of the source is 2023-04.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from lagesbild.analysis.since_meeting import since_last_meeting
from lagesbild.analysis.status import store_status
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings
from lagesbild.store import schema as t

PLACES = ROOT / "geodata" / "places.geojson"
MEETING = dt.date(2023, 3, 10)
BEFORE = dt.datetime(2023, 3, 5, 12, 0)
SOURCE = "polisen-brott"


def _file(path, rows):
    """rows: (place, category, month YYYY-MM, count text)."""
    path.write_text("Område,Brottstyp,Period,Antal\n" + "".join(f"{p},{c},{m},{n}\n" for p, c, m, n in rows),
                    encoding="utf-8")
    return path


def _store(tmp_path, second_rows):
    settings = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite"))
    store = open_store(settings)
    ingest_file(store, "places", PLACES)
    first = ingest_file(store, "crimes", _file(tmp_path / "a.csv", [
        ("Hässelby torg", cat, m, 20) for cat in ("Personrån", "Narkotikabrott") for m in ("2023-01", "2023-02")]),
        source=SOURCE)
    with store.engine.begin() as conn:  # read before the meeting
        conn.execute(update(t.ingest_log).where(t.ingest_log.c.ingest_id == first.ingest_id)
                     .values(started_at=BEFORE, finished_at=BEFORE))
    second = ingest_file(store, "crimes", _file(tmp_path / "b.csv", second_rows), source=SOURCE)
    assert second.status == "ok", second.message
    return store, settings


def test_a_month_marked_missing_is_not_listed_as_arrived(tmp_path):
    store, settings = _store(tmp_path, [
        ("Hässelby torg", "Narkotikabrott", "2023-03", 25), ("Hässelby torg", "Personrån", "2023-03", 22),
        ("Hässelby torg", "Narkotikabrott", "2023-04", 27), ("Hässelby torg", "Personrån", "2023-04", ".."),
        ("Hässelby torg", "Narkotikabrott", "2023-05", ".."), ("Hässelby torg", "Personrån", "2023-05", "..")])
    res = since_last_meeting(store, settings, meeting_date=MEETING, today=dt.date(2023, 6, 1),
                             with_hotspots=False)
    (item,) = res["months"]
    assert item["months"] == [dt.date(2023, 3, 1), dt.date(2023, 4, 1)]
    assert "för mars 2023–april 2023 (2 månader), Narkotikabrott, Personrån," in item["text"]
    assert "maj" not in item["text"]
    # the same months as status
    (row,) = [s for s in store_status(store)["källor"] if s["källa"] == SOURCE]
    assert (row["första_månad"], row["sista_månad"]) == ("2023-01", "2023-04")
    assert max(item["months"]).strftime("%Y-%m") == row["sista_månad"]


def test_a_delivery_of_only_missing_months_brings_nothing_new(tmp_path):
    store, settings = _store(tmp_path, [("Hässelby torg", "Narkotikabrott", "2023-03", ".."),
                                        ("Hässelby torg", "Personrån", "2023-03", "..")])
    res = since_last_meeting(store, settings, meeting_date=MEETING, today=dt.date(2023, 6, 1),
                             with_hotspots=False)
    assert res["months"] == [] and res["changes"] == []


def test_a_delivery_with_every_month_counted_is_listed_whole(tmp_path):
    # a guard: nothing missing, every month read in is listed
    store, settings = _store(tmp_path, [("Hässelby torg", cat, m, 21) for cat in ("Personrån", "Narkotikabrott")
                                        for m in ("2023-03", "2023-04")])
    res = since_last_meeting(store, settings, meeting_date=MEETING, today=dt.date(2023, 6, 1),
                             with_hotspots=False)
    (item,) = res["months"]
    assert item["months"] == [dt.date(2023, 3, 1), dt.date(2023, 4, 1)]
    assert "för mars 2023–april 2023 (2 månader), Narkotikabrott, Personrån," in item["text"]
