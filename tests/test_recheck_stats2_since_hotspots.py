"""Sedan sist names a hot spot that appeared or ended only when the change itself is beyond chance (stats2).

A district with an unchanged hot spot (Hässelby torg, the same 25 extra crimes a month) on an even
background: the twelve months up to December (the data at the meeting) against the twelve up to
March. Nothing changed, yet a cell at the edge of the hot spot flips between 90 % and 95 % and was said
as "ny het punkt" or "het punkt har upphört": in 3 of the 8 seeded districts below (on a plain
4 × 4 km square, 8 of 10 maps a month apart). Now the
neighbourhood's share of the district's crimes in the months the two maps do not share is tested
(Fisher, one Benjamini–Hochberg family), and a hot spot that really appeared is still named.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from lagesbild.analysis.since_meeting import hotspot_changes
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings

PLACES = ROOT / "geodata" / "places.geojson"
#: the last month of data at the meeting
THEN_LAST = "2022-12-01"
TORG, CENTRUM = (661560, 6584370), (663220, 6584010)


def _month_rows(rng, month, geom, background, clusters):
    minx, miny, maxx, maxy = geom.bounds
    xy = np.c_[rng.uniform(minx, maxx, background * 3), rng.uniform(miny, maxy, background * 3)]
    xy = xy[shapely.contains_xy(geom, xy[:, 0], xy[:, 1])][:background]
    for (cx, cy), n in clusters:
        r, a = 150 * np.sqrt(rng.uniform(0, 1, n)), rng.uniform(0, 2 * np.pi, n)
        xy = np.r_[xy, np.c_[cx + r * np.cos(a), cy + r * np.sin(a)]]
    days = rng.integers(1, 29, len(xy))
    return [(f"{month:%Y%m}-{i}", f"{month:%Y-%m}-{d:02d}", "12:00", "Skadegörelse", round(x, 1), round(y, 1))
            for i, ((x, y), d) in enumerate(zip(xy, days, strict=True))]


def _stores(tmp_path, seed, clusters_of):
    """(then, now): the district's incidents to Dec 2022 and to Mar 2023 (the same months before)."""
    settings = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "now.sqlite"))
    stores = [open_store(load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / f"{n}.sqlite")))
              for n in ("then", "now")]
    for s in stores:
        ingest_file(s, "places", PLACES)
    geom = stores[0].places_gdf().set_index("place_id").loc["hasselby-vallingby", "geometry"]
    rng = np.random.default_rng(seed)
    rows = {m: _month_rows(rng, m, geom, 700, clusters_of(m))
            for m in pd.date_range("2022-03-01", "2023-03-01", freq="MS")}
    cols = ["Händelse-id", "Brottsdatum", "Klockslag", "Brottskategori", "E", "N"]
    for s, last, name in ((stores[0], THEN_LAST, "then"), (stores[1], "2023-03-01", "now")):
        path = tmp_path / f"{name}.csv"
        pd.DataFrame([r for m, rs in rows.items() if m <= pd.Timestamp(last) for r in rs], columns=cols) \
            .to_csv(path, index=False)
        assert ingest_file(s, "incidents", path, crs=3006, source="inc").status == "ok"
    return settings, stores[0], stores[1]


def test_an_unchanged_hot_spot_is_not_said_to_have_appeared_or_ended(tmp_path):
    said = []
    for seed in range(8):
        folder = tmp_path / str(seed)
        folder.mkdir()
        settings, then, now = _stores(folder, seed, lambda m: [(TORG, 25)])
        said += hotspot_changes(now, then, settings, ["hasselby-vallingby"])
    assert said == []


def test_a_hot_spot_that_appears_in_the_new_months_is_named(tmp_path):
    # the last month brings 120 crimes at Vällingby centrum, where there were none
    settings, then, now = _stores(tmp_path, 9, lambda m: [(TORG, 25)] + (
        [(CENTRUM, 120)] if m == pd.Timestamp("2023-03-01") else []))
    said = hotspot_changes(now, then, settings, ["hasselby-vallingby"])
    assert [(h["change"], h["places"]) for h in said] == [("ny", ["Vällingby centrum"])]
