"""The map's activity list says why a place has no hot-spot verdict: too few crimes, or too few cells.

A place of 100 m × 100 m with 60 crimes is too small even for the finest grid the map lays (25 m:
16 cells, fewer than ``MIN_CELLS``), so it is not tested. The activity list said "för få brott" for
it, which the 60 crimes counted on the same page contradicted; it now names the grid's cells. With
fewer than 30 crimes it still says "för få brott".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import box

from lagesbild.settings import load_settings
from lagesbild.store import Store
from tests.test_web_callbacks import by_id, text_of

X0, Y0 = 664000.0, 6574000.0  # on land (the torg of test_web_callbacks)
BOXES = {"staden": ("Staden", "stad", None, (X0 - 3000, Y0 - 3000, X0 + 3000, Y0 + 3000)),
         "lilla": ("Lilla torget", "plats", "staden", (X0, Y0, X0 + 100, Y0 + 100))}


def _places() -> pd.DataFrame:
    tr = Transformer.from_crs(3006, 4326, always_xy=True)
    rows = []
    for pid, (name, kind, district, b) in BOXES.items():
        lon0, lat0 = tr.transform(b[0], b[1])
        lon1, lat1 = tr.transform(b[2], b[3])
        rows.append({"place_id": pid, "name": name, "kind": kind, "district_id": district,
                     "population": 1000, "approximate": False, "source": "test",
                     "wkt_3006": box(*b).wkt, "wkt_4326": box(lon0, lat0, lon1, lat1).wkt,
                     "minx": b[0], "miny": b[1], "maxx": b[2], "maxy": b[3]})
    return pd.DataFrame(rows)


def _store(folder, crimes: int):
    cfg = load_settings({}, data_dir=str(folder), db=str(folder / "store.sqlite"))
    store = Store(cfg.db_url)
    rng = np.random.default_rng(7)
    when = pd.Timestamp("2022-09-01") + pd.to_timedelta(rng.integers(0, 360, crimes), unit="D")
    inc = pd.DataFrame({"incident_id": [f"i{i}" for i in range(crimes)], "occurred_at": when,
                        "category": "skadegorelse", "x": X0 + rng.uniform(5, 95, crimes),
                        "y": Y0 + rng.uniform(5, 95, crimes)})
    months = pd.date_range("2022-09-01", "2023-08-01", freq="MS")
    with store.transaction() as w:
        w.ensure_categories([("skadegorelse", "Skadegörelse", False)])
        iid = w.start_ingest("places", "platser.geojson", "a", "test-platser")
        w.upsert_places(_places(), iid)
        w.upsert_source("test-platser", kind="places", ingest_id=iid)
        w.finish_ingest(iid, accepted=len(BOXES), rejected=0)
        iid = w.start_ingest("incidents", "brott.csv", "b", "test-brott")
        w.insert_incidents(inc, "test-brott", iid)
        month = inc["occurred_at"].dt.to_period("M").dt.to_timestamp()
        w.add_incident_counts(pd.DataFrame(
            [{"source": "test-brott", "place_id": pid, "category": "skadegorelse", "month": m, "count": n}
             for pid in BOXES for m, n in month.value_counts().items()]))
        w.set_coverage("test-brott", months, None)
        w.upsert_source("test-brott", kind="incidents", ingest_id=iid)
        w.finish_ingest(iid, accepted=len(inc), rejected=0)
        iid = w.start_ingest("activities", "plan.yaml", "c", "test-plan")
        text = dict.fromkeys(("syfte", "mal", "malgrupp", "matbara_mal", "sdf_kontakt", "polis_kontakt",
                              "ovriga"), "")
        acts = pd.DataFrame([{"activity_id": "a1", "aktivitet": "Trygghetsvandring Lilla torget",
                              "priority_area": "Riktat arbete mot platser", "arbetsgrupp": "Torggruppen",
                              "start_date": pd.Timestamp("2022-10-01"), "end_date": None,
                              "open_ended": True, "motesfrekvens": "", "sammankallande": "SDF",
                              "template": "ny", "extra": {}, **text}])
        w.upsert_activities(acts, pd.DataFrame({"activity_id": ["a1"], "place_id": ["lilla"]}),
                            pd.DataFrame(columns=["activity_id", "year", "period", "goal_met",
                                                  "carried_out"]), "test-plan", iid)
        w.finish_ingest(iid, accepted=1, rejected=0)
        w.bump_version()
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
