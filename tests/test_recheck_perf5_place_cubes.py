"""perf5 (issue 10): Plats cuts a place's cube out of the store's cube (``core.cube.cut_place``,
``PlaceCubes``) instead of building it from the place's frames. Guards (they pass on the code before the
change too): the cut is the built cube array for array for every place of the demo, and every frame
of the place view is the same as the frames-built path gives, for many places × period choices
(Sep–Aug and calendar years, tertials, custom ranges, part years), after a switch of places and of
periods and after a re-ingest. The threads case failed on the code before (a cube cache cleared by
one thread between another's store and read raised ``KeyError``)."""

from __future__ import annotations

import sys
import threading

import numpy as np
import pandas as pd
import pytest

from lagesbild.analysis import base, cubeviews, memo
from lagesbild.analysis.place import place_view
from lagesbild.core import cube as cube_mod
from lagesbild.core import dispersion, year_level
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import load_settings
from tests.e2e_support import copy_sqlite

ARRAYS = ("counts", "has_row", "general", "by_category", "every_general", "every_by_category", "covered",
          "everywhere")
PERIODS = [None, ["2021–2022", "2022–2023"], ["2021", "2022"], ["T1 2022", "T1 2023"],
           ["2019-01-01–2019-11-30", "2018-01-01–2018-11-30"], ["2022-03-01–2022-06-15", "2023-03-01–2023-06-15"],
           ["2019–2020", "2020–2021", "2021–2022", "2022–2023"]]


def _same_cube(old, new) -> None:
    for name in ("places", "categories", "months"):
        a, b = getattr(old, name), getattr(new, name)
        assert a.equals(b) and a.dtype == b.dtype and type(a) is type(b), name
    for name in ARRAYS:
        a, b = getattr(old, name), getattr(new, name)
        assert a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b), name
    assert old.per_category == new.per_category
    assert (old.sources is None) == (new.sources is None)
    if old.sources is not None:
        assert np.array_equal(old.sources, new.sources)


def _same(a, b, where="") -> None:
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=where)
        _same(dict(a.attrs), dict(b.attrs), where + ".attrs")
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_exact=True, obj=where)
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for k in a:
            _same(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and np.isnan(a):
        assert isinstance(b, float) and np.isnan(b), where
    else:
        assert a == b, where


@pytest.fixture
def fresh(monkeypatch):
    """Every result computed again: the memo and the kept fits emptied."""
    def clear():
        monkeypatch.setattr(memo, "_MEMO", {})
        monkeypatch.setattr(dispersion, "_FITTED", {})
        monkeypatch.setattr(year_level, "_FITTED", {})
    return clear


def _view(store, settings, place, periods, fresh, monkeypatch, *, old: bool, categories=None):
    fresh()
    if old:  # the cube built from the place's frames, as before
        monkeypatch.setattr(cube_mod, "cut_place", lambda *a, **k: None)
    else:
        monkeypatch.setattr(cube_mod, "cut_place", _CUT)
    return place_view(store, settings, place, categories=categories, periods=periods)


_CUT = getattr(cube_mod, "cut_place", None)  # (the threads case also runs on the code before it)


def _places(store) -> list[str]:
    return sorted(store.places()["place_id"])


def test_cut_is_the_built_cube_for_every_place(demo_store):
    whole = cubeviews.store_cube(demo_store)
    cut = 0
    for place in _places(demo_store):
        ids = [place, *base.parent_ids(demo_store, base.place(demo_store, place))]
        monthly, coverage = base.complete_counts(demo_store, place_ids=ids), base.coverage_for(demo_store, ids)
        for cats in ([], ["personran"], ["narkotikabrott", "skadegorelse", "personran"]):
            new = cube_mod.cut_place(whole, monthly, coverage, place, cats)
            if new is None:  # only a place without any row or coverage row of its own is built
                assert place not in whole.places
                continue
            cut += 1
            _same_cube(cube_mod.place_cube(monthly, coverage, place, cats), new)
    assert cut == 3 * len(whole.places) > 30  # the cut path is the one taken


def test_cut_with_sources_is_the_built_cube():
    """A place whose months come from two sources, a category only the coverage names, a category
    asked for that the place has no row of: the cut holds what the built cube holds."""
    months = pd.date_range("2018-01-01", periods=40, freq="MS")
    monthly = pd.DataFrame({"place_id": ["a"] * 40 + ["b"] * 30, "category": ["rån"] * 40 + ["stöld"] * 30,
                            "month": list(months) + list(months[5:35]), "count": np.arange(70) % 7,
                            "source": ["fil"] * 20 + ["händelser"] * 20 + ["fil"] * 30})
    coverage = pd.DataFrame({"source": "fil", "place_id": [None, "a", None, "b"],
                             "category": [None, "bedrägeri", "våld", None],
                             "month": pd.to_datetime(["2017-06-01", "2021-09-01", "2019-02-01", "2022-01-01"])})
    whole = cube_mod.build_cube(monthly, coverage)
    for place in ("a", "b"):
        own = monthly[monthly["place_id"] == place]
        for frame in (monthly, own):
            for cats in ([], ["stöld"], ["rån", "våld"]):
                new = cube_mod.cut_place(whole, frame, coverage, place, cats)
                assert new is not None
                _same_cube(cube_mod.place_cube(frame, coverage, place, cats), new)
    assert cube_mod.cut_place(whole, monthly, coverage, "a", ["okänd"]) is None  # not in the store's cube
    assert cube_mod.cut_place(whole, monthly, coverage, "c", []) is None


@pytest.mark.parametrize("periods", PERIODS, ids=lambda p: "default" if p is None else "|".join(p))
def test_place_view_frames_as_the_built_cubes_give(demo_store, demo_settings, fresh, monkeypatch, periods):
    places = _places(demo_store)
    for place in places[::3]:
        for categories in (None, ["narkotikabrott", "skadegorelse", "personran"]):
            old = _view(demo_store, demo_settings, place, periods, fresh, monkeypatch, old=True,
                        categories=categories)
            new = _view(demo_store, demo_settings, place, periods, fresh, monkeypatch, old=False,
                        categories=categories)
            assert "counts" in new or "counts" not in old
            _same(old, new, f"{place} {periods}")


def test_one_process_switching_places_and_periods_gives_each_its_own(demo_store, demo_settings, fresh,
                                                                      monkeypatch):
    """The cubes are kept per data version and place: views asked one after another (the memo kept)
    give what each gives alone."""
    places = _places(demo_store)[:4]
    asks = [(p, q) for q in PERIODS[1:4] for p in places]
    alone = {}
    for p, q in asks:
        alone[p, tuple(q)] = _view(demo_store, demo_settings, p, q, fresh, monkeypatch, old=True)
    fresh()
    for p, q in asks + asks[::-1]:
        _same(alone[p, tuple(q)], place_view(demo_store, demo_settings, p, periods=q), f"{p} {q}")


def test_a_reingest_gives_the_new_counts(demo_store_path, tmp_path, fresh, monkeypatch):
    copy_sqlite(demo_store_path, tmp_path / "demo.sqlite")
    settings = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "demo.sqlite"))
    store = open_store(settings)
    place, periods = "hasselby-torg", ["2021–2022", "2022–2023"]
    before = _view(store, settings, place, periods, fresh, monkeypatch, old=False)
    fresh()
    place_view(store, settings, place, periods=periods)  # kept in the memo
    months = pd.date_range("2021-09-01", "2023-08-01", freq="MS")
    lines = ["Område;Brottstyp;Period;Antal"] + [f"Hässelby torg;Skadegörelse;{m:%Y-%m};{300 + i}"
                                                for i, m in enumerate(months)]
    (tmp_path / "c.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert ingest_file(store, "crimes", tmp_path / "c.csv", source="polisen-brott").status == "ok"
    after = place_view(store, settings, place, periods=periods)  # the memo kept, a new data version
    counts = after["counts"].set_index(["category", "period"])["count"]
    assert counts["skadegorelse", "2022–2023"] == sum(300 + i for i in range(12, 24))
    assert not before["counts"].equals(after["counts"])
    _same(_view(store, settings, place, periods, fresh, monkeypatch, old=True), after, "after the ingest")


def test_place_cube_caches_shared_by_threads(monkeypatch):
    monkeypatch.setattr(cube_mod, "CACHE_SIZE", 1)
    months = pd.date_range("2019-01-01", periods=24, freq="MS")
    monthly = pd.DataFrame({"place_id": np.repeat(["a", "b", "c"], 24), "category": "rån",
                            "month": list(months) * 3, "count": np.arange(72) % 5})
    coverage = pd.DataFrame({"source": "s", "place_id": [None], "category": [None], "month": months[:1]})
    caches = [{}, {}]
    errors = []

    def run(seed: int) -> None:
        try:
            for i in range(400):
                place = "abc"[(seed + i) % 3]
                got = cube_mod.place_cube(monthly, coverage, place, [], caches[i % 2])
                assert got.places.tolist() == [place]
        except Exception as err:  # any error of a thread is the finding
            errors.append(repr(err))

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=run, args=(s,)) for s in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    assert errors == []


@pytest.mark.parametrize("column", [[None, None], [np.nan, None], [None, "rån"], ["rån", None], [pd.NA, "rån"],
                                    [pd.NA, pd.NA], [], [np.nan, np.nan], [None, np.nan, "stöld"]])
def test_per_category_as_the_whole_column_says(column):
    """Whether a coverage row names a category, read from the first row when it names one: what
    pandas' ``isna().all()`` over the column says (a guard)."""
    frame = pd.DataFrame({"place_id": [None] * len(column), "category": pd.Series(column, dtype=object)})
    assert cube_mod._per_category(frame) == (not frame["category"].isna().all())
    floats = frame.assign(category=pd.to_numeric(frame["category"], errors="coerce"))
    assert cube_mod._per_category(floats) == (not floats["category"].isna().all())
    assert cube_mod._per_category(frame.drop(columns="category")) is False
    assert cube_mod._per_category(None) is False
