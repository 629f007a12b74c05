"""core.compare fits and tests the place's family (the categories not shown, for Benjamini–Hochberg)
in the same pass as the shown rows (recheck of issue #10 by perf7).

``compare`` built two tables of consecutive-period pairs per place change: one for the rows shown and
one more for the place's other categories, each reading the history, fitting the dispersions and the
year-level fits and testing its pairs on its own. Now rows with the same like-for-like cut are one
table (:func:`lagesbild.core.pair_table.compare_cube_family`). Every number of a row is computed from
that row alone, so the answer must be the old one to the last bit: the reference below is the old
algorithm, kept here as it was (two tables, then the family adjusted), run on random places with
zeros, months without data (for every category or for one), data ending early, one category or many,
long and short histories (quasi-Poisson, year-level and exact Poisson tests).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.core import compare as cc
from lagesbild.core.compare import compare
from lagesbild.core.cube import place_cube
from lagesbild.core.pair_table import compare_cube, family_p_values
from lagesbild.core.place_family import adjust_place_family

CATS = ["bedrageri", "narkotika", "rån", "skadegorelse", "stold", "vald", "hot", "klotter"]


def old_compare(monthly, periods, *, place_id, categories, coverage, alpha=0.05, population=None,
                like_for_like=True, data_end=None, fdr=True):
    """``core.compare.compare`` before perf7 (commit 284c66c): the shown rows' table, then the family's
    p-values in tables of their own."""
    summed, shown = cc._categories(monthly, categories)
    cube = place_cube(monthly, coverage, place_id, summed)
    ordered, _ = cc.prepare_periods(monthly, periods, coverage, place_id, False)
    asked = [cube.categories.isin(summed) if c == cc.ALL else cube.categories == c for c in shown]
    cuts = cc.row_cuts(cube, ordered, asked, data_end, like_for_like)
    covered = cube.covered[0] if len(cube.months) else np.zeros(0, bool)
    partial = cc.partial_note_of(cube.months[covered], data_end)
    parts = {}
    for cut, rows in cc.grouped(cuts).items():
        periods_r, note = cut
        parts[cut] = compare_cube(cube, [place_id], list(periods_r), [shown[r] for r in rows],
                                  summed=[cube.categories.isin(summed)], alpha=alpha, pos=[0],
                                  lfl_notes=[note], partial_notes=[partial], population_table=None,
                                  constants=[cc._population(population)], until=data_end, cache={})
    out = cc.in_row_order(parts, cuts, shown)
    notes = {c: note for c, (_, note) in zip(shown, cuts, strict=True) if note}
    if not fdr:
        out.attrs["like_for_like"] = notes
        return out
    own = cube.categories[cube.has_row[0].any(axis=1)] if len(cube.months) else []
    others = [c for c in own if c not in set(out["category"])]
    extra = []
    other_cuts = cc.row_cuts(cube, ordered, [cube.categories == c for c in others], data_end, like_for_like)
    for (periods_r, _), rows in cc.grouped(other_cuts).items():
        extra += family_p_values(cube, 0, list(periods_r), [others[r] for r in rows], data_end, {})
    table = adjust_place_family(out, extra, alpha)
    table.attrs["like_for_like"] = notes
    return table


def random_place(seed: int, n_cats: int, years: int, gaps: str, zeros: float):
    """A place's monthly counts and coverage: ``years`` Sep–Aug years from Sep 2013, ``n_cats``
    categories of mixed size and overdispersion, a share ``zeros`` of months set to 0, and months
    without data (``gaps``: none, a gap for every category, or one category's data ending early)."""
    rng = np.random.default_rng(seed)
    months = pd.date_range("2013-09-01", periods=12 * years, freq="MS")
    rows = []
    for c in CATS[:n_cats]:
        level = rng.choice([0.3, 2.0, 8.0, 40.0])
        lam = level * rng.gamma(3.0, 1 / 3.0, len(months))
        counts = rng.poisson(lam) * (rng.uniform(size=len(months)) >= zeros)
        rows += [(c, m, int(k)) for m, k in zip(months, counts, strict=True) if k > 0]
    monthly = pd.DataFrame(rows, columns=["category", "month", "count"]).assign(place_id="p")
    cov = [{"source": "s", "place_id": "p", "category": None, "month": m} for m in months]
    if gaps == "every" and len(months) > 30:
        start = int(rng.integers(0, len(months) - 6))
        cov = [r for i, r in enumerate(cov) if not start <= i < start + 5]
    coverage = pd.DataFrame(cov)
    if gaps == "one":  # the first category's data end seven months early; coverage names categories
        ends = {c: len(months) - (7 if c == CATS[0] else 0) for c in CATS[:n_cats]}
        coverage = pd.DataFrame([{"source": "s", "place_id": "p", "category": c, "month": m}
                                 for c in CATS[:n_cats] for m in months[:ends[c]]])
        monthly = monthly[(monthly["category"] != CATS[0]) | (monthly["month"] < months[ends[CATS[0]]])]
    return monthly[["place_id", "category", "month", "count"]].reset_index(drop=True), coverage, months


def assert_same(new, old):
    pd.testing.assert_frame_equal(new, old, check_exact=True)
    assert new.attrs == old.attrs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), n_cats=st.integers(1, 8), years=st.sampled_from([2, 3, 5, 10]),
       gaps=st.sampled_from(["none", "every", "one"]), zeros=st.sampled_from([0.0, 0.3, 0.9]),
       pick=st.sampled_from(["none", "one", "two", "alla", "all"]), n_periods=st.integers(2, 4),
       data_end=st.booleans(), fdr=st.booleans())
def test_compare_same_as_two_tables(seed, n_cats, years, gaps, zeros, pick, n_periods, data_end, fdr):
    monthly, coverage, months = random_place(seed, n_cats, years, gaps, zeros)
    present = sorted(monthly["category"].unique())
    if not present:
        return
    labels = [f"{y}–{y + 1}" for y in range(2013, 2013 + years)][-n_periods:]
    if len(labels) < 2:
        labels = ["2013-09", "2013-10"]
    categories = {"none": None, "one": present[:1], "two": present[-2:], "alla": "alla",
                  "all": list(present)}[pick]
    end = (months[-1] + pd.offsets.MonthEnd(0) - pd.Timedelta(days=40)).date() if data_end else None
    kw = dict(place_id="p", categories=categories, coverage=coverage, population=5000, data_end=end, fdr=fdr)
    assert_same(compare(monthly, labels, dispersion_cache={}, **kw), old_compare(monthly, labels, **kw))


def test_many_categories_long_history_year_level():
    """Eight categories over ten Sep–Aug years, the four largest shown (the Plats default): the
    family's four others were fitted in tables of their own; the quasi-Poisson and year-level tests
    and the adjusted p-values are the old ones bit for bit."""
    monthly, coverage, _ = random_place(20261207, 8, 10, "none", 0.0)
    labels = ["2019–2020", "2020–2021", "2021–2022", "2022–2023"]
    shown = monthly.groupby("category")["count"].sum().sort_values(ascending=False).index[:4].tolist()
    kw = dict(place_id="p", categories=shown, coverage=coverage, population=5000)
    new = compare(monthly, labels, **kw)
    assert_same(new, old_compare(monthly, labels, **kw))
    assert new.attrs["fdr"]["m"] == 8 * 3 + 3  # every category's three pairs, and the total's
    assert set(new["method"].dropna()) == {"kvasi-Poisson"}


def test_one_category_short_history():
    """One category, 22 months of complete data (fewer than 24): the exact Poisson test, the periods cut
    like for like, and no family beyond the row itself."""
    monthly, coverage, _ = random_place(5, 1, 2, "none", 0.3)
    kw = dict(place_id="p", categories=None, coverage=coverage, data_end=pd.Timestamp("2015-06-30").date())
    new = compare(monthly, ["2013–2014", "2014–2015"], **kw)
    assert_same(new, old_compare(monthly, ["2013–2014", "2014–2015"], **kw))
    assert new["method"].tolist() == ["exakt Poisson"]
    assert new["like_for_like"].tolist() == [True]
