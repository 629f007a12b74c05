"""Quick spans of a place end where the place's own incident data end (stats2 recheck).

Two police exports: one for Vårberg to 15 November (extracted the 16th), one for Hässelby torg that
ends on 20 October (extracted the 21st). The quick spans ended on the store's last day, 15 November,
for both places, so Hässelby torg's last 28 days held 26 days without data: 56 crimes against 4 were
a "minskning, statistiskt säkerställd" (and year to date and 12 months too), at an unchanged two
crimes a day.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import shapely

from lagesbild.analysis import meeting
from lagesbild.ingest import ingest_file

#: crimes every day at each place: an unchanged rate, so nothing may be called a change
PER_DAY = {"varberg": 3, "hasselby-torg": 2}


def _file(store, place_id, first, last, path, seed):
    geom = store.places_gdf().set_index("place_id").loc[place_id, "geometry"]
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = geom.bounds
    rows = []
    for day in pd.date_range(first, last, freq="D"):
        got = 0
        while got < PER_DAY[place_id]:
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            if shapely.contains_xy(geom, x, y):
                got += 1
                rows.append((f"{place_id}-{day.date()}-{got}", day.date().isoformat(), "12:00",
                             "Skadegörelse", round(x, 1), round(y, 1)))
    pd.DataFrame(rows, columns=["Händelse-id", "Brottsdatum", "Klockslag", "Brottskategori", "E", "N"]) \
        .to_csv(path, index=False)
    return path


def test_a_place_whose_export_ends_earlier_has_its_spans_end_with_its_own_data(places_store, settings, tmp_path):
    store = places_store
    a = _file(store, "varberg", "2023-01-01", "2026-11-15", tmp_path / "syd.csv", 1)
    b = _file(store, "hasselby-torg", "2023-01-01", "2026-10-20", tmp_path / "vast.csv", 2)
    assert ingest_file(store, "incidents", a, crs=3006, extracted_at="2026-11-16", source="polisen-syd").status == "ok"
    assert ingest_file(store, "incidents", b, crs=3006, extracted_at="2026-10-21", source="polisen-vast").status == "ok"

    torg = meeting.quick_comparison(store, settings, place="hasselby-torg").set_index("span")
    # the place's own last day, 20 October: the 28 days are 23 Sep – 20 Oct, the year 1 Jan – 20 Oct
    assert (torg["end_b"] == dt.date(2026, 10, 20)).all()
    assert (torg["end_a"] == dt.date(2025, 10, 20)).all()
    assert torg.loc["28d", "start_b"] == dt.date(2026, 9, 23)
    # counted by hand: two a day on every day of each span
    for span, row in torg.iterrows():
        assert row["count_a"] == 2 * row["days_a"] and row["count_b"] == 2 * row["days_b"], span
    assert not torg["significant"].any()
    assert (torg["verdict"] == "ingen säkerställd förändring").all()

    # the place whose export runs on keeps its own end, 15 November
    berg = meeting.quick_comparison(store, settings, place="varberg").set_index("span")
    assert (berg["end_b"] == dt.date(2026, 11, 15)).all()
    for span, row in berg.iterrows():
        assert row["count_a"] == 3 * row["days_a"] and row["count_b"] == 3 * row["days_b"], span
    assert not berg["significant"].any()


def test_a_place_without_an_extraction_date_ends_with_its_last_incident(places_store, settings, tmp_path):
    store = places_store
    a = _file(store, "varberg", "2023-01-01", "2026-11-15", tmp_path / "syd.csv", 3)
    b = _file(store, "hasselby-torg", "2023-01-01", "2026-10-12", tmp_path / "vast.csv", 4)
    assert ingest_file(store, "incidents", a, crs=3006, extracted_at="2026-11-16", source="polisen-syd").status == "ok"
    assert ingest_file(store, "incidents", b, crs=3006, source="polisen-vast").status == "ok"
    torg = meeting.quick_comparison(store, settings, place="hasselby-torg")
    assert (torg["end_b"] == dt.date(2026, 10, 12)).all()
    assert (torg["count_b"] == 2 * torg["days_b"]).all() and (torg["count_a"] == 2 * torg["days_a"]).all()
    assert not torg["significant"].any()
