"""Duplicate-id detection across the chunks of a streamed file, in 12 bytes per row.

Ids are reduced to 64-bit hashes computed vectorised from the pyarrow string buffers: the length, then
each 8-byte little-endian word of the UTF-8 bytes (the last one zero-padded), chained through the
splitmix64 mixer (a bijection of 64-bit integers). :class:`SeenIds` keeps the hashes and lines of first
occurrences in one sorted pair of numpy arrays (lines as int32 while they fit); each chunk is sorted
once, looked up with one ``searchsorted`` of its sorted hashes and merged in.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.lib.stride_tricks import as_strided

GOLDEN = np.uint64(0x9E3779B97F4A7C15)
WORD = 8
# MASKS[k]: the low k bytes of a word (k = 0..8)
LINE32 = np.iinfo(np.int32).max
MASKS = np.array([(1 << (8 * k)) - 1 for k in range(WORD + 1)], dtype=np.uint64)


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, vectorised (a bijection of uint64)."""
    h = h ^ (h >> np.uint64(30))
    h = h * np.uint64(0xBF58476D1CE4E5B9)
    h = h ^ (h >> np.uint64(27))
    h = h * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def _buffers(values: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(UTF-8 bytes, start of each string in them, length of each string) of a string array."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        values = values.cast(pa.large_string())
    n = len(values)
    _, offsets_buf, data_buf = values.buffers()
    width = np.int64 if pa.types.is_large_string(values.type) else np.int32
    offsets = np.frombuffer(offsets_buf, dtype=width)[values.offset:values.offset + n + 1]
    offsets = offsets.astype(np.int64)
    lo, hi = (int(offsets[0]), int(offsets[-1])) if n else (0, 0)
    data = (np.frombuffer(data_buf, dtype=np.uint8)[lo:hi] if data_buf is not None and hi > lo
            else np.zeros(0, dtype=np.uint8))
    return data, offsets[:-1] - lo, np.diff(offsets)


def hash_strings(values: pa.Array) -> np.ndarray:
    """64-bit hashes of the strings of a pyarrow array (no nulls).

    Examples
    --------
    >>> h = hash_strings(pa.array(["a", "b", "a", ""]))
    >>> bool(h[0] == h[2]), bool(h[0] == h[1]), h.dtype
    (True, False, dtype('uint64'))
    >>> bool(hash_strings(pa.array(["a"]))[0] == hash_strings(pa.array(["a\\x00"]))[0])
    False
    """
    data, starts, lengths = _buffers(values)
    h = _mix(lengths.astype(np.uint64) * GOLDEN)
    if not data.size:
        return h
    if lengths.min() == lengths.max():  # ids of one length (usual in exports): words as columns
        return _hash_fixed(h, data.reshape(len(lengths), -1))
    padded = np.zeros(data.size + WORD, dtype=np.uint8)
    padded[:data.size] = data
    windows = as_strided(padded, shape=(data.size + 1, WORD), strides=(1, 1), writeable=False)
    for j in range(-(-int(lengths.max()) // WORD)):
        rest = lengths - WORD * j
        rows = None if rest.min() >= WORD else np.flatnonzero(rest > 0)
        at = starts + WORD * j if rows is None else starts[rows] + WORD * j
        word = np.ascontiguousarray(windows[at]).view("<u8").ravel().astype(np.uint64, copy=False)
        if rows is None:
            h = _mix(h ^ word)
        else:
            h[rows] = _mix(h[rows] ^ (word & MASKS[np.minimum(rest[rows], WORD)]))
    return h


def _hash_fixed(h: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """:func:`hash_strings` of strings of one length, given as rows of bytes (same hashes)."""
    n, length = rows.shape
    width = -(-length // WORD) * WORD
    if width != length:
        padded = np.zeros((n, width), dtype=np.uint8)
        padded[:, :length] = rows
        rows = padded
    words = np.ascontiguousarray(rows).view("<u8").astype(np.uint64, copy=False)
    for j in range(words.shape[1]):
        h = _mix(h ^ words[:, j])
    return h


class SeenIds:
    """Remembers ids (as hashes) and the line where each was first seen.

    The hashes are kept in a few sorted runs, each with the lines of its ids, the oldest (largest)
    first; a run is merged into the one before it once it holds half as many ids, so each id is
    moved a few times in all, not once per chunk (one sorted array took a merge of every id seen at
    every chunk: 40 % of the checks of a city's 1.5 million rows).

    Examples
    --------
    >>> seen = SeenIds()
    >>> dup, first = seen.check(pa.array(["a", "b", "a"]), np.array([2, 3, 4]))
    >>> dup.tolist(), int(first[2])
    ([False, False, True], 2)
    >>> dup, first = seen.check(pa.array(["b", "c"]), np.array([5, 6]))
    >>> dup.tolist(), int(first[0])
    ([True, False], 3)
    """

    def __init__(self) -> None:
        # (sorted hashes, their lines): lines as int32 while they fit, int64 from the first above LINE32
        self.runs: list[tuple[np.ndarray, np.ndarray]] = []

    def check(self, ids: pa.Array, lines: np.ndarray, use: np.ndarray | None = None):
        """Return (is a repeat, line of the first occurrence) for each id; remember the new ones.

        `use` masks the ids to consider (e.g. non-empty ones); the others are never repeats.
        """
        first = np.asarray(lines, dtype=np.int64).copy()
        dup = np.zeros(len(ids), dtype=bool)
        idx = np.arange(len(ids)) if use is None else np.flatnonzero(np.asarray(use, dtype=bool))
        if not idx.size:
            return dup, first
        hashes = hash_strings(ids)
        rows, sh = _sorted(hashes if idx.size == len(ids) else hashes[idx], idx)
        new = np.ones(sh.size, dtype=bool)
        new[1:] = sh[1:] != sh[:-1]
        # repeats in the chunk: the earliest row (first of its group) is the first occurrence
        earliest = rows[np.maximum.accumulate(np.where(new, np.arange(sh.size), 0))]
        found = np.zeros(sh.size, dtype=bool)
        seen_line = first[earliest]
        for run, run_lines in self.runs:  # an id is in one run at most
            at = np.minimum(np.searchsorted(run, sh), run.size - 1)
            hit = run[at] == sh
            if hit.any():
                seen_line = np.where(hit, run_lines[at], seen_line)
                found |= hit
        fresh = new & ~found
        if not fresh.all():
            first[rows] = seen_line
            dup[rows] = found | (rows != earliest)
        if fresh.any():
            kept = seen_line[fresh]
            self.runs.append((sh[fresh], kept.astype(np.int32) if kept.max() <= LINE32 else kept))
            self._compact()
        return dup, first

    def _compact(self) -> None:
        """Merge the newest run into the one before while it holds at least half as many ids."""
        while len(self.runs) > 1 and 2 * self.runs[-1][0].size >= self.runs[-2][0].size:
            (h1, l1), (h0, l0) = self.runs.pop(), self.runs.pop()
            self.runs.append(_merge(h0, l0, np.searchsorted(h0, h1), h1, l1))


def _merge(hashes: np.ndarray, lines: np.ndarray, pos: np.ndarray, new: np.ndarray, new_lines: np.ndarray):
    """Sorted `hashes` (with `lines`) with the sorted `new` (and `new_lines`) inserted before `pos`."""
    at = pos + np.arange(pos.size)
    old = np.ones(hashes.size + pos.size, dtype=bool)
    old[at] = False
    old_at = np.flatnonzero(old)
    merged_h = np.empty(old.size, dtype=np.uint64)
    merged_h[at], merged_h[old_at] = new, hashes
    merged_l = np.empty(old.size, dtype=np.result_type(lines, new_lines))
    merged_l[at], merged_l[old_at] = new_lines, lines
    return merged_h, merged_l


def _sorted(h: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(`idx` ordered by hash, then by position, and the hashes in that order).

    One ``np.sort`` of the hashes with their low bits replaced by the position (cheaper than an
    ``argsort``); if two hashes differ only in those bits, a stable ``argsort`` instead.
    """
    bits = max(1, (h.size - 1).bit_length())
    low = np.uint64((1 << bits) - 1)
    key = (h & ~low) | np.arange(h.size, dtype=np.uint64)
    key.sort()
    order = (key & low).astype(np.int64)
    sh = h[order]
    if sh.size > 1 and not (sh[1:] >= sh[:-1]).all():
        order = np.argsort(h, kind="stable")
        sh = h[order]
    return idx[order], sh


#: an id holding U+FFFD: the CSV reader's stand-in for a NUL byte, or a character decoded wrongly
DAMAGED_ID = ("id:t har ett skadat tecken (\ufffd: en NUL-byte eller ett tecken i fel teckenkodning); "
              "rätta id:t i filen")


def damaged_ids(ids: pa.Array) -> np.ndarray:
    """Whether each id holds U+FFFD. Stored, "A\ufffd2" would never match the next export's "A2".

    >>> damaged_ids(pa.array(["A1", "A\ufffd2", ""])).tolist()
    [False, True, False]
    """
    data, _, _ = _buffers(ids)
    if not (data == _FFFD_LEAD).any():  # no U+FFFD without its first byte: the usual, clean column
        return np.zeros(len(ids), dtype=bool)
    return np.asarray(pc.match_substring(ids, "\ufffd").fill_null(False), dtype=bool)


_FFFD_LEAD = np.uint8("\ufffd".encode()[0])  # 0xEF


def id_hint(columns, used) -> str:
    """Advice naming the first of a file's unread columns that looks like an id, or "".

    >>> id_hint(["Löpnummer", "Datum"], ["Datum"])
    '; är kolumnen "Löpnummer" ett id? Ange den i en mappningsfil: columns: {incident_id: "Löpnummer"}'
    >>> id_hint(["Brottsdatum", "Identitet"], ["Brottsdatum"])
    ''
    """
    taken = set(used) | {"line"}
    like = [str(h) for h in columns if h not in taken
            and re.search(r"(?:^|[^a-zåäö])(?:id|nr)$|nummer|(?:^|[^a-zåäö])id(?:[^a-zåäö]|$)", str(h).casefold())]
    if not like:
        return ""
    return (f'; är kolumnen "{like[0]}" ett id? Ange den i en mappningsfil: columns: {{incident_id: '
            f'"{like[0]}"}}')
