"""``status`` on a store with nothing read in says so in words, without stray brackets."""

from __future__ import annotations

import re

from lagesbild.cli import main


def test_status_of_an_empty_store_says_none_in_words(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(tmp_path))
    from lagesbild.ingest import open_store
    from lagesbild.settings import load_settings

    db = tmp_path / "tom.sqlite"
    open_store(load_settings({}, data_dir=str(tmp_path), db=str(db)))  # a store with nothing in it
    # (a file of 0 bytes is refused: tests/test_store_open.py)
    assert main(["--db", str(db), "status"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "Källor: (inga)" in lines
    assert "Platser (0): (inga)" in lines
    assert "Senaste inläsningar: (inga)" in lines
    assert not any("[]" in line or line.endswith(": ") for line in lines), lines


def test_survey_text_writes_respondents_as_swedes_write_numbers(tmp_path, capsys, monkeypatch):
    """1104 respondents read "1 104" (a space between thousands), as every other count of the CLI."""
    from lagesbild.settings import ROOT

    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(tmp_path))
    db = str(tmp_path / "s.sqlite")
    data = ROOT / "tests" / "data"
    assert main(["--db", db, "ingest", "--no-progress", "places", str(data / "places_4326.geojson")]) == 0
    assert main(["--db", db, "ingest", "--no-progress", "survey", str(data / "trygghet_andel.csv")]) == 0
    capsys.readouterr()
    assert main(["--db", db, "survey", "--place", "skarholmen"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"\s1[ \u00a0\u202f]104\s", out) and "1104" not in out, out
