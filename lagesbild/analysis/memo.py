"""The analysis layer's per-data-version memo: a result built once per store, data version and key.

Re-exported by :mod:`lagesbild.analysis.base` (``base.memo``), where every question finds it.
"""

from __future__ import annotations

import threading

MEMO_SIZE = 64  # results kept per process (a page's results for one set of controls each)
_MEMO: dict = {}
_MEMO_LOCK = threading.Lock()


def memo(store, key: tuple, build):
    """``build()`` once per store, data version and ``key``; later calls return the same result.

    Every ingest bumps the store's version, so a result never outlives the data it was computed
    from. Beyond :data:`MEMO_SIZE` entries the least recently used is dropped: what every request
    reads (the cubes, the fits, the places) stays while one view's results after another come and go.
    Callers must not modify results.
    """
    full = (store.url, store.version(), *key)
    with _MEMO_LOCK:
        if full in _MEMO:
            value = _MEMO[full] = _MEMO.pop(full)  # most recently used last
            return value
    value = build()  # outside the lock: a build may ask the memo for what it needs
    with _MEMO_LOCK:
        while len(_MEMO) >= MEMO_SIZE:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[full] = value
    return value


def one_version(store):
    """A block in which every read and memo lookup uses one data version, read once
    (:meth:`lagesbild.store.Store.pinned_version`): the dashboard wraps each request in it."""
    return store.pinned_version()
