"""A survey file marked fictitious by a title row above its header is stored as fictitious.

desk7's re-check: /tmp/desk7/s_title.xlsx (a title row "FIKTIVA SIFFROR – testdata" above the header
``Område;År;Indikator;Andel (%);Antal svarande``) was read with ``fictitious`` false on every row and
its source stored with ``fictitious: false``; only a ``# FIKTIVA …`` comment line was noticed. The
expected flags come from the files as written: each says "fiktiv" above its header (or does not).
"""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from lagesbild.ingest import ingest_file
from lagesbild.sources.survey import read_survey

HEADER = ["Område", "År", "Indikator", "Andel (%)", "Antal svarande"]
ROW = ["Hässelby torg", "2023", "Otrygg utomhus sent en kväll", "30", "300"]
TITLES = ["FIKTIVA SIFFROR – testdata", "Fiktiva data", "fiktiva uppgifter, Huddinge 2023"]


def _csv(path, title):
    lines = ([title] if title else []) + [";".join(HEADER), ";".join(ROW)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _xlsx(path, title, sheet="Blad1"):
    book = Workbook()
    ws = book.active
    ws.title = sheet
    if title:
        ws.append([title])
    ws.append(HEADER)
    ws.append([ROW[0], 2023, ROW[2], 30, 300])
    book.save(path)
    return path


@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize("write", [_csv, _xlsx], ids=["csv", "xlsx"])
def test_title_row_saying_fictitious_marks_every_row(tmp_path, write, title):
    path = write(tmp_path / f"trygghet.{write.__name__[1:]}", title)
    assert read_survey(path).table["fictitious"].tolist() == [True]


@pytest.mark.parametrize("title", [None, "Trygghetsmätning 2023"])
@pytest.mark.parametrize("write", [_csv, _xlsx], ids=["csv", "xlsx"])
def test_file_without_such_a_line_stays_real(tmp_path, write, title):
    path = write(tmp_path / f"trygghet.{write.__name__[1:]}", title)
    assert read_survey(path).table["fictitious"].tolist() == [False]


@pytest.mark.parametrize("write", [_csv, _xlsx], ids=["csv", "xlsx"])
def test_source_is_stored_fictitious(places_store, tmp_path, write):
    path = write(tmp_path / f"trygghet.{write.__name__[1:]}", "FIKTIVA SIFFROR – testdata")
    report = ingest_file(places_store, "survey", path)
    assert report.status == "ok" and report.accepted == 1, report.message
    sources = places_store.sources().set_index("source")
    assert bool(sources.loc[report.source, "fictitious"]) is True
    assert places_store.survey()["fictitious"].astype(bool).tolist() == [True]
