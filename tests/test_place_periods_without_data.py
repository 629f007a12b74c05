"""Plats for periods in which the place has no data at all says so, as ``compare`` does (2bbe200).

desk8 found that Plats (``place_view``) for Flemingsberg over 2019–2020 and 2020–2021, years before the
place's first data (desk7's fictitious store: data from Sep 2021), showed a table of zeros with "Data
saknas för 12 månader i 2019–2020; antalet avser månaderna med data" — while ``compare`` refuses with
"Inga data för … : brottsdata finns …". The probe store's incidents start in 2021 (its own files).
"""

from __future__ import annotations

import json

from plotly.utils import PlotlyJSONEncoder

from lagesbild.analysis.place import place_view
from lagesbild.web.views.place import place_view as page
from tests import dash_probe_store as probe

OLD = ["2015–2016", "2016–2017"]


def _text(children) -> str:
    return json.dumps([c.to_plotly_json() for c in children], cls=PlotlyJSONEncoder, ensure_ascii=False)


def test_periods_without_any_data_are_said_on_plats(tmp_path):
    cfg, store = probe.build(tmp_path)
    res = place_view(store, cfg, probe.TORG, periods=OLD)
    assert res["no_data"].startswith("Inga data för 2015–2016 och 2016–2017 för ")
    assert "brottsdata finns" in res["no_data"] and "comparison" not in res and "counts" not in res
    text = _text(page(store, cfg, probe.TORG, periods=OLD))
    assert "inga data för 2015–2016 och 2016–2017" in text and "antalet avser månaderna med data" not in text


def test_periods_with_data_keep_their_table(tmp_path):
    cfg, store = probe.build(tmp_path)
    years = [p.label for p in place_view(store, cfg, probe.TORG)["periods"]][-2:]
    res = place_view(store, cfg, probe.TORG, periods=years)
    assert res.get("no_data") is None and len(res["comparison"])
