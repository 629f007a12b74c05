"""perf14 (issue 10): :func:`lagesbild.analysis.missing_periods.periods_without_data` picks the
place's covered months out of the coverage rows with numpy (``isna``/``==``, ``np.unique`` and the
month's last day by month arithmetic) instead of pandas' ``isin``, ``loc``, ``unique`` and
``MonthEnd`` offset, which were 0.4 ms of every place change.

Reference: the function as it was (commit 46f626a, copied here as ``_before``) on hypothesis-random
coverage (rows of every place and of other places, months in the periods or outside, times of day,
dates as strings) and whole-period rows; the message (or None) must be the same. Month ends are also
checked against pandas' ``MonthEnd(0)``, independent of the code. These are guards (they pass on
the old code, which is the reference), except ``test_no_pandas_selection`` (failed on it).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.analysis import base
from lagesbild.analysis import missing_periods as mp
from lagesbild.core.periods import Period
from lagesbild.sources.months import MONTH_ABBR


def _before(store, places, periods):
    """``periods_without_data`` of commit 46f626a, unchanged."""
    ids = [r["place_id"] for r in places]
    cov = base.coverage_for(store, ids)
    months = pd.DatetimeIndex(pd.to_datetime(pd.unique(
        cov.loc[cov["place_id"].isna() | cov["place_id"].isin(ids), "month"])))
    starts, ends = months.to_numpy("datetime64[ns]"), (months + pd.offsets.MonthEnd(0)).to_numpy("datetime64[ns]")
    whole = base.whole_rows(store)
    if len(whole):
        whole = whole[whole["place_id"].isin(ids)]
        starts = np.concatenate([starts, pd.to_datetime(whole["period_start"]).to_numpy("datetime64[ns]")])
        ends = np.concatenate([ends, pd.to_datetime(whole["period_end"]).to_numpy("datetime64[ns]")])
    if not len(starts) or any(((starts <= np.datetime64(pd.Timestamp(p.end)))
                               & (ends >= np.datetime64(pd.Timestamp(p.start)))).any() for p in periods):
        return None
    starts, ends = [pd.Timestamp(starts.min())], [pd.Timestamp(ends.max())]
    def day(d):
        return f"{d.day} {MONTH_ABBR[d.month - 1]} {d.year}"
    said, who = (" och ".join([", ".join(x[:-1]), x[-1]] if len(x) > 1 else x) for x in (
        [f"{day(p.start)}–{day(p.end)}" if p.label.count("-") == 4 else p.label
         for p in periods], [r["name"] for r in places]))
    span = "–".join(f"{MONTH_ABBR[d.month - 1]} {d.year}" for d in (min(starts), max(ends)))
    return f"Inga data för {said} för {who}: brottsdata finns {span}."


PLACES = ["a", "b", "c"]
PERIODS = [Period("2019–2020", "2019-09-01", "2020-08-31", "sep_aug"),
           Period("2021–2022", "2021-09-01", "2022-08-31", "sep_aug"),
           Period("T2 2023", "2023-05-01", "2023-08-31", "tertial"),
           Period("2020-02-10–2020-03-05", "2020-02-10", "2020-03-05", "range")]


@st.composite
def _case(draw):
    n = draw(st.integers(0, 40))
    first = np.datetime64("2017-01", "M")
    months = [first + draw(st.integers(0, 90)) for _ in range(n)]
    stamps = [np.datetime64(m, "D").astype("datetime64[ns]") + np.timedelta64(draw(st.sampled_from([0, 0, 0, 6])), "h")
              for m in months]
    owners = [draw(st.sampled_from([None, np.nan, "a", "b", "c"])) for _ in range(n)]
    cov = pd.DataFrame({"source": "bra", "place_id": pd.Series(owners, dtype=object),
                        "month": pd.Series(stamps, dtype="datetime64[ns]"), "category": "rån"})
    if draw(st.booleans()):  # months as a store without a datetime column could give them
        cov["month"] = cov["month"].dt.strftime("%Y-%m-%d").astype(object)
    k = draw(st.integers(0, 3))
    years = [draw(st.integers(2015, 2024)) for _ in range(k)]
    whole = pd.DataFrame({"place_id": [draw(st.sampled_from(PLACES)) for _ in range(k)],
                          "period_start": pd.to_datetime([f"{y}-01-01" for y in years]),
                          "period_end": pd.to_datetime([f"{y}-12-31" for y in years])})
    ids = draw(st.lists(st.sampled_from(PLACES), min_size=1, max_size=3, unique=True))
    periods = draw(st.lists(st.sampled_from(PERIODS), min_size=1, max_size=3, unique_by=lambda p: p.label))
    return cov, whole, ids, periods


@settings(max_examples=300, deadline=None)
@given(_case())
def test_same_message_as_before(case):
    cov, whole, ids, periods = case
    kept = base.coverage_for, base.whole_rows
    try:
        base.coverage_for = lambda store, place_ids: cov
        base.whole_rows = lambda store: whole
        places = [{"place_id": i, "name": i.upper()} for i in ids]
        assert mp.periods_without_data(None, places, periods) == _before(None, places, periods)
    finally:
        base.coverage_for, base.whole_rows = kept


def test_month_ends_as_pandas():
    stamps = pd.DatetimeIndex(pd.date_range("1999-11-01", "2031-03-01", freq="MS").tolist()
                              + [pd.Timestamp("2024-02-29 13:30"), pd.Timestamp("2023-12-31 23:59:59.5")])
    ends = mp._month_ends(stamps.to_numpy("datetime64[ns]"))
    assert (ends == (stamps + pd.offsets.MonthEnd(0)).to_numpy("datetime64[ns]")).all()


def test_no_data_message_on_a_store(monkeypatch):
    cov = pd.DataFrame({"source": "bra", "place_id": ["a", None, "b"],
                        "month": pd.to_datetime(["2021-09-01", "2022-08-01", "2019-09-01"]), "category": "rån"})
    monkeypatch.setattr(base, "coverage_for", lambda store, ids: cov)
    monkeypatch.setattr(base, "whole_rows", lambda store: pd.DataFrame())
    said = mp.periods_without_data(None, [{"place_id": "a", "name": "Ankan"}], [PERIODS[0], PERIODS[2]])
    # a hand reading: a's months (its own sep 2021, every place's aug 2022) miss both periods
    assert said == "Inga data för 2019–2020 och T2 2023 för Ankan: brottsdata finns sep 2021–aug 2022."
    assert mp.periods_without_data(None, [{"place_id": "a", "name": "Ankan"}], [PERIODS[1]]) is None
    assert date(2022, 8, 31) == PERIODS[1].end


def test_no_pandas_selection(monkeypatch):
    # the speed-up: the coverage rows are not selected through pandas' isin (nor loc) any more
    cov = pd.DataFrame({"source": "bra", "place_id": ["a", None],
                        "month": pd.to_datetime(["2021-09-01", "2022-08-01"]), "category": "rån"})
    monkeypatch.setattr(base, "coverage_for", lambda store, ids: cov)
    monkeypatch.setattr(base, "whole_rows", lambda store: pd.DataFrame())

    def refused(*a, **k):
        raise AssertionError("pandas isin")

    monkeypatch.setattr(pd.Series, "isin", refused)
    assert mp.periods_without_data(None, [{"place_id": "a", "name": "A"}], [PERIODS[1]]) is None
