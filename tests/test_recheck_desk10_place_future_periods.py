"""Plats for periods after the data (a link with ?per=2030-2031&per=2031-2032). No category has
counts there, so none was chosen, and the page said "det finns inga anmälda brott för Fittja i
databasen" of a place with five years of counts (Botkyrka re-check). It now says what the command
line says for the same periods: no data in them, and where the place's data are.

Reference: the file below holds Vårberg's months sep 2021–okt 2023 (counted by hand)."""

from __future__ import annotations

from lagesbild.ingest import ingest_file
from lagesbild.web.views.place import place_view
from tests.test_recheck_desk10_overview_part_year import crimes_file


def test_periods_after_the_data_say_so_not_that_the_place_has_none(places_store, settings, tmp_path):
    ingest_file(places_store, "crimes", crimes_file(tmp_path), extracted_at="2023-11-05")
    text = str(place_view(places_store, settings, "varberg", periods=["2030–2031", "2031–2032"]))
    assert "i databasen" not in text
    assert "inga data för 2030–2031 och 2031–2032 för Vårberg: brottsdata finns sep 2021–okt 2023." in text
    assert "Välj perioder med data." in text


def test_periods_before_the_data_too(places_store, settings, tmp_path):
    ingest_file(places_store, "crimes", crimes_file(tmp_path), extracted_at="2023-11-05")
    text = str(place_view(places_store, settings, "varberg", periods=["2015–2016", "2016–2017"]))
    assert "i databasen" not in text
    assert "inga data för 2015–2016 och 2016–2017 för Vårberg: brottsdata finns sep 2021–okt 2023." in text


def test_a_place_without_any_counts_still_says_the_store_has_none(places_store, settings, tmp_path):
    ingest_file(places_store, "crimes", crimes_file(tmp_path), extracted_at="2023-11-05")
    text = str(place_view(places_store, settings, "hasselby-torg"))
    assert "det finns inga anmälda brott för Hässelby torg i databasen" in text
