"""lay12 re-check: the places' source line ("Källa: Polisen, anmälda brott") comes from one place.

Jämför and Mönster called ``analysis.pack.places_crime_source``, the meeting pack's, for the publishers of
their places' crime data. It now lives in ``analysis.base`` beside ``crime_source`` (the store's), and the
two say the publishers one way (``base._publishers``); the pack's name is the same function.

Reference: the files the test writes (the police's incidents of two places beside Brå's monthly table of
the kommun, as tests/test_recheck_desk11_compare_source.py) and, for "one place", a stand-in publisher
put in ``analysis.base`` that both views must then name.
"""

from __future__ import annotations

import json

from plotly.utils import PlotlyJSONEncoder

from tests.test_recheck_desk11_compare_source import _store


def test_the_places_source_line_is_analysis_base_s(tmp_path):
    from lagesbild.analysis import base, pack

    settings, store = _store(tmp_path)
    # the files: skalby and barkarby are counted by the police only (incidents); Brå counts the kommun
    assert base.places_crime_source(store, ["skalby"]) == "Polisen, anmälda brott"
    assert base.places_crime_source(store, ["skalby", "barkarby"]) == "Polisen, anmälda brott"
    assert base.places_crime_source(store, []) == base.crime_source(store) == "Polisen och Brå, anmälda brott"
    # one function, defined once (analysis/provenance.py, re-exported by base); the pack keeps no copy
    assert base.places_crime_source.__module__ == "lagesbild.analysis.provenance"
    assert "places_crime_source" not in vars(pack)


def test_jamfor_and_monster_take_their_source_line_from_analysis_base(tmp_path, monkeypatch):
    from lagesbild.analysis import base
    from lagesbild.web.views.patterns import patterns_view
    from lagesbild.web.views.side_by_side import compare_view

    settings, store = _store(tmp_path)
    asked = []

    def stand_in(store_, place_ids):
        asked.append(sorted(place_ids))
        return "Testkällan, anmälda brott"

    monkeypatch.setattr(base, "places_crime_source", stand_in)
    page = compare_view(store, settings, places=["skalby", "barkarby"], periods=["2023–2024", "2024–2025"],
                        measure="antal")
    text = json.dumps(page, cls=PlotlyJSONEncoder, ensure_ascii=False)
    assert "Källa: Testkällan" in text and "Polisen" not in text  # (the line may wrap after it)
    assert ["barkarby", "skalby"] in asked
    asked.clear()
    page = patterns_view(store, settings, place="skalby", period="2024")
    text = json.dumps([c.to_plotly_json() for c in page], default=str, ensure_ascii=False)
    assert "Källa: Testkällan" in text and "Polisen, anmälda brott" not in text
    assert ["skalby"] in asked
