"""Plats' share of the district cuts a part year where the comparison does: at the last whole month.

same3's finding: with the police's file extracted on 19 November (data to the 18th), the share table
and the pack's share chart compared Sep–Nov of two Sep–Aug years — the November of the later year
only its first 18 days — under a note saying data run "t.o.m. 30 nov", while the comparison table of
the same place compared Sep–Oct. The share's periods were cut at the cube's last month, not at the
last day of complete data.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import shapely

from lagesbild.analysis import base, place_comparison
from lagesbild.analysis.place import place_shares
from lagesbild.ingest import ingest_file

PER_DAY = {"varberg": 1, "satra": 2}  # Vårberg and Sätra, both in Skärholmen


def _file(store, path, first, last):
    """Incidents every day from ``first`` to ``last``: PER_DAY of them inside each place."""
    shapes = store.places_gdf().set_index("place_id")["geometry"]
    rng = np.random.default_rng(7)
    rows = []
    for place, n in PER_DAY.items():
        geom = shapes[place]
        minx, miny, maxx, maxy = geom.bounds
        for day in pd.date_range(first, last, freq="D"):
            got = 0
            while got < n:
                x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
                if shapely.contains_xy(geom.buffer(-5), x, y):
                    got += 1
                    rows.append((f"{place}-{day.date()}-{got}", day.date().isoformat(), "12:00",
                                 "Skadegörelse", round(x, 1), round(y, 1)))
    pd.DataFrame(rows, columns=["Händelse-id", "Brottsdatum", "Klockslag", "Brottskategori", "E", "N"]) \
        .to_csv(path, index=False)
    return path


def test_the_share_compares_the_whole_months_the_comparison_compares(places_store, tmp_path):
    store = places_store
    path = _file(store, tmp_path / "syd.csv", "2024-09-01", "2026-11-18")
    assert ingest_file(store, "incidents", path, crs=3006, extracted_at="2026-11-19").status == "ok"
    assert base.data_until(store) == dt.date(2026, 11, 18)
    periods = ["2025–2026", "2026–2027"]

    shares = place_shares(store, "varberg", periods, categories=["skadegorelse"])
    district = shares[(shares["parent_id"] == "skarholmen") & (shares["category"] == "skadegorelse")]
    # by hand: September and October of each year, 61 days; one a day at Vårberg, three in Skärholmen
    assert district["count_place"].tolist() == [61, 61]
    assert district["count_parent"].tolist() == [183, 183]
    assert district["end"].dt.date.tolist() == [dt.date(2025, 10, 31), dt.date(2026, 10, 31)]
    assert all("31 okt 2026" in note for note in district["note"])

    # the same numbers as the comparison table of the same place and periods
    compared = place_comparison(store, "varberg", periods, categories=["skadegorelse"])
    row = compared[compared["category"] == "skadegorelse"].iloc[0]
    assert (row["count_a"], row["count_b"]) == (61, 61)


def test_the_cut_note_does_not_say_the_data_end_before_the_header_does(places_store, tmp_path):
    """meet3: with data to 18 November, Plats' header said "data t.o.m. 18 nov 2026" and the
    comparison's note "… eftersom data bara finns t.o.m. 31 okt 2026": two ends of the same data. The
    cut is at the last whole month, and the note says so."""
    store = places_store
    path = _file(store, tmp_path / "syd.csv", "2024-09-01", "2026-11-18")
    assert ingest_file(store, "incidents", path, crs=3006, extracted_at="2026-11-19").status == "ok"
    compared = place_comparison(store, "varberg", ["2025–2026", "2026–2027"], categories=["skadegorelse"])
    note = compared[compared["category"] == "skadegorelse"].iloc[0]["note"]
    assert "data för hela månader bara finns t.o.m. 31 okt 2026" in note
    assert "data bara finns t.o.m. 31 okt" not in note
