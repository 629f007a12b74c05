"""ing12: the duplicate-id check keeps its hashes in a few sorted runs instead of one array merged at
every chunk; it answers as the old :class:`SeenIds` (copied below verbatim from commit ee205f9, the
reference) on random ids, chunkings, masks and lines beyond 32 bits.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.sources import idhash
from lagesbild.sources.idhash import LINE32, SeenIds, _sorted, hash_strings


class OldSeenIds:
    def __init__(self) -> None:
        self.hashes = np.zeros(0, dtype=np.uint64)
        self.lines = np.zeros(0, dtype=np.int32)  # int64 from the first line above LINE32

    def check(self, ids, lines, use=None):
        first = np.asarray(lines, dtype=np.int64).copy()
        dup = np.zeros(len(ids), dtype=bool)
        idx = np.arange(len(ids)) if use is None else np.flatnonzero(np.asarray(use, dtype=bool))
        if not idx.size:
            return dup, first
        rows, sh = _sorted(hash_strings(ids)[idx], idx)
        new = np.ones(sh.size, dtype=bool)
        new[1:] = sh[1:] != sh[:-1]
        earliest = rows[np.maximum.accumulate(np.where(new, np.arange(sh.size), 0))]
        pos = np.searchsorted(self.hashes, sh)
        found = np.zeros(sh.size, dtype=bool)
        seen_line = first[earliest]
        if self.hashes.size:
            at = np.minimum(pos, self.hashes.size - 1)
            found = self.hashes[at] == sh
            seen_line = np.where(found, self.lines[at], seen_line)
        fresh = new & ~found
        if not fresh.all():
            first[rows] = seen_line
            dup[rows] = found | (rows != earliest)
        if self.lines.dtype == np.int32 and seen_line.size and seen_line.max() > LINE32:
            self.lines = self.lines.astype(np.int64)
        self._merge(pos[fresh], sh[fresh], seen_line[fresh])
        return dup, first

    def _merge(self, pos, hashes, lines):
        at = pos + np.arange(pos.size)
        old = np.ones(self.hashes.size + pos.size, dtype=bool)
        old[at] = False
        merged_h = np.empty(old.size, dtype=np.uint64)
        merged_h[at], merged_h[old] = hashes, self.hashes
        merged_l = np.empty(old.size, dtype=self.lines.dtype)
        merged_l[at], merged_l[old] = lines, self.lines
        self.hashes, self.lines = merged_h, merged_l


IDS = st.lists(st.one_of(st.sampled_from(["K1", "K2", "K10", "", "Kåå", "K1 ", "5000-K0000001-13",
                                          "A\ufffd", "\x00", "a" * 17]),
                         st.text(alphabet="ab\x00\ufffdå", max_size=9)), max_size=120)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(IDS, st.lists(st.integers(1, 30), min_size=1, max_size=12), st.booleans(), st.booleans(),
       st.sampled_from([2, LINE32 - 40]))
def test_seen_ids_as_before(ids, sizes, masked, large, start):
    """Same repeats and first lines, chunk by chunk, as the old class (many small chunks exercise the
    merging of runs; lines that pass 2³¹ - 1 mid-file the switch to 64-bit lines)."""
    old, new = OldSeenIds(), SeenIds()
    lines = np.arange(start, start + len(ids), dtype=np.int64)
    at, k = 0, 0
    while at < len(ids):
        n = sizes[k % len(sizes)]
        k += 1
        part = ids[at:at + n]
        arr = pa.array(part, type=pa.large_string() if large else pa.string())
        use = [v != "" for v in part] if masked else None
        want, got = old.check(arr, lines[at:at + n], use), new.check(arr, lines[at:at + n], use)
        assert got[0].tolist() == want[0].tolist()
        assert got[1].tolist() == want[1].tolist()
        at += n


def test_each_id_is_merged_a_few_times_not_once_per_chunk(monkeypatch):
    """64 chunks of 1 000 new ids: one sorted array merged every id seen at every chunk (2 080 000 ids
    moved in all, 1 000 + 2 000 + … + 64 000); the runs move each id at most about log2(64) + 1 = 7
    times (at most 448 000). Failed on the old code (no runs to merge: every chunk merged the whole
    array)."""
    moved = []
    merge = idhash._merge

    def counted(hashes, lines, pos, new, new_lines):
        moved.append(hashes.size + new.size)
        return merge(hashes, lines, pos, new, new_lines)

    monkeypatch.setattr(idhash, "_merge", counted)
    seen = SeenIds()
    for chunk in range(64):
        ids = pa.array([f"K{chunk:03d}-{i:04d}" for i in range(1000)])
        dup, _ = seen.check(ids, np.arange(chunk * 1000 + 2, chunk * 1000 + 1002))
        assert not dup.any()
    assert sum(moved) <= 7 * 64_000
    dup, first = seen.check(pa.array(["K000-0000", "K063-0999", "ny"]), np.array([70_000, 70_001, 70_002]))
    assert dup.tolist() == [True, True, False]
    assert first.tolist() == [2, 63 * 1000 + 1001, 70_002]  # lines written out by hand
