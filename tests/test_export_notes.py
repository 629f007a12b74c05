"""Meeting notes in the meeting pack: the text as written in the DOCX (python-docx) and the PDF
(pdftotext), neutralised in the ZIP's CSV and XLSX, and no notes section for a place without notes."""

from __future__ import annotations

import io
import subprocess
import zipfile

import docx
import pandas as pd
import pytest
from openpyxl import load_workbook

from lagesbild.analysis.meeting import add_meeting_note
from lagesbild.export.pack import build_pack
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings

PLACES = ROOT / "geodata" / "places.geojson"
NOTE = "Polisen ökar närvaron på torget <fredagar>.\nFastighetsägaren byter belysning i mars."
FORMULA = "=HYPERLINK(\"http://example.invalid\";\"klicka\")"


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notes-pack")
    settings = load_settings({}, data_dir=str(folder), db=str(folder / "s.sqlite"))
    store = open_store(settings)
    ingest_file(store, "places", PLACES)
    months = pd.date_range("2021-09-01", "2023-08-01", freq="MS")
    lines = ["Område,Brottstyp,Period,Antal"]
    lines += [f"{p},Skadegörelse,{m:%Y-%m},{12 + m.month % 3}" for p in ("Hässelby torg", "Vällingby centrum")
              for m in months]
    (folder / "brott.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest_file(store, "crimes", folder / "brott.csv")
    add_meeting_note(store, place="hasselby-torg", meeting_date="2023-09-14", author="Anna", text=NOTE)
    add_meeting_note(store, place="hasselby-torg", meeting_date="2023-10-05", author="Bo", text=FORMULA)
    result = build_pack(store, settings, places=["hasselby-torg", "vallingby-centrum"],
                        periods=["2021–2022", "2022–2023"], out_dir=folder / "ut", date=pd.Timestamp(
                            "2023-10-05").date())
    return result


def test_the_docx_holds_the_notes_of_the_place_that_has_them(pack):
    d = docx.Document(pack.docx)
    h2 = [p.text for p in d.paragraphs if p.style.name == "Heading 2"]
    assert h2.count("Mötesanteckningar") == 1  # Vällingby centrum has none: no section
    table = next(t for t in d.tables if t.rows[0].cells[0].text == "Mötesdatum")
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert rows == [["5 okt 2023", "Bo", FORMULA], ["14 sep 2023", "Anna", NOTE]]


def test_the_pdf_shows_the_note_text(pack):
    text = subprocess.run(["pdftotext", str(pack.pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    assert "Mötesanteckningar" in flat
    assert "Polisen ökar närvaron på torget <fredagar>." in flat
    assert "Fastighetsägaren byter belysning i mars." in flat


def test_the_zip_neutralises_a_note_that_looks_like_a_formula(pack):
    with zipfile.ZipFile(pack.zip) as zf:
        csv = next(n for n in zf.namelist() if "Mötesanteckningar" in n and n.endswith(".csv"))
        xlsx = next(n for n in zf.namelist() if "Mötesanteckningar" in n and n.endswith(".xlsx"))
        raw = zf.read(csv).decode("utf-8-sig")
        wb = load_workbook(io.BytesIO(zf.read(xlsx)))
    assert "'=HYPERLINK" in raw and ";=HYPERLINK" not in raw
    cells = [c.value for row in wb.worksheets[0].iter_rows() for c in row]
    assert FORMULA not in cells and any(str(v).startswith("'=HYPERLINK") for v in cells)
    assert wb.worksheets[0].cell(1, 3).value == "Anteckning"


def test_a_shortened_followup_text_says_where_the_whole_text_is(demo_store_path):
    """Hässelby torg's 2019 follow-up runs to 361 characters: the pack's table shortens it at a word
    and a note under the table names the file of the pack's zip that holds it whole."""
    from lagesbild.analysis import base
    from lagesbild.export.content import Paragraph, Table
    from lagesbild.export.data import ExportData
    from lagesbild.export.sections import activity_tables
    from lagesbild.settings import load_settings
    from lagesbild.store import Store

    settings = load_settings({}, data_dir=str(demo_store_path.parent), db=str(demo_store_path))
    data = ExportData(Store(settings.db_url), settings)
    blocks = activity_tables(data, base.place(data.store, "hasselby-torg"))
    table = next(b for b in blocks if isinstance(b, Table) and b.name.startswith("Uppföljning"))
    cut = [c for r in table.rows for c in r[2:] if str(c).endswith(" …")]
    whole = max(table.data["Genomfört"].fillna("").str.len())
    assert cut and whole > max(len(c) for c in cut)
    note = blocks[blocks.index(table) + 1]
    assert isinstance(note, Paragraph) and f"data/{table.name}.csv" in note.text
    # a place whose texts all fit has no such note
    fits = activity_tables(data, base.place(data.store, "varberg"))
    assert not any(isinstance(b, Paragraph) and "förkortade" in b.text for b in fits)
