"""A Plats change without repeated work (issue #10, perf10): the same answers as before.

* ``core.period_pairs.overlapping`` compares each pair's first and last whole month (array operations)
  instead of the sets of both periods' whole months behind a cache keyed by the periods: checked
  against the old algorithm (kept here) and a month-by-month count by hand on hypothesis-random
  periods (partial months, one day, equal periods, gaps, one period).
* ``core.trend_family.trend_verdicts`` reads its columns from a view without ``attrs`` (pandas
  deep-copies ``attrs['profiles']`` on every column read): the old function is kept here and compared
  on random tables with and without profiles.
* ``analysis.place._place_view`` builds the ``origin`` column with ``np.where`` instead of
  ``Series.map`` and reads the trend table's categories without its ``attrs``: the old function is
  kept here (``_place_view_old``) and every key of its answer (frames with dtypes and ``attrs``,
  notes, verdicts) is compared on the demo store for random places, categories and periods.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.analysis import place as pl
from lagesbild.core import trend_family as tf
from lagesbild.core.period_pairs import overlapping, period_months
from lagesbild.core.periods import Period


# The algorithms before the change -------------------------------------------------------------------
def old_overlapping(periods) -> np.ndarray:
    """``overlapping`` at ee205f9 (an lru_cache over the tuple of periods around this)."""
    pm = period_months(pd.DatetimeIndex([]), periods)
    whole = [set(p.whole_months) for p in periods]
    return np.array([bool(whole[k] & whole[k + 1]) and pm.n_months[k] > 0 and pm.n_months[k + 1] > 0
                     for k in range(len(periods) - 1)], bool)


def old_trend_verdicts(table, significant):
    """``trend_verdicts`` at ee205f9."""
    olds = table["verdict"].tolist() if "verdict" in table else [None] * len(table)
    if "rate_ratio" not in table:
        return olds
    ratios = pd.to_numeric(table["rate_ratio"], errors="coerce").to_numpy(dtype=float)
    return [tf._verdict(r, bool(s), old) for r, s, old in zip(ratios, significant, olds, strict=True)]


def _place_view_old(store, settings, place_id, categories, periods) -> dict:
    """``analysis.place._place_view`` at ee205f9 (the helpers it calls are the module's)."""
    place, cats, pers, problems = pl.resolve_view(store, place_id, categories, periods)
    out = {"place": place, "categories": cats, "periods": pers, "problems": problems,
           "facts": pl.base.facts(store), "category_names": pl.base.category_names(store)}
    if place is None:
        return out
    from lagesbild.analysis.base import places_crime_source  # the place's source line, added after ee205f9

    out["crime_source"] = places_crime_source(store, [place["place_id"]])
    if pers and cats and periods:
        from lagesbild.analysis.missing_periods import periods_without_data

        out["no_data"] = periods_without_data(store, [place], pers)
    if not pers or not cats or out.get("no_data"):
        acts, fu = pl.place_activities(store, place_id)
        out.update(survey=pl.place_survey_table(store, settings, place_id), activities=acts, followups=fu,
                   district_name=pl.base.place_name(store, place.get("district_id")))
        return out
    parents = pl.base.parent_ids(store, place)
    out.update(district_name=pl.base.place_name(store, place.get("district_id")),
               parent_names={p: pl.base.place_name(store, p) for p in parents},
               colour_order=pl.category_order(store, place_id))
    ids = [place_id, *parents]
    monthly, coverage = pl.place_frames(store, ids)
    opts = pl.base.compare_options(store, settings)
    cubes = pl.base.memo(store, ("place-cubes",), lambda: pl.PlaceCubes(pl.store_cube(store)))
    counts = pl.counts_by_period(monthly, pers, place_id=place_id, categories=cats, coverage=coverage,
                                 data_end=opts["data_end"], cube_cache=cubes)
    end = pl.months_end(store, place_id, pers, coverage)
    filled = pl.with_whole_counts(store, counts, place_id)
    out.update(counts=filled, series=pl.series(store, place_id, cats, pers[0].start, end),
               source_changes=pl.source_switches(monthly, place_id, cats, pers[0].start, end),
               data_until=pl.place_data_until(store, place_id))
    if len(pers) >= 2:
        out["comparison"] = pl.compare_place(store, monthly, pers, place_id=place_id, categories=cats,
                                             coverage=coverage, alpha=settings.alpha,
                                             population=pl.base.population(place), cube_cache=cubes, **opts)
        out["rate_intervals"] = pl.comparison_intervals(out["comparison"], place_id)
    whole = filled.assign(origin=(counts["months_missing"] > 0).map({True: "whole", False: "monthly"}))
    sources = pl.period_origins(monthly, place_id, whole)
    whole["origin"] = [o if o and w == "monthly" else w for o, w in zip(sources, whole["origin"], strict=True)]
    whole = whole[whole["months_missing"] == 0]
    if whole["period"].nunique() >= pl.MIN_PERIODS:
        spread = pl.dispersions(monthly, coverage, place_id, whole, opts,
                                cache=pl.base.memo(store, ("dispersions",), dict), cube_cache=cubes)
        for key, d in pl.whole_dispersions(store, place_id, counts, filled).items():
            if d.quasi or not getattr(spread.get(key), "quasi", False):
                spread[key] = d
        trends = pl.trend_table(whole, by=["category"], alpha=settings.alpha, dispersions=spread)
        out["trends"] = pl.fcr_intervals(pl.adjust_table(trends, settings.alpha, verdicts=old_trend_verdicts),
                                         settings.alpha)
        out["trends"] = out["trends"].assign(
            min_count=out["trends"]["category"].map(whole.groupby("category")["count"].min()))
    if parents:
        out["shares"] = pl.shares(store, place_id, pers, parents, categories=cats, alpha=settings.alpha)
    out["survey"] = pl.place_survey_table(store, settings, place_id)
    acts, fu = pl.place_activities(store, place_id)
    out.update(activities=acts, followups=fu)
    if len(acts):
        links = store.activity_places()
        out["effects"] = pl.activity_effects(
            monthly, acts, links[links["place_id"] == place_id], store.places(),
            months=settings.effect_months, category=cats, coverage=pl.base.complete_coverage(store),
            alpha=settings.alpha, data_end=opts["data_end"], context=(store.activities(), links),
            whole_counts=pl.base.whole_rows(store))
    return out


# Comparing answers exactly -----------------------------------------------------------------------------
def assert_same(a, b, where="answer"):
    """``a`` and ``b`` equal to the last bit: frames with their dtypes, index and attrs, arrays with
    their dtypes, NaN equal to NaN."""
    assert type(a) is type(b), (where, type(a), type(b))
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=where)
        assert_same(a.attrs, b.attrs, f"{where}.attrs")
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_exact=True, obj=where)
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape, where
        np.testing.assert_array_equal(a, b, err_msg=where)
    elif isinstance(a, dict):
        assert list(a) == list(b), (where, list(a), list(b))
        for k in a:
            assert_same(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and math.isnan(a):
        assert math.isnan(b), where
    elif hasattr(a, "__dataclass_fields__"):
        for f in a.__dataclass_fields__:
            assert_same(getattr(a, f), getattr(b, f), f"{where}.{f}")
    else:
        assert a == b, (where, a, b)


# overlapping -------------------------------------------------------------------------------------------
DAYS = st.dates(min_value=date(2019, 1, 1), max_value=date(2023, 12, 31))


@st.composite
def period_lists(draw):
    out = []
    for i in range(draw(st.integers(0, 6))):
        start = draw(DAYS)
        kind = draw(st.sampled_from(["day", "month", "span", "same"]))
        if kind == "same" and out:
            out.append(out[-1])
            continue
        if kind == "month":  # a whole calendar month
            start = start.replace(day=1)
            end = (pd.Timestamp(start) + pd.offsets.MonthEnd(0)).date()
        else:
            end = start + timedelta(days=0 if kind == "day" else draw(st.integers(0, 800)))
        out.append(Period(f"p{i}", start, end))
    return out


def by_hand(a, b) -> bool:
    """A calendar month lying wholly inside both periods, found by walking the months."""
    month = date(max(a.start, b.start).year, max(a.start, b.start).month, 1)
    while month <= min(a.end, b.end):
        last = (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()
        if all(p.start <= month and last <= p.end for p in (a, b)):
            return True
        month = last + timedelta(days=1)
    return False


@settings(max_examples=300, deadline=None)
@given(period_lists())
def test_overlapping_same_as_before_and_by_hand(periods):
    new = overlapping(periods)
    assert new.dtype == np.bool_ and new.shape == (max(len(periods) - 1, 0),)
    assert new.tolist() == old_overlapping(periods).tolist()
    assert new.tolist() == [by_hand(a, b) for a, b in zip(periods[:-1], periods[1:], strict=False)]


def test_overlapping_examples_by_hand():
    # 2020 and Jun 2020–May 2021 share Jun–Dec 2020; a month cut on the 2nd has no whole month
    p = [Period("2020", date(2020, 1, 1), date(2020, 12, 31)),
         Period("x", date(2020, 6, 1), date(2021, 5, 31)),
         Period("y", date(2021, 5, 2), date(2021, 6, 29)),
         Period("z", date(2021, 5, 2), date(2021, 6, 29))]
    assert overlapping(p).tolist() == [True, False, False]
    assert overlapping(p[:1]).tolist() == [] and overlapping([]).tolist() == []


# trend_verdicts ------------------------------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(st.data())
def test_trend_verdicts_same_as_before(data):
    n = data.draw(st.integers(0, 6))
    ratio = st.one_of(st.floats(0, 3, allow_nan=False), st.just(1.0), st.just(math.nan), st.just(0.0))
    cols = {}
    if data.draw(st.booleans()):
        cols["rate_ratio"] = data.draw(st.lists(ratio, min_size=n, max_size=n))
        if n and data.draw(st.booleans()):  # a column of objects (None for a missing ratio)
            cols["rate_ratio"] = pd.Series(cols["rate_ratio"], dtype=object).where(
                ~pd.isna(cols["rate_ratio"]), None)
    if data.draw(st.booleans()):
        cols["verdict"] = data.draw(st.lists(st.sampled_from(
            ["x", "ingen säkerställd trend" + tf.EXACT_SUFFIX, "", None]), min_size=n, max_size=n))
    cols["category"] = [f"c{i}" for i in range(n)]
    table = pd.DataFrame(cols)
    if data.draw(st.booleans()):
        table.attrs["profiles"] = {"by": ("category",), "by_key": {(f"c{i}",): np.arange(5.0) for i in range(n)}}
    sig = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    assert tf.trend_verdicts(table, sig) == old_trend_verdicts(table, sig)


# the place view ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(demo_store, demo_settings):
    from lagesbild import analysis as an

    places = sorted(demo_store.places()["place_id"])
    years = [p.label for p in an.sep_aug_years(demo_store)]
    cats = sorted(demo_store.categories()["category_id"])
    return demo_store, demo_settings, places, years, cats


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_place_view_same_as_before(demo, data):
    store, s, places, years, cats = demo
    place = data.draw(st.sampled_from(places))
    chosen = data.draw(st.one_of(st.none(), st.lists(st.sampled_from(cats), min_size=1, max_size=4,
                                                     unique=True)))
    k = data.draw(st.integers(1, len(years)))
    at = data.draw(st.integers(0, len(years) - k))
    pers = data.draw(st.one_of(st.none(), st.just(years[at:at + k])))
    new = pl._place_view(store, s, place, chosen, pers)
    old = _place_view_old(store, s, place, chosen, pers)
    assert_same(new, old)


def test_place_view_with_trends_same_as_before(demo):
    """Places with a trend table (three whole years or more) and the whole set of years: the rows the
    two changed lines build, compared for every place of the demo."""
    store, s, places, years, _ = demo
    seen = 0
    for place in places:
        new = pl._place_view(store, s, place, None, years)
        assert_same(new, _place_view_old(store, s, place, None, years))
        seen += "trends" in new
    assert seen >= 3


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """A store with Brå's yearly counts beside Boden's monthly counts (as tests/test_mixed_yearly_monthly.py):
    periods filled from whole-period counts, the ``origin`` column's other value."""
    from lagesbild.cli import main
    from lagesbild.ingest import open_store
    from lagesbild.settings import load_settings
    from tests.test_yearly_views import YEARLY

    folder = tmp_path_factory.mktemp("mixed")
    db = folder / "store.sqlite"
    for path in (YEARLY, YEARLY.parent / "bra_boden_manad.csv"):
        assert main(["--db", str(db), "ingest", "crimes", str(path)]) == 0
    cfg = load_settings({}, data_dir=str(folder), db=str(db))
    return cfg, open_store(cfg)


def test_place_view_with_whole_period_counts_same_as_before(mixed):
    from lagesbild.analysis.overview import period_choices

    cfg, store = mixed
    choices = period_choices(store)
    calendar = [p.label for p in choices if "–" not in p.label]
    sep_aug = [p.label for p in choices if "–" in p.label]
    from lagesbild.analysis.comparison import place_rows

    filled = 0
    for place in sorted(store.places()["place_id"]):
        for pers in (calendar, sep_aug, sep_aug[-2:], calendar[-1:], None):
            new = pl._place_view(store, cfg, place, None, pers)
            assert_same(new, _place_view_old(store, cfg, place, None, pers))
            filled += "counts" in new and not place_rows(store, place).empty
    assert filled  # views whose periods with_whole_counts fills from whole-period counts

