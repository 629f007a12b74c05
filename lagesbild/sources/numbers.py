"""Swedish number formats: ``1 234,5``, ``23 %``, ``..`` for missing, ``prel.`` markers.

The parser is vectorised (pyarrow compute), so that the same code reads a survey table of twenty rows and
1.5 million coordinates. Rules:

- thousands separators: space, no-break space (U+00A0), narrow no-break space (U+202F), thin space
  (U+2009, from typeset reports), in groups of three digits (``12 34`` is rejected);
- decimal comma or decimal point (XLSX cells arrive with a point), never both;
- a leading ``-``, ``+`` or minus sign (U+2212); negative values are left to the caller to judge;
- Brå's conventions: ``..``, ``.``, ``-`` and an empty cell mean *missing*, not zero;
- a ``prel.`` marker anywhere (``123 prel.``, ``(prel.)``) sets the *preliminary* flag;
- a trailing ``%`` sets the *percent* flag (the value is not divided by 100 here).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

MISSING_TOKENS = ("", "..", ".", "-", "–", "—", "…")
GROUP_SEPARATORS = "[ \u00a0\u202f\u2009]"
PRELIMINARY = r"(?i)[(\[]?\s*\bprel\b\.?\s*[)\]]?"
PERCENT = r"\s*%\s*$"
NUMBER = r"^[+-]?(?:\d{1,3}(?:[ \x{00a0}\x{202f}\x{2009}]\d{3})+|\d+)(?:[.,]\d+)?$"
MINUS_SIGN = "\u2212"


@dataclass(frozen=True)
class ParsedNumbers:
    """Result of :func:`parse_numbers`, one entry per input value (numpy arrays)."""

    value: np.ndarray
    missing: np.ndarray
    invalid: np.ndarray
    preliminary: np.ndarray
    percent: np.ndarray


@dataclass(frozen=True)
class SwedishNumber:
    """One parsed value: ``value`` is None when the cell means *missing*."""

    value: float | None
    preliminary: bool = False
    percent: bool = False


def as_arrow(values) -> pa.Array:
    """Return `values` (Series, list, array) as one pyarrow string array with no nulls.

    Examples
    --------
    >>> as_arrow(pd.Series(["1", None])).to_pylist()
    ['1', '']
    """
    if isinstance(values, pd.Series):
        values = values.array
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        arr = values
    elif hasattr(values, "__arrow_array__"):
        arr = pa.array(values)
    else:
        obj = [v if isinstance(v, str) else ("" if v is None or v is pd.NA or v != v else str(v))
               for v in values]
        arr = pa.array(obj, type=pa.large_string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        arr = pc.cast(arr, pa.large_string())
    return pc.fill_null(arr, "") if arr.null_count else arr


def string_buffers(values) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(UTF-8 bytes, start of each string in them, length of each string) of a string array.

    No copy for a pyarrow string array; `values` as for :func:`as_arrow`.

    Examples
    --------
    >>> data, starts, lengths = string_buffers(pa.array(["ab", "", "cde"]))
    >>> bytes(data), starts.tolist(), lengths.tolist()
    (b'abcde', [0, 2, 2], [2, 0, 3])
    """
    arr = as_arrow(values)
    n = len(arr)
    _, offsets_buf, data_buf = arr.buffers()
    width = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(offsets_buf, dtype=width)[arr.offset:arr.offset + n + 1]
    offsets = offsets.astype(np.int64, copy=False)
    lo, hi = (int(offsets[0]), int(offsets[-1])) if n else (0, 0)
    data = (np.frombuffer(data_buf, dtype=np.uint8)[lo:hi] if data_buf is not None and hi > lo
            else np.zeros(0, dtype=np.uint8))
    return data, offsets[:-1] - lo, np.diff(offsets)


def trim(values) -> pa.Array:
    """``pc.utf8_trim_whitespace(as_arrow(values))``, skipped when no value can start or end with
    whitespace (its first and last bytes are all printable ASCII).

    Examples
    --------
    >>> trim(pd.Series([" a ", "b", "\u00a0c"])).to_pylist()
    ['a', 'b', 'c']
    """
    arr = as_arrow(values)
    data, starts, lengths = string_buffers(arr)
    if not data.size:
        return arr
    if not lengths.min():
        starts, lengths = starts[lengths > 0], lengths[lengths > 0]
    for edge in (np.take(data, starts), np.take(data, starts + lengths - 1)):
        if edge.min() <= ord(" ") or edge.max() >= 0x7F:
            return pc.utf8_trim_whitespace(arr)
    return arr


def _np(arr) -> np.ndarray:
    return np.asarray(arr.to_numpy(zero_copy_only=False), dtype=bool)


def parse_numbers(values) -> ParsedNumbers:
    """Parse Swedish-formatted numbers, vectorised.

    Parameters
    ----------
    values : Series, list or pyarrow array of str

    Returns
    -------
    ParsedNumbers
        ``value`` is NaN where the cell is missing or invalid.

    Examples
    --------
    >>> p = parse_numbers(["1 234,5", "..", "12 prel.", "23 %", "x"])
    >>> p.value.tolist()[:1], p.missing.tolist(), p.invalid.tolist()
    ([1234.5], [False, True, False, False, False], [False, False, False, False, True])
    >>> p.preliminary.tolist(), p.percent.tolist()
    ([False, False, True, False, False], [False, False, False, True, False])
    """
    arr = as_arrow(values)
    fast = _plain(arr)
    return _finite(fast if fast is not None else _general(arr))


def _finite(p: ParsedNumbers) -> ParsedNumbers:
    """Digits past a float's range (``999…`` with 400 digits) cast to infinity, which no caller treated
    as invalid (a count became "missing"): they are invalid.

    Examples
    --------
    >>> p = parse_numbers(["9" * 400, "5"])
    >>> p.invalid.tolist(), bool(np.isnan(p.value[0]))
    ([True, False], True)
    """
    big = np.isinf(p.value)
    if not big.any():
        return p
    return ParsedNumbers(np.where(big, np.nan, p.value), p.missing, p.invalid | big, p.preliminary,
                         p.percent)


def _general(arr: pa.Array) -> ParsedNumbers:
    """Every rule of the module docstring, with regular expressions (pyarrow compute)."""
    prel = pc.match_substring_regex(arr, PRELIMINARY)
    text = pc.replace_substring_regex(arr, PRELIMINARY, "")
    pct = pc.match_substring_regex(text, PERCENT)
    text = pc.utf8_trim_whitespace(pc.replace_substring_regex(text, PERCENT, ""))
    text = pc.replace_substring(text, MINUS_SIGN, "-")
    missing = pc.is_in(text, value_set=pa.array(MISSING_TOKENS, type=text.type))
    ok = pc.match_substring_regex(text, NUMBER)
    clean = pc.replace_substring(pc.replace_substring_regex(text, GROUP_SEPARATORS, ""), ",", ".")
    value = pc.cast(pc.if_else(ok, clean, "nan"), pa.float64()).to_numpy(zero_copy_only=False)
    missing_np = _np(missing)
    return ParsedNumbers(value=value, missing=missing_np, invalid=~(_np(ok) | missing_np),
                         preliminary=_np(prel), percent=_np(pct))


def _plain(arr: pa.Array) -> ParsedNumbers | None:
    """Fast path: every value is a plain number with a decimal point or comma (big exports).

    pyarrow's float cast takes the values once the comma is a point; checked on the bytes: only
    digits and ``+,-.``, a digit first (after a sign) and last, so that the cast accepts exactly the
    values :data:`NUMBER` accepts without thousands separators (no ``1e5``, ``inf``, ``.5``, ``5.``).
    """
    data, starts, lengths = string_buffers(arr)
    if not len(arr) or not lengths.min() or not _plain_bytes(data):
        return None
    signed = ((data[starts] == ord("-")) | (data[starts] == ord("+"))) & (lengths > 1)
    if not (_digits(data[starts + lengths - 1]) and _digits(data[starts + signed])):
        return None
    width = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.append(starts, data.size).astype(width)
    points = pa.Array.from_buffers(arr.type, len(arr), [None, pa.py_buffer(offsets), pa.py_buffer(
        np.where(data == ord(","), np.uint8(ord(".")), data))])
    try:
        value = pc.cast(points, pa.float64()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:  # e.g. two separators
        return None
    flags = np.zeros(len(value), dtype=bool)
    return ParsedNumbers(value, flags, flags.copy(), flags.copy(), flags.copy())


def _plain_bytes(data: np.ndarray) -> bool:
    """Only digits and ``+,-.`` (0x2B-0x39 without ``/``)."""
    return bool(data.min() >= ord("+") and data.max() <= ord("9") and not (data == ord("/")).any())


def _digits(data: np.ndarray) -> bool:
    return bool(((data >= ord("0")) & (data <= ord("9"))).all())


def parse_number(text: str) -> SwedishNumber:
    """Parse one Swedish-formatted number.

    Raises
    ------
    ValueError
        With a Swedish reason, when `text` is not a number.

    Examples
    --------
    >>> parse_number("1\u00a0234,5")
    SwedishNumber(value=1234.5, preliminary=False, percent=False)
    >>> parse_number("..").value is None
    True
    >>> parse_number("42 (prel.)").preliminary
    True
    """
    p = parse_numbers([text])
    if p.invalid[0]:
        raise ValueError("kunde inte tolkas som ett tal")
    value = None if p.missing[0] else float(p.value[0])
    return SwedishNumber(value, bool(p.preliminary[0]), bool(p.percent[0]))


def integers(p: ParsedNumbers) -> tuple[pd.Series, np.ndarray]:
    """Return the values as nullable Int64 and a mask of values that are not whole numbers.

    Examples
    --------
    >>> ints, frac = integers(parse_numbers(["3", "..", "2,5"]))
    >>> ints.tolist(), frac.tolist()
    ([3, <NA>, <NA>], [False, False, True])
    """
    finite = np.isfinite(p.value)
    whole = finite & (np.mod(p.value, 1.0) == 0) & (np.abs(p.value) < 2**53)
    out = pd.array(np.where(whole, p.value, 0).astype("int64"), dtype="Int64")
    out[~whole] = pd.NA
    return pd.Series(out), finite & ~whole


def format_number(value: float, decimals: int = 0, group: str = "\u00a0") -> str:
    """Format a number the Swedish way: no-break space between thousands, decimal comma.

    Examples
    --------
    >>> format_number(1234567.891, 2) == "1\u00a0234\u00a0567,89"
    True
    >>> format_number(-5)
    '-5'
    """
    text = f"{value:,.{decimals}f}"
    return text.replace(",", group).replace(".", ",")
