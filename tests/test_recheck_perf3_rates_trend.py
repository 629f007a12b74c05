"""Guards for perf3's faster rate intervals and trend table (issue 10): the same numbers as a hand
computation, whatever the input's column types.

``with_rate_intervals`` now computes each category × period's interval once from arrays and spreads it
to every row of it; ``interval_rows`` reads them back without building a frame per side; the trend
table reads datetime64 start/end columns without converting each group. These tests pass on the code
before the change too (guards): they pin the numbers the speed-up must not move.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2

from lagesbild.analysis.comparison import interval_rows, with_rate_intervals
from lagesbild.core.trend import period_positions
from lagesbild.core.trend_family import trend_table


def _garwood_rate(count, phi, person_years):
    """Hand reference: phi × Garwood's 95 % interval of count/phi, per 1 000 person-years."""
    k = count / phi
    low = chi2.ppf(0.025, 2 * k) / 2 * phi if k > 0 else 0.0
    high = chi2.ppf(0.975, 2 * k + 2) / 2 * phi
    return low * 1000 / person_years, high * 1000 / person_years


def _comparison():
    # two categories over three Sep–Aug years: the middle year is side b of the first pair and side a
    # of the second; "rån" was tested with its dispersion 2.5, "stöld" by the exact test
    years = [("2021–2022", "2021-09-01", "2022-08-31"), ("2022–2023", "2022-09-01", "2023-08-31"),
             ("2023–2024", "2023-09-01", "2024-08-31")]
    counts = {"rån": [40, 25, 31], "stöld": [7, 0, 12]}
    rows = []
    for cat, method, disp in (("rån", "kvasi-Poisson", 2.5), ("stöld", "exakt Poisson", 3.0)):
        for i in range(2):
            (pa, sa, ea), (pb, sb, eb) = years[i], years[i + 1]
            ca, cb = counts[cat][i], counts[cat][i + 1]
            rows.append({"category": cat, "period_a": pa, "period_b": pb, "start_a": pd.Timestamp(sa),
                         "end_a": pd.Timestamp(ea), "start_b": pd.Timestamp(sb), "end_b": pd.Timestamp(eb),
                         "count_a": ca, "count_b": cb, "rate_a": ca / 2.0, "rate_b": cb / 2.0,
                         "method": method, "dispersion": disp})
    comp = pd.DataFrame(rows)
    comp.loc[3, "rate_b"] = np.nan  # no rate: no interval
    comp.attrs["fdr"] = {"m": 4, "discoveries": 0}
    return comp, counts


def test_rate_intervals_match_garwood_by_hand_and_agree_across_pairs():
    comp, counts = _comparison()
    out = with_rate_intervals(comp, "torg", 2000, {})
    assert out.attrs == comp.attrs and "rate_a_low" not in comp  # the input is left as it was
    person_years = 2000.0  # 2 000 inhabitants over 12 whole months
    for i, r in out.iterrows():
        phi = 2.5 if r["method"] == "kvasi-Poisson" else 1.0
        for side, k in (("a", 0), ("b", 1)):
            if pd.isna(r[f"rate_{side}"]):
                assert np.isnan(r[f"rate_{side}_low"]) and np.isnan(r[f"rate_{side}_high"])
                continue
            count = counts[r["category"]][(i % 2) + k]
            low, high = _garwood_rate(count, phi, person_years)
            assert r[f"rate_{side}_low"] == pytest.approx(low, rel=1e-12, abs=1e-15)
            assert r[f"rate_{side}_high"] == pytest.approx(high, rel=1e-12)
    # the middle year's interval is the same number on both rows that show it
    assert out.loc[0, "rate_b_low"] == out.loc[1, "rate_a_low"]
    assert out.loc[0, "rate_b_high"] == out.loc[1, "rate_a_high"]


def test_interval_rows_once_per_category_and_period_in_order():
    comp, _ = _comparison()
    out = with_rate_intervals(comp, "torg", 2000, {})
    rows = interval_rows(out, "torg")
    assert list(rows.columns) == ["place_id", "category", "period", "rate", "rate_low", "rate_high", "phi"]
    assert list(zip(rows["category"], rows["period"], strict=True)) == [
        ("rån", "2021–2022"), ("rån", "2022–2023"), ("stöld", "2021–2022"), ("stöld", "2022–2023"),
        ("rån", "2023–2024"), ("stöld", "2023–2024")]  # every earlier period first, in the table's order
    assert rows["phi"].tolist() == [2.5, 2.5, 1.0, 1.0, 2.5, 1.0]
    assert list(rows.index) == list(range(6)) and (rows["place_id"] == "torg").all()
    got = rows.set_index(["category", "period"])
    assert got.loc[("rån", "2022–2023"), "rate_low"] == out.loc[0, "rate_b_low"]
    assert np.isnan(got.loc[("stöld", "2023–2024"), "rate_low"])


def test_period_positions_same_for_datetime64_and_text():
    starts = ["2017-09-01", "2018-09-01", "2020-09-01"]
    by_hand = [0.0, 1.0, (pd.Timestamp("2020-09-01") - pd.Timestamp("2017-09-01")).days / 365]
    for given in (starts, pd.to_datetime(starts).to_numpy(), pd.to_datetime(starts).to_numpy().astype(object)):
        assert period_positions(given, [365, 365, 365]).tolist() == pytest.approx(by_hand, rel=1e-15)


def test_trend_table_same_whatever_the_date_columns_hold():
    # a group given out of time order, a year left out, and a group whose periods overlap
    t = pd.DataFrame({
        "category": ["rån"] * 4 + ["stöld"] * 3,
        "start": ["2021-09-01", "2017-09-01", "2018-09-01", "2019-09-01", "2019-09-01", "2020-01-01",
                  "2021-09-01"],
        "end": ["2022-08-31", "2018-08-31", "2019-08-31", "2020-08-31", "2020-08-31", "2020-12-31",
                "2022-08-31"],
        "count": [60, 120, 100, 85, 10, 12, 14], "days": [365, 365, 365, 366, 366, 366, 365]})
    as_text = trend_table(t, by=["category"])
    as_dates = trend_table(t.assign(start=pd.to_datetime(t["start"]), end=pd.to_datetime(t["end"])),
                           by=["category"])
    pd.testing.assert_frame_equal(as_text, as_dates, check_exact=True)
    assert as_dates.loc[1, "verdict"].startswith("kan inte bedömas")  # stöld's periods overlap
    # rån in time order 120, 100, 85, (2020–2021 left out), 60: falling
    assert as_dates.loc[0, "rate_ratio"] < 1 and as_dates.loc[0, "n_periods"] == 4
