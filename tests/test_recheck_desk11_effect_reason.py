"""desk11 re-check: ``effect`` for an activity without a start said it lacked "startdatum eller kopplad
plats" of an activity linked to Görväln (an XLSX plan's "Ordningsvakter Görväln sommartid", löptid
"t.o.m. augusti 2026": an end, no start). It now names what is missing. Reference: the plan the test
writes (a place, no start; a start, no place).
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout

from lagesbild.cli import main
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import load_settings

SQUARE = [[[661000, 6591000], [662000, 6591000], [662000, 6592000], [661000, 6592000], [661000, 6591000]]]


def _db(folder):
    (folder / "platser.geojson").write_text(json.dumps({
        "type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}},
        "features": [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": SQUARE},
                      "properties": {"place_id": "gorvaln", "namn": "Görväln", "typ": "omrade"}}]}), encoding="utf-8")
    rows = [f"Görväln;Skadegörelse;{2024 + i // 12}-{i % 12 + 1:02d};{i % 4}" for i in range(30)]
    (folder / "brott.csv").write_text("Plats;Brottskategori;Månad;Antal\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (folder / "plan.yaml").write_text(
        "aktiviteter:\n"
        "- id: vakter\n  aktivitet: Ordningsvakter Görväln sommartid\n  plats: [Görväln]\n"
        "  löptid: t.o.m. augusti 2026\n"
        "- id: utan-plats\n  aktivitet: Samverkansmöte\n  löptid: Start mars 2025, tillsvidare\n",
        encoding="utf-8")
    settings = load_settings({}, data_dir=str(folder), db=str(folder / "store.sqlite"))
    store = open_store(settings)
    for kind, name in (("places", "platser.geojson"), ("crimes", "brott.csv"), ("activities", "plan.yaml")):
        ingest_file(store, kind, folder / name)
    return str(folder / "store.sqlite")


def _effect(db, activity) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--db", db, "effect", "--activity", activity]) == 0
    return out.getvalue()


def test_effect_names_what_the_activity_lacks(tmp_path):
    db = _db(tmp_path)
    no_start = _effect(db, "vakter")
    assert "saknar startdatum" in no_start and "kopplad plats" not in no_start, no_start
    no_place = _effect(db, "utan-plats")
    assert "inte kopplad till någon plats" in no_place and "startdatum" not in no_place, no_place
