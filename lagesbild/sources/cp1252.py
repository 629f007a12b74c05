"""Windows-1252 checks and transcoding to UTF-8 without Python's byte-at-a-time codec.

Python's ``cp1252`` codec decodes one byte at a time; on a 100 MB incident file that is most of a
second, twice (once to detect the encoding, once to read). Windows-1252 differs from Latin-1 only in
the bytes 0x80-0x9F, so where a text has none of them ``decode("latin-1").encode("utf-8")`` (fast C
paths) gives the same bytes; the others are expanded from a 256-entry table with numpy. Five bytes are
undefined in Windows-1252 (:data:`UNDEFINED`); for them the real codec is called, so that the error
(``UnicodeDecodeError``, its position and message) stays exactly Python's.

:func:`column_to_utf8` transcodes one parsed column (a pyarrow binary array) instead of a whole block,
so the many ASCII-only columns of an export (ids, dates, coordinates) cost nothing.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

UNDEFINED = b"\x81\x8d\x8f\x90\x9d"
SCAN_BYTES = 1 << 20


def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(UTF-8 length, UTF-8 bytes padded to 3, undefined) for each byte value."""
    length = np.zeros(256, dtype=np.int64)
    table = np.zeros((256, 3), dtype=np.uint8)
    undefined = np.zeros(256, dtype=bool)
    for b in range(256):
        try:
            encoded = bytes([b]).decode("cp1252").encode("utf-8")
        except UnicodeDecodeError:
            undefined[b] = True
            continue
        length[b] = len(encoded)
        table[b, :len(encoded)] = list(encoded)
    return length, table, undefined


LENGTH, TABLE, IS_UNDEFINED = _tables()


def c1_positions(arr: np.ndarray) -> np.ndarray:
    """Positions of the bytes 0x80-0x9F in `arr` (uint8), scanned in cache-sized slices.

    Examples
    --------
    >>> c1_positions(np.frombuffer("aö–”".encode("cp1252"), dtype=np.uint8)).tolist()
    [2, 3]
    """
    scratch = np.empty(min(arr.size, SCAN_BYTES), dtype=np.uint8)
    hits = np.empty(scratch.size, dtype=bool)
    found = []
    for at in range(0, arr.size, SCAN_BYTES):
        part = arr[at:at + SCAN_BYTES]
        np.bitwise_and(part, 0xE0, out=scratch[:part.size])
        np.equal(scratch[:part.size], 0x80, out=hits[:part.size])
        if hits[:part.size].any():
            found.append(np.flatnonzero(hits[:part.size]) + at)
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def first_undefined(block: bytes | np.ndarray) -> int | None:
    """Position of the first byte of `block` that Windows-1252 cannot decode, or None.

    Examples
    --------
    >>> first_undefined("Skadegörelse – grov".encode("cp1252")), first_undefined(b"ab\\x81c\\x9d")
    (None, 2)
    """
    arr = np.frombuffer(block, dtype=np.uint8) if isinstance(block, bytes) else block
    high = c1_positions(arr)
    bad = high[IS_UNDEFINED[arr[high]]]
    return int(bad[0]) if bad.size else None


def expand(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """UTF-8 bytes of Windows-1252 bytes `arr` (none undefined) and where the added bytes go.

    Returns
    -------
    out : ndarray of uint8
    inserted : ndarray of int64
        For each added byte, the position in `arr` it was inserted before (sorted); a string that
        starts at position ``o`` of `arr` starts at ``o + searchsorted(inserted, o, "right")`` of `out`.

    Examples
    --------
    >>> out, at = expand(np.frombuffer("aö–b".encode("cp1252"), dtype=np.uint8))
    >>> bytes(out).decode("utf-8"), at.tolist()
    ('aö–b', [2, 3, 3])
    """
    high = np.flatnonzero(arr >= 0x80)
    if not high.size:
        return arr, np.zeros(0, dtype=np.int64)
    values = arr[high]
    extra = LENGTH[values] - 1
    out = arr.copy()
    out[high] = TABLE[values, 0]
    inserted = np.repeat(high + 1, extra)
    owner = np.repeat(values, extra)
    second = np.arange(inserted.size) - np.repeat(np.cumsum(extra) - extra, extra)
    return np.insert(out, inserted, TABLE[owner, 1 + second]), inserted


def to_utf8(block: bytes) -> bytes:
    """``block.decode("cp1252").encode("utf-8")``, faster (same result and same errors).

    Examples
    --------
    >>> to_utf8("Rån – grov ”x” €".encode("cp1252")).decode("utf-8")
    'Rån – grov ”x” €'
    >>> to_utf8(b"ok\\x81")
    Traceback (most recent call last):
    ...
    UnicodeDecodeError: 'charmap' codec can't decode byte 0x81 in position 2: character maps to <undefined>
    """
    arr = np.frombuffer(block, dtype=np.uint8)
    high = c1_positions(arr)
    if not high.size:
        return block.decode("latin-1").encode("utf-8")
    if IS_UNDEFINED[arr[high]].any():
        return block.decode("cp1252").encode("utf-8")  # raises Python's own error
    return expand(arr)[0].tobytes()


def column_to_utf8(values: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """A pyarrow binary column of Windows-1252 text as UTF-8 strings (None if undecodable).

    Examples
    --------
    >>> col = pa.chunked_array([[s.encode("cp1252") for s in ["Rån", ""]], [b"a \\x96 b"]])
    >>> column_to_utf8(col).to_pylist()
    ['Rån', '', 'a – b']
    """
    if values.null_count:
        return None
    chunks = [_ascii(c) for c in values.chunks]
    if all(c is not None for c in chunks):
        return pa.chunked_array(chunks, pa.string())
    return _transcode(values.combine_chunks())


def _ascii(values: pa.Array) -> pa.Array | None:
    """A binary array of ASCII bytes as a string array (no copy), else None."""
    _, offsets_buf, data_buf = values.buffers()
    if data_buf is None:
        return values.cast(pa.string())
    offsets = np.frombuffer(offsets_buf, dtype=np.int32)[values.offset:values.offset + len(values) + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8)[int(offsets[0]):int(offsets[-1])]
    if data.size and data.max() >= 0x80:
        return None
    return pa.Array.from_buffers(pa.string(), len(values), [None, offsets_buf, data_buf], 0,
                                 values.offset)


def _transcode(values: pa.Array) -> pa.ChunkedArray | None:
    n = len(values)
    _, offsets_buf, data_buf = values.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int32)[values.offset:values.offset + n + 1]
    base = int(offsets[0])
    data = np.frombuffer(data_buf, dtype=np.uint8)[base:int(offsets[-1])]
    c1 = c1_positions(data)
    if IS_UNDEFINED[data[c1]].any():
        return None
    if c1.size:
        out, inserted = expand(data)
    else:  # Latin-1 text: one added byte after each byte >= 0x80
        out = np.frombuffer(data.tobytes().decode("latin-1").encode("utf-8"), dtype=np.uint8)
        inserted = np.flatnonzero(data >= 0x80) + 1
    bounds = offsets.astype(np.int64) - base
    new = bounds + np.searchsorted(inserted, bounds, side="right")
    return pa.chunked_array([pa.Array.from_buffers(
        pa.string(), n, [None, pa.py_buffer(new.astype(np.int32)), pa.py_buffer(out)])])
