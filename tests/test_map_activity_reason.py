"""The map's activity list says why a place has no hot-spot verdict: too few crimes, or too few cells.

A place of 100 m × 100 m with 60 crimes is too small even for the finest grid the map lays (25 m:
16 cells, fewer than ``MIN_CELLS``), so it is not tested. The activity list said "för få brott" for
it, which the 60 crimes counted on the same page contradicted; it now names the grid's cells. With
fewer than 30 crimes it still says "för få brott".
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import yaml

from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import load_settings
from tests.test_web_callbacks import by_id, text_of

X0, Y0 = 664000.0, 6574000.0  # on land (the torg of test_web_callbacks)
BOXES = {"staden": ("Staden", "stad", None, (X0 - 3000, Y0 - 3000, X0 + 3000, Y0 + 3000)),
         "lilla": ("Lilla torget", "torg", "staden", (X0, Y0, X0 + 100, Y0 + 100))}


def _write_inputs(folder, crimes: int) -> dict:
    """The files as a kommun has them: places in SWEREF 99 TM, a police incident export, the plan."""
    features = [{"type": "Feature", "properties": {"place_id": pid, "namn": name, "typ": kind,
                                                   "stadsdelsomrade": district, "befolkning": 1000},
                 "geometry": {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1],
                                                                  [x0, y0]]]}}
                for pid, (name, kind, district, (x0, y0, x1, y1)) in BOXES.items()]
    (folder / "platser.geojson").write_text(json.dumps({
        "type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}},
        "features": features}, ensure_ascii=False), encoding="utf-8")
    rng = np.random.default_rng(7)
    when = pd.Timestamp("2022-09-01") + pd.to_timedelta(rng.integers(0, 360, crimes), unit="D")
    xs, ys = X0 + rng.uniform(5, 95, crimes), Y0 + rng.uniform(5, 95, crimes)
    (folder / "brott.csv").write_text("Händelse-id,Brottsdatum,Klockslag,Brottskategori,E,N\n" + "".join(
        f"H-{i},{d:%Y-%m-%d},12:00,Skadegörelse,{x:.1f},{y:.1f}\n"
        for i, (d, x, y) in enumerate(zip(when, xs, ys, strict=True))), encoding="utf-8")
    (folder / "plan.yaml").write_text(yaml.safe_dump([{
        "id": "a1", "aktivitet": "Trygghetsvandring Lilla torget", "prioriterat område": "Riktat arbete mot platser",
        "plats": ["lilla"], "löptid": "Tillsvidare", "start": "2022-10-01"}], allow_unicode=True), encoding="utf-8")
    return {"places": folder / "platser.geojson", "incidents": folder / "brott.csv",
            "activities": folder / "plan.yaml"}


def _store(folder, crimes: int):
    cfg = load_settings({}, data_dir=str(folder), db=str(folder / "store.sqlite"))
    store = open_store(cfg)
    for kind, path in _write_inputs(folder, crimes).items():
        report = ingest_file(store, kind, path, extracted_at="2023-09-01" if kind == "incidents" else None)
        assert report.status == "ok" and report.accepted and not report.rejected, (kind, report.message)
    from lagesbild.web import create_app

    create_app(cfg, store)  # imports the pages, as the running app has them
    return cfg, store


@pytest.mark.parametrize(("crimes", "reason"), [(60, "rutor"), (12, "brott")])
def test_the_activity_list_names_what_the_map_lacks(tmp_path, crimes, reason):
    from lagesbild.web.views.map import map_view

    cfg, store = _store(tmp_path, crimes)
    tree = map_view(store, cfg, area="lilla", category="skadegorelse", period="2022–2023")
    table = by_id(tree, "map-activities")
    rows = table.data if hasattr(table, "data") else None
    shown = text_of(table) if rows is None else " ".join(str(v) for r in rows for v in r.values())
    assert "Trygghetsvandring Lilla torget" in shown
    assert f"– (för få {reason} för hot spot-analys)" in shown
    other = "brott" if reason == "rutor" else "rutor"
    assert f"för få {other}" not in shown
    # the page's own message above the map says the same
    assert f"För få {reason} (" in text_of(tree)
