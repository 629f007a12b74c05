"""Översikt names the places its table leaves out for want of crime data (analyst3: a place no file had
counted a crime in was simply missing, under a tile counting it among the places)."""

from __future__ import annotations

from lagesbild import analysis as an
from lagesbild.cli import main
from lagesbild.ingest import ingest_file
from tests.test_recheck_stats2_quick_ends import _file


def test_the_overview_names_the_places_without_crime_data(places_store, settings, tmp_path, capsys):
    store = places_store
    path = _file(store, "varberg", "2023-09-01", "2025-08-31", tmp_path / "syd.csv", 1)
    assert ingest_file(store, "incidents", path, crs=3006, extracted_at="2025-09-02").status == "ok"
    res = an.overview_table(store, settings, period="2024–2025")
    shown = set(res["comparison"]["place_id"])
    assert "varberg" in shown and "hasselby-torg" not in shown
    note = res["missing_note"]
    assert "Hässelby torg" in note and "Vällingby centrum" in note
    assert "Vårberg" not in note and "Skärholmen," not in note  # in the table (Skärholmen holds Vårberg)
    assert "2023–2024 och 2024–2025" in note and "inte detsamma som 0 brott" in note

    from lagesbild.web import create_app
    from lagesbild.web.views.overview import overview_view

    create_app(settings, store)
    assert note in str(overview_view(store, settings, period="2024–2025", categories=None, district=None))

    capsys.readouterr()
    assert main(["--db", settings.db, "overview", "--period", "2024–2025"]) == 0
    assert note in capsys.readouterr().out
