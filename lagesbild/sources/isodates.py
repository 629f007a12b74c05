"""The common ISO dates of police exports read straight from their bytes with numpy: ``YYYY-MM-DD``,
``YYYY-MM-DD HH:MM`` and ``YYYY-MM-DD HH:MM:SS`` (``T`` or space) as nanoseconds, each checked to be a
real calendar date (:func:`fast_iso`); :mod:`lagesbild.sources.timestamps` reads everything else with
pandas.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from lagesbild.sources.numbers import string_buffers

ISO_LENGTHS = (10, 16, 19)  # YYYY-MM-DD, + HH:MM, + :SS
ISO_PATTERN = "dddd-dd-dd dd:dd:dd"  # d: a digit; the space may also be "T"
_FIELDS = {"year": (0, 4), "month": (5, 2), "day": (8, 2), "hour": (11, 2), "minute": (14, 2),
           "second": (17, 2)}
NS_YEARS = (1678, 2261)  # whole years inside datetime64[ns]
# days from 1970-01-01 to the first of each month of NS_YEARS, and the days of that month
_MONTHS = np.arange(f"{NS_YEARS[0]}-01", f"{NS_YEARS[1] + 1}-02", dtype="datetime64[M]")
MONTH_START = _MONTHS.astype("datetime64[D]").astype(np.int64)[:-1]
MONTH_DAYS = np.diff(_MONTHS.astype("datetime64[D]").astype(np.int64))


def _pattern_words(length: int) -> list[tuple[np.uint64, ...]]:
    """Per 8-byte word of :data:`ISO_PATTERN`[:length]: masks of its digit and punctuation bytes,
    and the punctuation expected (the space at 10 is checked apart, it may be "T")."""
    width = -(-length // 8) * 8
    digit, punct, value = (np.zeros(width, dtype=np.uint8) for _ in range(3))
    for i, char in enumerate(ISO_PATTERN[:length]):
        if char == "d":
            digit[i] = 0xFF
        elif char != " ":
            punct[i], value[i] = 0xFF, ord(char)
    words = [np.frombuffer(a.tobytes(), dtype="<u8").astype(np.uint64) for a in (digit, punct, value)]
    return [tuple(w[j] for w in words) for j in range(width // 8)]


PATTERN_WORDS = {length: _pattern_words(length) for length in ISO_LENGTHS}
HIGH_NIBBLES, ZEROS, SIXES = (np.uint64(int(b * 8, 16)) for b in ("F0", "30", "06"))


def fast_iso(values) -> tuple[np.ndarray, np.ndarray]:
    """Read ``YYYY-MM-DD[( |T)HH:MM[:SS]]`` strings as int64 nanoseconds; the rest is left out.

    Returns
    -------
    ns : ndarray of int64
        NaT's value where not read.
    ok : ndarray of bool
        Read: the exact form, a real date and time (no ``24:00`` or leap second), years
        :data:`NS_YEARS`. pandas' ISO 8601 parse gives the same for these values.

    Examples
    --------
    >>> ns, ok = fast_iso(["2020-01-31 12:30", "2020-02-30", "2020-1-31", "2024-02-29T23:59:59"])
    >>> ns[ok].view("datetime64[ns]").astype(str).tolist(), ok.tolist()
    (['2020-01-31T12:30:00.000000000', '2024-02-29T23:59:59.000000000'], [True, False, False, True])
    """
    data, starts, lengths = string_buffers(values)
    n = len(lengths)
    ns = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    ok = np.zeros(n, dtype=bool)
    for length in ISO_LENGTHS:
        if n and lengths.min() == lengths.max() == length:  # one form: rows of the data as is
            ok, ns = _iso_fields(data.reshape(n, length))
            break
        rows = np.flatnonzero(lengths == length)
        if rows.size:
            cells = as_strided(data, shape=(data.size - length + 1, length), strides=(1, 1),
                               writeable=False)[starts[rows]]
            good, value = _iso_fields(cells)
            ns[rows[good]] = value[good]
            ok[rows[good]] = True
    return ns, ok


def _iso_fields(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(well formed, nanoseconds) for rows of bytes holding ISO strings of one length."""
    good = _well_formed(cells)
    digits = cells - np.uint8(ord("0"))
    f = {}
    for name, (at, size) in _FIELDS.items():
        value = np.zeros(len(cells), dtype=np.int16)  # small ints: 4 digits at most
        for k in range(at, at + size if at < cells.shape[1] else at):
            value = value * np.int16(10) + digits[:, k]
        f[name] = value
    good &= (f["year"] >= NS_YEARS[0]) & (f["year"] <= NS_YEARS[1])
    good &= (f["month"] >= 1) & (f["month"] <= 12)
    month = np.clip((f["year"] - NS_YEARS[0]) * 12 + f["month"] - 1, 0, MONTH_START.size - 1)
    good &= (f["day"] >= 1) & (f["day"] <= MONTH_DAYS[month])
    good &= (f["hour"] <= 23) & (f["minute"] <= 59) & (f["second"] <= 59)
    clock = (f["hour"].astype(np.int64) * 60 + f["minute"]) * 60 + f["second"]
    ns = (MONTH_START[month] + (f["day"] - 1)) * 86_400_000_000_000 + clock * 1_000_000_000
    return good, np.where(good, ns, np.iinfo(np.int64).min)


def _well_formed(cells: np.ndarray) -> np.ndarray:
    """Rows of `cells` that follow :data:`ISO_PATTERN`, checked 8 bytes at a time (SWAR: a digit
    byte has high nibble 3, and still has after adding 6)."""
    n, length = cells.shape
    width = -(-length // 8) * 8
    if width != length or not cells.flags.c_contiguous:
        padded = np.zeros((n, width), dtype=np.uint8)
        padded[:, :length] = cells
        cells = padded
    words = cells.view("<u8").astype(np.uint64, copy=False)
    good = np.ones(n, dtype=bool)
    for j, (digit, punct, value) in enumerate(PATTERN_WORDS[length]):
        w = words[:, j]
        high, zeros = HIGH_NIBBLES & digit, ZEROS & digit
        good &= ((w & high) == zeros) & (((w + (SIXES & digit)) & high) == zeros)
        good &= (w & punct) == value
    if length > 10:
        good &= (cells[:, 10] == ord(" ")) | (cells[:, 10] == ord("T"))
    return good
