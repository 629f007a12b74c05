"""The action plan's markers on the map, kept while their frames live (issue #10, perf13).

Every map wrote the activities' markers and hover texts again (``activity_points``, 0.25 ms a map),
though they depend on the plan, its links and the area's outlines only: the same frames for every
category and period of an area until the data change. ``kept_activity_points`` keeps them per set of
frames (recognised by identity through weak references) and hands out a copy. The reference is
``activity_points`` itself on the same frames, which the test compares frame for frame.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from lagesbild.figures import mapactivities as ma


def _frames(n_places=3, with_followups=True):
    places = gpd.GeoDataFrame({"place_id": [f"p{i}" for i in range(n_places)],
                               "name": [f"Plats {i}" for i in range(n_places)]},
                              geometry=[box(660000 + 300 * i, 6570000, 660200 + 300 * i, 6570200)
                                        for i in range(n_places)], crs=3006)
    acts = pd.DataFrame({"activity_id": ["a", "b", "c"], "aktivitet": ["Vandring", "Trygghetsråd", "Belysning"],
                         "arbetsgrupp": ["AG1", "AG2", None], "sammankallande": ["SDF", "Polis", "Bostad"],
                         "motesfrekvens": ["varje vecka", "", "1 gång per månad"]})
    links = pd.DataFrame({"activity_id": ["a", "b", "c", "a"], "place_id": ["p0", "p0", "p1", "p2"]})
    fu = (pd.DataFrame({"activity_id": ["a", "a", "c"], "year": [2022, 2023, 2023], "period": ["VB", "T1", "T2"],
                        "goal_met": ["ja", "delvis", "nej"], "carried_out": ["Vandringar", "", "Lampor " * 30]})
          if with_followups else None)
    return acts, links, places, fu


@pytest.mark.parametrize("with_followups", [True, False])
def test_kept_points_are_activity_points(with_followups):
    frames = _frames(with_followups=with_followups)
    want = ma.activity_points(*frames)
    for _ in range(2):
        pd.testing.assert_frame_equal(ma.kept_activity_points(*frames), want)


def test_a_second_map_of_the_same_frames_does_not_write_them_again(monkeypatch):
    """Failed on the old code (there was no kept_activity_points; every map wrote them)."""
    ma._POINTS.clear()
    calls = []
    real = ma.activity_points
    monkeypatch.setattr(ma, "activity_points", lambda *a: (calls.append(1), real(*a))[1])
    frames = _frames()
    first = ma.kept_activity_points(*frames)
    first.loc[0, "hover"] = "ändrad"  # a caller altering its copy alters nobody else's
    second = ma.kept_activity_points(*frames)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(second, real(*frames))


def test_other_frames_with_the_same_content_or_a_new_plan_are_worked_out_again(monkeypatch):
    ma._POINTS.clear()
    calls = []
    real = ma.activity_points
    monkeypatch.setattr(ma, "activity_points", lambda *a: (calls.append(1), real(*a))[1])
    acts, links, places, fu = _frames()
    ma.kept_activity_points(acts, links, places, fu)
    renamed = acts.assign(aktivitet=["Ny vandring", "Trygghetsråd", "Belysning"])
    got = ma.kept_activity_points(renamed, links, places, fu)
    assert len(calls) == 2 and "Ny vandring" in got.loc[0, "hover"]
    ma.kept_activity_points(acts, links, places, None)  # the same plan without follow-ups
    assert len(calls) == 3


def test_nothing_to_draw_and_only_the_last_sets_kept():
    assert ma.kept_activity_points(None, None, None, None).empty
    ma._POINTS.clear()
    kept = [_frames() for _ in range(ma.POINTS_KEPT + 3)]
    for frames in kept:
        ma.kept_activity_points(*frames)
    assert len(ma._POINTS) == ma.POINTS_KEPT
