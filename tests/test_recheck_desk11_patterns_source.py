"""desk11 re-check (a Järfälla store): Mönster's charts named Brå as a source of a place's incidents.

A store with Brå's monthly table for the kommun (source ``bra-brott``) beside the police's incident file:
every chart on Mönster said "Källa: Polisen och Brå, anmälda brott" of a place whose only crime data are
the police's incidents (the pack's charts of the same place say "Polisen", analysis.pack.places_crime_source).
Reference: the files the test writes — the place holds incidents only.
"""

from __future__ import annotations

import json

from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import load_settings

MONTHS = ["Januari", "Februari", "Mars", "April", "Maj", "Juni", "Juli", "Augusti", "September", "Oktober",
          "November", "December"]


def _store(folder):
    sq = [[[661000, 6591000], [662000, 6591000], [662000, 6592000], [661000, 6592000], [661000, 6591000]]]
    (folder / "platser.geojson").write_text(json.dumps({
        "type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}},
        "features": [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": sq},
                      "properties": {"place_id": "jakobsberg", "namn": "Jakobsberg centrum", "typ": "centrum",
                                     "befolkning": 5625}}]}), encoding="utf-8")
    inc = [f"K{n};2025-{1 + n % 12:02d}-{1 + n % 27:02d};{n % 24:02d}:15;Skadegörelse;{661100 + n * 7};{6591100 + n * 5}"
           for n in range(120)]
    (folder / "incidenter.csv").write_text("Id;Datum;Tid;Brottskategori;X;Y\n" + "\n".join(inc) + "\n",
                                           encoding="utf-8")
    rows = [f"0123 Järfälla;Skadegörelsebrott;{y};" + ";".join(str(80 + m) for m in range(12)) + f";{sum(80 + m for m in range(12))}"
            for y in (2024, 2025)]
    (folder / "bra.csv").write_text("Anmälda brott, antal. FIKTIVA\nKälla: Brå\n\nKommun;Brott;År;" + ";".join(MONTHS)
                                    + ";Totalt\n" + "\n".join(rows) + "\n", encoding="utf-8")
    settings = load_settings({}, data_dir=str(folder), db=str(folder / "store.sqlite"))
    store = open_store(settings)
    for kind, name in (("places", "platser.geojson"), ("incidents", "incidenter.csv"), ("crimes", "bra.csv")):
        ingest_file(store, kind, folder / name)
    return settings, store


def test_monster_names_the_police_for_a_place_counted_by_the_police(tmp_path):
    from lagesbild.analysis.base import crime_source
    from lagesbild.web.views.patterns import patterns_view

    settings, store = _store(tmp_path)
    sources = set(store.sources()["source"])
    assert any(s.startswith("bra") for s in sources), sources  # Brå's table is in the store
    assert crime_source(store) == "Polisen och Brå, anmälda brott"  # the store has both publishers
    text = json.dumps([c.to_plotly_json() for c in patterns_view(store, settings, place="jakobsberg",
                                                                 period="2025")], default=str, ensure_ascii=False)
    assert "Källa: Polisen, anmälda brott" in text
    assert "Polisen och Brå" not in text  # the old charts' source line
