"""Brå's "-" in a count cell, in a table that has no column only Brå's layouts have (a plain
``Område;Brott;2023;2024`` download): the report quotes the cell as written and says what it was read
as; a table whose source line names Brå reads it as Brå means it (inget finns att redovisa, 0), a table
that says nothing of its source keeps it missing, as ``..`` (it was silently missing, and the verdict
said "uppgift saknas (..)" of a cell written "-")."""

from __future__ import annotations

import json

import pytest

from lagesbild.cli import main

TABLE = """Anmälda brott efter område, brottstyp och år
Antal. Stockholm stadsdelsområden

Område;Brott;2023;2024;2025
Hässelby-Vällingby;Totalt antal brott;12 345;12 001;11 870
Hässelby-Vällingby;Skadegörelsebrott;1 204;1 150;-
Hässelby-Vällingby;Narkotikabrott;..;812;790
Skärholmen;Totalt antal brott;9 870;9 654;9 700
Skärholmen;Skadegörelsebrott;–;904;880

"""
SOURCE = "Källa: Brottsförebyggande rådet (Brå)\nFörklaring: .. = uppgift saknas\n"


def _ingest(tmp_path, capsys, text: str, encoding="utf-8"):
    path = tmp_path / "bra_ar.csv"
    path.write_bytes(text.encode(encoding))
    db = tmp_path / "store.sqlite"
    rc = main(["--db", str(db), "ingest", "crimes", str(path), "--no-progress", "--format", "json"])
    out = capsys.readouterr()
    assert rc == 0, out
    return db, json.loads(out.out)[0]


def _compare(db, capsys, place: str) -> dict:
    rc = main(["--db", str(db), "compare", "--place", place, "--periods", "2023", "2024",
               "--category", "skadegorelse", "--format", "json"])
    out = capsys.readouterr().out
    assert rc == 0
    return json.loads(out[out.index("["):])[0]


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_a_dash_in_a_table_naming_bra_is_zero_and_the_report_quotes_it(tmp_path, capsys, encoding):
    db, report = _ingest(tmp_path, capsys, TABLE + SOURCE, encoding)
    said = report["meddelande"]
    assert '2 antal var skrivna "-" (rad 6, 9) och lästes som 0' in said, said
    assert 'i Brås tabeller betyder "-" inget finns att redovisa' in said
    assert "(..)" not in said
    row = _compare(db, capsys, "Skärholmen")
    assert (row["count_a"], row["count_b"]) == (0, 904)  # the "–" of 2023 is Brå's zero
    assert "saknas" not in row["verdict"]


def test_a_dash_in_a_table_without_a_source_stays_missing_and_the_report_says_so(tmp_path, capsys):
    db, report = _ingest(tmp_path, capsys, TABLE)
    said = report["meddelande"]
    assert '2 antal var skrivna "-" (rad 6, 9) och lästes som uppgift saknas (som ".."), inte som 0' in said
    row = _compare(db, capsys, "Skärholmen")
    assert row["count_a"] is None and row["count_b"] == 904


def test_a_bra_long_table_says_how_many_dashes_it_read_as_zero(tmp_path, capsys):
    text = ("Anmälda brott, antal\n\nÅr;Periodtyp;Periodetikett;Område;Brott;Brott_ID;Antal;Per100000\n"
            "2024;Helår;2024;Skärholmen;Skadegörelsebrott;;-;-\n"
            "2025;Helår;2025 prel.;Skärholmen;Skadegörelsebrott;;12;3,2\n")
    db, report = _ingest(tmp_path, capsys, text)
    assert '1 antal var skrivet "-" (rad 4) och lästes som 0' in report["meddelande"]
