"""Damaged XLSX files the earlier corpus did not have (checker sec): each is refused in Swedish with
exit code 2, naming the sheet and what is wrong, and nothing is written.

- a cell whose style index points past the workbook's styles was an ``IndexError`` traceback (exit 1);
- a row numbered beyond Excel's last row (``r="99999999999"``, ten bytes) made openpyxl fill the gap
  with empty rows: a 6 kB file read without end;
- a row numbered 0 or -3 was skipped without a word (one row fewer read in);
- an ``encoding="…"`` Python does not know was "okänt fel" instead of the reason.
"""

from __future__ import annotations

import itertools
import re
import zipfile

import openpyxl
import pytest

from lagesbild.cli import main as cli_main
from lagesbild.errors import InputError
from lagesbild.ingest import open_store
from lagesbild.settings import load_settings
from lagesbild.sources.xlsx import open_workbook, sheet_rows
from lagesbild.sources.zipguard import checked_members
from lagesbild.store import Store

SHEET = "xl/worksheets/sheet1.xml"
ROWS = [["Område", "Brottstyp", "Period", "Antal"], ["Vårberg", "Skadegörelse", "2020-01", "3"],
        ["Vårberg", "Skadegörelse", "2020-02", "4"], ["Vårberg", "Skadegörelse", "2020-03", "5"]]


def _workbook(tmp_path, edit, name="brott.xlsx"):
    """An XLSX of :data:`ROWS` whose sheet XML is changed by ``edit(xml) -> xml``."""
    plain = tmp_path / "plain.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Data"
    for row in ROWS:
        book.active.append(row)
    book.save(plain)
    path = tmp_path / name
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, edit(data.decode()).encode() if item.filename == SHEET else data)
    return path


@pytest.fixture
def store_path(tmp_path):
    """An empty store as the CLI opens it (categories filled in); Vårberg is a built-in place."""
    path = tmp_path / "s.sqlite"
    open_store(load_settings({}, db=str(path)))
    return path


def _table_counts(path) -> dict:
    with Store(f"sqlite:///{path}").engine.connect() as conn:
        names = [r[0] for r in conn.exec_driver_sql("select name from sqlite_master where type='table'")]
        return {n: conn.exec_driver_sql(f'select count(*) from "{n}"').scalar() for n in names}


def _ingest(store_path, path, capsys) -> tuple[int, str]:
    before = _table_counts(store_path)
    code = cli_main(["--db", str(store_path), "ingest", "crimes", str(path), "--no-progress"])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if code == 2:
        assert _table_counts(store_path) == before  # nothing half-written
    return code, err


def test_a_style_index_past_the_styles_is_refused_naming_the_cell(tmp_path, store_path, capsys):
    path = _workbook(tmp_path, lambda xml: re.sub(r'<c r="D3"', '<c s="999" r="D3"', xml))
    code, err = _ingest(store_path, path, capsys)
    assert code == 2
    assert 'Fel: brott.xlsx: bladet "Data", cell D3: cellen hänvisar till ett format som inte finns' in err


def test_a_row_beyond_excels_last_row_is_refused_before_any_row_is_read(tmp_path):
    path = _workbook(tmp_path, lambda xml: xml.replace('<row r="4"', '<row r="99999999999"')
                     .replace('r="A4"', 'r="A99999999999"').replace('r="B4"', 'r="B99999999999"')
                     .replace('r="C4"', 'r="C99999999999"').replace('r="D4"', 'r="D99999999999"'))
    book = open_workbook(path, "brott.xlsx")
    try:
        with pytest.raises(InputError) as refused:
            # the first rows, not the whole sheet: before the fix these came (then empty rows without end)
            list(itertools.islice(sheet_rows(book["Data"], "brott.xlsx"), 50))
    finally:
        book.close()
    assert "rad med nummer 99999999999" in refused.value.reason
    assert "raderna 1–1\u00a0048\u00a0576" in refused.value.reason


def test_a_row_beyond_excels_last_row_through_the_cli(tmp_path, store_path, capsys):
    path = _workbook(tmp_path, lambda xml: xml.replace("</sheetData>", '<row r="5000000"><c r="A5000000">'
                                                                        "<v>1</v></c></row></sheetData>"))
    code, err = _ingest(store_path, path, capsys)
    assert code == 2
    assert 'bladet "Data" har en rad med nummer 5000000' in err


@pytest.mark.parametrize("number", ["0", "-3"])
def test_a_row_numbered_outside_the_sheet_is_refused_not_skipped(tmp_path, store_path, capsys, number):
    path = _workbook(tmp_path, lambda xml: xml.replace('<row r="3"', f'<row r="{number}"'))
    code, err = _ingest(store_path, path, capsys)
    assert code == 2, err
    assert f'bladet "Data" har en rad med nummer {number},' in err


def test_an_unknown_xml_encoding_is_named(tmp_path, store_path, capsys):
    path = _workbook(tmp_path, lambda xml: re.sub(r"^(<\?xml[^>]*\?>)?", '<?xml version="1.0" '
                                                  'encoding="EBCDIC-US"?>', xml, count=1))
    code, err = _ingest(store_path, path, capsys)
    assert code == 2
    assert "okänd teckenkodning" in err


def test_the_plain_workbook_still_reads(tmp_path, store_path, capsys):
    code, err = _ingest(store_path, _workbook(tmp_path, lambda xml: xml), capsys)
    assert code == 0, err


def _with_shared_strings(tmp_path, entries: int, name="brott.xlsx"):
    """:data:`ROWS` written with shared strings (as Excel writes them) plus ``entries`` one-letter
    texts no cell uses."""
    plain = _workbook(tmp_path, lambda xml: xml, name="plain2.xlsx")
    texts: list[str] = []

    def shared(xml):
        def cell(m):
            texts.append(m[2])
            return f'<c r="{m[1]}" t="s"><v>{len(texts) - 1}</v></c>'
        return re.sub(r'<c r="([A-Z]+\d+)" t="inlineStr"><is><t>([^<]*)</t></is></c>', cell, xml)

    path = tmp_path / name
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item).decode()
            if item.filename == SHEET:
                data = shared(data)
            elif item.filename == "[Content_Types].xml":
                data = data.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="'
                                    'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings'
                                    '+xml"/></Types>')
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace("</Relationships>", '<Relationship Id="rIdS" Type="http://schemas.'
                                    'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                                    'Target="sharedStrings.xml"/></Relationships>')
            dst.writestr(item, data)
        unused = "".join(f"<si><t>{'xyzw'[i % 97 % 4]}</t></si>" for i in range(entries))
        dst.writestr("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                     '2006/main">' + "".join(f"<si><t>{t}</t></si>" for t in texts) + unused + "</sst>")
    return path


def test_a_shared_string_table_no_cell_uses_is_refused_before_openpyxl_reads_it(tmp_path, store_path,
                                                                                capsys):
    # 300 000 texts that no cell uses: openpyxl read them all when it opened the file (five million,
    # in a 600 kB file, took 68 s and 700 MB); the cells use 16
    path = _with_shared_strings(tmp_path, 300_000)
    assert checked_members(path, "brott.xlsx", not_zip="-")  # the zip guard alone lets it through
    code, err = _ingest(store_path, path, capsys)
    assert code == 2
    assert ("Fel: brott.xlsx: Excel-filens texttabell har fler än 1\u00a0032 texter, men bladen har bara 16 "
            "celler som använder en") in err


def test_a_workbook_with_shared_strings_and_a_few_spare_ones_still_reads(tmp_path, store_path, capsys):
    code, err = _ingest(store_path, _with_shared_strings(tmp_path, 50), capsys)
    assert code == 0, err
