"""figures/kept.py: the one cache of results kept by the identity of the objects they were worked out
from, which figures.maps (kept_outlines), figures.planmap (cell_shapes, epsg_of) and
figures.mapactivities (kept_activity_points) share instead of three hand-written ones.

The references are by hand: an object whose id is reused after it died is a different object, so no
result may come back for it; at most ``size`` entries are kept, the least recently used dropped first.
"""

from __future__ import annotations

import gc
import weakref

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from lagesbild.figures import mapactivities, maps, planmap
from lagesbild.figures.kept import MISSING, KeptByIdentity


class Frame:
    """A stand-in for a frame: takes weak references, compared by identity only."""


def _at_id(dead_id: int, new: Frame) -> tuple:
    """The key a new object would have if it got ``dead_id``: CPython often gives a freed block to the
    next object of its size, but not always (it depends on what other tests left in the allocator), so
    the collision is made exactly by giving the cache the dead object's id as the new object's key."""
    return (dead_id,) if id(new) != dead_id else (id(new),)


def test_a_reused_id_after_the_object_died_gives_nothing_kept():
    kept = KeptByIdentity(4)
    old = Frame()
    assert kept.put((old,), "the old frame's outlines")
    dead_id = id(old)
    del old
    gc.collect()
    new = Frame()
    key = _at_id(dead_id, new)  # the case the cache must not be fooled by: a new object at a dead id
    assert kept.get((new,), key=key) is MISSING
    assert kept.put((new,), "the new frame's outlines", key=key)
    assert kept.get((new,), key=key) == "the new frame's outlines"
    assert len(kept) == 1  # the dead frame's entry was overwritten, not added to


def test_a_reused_id_in_a_tuple_of_objects_gives_nothing_kept():
    kept = KeptByIdentity(4)
    plan, links = Frame(), Frame()
    kept.put((plan, links, None), "points")
    dead_id = id(links)
    del links
    gc.collect()
    new = Frame()
    key = (id(plan), _at_id(dead_id, new)[0], id(None))
    assert kept.get((plan, new, None), key=key) is MISSING
    other = Frame()
    assert kept.get((plan, new, other), key=(id(plan), key[1], id(other))) is MISSING


def test_held_objects_live_as_long_as_their_entry_so_their_ids_stay_theirs():
    kept = KeptByIdentity(2, hold=True)
    obj = Frame()
    alive = weakref.ref(obj)
    key = (id(obj),)
    kept.put((obj,), "shapes", key=key)
    del obj
    gc.collect()
    assert alive() is not None  # held by the entry: no other object can take its id
    assert kept.get((alive(),), key=key) == "shapes"
    kept.put((Frame(),), "a")  # two newer entries push it out (size 2)
    kept.put((Frame(),), "b")
    gc.collect()
    assert alive() is None  # dropped with its entry


def test_equal_but_other_objects_are_not_the_same():
    kept = KeptByIdentity(4)
    a = pd.DataFrame({"x": [1]})
    kept.put((a,), "a")
    assert kept.get((a.copy(),)) is MISSING
    assert kept.get((a,)) == "a"


def test_the_bound_holds_and_the_least_recently_used_goes_first():
    kept = KeptByIdentity(3)
    frames = [Frame() for _ in range(8)]
    for i, f in enumerate(frames[:3]):
        kept.put((f,), i)
    assert kept.get((frames[0],)) == 0  # used: now the most recent
    kept.put((frames[3],), 3)  # drops frames[1], the least recently used
    assert len(kept) == 3
    assert kept.get((frames[1],)) is MISSING
    assert [kept.get((f,)) for f in (frames[0], frames[2], frames[3])] == [0, 2, 3]
    for i, f in enumerate(frames[4:], start=4):
        kept.put((f,), i)
        assert len(kept) == 3
    assert [kept.get((f,)) for f in frames[5:]] == [5, 6, 7]


def test_an_object_without_weak_references_is_not_kept():
    kept = KeptByIdentity(3)
    assert kept.put(((1, 2),), "tuple") is False  # tuples take no weak reference
    assert len(kept) == 0


def test_the_three_map_caches_are_this_one():
    assert isinstance(maps._OUTLINES, KeptByIdentity) and maps._OUTLINES.size == maps.OUTLINES_KEPT
    assert isinstance(planmap._SHAPES, KeptByIdentity) and planmap._SHAPES.size == planmap.SHAPES_KEPT
    assert isinstance(mapactivities._POINTS, KeptByIdentity)
    assert mapactivities._POINTS.size == mapactivities.POINTS_KEPT


def _places(x0: float) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"place_id": ["p"], "name": ["Plats"], "kind": ["plats"]},
                            geometry=[box(x0, 6570000, x0 + 200, 6570200)], crs=3006)


def test_kept_outlines_are_worked_out_once_per_frame_and_again_for_an_equal_copy(monkeypatch):
    """Guard (the hand-written cache behaved so too): through the map's own cache."""
    maps._OUTLINES.clear()
    calls, real = [], maps.plan_outlines
    monkeypatch.setattr(maps, "plan_outlines", lambda p: (calls.append(1), real(p))[1])
    frame = _places(660000)
    first = maps.kept_outlines(frame)
    assert maps.kept_outlines(frame) is first and len(calls) == 1
    copy = frame.copy()
    assert maps.kept_outlines(copy) == first and len(calls) == 2  # equal, but another frame
    del frame, copy
    gc.collect()
    moved = _places(670000)
    assert maps.kept_outlines(moved) == real(moved) != first
