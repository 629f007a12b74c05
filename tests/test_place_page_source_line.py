"""Plats named Brå as a source of a place the police counted.

Beside Brå's monthly table of the kommun, Skälby's only crime data are the police's incidents; Plats'
charts said "Källa: Polisen och Brå, anmälda brott" while the pack's charts of the same place say
"Polisen" (found by desk11 on Järfälla data; Jämför and Mönster were mended then). The place view of the
analysis layer now names the place's own publishers, and the page draws them. Reference: the files the
test writes (the store of tests/test_recheck_desk11_compare_source.py).
"""

from __future__ import annotations

import json

from plotly.utils import PlotlyJSONEncoder

from tests.test_recheck_desk11_compare_source import _store


def test_plats_names_the_police_for_a_place_counted_by_the_police(tmp_path):
    from lagesbild.analysis.base import crime_source
    from lagesbild.analysis.place import place_view as analysis_view
    from lagesbild.web.views.place import place_view

    settings, store = _store(tmp_path)
    assert crime_source(store) == "Polisen och Brå, anmälda brott"  # the store has both publishers
    assert analysis_view(store, settings, "skalby")["crime_source"] == "Polisen, anmälda brott"
    page = place_view(store, settings, "skalby", periods=["2023–2024", "2024–2025"])
    text = json.dumps(page, cls=PlotlyJSONEncoder, ensure_ascii=False)
    assert "Skälby" in text and "Källa: Polisen, anmälda brott" in text
    assert "Polisen och Brå" not in text  # the old charts' source line


def test_the_kommun_with_brå_data_still_names_brå(tmp_path):
    from lagesbild.analysis.place import place_view as analysis_view

    settings, store = _store(tmp_path)
    kommun = [p for p in store.places()["place_id"] if "jarfalla" in p]
    assert kommun, "Brå's kommun row adds the built-in kommun as a place"
    assert "Brå" in analysis_view(store, settings, kommun[0])["crime_source"]
