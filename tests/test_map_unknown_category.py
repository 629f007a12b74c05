"""Karta with a category id the store does not know (a forged callback, a stale link after a new
category vocabulary): it answered 200 with an empty grid, "För få brott (0)" for ``["zzz"]``, and drew
the other category's map silently for ``["valdsbrott", "zzz"]``. The analysis layer refuses it like an
unknown map mode, and the server answers 400 with the Swedish reason (found by sec6's re-check)."""

from __future__ import annotations

import pytest

from lagesbild.analysis import maps
from lagesbild.analysis.notfound import NotFound
from lagesbild.web import create_app
from tests.test_every_control_answers import Client


def _args(store):
    defaults = maps.defaults(store)
    period = maps.base.sep_aug_years(store)[-1].label
    return {"area": defaults["area"], "period": period, "known": defaults["category"]}


@pytest.mark.parametrize("chosen", [["zzz"], ["KNOWN", "zzz"], "zzz"])
def test_map_layers_refuses_an_unknown_category(demo_store, demo_settings, chosen):
    a = _args(demo_store)
    chosen = [a["known"] if c == "KNOWN" else c for c in chosen] if isinstance(chosen, list) else chosen
    with pytest.raises(NotFound, match="Okänd kategori: 'zzz'"):
        maps.map_layers(demo_store, demo_settings, area=a["area"], category=chosen, period=a["period"])


def test_map_layers_still_draws_a_known_category(demo_store, demo_settings):
    a = _args(demo_store)
    out = maps.map_layers(demo_store, demo_settings, area=a["area"], category=[a["known"]], period=a["period"])
    assert out["incidents"] > 0


def test_the_map_callback_answers_400_with_the_reason(demo_store, demo_settings):
    app = create_app(demo_settings, demo_store)
    client = Client(app)
    key = next(k for k in client.deps if k.startswith("map-content.") or "..map-content." in k)
    from lagesbild.web.pages import map as map_page

    a = _args(demo_store)
    values = {f"{k}.value": v for k, v in map_page.controls(demo_store, {}).items()}
    values.update({"map-area.value": a["area"], "map-meeting.data": False})
    ok = client.call(key, {**values, "map-cat.value": [a["known"]]}, "map-cat.value")
    assert ok.status_code == 200
    for chosen in (["zzz"], [a["known"], "zzz"]):
        bad = client.call(key, {**values, "map-cat.value": chosen}, "map-cat.value")
        assert bad.status_code == 400, chosen
        assert "Okänd kategori: 'zzz'" in bad.get_data(as_text=True)
