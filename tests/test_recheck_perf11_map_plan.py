"""The map reads the action plan once per data version (perf11, issue #10): the store copied every
activity's dicts on each read, and a change of category read it again. The activities and follow-ups
the map's layers hold are the store's, and a new plan read in (a new data version) is the one shown.
A guard: the old code read the store on every call and gives the same frames."""

from __future__ import annotations

import pandas as pd
import yaml

from lagesbild.analysis import maps as am
from lagesbild.ingest import ingest_file
from tests.test_map_activity_reason import _store


def _layers(cfg, store, category):
    d = am.defaults(store)
    return am.map_layers(store, cfg, area="staden", category=category, period=d["period"], mode="gi")


def test_the_map_shows_the_plan_of_the_data_version(tmp_path):
    cfg, store = _store(tmp_path, 80)
    category = am.defaults(store)["category"]
    res = _layers(cfg, store, category)
    assert res["problem"] is None
    pd.testing.assert_frame_equal(res["activities"], store.activities())
    pd.testing.assert_frame_equal(res["followups"], store.followups())
    # a new plan: another activity and a follow-up; the next map (any category) shows it
    plan = tmp_path / "plan2.yaml"
    plan.write_text(yaml.safe_dump([{
        "id": "a2", "aktivitet": "Belysning vid Lilla torget", "prioriterat område": "Riktat arbete mot platser",
        "plats": ["lilla"], "löptid": "Tillsvidare", "start": "2023-01-01",
        "uppföljning": [{"år": 2023, "period": "T1", "mål uppfyllt": "ja", "genomfört": "Ny belysning"}]}],
        allow_unicode=True), encoding="utf-8")
    report = ingest_file(store, "activities", plan)
    assert report.status == "ok", report.message
    again = _layers(cfg, store, category)
    assert "a2" in set(again["activities"]["activity_id"])
    pd.testing.assert_frame_equal(again["activities"], store.activities())
    pd.testing.assert_frame_equal(again["followups"], store.followups())
