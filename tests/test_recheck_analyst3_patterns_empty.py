"""Mönster's empty state names what is empty: a place with incident-level data of other categories but
none of the chosen one said "det finns inga brott med koordinater i <plats>" and told the analyst to read
in incident-level data under Data, which the store already held (analyst3's finding, Solhems torg with no
personrån in a store of its own)."""

from __future__ import annotations

import json

import pytest

from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import load_settings
from tests.test_web_callbacks import text_of

NBSP = "\u00a0"
SW = (666600.0, 6575600.0)


@pytest.fixture(scope="module")
def one_category_place(tmp_path_factory):
    """A place of 400 m × 400 m with ten criminal-damage crimes in 2022–2023 and nothing else."""
    folder = tmp_path_factory.mktemp("monster_empty")
    x0, y0 = SW
    places = {"type": "FeatureCollection",
              "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}},
              "features": [{"type": "Feature",
                            "properties": {"place_id": "st", "namn": "Solhems torg", "typ": "torg"},
                            "geometry": {"type": "Polygon", "coordinates": [[
                                [x0, y0], [x0 + 400, y0], [x0 + 400, y0 + 400], [x0, y0 + 400], [x0, y0]]]}}]}
    (folder / "places.geojson").write_text(json.dumps(places), encoding="utf-8")
    lines = ["Händelse-id,Brottsdatum,Klockslag,Brottskategori,E,N"]
    lines += [f"S-{i},2022-{9 + i % 4:02d}-{10 + i:02d},21:00,Skadegörelse,{x0 + 50 + 20 * i:.1f},{y0 + 60:.1f}"
              for i in range(10)]
    (folder / "inc.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    cfg = load_settings({}, data_dir=str(folder), db=str(folder / "s.sqlite"))
    store = open_store(cfg)
    ingest_file(store, "places", folder / "places.geojson")
    ingest_file(store, "incidents", folder / "inc.csv", crs="3006", extracted_at="2023-09-05")
    return store, cfg


def test_a_category_without_crimes_is_named_and_no_reading_in_is_asked_for(one_category_place):
    from lagesbild.web.views.patterns import patterns_view

    store, cfg = one_category_place
    text = text_of(patterns_view(store, cfg, place="st", category="personran", period="2022–2023"))
    text = text.replace(NBSP, " ")
    assert "inga brott i kategorin Personrån med koordinater i Solhems torg under 2022–2023" in text, text
    assert "läs in sådana under Data" not in text and "Välj en annan kategori" in text, text


def test_the_same_place_with_every_category_shows_its_ten_crimes(one_category_place):
    """Guard: the place does have incident-level data (ten crimes counted by hand above)."""
    from lagesbild.web.views.patterns import patterns_view

    store, cfg = one_category_place
    text = text_of(patterns_view(store, cfg, place="st", period="2022–2023")).replace(NBSP, " ")
    assert "Brott med koordinater" in text and "10" in text and "inga brott" not in text, text
