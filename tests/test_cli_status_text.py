"""``status`` on a store with nothing read in says so in words, without stray brackets."""

from __future__ import annotations

from lagesbild.cli import main


def test_status_of_an_empty_store_says_none_in_words(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(tmp_path))
    db = tmp_path / "tom.sqlite"
    db.touch()  # an empty file: a store with nothing in it
    assert main(["--db", str(db), "status"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "Källor: (inga)" in lines
    assert "Platser (0): (inga)" in lines
    assert "Senaste inläsningar: (inga)" in lines
    assert not any("[]" in line or line.endswith(": ") for line in lines), lines
