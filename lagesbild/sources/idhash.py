"""Duplicate-id detection across the chunks of a streamed file, in 16 bytes per row.

Ids are reduced to 64-bit hashes (a polynomial hash of the UTF-8 bytes, finished with the splitmix64
mixer), computed vectorised from the pyarrow string buffers. :class:`SeenIds` keeps the hashes and lines
of first occurrences in a few sorted numpy blocks.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

MULTIPLIER = np.uint64(0x100000001B3)
MAX_BLOCKS = 8


def _mix(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint64(30))
    h = h * np.uint64(0xBF58476D1CE4E5B9)
    h = h ^ (h >> np.uint64(27))
    h = h * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def hash_strings(values: pa.Array) -> np.ndarray:
    """64-bit hashes of the strings of a pyarrow array (no nulls).

    Examples
    --------
    >>> h = hash_strings(pa.array(["a", "b", "a", ""]))
    >>> bool(h[0] == h[2]), bool(h[0] == h[1]), h.dtype
    (True, False, dtype('uint64'))
    """
    arr = pc.cast(values, pa.large_string()) if not pa.types.is_large_string(values.type) else values
    n = len(arr)
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    buffers = arr.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int64)[arr.offset:arr.offset + n + 1]
    lo, hi = int(offsets[0]), int(offsets[-1])
    data = (np.frombuffer(buffers[2], dtype=np.uint8)[lo:hi] if buffers[2] is not None
            else np.zeros(0, dtype=np.uint8)).astype(np.uint64)
    starts = offsets[:-1] - lo
    lengths = np.diff(offsets)
    if data.size:
        pos = np.arange(data.size) - np.repeat(starts, lengths)
        powers = np.cumprod(np.full(int(lengths.max()), MULTIPLIER, dtype=np.uint64))
        weighted = (data + np.uint64(1)) * powers[pos]
        sums = np.zeros(n, dtype=np.uint64)
        filled = lengths > 0
        sums[filled] = np.add.reduceat(weighted, starts[filled])
    else:
        sums = np.zeros(n, dtype=np.uint64)
    return _mix(sums ^ (lengths.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)))


class SeenIds:
    """Remembers ids (as hashes) and the line where each was first seen.

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
        self.blocks: list[tuple[np.ndarray, np.ndarray]] = []

    def check(self, ids: pa.Array, lines: np.ndarray, use: np.ndarray | None = None):
        """Return (is a repeat, line of the first occurrence) for each id; remember the new ones.

        `use` masks the ids to consider (e.g. non-empty ones); the others are never repeats.
        """
        use = np.ones(len(ids), dtype=bool) if use is None else np.asarray(use, dtype=bool)
        h = hash_strings(ids)
        first = np.asarray(lines, dtype=np.int64).copy()
        dup = np.zeros(len(ids), dtype=bool)
        for hashes, block_lines in self.blocks:
            pos = np.clip(np.searchsorted(hashes, h), 0, max(hashes.size - 1, 0))
            hit = use & ~dup & (hashes[pos] == h) if hashes.size else np.zeros_like(dup)
            first[hit] = block_lines[pos[hit]]
            dup |= hit
        idx = np.flatnonzero(use & ~dup)
        order = idx[np.argsort(h[idx], kind="stable")]
        sorted_h = h[order]
        repeat = np.zeros(order.size, dtype=bool)
        repeat[1:] = sorted_h[1:] == sorted_h[:-1]
        group_start = np.maximum.accumulate(np.where(~repeat, np.arange(order.size), 0))
        first[order[repeat]] = first[order[group_start[repeat]]]
        dup[order[repeat]] = True
        keep = order[~repeat]
        self._remember(h[keep], first[keep])
        return dup, first

    def _remember(self, hashes: np.ndarray, lines: np.ndarray) -> None:
        order = np.argsort(hashes, kind="stable")
        self.blocks.append((hashes[order], lines[order]))
        if len(self.blocks) > MAX_BLOCKS:
            h = np.concatenate([b[0] for b in self.blocks])
            ln = np.concatenate([b[1] for b in self.blocks])
            order = np.argsort(h, kind="stable")
            self.blocks = [(h[order], ln[order])]
