"""Patterns in incident data and quick comparison spans, against independent computations."""

from __future__ import annotations

import calendar
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import cdist, pdist

from lagesbild.core.patterns import month_of_year, repeat_locations, weekday_hour
from lagesbild.core.quickperiods import quick_spans


def _random_incidents(n, seed):
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2021-01-01")
    seconds = rng.integers(0, 3 * 365 * 86400, n)
    return pd.DataFrame({
        "occurred_at": start + pd.to_timedelta(seconds, unit="s"),
        "x": rng.uniform(0, 2000, n), "y": rng.uniform(0, 2000, n),
        "category": rng.choice(["skadegorelse", "personran"], n),
    })


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_weekday_hour_equals_a_crosstab_made_with_python_datetimes(seed):
    inc = _random_incidents(2_000, seed)
    wh = weekday_hour(inc)
    expected = {}
    for ts in inc["occurred_at"]:
        d = ts.to_pydatetime()
        key = (calendar.weekday(d.year, d.month, d.day), d.hour)
        expected[key] = expected.get(key, 0) + 1
    got = {(int(r.weekday), int(r.hour)): int(r.count) for r in wh.itertuples() if r.count}
    assert got == expected
    assert len(wh) == 168 and wh["count"].sum() == len(inc)
    assert wh.attrs["total"] == len(inc)


def test_midnight_stamps_are_counted_for_a_warning():
    inc = pd.DataFrame({"occurred_at": pd.to_datetime(["2024-01-01 00:00:00", "2024-01-02 00:00:01",
                                                       "2024-01-03 00:00:00"])})
    assert weekday_hour(inc).attrs["midnight"] == 2


def test_month_of_year_counts_and_covered_months():
    inc = _random_incidents(3_000, 7)
    m = month_of_year(inc)
    months = inc["occurred_at"].dt.month.value_counts()
    assert m.set_index("month")["count"].to_dict() == {k: int(months.get(k, 0)) for k in range(1, 13)}
    # Jan 2021 .. the last month: three whole years plus at most a month
    first, last = inc["occurred_at"].min(), inc["occurred_at"].max()
    n_months = (last.year - first.year) * 12 + last.month - first.month + 1
    assert m["months_covered"].sum() == n_months
    assert np.allclose(m["per_month"], m["count"] / m["months_covered"])


def test_month_of_year_with_given_coverage_leaves_uncovered_months_undefined():
    inc = pd.DataFrame({"occurred_at": pd.to_datetime(["2024-03-05"])})
    m = month_of_year(inc, covered_months=pd.to_datetime(["2024-03-01"]))
    assert m.loc[m.month == 3, "per_month"].iloc[0] == 1.0
    assert m.loc[m.month != 3, "per_month"].isna().all()


def _greedy_reference(xy, r):
    """The definition of a repeat location, written out incident by incident: take the incident with
    the most incidents (itself included) within ``r`` (scipy's cdist; ties: lowest x, then y, then
    row), give it all of them, repeat on the rest. Returns {centre row: [member rows]}."""
    d = cdist(xy, xy) if len(xy) else np.zeros((0, 0))
    left = set(range(len(xy)))
    out = {}
    while left:
        rows = sorted(left)
        best = min(rows, key=lambda i: (-sum(d[i, j] <= r for j in rows), xy[i, 0], xy[i, 1], i))
        members = [j for j in rows if d[best, j] <= r]
        out[best] = members
        left -= set(members)
    return out


def test_repeat_locations_are_by_distance_not_by_a_lattice():
    """1 m apart across a line of the old 10 m lattice is one location; 13.9 m apart inside one of its
    squares is none; four at one address and one 10 m from it (the limit) are one location of five."""
    inc = pd.DataFrame({"occurred_at": pd.to_datetime(["2023-02-01", "2023-02-02", "2023-02-03", "2023-02-04"]),
                        "x": [666809.5, 666810.5, 666820.1, 666829.9],
                        "y": [6575851.0, 6575851.0, 6575860.1, 6575869.9], "category": "skadegorelse"})
    assert np.hypot(9.8, 9.8) == pytest.approx(13.86, abs=0.01)
    rep = repeat_locations(inc)
    assert rep[["x", "y", "n", "radius"]].to_dict("records") == [
        {"x": 666809.5, "y": 6575851.0, "n": 2, "radius": 1.0}]
    assert rep.attrs["share"] == 0.5
    far = repeat_locations(inc.iloc[2:])
    assert far.empty and far.attrs["share"] == 0.0
    addr = pd.DataFrame({"occurred_at": pd.Timestamp("2024-01-01"), "x": [100.0] * 4 + [106.0, 120.0],
                         "y": [200.0] * 4 + [208.0, 200.0], "category": "rån"})
    assert repeat_locations(addr)[["x", "y", "n", "radius"]].to_dict("records") == [
        {"x": 100.0, "y": 200.0, "n": 5, "radius": 10.0}]


@given(st.lists(st.tuples(st.integers(0, 80), st.integers(0, 80), st.integers(1, 3)), max_size=40),
       st.sampled_from([(0.0, 0.0), (666803.25, 6575847.5), (-13.75, 4.5)]))
@settings(max_examples=300, deadline=None)
def test_repeat_locations_against_the_definition_written_out(points, offset):
    """Locations equal the definition computed pair by pair with scipy's cdist, whatever the origin:
    the same points moved by any offset give the same locations moved by it. The incidents left out
    lie more than 10 m apart (scipy's pdist)."""
    xy = np.array([(x / 2 + offset[0], y / 2 + offset[1]) for x, y, k in points for _ in range(k)],
                  dtype=float).reshape(-1, 2)
    inc = pd.DataFrame({"occurred_at": pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(len(xy)), unit="D"),
                        "x": xy[:, 0], "y": xy[:, 1]})
    ref = _greedy_reference(xy, 10.0)
    expected = {(xy[c, 0], xy[c, 1]): len(m) for c, m in ref.items() if len(m) >= 2}
    rep = repeat_locations(inc)
    assert dict(zip(zip(rep.x, rep.y, strict=True), rep.n, strict=True)) == expected
    alone = [m[0] for m in ref.values() if len(m) == 1]
    assert (pdist(xy[alone]) > 10.0).all()
    for c, m in ref.items():
        if len(m) >= 2:
            row = rep[(rep.x == xy[c, 0]) & (rep.y == xy[c, 1])].iloc[0]
            assert row.radius == pytest.approx(cdist(xy[[c]], xy[m]).max())
            assert (row["first"], row["last"]) == (inc.occurred_at[m].min(), inc.occurred_at[m].max())
    if len(xy):
        assert rep.attrs["share"] == pytest.approx(sum(expected.values()) / len(xy))


@given(st.lists(st.tuples(st.sampled_from([0.0, 4.0, 9.9, 10.0, 31.5, float("nan")]),
                          st.sampled_from([0.0, 10.0, 19.0]), st.sampled_from(["rån", "Stöld", "å", "10"]),
                          st.integers(0, 5000)), max_size=60),
       st.integers(1, 4))
@settings(max_examples=300, deadline=None)
def test_repeat_locations_first_last_and_categories_by_hand(rows, min_count):
    """Each location's count, first and last time and its categories (each once, sorted) from the
    definition written out; NaN coordinates are never a location."""
    inc = pd.DataFrame(rows, columns=["x", "y", "category", "hour"])
    inc["occurred_at"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(inc["hour"], unit="h")
    have = inc[inc["x"].notna()].reset_index(drop=True)
    xy = have[["x", "y"]].to_numpy(dtype=float)
    expected = {(xy[c, 0], xy[c, 1]): (len(m), have.occurred_at[m].min(), have.occurred_at[m].max(),
                                        ", ".join(sorted(set(have.category[m]))))
                for c, m in _greedy_reference(xy, 10.0).items() if len(m) >= min_count}
    rep = repeat_locations(inc, tolerance=10, min_count=min_count)
    got = {(r.x, r.y): (r.n, r.first, r.last, r.categories) for r in rep.itertuples()}
    assert got == expected
    assert rep["n"].tolist() == sorted(rep["n"], reverse=True)


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31)))
@settings(max_examples=200, deadline=None)
def test_quick_spans_are_like_for_like(day):
    for span in quick_spans(day):
        cur, prev = span.current, span.previous
        assert cur.end == day
        assert prev.end.month == day.month and prev.end.year == day.year - 1
        assert abs(cur.n_days - prev.n_days) <= 1  # only 29 February can differ
        assert prev.end < cur.start  # the two spans never overlap
    twenty_eight = quick_spans(day)[0]
    assert twenty_eight.current.n_days == 28
    ytd = quick_spans(day)[1]
    assert ytd.current.start == date(day.year, 1, 1) and ytd.previous.start == date(day.year - 1, 1, 1)


def test_weekday_hour_figure_holds_the_counts_and_warns_about_midnight_stamps():
    from lagesbild.figures.patterns import make_weekday_hour

    inc = _random_incidents(1_000, 5)
    inc.loc[:199, "occurred_at"] = inc.loc[:199, "occurred_at"].dt.normalize()  # 20 % without a time
    wh = weekday_hour(inc)
    fig = make_weekday_hour(wh, place="Vårberg")
    z = np.array(fig.data[0].z)
    assert z.shape == (7, 24) and z.sum() == len(inc)
    assert z[0, 0] == wh.loc[(wh.weekday == 0) & (wh.hour == 0), "count"].iloc[0]
    assert "20 % har tiden 00:00" in fig.layout.title.subtitle.text


def test_month_figure_shows_per_covered_month_and_empty_data_says_so():
    from lagesbild.figures.finishing import is_empty
    from lagesbild.figures.patterns import make_month_of_year

    inc = pd.DataFrame({"occurred_at": pd.to_datetime(["2023-01-10", "2024-01-03", "2024-02-01"])})
    fig = make_month_of_year(month_of_year(inc))
    assert list(fig.data[0].y[:2]) == [1.0, 0.5]
    assert is_empty(make_month_of_year(month_of_year(inc.iloc[:0])))
