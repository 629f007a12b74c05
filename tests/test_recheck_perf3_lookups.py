"""perf3's cheaper lookups (issue 10) say what the pandas calls they replace said, and the city's id,
now kept per data version, follows a re-ingest of the places. Guards: they pass on the code before
the change too."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild.analysis import base
from lagesbild.core.compare import _categories
from lagesbild.core.cube import build_cube


def _place(pid, kind, district=None):
    return {"place_id": pid, "name": pid.title(), "kind": kind, "district_id": district, "population": 1000,
            "approximate": False, "source": "test", "wkt_3006": "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))",
            "wkt_4326": "POLYGON ((18 59, 18.1 59, 18.1 59.1, 18 59.1, 18 59))",
            "minx": 0.0, "miny": 0.0, "maxx": 1.0, "maxy": 1.0}


def _write_places(store, rows, name):
    with store.transaction() as w:
        iid = w.start_ingest("places", f"{name}.csv", name, "test-platser")
        w.upsert_places(pd.DataFrame(rows), iid)
        w.upsert_source("test-platser", kind="places", ingest_id=iid)
        w.finish_ingest(iid, accepted=len(rows), rejected=0)


def test_city_id_follows_a_new_ingest_of_the_places(store):
    _write_places(store, [_place("gamla", "stad"), _place("torg", "plats", "gamla")], "a")
    assert base.city_id(store) == "gamla"
    assert base.city_id(store) == "gamla"  # asked again within the version
    # the places read in again: another place is the city now
    _write_places(store, [_place("gamla", "stadsdelsomrade"), _place("nya", "stad")], "b")
    assert base.city_id(store) == "nya"


def test_category_index_as_pandas_get_indexer():
    monthly = pd.DataFrame({"place_id": "a", "category": ["rån", "stöld", "bedrägeri", "rån"],
                            "month": pd.to_datetime(["2021-01-01"] * 4), "count": [1, 2, 3, 4]})
    cube = build_cube(monthly, categories=["alla_andra"])
    for asked in (["stöld", "rån"], ["okänd", "rån", "rån"], [], list(cube.categories), ("bedrägeri",)):
        got = cube.category_index(asked)
        want = cube.categories.get_indexer(list(asked))
        assert got.dtype == want.dtype and got.tolist() == want.tolist()
    assert cube.category_index(["okänd", "alla_andra"]).tolist() == [-1, 0]  # sorted: alla_andra first


def test_categories_of_a_frame_skip_missing_and_sort():
    monthly = pd.DataFrame({"category": ["stöld", None, "rån", np.nan, "stöld", "bedrägeri"]})
    assert _categories(monthly, None) == (["bedrägeri", "rån", "stöld"], ["bedrägeri", "rån", "stöld", "alla"])
    assert _categories(monthly, ["rån"]) == (["rån"], ["rån"])
    assert _categories(monthly.astype({"category": "string"}), "alla") == (["bedrägeri", "rån", "stöld"], ["alla"])
