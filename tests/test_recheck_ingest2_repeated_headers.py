"""A header row repeated inside a file (exports pasted one after the other) is skipped, and the report
says how many and on which lines. Incident and survey files skipped them without a word; a crime
file counted them but did not say where."""

from __future__ import annotations

import json

from lagesbild.cli import main
from lagesbild.settings import ROOT
from lagesbild.sources.incidents import iter_incidents

PLACES = ROOT / "tests" / "data" / "places_4326.geojson"
HEAD = "id;datum;kategori;E;N\n"


def _incidents(n_parts: int) -> str:
    out = HEAD
    for i in range(n_parts):
        if i:
            out += HEAD
        out += f"a{i};2023-01-{i + 1:02d} 10:00;Rån;674032;6580000\n"
    return out


def _ingest(tmp_path, capsys, kind, path) -> dict:
    capsys.readouterr()
    assert main(["--db", str(tmp_path / "s.sqlite"), "ingest", "--no-progress", "places", str(PLACES)]) == 0
    capsys.readouterr()
    rc = main(["--db", str(tmp_path / "s.sqlite"), "ingest", "--no-progress", "--format", "json", kind, str(path)])
    out = capsys.readouterr()
    assert rc == 0, out.err
    return json.loads(out.out)[0]


def test_an_incident_file_of_three_exports_says_where_the_headers_were(tmp_path, capsys):
    path = tmp_path / "brott.csv"
    path.write_text(_incidents(3), encoding="utf-8")
    said = _ingest(tmp_path, capsys, "incidents", path)
    assert said["godkända_rader"] == 3
    assert ("2 rader upprepade rubrikraden (rad 3 och 5) och hoppades över: filen ser ut att vara flera "
            "exporter efter varandra.") in said["meddelande"]


def test_a_survey_file_says_it_too(tmp_path, capsys):
    path = tmp_path / "trygghet.csv"
    head = "Område;År;Fråga;Andel;Antal svarande\n"
    path.write_text(head + "Vårberg;2023;Otrygg;23;400\n" + head + "Vårberg;2022;Otrygg;21;380\n",
                    encoding="utf-8")
    said = _ingest(tmp_path, capsys, "survey", path)
    assert "1 rad upprepade rubrikraden (rad 3) och hoppades över" in said["meddelande"]


def test_a_crime_file_names_the_lines_beside_its_count(tmp_path, capsys):
    path = tmp_path / "brott.csv"
    head = "Plats;Brottskategori;Månad;Antal\n"
    path.write_text(head + "Vårberg;Rån;2023-01;3\n" + head + "Vårberg;Rån;2023-02;4\n" + head
                    + "Vårberg;Rån;2023-03;5\n", encoding="utf-8")
    said = _ingest(tmp_path, capsys, "crimes", path)
    assert "upprepade rubrikrader (2)" in said["meddelande"]
    assert "De upprepade rubrikraderna stod på rad 3 och 5." in said["meddelande"]


def test_across_chunks_the_first_five_lines_and_the_whole_count(tmp_path):
    from lagesbild.ingest.report import repeated_headers_remark

    path = tmp_path / "brott.csv"
    path.write_text(_incidents(8), encoding="utf-8")
    parts = list(iter_incidents(path, chunk_rows=3))
    assert len(parts) > 2 and sum(len(p.table) for p in parts) == 8
    meta = parts[-1].meta
    assert meta["repeated_headers"] == 7 and meta["repeated_header_lines"] == [3, 5, 7, 9, 11]
    assert repeated_headers_remark(meta).startswith("7 rader upprepade rubrikraden (rad 3, 5, 7, 9, 11 …)")


def test_two_utf8_exports_with_byte_order_marks_pasted_together(tmp_path, capsys):
    """`cat a.csv b.csv` of two "CSV UTF-8" exports: the second header starts with a byte-order mark,
    was not seen as a header, and refused the file ("datum" not a date, "kategori" unknown)."""
    one = "\ufeffid;datum;kategori;E;N\r\n{}\r\n"
    path = tmp_path / "brott.csv"
    path.write_bytes((one.format("1;2023-01-05 10:00;Rån;674032;6580000")
                      + one.format("2;2023-01-06 10:00;Rån;674032;6580000")).encode("utf-8"))
    said = _ingest(tmp_path, capsys, "incidents", path)
    assert said["godkända_rader"] == 2 and "1 rad upprepade rubrikraden (rad 3)" in said["meddelande"]
