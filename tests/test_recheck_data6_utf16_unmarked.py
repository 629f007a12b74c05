"""UTF-16 text without a byte-order mark (UTF-16 LE or BE, tabs), as some statistics tools save
"Unicode" text: Brå's tables, incident exports and the population table. The CSV readers refused it
("filen är sparad som UTF-16/UTF-32"), though the NUL bytes of mostly-ASCII UTF-16 say the encoding
as surely as the mark (every other byte NUL on one side, none on the other, which no UTF-8 or
Windows-1252 text has). It is now read through lagesbild/sources/utf16.py like Excel's marked
"Unicode-text"; UTF-32 stays refused. Expected counts are the file's own, by hand."""

from __future__ import annotations

import json

import pytest

from lagesbild.cli import main

BRA = ("Anmälda brott, antal, 2024–2025\r\nOmråde\tBrott\t2024\t2025\r\n"
       "Stockholms kommun\tNarkotikabrott\t12 000\t11 500\r\nKälla: Brå\r\n")
INCIDENTS = ("Händelse-id\tBrottsdatum\tKlockslag\tBrottskategori\tE\tN\r\n"
             "U-1\t2026-05-04\t10:00\tNarkotika\t661016,3\t6583721,2\r\n"
             "U-2\t2026-05-05\t11:00\tSkadegörelse\t661053,3\t6583789,7\r\n")


def _cli(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_bra_table_in_utf16_without_a_mark_is_read(tmp_path, capsys, encoding):
    path = tmp_path / "bra.txt"
    path.write_bytes(BRA.encode(encoding))
    db = tmp_path / "s.sqlite"
    code, out, err = _cli(capsys, "--db", db, "ingest", "crimes", path, "--no-progress")
    assert code == 0, err
    code, out, err = _cli(capsys, "--db", db, "compare", "--place", "Stockholm", "--periods", "2024", "2025",
                          "--format", "json")
    assert code == 0, err
    row, = json.loads(out)
    assert (row["count_a"], row["count_b"]) == (12_000, 11_500)


def test_an_incident_export_in_utf16_without_a_mark_is_read(tmp_path, capsys):
    path = tmp_path / "handelser.txt"
    path.write_bytes(INCIDENTS.encode("utf-16-le"))
    code, out, err = _cli(capsys, "--db", tmp_path / "s.sqlite", "ingest", "incidents", path, "--crs", "3006",
                          "--no-progress")
    assert code == 0, err
    assert "2 rader inlästa" in out


def test_utf32_is_still_refused_with_advice(tmp_path, capsys):
    path = tmp_path / "bra.txt"
    path.write_bytes(BRA.encode("utf-32-le"))
    code, out, err = _cli(capsys, "--db", tmp_path / "s.sqlite", "ingest", "crimes", path, "--no-progress")
    assert code == 2
    assert "UTF-32" in err and "CSV UTF-8" in err and "Traceback" not in err


def test_a_damaged_unmarked_utf16_file_is_refused_naming_its_line(tmp_path, capsys):
    path = tmp_path / "trasig.txt"
    good = "Plats\tBrottskategori\tMånad\tAntal\r\nVårberg\tNarkotika\t2020-01\t3\r\n".encode("utf-16-le")
    path.write_bytes(good + b"\x01\xd8" + "x\r\n".encode("utf-16-le"))  # a lone high surrogate, U+D801
    code, out, err = _cli(capsys, "--db", tmp_path / "s.sqlite", "ingest", "crimes", path, "--no-progress")
    assert code == 2
    assert "UTF-16" in err and "rad 3" in err and "Traceback" not in err
