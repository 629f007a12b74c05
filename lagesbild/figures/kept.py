"""Results kept by the identity of the objects they were worked out from: one small bounded cache for
the figures' work that depends only on frames or geometries the layers below hand out again unchanged
(an area's outlines, its plan's markers, its cells' shapes, a CRS's EPSG code).

**What it keys on.** The ids (``id()``) of the objects, in order: a tuple of them, or a key the caller
builds from the ids of the objects it passes (the cells of a grid: the ids of every geometry as bytes).
Content is never compared: two equal frames are two entries, and the objects must not be changed once
a result is kept for them (the analysis layer's frames and shapely's geometries never are).

**Why a kept result is never stale.** An id is only unique among objects alive at the same time; once
an object dies, a new one may get its id. Each entry therefore either

* refers to its objects weakly (the default): a look-up returns the result only while every weak
  reference still gives back the very object asked about, so an entry of an object that died is never
  returned, even to a new object with the same id (it is overwritten when that object's result is
  kept); objects that cannot be referred to weakly are not kept at all; or
* holds its objects (``hold=True``, for objects without weak references or arrays of many): the ids in
  its key then cannot be reused while the entry lives, and the objects live no longer than their entry.

**Bounded.** At most ``size`` entries, the least recently used dropped first, so neither the results
nor the objects an entry holds pile up. A lock makes a look-up and a keep safe from the server's threads;
the work itself is done outside it (two threads may both work a result out; the later one is kept).

Examples
--------
>>> class Frame:  # any object that takes weak references, e.g. a DataFrame
...     pass
>>> kept, a = KeptByIdentity(2), Frame()
>>> kept.get((a,)) is MISSING
True
>>> kept.put((a,), "a's outlines")
True
>>> kept.get((a,)), kept.get((Frame(),)) is MISSING
("a's outlines", True)
>>> others = [Frame() for _ in range(3)]
>>> [kept.put((o,), "other") for o in others]
[True, True, True]
>>> len(kept), kept.get((a,)) is MISSING  # bounded: a was used least recently
(2, True)
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict

#: what :meth:`KeptByIdentity.get` returns when nothing is kept for the objects
MISSING = object()


class KeptByIdentity:
    """At most ``size`` results, each kept for a tuple of objects while they live (see the module
    docstring); ``hold=True`` holds the objects instead of referring to them weakly."""

    def __init__(self, size: int, *, hold: bool = False):
        self.size = size
        self.hold = hold
        self._entries: OrderedDict = OrderedDict()  # key -> (objects or their weak references, result)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def get(self, objects: tuple, key=None):
        """The result kept for ``objects`` (the same objects, not equal ones), else :data:`MISSING`.
        ``key`` as given to :meth:`put` (default: the objects' ids)."""
        key = tuple(map(id, objects)) if key is None else key
        with self._lock:
            hit = self._entries.get(key)
            if hit is None or not (self.hold or all(
                    (ref is None and obj is None) or (ref is not None and ref() is obj)
                    for ref, obj in zip(hit[0], objects, strict=True))):
                return MISSING
            self._entries.move_to_end(key)  # most recently used last
            return hit[1]

    def put(self, objects: tuple, result, key=None) -> bool:
        """Keep ``result`` for ``objects``; False (nothing kept) when one of them takes no weak
        reference. A ``key`` given must be made of the ids of objects that ``objects`` keep alive
        (with ``hold=True``: the ids of the geometries in the array held)."""
        key = tuple(map(id, objects)) if key is None else key
        if self.hold:
            held = tuple(objects)
        else:
            try:
                held = tuple(None if obj is None else weakref.ref(obj) for obj in objects)
            except TypeError:
                return False
        with self._lock:
            self._entries.pop(key, None)
            while len(self._entries) >= self.size:
                self._entries.popitem(last=False)  # the least recently used first
            self._entries[key] = (held, result)
        return True
