"""The shares, monthly series and quick spans read from arrays give the numbers of independent code:
the comparisons' own counts and coverage (core.compare, core.coverage), scipy's Fisher test, and
shapely's point-in-polygon per place."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.multitest import multipletests

from lagesbild.analysis import base, cubeviews, meeting
from lagesbild.analysis import place as ap
from lagesbild.analysis.asof import AsOf
from lagesbild.core.compare import ALL, counts_by_period, prepare_periods
from lagesbild.core.coverage import covered_by_category, covered_months
from lagesbild.core.cube import CITY, UNKNOWN, build_cube
from lagesbild.core.shares import share_of_parent
from tests.test_since_meeting import MEETING, two_deliveries  # noqa: F401  (a fixture)

PLACES, CATS = ["a", "b", "c"], ["ran", "stold", "totalt"]
MONTHS = pd.date_range("2020-01-01", "2021-12-01", freq="MS")


@st.composite
def frames(draw):
    cells = draw(st.lists(st.tuples(st.sampled_from(PLACES), st.sampled_from(CATS),
                                    st.integers(0, len(MONTHS) - 1), st.integers(0, 50)),
                          min_size=1, max_size=60, unique_by=lambda t: t[:3]))
    monthly = pd.DataFrame([(p, c, MONTHS[m], n) for p, c, m, n in cells],
                           columns=["place_id", "category", "month", "count"])
    cov = draw(st.lists(st.tuples(st.sampled_from([None, *PLACES]), st.sampled_from([None, *CATS]),
                                  st.integers(0, len(MONTHS) - 1)), max_size=40))
    coverage = pd.DataFrame([(p, c, MONTHS[m]) for p, c, m in cov], columns=["place_id", "category", "month"])
    kind = draw(st.sampled_from(["none", "place", "category"]))
    if kind == "none":
        return monthly, None
    return monthly, coverage.drop(columns="category") if kind == "place" else coverage


PERIODS = [["2020-01–2020-06", "2021-01–2021-06"], ["2020", "2021"], ["2020-02-10–2020-09-20", "2021-02-10–2021-12-31"],
           ["2021-03"], ["T1 2020", "T2 2020", "T3 2020", "T1 2021"]]


#: an asked category without rows (stold) whose months come from coverage naming no category: the
#: shares once cut after January, the comparison at its end (hypothesis found it)
ABSENT_COVERED = (pd.DataFrame({"place_id": ["a"], "category": ["ran"], "month": [MONTHS[13]], "count": [1]}),
                  pd.DataFrame({"place_id": [None, None], "category": [None, "ran"],
                                "month": [MONTHS[12], MONTHS[0]]}))


@settings(max_examples=40, deadline=None)
@given(frames(), st.sampled_from(PERIODS), st.sampled_from([None, ["ran"], ["ran", "stold"], [ALL], ["ran", "xx"]]),
       st.sampled_from([["b", None], ["c"], [None]]), st.booleans())
@example(ABSENT_COVERED, PERIODS[0], ["ran", "stold"], ["b", None], True)
def test_shares_count_like_counts_by_period_and_test_like_scipy(data, periods, cats, parents, lfl):
    monthly, coverage = data
    out = share_of_parent(monthly, periods, "a", parents, categories=cats, coverage=coverage, like_for_like=lfl)
    # each row cut like for like where its own categories end (a category alone, the total at the
    # end of every category it sums), as the comparison cuts
    def by_category(df):  # counts_by_period lists period by period, the shares category by category
        order = {c: i for i, c in enumerate(dict.fromkeys(df["category"]))}
        return df.sort_values(["category", "start"], key=lambda s: s.map(order) if s.name == "category" else s,
                              kind="stable").reset_index(drop=True)

    def counts(place_id):
        every = by_category(counts_by_period(monthly, periods, place_id=place_id, categories=cats,
                                             coverage=coverage))
        rows = []
        for c in dict.fromkeys(every["category"]):
            cut, _ = prepare_periods(monthly, periods, coverage, "a", lfl, minimum=1,
                                     categories=cats if c == ALL else [c])
            rows.append(by_category(counts_by_period(monthly, cut, place_id=place_id, categories=cats,
                                                     coverage=coverage)).query("category == @c"))
        return pd.concat(rows, ignore_index=True) if rows else every

    def known(df):  # no count where every whole month of the period lacks data (compare: None)
        whole = [sum(1 for m in pd.date_range(a.replace(day=1), b, freq="MS")
                     if m >= a and m + pd.offsets.MonthEnd(0) <= b)
                 for a, b in zip(df["start"], df["end"], strict=True)]
        return [float("nan") if 0 < w <= miss else float(n)
                for n, miss, w in zip(df["count"], df["months_missing"], whole, strict=True)]

    own = counts("a")
    for parent in parents:
        got = out[out["parent_id"].isna() if parent is None else out["parent_id"] == parent].reset_index(drop=True)
        ref = counts(parent)
        assert got["category"].tolist() == own["category"].tolist()
        np.testing.assert_array_equal(got["count_place"], known(own))
        np.testing.assert_array_equal(got["count_parent"], known(ref))
        assert got["months_missing"].tolist() == (own["months_missing"] + ref["months_missing"]).tolist()
        assert got["end"].tolist() == own["end"].tolist()
        for i in range(1, len(got)):
            r, q = got.iloc[i], got.iloc[i - 1]
            if r["category"] != q["category"] or r["months_missing"] or q["months_missing"] or \
                    r["count_place"] > r["count_parent"] or q["count_place"] > q["count_parent"]:
                continue
            table = [[q["count_place"], q["count_parent"] - q["count_place"]],
                     [r["count_place"], r["count_parent"] - r["count_place"]]]
            if np.isnan(r["dispersion"]):  # the place's months vary no more than chance: Fisher
                assert r["p_unadjusted"] == stats.fisher_exact(table).pvalue
            else:  # overdispersed: the Rao–Scott test (its reference: tests/test_compare.py)
                assert r["dispersion"] > 1 and 0 < r["p_unadjusted"] <= 1
    tested = out["p_unadjusted"].notna()
    if tested.any():  # the table's tests are one family: Benjamini–Hochberg (statsmodels)
        bh = multipletests(out.loc[tested, "p_unadjusted"], method="fdr_bh")[1]
        assert out.loc[tested, "p_value"].to_numpy() == pytest.approx(bh, rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(frames())
def test_cube_covers_the_months_the_coverage_rules_give(data):
    monthly, coverage = data
    cube = build_cube(monthly, coverage)
    months = cube.months
    cats = cube.category_index([*CATS, "xx"])
    for place in [*PLACES, None, "unknown"]:
        pos = cube.place_positions([place])[0]
        assert pos == {None: CITY, "unknown": UNKNOWN}.get(place, pos)
        ref = [m for m in covered_months(monthly, coverage, place) if m in months]
        assert list(months[cube.covered_of([pos])[0]]) == ref
        for i in range(len(cats)):  # without per-category rules every category has the place's months
            assert list(months[cube.with_rules(False).place_coverage(pos, cats)[i]]) == ref
        if pos >= 0:
            assert list(months[cube.covered[pos]]) == ref
        if coverage is not None and "category" in coverage:
            by_cat = covered_by_category(monthly, coverage, place, [*CATS, "xx"])
            got = cube.with_rules(True).place_coverage(pos, cats)
            for i, c in enumerate([*CATS, "xx"]):
                assert list(months[got[i]]) == list(by_cat[c])
                if pos >= 0:  # the comparisons' lookup of many places at once
                    many = cube.with_rules(True).covered_by_category([pos, pos], cats)
                    assert list(months[many[1, i]]) == list(by_cat[c])


def test_view_reads_the_numbers_of_the_frames_from_the_store_cube(demo_store):
    for pid in ["varberg", "hasselby-torg", "skarholmen", "stockholm"]:  # parents: district and city, city, none
        place = base.place(demo_store, pid)
        parents = base.parent_ids(demo_store, place)
        ids = [pid, *parents]
        monthly, coverage = demo_store.monthly_counts(place_ids=ids), base.coverage_for(demo_store, ids)
        pers, cats = base.sep_aug_years(demo_store)[-3:], ["inbrott", "skadegorelse", "xx"]
        pd.testing.assert_frame_equal(
            cubeviews.shares(demo_store, pid, pers, parents, categories=cats),
            share_of_parent(monthly, pers, pid, parents, categories=cats, coverage=coverage))
        pd.testing.assert_frame_equal(cubeviews.series(demo_store, pid, cats, pers[0].start, pers[-1].end),
                                      ap.months(monthly, coverage, pid, cats, pers[0].start, pers[-1].end))


def test_quick_spans_of_every_place_count_the_incidents_shapely_finds_inside(demo_store, demo_settings):
    places = demo_store.places_gdf().set_index("place_id")
    inc = demo_store.incidents()
    day = inc["occurred_at"].dt.normalize()
    for pid, geom in places.geometry.items():
        got = meeting.quick_comparison(demo_store, demo_settings, place=pid)
        if geom is None or geom.is_empty:
            assert got.empty
            continue
        inside = inc[shapely.contains_xy(geom, inc["x"].to_numpy(), inc["y"].to_numpy())]
        d = day[inside.index]
        for r in got.itertuples():
            of = (inside["category"] == r.category).to_numpy()
            a = (d >= pd.Timestamp(r.start_a)) & (d <= pd.Timestamp(r.end_a))
            b = (d >= pd.Timestamp(r.start_b)) & (d <= pd.Timestamp(r.end_b))
            assert (r.count_a, r.count_b) == (int((of & a).sum()), int((of & b).sum())), (pid, r.span)
        if len(got):  # the quasi-Poisson rows' p-values: tests/test_meeting.py (statsmodels)
            tested = got["p_value"].notna() & (got["method"] == "exakt Poisson")
            ref = [stats.binomtest(int(b), int(a + b), db / (da + db)).pvalue if a + b else 1.0
                   for a, b, da, db in got.loc[tested, ["count_a", "count_b", "days_a", "days_b"]].to_numpy()]
            assert np.array_equal(got.loc[tested, "p_value"].to_numpy(), np.maximum(ref, np.finfo(float).tiny))


def test_the_store_as_it_stood_on_a_meeting_day_reads_its_own_cube(two_deliveries):  # noqa: F811
    """An AsOf view (the store at the meeting) never reads today's cube: its shares and series are
    those of a store holding only what was delivered before the meeting."""
    store, _settings, ref = two_deliveries
    periods = ["2021–2022", "2022–2023"]
    now = cubeviews.shares(store, "hasselby-torg", periods, [None], whole_coverage=True)  # today's, kept
    then = cubeviews.shares(AsOf(store, MEETING), "hasselby-torg", periods, [None], whole_coverage=True)
    pd.testing.assert_frame_equal(then, cubeviews.shares(ref, "hasselby-torg", periods, [None],
                                                         whole_coverage=True))
    assert now["count_place"].tolist() != then["count_place"].tolist()
    cats = ["personran", "narkotikabrott"]
    pd.testing.assert_frame_equal(cubeviews.series(AsOf(store, MEETING), "hasselby-torg", cats, None, None),
                                  cubeviews.series(ref, "hasselby-torg", cats, None, None))


def test_no_share_of_all_categories_where_the_parent_lacks_one_of_them():
    """The place has stöld, its district has no stöld data: the share of "alla" would count the
    place's stöld against a district without it (16,7 % beside the verdict "data saknas"); it is
    missing, while rån, which both have, keeps its share (10 / 50)."""
    from lagesbild.core.shares import share_table

    months = pd.to_datetime(["2019-01-01", "2020-01-01"])
    monthly = pd.DataFrame({"place_id": ["torg"] * 4 + ["sdo"] * 2,
                            "category": ["ran", "ran", "stold", "stold", "ran", "ran"],
                            "month": list(months) * 3, "count": [10, 10, 5, 5, 50, 50]})
    coverage = pd.DataFrame({"source": "s", "place_id": ["torg"] * 4 + ["sdo"] * 2,
                             "category": ["ran", "ran", "stold", "stold", "ran", "ran"],
                             "month": list(months) * 3})
    out = share_table(build_cube(monthly, coverage), ["2019-01", "2020-01"], "torg", ["sdo"],
                      present=["ran", "stold"]).set_index(["category", "period"])
    ran = out.loc["ran"]
    assert ran["share"].tolist() == [0.2, 0.2]
    assert out.loc[ALL]["share"].isna().all()
    assert out.loc["stold"]["share"].isna().all()
    assert out.loc[ALL]["verdict"].iloc[-1] == out.loc["stold"]["verdict"].iloc[-1]


def test_a_place_without_a_month_of_data_has_no_count_not_zero():
    """A place whose data hold no month of the period (Brå's yearly counts only, no monthly rows)
    has no count there: its data file said "Antal på platsen 0" beside the district's 30, as if the
    place had had no crime. Its parent's count stays, and no share is drawn."""
    months = pd.to_datetime(["2020-01-01", "2020-02-01", "2021-01-01", "2021-02-01"])
    monthly = pd.DataFrame({"place_id": "district", "category": "ran", "month": months, "count": [10, 20, 5, 6]})
    coverage = pd.DataFrame({"place_id": "district", "month": months})  # the place's months are not covered
    out = share_of_parent(monthly, ["2020-01–2020-02", "2021-01–2021-02"], "place", ["district"],
                          coverage=coverage)
    assert out["count_parent"].tolist() == [30, 11]
    assert out["count_place"].isna().all() and out["share"].isna().all()
    assert out["months_missing"].tolist() == [2, 2]
