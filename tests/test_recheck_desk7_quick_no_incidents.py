"""Plats' quick periods (28 days, year to date, 12 months) say why a category has none.

They are counted per day from incident-level data. At a place whose chosen categories come only as
monthly counts while another category has incidents there (Botkyrka in desk7's fictitious store: four
incidents near Vårby, every chosen category monthly), the card was a table of "data saknas" in every
cell, not the sentence a place without incidents gets; with one chosen category monthly, its row said
"data saknas" while its monthly counts were on the same page. Which category is incident-level is known
from the files the test writes.
"""

from __future__ import annotations

import json

from tests.test_cli import run


def _store(tmp_path):
    from lagesbild.sources.geography import builtin_places

    months = [f"{2023 + (8 + i) // 12}-{(8 + i) % 12 + 1:02d}" for i in range(24)]  # Sep 2023 – Aug 2025
    crimes = tmp_path / "brott.csv"  # FIKTIVA SIFFROR
    crimes.write_text("Område;Brottskategori;Månad;Antal\n" + "".join(
        f"Vårberg;Skadegörelse;{m};{20 + i % 5}\n" for i, m in enumerate(months)), encoding="utf-8")
    point = builtin_places().set_index("place_id").loc["varberg", "geometry"].representative_point()
    rows = [f"H-{k};{m}-{1 + k % 27:02d} 12:00;Personrån;{point.x:.1f};{point.y:.1f}\n"
            for k, m in enumerate(months)]
    incidents = tmp_path / "handelser.csv"
    incidents.write_text("Id;Datum;Brottskategori;E;N\n" + "".join(rows), encoding="utf-8")
    db = tmp_path / "x.sqlite"
    for kind, path in (("crimes", crimes), ("incidents", incidents)):
        res = run("ingest", kind, path, "--no-progress", "--extracted", "2025-09-10", db=db)
        assert res.returncode == 0, res.stderr
    return db


def _quick_text(tmp_path, monkeypatch, categories) -> str:
    db = _store(tmp_path)
    monkeypatch.setenv("LAGESBILD_DB", str(db))
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(tmp_path))
    from lagesbild.ingest import open_store
    from lagesbild.settings import load_settings
    from lagesbild.web.pages.place_quick import quick_section

    settings = load_settings()
    div = quick_section(open_store(settings), settings, "varberg", categories)
    return json.dumps(div, default=lambda o: o.to_plotly_json(), ensure_ascii=False)


def test_only_monthly_categories_chosen_say_why_instead_of_a_table_of_missing(tmp_path, monkeypatch):
    text = _quick_text(tmp_path, monkeypatch, ["skadegorelse"])
    assert "place-quick-table" not in text
    assert "för Vårberg finns inga sådana i skadegörelse" in text


def test_a_monthly_category_beside_an_incident_one_is_named_in_a_note(tmp_path, monkeypatch):
    text = _quick_text(tmp_path, monkeypatch, ["skadegorelse", "personran"])
    assert "place-quick-table" in text
    assert "Data saknas för skadegörelse: inga brott på händelsenivå" in text
