"""Columns to the right of a CSV header's last named column (Excel's ``;;;;`` of a sheet used far right).

A semicolon CSV saved from a sheet once used out to column XFD has 16 380 empty fields on every line.
Those columns have no header, so no reader uses them; kept as columns they cost a pass each (an 8 MB
file of 504 rows took close to a minute). :func:`lagesbild.sources.csvhead.open_csv` therefore names
only the columns up to the last named header and the row parser (:mod:`lagesbild.sources.csvrows`)
drops the others after checking that they are empty: a row holding a value there is refused, naming the
line, the column and the value, so nothing is discarded without a word.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lagesbild.errors import RowError
from lagesbild.sources.sheetscan import column_letter


def named_width(cells: list[str]) -> int:
    """How many of the header's `cells` remain after the empty ones at the end (at least 1).

    >>> named_width(["Plats", "", "Antal", "", " "]), named_width(["", ""])
    (3, 1)
    """
    named = len(cells)
    while named > 1 and not cells[named - 1].strip():
        named -= 1
    return named


def tail_reason(index: int, named: int) -> str:
    """Why a value in the 0-based column `index`, right of the `named` named columns, is refused.

    >>> tail_reason(19, 4)
    'kolumn 20 (T) har ett värde men ingen rubrik; rubrikraden namnger bara kolumnerna A–D – ge kolumnen en rubrik eller ta bort värdet'
    """
    return (f"kolumn {index + 1} ({column_letter(index + 1)}) har ett värde men ingen rubrik; rubrikraden "
            f"namnger bara kolumnerna A–{column_letter(named)} – ge kolumnen en rubrik eller ta bort värdet")


def first_tail_value(cells: list[str], named: int) -> int | None:
    """The 0-based index of the first non-blank cell right of the `named` columns, or None.

    >>> first_tail_value(["a", "b", "", " ", "x"], 2), first_tail_value(["a", "b", " "], 2)
    (4, None)
    """
    for index in range(named, len(cells)):
        if cells[index].strip():
            return index
    return None


def split_tail(table: pa.Table, named: int, keep: np.ndarray, name: str, encoding: str = "utf-8"):
    """The `table`'s first `named` columns, without the rows holding a value in the others.

    Returns ``(table, lines of the rows kept, RowErrors)``; `keep` holds each row's line.
    """
    if table.num_columns <= named:
        return table, keep, []
    rows = table.num_rows
    tail = pa.concat_arrays([column.combine_chunks() for column in table.columns[named:]]
                            ) if rows else pa.array([], pa.string())
    filled = np.flatnonzero(pc.binary_length(tail).to_numpy(zero_copy_only=False) > 0)
    first: dict[int, tuple[int, str]] = {}
    for at in filled:  # column by column: the first hit of a row is its leftmost value
        column, row = divmod(int(at), rows)
        if row in first:
            continue
        value = tail[int(at)].as_py()
        if isinstance(value, bytes):
            value = value.decode(encoding, "replace")
        if value.strip():
            first[row] = (named + column, value)
    table = table.select(range(named))
    if not first:
        return table, keep, []
    mask = np.ones(rows, dtype=bool)
    mask[list(first)] = False
    errors = [RowError(name, int(keep[row]), None, value[:80], tail_reason(column, named))
              for row, (column, value) in sorted(first.items())]
    return table.filter(pa.array(mask)), keep[mask], errors
