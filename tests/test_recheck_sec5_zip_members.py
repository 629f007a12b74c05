"""A zip bomb split into many members (checker sec5).

The zip guard compared a member's unpacked size with its packed size only above 20 MB
(``ZIP_RATIO_FROM``) and the archive's total with an absolute 2 GB. A 2.9 MB XLSX holding 99 extra
parts of 20 MB each (1.98 GB unpacked, about 680 times its size) passed it, and ``ingest`` took 82 s
to refuse nothing (a plain five-row workbook takes a few). The whole archive is now compared with
its size on disk too. The sizes below are hand counts: 3 parts × 10 MB of zeros is 30 MB unpacked
(over the 20 MB from which the ratio counts), packed by deflate to about 10 kB each, so the archive
is far more than 200 times smaller than what it unpacks to.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from lagesbild.cli import main as cli_main
from lagesbild.errors import InputError
from lagesbild.ingest import open_store
from lagesbild.settings import load_settings
from lagesbild.sources.places import read_places
from lagesbild.sources.zipguard import checked_members
from lagesbild.store import Store

ROOT = Path(__file__).resolve().parents[1]
ROWS = [["Område", "Brottstyp", "Period", "Antal"], ["Vårberg", "Skadegörelse", "2020-01", "3"],
        ["Vårberg", "Skadegörelse", "2020-02", "4"]]
TEN_MB = 10 << 20


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "s.sqlite"
    open_store(load_settings({}, db=str(path)))
    return path


def _counts(path) -> dict:
    with Store(f"sqlite:///{path}").engine.connect() as conn:
        names = [r[0] for r in conn.exec_driver_sql("select name from sqlite_master where type='table'")]
        return {n: conn.exec_driver_sql(f'select count(*) from "{n}"').scalar() for n in names}


def _workbook_with_parts(tmp_path, parts: int, data: bytes) -> Path:
    """A real workbook of :data:`ROWS` with ``parts`` extra members of ``data`` under xl/worksheets/."""
    plain = tmp_path / "plain.xlsx"
    book = openpyxl.Workbook()
    for row in ROWS:
        book.active.append(row)
    book.save(plain)
    path = tmp_path / "brott.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        for i in range(parts):
            dst.writestr(f"xl/worksheets/extra{i}.xml", data)
    return path


def test_many_members_each_under_the_ratio_threshold_are_a_zip_bomb(tmp_path, store_path, capsys):
    path = _workbook_with_parts(tmp_path, 3, bytes(TEN_MB))
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
    assert all(i.file_size <= 20 << 20 for i in infos)  # no member alone is past the old check
    assert sum(i.file_size for i in infos) > 30 << 20 > 200 * path.stat().st_size
    before = _counts(store_path)
    code = cli_main(["--db", str(store_path), "ingest", "crimes", str(path), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    assert "Fel: brott.xlsx: Excel-filen packas upp till 30" in err
    assert "(skadad fil eller zip-bomb)" in err
    assert _counts(store_path) == before


def test_a_places_zip_of_many_padded_members_is_refused(tmp_path):
    path = tmp_path / "platser.zip"
    text = (ROOT / "tests" / "data" / "places_4326.geojson").read_bytes()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("platser.geojson", text)
        for i in range(3):  # ignored members are unpacked by nothing, but a bomb is refused whole
            z.writestr(f"__MACOSX/pad{i}", bytes(TEN_MB))
    with pytest.raises(InputError, match=r"platser.zip: zip-arkivet packas upp till 30 MB.*zip-bomb"):
        read_places(path)


def test_an_archive_larger_than_the_threshold_at_an_ordinary_ratio_passes(tmp_path):
    """Guard: 24 MB unpacked from about 12 MB (random bytes do not pack) is no bomb."""
    path = tmp_path / "vanlig.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.bin", os.urandom(12 << 20))
        z.writestr("b.bin", bytes(12 << 20))
    assert [m.filename for m in checked_members(path, "vanlig.zip", not_zip="-")] == ["a.bin", "b.bin"]


def test_a_small_workbook_of_well_packed_parts_under_the_threshold_still_reads(tmp_path, store_path,
                                                                             capsys):
    """Guard: the total ratio counts only above 20 MB unpacked (small parts pack well legitimately)."""
    path = _workbook_with_parts(tmp_path, 1, json.dumps([0] * 100_000).encode())
    code = cli_main(["--db", str(store_path), "ingest", "crimes", str(path), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 0, err
