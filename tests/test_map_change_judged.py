"""Karta's "Förändring mellan perioder": a cell is a new or ended hot spot only where the change is
beyond chance; otherwise "het punkt i bara en period, ingen säkerställd förändring".

A district with an unchanged hot spot (Hässelby torg, the same 25 extra crimes a month) on an even
background, 2021–2022 against 2022–2023: a cell at the edge of the hot spot flips between 90 % and 95 %
confidence by chance and was drawn as "ny het punkt" or "upphörd het punkt" (stats2 found the same in
Sedan sist and fixed it there). The neighbourhood's share of the district's crimes is now tested
(Fisher, BH over the map's such cells, :func:`lagesbild.core.hotspot_change.judged_change`); a hot spot
that really appears is still new.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from lagesbild.analysis.maps import map_layers
from lagesbild.core.hotspot_change import CHANGE_LABELS
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import load_settings
from tests.test_recheck_stats2_since_hotspots import CENTRUM, PLACES, TORG, _month_rows

FLIPS = {CHANGE_LABELS["new"], CHANGE_LABELS["ended"]}


def _store(folder, seed, clusters_of):
    settings = load_settings({}, data_dir=str(folder), db=str(folder / "s.sqlite"))
    store = open_store(settings)
    ingest_file(store, "places", PLACES)
    geom = store.places_gdf().set_index("place_id").loc["hasselby-vallingby", "geometry"]
    rng = np.random.default_rng(seed)
    rows = [r for m in pd.date_range("2021-09-01", "2023-08-01", freq="MS")
            for r in _month_rows(rng, m, geom, 700, clusters_of(m))]
    path = folder / "brott.csv"
    pd.DataFrame(rows, columns=["Händelse-id", "Brottsdatum", "Klockslag", "Brottskategori", "E", "N"]) \
        .to_csv(path, index=False)
    assert ingest_file(store, "incidents", path, crs=3006, source="inc").status == "ok"
    return settings, store


def _change(settings, store):
    res = map_layers(store, settings, area="hasselby-vallingby", category="skadegorelse", period="2022–2023",
                     period2="2021–2022", mode="change")
    assert not res.get("problem"), res.get("problem")
    return res["cells"]


def test_an_unchanged_hot_spot_has_no_new_or_ended_cells(tmp_path):
    flipped, chance = 0, 0
    for seed in range(6):
        folder = tmp_path / str(seed)
        folder.mkdir()
        cells = _change(*_store(folder, seed, lambda m: [(TORG, 25)]))
        flipped += int(cells["change"].isin(FLIPS).sum())
        chance += int((cells["change"] == CHANGE_LABELS["chance"]).sum())
        assert (cells["change"] == CHANGE_LABELS["persistent"]).any()  # the hot spot is there in both
    assert flipped == 0
    assert chance > 0  # the flips happen, and are called what they are


def test_a_hot_spot_that_appears_is_new(tmp_path):
    settings, store = _store(tmp_path, 9, lambda m: [(TORG, 25)] + (
        [(CENTRUM, 40)] if m >= pd.Timestamp("2022-09-01") else []))
    cells = _change(settings, store)
    new = cells[cells["change"] == CHANGE_LABELS["new"]]
    assert len(new) and shapely.union_all(new.geometry.values).distance(shapely.Point(CENTRUM)) < 200


@pytest.mark.parametrize("label", ["chance"])
def test_the_map_draws_the_class(label):
    from lagesbild.figures import palette

    assert palette.CHANGE_CLASSES[label][0].lower() == CHANGE_LABELS[label]


def test_the_page_s_note_says_when_a_cell_is_new_or_ended(demo_store, demo_settings):
    from lagesbild.web.views.map import map_view
    from tests.test_web_callbacks import text_of

    shown = text_of(map_view(demo_store, demo_settings, area="hagersten-alvsjo", category=["skadegorelse"],
                             period="2022–2023", period2="2021–2022", mode="forandring"))
    assert "när rutans grannskap fått en säkerställt större respektive mindre andel" in shown
    assert "annars grå: het i bara en period utan säkerställd förändring" in shown
    assert "ny = het bara under den senare perioden, upphörd = bara under den tidigare." not in shown
