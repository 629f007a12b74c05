"""Defects found by probing the readers with files the project had not seen (each test fails on the
code before its fix); the files that showed them are kept in tests/data/nasty."""

from __future__ import annotations

import openpyxl
import pytest

from lagesbild.settings import ROOT
from lagesbild.sources.crimes import read_crimes
from lagesbild.sources.xlsx import open_workbook, sheet_rows

NASTY = ROOT / "tests" / "data" / "nasty"


def test_an_empty_used_range_is_not_read_row_by_row():
    """Six rows of data and 30 000 empty styled rows (Excel's used range after deleting contents): the
    rows after the last value are not parsed. A 10 MB file of a million such rows took ~25 s."""
    name = "crimes_empty_used_range.xlsx"
    book = open_workbook(NASTY / name, name)
    rows = list(sheet_rows(book["Brott"], name))
    book.close()
    assert len(rows) == 7 and rows[-1][3].value == 6
    result = read_crimes(NASTY / name)
    assert result.table["line"].tolist() == [2, 3, 4, 5, 6, 7] and not result.errors


@pytest.mark.parametrize("values_only", [False, True])
def test_a_value_after_a_long_empty_gap_is_still_read(tmp_path, values_only):
    """The limit is the last row with a value, not a run of empty rows: a total far below is read."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Område", "Brottstyp", "Månad", "Antal"])
    ws.append(["Vårberg", "Rån", "2023-01", 1])
    ws.cell(row=5000, column=1).style = "Note"  # a styled empty cell between
    ws.cell(row=9000, column=2, value="Rån")
    book.save(tmp_path / "gap.xlsx")
    book = open_workbook(tmp_path / "gap.xlsx", "gap.xlsx")
    rows = list(sheet_rows(book.active, "gap.xlsx", values_only=values_only))
    book.close()
    last = rows[-1] if values_only else [c.value for c in rows[-1]]
    assert len(rows) == 9000 and last[1] == "Rån"


def test_a_sheet_without_values_gives_no_rows(tmp_path):
    book = openpyxl.Workbook()
    book.active.cell(row=40000, column=3).style = "Note"
    book.save(tmp_path / "tom.xlsx")
    book = open_workbook(tmp_path / "tom.xlsx", "tom.xlsx")
    assert list(sheet_rows(book.active, "tom.xlsx")) == []
    book.close()


def test_px_web_months_in_a_long_table_are_read():
    """PX-Web (SCB's and Brå's databases) writes months "2023M01" in a long table's period column too;
    a wide table's header read them, the long column said "okänd period"."""
    result = read_crimes(NASTY / "crimes_pxweb_long_months.csv")
    assert not result.errors
    assert [str(d.date()) for d in result.table["period_start"]] == ["2023-01-01", "2023-02-01", "2023-12-01"]
    assert result.table["count"].tolist()[:2] == [5, 7] and result.table["line"].tolist() == [4, 5, 6]


def test_a_px_web_month_that_does_not_exist_is_still_refused(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("Område;Brott;Månad;Antal\nVårberg;Rån;2023M13;4\n", encoding="utf-8")
    result = read_crimes(path)
    assert [(e.line, e.value) for e in result.errors] == [(2, "2023M13")]
    assert "okänd period" in result.errors[0].reason


@pytest.mark.parametrize("suffix", [".csv", ".yaml"])
def test_a_web_page_is_named_as_such_by_the_mapping_form_and_the_readers(tmp_path, suffix):
    """The Data page asks what a file needs mapped before it validates: an error page was offered the
    column form ("ingen rubrikrad med kolumnerna -"); a YAML reader said "ska innehålla en lista"."""
    from lagesbild.errors import InputError
    from lagesbild.ingest.mappings import mapping_needs
    from lagesbild.sources.activities import read_activities

    page = (NASTY / "crimes_html_error_page.csv").read_bytes()
    path = tmp_path / ("sida" + suffix)
    path.write_bytes(page)
    with pytest.raises(InputError, match=r"filen är en webbsida \(HTML\).*sidans rubrik: \"404 – Sidan"):
        mapping_needs("crimes", path) if suffix == ".csv" else read_activities(path)


def test_a_file_that_only_mentions_html_is_read(tmp_path):
    path = tmp_path / "brott.csv"
    path.write_text("Område;Brottstyp;Månad;Antal\n<html>;Rån;2023-01;4\n", encoding="utf-8")
    assert read_crimes(path).table["place"].tolist() == ["<html>"]


def test_a_chart_sheet_before_the_table_is_passed_over():
    """A workbook whose first sheet is a chart sheet (Diagram) ended in AttributeError: 'Chartsheet'
    object has no attribute 'reset_dimensions' (crimes, survey, incidents)."""
    from lagesbild.errors import InputError
    from lagesbild.sources.xlsx import open_xlsx

    result = read_crimes(NASTY / "crimes_chartsheet_first.xlsx")
    assert result.meta["sheet"] == "Brott" and result.table["count"].tolist() == [5, 7, 3]
    with pytest.raises(InputError, match="bladet 'Diagram' är ett diagramblad utan tabell; filen har "
                                         "tabellbladen Brott"):
        open_xlsx(NASTY / "crimes_chartsheet_first.xlsx", "f.xlsx", lambda cells: "Antal" in cells, "Antal",
                  "Diagram")


def test_a_hidden_sheet_gives_way_to_the_one_visible_table(tmp_path):
    """A very hidden sheet (not even listed by Excel's Unhide) with an old table made the file "2 blad
    med en tabell", and the message proposed the hidden sheet; two visible tables are still refused."""
    result = read_crimes(NASTY / "crimes_hidden_sheet_first.xlsx")
    assert result.meta["sheet"] == "Brott" and len(result.table) == 3
    book = openpyxl.load_workbook(NASTY / "crimes_hidden_sheet_first.xlsx")
    book["Gammal"].sheet_state = "visible"
    book.create_sheet("Dold").append(["Område", "Brottstyp", "Månad", "Antal"])
    book["Dold"].append(["Vårberg", "Rån", "2021-01", 2])
    book["Dold"].sheet_state = "hidden"
    book.save(tmp_path / "tva.xlsx")
    from lagesbild.errors import InputError

    with pytest.raises(InputError, match=r'filen har 3 blad med en tabell \("Gammal", "Brott", "Dold" \(dolt\)\)'):
        read_crimes(tmp_path / "tva.xlsx")


@pytest.mark.parametrize("name", ["places_crs_sweref_name.geojson", "places_crs_epsg_type.geojson"])
def test_a_geojson_crs_named_in_other_forms_is_the_files_own(name):
    """``"crs": {"type": "name", "properties": {"name": "SWEREF99 TM"}}`` was taken by GDAL as WGS 84 and
    refused with "filen anger WGS 84 men koordinaterna är inte longitud/latitud"; the GeoJSON draft's
    ``{"type": "EPSG", "properties": {"code": 3006}}`` was called a link."""
    from lagesbild.sources.places import read_places

    result = read_places(NASTY / name)
    assert not result.errors and result.table.crs.to_epsg() == 3006
    assert [round(v) for v in result.table.total_bounds] == [671000, 6574000, 671500, 6574500]


def test_a_geojson_crs_no_one_knows_is_named_in_the_refusal():
    from lagesbild.errors import InputError
    from lagesbild.sources.places import read_places

    with pytest.raises(InputError, match='okänt koordinatsystem \\("Stockholms lokala system"\\)'):
        read_places(NASTY / "places_crs_unknown_name.geojson")


def test_notes_under_a_long_survey_table_are_notes():
    """"Källa: Polisen" and "* färre än 30 svarande" under a long survey table were refused rows
    ("raden har 1 fält men rubrikraden har 6"); the wide layout already read them as notes."""
    from lagesbild.sources.survey import read_survey

    result = read_survey(NASTY / "survey_footnotes_long.csv")
    assert not result.errors and len(result.table) == 1
    assert result.notes[-2:] == ["Källa: Polisen", "* färre än 30 svarande"]


def test_a_short_row_under_a_long_survey_table_that_is_no_note_is_refused(tmp_path):
    from lagesbild.sources.survey import read_survey

    path = tmp_path / "t.csv"
    path.write_text("Område;Nivå;År;Indikator;Andel;Svarande\nVårberg;plats;2021;Otrygg;0,41;230\n\n"
                    "Bredäng;plats\n", encoding="utf-8")
    assert [(e.line, e.reason) for e in read_survey(path).errors] == [
        (4, "raden har 2 fält men rubrikraden har 6")]


def test_an_impossible_time_of_day_is_the_time_columns_fault():
    """"24:00" in Klockslag was blamed on Brottsdatum ("2019-03-01": "datumet finns inte")."""
    from lagesbild.sources.incidents import read_incidents

    BAD_TIME = "klockslaget kunde inte tolkas (timmar 00–23 och minuter 00–59, t.ex. 09:30, 9.30 eller 0930)"
    result = read_incidents(NASTY / "incidents_time_24.csv")
    END_OF_DAY = ("klockslaget kunde inte tolkas: 24:00 kan vara dygnets slut (00:00 dagen efter) eller dess "
                  "början (00:00 samma dag); skriv 00:00 med det datum som avses")
    assert [(e.line, e.column, e.value, e.reason) for e in result.errors] == [
        (2, "Klockslag", "24:00", END_OF_DAY), (4, "Klockslag", "12:60", BAD_TIME)]
    assert result.table["line"].tolist() == [3]


def test_a_place_merged_down_its_rows_labels_each_row():
    """"Hässelby torg" merged over A2:A4 (written once beside its rows, as the city's sheets do): rows 3
    and 4 were refused with "platsen saknas"; Excel shows the place on each of them."""
    result = read_crimes(NASTY / "crimes_merged_place_rows.xlsx")
    assert not result.errors
    assert result.table["place"].tolist() == ["Hässelby torg"] * 3
    assert result.table["category"].tolist() == ["ran", "ran", "personran"]


def test_merged_header_cells_and_merged_numbers_are_not_repeated(tmp_path):
    """A header over two rows with Område and Brott merged down both stays one header (the years over
    Antal and Per 100 000); a count merged over two rows is not copied into the second, which was read
    as a missing count ("..") without a word: it is refused naming the merge."""
    book = openpyxl.Workbook()
    ws = book.active
    for row in (["Område", "Brott", "2022", None, "2023", None],
                [None, None, "Antal", "Per 100 000 inv", "Antal", "Per 100 000 inv"],
                ["Stockholms kommun", "Narkotikabrott", 9000, 910.5, 9100, 920.1],
                ["Stockholms kommun", "Misshandel inkl. grov", 8000, 810.5, None, 820.1]):
        ws.append(row)
    for cells in ("A1:A2", "B1:B2", "C1:D1", "E1:F1", "E3:E4"):
        ws.merge_cells(cells)
    book.save(tmp_path / "b.xlsx")
    result = read_crimes(tmp_path / "b.xlsx")
    assert result.meta["headers"][:3] == ["Område", "Brott", "2022 Antal"]
    counts = result.table.set_index(["category", result.table["period_start"].dt.year])["count"]
    assert counts[("narkotikabrott", 2023)] == 9100 and counts[("misshandel", 2022)] == 8000
    assert ("misshandel", 2023) not in counts.index  # not the 9 100 merged above, nor a silent "missing"
    assert [(e.line, e.column, e.value) for e in result.errors] == [
        (4, "2023 Antal", "(sammanslagen med E3: 9100)")]


def test_a_shapefile_without_its_dbf_says_so(tmp_path):
    """A zip of .shp, .shx and .prj only (the .dbf left out) said "filen har ingen egenskap med platsens
    namn eller id ... filens egenskaper är inga"; so did a .shp read without its .dbf beside it."""
    import shutil
    import zipfile

    from lagesbild.errors import InputError
    from lagesbild.sources.places import read_places

    with pytest.raises(InputError, match='Shapefilen "tiny.shp" saknar sin .dbf-fil'):
        read_places(NASTY / "places_zip_shp_without_dbf.zip")
    with zipfile.ZipFile(NASTY / "places_zip_shp_without_dbf.zip") as archive:
        archive.extractall(tmp_path)
    with pytest.raises(InputError, match='Shapefilen "tiny.shp" saknar sin .dbf-fil'):
        read_places(tmp_path / "tiny.shp")
    shutil.copy(tmp_path / "tiny.shp", tmp_path / "annan.shp")  # another Shapefile's .dbf is not its own
    (tmp_path / "annan.dbf").write_bytes(b"")
    with pytest.raises(InputError, match='Shapefilen "tiny.shp" saknar'):
        read_places(tmp_path / "tiny.shp")


def test_a_priority_area_merged_down_its_activities_is_each_ones():
    """An action plan's "Prioriterat område" merged over the rows of its activities: only the first
    activity had it, the others were stored without one (nothing said)."""
    from lagesbild.sources.activities import read_activities

    result = read_activities(NASTY / "activities_merged_priority_area.xlsx")
    assert not result.errors
    assert result.table["priority_area"].tolist() == ["Trygghet i centrum"] * 3 + ["Unga"]
    assert result.table["line"].tolist() == [2, 3, 4, 5]


def test_thousands_spaced_with_a_thin_space_are_counts():
    """1 204 with a no-break space and 1 305 with a narrow one were read; 1 306 with a thin space
    (U+2009, as typeset reports write it) was "antalet kunde inte tolkas som ett tal"."""
    result = read_crimes(NASTY / "crimes_thin_space_thousands.csv")
    assert not result.errors and result.table["count"].tolist() == [1204, 1305, 1306]


def test_a_crime_period_before_1950_is_refused():
    """Months of 1900 (Excel's day 1, a date cell typed as 60) were stored as counts to compare."""
    result = read_crimes(NASTY / "crimes_month_1900.csv")
    assert [(e.line, e.value) for e in result.errors] == [(2, "1900-01"), (3, "1949-12")]
    assert "perioden ligger före 1950" in result.errors[0].reason
    assert result.table["line"].tolist() == [4]


def test_a_header_repeated_under_the_table_is_skipped_and_counted():
    """Two exports pasted one after the other: the second header row was "okänd brottskategori:
    Brottstyp", and the Data page offered to map "Brottstyp" as a crime category."""
    from lagesbild.ingest.handlers import skipped_rows

    result = read_crimes(NASTY / "crimes_header_repeated.csv")
    assert not result.errors and result.table["line"].tolist() == [2, 4]
    assert skipped_rows(result.meta)["upprepade rubrikrader"] == 1
