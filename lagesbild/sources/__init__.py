"""Readers for every kind of input file. They never touch the store.

Each reader returns a :class:`ReadResult`: the canonical table (see ``docs/architecture.md``) with a
``line`` column, the rejected rows as :class:`~lagesbild.errors.RowError`, the leading ``#`` comment
lines of the file, and reader-specific facts in ``meta`` (encoding, delimiter, sheet, matched columns).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from lagesbild.errors import RowError


@dataclass
class ReadResult:
    """What a reader found in a file.

    Attributes
    ----------
    table : pandas.DataFrame
        The valid rows in canonical shape, with a 1-based ``line`` column (sheet row for XLSX).
    errors : list of RowError
        One entry per rejected value; rejected rows are not in ``table``.
    notes : list of str
        Leading ``#`` comment lines of the file, without the ``#``.
    meta : dict
        Reader facts, e.g. ``encoding``, ``delimiter``, ``sheet``, ``columns`` (canonical name ->
        header as written in the file).

    Examples
    --------
    >>> r = ReadResult(pd.DataFrame({"line": [2]}))
    >>> r.errors, r.notes, r.meta
    ([], [], {})
    """

    table: pd.DataFrame
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
