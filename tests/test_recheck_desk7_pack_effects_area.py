"""The meeting pack's before/after note names the area the activity's place is compared with, as Plats
does: for Flemingsberg in Huddinge (a kommun, desk7's fictitious store) the page said "jämförelse med
resten av Huddinge" and the pack "jämförelse med resten av stadsdelsområdet". The area is the one the
places file gives the place (its "stadsdelsomrade").
"""

from __future__ import annotations

import json

import docx

from tests.test_cli import run

SQUARE = [[17.93, 59.23], [17.95, 59.23], [17.95, 59.24], [17.93, 59.24], [17.93, 59.23]]


def _store(tmp_path):
    places = tmp_path / "platser.geojson"
    places.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
        "properties": {"place_id": "flemingsberg", "namn": "Flemingsberg", "typ": "utsatt_omrade",
                       "stadsdelsomrade": "Huddinge", "befolkning": 15000}}]}), encoding="utf-8")
    months = [f"{2022 + (8 + i) // 12}-{(8 + i) % 12 + 1:02d}" for i in range(36)]  # Sep 2022 – Aug 2025
    crimes = tmp_path / "brott.csv"  # FIKTIVA SIFFROR
    crimes.write_text("Område;Brottskategori;Månad;Antal\n" + "".join(
        f"{area};Skadegörelse;{m};{n + i % 4}\n" for i, m in enumerate(months)
        for area, n in (("Flemingsberg", 30), ("Huddinge", 200))), encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text("- id: hu-platssamverkan\n  aktivitet: Platssamverkan Flemingsberg (FIKTIV)\n"
                    "  plats: [flemingsberg]\n  löptid: Start september 2024, tillsvidare\n", encoding="utf-8")
    db = tmp_path / "x.sqlite"
    for kind, path in (("places", places), ("crimes", crimes), ("activities", plan)):
        res = run("ingest", kind, path, "--no-progress", db=db)
        assert res.returncode == 0, res.stderr
    return db


def test_pack_names_the_kommun_the_place_is_compared_with(tmp_path):
    db = _store(tmp_path)
    out = tmp_path / "paket"
    res = run("pack", "--places", "flemingsberg", "--periods", "2023–2024", "2024–2025", "--out", out,
              "--no-progress", db=db)
    assert res.returncode == 0, res.stderr
    (word,) = out.glob("*.docx")
    document = docx.Document(str(word))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "jämförelse med resten av Huddinge (platsens kvot efter/före" in text
    assert "jämförelse med resten av stadsdelsområdet (platsens" not in text


def test_plan_page_names_the_kommun_the_places_are_compared_with(tmp_path, monkeypatch):
    """Åtgärdsplan's before/after subtitle said "jämförelse med resten av stadsdelsområdet" too."""
    db = _store(tmp_path)
    monkeypatch.setenv("LAGESBILD_DB", str(db))
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(tmp_path))
    from lagesbild.ingest import open_store
    from lagesbild.settings import load_settings
    from lagesbild.web.views.plan import plan_view

    settings = load_settings()
    text = json.dumps(plan_view(open_store(settings), settings),
                      default=lambda o: o.to_plotly_json() if hasattr(o, "to_plotly_json") else str(o),
                      ensure_ascii=False)
    assert "jämförelse med resten av Huddinge." in text
    assert "resten av stadsdelsområdet" not in text
