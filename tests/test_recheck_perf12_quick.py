"""The quick spans' table without building a place's monthly history twice (issue #10, perf12).

``analysis.quick.quick_table`` fitted each category's dispersion from the place's monthly history
(``place_dispersions``, which builds :class:`~lagesbild.core.period_pairs.Rows` and its counts and
months) and then, for the 12-month span, built the same ``Rows`` again for the year levels. It now
builds it once (``_rows``) and hands it to both. The functions before the change are kept here
(``old_dispersions``, ``old_year_levels``) and put back in place of the new ones; the tables of random
places, categories (one alone, none, unknown ones) and last days of the demo store are compared column
by column, dtypes and attrs included. The year levels are reached: the last days run over whole
12-month spans with earlier years before them.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.analysis import base
from lagesbild.analysis import quick as q
from lagesbild.analysis.cubeviews import store_cube
from lagesbild.core.period_pairs import Rows, place_dispersions
from lagesbild.core.year_level import with_year_levels


# the code before perf12, copied (a ``rows`` argument accepted and not used) ---------------------------
def old_dispersions(store, place_id, cats, rows=None) -> list:
    if not len(cats):
        return []
    cube = store_cube(store)
    cache = base.memo(store, ("dispersions",), dict)
    return place_dispersions(cube, cube.place_index([place_id])[0], cats, base.data_end(store), cache)


def old_year_levels(store, place_id, cats, disps: list, a, b, rows=None) -> list:
    if not len(cats) or min(a.n_days, b.n_days) < 365:
        return disps
    cube = store_cube(store)
    rows = Rows(cube, cube.place_index([place_id]), cats, None, base.data_end(store))
    series, covered = rows.monthly()
    first = cube.months.to_numpy()
    weights = np.zeros((len(first), 2))
    for col, span in enumerate((a, b)):
        weights[:, col] = (first >= np.datetime64(pd.Timestamp(span.start).replace(day=1))) & (
            first <= np.datetime64(pd.Timestamp(span.end)))
    codes = np.repeat(rows.source_codes(), len(cats), axis=0) if cube.sources is not None else None
    return with_year_levels(list(disps), series[0], covered[0], weights, 0, codes)


def old_table(*args):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(q, "_dispersions", old_dispersions)
        mp.setattr(q, "_year_levels", old_year_levels)
        mp.setattr(q, "_rows", lambda *a: None)
        return q.quick_table(*args)


@pytest.fixture(scope="module")
def demo(demo_store, demo_settings):
    from lagesbild.analysis.meeting import place_incident_months

    places = sorted(demo_store.places()["place_id"])
    cats = sorted(demo_store.categories()["category_id"])
    covered = {p: place_incident_months(demo_store, p)[0] for p in places}
    last = base.data_end(demo_store) or date(2026, 11, 30)
    return demo_store, demo_settings, places, cats, covered, last


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_quick_tables_same_as_before(demo, data):
    store, s, places, cats, covered, last = demo
    place = data.draw(st.sampled_from(places))
    asked = data.draw(st.one_of(st.none(), st.just([]), st.lists(st.sampled_from([*cats, "finns-inte"]),
                                                                     min_size=1, max_size=4)))
    end = last - timedelta(days=data.draw(st.sampled_from([0, 1, 17, 45, 200, 400])))
    new = q.quick_table(store, s.alpha, place, asked, end, covered[place])
    old = old_table(store, s.alpha, place, asked, end, covered[place])
    pd.testing.assert_frame_equal(new, old, check_exact=True)
    assert list(new.dtypes) == list(old.dtypes)
    assert new.attrs == old.attrs


def test_every_place_same_as_before_with_year_levels(demo):
    """Every place of the demo with its whole family of categories: the 12-month spans' year levels
    (``method`` and verdicts) included; at least one place has a table."""
    store, s, places, _, covered, last = demo
    tables = 0
    for place in places:
        new = q.quick_table(store, s.alpha, place, None, last, covered[place])
        old = old_table(store, s.alpha, place, None, last, covered[place])
        pd.testing.assert_frame_equal(new, old, check_exact=True)
        assert new.attrs == old.attrs
        tables += not new.empty
    assert tables > 0


def test_year_levels_same_as_before(places_store, settings, tmp_path):
    """Crimes at another level each year (tests/test_quick_year_level.py's file): the 12-month span is
    judged against the years' variation, so the year levels change its p-value here (checked: without
    them the table differs), and the new table is the old one."""
    from lagesbild.analysis.meeting import place_incident_months
    from lagesbild.ingest import ingest_file
    from tests.test_quick_year_level import _file

    store = places_store
    path = _file(store, tmp_path / "syd.csv")
    assert ingest_file(store, "incidents", path, crs=3006, extracted_at="2026-12-01").status == "ok"
    covered, end = place_incident_months(store, "varberg")
    for asked in (None, ["skadegorelse"], ["skadegorelse", "finns-inte"]):
        args = (store, settings.alpha, "varberg", asked, end, covered)
        new, old = q.quick_table(*args), old_table(*args)
        pd.testing.assert_frame_equal(new, old, check_exact=True)
        assert new.attrs == old.attrs
        with pytest.MonkeyPatch.context() as mp:  # the year levels are reached: without them, other p
            mp.setattr(q, "_year_levels", lambda store, pid, cats, disps, a, b, rows=None: disps)
            without = q.quick_table(*args)
        assert not np.array_equal(without["p_value"].to_numpy(), new["p_value"].to_numpy(), equal_nan=True)
