"""Streaming CSV rows in chunks of whole records, keeping physical line numbers.

A vectorised scan finds the line ends outside quotes (quote parity before each ``\\n``), so chunks are
cut between records and each record's first line is known; ``pyarrow.csv`` parses each chunk
(multi-threaded). A chunk with rows of the wrong length is parsed again single-threaded, where pyarrow
numbers those rows, so each gets a RowError with its line. Chunks the scan misjudged (a quote inside an
unquoted field) or rows with extra empty fields fall back to the ``csv`` module, record by record.

Windows-1252 files are parsed as bytes and only the columns that hold bytes above 0x7F are transcoded
(:mod:`lagesbild.sources.cp1252`); a chunk with anything unusual (rows of the wrong length, a NUL byte)
is transcoded whole and parsed as above.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from lagesbild.errors import InputError, RowError, library_reason
from lagesbild.sources.cp1252 import column_to_utf8, to_utf8
from lagesbild.sources.csvencoding import BLOCK_BYTES
from lagesbild.sources.csvtail import first_tail_value, split_tail, tail_reason
from lagesbild.sources.rows import STRING_TYPES, drop_empty, string_frame, trim_invisible

RAMP_FROM_ROWS = 40_000  # chunks at least this large start smaller (see chunk_sizes)
MAX_RECORD_BYTES = 1 << 20


def _record_ends(buf: bytes, final: bool) -> tuple[np.ndarray, np.ndarray, int]:
    """Byte positions of the ``\\n`` ending each complete record, their line offsets, lines used."""
    arr = np.frombuffer(buf, dtype=np.uint8)
    newlines = np.flatnonzero(arr == 10)
    quotes = np.flatnonzero(arr == 34) if b'"' in buf else newlines[:0]
    if quotes.size:
        closed = np.searchsorted(quotes, newlines) % 2 == 0
        if not closed.any() and len(buf) > MAX_RECORD_BYTES:
            closed[:] = True  # an unbalanced quote: fall back to plain lines
        if final and closed.size:
            closed[-1] = True  # an unbalanced quote at the end: the parser reports it
        idx = np.flatnonzero(closed)
    else:
        idx = np.arange(newlines.size)
    first_line = np.concatenate(([0], idx[:-1] + 1)) if idx.size else idx
    used = int(idx[-1]) + 1 if idx.size else 0
    return newlines[idx], first_line, used


def chunk_sizes(chunk_rows: int):
    """Rows per chunk: large chunks start small (1/8, 1/4, 1/2), so the first arrives early.

    A streaming consumer (the ingest) can then start writing while the rest of the file is read.

    Examples
    --------
    >>> from itertools import islice
    >>> list(islice(chunk_sizes(200_000), 5)), list(islice(chunk_sizes(5), 2))
    ([25000, 50000, 100000, 200000, 200000], [5, 5])
    """
    size = chunk_rows // 8 if chunk_rows >= RAMP_FROM_ROWS else chunk_rows
    while True:
        yield size
        size = min(chunk_rows, size * 2)


#: the csv module's limit of one field (``csv.field_size_limit``): a longer field is refused anyway
FIELD_CHARS = 131_072
#: bytes one field can take in the file within that limit (4 bytes a character, every one a doubled quote)
FIELD_BYTES = 8 * FIELD_CHARS + 2


class LongRecord(Exception):
    """A record longer than any row of the table can be (its line in ``args[0]``)."""


def _record_blocks(fh, line: int, chunk_rows: int, limit: int | None = None):
    """Yield (bytes, first line of each record, blank mask, line after the last record); a record not
    ended after ``limit`` bytes raises :class:`LongRecord` (a 50 MB line without a line break was
    gathered whole, block by block, and parsed: 680 MB and 17 s before the csv module refused its
    field)."""
    carry, eof = b"", False
    parts, lines, blanks, count = [], [], [], 0
    sizes = chunk_sizes(chunk_rows)
    chunk_rows = next(sizes)
    while not eof:
        data = fh.read(BLOCK_BYTES)
        eof = not data
        buf = carry + data
        if eof and buf and not buf.endswith(b"\n"):
            buf += b"\n"
        ends, first, used = _record_ends(buf, eof)
        starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.int64) if ends.size else ends
        arr = np.frombuffer(buf, dtype=np.uint8)
        length = ends - starts
        blank = (length == 0) | ((length == 1) & (arr[np.minimum(starts, len(arr) - 1)] == 13))
        bounds = np.append(first, used) + line
        if limit is not None and length.size and int(length.max()) > limit:
            raise LongRecord(int(bounds[int(length.argmax())]))
        i = 0
        while i < ends.size:
            k = min(ends.size - i, chunk_rows - count)
            parts.append(memoryview(buf)[int(starts[i]):int(ends[i + k - 1]) + 1])
            lines.append(bounds[i:i + k])
            blanks.append(blank[i:i + k])
            count += k
            i += k
            if count >= chunk_rows:
                yield b"".join(parts), np.concatenate(lines), np.concatenate(blanks), int(bounds[i])
                parts, lines, blanks, count = [], [], [], 0
                chunk_rows = next(sizes)
        carry = buf[int(ends[-1]) + 1:] if ends.size else buf
        line += used
        if limit is not None and len(carry) > limit:
            raise LongRecord(line)
    if count:
        yield b"".join(parts), np.concatenate(lines), np.concatenate(blanks), line


def csv_rows(path, name, offset, first_line, headers, delimiter, encoding, width=None):
    """Rows below the header; `width` counts the header's fields when the empty ones at its end are not
    among the `headers` (:mod:`lagesbild.sources.csvtail`)."""
    width = max(width or 0, len(headers))

    def rows(chunk_rows: int):
        with open(path, "rb") as fh:
            fh.seek(offset)
            # a row of ``width`` fields, each within the csv module's limit, is never longer than this
            records = _record_blocks(fh, first_line, chunk_rows, limit=width * (FIELD_BYTES + 1) + 2)
            for block, lines, blank, end in _long_record_refused(records, name):
                multi = end - int(lines[0]) > len(lines)
                parsed = None
                if encoding != "utf-8" and b"\x00" not in block:
                    parsed = _parse_cp1252(block, lines, blank, multi, headers, delimiter, width, name)
                if parsed is None:
                    if encoding != "utf-8":
                        block = to_utf8(block)
                    # a NUL byte is corruption in a text file; shown as U+FFFD it stays visible in
                    # messages and no longer trips pandas' string hashing
                    block = block.replace(b"\x00", "\ufffd".encode("utf-8"))
                    parsed = _parse_block(block, lines, blank, multi, headers, delimiter, name, width)
                frame, errors = parsed
                if len(frame) or errors:
                    yield frame, errors
    return rows


def _long_record_refused(records, name: str):
    """``records`` (:func:`_record_blocks`), a :class:`LongRecord` refused naming its line."""
    try:
        yield from records
    except LongRecord as long:
        raise InputError(name, f"rad {long.args[0]}: raden är längre än någon rad i tabellen kan vara "
                               f"(ett fält får vara högst {FIELD_CHARS:,} tecken)".replace(",", "\u00a0")
                         + "; saknar filen radbrytningar, eller har ett citattecken (\") ingen avslutning?") from None


def _arrow_parse(block: bytes, n: int, delimiter: str, multi: bool, threads: bool,
                 binary: bool = False):
    """pyarrow parse of a chunk: (table or None, invalid rows); ragged rows are skipped.

    With `binary` the cells are bytes and a ragged row fails the parse (its text may not be UTF-8).
    """
    names = [f"c{i}" for i in range(n)]
    invalid: list = []
    handler = None if binary else (lambda r: invalid.append(r) or "skip")
    try:
        table = pacsv.read_csv(
            io.BytesIO(block),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=threads),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=multi,
                                             invalid_row_handler=handler),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.binary() if binary else pa.string() for c in names},
                strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowKeyError):
        return None, invalid
    return table, invalid


def _parse_cp1252(block, lines, blank, multi, headers, delimiter, width, name):
    """Parse a Windows-1252 chunk as bytes and transcode its columns; None when it needs the
    general path (ragged rows, a count of records the scan did not expect, undecodable bytes)."""
    keep = lines[~blank]
    table, _ = _arrow_parse(block, width, delimiter, multi, threads=True, binary=True)
    if table is None or table.num_rows != len(keep):
        return None
    table, keep, errors = split_tail(table, len(headers), keep, name, "cp1252")
    columns = [column_to_utf8(column) for column in table.columns]
    if any(c is None for c in columns):
        return None
    return _frame(pa.table(columns, names=table.column_names), keep, headers), errors


def _frame(table: pa.Table, keep: np.ndarray, headers) -> pd.DataFrame:
    # one chunk per column: the readers take each column as one pyarrow array, more than once
    frame = trim_invisible(table.combine_chunks()).to_pandas(types_mapper=STRING_TYPES.get)
    frame.columns = headers
    frame["line"] = keep.astype("int64")
    return drop_empty(frame)


def _parse_block(block, lines, blank, multi, headers, delimiter, name, width=0):
    keep = lines[~blank]
    n, width = len(headers), max(width, len(headers))
    table, invalid = _arrow_parse(block, width, delimiter, multi, threads=True)
    errors: list[RowError] = []
    if table is not None and invalid:
        # again single-threaded: then pyarrow numbers the ragged rows (non-blank records, from 1)
        table, invalid = _arrow_parse(block, width, delimiter, multi, threads=False)
        errors = _ragged(invalid, keep, n, delimiter, name, width)
        if errors is not None and table is not None:
            keep = np.delete(keep, [r.number - 1 for r in invalid])
    if table is None or errors is None or table.num_rows != len(keep):
        return _parse_block_slow(block, int(lines[0]), headers, delimiter, name, width)
    table, keep, tail_errors = split_tail(table, n, keep, name)
    return _frame(table, keep, headers), errors + tail_errors


def _ragged(invalid: list, keep: np.ndarray, n: int, delimiter: str, name: str, width: int = 0):
    """RowErrors for rows with the wrong number of fields, or None when the exact parse must decide
    (unnumbered rows, blank rows, or extra fields that are all empty, which that parse accepts)."""
    errors = []
    for row in invalid:
        if row.number is None or not 0 < row.number <= len(keep):
            return None
        try:
            cells = next(csv.reader(io.StringIO(row.text, newline=""), delimiter=delimiter), [])
        except csv.Error:
            return None
        if not any(c.strip() for c in cells) or (len(cells) >= n
                                                 and not any(c.strip() for c in cells[n:])):
            return None
        errors.append(_count_error(cells, n, width, delimiter, name, int(keep[row.number - 1]),
                                   row.text))
    return errors


def _count_error(cells: list[str], n: int, width: int, delimiter: str, name: str, line: int,
                 text: str) -> RowError:
    """The RowError of a row of the wrong length; a value right of the named columns when the header
    ends in empty columns (`width` fields, `n` named) is named by its column."""
    extra = first_tail_value(cells, n) if width > n else None
    if extra is not None:
        return RowError(name, line, None, cells[extra][:80], tail_reason(extra, n))
    return RowError(name, line, None, text[:80], field_count_reason(cells, n, delimiter))


def field_count_reason(cells: list[str], n: int, delimiter: str) -> str:
    """Why a row of `cells` is refused under a header of `n` columns; a comma-separated row with a
    field too many where two fields are digits side by side is likely a decimal or thousands comma.

    Examples
    --------
    >>> field_count_reason(["Vårberg", "2021", "0", "41", "230"], 4, ",")
    'raden har 5 fält men rubrikraden har 4 (ett tal med decimal- eller tusentalskomma i en kommaseparerad fil? sätt talet inom citattecken, "0,41", eller spara filen med semikolon som avgränsare)'
    >>> field_count_reason(["Vårberg", "2021"], 4, ",")
    'raden har 2 fält men rubrikraden har 4'
    >>> field_count_reason(["Uppdaterad"], 4, ";")[39:]
    '(en rad med en enda text: en anteckning? Skriv den ovanför rubrikraden, inled den med "Källa:" eller "Anm:" om den står sist, eller ta bort den)'
    """
    reason = f"raden har {len(cells)} fält men rubrikraden har {n}"
    if len(cells) < n and sum(1 for c in cells if c.strip()) == 1:
        return (f"{reason} (en rad med en enda text: en anteckning? Skriv den ovanför rubrikraden, "
                "inled den med \"Källa:\" eller \"Anm:\" om den står sist, eller ta bort den)")
    if delimiter != "," or len(cells) <= n:
        return reason
    if not any(a.strip().lstrip("+-").isdigit() and b.strip().isdigit()
               for a, b in zip(cells, cells[1:], strict=False)):
        return reason
    return (f"{reason} (ett tal med decimal- eller tusentalskomma i en kommaseparerad fil? sätt talet inom "
            "citattecken, \"0,41\", eller spara filen med semikolon som avgränsare)")


def _parse_block_slow(block: bytes, first_line: int, headers, delimiter, name, width: int = 0):
    """Exact record-by-record parse (csv module) for chunks with ragged rows or odd quoting."""
    text = block.decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, lines, errors, previous = [], [], [], 0
    n = len(headers)
    try:
        for row in reader:
            line = first_line + previous
            previous = reader.line_num
            if not any(c.strip() for c in row):
                continue
            if len(row) > n and not any(c.strip() for c in row[n:]):
                row = row[:n]
            if len(row) != n:
                errors.append(_count_error(row, n, width, delimiter, name, line, delimiter.join(row)))
                continue
            rows.append(row)
            lines.append(line)
    except csv.Error as exc:
        raise InputError(name, f"rad {first_line + previous}: filen kunde inte tolkas som CSV ({library_reason(exc)})") from None
    return drop_empty(string_frame(rows, lines, headers)), errors


