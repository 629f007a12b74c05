"""Texts the store keeps as written, with a NUL byte or a line break inside (data11).

Found: the CSV reader shows a NUL byte as U+FFFD (so it stays visible and pandas can hash it), and
place names holding U+FFFD are refused (ingest/resolve.py) — but an incident id "A<NUL>2" was stored as
"A\ufffd2" and a survey indicator "Otrygg utomhus<NUL> sent" as a new indicator, both with exit 0:
the next export's "A2" is another incident, the next year's indicator another series. Both are now
refused naming file, line, column and value, exit 2, and the store is unchanged. A survey indicator
with a line break inside its quoted cell (Excel's Alt+Enter, "Otrygg utomhus\\r\\nsent") was stored
with the break and so was not the indicator of the other years ("Otrygg utomhus sent"); whitespace
runs in area, level and indicator texts are one space now.

Held (guards, same files): CRLF and LF incident files, a quoted field with a newline and a semicolon in
an incident file's extra column load the same three incidents.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.cli import main
from lagesbild.sources.incidents import read_incidents
from lagesbild.sources.survey import read_survey

HEAD = "Id;Datum;Brottskategori;X;Y"
# three incidents in SWEREF 99 TM (central Stockholm), ids A1–A3
ROWS = [("A1", "2024-01-05 10:00", "Inbrott", 674000, 6580000),
        ("A2", "2024-01-06 11:00", "Rån", 674100, 6580100),
        ("A3", "2024-02-06 11:00", "Rån", 674200, 6580200)]


def _incident_text(newline="\n", note=False) -> str:
    head = HEAD + (";Anteckning" if note else "")
    extra = ';"rad ett\nrad två; med semikolon"' if note else ""
    return head + newline + "".join(f"{a};{b};{c};{x};{y}{extra}{newline}" for a, b, c, x, y in ROWS)


def _status(db, capsys) -> dict:
    capsys.readouterr()
    assert main(["status", "--db", str(db), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def _ingest(db, kind, path, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["ingest", kind, str(path), "--db", str(db), "--no-progress"])
    return code, capsys.readouterr().err


def test_an_incident_id_with_a_nul_byte_is_refused_and_the_store_is_unchanged(tmp_path, capsys):
    db = tmp_path / "s.sqlite"
    first = tmp_path / "forra.csv"
    first.write_text(_incident_text(), encoding="utf-8")
    assert _ingest(db, "incidents", first, capsys)[0] == 0
    before = _status(db, capsys)
    path = tmp_path / "brott.csv"
    path.write_bytes(_incident_text().encode().replace(b"A2;", b"A\x002;"))
    code, err = _ingest(db, "incidents", path, capsys)
    assert code == 2 and "Traceback" not in err, err
    # the id is on the file's line 3 (header on line 1)
    assert 'brott.csv, rad 3, kolumn "Id", värde "A\ufffd2": id:t har ett skadat tecken' in err, err
    after = _status(db, capsys)
    assert after == before


def test_the_same_file_without_the_nul_byte_loads_three_incidents(tmp_path):
    path = tmp_path / "brott.csv"
    path.write_text(_incident_text(), encoding="utf-8")
    ids = sorted(read_incidents(path).table["incident_id"])
    assert ids == ["A1", "A2", "A3"]


def _incidents(path) -> list:
    r = read_incidents(path)
    assert not r.errors, r.errors
    t = r.table
    return sorted(zip(t["incident_id"], t["occurred_at"].astype(str), t["category"].astype(str), t["x"], t["y"],
                      strict=True))


def test_crlf_lf_and_a_quoted_newline_give_the_same_incidents(tmp_path):
    """Guard: by hand from ROWS; the note column's quoted newline and semicolon are one field."""
    expected = sorted([("A1", "2024-01-05 10:00:00", "inbrott", 674000.0, 6580000.0),
                       ("A2", "2024-01-06 11:00:00", "ran", 674100.0, 6580100.0),
                       ("A3", "2024-02-06 11:00:00", "ran", 674200.0, 6580200.0)])
    for name, text in (("lf.csv", _incident_text()), ("crlf.csv", _incident_text("\r\n")),
                       ("note.csv", _incident_text(note=True))):
        path = tmp_path / name
        path.write_bytes(text.encode())
        assert _incidents(path) == expected, name


SURVEY_HEAD = "Område;Nivå;År;Indikator;Andel (%);Antal svarande\n"


def test_a_survey_indicator_with_a_nul_byte_is_refused_and_the_store_is_unchanged(tmp_path, capsys):
    db = tmp_path / "s.sqlite"
    first = tmp_path / "forra.csv"
    first.write_text(SURVEY_HEAD + "Stockholm;stad;2022;Oro för brott;25,0;180\n", encoding="utf-8")
    assert _ingest(db, "survey", first, capsys)[0] == 0
    before = _status(db, capsys)
    path = tmp_path / "trygghet.csv"
    path.write_bytes((SURVEY_HEAD + "Stockholm;stad;2023;Otrygg utomhus\x00 sent;46,3;198\n"
                      "Stockholm;stad;2023;Oro för brott;27,0;198\n").encode())
    code, err = _ingest(db, "survey", path, capsys)
    assert code == 2 and "Traceback" not in err, err
    assert ('trygghet.csv, rad 2, kolumn "Indikator", värde "Otrygg utomhus\ufffd sent": indikatorn har ett '
            "skadat tecken") in err, err
    assert _status(db, capsys) == before


def test_a_line_break_inside_a_survey_indicator_is_one_space(tmp_path):
    path = tmp_path / "trygghet.csv"
    path.write_bytes((SURVEY_HEAD.replace("\n", "\r\n")
                      + 'Stockholm;stad;2023;"Otrygg utomhus\r\nsent";46,3;198\r\n'
                      + "Stockholm;stad;2024;Otrygg  utomhus sent;40,0;150\r\n").encode())
    r = read_survey(path)
    assert not r.errors, r.errors
    # both years are one indicator, as written in 2024 with the double space made one
    assert r.table["indicator"].tolist() == ["Otrygg utomhus sent", "Otrygg utomhus sent"]
    assert r.table["share"].round(3).tolist() == [0.463, 0.4]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(["A", "1", "\x00", "\ufffd", " ", "\t", ";", '"', "\n", "é"]),
               min_size=1, max_size=8))
def test_fuzz_an_incident_id_is_stored_as_written_or_refused(tmp_path, text):
    """Any id: no exception but InputError; an id kept never holds U+FFFD, and is the written one."""
    from lagesbild.errors import InputError

    path = tmp_path / "fuzz.csv"
    field = '"' + text.replace('"', '""') + '"'
    path.write_bytes((HEAD + "\n" + f"{field};2024-01-05 10:00;Inbrott;674000;6580000\n").encode())
    try:
        result = read_incidents(path)
    except InputError:
        return
    kept = list(result.table["incident_id"])
    assert all("\ufffd" not in i for i in kept), kept
    for i in kept:  # a blank id gets one made from the row's content ("h-" + hash)
        assert (i == i.strip() and i in text) or (not text.strip() and i.startswith("h-")), (i, text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(["O", "å", " ", "\t", "\r", "\n", "\x00", "\ufffd", ";", '"', "¹"]),
               min_size=1, max_size=10))
def test_fuzz_a_survey_indicator_is_one_line_of_single_spaces_or_refused(tmp_path, text):
    """Any indicator text in a quoted cell: read as its words joined by single spaces, or refused."""
    from lagesbild.errors import InputError

    path = tmp_path / "fuzz.csv"
    field = '"' + text.replace('"', '""') + '"'
    path.write_bytes((SURVEY_HEAD + f"Stockholm;stad;2023;{field};46,3;198\n").encode())
    try:
        r = read_survey(path)
    except InputError:
        return
    for indicator in r.table["indicator"]:
        assert "\ufffd" not in indicator and "\n" not in indicator and "\r" not in indicator, indicator
        assert "  " not in indicator and indicator == indicator.strip(), repr(indicator)
        assert indicator.replace("¹", "") == " ".join(text.replace("\x00", "").split()).replace("¹", "") or \
            "¹" in text, (indicator, text)
