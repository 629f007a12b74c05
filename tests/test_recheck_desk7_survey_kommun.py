"""A place whose district is a kommun (Flemingsberg in Huddinge, desk7's fictitious store) is compared
in the survey with that kommun, and the page and ``lagesbild survey`` say so by its name.

Trygghet's table headed the column "Mot stadsdelsområdet", its note said the place is compared with
"resten av stadsdelsområdet och resten av staden" (Huddinge has neither; its "Mot staden" is "–"
throughout), and the CLI printed "mot resten av stadsdelsområdet".
"""

from __future__ import annotations

import json

from tests.test_cli import run

SQUARE = [[17.93, 59.23], [17.95, 59.23], [17.95, 59.24], [17.93, 59.24], [17.93, 59.23]]


def _store(tmp_path):
    places = tmp_path / "platser.geojson"
    places.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
        "properties": {"place_id": "flemingsberg", "namn": "Flemingsberg", "typ": "utsatt_omrade",
                       "stadsdelsomrade": "Huddinge", "befolkning": 15000}}]}), encoding="utf-8")
    survey = tmp_path / "trygghet.csv"  # FIKTIVA SIFFROR
    survey.write_text("Område;År;Indikator;Andel (%);Antal svarande\n"
                      "Flemingsberg;2023;Otrygg utomhus sent en kväll;34;400\n"
                      "Flemingsberg;2025;Otrygg utomhus sent en kväll;27;390\n"
                      "Huddinge;2023;Otrygg utomhus sent en kväll;26;2100\n"
                      "Huddinge;2025;Otrygg utomhus sent en kväll;20;2150\n", encoding="utf-8")
    db = tmp_path / "x.sqlite"
    for kind, path in (("places", places), ("survey", survey)):
        res = run("ingest", kind, path, "--no-progress", db=db)
        assert res.returncode == 0, res.stderr
    return db


def test_cli_survey_names_the_kommun_it_compares_with(tmp_path):
    db = _store(tmp_path)
    res = run("survey", "--place", "flemingsberg", db=db)
    assert res.returncode == 0, res.stderr
    header = res.stdout.splitlines()[0]
    assert "resten av Huddinge" in header
    assert "stadsdelsområdet" not in res.stdout


def test_survey_page_names_the_kommun_it_compares_with(tmp_path, monkeypatch):
    db = _store(tmp_path)
    monkeypatch.setenv("LAGESBILD_DB", str(db))
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(tmp_path))
    from lagesbild.ingest import open_store
    from lagesbild.settings import load_settings
    from lagesbild.web.views.survey import survey_view

    settings = load_settings()
    text = json.dumps(survey_view(open_store(settings), settings, place_id="flemingsberg"),
                      default=lambda o: o.to_plotly_json(), ensure_ascii=False)
    assert "Mot Huddinge" in text
    assert "Platsen jämförs med resten av Huddinge, eftersom" in text
    assert "stadsdelsområdet" not in text
