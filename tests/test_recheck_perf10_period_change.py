"""A Plats change without repeated work (issue #10, perf10), second part: the same answers as before.

* ``analysis.comparison._compared`` counts the sources of the place's months from the columns' arrays
  instead of a mask, ``.loc`` and ``nunique``: the old expression is kept here and compared on
  hypothesis-random frames (None and NaN sources, categorical places, string sources, no rows).
* ``core.shares.share_table`` keeps the place's and the rest's dispersions (the same for every choice
  of periods) in a dict the caller keeps per data version (``fits``): tables computed with it, one
  choice of periods after another, are compared with tables computed without (the code before) on
  random cubes (dense series that get quasi-Poisson fits, sparse cells with zeros and gaps, coverage
  rows naming places or categories, one category, the total, a category without rows).
* ``analysis.place._place_view`` keeps the trend table's dispersions (fitted from the whole monthly
  history) per data version: one place's periods and categories changed again and again on the demo
  store, every answer compared key by key with the old function's, which fits them each time.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_recheck_perf10_place_view import assert_same


# the sources of a place's months (analysis.comparison._compared) --------------------------------------
@settings(max_examples=200, deadline=None)
@given(st.data())
def test_sources_at_same_as_before(data):
    from lagesbild.analysis.comparison import _sources_at

    n = data.draw(st.integers(0, 12))
    place_ids = data.draw(st.lists(st.sampled_from(["a", "b", None]), min_size=n, max_size=n))
    sources = data.draw(st.lists(st.sampled_from(["polisen", "bra", None, math.nan]), min_size=n, max_size=n))
    frame = pd.DataFrame({"place_id": pd.Series(place_ids, dtype=object),
                          "source": pd.Series(sources, dtype=object)})
    if data.draw(st.booleans()):
        frame["place_id"] = frame["place_id"].astype("category")
    if data.draw(st.booleans()):
        frame["source"] = frame["source"].astype("string")
    place = data.draw(st.sampled_from(["a", "b", "c"]))
    old = frame.loc[frame["place_id"] == place, "source"].nunique()  # the expression at ee205f9
    assert _sources_at(frame, place) == old


# the shares' dispersions kept per data version (core.shares._all_dispersions) ------------------------
SHARE_MONTHS = pd.date_range("2019-01-01", "2021-12-01", freq="MS")
SHARE_PERIODS = [["2019", "2020", "2021"], ["2020-01–2020-06", "2021-01–2021-06"], ["2021-03"],
                 ["2019-02-10–2019-09-20", "2020-02-10–2021-12-31"], ["T1 2020", "T2 2020", "T3 2020", "T1 2021"]]


@st.composite
def share_data(draw):
    places, cats = ["a", "b", "c"], ["ran", "stold", "totalt"]
    dense = draw(st.booleans())  # every month of a and b (quasi-Poisson fits), or a few cells (gaps, zeros)
    if dense:
        rng = np.random.default_rng(draw(st.integers(0, 2 ** 16)))
        cells = [(p, c, m, int(rng.poisson(3 if p == "a" else 20))) for p in ("a", "b")
                 for c in draw(st.lists(st.sampled_from(cats), min_size=1, max_size=3, unique=True))
                 for m in SHARE_MONTHS]
    else:
        cells = [(p, c, SHARE_MONTHS[m], n) for p, c, m, n in draw(st.lists(
            st.tuples(st.sampled_from(places), st.sampled_from(cats), st.integers(0, len(SHARE_MONTHS) - 1),
                      st.integers(0, 30)), min_size=1, max_size=60, unique_by=lambda t: t[:3]))]
    monthly = pd.DataFrame(cells, columns=["place_id", "category", "month", "count"])
    cov = draw(st.lists(st.tuples(st.sampled_from([None, *places]), st.sampled_from([None, *cats]),
                                  st.integers(0, len(SHARE_MONTHS) - 1)), max_size=20))
    coverage = pd.DataFrame([(p, c, SHARE_MONTHS[m]) for p, c, m in cov], columns=["place_id", "category", "month"])
    return monthly, draw(st.sampled_from([None, coverage, coverage.drop(columns="category")]))


@settings(max_examples=60, deadline=None)
@given(share_data(), st.lists(st.sampled_from(SHARE_PERIODS), min_size=2, max_size=4),
       st.sampled_from([None, ["ran"], ["ran", "stold"], ["alla"], ["ran", "xx"]]),
       st.sampled_from([["b", None], ["c"], [None]]), st.sampled_from([None, date(2021, 9, 30)]))
def test_share_fits_kept_give_the_same_tables(data, choices, cats, parents, until):
    from lagesbild.core.cube import build_cube
    from lagesbild.core.shares import share_table

    monthly, coverage = data
    cube = build_cube(monthly, coverage)
    present = sorted(monthly["category"].unique())
    fits: dict = {}
    for periods in choices:  # one place, one choice of periods after another (a period change)
        kept = share_table(cube, periods, "a", parents, present=present, categories=cats, until=until,
                           cache={}, fits=fits)
        fresh = share_table(cube, periods, "a", parents, present=present, categories=cats, until=until,
                            cache={})  # nothing kept: as before
        assert_same(kept, fresh)
    assert len(fits) <= 1  # one place, one set of categories: fitted once



# the trend's dispersions kept per data version (analysis.place._place_view) ---------------------------
def test_period_changes_at_a_place_same_as_before(demo_store, demo_settings):
    """One place's periods changed again and again (and its categories): the trend table's
    dispersions, fitted from the whole monthly history, are kept from the first view; every answer is
    the one the code before gave (``_place_view_old``, which fits them each time)."""
    from lagesbild import analysis as an
    from lagesbild.analysis import place as pl
    from tests.test_recheck_perf10_place_view import _place_view_old

    store, s = demo_store, demo_settings
    years = [p.label for p in an.sep_aug_years(store)]
    cats = sorted(store.categories()["category_id"])
    choices = [years, years[-3:], years[:4], years[1:-1], years[-4:]]
    trends = 0
    for place in ("vallingby-centrum", "bredang", "stockholm"):
        for chosen in (None, cats[:2], cats[2:3], ["alla", *cats[:3]]):
            for pers in choices:
                new = pl._place_view(store, s, place, chosen, pers)
                assert_same(new, _place_view_old(store, s, place, chosen, pers))
                trends += "trends" in new
    assert trends >= 30
