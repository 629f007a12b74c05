"""Monthly incident counts in the store's layout: one row per source, place, category and year.

``incident_counts`` has the columns ``source, place_id, category, year, m01 … m12`` (the count of
each calendar month, 0 when none). A city's ten years counted for 114 places are about 20,000 such
rows instead of 170,000 in a long layout, which keeps the ingest and the reads cheap, and the table
stays plain SQL (``SELECT m03 FROM incident_counts WHERE place_id = 'hasselby-torg' AND year = 2019``).

The rest of the program sees the long layout (``source, place_id, category, month, count``, months
with a count only); this module converts between the two.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MONTH_COLUMNS = [f"m{m:02d}" for m in range(1, 13)]
KEY = ["source", "place_id", "category", "year"]
LONG = ["source", "place_id", "category", "month", "count"]


def to_wide(long: pd.DataFrame) -> pd.DataFrame:
    """Long counts (months may repeat; they are added up) as rows per year with 12 month columns.

    Rows come in no particular order.

    Examples
    --------
    >>> long = pd.DataFrame({"source": "s", "place_id": "p", "category": "ran",
    ...                      "month": pd.to_datetime(["2020-01-01", "2020-03-01", "2020-03-01"]),
    ...                      "count": [2, 1, 4]})
    >>> to_wide(long)[["year", "m01", "m02", "m03"]].values.tolist()
    [[2020, 2, 0, 5]]
    """
    if long.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c not in KEY[:3] else object)
                             for c in KEY + MONTH_COLUMNS})
    month = long["month"]
    if not pd.api.types.is_datetime64_dtype(month):
        month = pd.to_datetime(month)
    month = month.to_numpy(dtype="datetime64[ns]").astype("datetime64[M]").astype(np.int64)
    parts = [pd.factorize(long[c]) for c in KEY[:3]] + [pd.factorize(month // 12 + 1970)]
    key = np.zeros(len(long), dtype=np.int64)
    for codes, uniques in parts:  # one integer per (source, place, category, year)
        key = key * len(uniques) + codes
    keys, row = np.unique(key, return_inverse=True)
    values = np.bincount(row * 12 + month % 12, weights=long["count"].to_numpy(np.int64),
                         minlength=len(keys) * 12).astype(np.int64).reshape(len(keys), 12)
    out = {}
    for name, (_codes, uniques) in zip(reversed(KEY), reversed(parts), strict=False):
        keys, code = np.divmod(keys, len(uniques))
        out[name] = np.asarray(uniques, dtype=object if name != "year" else np.int64)[code]
    wide = pd.DataFrame({name: out[name] for name in KEY})
    wide[MONTH_COLUMNS] = values
    return wide


def to_long(wide: pd.DataFrame) -> pd.DataFrame:
    """Rows per year as long counts (``source, place_id, category, month, count``), zeros left out.

    Examples
    --------
    >>> wide = pd.DataFrame({"source": ["s"], "place_id": ["p"], "category": ["ran"], "year": [2020],
    ...                      **{m: [0] for m in MONTH_COLUMNS}}).assign(m03=5)
    >>> to_long(wide).values.tolist()
    [['s', 'p', 'ran', Timestamp('2020-03-01 00:00:00'), 5]]
    """
    if wide.empty:
        return pd.DataFrame({"source": pd.Series(dtype=object), "place_id": pd.Series(dtype=object),
                             "category": pd.Series(dtype=object),
                             "month": pd.Series(dtype="datetime64[ns]"),
                             "count": pd.Series(dtype="int64")})
    values = wide[MONTH_COLUMNS].to_numpy(np.int64)
    rows, cols = np.nonzero(values)
    months = (wide["year"].to_numpy(np.int64)[rows] - 1970) * 12 + cols
    return pd.DataFrame({
        "source": wide["source"].to_numpy()[rows], "place_id": wide["place_id"].to_numpy()[rows],
        "category": wide["category"].to_numpy()[rows],
        "month": months.astype("datetime64[M]").astype("datetime64[ns]"),
        "count": values[rows, cols]})


def months_by_year(months) -> dict[int, list[str]]:
    """Month columns to clear per year, for months given as dates or timestamps.

    Examples
    --------
    >>> months_by_year(["2020-12-01", "2021-01-01", "2021-02-01"])
    {2020: ['m12'], 2021: ['m01', 'm02']}
    """
    out: dict[int, list[str]] = {}
    for m in sorted({pd.Timestamp(m).to_period("M") for m in months}):
        out.setdefault(m.year, []).append(MONTH_COLUMNS[m.month - 1])
    return out
