"""A crime or incident file whose title row above the header says it is fictitious is stored so.

desk8 measured that a CSV with "FIKTIVA SIFFROR – testdata" above its header, read in as crimes or as
incidents, got a source stored with ``fictitious: False`` (only ``# FIKTIVA`` note lines counted), so
its made-up numbers were shown unmarked; a survey file with the same title row was fixed in a76ae7f.
The expected flags come from the files as written.
"""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from lagesbild.analysis import base
from lagesbild.ingest import ingest_file

CRIMES = [["Område", "Brottstyp", "Månad", "Antal"], ["Vårberg", "Skadegörelse", "2023-01", "5"],
          ["Vårberg", "Skadegörelse", "2023-02", "7"]]
# SWEREF 99 TM points inside Vårberg (the demo places)
INCIDENTS = [["id", "datum", "brottstyp", "x", "y"], ["1", "2023-01-05 14:00", "Skadegörelse", "667000", "6571000"],
             ["2", "2023-01-06 15:00", "Skadegörelse", "667100", "6571100"]]


def _csv(path, title, rows):
    path.write_text("\n".join(([title] if title else []) + [";".join(r) for r in rows]) + "\n", encoding="utf-8")
    return path


def _xlsx(path, title, rows):
    book = Workbook()
    if title:
        book.active.append([title])
    for r in rows:
        book.active.append(r)
    book.save(path)
    return path


@pytest.mark.parametrize("title, fictitious", [("FIKTIVA SIFFROR – testdata", True),
                                               ("Fiktiva data för övning", True),
                                               ("Anmälda brott, Skärholmen", False), (None, False)])
@pytest.mark.parametrize("kind, rows", [("crimes", CRIMES), ("incidents", INCIDENTS)], ids=["crimes", "incidents"])
@pytest.mark.parametrize("write", [_csv, _xlsx], ids=["csv", "xlsx"])
def test_a_title_row_saying_fictitious_marks_the_source(places_store, tmp_path, write, kind, rows, title,
                                                       fictitious):
    path = write(tmp_path / f"{kind}.{write.__name__[1:]}", title, rows)
    report = ingest_file(places_store, kind, path, crs=3006 if kind == "incidents" else None)
    assert report.status == "ok" and report.accepted == 2, report.message
    stored = places_store.sources().set_index("source")
    assert bool(stored.loc[report.source, "fictitious"]) is fictitious
    assert base.facts(places_store)["demo"] is fictitious  # and every mark follows (d2b5287)
