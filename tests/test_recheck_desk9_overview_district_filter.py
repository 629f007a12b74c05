"""Översikt's "Stadsdelsområde" filter offers the stored stadsdelsområden. In a kommun without any
(desk9's fictitious Södertälje: places in the kommun, no stadsdelsområde) it stood empty, "Alla
stadsdelsområden" with nothing to choose, a Stockholm word in another kommun. It is not shown there
(the dropdown stays, hidden, for the URL state), and shown where there are stadsdelsområden."""

from __future__ import annotations

import json
import sys

from lagesbild.settings import load_settings
from lagesbild.store import Store
from tests.test_cli import run

SQUARE = [[17.50, 59.10], [17.52, 59.10], [17.52, 59.11], [17.50, 59.11], [17.50, 59.10]]


def _places(tmp_path, district: str):
    path = tmp_path / "platser.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
        "properties": {"Kod": "hovsjo", "Namn": "Hovsjö", "TYP": "Utsatt område",
                       "Stadsdelsområde": district, "Befolkning": 6400}}]}), encoding="utf-8")
    return path


def _walk(component):
    if isinstance(component, (list, tuple)):
        for c in component:
            yield from _walk(c)
        return
    if component is None or isinstance(component, (str, int, float)):
        return
    yield component
    yield from _walk(getattr(component, "children", None))


def _district_control(tmp_path, district: str):
    db = tmp_path / "store.sqlite"
    res = run("ingest", "places", _places(tmp_path, district), "--no-progress", db=db)
    assert res.returncode == 0, res.stderr
    cfg = load_settings({}, data_dir=str(tmp_path), db=str(db))
    from lagesbild.web import create_app

    create_app(cfg, Store(cfg.db_url))
    page = sys.modules["lagesbild.web.pages.overview"]
    tree = page.layout()
    return next(c for c in _walk(tree) if "control" in str(getattr(c, "className", "") or "").split()
                and any(getattr(k, "id", None) == "ov-sdo" for k in _walk(c.children)))


def test_a_kommun_without_districts_shows_no_district_filter(tmp_path):
    control = _district_control(tmp_path, "Södertälje")
    assert (getattr(control, "style", None) or {}).get("display") == "none"


def test_stockholm_places_keep_their_district_filter(tmp_path):
    control = _district_control(tmp_path, "Skärholmen")  # a built-in stadsdelsområde of Stockholm
    assert (getattr(control, "style", None) or {}).get("display") != "none"
