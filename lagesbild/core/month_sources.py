"""Which sources a place's months come from, as bits: :attr:`lagesbild.core.cube.MonthlyCube.sources`
(per place and month) and :attr:`~lagesbild.core.cube.MonthlyCube.category_sources` (per place,
category and month), with short runs of another source settled into the source around them.
Moved out of :mod:`lagesbild.core.cube` (445 lines) when the per-category bits were added.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: a run of months from other sources shorter than this is no change of source (a second file's few
#: months, a source with rows in some months only): its months take the settled source around them
SETTLED_MONTHS = 6


def source_codes(monthly: pd.DataFrame, p_codes, m_codes, shape) -> np.ndarray | None:
    """The sources of each place's months as bits [place, month] (:attr:`MonthlyCube.sources`), or
    None when the rows have no ``source`` or only one (or more than 62). Runs shorter than
    :data:`SETTLED_MONTHS` take the source of the settled run before them (:func:`settle`), so only a
    lasting change of source is one.

    Examples
    --------
    >>> m = pd.DataFrame({"source": ["fil"] * 6 + ["händelser"] * 6})
    >>> source_codes(m, np.zeros(12, int), np.arange(12), (1, 1, 12)).tolist()
    [[1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]]
    >>> m = pd.DataFrame({"source": ["fil", "fil", "händelser"]})
    >>> source_codes(m, np.zeros(3, int), np.array([0, 1, 3]), (1, 1, 4)).tolist()  # one month: no change
    [[1, 1, 1, 1]]
    """
    bit = _source_bits(monthly)
    if bit is None:
        return None
    return _settled_rows(np.asarray(p_codes), np.asarray(m_codes), bit, shape[0], shape[2])


def category_source_codes(monthly: pd.DataFrame, p_codes, c_codes, m_codes, shape) -> np.ndarray | None:
    """The sources of each place's months per category as bits [place, category, month]
    (:attr:`MonthlyCube.category_sources`, the bits :func:`source_codes` gives the place's months),
    settled as they are; 0 for a place × category without any row. None as :func:`source_codes`.

    Examples
    --------
    >>> m = pd.DataFrame({"source": ["fil"] * 6 + ["händelser"] * 6})
    >>> category_source_codes(m, np.zeros(12, int), np.repeat([0, 1], 6), np.r_[0:6, 0:6],
    ...                       (1, 3, 6)).tolist()
    [[[1, 1, 1, 1, 1, 1], [2, 2, 2, 2, 2, 2], [0, 0, 0, 0, 0, 0]]]
    """
    bit = _source_bits(monthly)
    if bit is None:
        return None
    rows = np.asarray(p_codes, np.int64) * shape[1] + np.asarray(c_codes, np.int64)
    return _settled_rows(rows, np.asarray(m_codes), bit, shape[0] * shape[1], shape[2]).reshape(shape)


def _source_bits(monthly: pd.DataFrame) -> np.ndarray | None:
    """Each row's source as a bit (sources in sorted order), or None for no ``source`` column, one
    source or more than 62."""
    if "source" not in monthly or not len(monthly):
        return None
    names, codes = np.unique(monthly["source"].astype(str).to_numpy(), return_inverse=True)
    if len(names) < 2 or len(names) > 62:
        return None
    return np.left_shift(1, codes.astype(np.int64))


def _settled_rows(rows, m_codes, bit, n_rows: int, n_months: int) -> np.ndarray:
    """Bits [row, month] of the rows' sources, months without rows taking the source before them (at
    the start, the first after), then :func:`settle`; rows without any row stay 0."""
    bits = np.zeros((n_rows, n_months), np.int64)
    np.bitwise_or.at(bits, (rows, m_codes), bit)
    for r in np.unique(rows):
        row = bits[r]
        seen = np.flatnonzero(row)
        if len(seen):
            row[:] = row[seen[np.maximum(np.searchsorted(seen, np.arange(len(row)), side="right") - 1, 0)]]
        row[:] = settle(row)
    return bits


def settle(codes: np.ndarray) -> np.ndarray:
    """``codes`` with every run shorter than :data:`SETTLED_MONTHS` given the code of the last settled
    run before it (runs before the first settled run: its code; no settled run: the longest run's).

    Examples
    --------
    >>> settle(np.array([1, 1, 1, 1, 1, 1, 3, 1, 1, 3, 3, 1, 1, 1])).tolist()
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    >>> settle(np.array([2, 1, 1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3])).tolist()
    [1, 1, 1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3]
    """
    at = np.flatnonzero(codes[1:] != codes[:-1]) + 1
    if not len(at):
        return codes
    starts, ends = np.r_[0, at], np.r_[at, len(codes)]
    settled = (ends - starts) >= SETTLED_MONTHS
    current = codes[starts[np.flatnonzero(settled)[0]] if settled.any() else starts[np.argmax(ends - starts)]]
    out = codes.copy()
    for start, end, ok in zip(starts, ends, settled, strict=True):
        if ok:
            current = codes[start]
        out[start:end] = current
    return out
