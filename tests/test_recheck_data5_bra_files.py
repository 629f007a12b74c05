"""Brå's statistics database as Excel saves it again: Windows-1252 with semicolons and CRLF, UTF-8 with a
mark, and Excel's "Unicode-text" (UTF-16 LE with a mark, tabs), with thousands written with a
non-breaking or a thin space, a preliminary year beside final ones, "..", "-", decimal-comma rates, and
a kommun beside its stadsdelsområden in one file. The UTF-16 file was refused ("spara den som CSV
UTF-8"); the others are guards that held. Expected counts are the file's own cells, read by hand.
"""

from __future__ import annotations

import json

import pytest

from lagesbild.cli import main

NBSP, THIN = "\u00a0", "\u2009"
ROWS = [  # area, crime, 2023 count, rate, 2024 count, rate, 2025 prel. count, rate
    ("Stockholms kommun", "Misshandel inkl. grov", "8 000", "815,2", "8 100", "820,0", "8 300", "830,1"),
    ("Stockholms kommun", "Narkotikabrott", "12 345", "1 258,0", "12 000", "1 215,3", "11 500", "1 150,0"),
    ("Hässelby-Vällingby", "Misshandel inkl. grov", "400", "52,1", "420", "53,2", "..", ".."),
    ("Hässelby-Vällingby", "Narkotikabrott", "300", "39,0", "310", "40,1", "350", "44,9"),
    ("Skärholmen", "Misshandel inkl. grov", "200", "70,1", "-", "-", "250", "86,0"),
    ("Skärholmen", "Narkotikabrott", "1 234", "432,5", "1 100", "380,2", "1 050", "361,1"),
]
HEADER = ["Område", "Brott", "2023 Antal", "2023 Per 100 000 inv.", "2024 Antal", "2024 Per 100 000 inv.",
          "2025 prel. Antal", "2025 prel. Per 100 000 inv."]
#: (place, category) -> (2023, 2024, 2025), by hand from ROWS; None: ".." (no figure)
EXPECTED = {
    ("Stockholm", "misshandel"): (8000, 8100, 8300), ("Stockholm", "narkotikabrott"): (12345, 12000, 11500),
    ("Hässelby-Vällingby", "misshandel"): (400, 420, None),
    ("Hässelby-Vällingby", "narkotikabrott"): (300, 310, 350),
    ("Skärholmen", "misshandel"): (200, 0, 250), ("Skärholmen", "narkotikabrott"): (1234, 1100, 1050),
}


def _text(delimiter: str, space: str) -> str:
    lines = ["Anmälda brott, antal och per 100 000 invånare", "Uttag ur Brås statistikdatabas 2026-02-15", "",
             delimiter.join(HEADER)]
    lines += [delimiter.join(cell.replace(" ", space) if cell[0].isdigit() else cell for cell in row)
              for row in ROWS]
    lines += ["", "Källa: Brottsförebyggande rådet (Brå)", "..  Uppgift saknas", "-  Noll",
              "prel. Preliminära uppgifter"]
    return "\r\n".join(lines) + "\r\n"


VARIANTS = {  # name -> bytes as the program saves them
    "excel_cp1252.csv": lambda: _text(";", NBSP).encode("cp1252"),
    "csv_utf8_bom.csv": lambda: _text(";", THIN).encode("utf-8-sig"),
    "unicode_text.txt": lambda: _text("\t", THIN).encode("utf-16"),  # Excel's "Unicode-text"
    "unicode_text_be.txt": lambda: b"\xfe\xff" + _text("\t", NBSP).encode("utf-16-be"),
}


def _cli(capsys, *args):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_a_bra_download_saved_again_by_excel_gives_the_files_counts(tmp_path, capsys, name):
    path = tmp_path / name
    path.write_bytes(VARIANTS[name]())
    db = tmp_path / "s.sqlite"
    code, out, err = _cli(capsys, "--db", db, "ingest", "crimes", path, "--no-progress")
    assert code == 0, err
    assert "18 värden inlästa från 6 rader" in out  # 6 rows x 3 years; ".." is stored as no figure
    for place in ("Stockholm", "Hässelby-Vällingby", "Skärholmen"):
        for a, b, ia, ib in (("2023", "2024", 0, 1), ("2024", "2025", 1, 2)):
            code, out, err = _cli(capsys, "--db", db, "compare", "--place", place, "--periods", a, b,
                                  "--format", "json")
            assert code == 0, err
            for row in json.loads(out):
                want = EXPECTED[(place, row["category"])]
                assert row["count_a"] == want[ia]
                assert row["count_b"] == want[ib]  # the kommun is never the sum of its stadsdelsområden


def test_a_unicode_text_incident_export_is_read(tmp_path, capsys):
    path = tmp_path / "handelser.txt"
    path.write_bytes(("Händelse-id\tBrottsdatum\tKlockslag\tBrottskategori\tE\tN\r\n"
                      "U-1\t2026-05-04\t10:00\tNarkotika\t661016,3\t6583721,2\r\n"
                      "U-2\t2026-05-05\t11:00\tSkadegörelse\t661053,3\t6583789,7\r\n").encode("utf-16"))
    code, out, err = _cli(capsys, "--db", tmp_path / "s.sqlite", "ingest", "incidents", path, "--crs", "3006",
                          "--no-progress")
    assert code == 0, err
    assert "2 rader inlästa" in out


def test_a_damaged_unicode_text_file_is_refused_naming_its_line(tmp_path, capsys):
    path = tmp_path / "trasig.txt"
    good = "Plats\tBrottskategori\tMånad\tAntal\r\nVårberg\tNarkotika\t2020-01\t3\r\n".encode("utf-16")
    path.write_bytes(good + b"\x00\xd8" + "x\r\n".encode("utf-16-le"))  # a lone high surrogate
    db = tmp_path / "s.sqlite"
    code, out, err = _cli(capsys, "--db", db, "ingest", "crimes", path, "--no-progress")
    assert code == 2
    assert "UTF-16" in err and "rad 3" in err and "Traceback" not in err


def _title_both(header: str, rows: list[str]) -> bytes:
    return "\r\n".join(["Anmälda brott, antal och per 100 000 invånare", "", header, *rows, ""]).encode("cp1252")


def test_a_title_naming_both_measures_reads_the_columns_that_are_not_rates_as_counts(tmp_path, capsys):
    """The title says "antal och per 100 000 invånare" and only the rate column says so: the file was
    refused as a rate table ("filens rubrik säger att tabellen har brott per invånare … inte antal")."""
    path = tmp_path / "bra.csv"
    path.write_bytes(_title_both("Område;Brott;2024;2025 prel.;2025 prel. Per 100 000 inv.",
                                 [f"Skärholmen;Narkotikabrott;1{NBSP}100;1{NBSP}050;361,1"]))
    db = tmp_path / "s.sqlite"
    code, out, err = _cli(capsys, "--db", db, "ingest", "crimes", path, "--no-progress")
    assert code == 0, err
    assert '"2025 prel. Per 100 000 inv."' in out  # said not read
    code, out, err = _cli(capsys, "--db", db, "compare", "--place", "Skärholmen", "--periods", "2024", "2025",
                          "--format", "json")
    row, = json.loads(out)
    assert (row["count_a"], row["count_b"]) == (1100, 1050)


def test_a_title_naming_both_measures_over_bare_years_only_is_refused_saying_so(tmp_path, capsys):
    path = tmp_path / "bra.csv"
    path.write_bytes(_title_both("Område;Brott;2024;2025", ["Skärholmen;Narkotikabrott;1100;1050"]))
    code, out, err = _cli(capsys, "--db", tmp_path / "s.sqlite", "ingest", "crimes", path, "--no-progress")
    assert code == 2
    assert ('filens rubrik nämner både antal och brott per invånare ("Anmälda brott, antal och per 100 000 '
            'invånare") och kolumnen "2024" säger inte vilket') in err
