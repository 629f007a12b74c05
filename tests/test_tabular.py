"""Tests for lagesbild.sources.tabular (CSV/XLSX reading), numbers and mapping files."""

from __future__ import annotations

import csv
import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.errors import InputError
from lagesbild.sources.mapping import describe, load_mapping, match_columns, normalise
from lagesbild.sources.numbers import format_number, parse_number, parse_numbers
from lagesbild.sources.tabular import header_accepter, iter_table, open_table, read_table
from tests.fixtures_sources import DATA

ALIASES = {"place": ["Plats", "Område"], "count": ["Antal", "Count"]}
ACCEPT = header_accepter(ALIASES, ["place", "count"])


def read(path, **kw):
    return read_table(path, accept=ACCEPT, expected="Plats, Antal", **kw)


# ------------------------------------------------------------------------------ delimiters, encodings

@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_delimiter_and_encoding_detected(write_text, delimiter, encoding):
    text = f"Område{delimiter}Antal\nHässelby torg{delimiter}1 234\nÄlvsjö{delimiter}5\n"
    r = read(write_text(text, encoding=encoding))
    assert r.meta["delimiter"] == delimiter
    assert r.meta["encoding"] == ("windows-1252" if encoding == "cp1252" else "utf-8")
    assert r.meta["bom"] == (encoding == "utf-8-sig")
    assert r.table.columns.tolist() == ["Område", "Antal", "line"]
    assert r.table.values.tolist() == [["Hässelby torg", "1 234", 2], ["Älvsjö", "5", 3]]
    assert r.errors == []


@pytest.mark.parametrize(("text", "reason"), [
    ("Plats;Antal\rVårberg;5\r" * 40_000, "raderna slutar bara med CR"),  # 1,1 MB: was "filen är tom"
    ("x" * 1_100_000 + "\nPlats;Antal\nVårberg;5\n", "rad 1 är längre än 1 MB"),  # was "filen är tom"
])
def test_a_file_without_usable_line_ends_says_why(write_text, text, reason):
    with pytest.raises(InputError, match=reason):
        read(write_text(text))


def test_golden_cp1252_semicolon_file():
    r = read_table(DATA / "brott_semikolon_cp1252.csv", accept=lambda c: "Antal" in c, expected="")
    assert r.meta["encoding"] == "windows-1252" and r.meta["delimiter"] == ";"
    assert r.notes == ["Källa: Polisen, anmälda brott (utdrag för test)"]
    assert r.meta["header_line"] == 2
    assert r.table["Plats"].tolist()[:1] == ["Hässelby torg"]
    assert r.table["Antal"].tolist()[4] == "1\u00a0234"
    assert r.table["line"].tolist() == list(range(3, 10))


def test_notes_title_lines_and_blank_lines(write_text):
    text = ("# FIKTIVA DEMODATA\n#   skapad av test ;;\n\nAnmälda brott per plats\n;;\n"
            "Plats;Antal\n\nA;1\n\n\nB;2\n;\n")
    r = read(write_text(text))
    assert r.notes == ["FIKTIVA DEMODATA", "skapad av test"]
    assert r.meta["header_line"] == 6
    assert r.table[["Plats", "Antal", "line"]].values.tolist() == [["A", "1", 8], ["B", "2", 11]]


def test_quoted_newlines_crlf_and_ragged_rows(write_text):
    text = 'Plats;Antal\r\nA;1\r\n"B\nsecond line";2\r\nC;3;extra\r\nD;4;\r\nE\r\n"F";"6"'
    r = read(write_text(text))
    assert r.table.values.tolist() == [["A", "1", 2], ["B\nsecond line", "2", 3], ["D", "4", 6],
                                       ["F", "6", 8]]
    assert [(e.line, e.reason) for e in r.errors] == [
        (5, "raden har 3 fält men rubrikraden har 2"),
        (7, "raden har 1 fält men rubrikraden har 2 (en rad med en enda text: en anteckning? Skriv den ovanför "
            "rubrikraden, inled den med \"Källa:\" eller \"Anm:\" om den står sist, eller ta bort den)")]


def test_ragged_rows_in_a_long_file_keep_their_lines(write_text):
    body = [f"P{i};{i}" for i in range(3000)]
    body[10] = "P10;10;extra"
    body[1200] = "\n"          # two blank lines
    body[2000] = '"P\n2000";x;y'
    r = read(write_text("Plats;Antal\n" + "\n".join(body) + "\n"))
    assert [(e.line, e.reason) for e in r.errors] == [
        (12, "raden har 3 fält men rubrikraden har 2"), (2003, "raden har 3 fält men rubrikraden har 2")]
    assert len(r.table) == 2997
    assert r.table.loc[r.table["Plats"] == "P1201", "line"].item() == 1204
    assert r.table["line"].iloc[-1] == 3003


def test_headers_made_unique(write_text):
    r = read(write_text("Plats;;Antal;Antal;line\nA;x;1;2;3\n"))
    assert r.table.columns.tolist() == ["Plats", "kolumn 2", "Antal", "Antal (2)", "line (2)", "line"]


def test_file_errors(write_text, tmp_path):
    with pytest.raises(InputError, match="finns inte"):
        read(tmp_path / "saknas.csv")
    with pytest.raises(InputError, match="ingen rubrikrad"):
        read(write_text("Namn;Värde\nA;1\n"))
    with pytest.raises(InputError, match="tom"):
        read(write_text("\n\n"))
    with pytest.raises(InputError, match=r"\.xls"):
        read(write_text("x", name="gammal.xls"))
    bad = tmp_path / "trasig.csv"
    bad.write_bytes(b"Plats;Antal\nA;1\nB;\x81\n")
    with pytest.raises(InputError, match="rad 3"):
        read(bad)


def test_streaming_keeps_lines_and_bounds_chunks(write_text):
    rows = [f"P{i};{i}" for i in range(2500)]
    rows[700] = ""  # a blank line
    rows[1500] = '"multi\nline";1500'
    path = write_text("Plats;Antal\n" + "\n".join(rows) + "\n")
    chunks = list(iter_table(path, accept=ACCEPT, expected="", chunk_rows=333))
    assert all(len(c.table) <= 333 for c in chunks) and len(chunks) > 5
    table = pd.concat([c.table for c in chunks], ignore_index=True)
    whole = read(path).table
    pd.testing.assert_frame_equal(table, whole)
    expected_lines = [i + 2 for i in range(2500) if i != 700]
    expected_lines = [n + (1 if n > 1502 else 0) for n in expected_lines]
    assert table["line"].tolist() == expected_lines
    assert table.loc[table["Antal"] == "1501", "line"].item() == 1504


CELL = st.text(alphabet=list('ab ;,"\nå#1'), max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELL, min_size=1, max_size=3), max_size=25),
       blanks=st.lists(st.booleans(), max_size=25), crlf=st.booleans(), chunk=st.integers(1, 7))
def test_property_csv_lines_match_reference(write_text, rows, blanks, crlf, chunk):
    """Values, physical line numbers and ragged-row errors agree with the csv module, for any
    quoting and chunking."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n" if crlf else "\n")
    writer.writerow(["Plats", "Antal"])
    expected, ragged, line = [], [], 2
    for i, row in enumerate(rows):
        if i < len(blanks) and blanks[i]:
            out.write("\n")
            line += 1
        start = out.tell()
        writer.writerow(row)
        if any(c.strip() for c in row):
            if len(row) == 2 or (len(row) == 3 and not row[2].strip()):
                expected.append([row[0], row[1], line])
            else:
                ragged.append(line)
        line += out.getvalue()[start:].count("\n")
    path = write_text(out.getvalue())
    parts = list(iter_table(path, accept=ACCEPT, expected="", chunk_rows=chunk))
    got = [v for p in parts for v in p.table.values.tolist()]
    assert got == expected
    assert [e.line for p in parts for e in p.errors] == ragged


# ------------------------------------------------------------------------------------------- XLSX

def test_xlsx_header_below_title_on_second_sheet(make_xlsx):
    path = make_xlsx({
        "Info": [["Detta blad har ingen tabell"]],
        "Data": [["# FIKTIVA DEMODATA"], [], ["Anmälda brott"], ["Område", "Antal", None, None],
                 ["Vårberg", 12.0], [None], ["Bredäng", 3.5, None, "extra"],
                 ["Sätra", 0.23], [dt.datetime(2020, 1, 5), dt.datetime(2020, 1, 5, 13, 30)]],
    }, formats={("Data", "B8"): "0%"})
    r = read(path)
    assert r.meta["sheet"] == "Data" and r.meta["header_line"] == 4 and r.meta["format"] == "xlsx"
    assert r.notes == ["FIKTIVA DEMODATA"]
    assert r.table.values.tolist() == [["Vårberg", "12", 5],
                                       ["Sätra", "23 %", 8], ["2020-01-05", "2020-01-05 13:30:00", 9]]
    # a value beyond the header's columns is an error, as a CSV row with more fields than the header
    assert [(e.line, e.column, e.value, e.sheet) for e in r.errors] == [(7, "D", "extra", "Data")]


def test_xlsx_formulas_without_a_computed_value_are_refused(make_xlsx, tmp_path):
    import zipfile

    path = make_xlsx({"A": [["Plats", "Antal"], ["x", "=2+3"], ["y", 4]]})
    with pytest.raises(InputError, match="öppna filen i Excel och spara den igen") as info:
        read(path)
    assert [(e.line, e.column, e.value, e.reason) for e in info.value.errors] == [
        (2, "Antal", "=2+3", "formeln i cell B2 har inget beräknat värde")]  # was column "B" only
    # a formula whose computed result is the empty text is read (as an empty cell)
    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(tmp_path / "text.xlsx", "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == member:
                data = data.replace(b'<c r="B2"><f>', b'<c r="B2" t="str"><f>')
            new.writestr(item, data)
    assert read(tmp_path / "text.xlsx").table.values.tolist() == [["x", "", 2], ["y", "4", 3]]


def test_xlsx_named_sheet_and_errors(make_xlsx):
    path = make_xlsx({"A": [["Plats", "Antal"], ["x", 1]], "B": [["Plats", "Antal"], ["y", 2]]})
    assert read(path, sheet="B").table.values.tolist() == [["y", "2", 2]]
    with pytest.raises(InputError, match='2 blad med en tabell \\("A", "B"\\)'):
        read(path)  # reading only the first would drop the other unsaid
    with pytest.raises(InputError, match="finns inte"):
        read(path, sheet="C")
    with pytest.raises(InputError, match="ingen rubrikrad"):
        read(make_xlsx({"A": [["Namn"], ["x"]]}, name="tom.xlsx"))


def test_xlsx_streams_in_chunks(make_xlsx):
    path = make_xlsx({"A": [["Plats", "Antal"]] + [[f"p{i}", i] for i in range(10)]})
    parts = list(iter_table(path, accept=ACCEPT, expected="", chunk_rows=4))
    assert [len(p.table) for p in parts] == [4, 4, 2]
    assert parts[-1].table["line"].tolist() == [10, 11]


# ---------------------------------------------------------------------------------------- numbers

@pytest.mark.parametrize("text,value,prel,pct", [
    ("1 234", 1234.0, False, False), ("1\u00a0234,5", 1234.5, False, False),
    ("1\u202f234\u202f567", 1234567.0, False, False), ("-3", -3.0, False, False),
    ("\u22123,25", -3.25, False, False), ("12 prel.", 12.0, True, False),
    ("(prel.) 7", 7.0, True, False), ("23 %", 23.0, False, True), ("6,5%", 6.5, False, True),
    ("0.25", 0.25, False, False), ("  42  ", 42.0, False, False),
])
def test_parse_number_examples(text, value, prel, pct):
    n = parse_number(text)
    assert (n.value, n.preliminary, n.percent) == (pytest.approx(value), prel, pct)


@pytest.mark.parametrize("text", ["", "..", ".", "-", "–", " .. "])
def test_missing_tokens(text):
    assert parse_number(text).value is None


@pytest.mark.parametrize("text", ["12 34", "1.234,5", "abc", "1,2,3", "1e5", "12-3", "++1"])
def test_parse_number_rejects(text):
    with pytest.raises(ValueError, match="tal"):
        parse_number(text)


def test_parse_numbers_mixed_batch():
    p = parse_numbers(pd.Series(["1", "x", "..", "2,5"]))
    assert p.invalid.tolist() == [False, True, False, False]
    assert p.missing.tolist() == [False, False, True, False]
    assert np.allclose(p.value[[0, 3]], [1, 2.5]) and np.isnan(p.value[[1, 2]]).all()


@settings(deadline=None)
@given(n=st.integers(-10**12, 10**12), decimals=st.integers(0, 3),
       group=st.sampled_from([" ", "\u00a0", "\u202f"]))
def test_property_swedish_numbers_round_trip(n, decimals, group):
    value = n / 10**decimals
    text = format_number(value, decimals, group)
    assert "." not in text
    assert parse_number(text).value == pytest.approx(round(value, decimals), rel=1e-12, abs=1e-9)


@settings(deadline=None)
@given(st.text(max_size=12))
def test_property_parser_never_crashes(text):
    try:
        parse_number(text)
    except ValueError as exc:
        assert "tal" in str(exc)


# ---------------------------------------------------------------------------- headers and mapping

def test_header_matching_case_and_accents():
    assert normalise("OMRÅDE ") == "omrade"
    assert match_columns(["omrade", "ANTAL"], ALIASES) == {"place": "omrade", "count": "ANTAL"}
    # the earliest alias wins when two headers match
    assert match_columns(["Område", "Plats"], ALIASES) == {"place": "Plats"}
    assert describe(ALIASES, ["place"]) == "Plats (eller Område)"


def test_mapping_file(tmp_path, write_text):
    mapping = tmp_path / "mappning.yaml"
    mapping.write_text("sheet: Blad2\ncolumns:\n  place: Ort\n  count: Summa\n"
                       "categories:\n  Bus: skadegorelse\nconstants:\n  place: Vårberg\n"
                       "options:\n  crs: 3011\n", encoding="utf-8")
    spec = load_mapping(mapping)
    assert spec.sheet == "Blad2" and spec.columns == {"place": "Ort", "count": "Summa"}
    assert spec.categories == {"Bus": "skadegorelse"} and spec.options == {"crs": 3011}
    r = read_table(write_text("Ort;Summa\nA;1\n"), accept=header_accepter(ALIASES, ["place", "count"],
                                                                        spec), expected="")
    assert r.table["Ort"].tolist() == ["A"]
    bad = tmp_path / "fel.yaml"
    bad.write_text("kolumner: {}\n", encoding="utf-8")
    with pytest.raises(InputError, match="okända nycklar"):
        load_mapping(bad)
    bad.write_text("columns: [a, b\n", encoding="utf-8")
    with pytest.raises(InputError, match="YAML"):
        load_mapping(bad)


def test_open_table_exposes_header_before_rows(write_text):
    t = open_table(write_text("Plats;Antal\nA;1\n"), accept=ACCEPT, expected="")
    assert t.headers == ["Plats", "Antal"] and t.meta["header_line"] == 1
    assert t.read().table["Plats"].tolist() == ["A"]
