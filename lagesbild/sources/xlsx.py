"""Reading XLSX sheets (openpyxl, read-only) into rows of strings numbered by sheet row."""

from __future__ import annotations

import datetime as dt
import itertools
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

from openpyxl.utils import column_index_from_string

from lagesbild.errors import InputError, RowError
from lagesbild.sources.header_rows import joined_header
from lagesbild.sources.numbers import format_number
from lagesbild.sources.rows import note_text, string_frame, unique_headers
from lagesbild.sources.sheetscan import (
    column_letter,
    filled_rows,
    hidden_sheet,
    refuse_unused_strings,
    scan_sheet,
)
from lagesbild.sources.xlsxcells import (
    EXCEL_EPOCH,
    SHOWN_SHEETS,
    DatedRow,
    cell_text,
    header_dates,
    named_sheets,
    next_row,
    uncomputed_formulas,
)
from lagesbild.sources.zipguard import checked_members, not_a_workbook

MAX_HEADER_SCAN = 50
MAX_COLUMNS = 2000  # widest sheet read (ten years of months is 120 columns; Excel allows 16 384)
EXCEL_ROWS = 1_048_576  # the last row of an Excel sheet
#: what the error a damaged workbook gives says about it, by the error's class name (most specific
#: first); any other error gets :data:`DAMAGE_FALLBACK` — no English class name reaches a user
DAMAGE_SV = {
    "ParseError": "ett blads XML är trasig",
    "XMLSyntaxError": "ett blads XML är trasig",
    "BadZipFile": "zip-arkivet är trasigt",
    "error": "komprimerade data är trasiga",  # zlib.error
    "EOFError": "filen tar slut för tidigt",
    "KeyError": "en del som Excel-filen hänvisar till saknas",
    "IndexError": "en hänvisning inom filen pekar utanför sitt mål",
    "TypeError": "ett värde har fel typ",
    "ValueError": "ett värde är ogiltigt",
    "OSError": "en del av filen kunde inte läsas",
    "LookupError": "en del anger en okänd teckenkodning",  # encoding="…" Python does not know
}
DAMAGE_FALLBACK = "okänt fel i filens innehåll"
UNCOMPUTED = "formeln har inget beräknat värde"
#: the first bytes of an OLE compound file: what Excel saves a password-protected workbook as (the
#: encrypted XLSX inside), and what an old .xls is
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_REASON = ("filen är en lösenordsskyddad Excel-fil eller en gammal .xls-fil; spara den utan lösenord "
              "som Excel-arbetsbok (.xlsx) eller CSV")


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
    >>> _ = open(path, "wb").write(OLE_MAGIC + bytes(504))
    >>> check_zip(path, "x.xlsx")
    Traceback (most recent call last):
    ...
    lagesbild.errors.InputError: x.xlsx: filen är en lösenordsskyddad Excel-fil eller en gammal .xls-fil; spara den utan lösenord som Excel-arbetsbok (.xlsx) eller CSV
    """
    with open(path, "rb") as f:
        if f.read(len(OLE_MAGIC)) == OLE_MAGIC:
            raise InputError(name, OLE_REASON)
    checked_members(path, name, what="Excel-filen", resave="spara arbetsboken igen i Excel utan lösenord",
                    not_zip="filen är inte en Excel-fil (.xlsx är ett zip-arkiv); spara den som "
                            "Excel-arbetsbok eller CSV")
    other = not_a_workbook(path)  # .ods, .docx, any zip: openpyxl called each "skadad"
    if other:
        raise InputError(name, other)
    _refuse_strict(path, name)
    refuse_unused_strings(path, name)


#: the namespace of ISO 29500 Strict ("Strict Open XML-kalkylblad" in Excel's Save as), which openpyxl
#: does not read: it found no sheet, and the file was said to have no header
STRICT_NAMESPACE = b"http://purl.oclc.org/ooxml/"


def _refuse_strict(path: Path, name: str) -> None:
    """Refuse a workbook saved as Strict Open XML, saying how to save it (its package relationships
    name the Strict namespace)."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        try:
            rels = archive.open("_rels/.rels").read(65536)
        except KeyError:
            return
    if STRICT_NAMESPACE in rels:
        raise InputError(name, "filen är sparad som \"Strict Open XML-kalkylblad\", som inte kan läsas; "
                               "spara den i Excel som \"Excel-arbetsbok (*.xlsx)\" eller som CSV")


def open_workbook(path: Path, name: str):
    """An openpyxl workbook (read-only, values); a damaged file is an :class:`InputError`."""
    import openpyxl

    check_zip(path, name)
    # openpyxl refuses a path not named .xlsx/.xlsm/.xltx/.xltm ("does not support .csv file format"),
    # which was said as damage; a workbook saved under another name is read from an open file instead
    named = Path(path).suffix.lower() in (".xlsx", ".xlsm", ".xltx", ".xltm")
    source = path if named else open(path, "rb")  # noqa: SIM115 (closed with the workbook or on failure)
    try:
        book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        if not named:
            source.close()
        raise InputError(name, "Excel-filen kunde inte öppnas; filen är skadad "
                               f"({damage(exc)})") from None
    if not named:
        weakref.finalize(book, source.close)
    return book


def damage(exc: BaseException) -> str:
    """What an error of a damaged workbook means, in Swedish (:data:`DAMAGE_SV`).

    Examples
    --------
    >>> damage(KeyError("xl/sharedStrings.xml")), damage(RuntimeError())
    ('en del som Excel-filen hänvisar till saknas', 'okänt fel i filens innehåll')
    """
    for cls in type(exc).__mro__:
        if cls.__name__ in DAMAGE_SV:
            return DAMAGE_SV[cls.__name__]
    return DAMAGE_FALLBACK


def sheet_rows(ws, name: str, formulas: bool = True, **options) -> Iterator[tuple]:
    """``ws.iter_rows(**options)``, with damage found while reading (broken XML) as an InputError.

    Rows after the last one with a value are not read (:mod:`lagesbild.sources.sheetscan`): a used
    range of a million empty rows costs a scan of the bytes, not a million parsed rows. With `formulas`,
    formulas without a computed value are refused first (else the caller does, knowing the header).
    """
    if formulas:
        _refuse_uncomputed_formulas(ws, name)
    scan = scan_sheet(ws)
    if scan.highest_row > EXCEL_ROWS or scan.bad_row_number is not None:  # openpyxl: no end, or skipped
        number = scan.bad_row_number if scan.bad_row_number is not None else scan.highest_row
        raise InputError(name, f"bladet \"{ws.title}\" har en rad med nummer {number!s}, men ett Excel-blad "
                               f"har raderna 1–{format_number(EXCEL_ROWS)}; filen är skadad")
    last = scan.last_value_row
    if last == 0:
        return
    if last is not None and options.get("max_row") is None:
        options["max_row"] = last
    rows = ws.iter_rows(**options)
    count = 0
    epoch = getattr(ws.parent, "epoch", EXCEL_EPOCH)
    while True:
        try:
            row = next_row(rows, name, ws.title, epoch)
        except StopIteration:
            return
        except InputError:
            raise
        except Exception as exc:  # ParseError, zlib.error, KeyError, ValueError ... of a damaged sheet
            raise InputError(name, f"bladet \"{ws.title}\" kunde inte läsas efter {format_number(count)} "
                                   f"rader; filen är skadad ({damage(exc)})") from None
        count += 1
        if len(row) > MAX_COLUMNS:  # a row is as wide as its last cell: one far out makes every read slow
            most = f"{MAX_COLUMNS:,}".replace(",", "\u00a0")
            raise InputError(name, f"bladet \"{ws.title}\" har en cell i kolumn {column_letter(len(row))} "
                                   f"(rad {count}); lagesbild läser högst {most} kolumner – ta bort "
                                   "kolumnerna längst till höger och spara filen igen")
        yield row


def _refuse_uncomputed_formulas(ws, name: str, headers: list[str] | None = None) -> None:
    """Refuse a sheet with formulas that have no computed (cached) value: openpyxl reads them as empty
    cells, so the rows would be read as if the values were missing. A cell under one of the `headers`
    is named by its header and its cell reference (D2), else by its column letter."""
    found = uncomputed_formulas(ws)
    if found:
        named = {i + 1: h for i, h in enumerate(headers or []) if h != f"kolumn {i + 1}"}  # not an empty one
        errors = [RowError(name, row, named[index], "=" + formula, f"formeln i cell {column}{row} har inget "
                           "beräknat värde", ws.title) if (index := column_index_from_string(column)) in named
                  else RowError(name, row, column, "=" + formula, UNCOMPUTED, ws.title)
                  for row, column, formula in found]
        raise InputError(name, f"bladet \"{ws.title}\" har formler utan beräknade värden; öppna filen "
                               "i Excel och spara den igen så att värdena räknas ut", errors)


def open_xlsx(path: Path, name: str, accept: Callable[[list[str]], bool], expected: str,
              sheet: str | None, two_rows=None):
    """Find the header in the named sheet or the first sheet where `accept` likes a row.

    Returns
    -------
    tuple
        ``(headers, notes, meta, rows)`` where ``rows(chunk_rows)`` yields ``(frame, errors)``.
    """
    book = open_workbook(path, name)
    sheets = [ws.title for ws in book.worksheets]  # a chart sheet (Diagram1) has no cells
    if sheet is not None and sheet not in sheets:
        book.close()
        if sheet in book.sheetnames:
            raise InputError(name, f"bladet {sheet!r} är ett diagramblad utan tabell; filen har "
                                   f"tabellbladen {named_sheets(sheets)}")
        raise InputError(name, f"bladet {sheet!r} finns inte; filen har {named_sheets(book.sheetnames)}")
    chosen = _table_sheet(book, name, [sheet] if sheet is not None else sheets, accept)
    if chosen is not None:
        rows = _sheet_rows(book, chosen, name, formulas=False)
        headers, notes, header_row, titles, rows, joined = _xlsx_header(rows, accept, two_rows,
                                                                        (name, chosen))
        _refuse_uncomputed_formulas(book[chosen], name, headers)
        rows = filled_rows(rows, scan_sheet(book[chosen]), header_row)  # texts merged down the rows
        meta = {"format": "xlsx", "sheet": chosen, "header_line": header_row, "headers": headers,
                "title_lines": [chosen, *titles],  # a sheet name may say "per 100 000"
                "header_rows": 2 if joined else 1,
                "epoch": "1904" if getattr(book, "epoch", None) == dt.datetime(1904, 1, 1) else "1900",
                "hidden_sheet": hidden_sheet(book[chosen]) if sheet is None else None}  # chosen, not named
        hidden = scan_sheet(book[chosen]).hidden_rows
        return headers, notes, meta, _xlsx_chunks(book, rows, headers, name, chosen, (hidden, meta))
    for title in [sheet] if sheet is not None else sheets:  # a header of formulas is not found: say so
        _refuse_uncomputed_formulas(book[title], name)
    book.close()
    where = f"bladet {sheet!r}" if sheet else "något blad"
    raise InputError(name, f"hittade ingen rubrikrad med kolumnerna {expected} i {where}; välj "
                           "kolumnerna i formuläret på sidan Data eller ange dem i en mappningsfil "
                           "(columns:)")


def _sheet_rows(book, sheet_name: str, name: str, formulas: bool = True) -> Iterator[tuple[int, list[str]]]:
    ws = book[sheet_name]
    ws.reset_dimensions()
    return _numbered_rows(ws, name, formulas)


def _table_sheet(book, name: str, names: list[str], accept) -> str | None:
    """The one sheet holding a table `accept` likes, or None. A sheet whose name says rates ("Per 100 000
    inv") gives way to a sheet of counts, and a hidden sheet to the one visible sheet with a table; two or
    more other sheets with a table are refused: reading only the first would drop the rest unsaid. Sheets
    are read until the refusal is certain (two visible sheets of counts) and the names its message shows
    are known (one more than it shows), not all 3 000 of a workbook of 3 000 tables."""
    from lagesbild.sources.crimetext import says_rates

    found, counts, hidden, unread = [], [], set(), 0
    for i, n in enumerate(names):
        if not _xlsx_header(_sheet_rows(book, n, name, formulas=False), accept, where=(name, n)):
            continue
        found.append(n)
        if says_rates([n]) is None:
            counts.append(n)
            if book[n].sheet_state != "visible":
                hidden.add(n)
            elif len(counts) - len(hidden) > 1 and len(counts) > SHOWN_SHEETS:
                unread = len(names) - i - 1
                break
    if len(counts) > 1 and len(counts) - len(hidden) == 1:  # a hidden sheet: not what the user sees
        counts = [n for n in counts if n not in hidden]
    if len(counts) > 1:
        book.close()
        listed = (f'"{n}"' + (" (dolt)" if n in hidden else "") for n in counts)
        said = (("minst " if unread else "") + f"{format_number(len(counts))} blad med en tabell ("  # so far
                + named_sheets(listed, total=False) + (f" bland filens {format_number(len(names))} blad" if unread else ""))
        raise InputError(name, f"filen har {said}); bara ett blad läses in per fil: ange bladet i en "
                               f"mappningsfil (sheet: {counts[0]}) eller spara bladen som var sin fil")
    return (counts or found or [None])[0]


def _numbered_rows(ws, name: str, formulas: bool = True) -> Iterator[tuple[int, list[str]]]:
    number = 0
    for row in sheet_rows(ws, name, formulas):
        number = next((c.row for c in row if getattr(c, "row", None)), number + 1)
        cells = DatedRow(cell_text(c.value, _number_format(c, ws, name, number)) for c in row)
        cells.dates = {i: c.value for i, c in enumerate(row) if isinstance(c.value, (dt.datetime, dt.date))}
        yield number, cells


def _number_format(cell, ws, name: str, number: int) -> str | None:
    """The cell's number format; a cell whose style index points past the workbook's styles (openpyxl's
    IndexError) is damage, said with the cell."""
    try:
        return getattr(cell, "number_format", None)
    except (IndexError, KeyError):
        where = f"{column_letter(cell.column)}{number}" if getattr(cell, "column", None) else f"rad {number}"
        raise InputError(name, f"bladet \"{ws.title}\", cell {where}: cellen hänvisar till ett format som "
                               "inte finns i filen; filen är skadad") from None


def _dated(number: int, cells, problems: dict) -> list[str]:
    """A row's texts with its date cells read as a header's (:func:`header_dates`); a date whose
    meaning is not clear is kept in ``problems`` by row number, refused if the row is (part of) the
    header. Rows below the header are read as they are."""
    if not getattr(cells, "dates", None):
        return cells
    cells, problem = header_dates(cells, cells.dates)
    if problem:
        problems[number] = (problem[0], cells[problem[0]], problem[1])
    return cells


def _refuse_header_dates(problems: dict, numbers, where) -> None:
    errors = [RowError(where[0], n, column_letter(problems[n][0] + 1), problems[n][1], problems[n][2], where[1])
              for n in numbers if n in problems]
    if errors:
        raise InputError(where[0], "rubrikraden har datum vars betydelse inte är klar; inget lästes in", errors)


def _xlsx_header(rows, accept, two_rows=None, where=("", None)):
    """``(headers, notes, header row, titles, the rows after the header, joined)`` or None; a header
    over two rows is joined (:func:`lagesbild.sources.header_rows.joined_header`). Date cells are read
    as a header's (:func:`lagesbild.sources.xlsxcells.header_dates`); ``where``: file and sheet."""
    notes, titles, scanned, in_notes, above, problems = [], [], 0, True, None, {}
    for number, cells in rows:
        cells = _dated(number, cells, problems)
        filled = [c for c in cells if c.strip()]
        if not filled:
            above = None
            continue
        note = note_text(filled[0])
        if in_notes and note is not None:
            notes.append(note)
            continue
        in_notes = False
        while cells and not cells[-1].strip():
            cells.pop()
        if accept([c.strip() for c in cells]):
            raw = next(rows, None) if two_rows is not None else None
            below = (raw[0], _dated(*raw, problems)) if raw is not None else None
            joined_cells, joined = joined_header(
                above[1] if above and above[0] == number - 1 else None, cells,
                below[1] if below and below[0] == number + 1 else None, two_rows, accept)
            if joined == "above":
                titles.pop()
            _refuse_header_dates(problems, [number] + [number - 1] * (joined == "above")
                                 + [number + 1] * (joined == "below"), where)
            if raw is not None and joined != "below":
                rows = itertools.chain([raw], rows)  # not a header row: the first data row
            return unique_headers(joined_cells), notes, number, titles, rows, joined
        titles.append(" ".join(c.strip() for c in filled))
        above = (number, cells)
        scanned += 1
        if scanned >= MAX_HEADER_SCAN:
            return None
    return None


def _xlsx_chunks(book, rows, headers, name: str, sheet: str, hidden=(frozenset(), None)):
    """``chunks(chunk_rows)`` of the sheet's rows; ``hidden``: (the rows the sheet hides, the meta
    dict in which the rows read of them are counted: ``hidden_rows`` and the first ``hidden_row_lines``)."""
    n = len(headers)
    hidden_rows, meta = hidden

    def chunks(chunk_rows: int):
        data, lines, errors = [], [], []
        try:
            for number, cells in rows:
                beyond = next((i for i in range(n, len(cells)) if cells[i].strip()), None)
                if beyond is not None:  # e.g. under a header cell merged over two columns
                    errors.append(RowError(name, number, column_letter(beyond + 1), cells[beyond],
                                           f"cellen har ett värde men ingen rubrik (rubrikraden har {n} "
                                           "kolumner; är en rubrikcell sammanslagen över två kolumner?)",
                                           sheet))
                    continue
                cells = (cells + [""] * n)[:n]
                if not any(c.strip() for c in cells):
                    continue
                data.append(cells)
                lines.append(number)
                if number in hidden_rows and meta is not None:  # read as every row: the report says so
                    meta["hidden_rows"] = meta.get("hidden_rows", 0) + 1
                    if len(seen := meta.setdefault("hidden_row_lines", [])) < 5:
                        seen.append(number)
                if len(data) >= chunk_rows:
                    yield string_frame(data, lines, headers), errors
                    data, lines, errors = [], [], []
            if data or errors:
                yield string_frame(data, lines, headers), errors
        finally:
            book.close()
    return chunks


