"""A category whose data end before the place's other categories' (coverage naming categories):
its dispersion is fitted from its own months only, and the like-for-like cut is per category.

References: statsmodels' quasi-Poisson scale (Pearson χ²/(n − p)) on the category's own months, and
the cut computed by hand from each category's last month with data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from lagesbild.core.compare import compare, history_dispersions

FULL = pd.date_range("2019-09-01", "2022-08-01", freq="MS")   # 36 months
SHORT = pd.date_range("2019-09-01", "2022-03-01", freq="MS")  # 31 months: ends in March


def _data(seed, short_mean=20.0, full_mean=20.0):
    rng = np.random.default_rng(seed)
    monthly = pd.concat([
        pd.DataFrame({"place_id": "a", "category": "ran", "month": FULL,
                      "count": rng.poisson(full_mean, len(FULL))}),
        pd.DataFrame({"place_id": "a", "category": "stold", "month": SHORT,
                      "count": rng.poisson(short_mean, len(SHORT))})], ignore_index=True)
    coverage = pd.concat([
        pd.DataFrame({"source": "s1", "place_id": "a", "category": "ran", "month": FULL}),
        pd.DataFrame({"source": "s2", "place_id": "a", "category": "stold", "month": SHORT})],
        ignore_index=True)
    return monthly, coverage


def _statsmodels_phi(y):
    """Quasi-Poisson scale of a trend model (fewer than 36 months: no seasonal cycle)."""
    t = np.arange(len(y), dtype=float)
    return sm.GLM(np.asarray(y, float), sm.add_constant(t), family=sm.families.Poisson()).fit(scale="X2").scale


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_dispersion_of_a_category_ending_early_uses_its_own_months(seed):
    monthly, coverage = _data(seed)
    own = monthly[monthly["category"] == "stold"]["count"].to_numpy()
    expected = _statsmodels_phi(own)
    fitted = history_dispersions(monthly, "a", ["stold"], coverage=coverage)["stold"]
    assert fitted.n_months == len(SHORT)
    assert fitted.phi_raw == pytest.approx(expected, rel=1e-9)
    # and the comparison's test uses it (the months after March are no data, not zero crimes)
    out = compare(monthly, ["2020–2021", "2021–2022"], place_id="a", coverage=coverage,
                  categories=["stold"])
    assert out.loc[0, "dispersion"] == pytest.approx(expected, rel=1e-9)


def _hand_sum(monthly, category, start, end):
    rows = monthly[(monthly["category"] == category) & (monthly["month"] >= start) & (monthly["month"] <= end)]
    return int(rows["count"].sum())


@pytest.mark.parametrize("seed", [5, 6])
def test_a_category_ending_early_cuts_only_its_own_row_and_the_total(seed):
    """Stöld ends in March 2022, rån runs to August: rån is compared whole year with whole year,
    stöld (and the total, which sums it) September–March with September–March."""
    monthly, coverage = _data(seed)
    out = compare(monthly, ["2020–2021", "2021–2022"], place_id="a", coverage=coverage,
                  categories=["ran", "stold"]).set_index("category")
    whole = ("2020-09-01", "2021-08-01"), ("2021-09-01", "2022-08-01")
    cut = ("2020-09-01", "2021-03-01"), ("2021-09-01", "2022-03-01")
    assert out.loc["ran", ["count_a", "count_b"]].tolist() == [_hand_sum(monthly, "ran", *w) for w in whole]
    assert out.loc["ran", "end_b"] == pd.Timestamp("2022-08-31") and not out.loc["ran", "like_for_like"]
    assert out.loc["stold", ["count_a", "count_b"]].tolist() == [_hand_sum(monthly, "stold", *c) for c in cut]
    assert out.loc["stold", "end_a"] == pd.Timestamp("2021-03-31") and out.loc["stold", "like_for_like"]
    total = [_hand_sum(monthly, "ran", *c) + _hand_sum(monthly, "stold", *c) for c in cut]
    assert out.loc["alla", ["count_a", "count_b"]].tolist() == total and out.loc["alla", "like_for_like"]
    # rån's row is the same as when it is asked alone (its adjusted p-value is of the same family)
    alone = compare(monthly, ["2020–2021", "2021–2022"], place_id="a", coverage=coverage,
                    categories=["ran"]).set_index("category")
    cols = ["count_a", "count_b", "end_a", "end_b", "p_unadjusted", "p_value", "verdict"]
    assert alone.loc["ran", cols].tolist() == out.loc["ran", cols].tolist()
    # which rows were cut, and how, for the page to say
    assert sorted(out.attrs["like_for_like"]) == ["alla", "stold"]
    assert "31 mars 2022" in out.attrs["like_for_like"]["stold"]


def test_shares_cut_each_category_where_its_own_data_end():
    """The share table's rows are cut as the comparison's: rån whole years, stöld Sep–Mar."""
    from lagesbild.core.shares import share_of_parent

    monthly, coverage = _data(7)
    rest = monthly.assign(place_id="b", count=monthly["count"] * 3)
    both = pd.concat([monthly, rest], ignore_index=True)
    cov = pd.concat([coverage, coverage.assign(place_id="b")], ignore_index=True)
    out = share_of_parent(both, ["2020–2021", "2021–2022"], "a", [None], categories=["ran", "stold"],
                          coverage=cov)
    last = out[out["period"] == "2021–2022"].set_index("category")
    assert last.loc["ran", "end"] == pd.Timestamp("2022-08-31")
    assert last.loc["stold", "end"] == pd.Timestamp("2022-03-31")
    assert last.loc["ran", "count_place"] == _hand_sum(monthly, "ran", "2021-09-01", "2022-08-01")
    assert last.loc["stold", "count_parent"] == 4 * _hand_sum(monthly, "stold", "2021-09-01", "2022-03-01")


def test_the_place_page_says_which_categories_were_cut_and_how():
    from lagesbild.core.periods import parse_period
    from lagesbild.web.views.place import comparison_block

    monthly, coverage = _data(8)
    periods = [parse_period("2020–2021"), parse_period("2021–2022")]
    out = compare(monthly, periods, place_id="a", coverage=coverage, categories=["ran", "stold"])
    results = {"comparison": out, "category_names": {"ran": "Rån", "stold": "Stöld"}, "periods": periods,
               "place": {"name": "Torget", "place_id": "a"}}
    text = str(comparison_block(results, None, meeting=False))
    assert ("* Stöld och Alla: Jämförelsen avser sep–mar i varje period eftersom data för hela månader bara finns t.o.m. "
            "31 mars 2022. Övriga kategorier jämförs hela perioder.") in text
    assert "Samma månader i varje period, eftersom data inte finns för hela" not in text


def test_before_after_windows_of_a_category_ending_early_are_its_own():
    """An activity starting in September 2021: stöld's data end in March 2022, so its windows are
    the seven months before the start (Feb–Aug 2021) against Sep 2021–Mar 2022 (counted by hand); the months after March are no
    data, not zero crimes (the old windows ran to August and called the "drop" säkerställd)."""
    from lagesbild.core.effects import before_after

    rng = np.random.default_rng(3)
    full = pd.date_range("2018-09-01", "2022-08-01", freq="MS")
    short = pd.date_range("2018-09-01", "2022-03-01", freq="MS")
    monthly = pd.concat([
        pd.DataFrame({"place_id": "a", "category": "ran", "month": full, "count": rng.poisson(20, len(full))}),
        pd.DataFrame({"place_id": "a", "category": "stold", "month": short,
                      "count": rng.poisson(20, len(short))})], ignore_index=True)
    coverage = pd.concat([
        pd.DataFrame({"source": "s1", "place_id": "a", "category": "ran", "month": full}),
        pd.DataFrame({"source": "s2", "place_id": "a", "category": "stold", "month": short})],
        ignore_index=True)
    out = before_after(monthly, place_id="a", start="2021-09-01", coverage=coverage).set_index("category")
    stold = out.loc["stold"]
    assert (stold["before_label"], stold["after_label"]) == ("feb 2021–aug 2021", "sep 2021–mar 2022")
    assert (stold["count_before"], stold["count_after"]) == (
        _hand_sum(monthly, "stold", "2021-02-01", "2021-08-01"),
        _hand_sum(monthly, "stold", "2021-09-01", "2022-03-01"))
    assert stold["verdict"] == "ingen säkerställd förändring"  # Poisson months of one mean
    ran = out.loc["ran"]
    assert (ran["before_label"], ran["after_label"]) == ("sep 2020–aug 2021", "sep 2021–aug 2022")
    assert ran["count_after"] == _hand_sum(monthly, "ran", "2021-09-01", "2022-08-01")
    total = out.loc["alla"]
    assert total["after_label"] == "sep 2021–mar 2022"
    assert total["count_after"] == stold["count_after"] + _hand_sum(monthly, "ran", "2021-09-01", "2022-03-01")


def test_monthly_series_of_a_category_ending_early_stop_at_its_end():
    """The Plats chart's series (from the store's cube) and monthly_series: stöld's months after
    March 2022 are missing, not zero, and its rolling 12-month sum is pandas' over the months it has."""
    from lagesbild.core.compare import monthly_series
    from lagesbild.core.cube import build_cube
    from lagesbild.core.series import cube_series

    monthly, coverage = _data(9)
    own = monthly[monthly["category"] == "stold"].set_index("month")["count"].reindex(FULL)
    want_rolling = own.rolling(12, min_periods=12).sum()
    for series in (monthly_series(monthly, "a", "stold", coverage=coverage),
                   cube_series(build_cube(monthly, coverage), "a", ["stold"])):
        got = series.set_index("month")
        assert got["covered"].tolist() == [m <= SHORT[-1] for m in FULL]
        assert got["count"].isna().tolist() == own.isna().tolist()
        assert got.loc[got["count"].notna(), "count"].tolist() == own.dropna().astype(int).tolist()
        assert got["rolling_12"].isna().tolist() == want_rolling.isna().tolist()
        assert got["rolling_12"].dropna().tolist() == want_rolling.dropna().astype(int).tolist()
    ran = cube_series(build_cube(monthly, coverage), "a", ["ran"])
    assert ran["covered"].all() and ran["count"].notna().all()


def test_jamfor_dispersion_of_a_category_ending_early_uses_its_own_months():
    """Jämför platser' test between places fits each category's spread from its own months, as the
    comparisons do (statsmodels' quasi-Poisson scale on stöld's 31 months)."""
    from lagesbild.analysis.side_by_side import _dispersions

    monthly, coverage = _data(10)
    own = monthly[monthly["category"] == "stold"]["count"].to_numpy()
    got = _dispersions(monthly, coverage, "a", ["stold", "ran"], ["stold", "ran"], None)
    assert got["stold"].n_months == len(SHORT)
    assert got["stold"].phi_raw == pytest.approx(_statsmodels_phi(own), rel=1e-9)
