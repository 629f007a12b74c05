"""Brå "Anmälda brott" exports as Brå's statistics database writes them (data10), values by hand.

Found: the legend under a table (".. Uppgift saknas.", ".. = uppgift saknas", "– = inget finns att
redovisa") was no note, so a CSV ending in Brå's footnote and legend lines was refused whole: 'raden har 1
fält men rubrikraden har 5'. Legend lines after the last data row are now notes, as "Källa:" and "* …"
were. Held (guards): a title above a header on line 5, "1 234" with U+202F and U+00A0 as thousands
separators, ".." as missing and "–" as zero in a Brå table, "2024*" as preliminary, UTF-8 with BOM,
Windows-1252, semicolons and tabs, an XLSX with the years merged over Antal / Per 100 000 (the rates
never read as counts), the region merged down its rows; a region left blank (not merged) is refused
naming the line and column.
"""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.sources.crimes import read_crimes
from lagesbild.sources.crimetext import is_note_text

NB, NN = "\u202f", "\u00a0"
TEXT = ("Anmälda brott, kommuner och län, 2022–2024\n"
        "Brå, Kriminalstatistik\n"
        "Källa: Brottsförebyggande rådet\n"
        "\n"
        "Region;Brottstyp;2022;2023;2024*\n"                      # line 5: the header
        f"0180 Stockholm;Stöld;1{NB}234;2{NN}345;3 456\n"          # line 6
        "0180 Stockholm;Rån;..;–;12\n"                            # line 7
        "2580 Luleå;Stöld;456;789;1\u00a0001\n"                   # line 8
        "\n"
        "* Preliminära uppgifter för 2024.\n"
        ".. Uppgift saknas. – = inget finns att redovisa.\n")
# (place, category, year, count, preliminary), read off TEXT by hand; ".." is missing (None), "–" zero
EXPECTED = [("0180 Stockholm", "stold", 2022, 1234, False), ("0180 Stockholm", "stold", 2023, 2345, False),
            ("0180 Stockholm", "stold", 2024, 3456, True), ("0180 Stockholm", "ran", 2022, None, False),
            ("0180 Stockholm", "ran", 2023, 0, False), ("0180 Stockholm", "ran", 2024, 12, True),
            ("2580 Luleå", "stold", 2022, 456, False), ("2580 Luleå", "stold", 2023, 789, False),
            ("2580 Luleå", "stold", 2024, 1001, True)]


def _rows(result):
    t = result.table
    return [(p, c, s.year, None if pd.isna(n) else int(n), bool(pr))
            for p, c, s, n, pr in zip(t["place"], t["category"], t["period_start"], t["count"].astype(object),
                                      t["preliminary"], strict=True)]


@pytest.mark.parametrize(("name", "encoding", "delimiter"), [
    ("bom.csv", "utf-8-sig", ";"), ("ansi.csv", "cp1252", ";"), ("tab.tsv", "utf-8", "\t"),
    ("tab_ansi.txt", "cp1252", "\t")])
def test_bra_regional_csv_with_footnotes_and_legend_loads_the_right_numbers(tmp_path, name, encoding, delimiter):
    text = TEXT.replace(";", delimiter)
    if encoding == "cp1252":
        text = text.replace(NB, NN)  # Windows-1252 has no narrow no-break space
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    r = read_crimes(path)
    assert r.errors == [], r.errors
    assert _rows(r) == EXPECTED
    assert r.table["line"].tolist() == [6, 6, 6, 7, 7, 7, 8, 8, 8]


def test_the_cli_reads_it_and_status_shows_it(tmp_path, capsys):
    from lagesbild.cli import main

    path = tmp_path / "anmalda.csv"
    path.write_text(TEXT, encoding="utf-8-sig")
    db = str(tmp_path / "s.sqlite")
    assert main(["ingest", "crimes", str(path), "--db", db, "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("anmalda.csv: 9 värden inlästa från 3 rader (en kolumn per period).")


@pytest.mark.parametrize("text", [".. Uppgift saknas.", ".. = uppgift saknas", "– = inget finns att redovisa",
                                  "- = inget finns att redovisa", "..Uppgift saknas"])
def test_legend_lines_are_notes(text):
    assert is_note_text(text)


@pytest.mark.parametrize("text", ["- varav grov", "–", "..", "..5", "...", "Stockholm", "- Stöld"])
def test_a_dash_or_dots_alone_or_before_a_category_is_no_note(text):
    assert not is_note_text(text)


def test_an_xlsx_with_years_merged_over_measures_reads_counts_not_rates(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Anmälda brott"
    ws["A1"] = "Anmälda brott efter region, 2023–2024"
    ws.merge_cells("A1:F1")
    ws["A2"] = "Källa: Brottsförebyggande rådet"
    ws.append([])
    ws.append(["Region", "Brottstyp", "2023", None, "2024*", None])
    ws.merge_cells("C4:D4")
    ws.merge_cells("E4:F4")
    ws.append([None, None, "Antal", "Per 100 000 inv", "Antal", "Per 100 000 inv"])
    ws.append(["0180 Stockholm", "Stöld", f"1{NB}234", 125.4, 2345, 130.1])   # row 6
    ws.append([None, "Rån", "..", "..", "–", "–"])                            # row 7
    ws.append(["2580 Luleå", "Stöld", 456, 57.0, f"1{NN}001", 60.2])          # row 8
    ws.append([])
    ws.append(["* Preliminära uppgifter."])
    ws.append([".. Uppgift saknas."])
    blank = tmp_path / "blank.xlsx"
    book.save(blank)
    r = read_crimes(blank)  # Brå's stub left blank under its first row: refused, naming the cell
    assert [(e.line, e.column, e.reason, e.sheet) for e in r.errors] == [
        (7, "Region", "platsen saknas", "Anmälda brott")] * 2
    ws.merge_cells("A6:A7")  # merged down: the region of both rows
    merged = tmp_path / "merged.xlsx"
    book.save(merged)
    r = read_crimes(merged)
    assert r.errors == []
    assert _rows(r) == [("0180 Stockholm", "stold", 2023, 1234, False), ("0180 Stockholm", "stold", 2024, 2345, True),
                        ("0180 Stockholm", "ran", 2023, None, False), ("0180 Stockholm", "ran", 2024, 0, True),
                        ("2580 Luleå", "stold", 2023, 456, False), ("2580 Luleå", "stold", 2024, 1001, True)]


@settings(max_examples=60, deadline=None)
@given(counts=st.lists(st.integers(0, 9_999_999), min_size=3, max_size=3),
       sep=st.sampled_from([" ", NN, NB, "\u2009"]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
       delimiter=st.sampled_from([";", "\t"]))
def test_any_count_with_any_thousands_separator_reads_back(tmp_path_factory, counts, sep, encoding, delimiter):
    """The reference is Python's own grouping of the number, with the separator swapped in."""
    path = tmp_path_factory.mktemp("f") / "b.csv"
    shown = [f"{n:,}".replace(",", sep) for n in counts]
    text = (f"Källa: Brottsförebyggande rådet\n\nRegion{delimiter}Brottstyp{delimiter}2021{delimiter}2022"
            f"{delimiter}2023*\n0180 Stockholm{delimiter}Stöld{delimiter}" + delimiter.join(shown)
            + "\n\n* Preliminära uppgifter.\n.. Uppgift saknas.\n")
    path.write_bytes(text.encode(encoding))
    r = read_crimes(path)
    assert r.errors == [] and r.table["count"].astype(int).tolist() == counts
    assert r.table["preliminary"].tolist() == [False, False, True]


@pytest.mark.parametrize("mark", ["..", "–", "-", "…", ". ."])
def test_a_place_written_as_a_missing_mark_is_refused_not_a_new_area(tmp_path, mark):
    """'..;Rån;3;5' under Brå's header made a new area ".." under Stockholm ('1 nytt område utan karta
    under Stockholm: ..'), exit 0."""
    path = tmp_path / "b.csv"
    path.write_text(f"Region;Brottstyp;2023;2024\n0180 Stockholm;Stöld;1;2\n{mark};Rån;3;5\n", encoding="utf-8")
    r = read_crimes(path)
    assert {(e.line, e.column, e.value) for e in r.errors} == {(3, "Region", mark)}
    assert all(e.reason.startswith("platsen saknas: ett namn utan bokstäver eller siffror") for e in r.errors)
    assert r.table["place"].tolist() == ["0180 Stockholm"] * 2
