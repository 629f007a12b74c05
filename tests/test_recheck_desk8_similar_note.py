"""Jämför's note on "Liknande platser" says what similar_places does when the chosen place has no
known population.

desk7's re-check (fictitious Huddinge store): for Botkyrka (a kommun without population) Huddinge (also
without population) was suggested, while the note said places without a known population "föreslås
inte". similar_places' documented rule: without a population for the chosen place only the crime mix
counts, and candidates without one are not left out. The expectations come from the places as written
here: ``utan-a`` and ``utan-b`` have no ``befolkning``, ``med`` has 5 000 inhabitants.
"""

from __future__ import annotations

import json

import pytest

from lagesbild.analysis.side_by_side import side_by_side
from tests.square_place import demo_with_files, square

PERIODS = ["2021–2022", "2022–2023"]


@pytest.fixture(scope="module")
def store(demo_store_path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("similar")
    places = [("utan-a", "Utanby A", None, 18.00), ("utan-b", "Utanby B", None, 18.02),
              ("med", "Medby", 5000, 18.04)]
    features = [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": square(lon, 59.40, 0.004)},
                 "properties": {"place_id": pid, "namn": name, "typ": "centrum",
                                **({"befolkning": pop} if pop else {})}}
                for pid, name, pop, lon in places]
    (folder / "p.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}),
                                      encoding="utf-8")
    lines = ["Plats;Brottskategori;Månad;Antal"]
    for _, name, _, _ in places:  # every month of sep 2021–aug 2023
        for year, month in [(2021 + (m + 8) // 12, (m + 8) % 12 + 1) for m in range(24)]:
            lines.append(f"{name};Skadegörelse;{year}-{month:02d};4")
            lines.append(f"{name};Misshandel;{year}-{month:02d};2")
    (folder / "c.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings, st = demo_with_files(demo_store_path, folder, {"places": folder / "p.geojson",
                                                            "crimes": folder / "c.csv"})
    return st, settings


def _similar(store, place):
    st, settings = store
    res = side_by_side(st, settings, places=[place], periods=PERIODS, similar=3)
    note = [n for n in res["notes"] if n.startswith("Liknande platser")]
    assert len(note) == 1
    return res["similar"], note[0]


def test_place_without_population_gets_a_note_that_allows_places_without_one(store):
    sim, note = _similar(store, "utan-a")
    assert "utan-b" in set(sim["place_id"])  # the rule: only the mix counts, b has none either
    assert "föreslås inte" not in note
    assert "Utanby A har inget känt invånarantal" in note
    assert "även platser utan känt invånarantal kan föreslås" in note
    assert "befolkningskvot" not in note  # the population takes no part in the distance


def test_place_with_population_keeps_the_note_that_leaves_them_out(store):
    sim, note = _similar(store, "med")
    assert not {"utan-a", "utan-b"} & set(sim["place_id"])
    assert "platser utan känt invånarantal kan inte jämföras per invånare och föreslås inte" in note
