"""Finding a CSV file's header row: the encoding, the delimiter and the lines above the header.

The encoding is UTF-8 (with or without BOM) when the whole file decodes strictly as UTF-8, else
Windows-1252 (:func:`lagesbild.sources.csvencoding.detect_encoding`). Leading lines starting with ``#`` are
returned as notes (demo files start with ``# FIKTIVA DEMODATA``). The header row is the first of the next
:data:`~lagesbild.sources.xlsx.MAX_HEADER_SCAN` non-empty lines that the caller's ``accept`` function
recognises, split at the delimiter (``;``, tab or ``,``) that gives it the most cells; title lines above
it are skipped and kept in ``meta["title_lines"]`` (Brå and the police name the measure there, "Anmälda
brott, antal" or "… per 100 000 invånare"). A header written over two rows is joined
(:mod:`lagesbild.sources.header_rows`). The rows below are streamed by
:func:`lagesbild.sources.csvrows.csv_rows`; :func:`lagesbild.sources.tabular.open_table` is the door
for callers, for CSV and XLSX alike.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable
from pathlib import Path

from lagesbild.errors import InputError
from lagesbild.sources.csvencoding import detect_encoding
from lagesbild.sources.csvrows import csv_rows
from lagesbild.sources.csvtail import named_width
from lagesbild.sources.header_rows import TwoRows, joined_header
from lagesbild.sources.rows import note_text, unique_headers
from lagesbild.sources.xlsx import MAX_COLUMNS, MAX_HEADER_SCAN

DELIMITERS = (";", "\t", ",")
HEAD_BYTES = 1 << 20

Accept = Callable[[list[str]], bool]


def _cells(text: str | None, delimiter: str) -> list[str] | None:
    if text is None:
        return None
    try:
        return next(csv.reader([text], delimiter=delimiter), [])
    except csv.Error:
        return None


def _split_header(text: str, accept: Accept) -> tuple[str, list[str]] | None:
    best = None
    for delimiter in DELIMITERS:
        try:
            cells = next(csv.reader([text], delimiter=delimiter), [])
        except csv.Error:
            continue
        cells = [" ".join(c.split()) if "\n" in c else c.strip() for c in cells]  # a wrapped cell: one line
        if accept(cells) and (best is None or len(cells) > len(best[1])):
            best = (delimiter, cells)
    return best


def open_csv(path: Path, name: str, accept: Accept, expected: str, two_rows: TwoRows | None = None):
    """Find the header of a CSV file (see the module docstring).

    Returns
    -------
    tuple
        ``(headers, notes, meta, rows)`` where ``rows(chunk_rows)`` yields ``(frame, errors)``
        (:func:`lagesbild.sources.csvrows.csv_rows`).

    Raises
    ------
    InputError
        When the file is empty, in an unknown encoding, has lines ending in CR only or a first line of
        more than a megabyte, or has no accepted header among its first lines.
    """
    encoding = detect_encoding(path, name)
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
        complete = not fh.read(1)
    raw_lines = head.split(b"\n")
    if not complete:
        raw_lines = raw_lines[:-1]
    notes: list[str] = []
    titles: list[str] = []
    offset, scanned, in_notes, above, inside = 0, 0, True, None, -1
    for index, raw in enumerate(raw_lines):
        offset += len(raw) + 1
        if index <= inside:  # a line break inside a quoted cell of the line before: read with it
            continue
        text = raw.decode(encoding).rstrip("\r").lstrip("\ufeff")
        inside = _quoted_lines(raw_lines, index, encoding)
        for more in raw_lines[index + 1:inside + 1]:  # Excel's wrapped header cell: "Antal<Alt+Enter>(st)"
            offset += len(more) + 1
            text += "\n" + more.decode(encoding).rstrip("\r")
        note = note_text(text)
        if in_notes and (note is not None or not text.strip(" ;,\t")):
            if note is not None:
                notes.append(note)
            continue
        in_notes = False
        if not text.strip(" ;,\t"):
            above = None
            continue
        found = _split_header(text, accept)
        last = max(index, inside)  # the header's last physical line
        if found:
            delimiter, cells = found
            below = raw_lines[last + 1].decode(encoding, "replace").rstrip("\r") \
                if last + 1 < len(raw_lines) else None
            cells, joined = joined_header(_cells(above, delimiter), cells, _cells(below, delimiter),
                                          two_rows, accept)
            if joined == "above":
                titles.pop()
            elif joined == "below":
                offset += len(raw_lines[last + 1]) + 1
            _refuse_too_wide(cells, index + 1, name)
            width = len(cells)
            headers = unique_headers(cells[:named_width(cells)])  # empty columns at the end: csvtail
            meta = {"format": "csv", "encoding": "utf-8" if encoding == "utf-8" else "windows-1252",
                    "bom": head.startswith(codecs.BOM_UTF8), "delimiter": delimiter,
                    "header_line": index + 1, "headers": headers,
                    "title_lines": [t.strip(" ;,\t") for t in titles], "header_rows": 2 if joined else 1}
            first = last + (3 if joined == "below" else 2)
            return headers, notes, meta, csv_rows(path, name, offset, first, headers, delimiter, encoding,
                                                      width)
        above = text
        titles.append(text)
        scanned += 1
        if scanned >= MAX_HEADER_SCAN:
            break
    if b"\r" in head and b"\n" not in head:
        raise InputError(name, "raderna slutar bara med CR (en gammal Mac-radbrytning), så filen läses som "
                               "en enda rad; spara den igen som CSV (UTF-8) med vanliga radbrytningar")
    if not complete and not raw_lines:
        raise InputError(name, f"rad 1 är längre än {HEAD_BYTES // 2**20} MB; en rubrik eller rubrikrad "
                               "kan inte vara så lång (saknar filen radbrytningar?)")
    if not any(r.replace(codecs.BOM_UTF8, b"").strip(b" \t\r\n;,") for r in raw_lines):  # ";;;": an empty sheet
        raise InputError(name, "filen är tom")
    raise InputError(name, f"hittade ingen rubrikrad med kolumnerna {expected}; välj kolumnerna i "
                           "formuläret på sidan Data eller ange dem i en mappningsfil (columns:)")


#: physical lines one header row may span through line breaks inside its quoted cells
MAX_WRAPPED_LINES = 5


def _quoted_lines(raw_lines: list[bytes], index: int, encoding: str) -> int:
    """The last physical line of the row starting at line ``index`` (0-based), when a quoted cell of it
    holds line breaks (Excel writes a header cell wrapped with Alt+Enter as ``"Antal<LF>(st)"``; the row
    was read as two lines, "raden har 1 fält"), else -1. A row whose quotes do not close within
    :data:`MAX_WRAPPED_LINES` lines is read line by line as before (an unclosed quote is refused below).

    >>> _quoted_lines([b'Plats;"Antal', b'(st)"', b'a;1'], 0, "utf-8"), _quoted_lines([b'Plats;Antal'], 0, "utf-8")
    (1, -1)
    >>> _quoted_lines([b'Plats;"Antal'] + [b'x'] * 9, 0, "utf-8")  # never closed: not a wrapped cell
    -1
    """
    quotes = raw_lines[index].count(b'"')
    last = index
    while quotes % 2 and last + 1 < len(raw_lines) and last - index < MAX_WRAPPED_LINES - 1:
        last += 1
        quotes += raw_lines[last].count(b'"')
    return last if last > index and not quotes % 2 else -1


def _refuse_too_wide(cells: list[str], line: int, name: str) -> None:
    """Refuse a header naming more than :data:`~lagesbild.sources.xlsx.MAX_COLUMNS` columns, as the XLSX
    reader does: every column costs a pass, and a 389 kB file of 50 000 named columns took 45 s to read.
    Empty columns at the end (Excel's ``;;;;`` of a sheet used far to the right) are not counted.

    >>> _refuse_too_wide(["Plats", "Antal"] + [""] * 5000, 1, "b.csv")
    >>> _refuse_too_wide([f"k{i}" for i in range(2001)], 3, "b.csv")
    Traceback (most recent call last):
    lagesbild.errors.InputError: b.csv: rubrikraden (rad 3) har 2\xa0001 kolumner (den sista "k2000"); lagesbild läser högst 2\xa0000 kolumner – ta bort kolumnerna längst till höger och spara filen igen
    """
    named = len(cells)
    while named and not cells[named - 1].strip():
        named -= 1
    if named > MAX_COLUMNS:
        last = cells[named - 1].strip()
        last = last if len(last) <= 40 else last[:40] + "…"
        count, most = (f"{n:,}".replace(",", "\u00a0") for n in (named, MAX_COLUMNS))
        raise InputError(name, f"rubrikraden (rad {line}) har {count} kolumner (den sista \"{last}\"); lagesbild "
                               f"läser högst {most} kolumner – ta bort kolumnerna längst till höger och spara "
                               "filen igen")
