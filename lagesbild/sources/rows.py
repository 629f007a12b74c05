"""Low-level helpers shared by the CSV and XLSX readers: header names and string frames."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lagesbild.sources.mapping import normalise
from lagesbild.sources.numbers import string_buffers, trim

STRING = pd.StringDtype("pyarrow")
STRING_TYPES = {pa.string(): STRING, pa.large_string(): STRING}


def unique_headers(cells: Sequence[object]) -> list[str]:
    """Strip headers, name empty ones ``kolumn N`` and number repeats.

    Examples
    --------
    >>> unique_headers(["Plats", "", "Plats ", "line"])
    ['Plats', 'kolumn 2', 'Plats (2)', 'line (2)']
    """
    seen: dict[str, int] = {"line": 1}
    out = []
    for i, cell in enumerate(cells):
        text = str(cell if cell is not None else "").strip() or f"kolumn {i + 1}"
        seen[text] = seen.get(text, 0) + 1
        out.append(text if seen[text] == 1 else f"{text} ({seen[text]})")
    return out


def repeated_columns(headers: Sequence[str], used) -> dict[str, int]:
    """The used columns whose header the file writes more than once (as :func:`unique_headers`
    numbered the repeats, or in another case or spacing), with how many times.

    Examples
    --------
    >>> repeated_columns(unique_headers(["Plats", "Antal", "Antal", "antal "]), ["Plats", "Antal"])
    {'Antal': 3}
    """
    present = set(headers)

    def key(header: str) -> str:
        m = re.fullmatch(r"(.+) \((\d+)\)", header)
        return normalise(m[1] if m and m[1] in present else header)

    keys = [key(h) for h in headers]
    return {c: keys.count(key(c)) for c in dict.fromkeys(used) if keys.count(key(c)) > 1}


def note_text(text: str) -> str | None:
    stripped = text.strip().lstrip('"').lstrip()
    if not stripped.startswith("#"):
        return None
    return stripped.lstrip("#").strip().rstrip(";,\t\"").strip()


def drop_empty(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop the rows whose cells are all empty or blank (checked column by column, cheaply)."""
    cols = [c for c in frame.columns if c != "line"]
    if frame.empty or not cols:
        return frame.reset_index(drop=True)
    candidates = np.arange(len(frame))
    for col in cols:
        arr = pa.array(frame[col].array)
        if candidates.size < len(frame):
            arr = arr.take(pa.array(candidates))
        if arr.null_count:  # a missing cell is not blank
            blank = pc.equal(pc.utf8_trim_whitespace(arr), "").to_numpy(zero_copy_only=False)
            candidates = candidates[np.asarray(blank, dtype=bool)]
        else:
            candidates = candidates[string_buffers(trim(arr))[2] == 0]
        if not candidates.size:
            return frame
    keep = np.ones(len(frame), dtype=bool)
    keep[candidates] = False
    return frame[keep].reset_index(drop=True)


def string_frame(data: list[list[str]], lines: list[int], headers: list[str]) -> pd.DataFrame:
    """A frame of ``string[pyarrow]`` columns plus ``line`` from rows of cells."""
    if not data:
        return empty_frame(headers)
    frame = pd.DataFrame(data, columns=headers, dtype=object).astype(STRING)
    for column in frame.columns:
        frame[column] = frame[column].str.strip(INVISIBLE)  # pyarrow's utf8_trim
    frame["line"] = np.asarray(lines, dtype="int64")
    return frame


#: characters that show as nothing (zero-width space, joiners, word joiner, byte-order mark, soft hyphen,
#: direction marks): pasted from a web page or a document at a cell's start or end, a value that looks
#: right ("3", "2024-02") was refused as no number or no period, the message showing it as written
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"


def trim_invisible(table: pa.Table) -> pa.Table:
    """`table`'s text columns without :data:`INVISIBLE` characters at the ends of their cells.

    >>> trim_invisible(pa.table({"a": ["3\u200b", "\ufeff2024-02", "Vå\u200brberg", None]}))["a"].to_pylist()
    ['3', '2024-02', 'Vå\u200brberg', None]
    """
    return pa.table([pc.utf8_trim(c, characters=INVISIBLE) if pa.types.is_string(c.type)
                     or pa.types.is_large_string(c.type) else c for c in table.columns], names=table.column_names)


def empty_frame(headers: list[str]) -> pd.DataFrame:
    """A frame with the headers and ``line``, and no rows."""
    frame = pd.DataFrame({h: pd.Series([], dtype=STRING) for h in headers})
    frame["line"] = pd.Series([], dtype="int64")
    return frame
