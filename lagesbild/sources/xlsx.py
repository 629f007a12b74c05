"""Reading XLSX sheets (openpyxl, read-only) into rows of strings numbered by sheet row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from lagesbild.errors import InputError
from lagesbild.sources.rows import note_text, string_frame, unique_headers
from lagesbild.sources.zipguard import checked_members

MAX_HEADER_SCAN = 50


def check_zip(path: Path, name: str) -> None:
    """Refuse an XLSX that is not a zip archive or that would unpack to far more than it is (zip bomb;
    :func:`lagesbild.sources.zipguard.checked_members`).

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "x.xlsx")
    >>> _ = open(path, "w").write("Plats;Antal")
    >>> check_zip(path, "x.xlsx")
    Traceback (most recent call last):
    ...
    lagesbild.errors.InputError: x.xlsx: filen är inte en Excel-fil (.xlsx är ett zip-arkiv); spara den som Excel-arbetsbok eller CSV
    """
    checked_members(path, name, what="Excel-filen",
                    not_zip="filen är inte en Excel-fil (.xlsx är ett zip-arkiv); spara den som "
                            "Excel-arbetsbok eller CSV")


def open_workbook(path: Path, name: str):
    """An openpyxl workbook (read-only, values); a damaged file is an :class:`InputError`."""
    import openpyxl

    check_zip(path, name)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise InputError(name, "Excel-filen kunde inte öppnas; filen är skadad "
                               f"({exc.__class__.__name__})") from None


def sheet_rows(ws, name: str, **options) -> Iterator[tuple]:
    """``ws.iter_rows(**options)``, with damage found while reading (broken XML) as an InputError."""
    rows = ws.iter_rows(**options)
    count = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # ParseError, zlib.error, KeyError, ValueError ... of a damaged sheet
            raise InputError(name, f"bladet \"{ws.title}\" kunde inte läsas efter {count} rader; filen är "
                                   f"skadad ({exc.__class__.__name__})") from None
        count += 1
        yield row


def cell_text(value: object, number_format: str | None = None) -> str:
    """Text of one XLSX cell value (see the module docstring).

    Examples
    --------
    >>> cell_text(12.0), cell_text(0.23, "0%"), cell_text(dt.datetime(2020, 1, 5))
    ('12', '23 %', '2020-01-05')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, (int, float)):
        if number_format and "%" in number_format:
            return _number_text(round(value * 100, 10)) + " %"
        return _number_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.replace(microsecond=0).isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _number_text(value: float) -> str:
    if isinstance(value, int) or (float(value).is_integer() and abs(value) < 1e15):
        return str(int(value))
    return np.format_float_positional(float(value), trim="-")


def open_xlsx(path: Path, name: str, accept: Callable[[list[str]], bool], expected: str,
              sheet: str | None):
    """Find the header in the named sheet or the first sheet where `accept` likes a row.

    Returns
    -------
    tuple
        ``(headers, notes, meta, rows)`` where ``rows(chunk_rows)`` yields ``(frame, errors)``.
    """
    book = open_workbook(path, name)
    sheets = list(book.sheetnames)
    if sheet is not None and sheet not in sheets:
        book.close()
        raise InputError(name, f"bladet {sheet!r} finns inte; filen har {', '.join(sheets)}")
    for sheet_name in [sheet] if sheet is not None else sheets:
        ws = book[sheet_name]
        ws.reset_dimensions()
        rows = _numbered_rows(ws, name)
        found = _xlsx_header(rows, accept)
        if found:
            headers, notes, header_row = found
            meta = {"format": "xlsx", "sheet": sheet_name, "header_line": header_row,
                    "headers": headers}
            return headers, notes, meta, _xlsx_chunks(book, rows, headers)
    book.close()
    where = f"bladet {sheet!r}" if sheet else "något blad"
    raise InputError(name, f"hittade ingen rubrikrad med kolumnerna {expected} i {where}; välj "
                           "kolumnerna i formuläret på sidan Data eller ange dem i en mappningsfil "
                           "(columns:)")


def _numbered_rows(ws, name: str) -> Iterator[tuple[int, list[str]]]:
    number = 0
    for row in sheet_rows(ws, name):
        number = next((c.row for c in row if getattr(c, "row", None)), number + 1)
        yield number, [cell_text(c.value, getattr(c, "number_format", None)) for c in row]


def _xlsx_header(rows, accept):
    notes, scanned, in_notes = [], 0, True
    for number, cells in rows:
        filled = [c for c in cells if c.strip()]
        if not filled:
            continue
        note = note_text(filled[0])
        if in_notes and note is not None:
            notes.append(note)
            continue
        in_notes = False
        while cells and not cells[-1].strip():
            cells.pop()
        if accept([c.strip() for c in cells]):
            return unique_headers(cells), notes, number
        scanned += 1
        if scanned >= MAX_HEADER_SCAN:
            return None
    return None


def _xlsx_chunks(book, rows, headers):
    n = len(headers)

    def chunks(chunk_rows: int):
        data, lines = [], []
        try:
            for number, cells in rows:
                cells = (cells + [""] * n)[:n]
                if not any(c.strip() for c in cells):
                    continue
                data.append(cells)
                lines.append(number)
                if len(data) >= chunk_rows:
                    yield string_frame(data, lines, headers), []
                    data, lines = [], []
            if data:
                yield string_frame(data, lines, headers), []
        finally:
            book.close()
    return chunks


