"""A share written "-" in the police's wide survey table: the year has no result, and the ingest report
says so with the value as written (it was dropped without a word, while ".." was counted)."""

from __future__ import annotations

import json

from lagesbild.cli import main
from lagesbild.settings import ROOT
from lagesbild.sources.survey import read_survey

PLACES = ROOT / "tests" / "data" / "places_4326.geojson"
TABLE = ("Trygghetsmätning – resultat per område\nOmråde: Vårberg\n\nFråga;2022;2023\nOtrygg;12;-\n"
         "Nedskräpning;..;14\nBerusade personer;9;–\nAntal svarande;400;410\n\nKälla: Polismyndigheten\n")


def test_dash_shares_are_counted_and_said(tmp_path, capsys):
    path = tmp_path / "polisen.csv"
    path.write_text(TABLE, encoding="utf-8")
    res = read_survey(path)
    assert res.meta["dash_shares"] == 2 and res.meta["not_published"] == 1
    assert sorted(zip(res.table["indicator"], res.table["year"], strict=True)) == [
        ("Berusade personer", 2022), ("Nedskräpning", 2023), ("Otrygg", 2022)]
    db = tmp_path / "s.sqlite"
    assert main(["--db", str(db), "ingest", "--no-progress", "places", str(PLACES)]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "ingest", "--no-progress", "--format", "json", "survey", str(path)]) == 0
    said = json.loads(capsys.readouterr().out)[0]["meddelande"]
    assert 'andelar skrivna "-" (inget redovisat för året) (2)' in said, said
    assert "3 rader inlästa" in said
