"""Reading back the numbers behind a chart or table (the "Siffror" sheet of a downloaded XLSX)."""

from __future__ import annotations

import io

import openpyxl


def sheet_rows(ws) -> list[dict]:
    """The data rows of a sheet as dicts by its header row (stops at the first empty row)."""
    header = [c.value for c in ws[1]]
    out = []
    for row in ws.iter_rows(min_row=2, values_only=True):
        if all(v is None for v in row):
            break
        out.append(dict(zip(header, row, strict=True)))
    return out


def numbers_rows(data: bytes) -> list[dict]:
    """:func:`sheet_rows` of the "Siffror" sheet of an XLSX file's bytes."""
    return sheet_rows(openpyxl.load_workbook(io.BytesIO(data))["Siffror"])
