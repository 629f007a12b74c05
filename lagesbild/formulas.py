"""Spreadsheet-formula neutralisation: the one neutraliser of every CSV/XLSX the project writes.

A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel and
LibreOffice as a formula (OWASP CSV injection); such cells get a leading apostrophe. It sits at the
bottom of the package (no imports of its own) so that ingest's rejection reports, the exports and the
CLI all use it without crossing a layer.

Examples
--------
>>> neutralise("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
"""

from __future__ import annotations

import pandas as pd

#: First characters that make a spreadsheet cell a formula (OWASP CSV injection).
DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix a text that a spreadsheet would read as a formula with an apostrophe.

    Non-text values are returned unchanged.

    Examples
    --------
    >>> neutralise("+46 8 123"), neutralise("@SUM(A1)"), neutralise("Vårberg"), neutralise(-3)
    ("'+46 8 123", "'@SUM(A1)", 'Vårberg', -3)
    """
    if isinstance(value, str) and value.startswith(DANGEROUS_FIRST):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell (and column name) neutralised.

    Examples
    --------
    >>> neutralise_frame(pd.DataFrame({"=a": ["-x", 1]})).to_dict("list")
    {"'=a": ["'-x", 1]}
    """
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out
