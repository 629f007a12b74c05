"""Places are listed in Swedish alphabetical order (meeting2's finding: ``status`` listed "Östertälje
gård" between Hovsjö and Ronna, by its id; the dropdowns, by code point, put Vällingby before Vårberg
and Älvsjö before Årsta). The reference is a Swedish dictionary's order: a–z, then å, ä, ö."""

from __future__ import annotations

import json

from lagesbild.analysis import base
from lagesbild.cli import main

#: in the order a Swedish dictionary gives them
NAMES = ["de Geer-parken", "Hovsjö", "Ronna", "Vårby", "Vällinge", "Västerby", "Zakrisdal", "Årsta",
         "Älvsjö", "Östertälje gård"]


def _square(i, name):
    x, y = 640000 + 1000 * i, 6560000
    ring = [[x, y], [x + 500, y], [x + 500, y + 500], [x, y + 500], [x, y]]
    return {"type": "Feature", "properties": {"id": f"p{(7 * i) % 10}", "namn": name, "typ": "omrade"},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_status_and_the_place_lists_are_in_swedish_order(store, tmp_path, capsys):
    shuffled = NAMES[5:] + NAMES[:5]
    path = tmp_path / "platser.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection",
                                "crs": {"type": "name", "properties": {"name": "EPSG:3006"}},
                                "features": [_square(i, n) for i, n in enumerate(shuffled)]}), encoding="utf-8")
    assert main(["--db", store.url, "ingest", "--no-progress", "places", str(path)]) == 0
    capsys.readouterr()
    assert main(["--db", store.url, "status", "--format", "json"]) == 0
    listed = [p["namn"] for p in json.loads(capsys.readouterr().out)["platser"]]
    assert listed == NAMES
    assert base.places(store)["name"].tolist() == NAMES
