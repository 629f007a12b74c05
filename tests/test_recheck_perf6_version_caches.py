"""perf6 (issue 10): what a Plats change reads that depends only on the data version is kept per data
version, and a re-ingest (a new data version) gives new answers.

* ``analysis.place.place_frames``: a place's (and its parents') complete monthly counts and coverage,
  read once per data version and set of places (a period or category change at the same place read
  them again). New: the tests that call it fail on the code before (no such function); the re-ingest
  case checks the new counts against the file's own numbers, the other that no view modifies the kept
  frames.
* ``analysis.base.places_without_map`` (kept per data version since it was written) follows a places
  file that gives shapeless areas their shape: a guard (passes on the code before too).
* ``analysis.base.category_names`` kept per data version, a new dict each call: a guard.
* ``Store.coverage(place_ids)`` / ``monthly_counts(place_ids)`` joined their row positions with a
  stable sort instead of quicksort: the same rows as a boolean filter of the whole frame, for every
  place of the demo (a guard).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from lagesbild.analysis import base, memo
from lagesbild.analysis.place import place_frames, place_view
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import load_settings
from tests.e2e_support import copy_sqlite

BRA = Path(__file__).resolve().parent / "data" / "bra"
GBG_AREAS = {"centrum", "hisingen", "nordost", "sydvast"}


def _ids(store, place_id) -> list:
    return [place_id, *base.parent_ids(store, base.place(store, place_id))]


def test_places_without_map_follow_a_places_file_that_gives_the_shapes(store):
    ingest_file(store, "crimes", BRA / "bra_goteborg_ar.csv")  # Göteborg's stadsområden: no shape
    assert places_without_map_now(store) == GBG_AREAS
    assert base.places_without_map(store) == GBG_AREAS  # asked again: the kept answer
    geo = json.loads((BRA / "goteborg_stadsomraden.geojson").read_text(encoding="utf-8"))
    assert len(geo["features"]) == 4 and all(f["geometry"]["coordinates"] for f in geo["features"])
    assert ingest_file(store, "places", BRA / "goteborg_stadsomraden.geojson").status == "ok"
    assert base.places_without_map(store) == frozenset()  # the new version: every area has its shape
    assert places_without_map_now(store) == set()


def places_without_map_now(store) -> set:
    """The places whose stored shape is empty, read from the table itself (the independent answer)."""
    df = store.places()
    return set(df.loc[df["wkt_3006"].fillna("").str.upper().str.endswith("EMPTY") | df["wkt_3006"].isna(),
                      "place_id"])


def test_place_frames_follow_a_reingest(demo_store_path, tmp_path, monkeypatch):
    copy_sqlite(demo_store_path, tmp_path / "demo.sqlite")
    settings = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "demo.sqlite"))
    store = open_store(settings)
    monkeypatch.setattr(memo, "_MEMO", {})
    place, periods = "hasselby-torg", ["2021–2022", "2022–2023"]
    ids = _ids(store, place)
    monthly, coverage = place_frames(store, ids)
    assert place_frames(store, ids)[0] is monthly  # kept for the data version
    pd.testing.assert_frame_equal(monthly, base.complete_counts(store, place_ids=ids))
    pd.testing.assert_frame_equal(coverage, base.coverage_for(store, ids))
    place_view(store, settings, place, periods=periods)
    months = pd.date_range("2021-09-01", "2023-08-01", freq="MS")
    lines = ["Område;Brottstyp;Period;Antal"] + [f"Hässelby torg;Skadegörelse;{m:%Y-%m};{300 + i}"
                                                for i, m in enumerate(months)]
    (tmp_path / "c.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert ingest_file(store, "crimes", tmp_path / "c.csv", source="polisen-brott").status == "ok"
    new_monthly, new_coverage = place_frames(store, ids)
    assert new_monthly is not monthly
    own = new_monthly[(new_monthly["place_id"] == place) & (new_monthly["category"] == "skadegorelse")]
    got = own.set_index("month")["count"].reindex(months)
    assert got.tolist() == [300 + i for i in range(len(months))]  # the file's numbers
    assert set(own.loc[own["month"].isin(months), "source"]) == {"polisen-brott"}
    assert "polisen-brott" in set(new_coverage["source"])
    after = place_view(store, settings, place, periods=periods)
    counts = after["counts"].set_index(["category", "period"])["count"]
    assert counts["skadegorelse", "2022–2023"] == sum(300 + i for i in range(12, 24))
    assert counts["skadegorelse", "2021–2022"] == sum(300 + i for i in range(12))


@pytest.mark.parametrize("place", ["hasselby-torg", "varberg"])
def test_views_leave_the_kept_place_frames_as_they_were(demo_store, demo_settings, monkeypatch, place):
    monkeypatch.setattr(memo, "_MEMO", {})
    ids = _ids(demo_store, place)
    monthly, coverage = place_frames(demo_store, ids)
    kept = monthly.copy(deep=True), coverage.copy(deep=True)
    choices = [(None, None), (None, ["2021–2022", "2022–2023"]), (["skadegorelse", "stold"], None),
               (None, ["2019–2020", "2020–2021", "2021–2022", "2022–2023"]), (None, ["2021", "2022"]),
               (None, ["T1 2022", "T1 2023"]), (["ran"], ["2022-03-01–2022-06-15", "2023-03-01–2023-06-15"])]
    for cats, periods in choices:
        place_view(demo_store, demo_settings, place, categories=cats, periods=periods)
    again = place_frames(demo_store, ids)
    assert again[0] is monthly and again[1] is coverage  # the frames every view read
    pd.testing.assert_frame_equal(monthly, kept[0], check_exact=True)
    pd.testing.assert_frame_equal(coverage, kept[1], check_exact=True)


def test_category_names_a_new_dict_each_call(demo_store):
    cats = demo_store.categories()
    want = dict(zip(cats["category_id"], cats["name"], strict=True))
    names = base.category_names(demo_store)
    assert names == want and names["skadegorelse"] == "Skadegörelse"
    names["skadegorelse"] = "ändrad"
    names.pop("stold")
    assert base.category_names(demo_store) == want


def test_rows_of_places_are_the_filtered_rows_for_every_place(demo_store):
    whole_cov, whole_mon = demo_store.coverage(), demo_store.monthly_counts()
    for pid in demo_store.places()["place_id"]:
        ids = _ids(demo_store, pid)
        cov = demo_store.coverage(place_ids=ids)
        want = whole_cov[whole_cov["place_id"].isin(ids) | whole_cov["place_id"].isna()]
        pd.testing.assert_frame_equal(cov.reset_index(drop=True), want.reset_index(drop=True), check_exact=True)
        mon = demo_store.monthly_counts(place_ids=ids)
        pd.testing.assert_frame_equal(mon, whole_mon[whole_mon["place_id"].isin(ids)].reset_index(drop=True),
                                      check_exact=True)
