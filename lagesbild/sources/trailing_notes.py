"""Notes under an incident table ("Källa: Polisen, uttag 2026-09-01"), cut off while the rows stream.

A police analyst's export often ends with a line or two of notes below the table, in the first cell or
as a line of their own. They are no incidents, and a row with one text in it could never be read as one
(it has no date, category or coordinates), so they are left out and the ingest report names each by its
line and text: the lines after the last row that has more than one field, each a note by the rule of
Brå's tables (:func:`lagesbild.sources.bra.trailing_note`: a note's first words such as "Källa:" or
"Anm.", or a phrase alone on its line), or a sum row (:func:`sum_row`: "Summa", "Totalt" or "Total" in
the first cell and nothing but numbers after it, as Excel's totals row; the report calls it so). A line
there that is no note (one word alone, a row cut short, an unquoted note split at its own comma into
fields that are no note) keeps its error, as does every such line above the last data row: a file is
never read as if it ended earlier than it does.

The chunks are streamed, so the candidate lines at the end of a chunk are held back until the next chunk
shows whether a data row follows them (then they are given back as they were) or the file ends (then
they are notes: ``meta["trailing_notes"]``, a list of ``(line, text)``, in a last, empty chunk).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lagesbild.sources import ReadResult
from lagesbild.sources.bra import error_cells, trailing_note

#: first cells of a sum row under a table (compared lower case, without a trailing colon)
SUM_WORDS = ("summa", "totalt", "total", "totalsumma", "summa totalt", "totalt antal")
_NUMBER = re.compile(r"^-?\d[\d\s\u00a0\u2009\u202f]*(?:[.,]\d+)?$")


def sum_row(cells: list[str]) -> bool:
    """Whether a line's cells are a sum row: a sum word in the first cell, then numbers only.

    Examples
    --------
    >>> [sum_row(c) for c in (["Summa"], ["Summa:", "2"], ["Totalt", "1 234"], ["Summa", "Narkotika"],
    ...                       ["Total", "2", "x"], ["Skärholmen", "2"], ["", "Summa"])]
    [True, True, True, False, False, False, False]
    """
    if not cells or cells[0].strip().rstrip(":").strip().lower() not in SUM_WORDS:
        return False
    return all(_NUMBER.match(c.strip()) for c in cells[1:])


def is_sum_line(text: str) -> bool:
    """Whether a note's text (its cells joined by spaces) is a sum row (:func:`sum_row`).

    >>> is_sum_line("Summa 1 234"), is_sum_line("Summa totalt: 2"), is_sum_line("Källa: Polisen")
    (True, True, False)
    """
    words = str(text).split()
    return any(len(words) >= n and sum_row([" ".join(words[:n]), *words[n:]]) for n in (2, 1))


def _row_cells(values: tuple) -> list[str]:
    """A row's non-empty cells; a row whose first cell is empty starts with ``""`` (a note is
    written in the first column: text in another column alone is a row with values missing)."""
    cells = [str(v).strip() for v in values if isinstance(v, str) and str(v).strip()]
    first = values[0] if len(values) else None
    return cells if isinstance(first, str) and first.strip() else ["", *cells]


def _items_from_end(part: ReadResult):
    """(line, cells, text) of the part's rows and refused lines, the last first; a row's cells are
    made only when reached (a chunk has up to 200 000 rows, and the notes are a few at its end)."""
    lines = part.table["line"].to_numpy()
    values = part.table.drop(columns="line")
    errors = sorted((e for e in part.errors if e.line), key=lambda e: e.line)
    i, j = len(lines) - 1, len(errors) - 1
    while i >= 0 or j >= 0:
        if j >= 0 and (i < 0 or errors[j].line > lines[i]):
            e = errors[j]
            yield int(e.line), error_cells(e.value), _line_text(e.value)
            j -= 1
        else:
            cells = _row_cells(tuple(values.iloc[i]))
            yield int(lines[i]), cells, " ".join(cells)
            i -= 1


def _tail(part: ReadResult) -> tuple[int, list[tuple[int, str]]]:
    """The first line of the part's run of note lines at its end (beyond its last line when there is
    none), and those lines' texts."""
    start, notes, last = None, [], None
    for line, cells, text in _items_from_end(part):
        last = line if last is None else last
        if not cells or not (trailing_note(cells) or sum_row(cells)):
            break
        start = line
        notes.append((line, text))
    return (start if start is not None else (last or 0) + 1), notes[::-1]


def _line_text(value) -> str:
    """A refused line as its note: without the delimiters Excel pads it with and the quotes around it.

    Examples
    --------
    >>> _line_text('"Källa: Polisen, uttag 2026-09-01";;;'), _line_text("Källa: Polisen, uttag 2026-09-01")
    ('Källa: Polisen, uttag 2026-09-01', 'Källa: Polisen, uttag 2026-09-01')
    """
    text = str(value or "").strip().rstrip(";,\t").strip()
    if len(text) > 1 and text[0] == text[-1] == '"':
        text = text[1:-1].replace('""', '"')
    return text


def _split(part: ReadResult, start: int) -> tuple[ReadResult, ReadResult]:
    """The part before line `start` and the part from it on."""
    before = part.table["line"] < start
    head = ReadResult(part.table[before].reset_index(drop=True),
                      [e for e in part.errors if not e.line or e.line < start], part.notes, part.meta)
    tail = ReadResult(part.table[~before].reset_index(drop=True),
                      [e for e in part.errors if e.line and e.line >= start], part.notes, part.meta)
    return head, tail


def without_trailing_notes(chunks: Iterator[ReadResult], meta: dict) -> Iterator[ReadResult]:
    """The chunks of a table with the notes under it cut off; they are put into `meta` (the open
    table's, so every later chunk carries them) as ``trailing_notes`` and a last chunk with no rows
    is yielded then."""
    held: list[ReadResult] = []
    held_notes: list[tuple[int, str]] = []
    for part in chunks:
        start, notes = _tail(part)
        head, tail = _split(part, start) if notes else (part, None)  # no copy of a chunk without notes
        if len(head.table) or head.errors:  # a data row follows the held lines: they were no notes
            yield from held
            held, held_notes = [], []
            yield head
        elif not notes and not held:
            yield part  # an empty chunk
            continue
        if notes:
            held.append(tail)
            held_notes += notes
    if held_notes:
        meta["trailing_notes"] = held_notes
        last = held[-1]
        yield ReadResult(last.table.iloc[:0], [], last.notes, {**last.meta, "trailing_notes": held_notes})
