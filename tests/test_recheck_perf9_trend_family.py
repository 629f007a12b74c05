"""fcr_intervals reads its table's columns without deep copies of ``attrs['profiles']`` (issue #10, place
change) and gives the same table as before: the algorithm before the change is kept here
(``_fcr_intervals_old``) and compared on hypothesis-random trend tables (zeros, a gap, one category,
several places, rows filtered and reordered, a table without profiles, no discoveries and many).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.core import trend_family as tf
from lagesbild.core.exact_trend import trend_interval
from lagesbild.core.fdr import adjust_table, interval_level
from lagesbild.core.trend import CI_LEVEL, t_quantile


# The algorithm before the change ------------------------------------------------------------------
def _row_profiles_old(trends):
    stored = trends.attrs.get("profiles")
    if not isinstance(stored, dict) or not set(stored["by"]) <= set(trends.columns):
        return None
    by_key = stored["by_key"]
    keys = zip(*(trends[col].tolist() for col in stored["by"]), strict=True)
    return [by_key.get(tf._profile_key(k)) for k in keys]


def _fcr_intervals_old(trends, alpha):
    fam = trends.attrs.get("fdr") or {}
    level = interval_level(fam["m"], fam["discoveries"], alpha) if fam else CI_LEVEL
    if not len(trends):
        return trends.copy().assign(ci_level=pd.Series(dtype=float))
    dfs = tf._floats(trends["ci_df"]) if "ci_df" in trends else np.full(len(trends), np.inf)
    q95 = np.array([t_quantile(CI_LEVEL, d) for d in dfs])
    q = np.array([t_quantile(level, d) for d in dfs])
    rr, lo, hi = (tf._floats(trends[c]) for c in ("rate_ratio", "ci_low", "ci_high"))
    out = trends.copy()
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        b, se = np.log(rr), (np.log(hi) - np.log(lo)) / (2 * q95)
        low, high = np.exp(b - q * se), np.exp(b + q * se)
    profiles = _row_profiles_old(trends)
    if profiles is not None and level != CI_LEVEL:
        for i, profile in enumerate(profiles):
            if profile is not None:
                low[i], high[i] = trend_interval(profile, level)
    elif profiles is not None:
        low, high = lo.copy(), hi.copy()
    out["ci_low"], out["ci_high"] = low, high
    out["ci_level"] = level
    if {"note", "significant", "mk_p"} <= set(out.columns):
        out["note"] = tf._agreeing_mk_notes(out, alpha)
    return out


# Random trend tables -------------------------------------------------------------------------------
@st.composite
def trend_tables(draw):
    places = draw(st.sampled_from([["a"], ["a", "b"]]))
    cats = draw(st.lists(st.sampled_from(["rån", "stöld", "misshandel", "narkotikabrott"]), min_size=1,
                         max_size=4, unique=True))  # one category, or a family of several
    years = draw(st.integers(2, 7))
    rows = []
    for place in places:
        for cat in cats:
            level = draw(st.sampled_from([0, 1, 3, 20, 200]))
            slope = draw(st.sampled_from([0.0, 0.3, -0.3]))
            gap = draw(st.sampled_from([False, False, False, True])) and years >= 3  # a year with months missing: not tested
            for y in range(years):
                count = draw(st.integers(0, 3)) if level == 0 else int(level * np.exp(slope * y) + draw(st.integers(0, 5)))
                rows.append({"place_id": place, "category": cat, "start": pd.Timestamp(2015 + y, 9, 1),
                             "end": pd.Timestamp(2016 + y, 8, 31), "days": 365, "count": count,
                             "months_missing": int(gap and y == 1)})
    counts = pd.DataFrame(rows)
    table = tf.trend_table(counts, by=["place_id", "category"], alpha=0.05)
    if draw(st.sampled_from([True, True, True, False])):
        table = adjust_table(table, 0.05, verdicts=tf.trend_verdicts)  # one family: its level applies
    shuffle = draw(st.sampled_from(["none", "reverse", "filter", "no-profiles"]))
    if shuffle == "reverse":
        table = table.iloc[::-1]
    elif shuffle == "filter":
        table = table[table["category"] != cats[0]] if len(cats) > 1 else table.iloc[0:0]
    elif shuffle == "no-profiles":  # a table made elsewhere: its intervals taken as they are
        table = table.copy()
        del table.attrs["profiles"]
    return table


@settings(max_examples=120)
@given(trend_tables(), st.sampled_from([0.05, 0.1]))
def test_fcr_intervals_are_the_same_as_before(table, alpha):
    before = repr(table.attrs)
    new, old = tf.fcr_intervals(table, alpha), _fcr_intervals_old(table, alpha)
    pd.testing.assert_frame_equal(new, old)
    assert repr(new.attrs) == repr(old.attrs)
    assert repr(table.attrs) == before  # the input left as it was
