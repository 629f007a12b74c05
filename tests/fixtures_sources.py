"""Fixtures and helpers for the tests of lagesbild.sources (imported by those test modules)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

DATA = Path(__file__).parent / "data"


def write_xlsx(path: Path, sheets: dict[str, list[list]], formats: dict | None = None) -> Path:
    """Write an XLSX file: sheet name -> rows (lists of cell values, None = empty).

    `formats` maps (sheet, "B4") -> an Excel number format, e.g. ``"0%"``.
    """
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
    for (sheet, ref), fmt in (formats or {}).items():
        book[sheet][ref].number_format = fmt
    book.save(path)
    return path


@pytest.fixture
def make_xlsx(tmp_path):
    """``make_xlsx(sheets, formats=None, name="fil.xlsx") -> Path`` in a temporary folder."""
    def make(sheets, formats=None, name="fil.xlsx"):
        return write_xlsx(tmp_path / name, sheets, formats)
    return make


@pytest.fixture
def write_text(tmp_path):
    """``write_text(text, name="fil.csv", encoding="utf-8") -> Path`` in a temporary folder."""
    def write(text, name="fil.csv", encoding="utf-8"):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path
    return write
