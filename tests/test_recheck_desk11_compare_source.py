"""desk11 re-check (a Järfälla store): Jämför's chart named Brå as a source of places the police counted.

Beside Brå's monthly table of the kommun (source ``bra-brott``), two places whose only crime data are the
police's incidents: Jämför platser' chart said "Källa: Polisen och Brå, anmälda brott" (the pack's charts
of the same places say "Polisen", analysis.pack.places_crime_source). Reference: the files the test
writes.
"""

from __future__ import annotations

import json

from plotly.utils import PlotlyJSONEncoder

from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import load_settings

MONTHS = ["Januari", "Februari", "Mars", "April", "Maj", "Juni", "Juli", "Augusti", "September", "Oktober",
          "November", "December"]


def _square(x0, y0):
    return [[[x0, y0], [x0 + 1000, y0], [x0 + 1000, y0 + 1000], [x0, y0 + 1000], [x0, y0]]]


def _store(folder):
    feats = [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": _square(x0, 6591000)},
              "properties": {"place_id": pid, "namn": name, "typ": "omrade", "befolkning": pop}}
             for pid, name, x0, pop in (("skalby", "Skälby", 661000, 6441), ("barkarby", "Barkarby", 663000, 3325))]
    (folder / "platser.geojson").write_text(json.dumps({
        "type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}},
        "features": feats}), encoding="utf-8")
    inc = [f"K{n};{2023 + n % 3}-{1 + n % 12:02d}-{1 + n % 27:02d};{n % 24:02d}:15;Skadegörelse;"
           f"{(661100 if n % 2 else 663100) + n % 700};{6591100 + n % 600}" for n in range(600)]
    (folder / "incidenter.csv").write_text("Id;Datum;Tid;Brottskategori;X;Y\n" + "\n".join(inc) + "\n",
                                           encoding="utf-8")
    rows = [f"0123 Järfälla;Skadegörelsebrott;{y};" + ";".join(str(80 + m) for m in range(12))
            + f";{sum(80 + m for m in range(12))}" for y in (2023, 2024, 2025)]
    (folder / "bra.csv").write_text("Anmälda brott, antal. FIKTIVA\nKälla: Brå\n\nKommun;Brott;År;" + ";".join(MONTHS)
                                    + ";Totalt\n" + "\n".join(rows) + "\n", encoding="utf-8")
    settings = load_settings({}, data_dir=str(folder), db=str(folder / "store.sqlite"))
    store = open_store(settings)
    for kind, name in (("places", "platser.geojson"), ("incidents", "incidenter.csv"), ("crimes", "bra.csv")):
        ingest_file(store, kind, folder / name)
    return settings, store


def test_jamfor_names_the_police_for_places_counted_by_the_police(tmp_path):
    from lagesbild.analysis.base import crime_source
    from lagesbild.web.views.side_by_side import compare_view

    settings, store = _store(tmp_path)
    assert any(s.startswith("bra") for s in set(store.sources()["source"]))  # Brå's table is in the store
    assert crime_source(store) == "Polisen och Brå, anmälda brott"  # the store has both publishers
    page = compare_view(store, settings, places=["skalby", "barkarby"], periods=["2023–2024", "2024–2025"],
                        measure="antal")
    text = json.dumps(page, cls=PlotlyJSONEncoder, ensure_ascii=False)
    assert "Skälby" in text and "Källa: Polisen, anmälda brott" in text
    assert "Polisen och Brå" not in text  # the old chart's source line
