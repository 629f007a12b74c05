"""Karta named Brå as a source of the crimes it draws.

A map draws incidents with coordinates, which only the police publish; beside Brå's monthly table of the
kommun, Karta's source line said "Källa: Polisen och Brå, anmälda brott" (found at 1366 px on desk11's
Järfälla data). The analysis layer's map answer now names the police, and the page draws it. Reference:
the files the test writes (tests/test_recheck_desk11_compare_source.py's store: Brå's table of the kommun,
the police's incidents of two places).
"""

from __future__ import annotations

import json

from plotly.utils import PlotlyJSONEncoder

from tests.test_recheck_desk11_compare_source import _store


def test_karta_names_the_police_beside_a_brå_table(tmp_path):
    from lagesbild.analysis.base import crime_source
    from lagesbild.analysis.maps import map_layers
    from lagesbild.web.views.map import map_view

    settings, store = _store(tmp_path)
    assert crime_source(store) == "Polisen och Brå, anmälda brott"  # the store has both publishers
    kommun = next(p for p in store.places()["place_id"] if "jarfalla" in p)  # Brå's row added it
    for area in (kommun, "skalby"):
        page = map_view(store, settings, area=area, category="skadegorelse", period="2024–2025")
        text = json.dumps(page, cls=PlotlyJSONEncoder, ensure_ascii=False)
        assert "Källa: Polisen, anmälda brott" in text, area
        assert "Polisen och Brå" not in text, area
        res = map_layers(store, settings, area=area, category="skadegorelse", period="2024–2025")
        assert res["crime_source"] == "Polisen, anmälda brott"  # the number's one place: the analysis layer
