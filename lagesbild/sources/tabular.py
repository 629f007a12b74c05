"""Read CSV and XLSX files into tables of strings with line numbers.

CSV: the encoding, the delimiter and the header row (the first line among the first
:data:`MAX_HEADER_SCAN` non-empty ones that the caller's ``accept`` function recognises; ``#`` notes and
title lines above it are kept) are found by :mod:`lagesbild.sources.csvhead`. Rows are parsed by
``pyarrow.csv`` in chunks of whole records (:mod:`lagesbild.sources.csvrows`), cut by a vectorised scan
for line ends outside quotes, so a 1.5-million-row file streams in bounded memory and every row keeps its
physical line number (also with quoted line breaks).

XLSX (openpyxl, read-only): the one sheet whose header the caller recognises, or a named sheet (two
such sheets are refused, unless all but one are named as rates, "Per 100 000 inv"); the
header may be any of the first rows. Cells become strings: whole numbers without decimals, other numbers
with a decimal point, percent-formatted cells as ``23 %``, dates as ISO ``YYYY-MM-DD`` (with
``HH:MM:SS`` when the time is not midnight). ``line`` is the sheet row.

Every table has the headers as written (made unique: empty headers become ``kolumn N``, repeats get
`` (2)``) plus ``line``; the values are ``string[pyarrow]``; rows whose cells are all empty are dropped.
Header matching and the mapping file live in :mod:`lagesbild.sources.mapping` (its docstring documents
the format), Swedish numbers in :mod:`lagesbild.sources.numbers`; both are re-exported here. A mapping
file looks like::

    sheet: Blad2                      # optional: XLSX sheet
    columns: {place: Område, count: "Antal anmälda brott"}
    categories: {"Eget bruk av narkotika (ringa)": narkotikabrott}
    constants: {place: Hässelby torg}
    options: {crs: 3011}
"""

from __future__ import annotations

import contextlib
import os
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from lagesbild.errors import InputError, RowError
from lagesbild.sources import ReadResult
from lagesbild.sources.csvhead import open_csv
from lagesbild.sources.header_rows import TwoRows
from lagesbild.sources.jsonstat import refuse_cube
from lagesbild.sources.mapping import ColumnMapping, load_mapping, match_columns, normalise  # noqa: F401
from lagesbild.sources.numbers import format_number, parse_number, parse_numbers  # noqa: F401
from lagesbild.sources.rows import STRING, empty_frame, note_text, repeated_columns, unique_headers  # noqa: F401
from lagesbild.sources.utf16 import utf8_copy
from lagesbild.sources.xlsx import MAX_HEADER_SCAN, cell_text, open_xlsx  # noqa: F401

XLSX_SUFFIXES = (".xlsx", ".xlsm")
OLD_EXCEL_SUFFIXES = (".xls",)
CHUNK_ROWS = 200_000

Accept = Callable[[list[str]], bool]


#: how many lines of repeated header rows the report names
SHOWN_LINES = 5
#: a row with at least this many cells equal to their column's header, but not a repeat of the header,
#: is the header of a second table below the first (Brå's per 100 000 table under its counts, a survey
#: table per area, another range of years): its columns may mean something else, so the file is refused
SECOND_HEADER_CELLS = 2
SECOND_TABLE_REASON = ("en ny rubrikrad som inte är filens rubrikrad (rad {header}): en andra tabell börjar "
                       "här, och dess kolumner kan betyda något annat än den förstas (t.ex. per 100 000 "
                       "invånare i stället för antal, andra år eller ett annat område); spara varje tabell "
                       "i en egen fil och läs in dem var för sig")


@dataclass
class OpenTable:
    """A table whose header has been found; rows are read by :meth:`chunks` (once)."""

    file: str
    headers: list[str]
    notes: list[str]
    meta: dict
    _rows: Callable[[int], Iterator[tuple[pd.DataFrame, list[RowError]]]] = field(repr=False)

    def chunks(self, chunk_rows: int = CHUNK_ROWS) -> Iterator[ReadResult]:
        """Yield the rows as ReadResults of at most `chunk_rows` rows (at least one, maybe empty)."""
        empty = True
        for frame, errors in self._rows(max(1, int(chunk_rows))):
            empty = False
            named, empty_or_named = header_matches(frame, self.headers)  # one pass for both checks
            repeated = empty_or_named & (named >= 2)
            self._refuse_second_table(frame, repeated, named)
            if repeated.any():  # two exports pasted one after the other: not data, not an error
                seen = self.meta.setdefault("repeated_header_lines", [])  # the first few, for the report
                seen.extend(int(n) for n in frame["line"][repeated].head(max(0, SHOWN_LINES - len(seen))))
                frame = frame[~repeated].reset_index(drop=True)
                self.meta["repeated_headers"] = self.meta.get("repeated_headers", 0) + int(repeated.sum())
            yield ReadResult(frame, errors, list(self.notes), dict(self.meta))
        if empty:
            yield ReadResult(self.empty_frame(), [], list(self.notes), dict(self.meta))

    def read(self) -> ReadResult:
        """Read every row into one ReadResult."""
        parts = list(self.chunks())
        frames = [p.table for p in parts if len(p.table)] or [parts[0].table]
        table = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        return ReadResult(table, [e for p in parts for e in p.errors], list(self.notes),
                          dict(self.meta))

    def empty_frame(self) -> pd.DataFrame:
        """The table's columns with no rows."""
        return empty_frame(self.headers)

    def _refuse_second_table(self, frame: pd.DataFrame, repeated: np.ndarray, named: np.ndarray) -> None:
        """Raise InputError at the first row that is another table's header (``named``: each row's cells
        that are their column's header, :func:`header_matches`)."""
        other = (named >= SECOND_HEADER_CELLS) & ~repeated
        if not other.any():
            return
        at = int(np.flatnonzero(other)[0])
        cells = [str(v).strip() for v in frame.drop(columns="line").iloc[at].tolist()
                 if isinstance(v, str) and v.strip()]
        line, sheet = int(frame["line"].iloc[at]), self.meta.get("sheet")
        raise InputError(self.file, f"filen har en andra tabell under den första (från rad {line})", [
            RowError(self.file, line, None, ";".join(cells),
                     SECOND_TABLE_REASON.format(header=self.meta.get("header_line")), sheet)])


def open_table(path: str | Path, *, accept: Accept, expected: str, sheet: str | None = None,
               file_name: str | None = None, two_rows: TwoRows | None = None) -> OpenTable:
    """Open a CSV or XLSX file and find its header row.

    Parameters
    ----------
    path : str or Path
    accept : callable
        ``accept(cells) -> bool``: whether a row of cells is the header this caller can read.
    expected : str
        Swedish description of the expected columns, for the error when no header is found.
    sheet : str, optional
        XLSX sheet name; default the first sheet with an accepted header.
    file_name : str, optional
        Name shown in messages (default: `path` as given).
    two_rows : TwoRows, optional
        A header written over two rows (periods over measures) is read as one
        (:mod:`lagesbild.sources.header_rows`); ``meta["header_rows"]`` is then 2.

    Raises
    ------
    InputError
        When the file is missing, unreadable, in an unknown encoding, or has no accepted header.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "a.csv")
    >>> _ = open(p, "w", encoding="utf-8").write("# FIKTIVA DEMODATA\\nPlats;Antal\\nTorget;1 234\\n")
    >>> t = open_table(p, accept=lambda cells: "Antal" in cells, expected="Plats, Antal")
    >>> t.headers, t.notes, t.meta["delimiter"], t.meta["header_line"]
    (['Plats', 'Antal'], ['FIKTIVA DEMODATA'], ';', 2)
    >>> t.read().table.values.tolist()
    [['Torget', '1 234', 3]]
    """
    path = Path(path)
    name = file_name or str(path)
    if not path.is_file():
        raise InputError(name, "filen finns inte")
    suffix = path.suffix.lower()
    if suffix in OLD_EXCEL_SUFFIXES:
        raise InputError(name, "gamla Excel-filer (.xls) kan inte läsas; spara som .xlsx eller CSV")
    with open(path, "rb") as fh:
        magic = fh.read(4)
    refuse_cube(path, name)
    if suffix in XLSX_SUFFIXES or magic == b"PK\x03\x04":
        headers, notes, meta, rows = open_xlsx(path, name, accept, expected, sheet, two_rows)
        return OpenTable(name, headers, notes, meta, rows)
    copy = utf8_copy(path, name)  # Excel's "Unicode-text": UTF-16 with a mark, read from a UTF-8 copy
    try:
        headers, notes, meta, rows = open_csv(Path(copy) if copy else path, name, accept, expected, two_rows)
    except BaseException:
        _remove(copy)
        raise
    table = OpenTable(name, headers, notes, meta, rows)
    if copy:
        meta["encoding"] = "utf-16"
        weakref.finalize(table, _remove, copy)  # when the table (and its chunks) are done, or at exit
    return table


def _remove(copy: str | None) -> None:
    if copy:
        with contextlib.suppress(OSError):
            os.unlink(copy)


def repeated_headers(frame: pd.DataFrame, headers: list[str]) -> np.ndarray:
    """Which rows repeat the header row (each cell its column's name or empty, two or more named), as a
    boolean array.

    Examples
    --------
    >>> frame = pd.DataFrame({"Plats": ["Vårberg", "Plats", " Plats ", "Plats"], "Antal": ["3", "Antal", "Antal", ""]})
    >>> repeated_headers(frame, ["Plats", "Antal"]).tolist()
    [False, True, True, False]
    >>> repeated_headers(pd.DataFrame({"id": ["\ufeffid"], "datum": ["datum"]}), ["id", "datum"]).tolist()
    [True]
    """
    same, mask = header_matches(frame, headers)
    return mask & (same >= 2)


def header_matches(frame: pd.DataFrame, headers: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(how many cells of each row are their column's header, whether every cell of the row is its
    column's header or empty), in one pass over the columns: the checks of repeated headers and of a
    second table read the same cells, and a city's incident file has 1.5 million rows.

    Examples
    --------
    >>> frame = pd.DataFrame({"Område": ["Område", "Solna"], "2022": ["2020", "5"], "2023": ["2021", "6"]})
    >>> [m.tolist() for m in header_matches(frame, ["Område", "2022", "2023"])]
    [[1, 0], [False, False]]
    """
    columns = [h for h in headers if h in frame.columns and h != "line"]
    if len(columns) > WIDE_COLUMNS and len(frame) * len(columns) <= WIDE_CELLS:
        return _wide_header_matches(frame, columns)
    mask, same = np.ones(len(frame), dtype=bool), np.zeros(len(frame), dtype=int)
    for header in columns:
        equal, either = _header_cells(frame[header], header)
        mask &= either
        same += equal
    return same, mask


def _header_cells(cells: pd.Series, header: str) -> tuple[np.ndarray, np.ndarray]:
    """(each cell is `header` once stripped, each cell is `header` or empty once stripped).

    Only the cells that can be either go through pandas' strip: an empty cell, one whose first byte is
    whitespace, a byte-order mark or not ASCII (<= 0x20 or >= 0x7F), or the header's first byte (a cell
    that starts with any other ASCII byte keeps it when stripped); 0.2-0.4 s of a city's 1.5 million
    rows went to stripping every cell.
    """
    arr = cells.array._pa_array if cells.dtype == STRING else None
    if arr is None or not header.strip() or arr.null_count:
        return _header_cells_exact(cells, header)
    arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    _, offsets_buf, data_buf = arr.buffers()
    width = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(offsets_buf, dtype=width)[arr.offset:arr.offset + len(arr) + 1].astype(np.int64)
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, np.uint8)
    first = data[np.minimum(offsets[:-1], data.size - 1)] if data.size else np.zeros(len(arr), np.uint8)
    maybe = np.flatnonzero((np.diff(offsets) == 0) | (first <= 0x20) | (first >= 0x7F)
                           | (first == header.strip().encode()[0]))
    equal, either = np.zeros(len(arr), dtype=bool), np.zeros(len(arr), dtype=bool)
    if maybe.size:
        equal[maybe], either[maybe] = _header_cells_exact(cells.iloc[maybe], header)
    return equal, either


def _header_cells_exact(cells: pd.Series, header: str) -> tuple[np.ndarray, np.ndarray]:
    # Arrow-backed text (the readers' own): pandas' default Python strings took 2.7 s of the
    # 3.6 s a city's incident file took to read. A file pasted after another keeps its
    # byte-order mark at the start of its header
    text = cells.astype("string[pyarrow]").fillna("").str.lstrip("\ufeff").str.strip()
    equal = (text == header.strip()).to_numpy(dtype=bool)
    return equal, equal | (text == "").to_numpy(dtype=bool)


#: more columns than this, in at most WIDE_CELLS cells, are compared cell by cell: pandas costs about a
#: millisecond a column, and a 389 kB file of 50 000 columns took 45 s to read
WIDE_COLUMNS = 200
WIDE_CELLS = 2_000_000


def _wide_header_matches(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`header_matches` of a wide, short frame, in one pass over its cells.

    >>> frame = pd.DataFrame({"Område": ["Område", "Solna"], "2022": ["2020", "5"], "2023": ["2021", None]})
    >>> [m.tolist() for m in _wide_header_matches(frame, ["Område", "2022", "2023"])]
    [[1, 0], [False, False]]
    """
    import pyarrow.compute as pc

    values = frame[columns].to_numpy(dtype=object)
    flat = [None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v)
            for v in values.ravel()]
    # the trimming of the column path (pandas' Arrow strings), on every cell at once
    text = pc.utf8_trim_whitespace(pc.utf8_ltrim(pa.array(flat, type=pa.string()), characters="\ufeff"))
    cells = np.array(text.fill_null("").to_pylist(), dtype=object).reshape(values.shape)
    equal = cells == np.array([h.strip() for h in columns], dtype=object)
    return equal.sum(axis=1).astype(int), (equal | (cells == "")).all(axis=1)


def read_table(path: str | Path, *, accept: Accept, expected: str, sheet: str | None = None,
               file_name: str | None = None) -> ReadResult:
    """Read a whole CSV/XLSX file (see :func:`open_table`) into one ReadResult of strings."""
    return open_table(path, accept=accept, expected=expected, sheet=sheet,
                      file_name=file_name).read()


def iter_table(path: str | Path, *, accept: Accept, expected: str, sheet: str | None = None,
               file_name: str | None = None, chunk_rows: int = CHUNK_ROWS) -> Iterator[ReadResult]:
    """Stream a CSV/XLSX file (see :func:`open_table`) in ReadResults of `chunk_rows` rows."""
    yield from open_table(path, accept=accept, expected=expected, sheet=sheet,
                          file_name=file_name).chunks(chunk_rows)


def header_accepter(aliases: dict, required: Sequence[str],
                    mapping: ColumnMapping | None = None) -> Accept:
    """An ``accept`` function: every column in `required` is found (aliases or mapping).

    Examples
    --------
    >>> ok = header_accepter({"place": ["plats"], "count": ["antal"]}, ["place", "count"])
    >>> ok(["Plats", "Antal"]), ok(["Plats"])
    (True, False)
    """
    overrides = mapping.columns if mapping else {}
    return lambda cells: set(required) <= set(match_columns(cells, aliases, overrides))


def row_errors(file: str, sheet: str | None, lines, column: str | None, values,
               reason) -> list[RowError]:
    """Build RowErrors for many rows; `reason` is one string or one per row.

    Examples
    --------
    >>> [e.message() for e in row_errors("a.csv", None, [3], "Antal", ["-1"], "negativt")]
    ['a.csv, rad 3, kolumn "Antal", värde "-1": negativt']
    """
    lines = [int(v) for v in lines]
    reasons = [reason] * len(lines) if isinstance(reason, str) else list(reason)
    vals = [None if v is None else str(v) for v in values]
    return [RowError(file, ln, column, v, r, sheet) for ln, v, r in zip(lines, vals, reasons, strict=False)]


class Rejects:
    """Collects RowErrors for masks of rows and remembers which rows were rejected.

    Examples
    --------
    >>> r = Rejects("a.csv", None, np.array([2, 3]))
    >>> r.add(np.array([False, True]), "Antal", pd.Series(["1", "x"]), "inte ett tal")
    >>> [e.message() for e in r.errors], r.bad.tolist()
    (['a.csv, rad 3, kolumn "Antal", värde "x": inte ett tal'], [False, True])
    """

    def __init__(self, file: str, sheet: str | None, lines: np.ndarray) -> None:
        self.file, self.sheet = file, sheet
        self.lines = np.asarray(lines)
        self.errors: list[RowError] = []
        self.bad = np.zeros(len(self.lines), dtype=bool)

    def add(self, mask, column, values, reason, *, once: bool = True) -> None:
        """Reject the rows in `mask`; `column`, `values` and `reason` are scalars or per row
        (Series, numpy or pyarrow arrays, lists).

        With `once`, rows already rejected get no further error.
        """
        mask = np.asarray(mask, dtype=bool) & (~self.bad if once else True)
        idx = np.flatnonzero(mask)
        if not idx.size:
            return

        def pick(v):  # only the rejected rows are converted to Python objects
            if isinstance(v, pd.Series):
                return np.asarray(v.iloc[idx], dtype=object)
            if isinstance(v, np.ndarray):
                return np.asarray(v[idx], dtype=object)
            if isinstance(v, (pa.Array, pa.ChunkedArray)):
                return v.take(pa.array(idx)).to_pylist()
            if isinstance(v, list):
                return np.asarray(v, dtype=object)[idx]
            return [v] * idx.size
        for line, col, value, why in zip(self.lines[idx], pick(column), pick(values), pick(reason), strict=False):
            self.errors.append(RowError(self.file, int(line), None if col is None else str(col),
                                        None if value is None else str(value), str(why), self.sheet))
        self.bad[idx] = True


def refuse_repeated_columns(opened, cols: dict) -> None:
    """Refuse a file whose header names a column the reader uses twice ("Antal" and "Antal"): only the
    first was read and the other silently left out.

    Raises
    ------
    InputError
        Naming the header line and each such column.
    """
    twice = repeated_columns(list(opened.headers), list(cols.values()))
    if twice:
        line, sheet = opened.meta.get("header_line"), opened.meta.get("sheet")
        raise InputError(opened.file, "en kolumn finns flera gånger i rubriken", [
            RowError(opened.file, line, col, col, f"kolumnen finns {n} gånger i rubriken; ta bort eller byt "
                                                  "namn på den som inte ska läsas", sheet)
            for col, n in twice.items()])
