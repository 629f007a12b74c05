"""Tests for lagesbild.core.effects: before/after windows, the Poisson test and the WDD test."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest, chi2_contingency, fisher_exact
from scipy.stats import f as f_dist

from lagesbild.core import effects as fx
from lagesbild.core.effects import (
    ALL_CATEGORIES,
    CAVEAT,
    activity_effects,
    before_after,
    rest_of_district,
    wdd_test,
)
from tests.stat_reference import history_fit, quasi_two_period_p

TORG, BUFFER, DISTRICT = "hasselby-torg", "hasselby-strand", "hasselby-vallingby"
CATS = ("narkotikabrott", "skadegorelse")
MONTHS = pd.date_range("2017-01-01", "2020-12-01", freq="MS")


def make_monthly(seed=7, months=MONTHS):
    """Place, buffer and district counts; the district holds both places plus the rest."""
    rng = np.random.default_rng(seed)
    rows = []
    for month in months:
        for cat in CATS:
            torg, buffer, other = rng.poisson([15, 8, 60])
            rows += [(TORG, cat, month, torg), (BUFFER, cat, month, buffer),
                     (DISTRICT, cat, month, torg + buffer + other)]
    df = pd.DataFrame(rows, columns=["place_id", "category", "month", "count"])
    return df.assign(source="test")


def window_sum(df, place, first, last, cat=None):
    sel = df[(df["place_id"] == place) & (df["month"] >= first) & (df["month"] <= last)]
    if cat is not None:
        sel = sel[sel["category"] == cat]
    return int(sel["count"].sum())


def test_doctests():
    assert doctest.testmod(fx).failed == 0


# --- WDD ---------------------------------------------------------------------------------------
def test_wdd_paper_example():
    # Wheeler & Ratcliffe (2018), worked example: treated 207 -> 110, control 308 -> 318,
    # displacement 178 -> 157, displacement control 150 -> 140; WDD -118, var 1568, z -2.98,
    # 95 % interval about (-196, -40).
    r = wdd_test((207, 110), (308, 318), (178, 157), (150, 140))
    local = (110 - 207) - (318 - 308)
    displacement = (157 - 178) - (140 - 150)
    assert r["wdd"] == local + displacement == -118
    assert r["wdd_var"] == 207 + 110 + 308 + 318 + 178 + 157 + 150 + 140 == 1568
    assert round(r["wdd_z"], 2) == -2.98
    se = math.sqrt(1568)
    assert (round(-118 - 1.959964 * se), round(-118 + 1.959964 * se)) == (-196, -40)
    assert r["wdd_p"] == pytest.approx(math.erfc(118 / se / math.sqrt(2)), rel=1e-12)


def test_wdd_without_buffer_and_with_shared_control():
    r = wdd_test((30, 20), (100, 110))
    assert (r["wdd"], r["wdd_var"]) == (-20, 260)
    assert r["wdd_z"] == pytest.approx(-20 / math.sqrt(260))
    shared = wdd_test((30, 20), (100, 110), (40, 35))
    # WDD = ΔT + ΔD − 2ΔC; the control enters twice, so its variance counts 2² = 4 times.
    assert shared["wdd"] == (20 - 30) + (35 - 40) - 2 * (110 - 100)
    assert shared["wdd_var"] == 30 + 20 + 40 + 35 + 4 * (100 + 110)


def test_wdd_all_zero():
    assert wdd_test((0, 0), (0, 0)) == {"wdd": 0, "wdd_var": 0, "wdd_z": 0.0, "wdd_p": 1.0}


pairs = st.tuples(st.integers(0, 10**6), st.integers(0, 10**6))


@settings(max_examples=150, deadline=None)
@given(pairs, pairs, st.one_of(st.none(), st.tuples(pairs, pairs)))
def test_wdd_antisymmetric_and_p_in_unit_interval(treated, control, buffers):
    buffer, buffer_control = buffers if buffers else (None, None)
    r = wdd_test(treated, control, buffer, buffer_control)
    s = wdd_test(control, treated, buffer_control, buffer) if buffers else wdd_test(control, treated)
    assert s["wdd"] == -r["wdd"]
    assert s["wdd_var"] == r["wdd_var"]
    assert s["wdd_z"] == pytest.approx(-r["wdd_z"])
    assert s["wdd_p"] == pytest.approx(r["wdd_p"])
    assert 0.0 < r["wdd_p"] <= 1.0


# --- rest of district --------------------------------------------------------------------------
def test_rest_of_district():
    m = make_monthly()
    rest = rest_of_district(m, TORG, DISTRICT)
    first = rest.iloc[0]
    expected = window_sum(m, DISTRICT, first["month"], first["month"], first["category"]) - \
        window_sum(m, TORG, first["month"], first["month"], first["category"])
    assert first["count"] == expected
    assert len(rest) == len(MONTHS) * len(CATS)
    both = rest_of_district(m, [TORG], DISTRICT, exclude_ids=[BUFFER])
    assert (both["count"] <= rest["count"]).all()
    odd = pd.DataFrame({"place_id": [DISTRICT, TORG], "category": ["rån", "rån"],
                        "month": [MONTHS[0]] * 2, "count": [2, 5]})
    assert rest_of_district(odd, TORG, DISTRICT)["count"].tolist() == [0]


# --- before_after ------------------------------------------------------------------------------
def test_windows_counts_and_poisson_test():
    m = make_monthly()
    t = before_after(m, place_id=TORG, start="2019-02-15").set_index("category")
    assert list(t.index) == [*CATS, ALL_CATEGORIES]
    row = t.loc["skadegorelse"]
    assert row["before_start"] == pd.Timestamp("2018-02-01")
    assert row["before_end"] == pd.Timestamp("2019-01-31")
    assert row["after_start"] == pd.Timestamp("2019-02-01")  # the start month is "after"
    assert row["after_end"] == pd.Timestamp("2020-01-31")
    assert row["months"] == 12 and row["note"] == ""
    a = window_sum(m, TORG, "2018-02-01", "2019-01-01", "skadegorelse")
    b = window_sum(m, TORG, "2019-02-01", "2020-01-01", "skadegorelse")
    assert (row["count_before"], row["count_after"], row["change"]) == (a, b, b - a)
    assert row["pct_change"] == pytest.approx((b - a) / a * 100)
    # the quasi-Poisson test with the place × category's dispersion from its 48 months (statsmodels)
    own = m[(m["place_id"] == TORG) & (m["category"] == "skadegorelse")].sort_values("month")
    phi, nu = history_fit(own["count"].to_numpy(), own["month"])
    assert row["p_value"] == pytest.approx(quasi_two_period_p(a, b, 1, 1, phi, nu), rel=1e-7)
    total = t.loc[ALL_CATEGORIES]
    assert total["count_before"] == t.loc[list(CATS), "count_before"].sum()
    assert (t["caveat"] == CAVEAT).all()
    assert t["comparison"].isna().all() and t["wdd"].isna().all()


def test_significant_change_and_verdict():
    months = pd.date_range("2018-01-01", "2019-12-01", freq="MS")
    m = pd.DataFrame({"place_id": TORG, "category": "narkotikabrott", "month": months,
                      "count": [2] * 12 + [6] * 12})
    row = before_after(m, place_id=TORG, start="2019-01-01", category="narkotikabrott").iloc[0]
    assert (row["count_before"], row["count_after"]) == (24, 72)
    assert row["significant"] and row["verdict"] == "ökning, statistiskt säkerställd"


def test_default_comparison_is_rest_of_district():
    m = make_monthly()
    t = before_after(m, place_id=TORG, start="2019-02-01", district_id=DISTRICT,
                     category=list(CATS)).set_index("category")
    row = t.loc["narkotikabrott"]
    t0 = window_sum(m, TORG, "2018-02-01", "2019-01-01", "narkotikabrott")
    t1 = window_sum(m, TORG, "2019-02-01", "2020-01-01", "narkotikabrott")
    c0 = window_sum(m, DISTRICT, "2018-02-01", "2019-01-01", "narkotikabrott") - t0
    c1 = window_sum(m, DISTRICT, "2019-02-01", "2020-01-01", "narkotikabrott") - t1
    assert (row["comparison_before"], row["comparison_after"]) == (c0, c1)
    # the primary test: ratio against ratio on the 2 x 2 counts, each area's dispersion (statsmodels'
    # fits of their 48 months) weighed by its share of the variance of the log ratio of ratios:
    # Fisher's exact test when neither varies more than Poisson, else G²/φ against F(1, ν) (Rao–Scott,
    # Welch–Satterthwaite ν)
    own = m[(m["place_id"] == TORG) & (m["category"] == "narkotikabrott")].sort_values("month")
    district = m[(m["place_id"] == DISTRICT) & (m["category"] == "narkotikabrott")].sort_values("month")
    fits = [history_fit(own["count"].to_numpy(), own["month"]),
            history_fit(district["count"].to_numpy() - own["count"].to_numpy(), own["month"])]
    (phi_t, nu_t), (phi_c, nu_c) = ((max(f[0], 1.0), f[1]) for f in fits)
    a, b = phi_t * (1 / t0 + 1 / t1), phi_c * (1 / c0 + 1 / c1)
    phi = (a + b) / (1 / t0 + 1 / t1 + 1 / c0 + 1 / c1)
    nu = (a + b) ** 2 / (a ** 2 / nu_t + b ** 2 / nu_c)
    table = [[t1, t0], [c1, c0]]
    g2 = chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
    ref = fisher_exact(table).pvalue if phi <= 1 else f_dist.sf(g2 / phi, 1, nu)
    assert row["relative_p"] == pytest.approx(ref, rel=1e-9)
    assert row["relative_ci_low"] < row["relative_ratio"] < row["relative_ci_high"]
    # the WDD needs a displacement buffer (Wheeler & Ratcliffe 2018): not shown without one
    assert math.isnan(row["wdd"]) and row["wdd_verdict"] is None
    assert "WDD visas inte: den kräver ett förskjutningsområde" in row["note"]
    assert row["comparison"] == f"resten av stadsdelsområdet ({DISTRICT})"  # no names given: ids
    named = before_after(m, place_id=TORG, start="2019-02-01", district_id=DISTRICT, category="narkotikabrott",
                         names={DISTRICT: "Hässelby-Vällingby"})
    assert named["comparison"].iloc[0] == "resten av stadsdelsområdet (Hässelby-Vällingby)"
    total = t.loc[ALL_CATEGORIES]
    assert total["comparison_before"] == t.loc[list(CATS), "comparison_before"].sum()


def test_buffer_with_its_own_comparison():
    m = make_monthly()
    r = before_after(m, place_id=TORG, start="2019-02-01", comparison_ids=[DISTRICT],
                     buffer_ids=[BUFFER], buffer_comparison_ids=[DISTRICT + "-x"],
                     category="skadegorelse").iloc[0]
    s = lambda place, a, b: window_sum(m, place, a, b, "skadegorelse")  # noqa: E731
    t0, t1 = s(TORG, "2018-02-01", "2019-01-01"), s(TORG, "2019-02-01", "2020-01-01")
    c0, c1 = s(DISTRICT, "2018-02-01", "2019-01-01"), s(DISTRICT, "2019-02-01", "2020-01-01")
    d0, d1 = s(BUFFER, "2018-02-01", "2019-01-01"), s(BUFFER, "2019-02-01", "2020-01-01")
    # the buffer's comparison area has no rows: zero crimes in both windows
    assert (r["buffer_comparison_before"], r["buffer_comparison_after"]) == (0, 0)
    # the district is far larger than the place: no comparable baseline, so no WDD
    assert c0 > 2 * t0 and math.isnan(r["wdd"]) and "jämförbar nivå" in r["note"]
    assert r["relative_p"] == pytest.approx(fisher_exact([[t1, t0], [c1, c0]]).pvalue, rel=1e-12)
    assert (d0, d1) == (r["buffer_before"], r["buffer_after"])


def test_wdd_with_buffer_and_comparable_control():
    months = pd.date_range("2018-01-01", "2019-12-01", freq="MS")
    counts = {"a": [20] * 12 + [10] * 12, "buf": [12] * 12 + [13] * 12, "ctl": [25] * 12 + [26] * 12,
              "bctl": [11] * 24}
    m = pd.concat([pd.DataFrame({"place_id": k, "category": "rån", "month": months, "count": v})
                   for k, v in counts.items()])
    r = before_after(m, place_id="a", start="2019-01-01", comparison_ids=["ctl"], buffer_ids=["buf"],
                     buffer_comparison_ids=["bctl"], category="rån").iloc[0]
    t0, t1, c0, c1, d0, d1, e0, e1 = 240, 120, 300, 312, 144, 156, 132, 132
    assert r["wdd"] == (t1 - t0) - (c1 - c0) + (d1 - d0) - (e1 - e0)
    assert r["wdd_var"] == t0 + t1 + c0 + c1 + d0 + d1 + e0 + e1
    assert r["wdd_verdict"] == fx.WDD_VERDICTS["down"]


def test_both_rising_ten_percent_is_no_relative_difference():
    """The audit's case: place 100 -> 110, rest of district 1000 -> 1100 (both +10 %)."""
    months = pd.date_range("2018-01-01", "2019-12-01", freq="MS")
    place = [10] * 10 + [0] * 2 + [11] * 10 + [0] * 2
    rest = [100] * 10 + [0] * 2 + [110] * 10 + [0] * 2
    m = pd.concat([
        pd.DataFrame({"place_id": TORG, "category": "rån", "month": months, "count": place}),
        pd.DataFrame({"place_id": DISTRICT, "category": "rån", "month": months,
                      "count": np.add(place, rest)})])
    r = before_after(m, place_id=TORG, start="2019-01-01", district_id=DISTRICT, category="rån").iloc[0]
    assert (r["count_before"], r["count_after"], r["comparison_before"], r["comparison_after"]) == \
        (100, 110, 1000, 1100)
    assert r["relative_p"] == pytest.approx(1.0) and not r["relative_significant"]
    assert r["relative_verdict"] == "ingen säkerställd skillnad mot jämförelseområdet"
    assert r["relative_ratio"] == pytest.approx(1.0, abs=0.01)
    # independent reference: the Poisson regression interaction (statsmodels) is 0 with p = 1
    y = np.array([100, 110, 1000, 1100])
    X = sm.add_constant(np.column_stack([[0, 1, 0, 1], [1, 1, 0, 0], [0, 1, 0, 0]]))
    fit = sm.GLM(y, X, family=sm.families.Poisson()).fit()
    assert fit.params[3] == pytest.approx(0.0, abs=1e-9) and fit.pvalues[3] == pytest.approx(1.0)


def test_regression_to_the_mean_and_season_warnings():
    months = pd.date_range("2017-01-01", "2019-12-01", freq="MS")
    counts = [10] * 21 + [25, 30, 35] + [10] * 12  # a peak just before the start in Jan 2019
    m = pd.DataFrame({"place_id": TORG, "category": "rån", "month": months, "count": counts})
    r = before_after(m, place_id=TORG, start="2019-01-01", category="rån").iloc[0]
    assert "Regression mot medelvärdet" in r["warnings"]
    short = before_after(m, place_id=TORG, start="2019-01-01", category="rån", months=6).iloc[0]
    assert "Säsong: fönstren är 6 månader" in short["warnings"]
    flat = before_after(m.assign(count=10), place_id=TORG, start="2019-01-01", category="rån").iloc[0]
    assert flat["warnings"] == ""


def test_default_comparison_leaves_out_the_buffer():
    m = make_monthly()
    r = before_after(m, place_id=TORG, start="2019-02-01", district_id=DISTRICT,
                     buffer_ids=[BUFFER], category="skadegorelse").iloc[0]
    s = lambda place, a, b: window_sum(m, place, a, b, "skadegorelse")  # noqa: E731
    c0 = s(DISTRICT, "2018-02-01", "2019-01-01") - s(TORG, "2018-02-01", "2019-01-01") \
        - s(BUFFER, "2018-02-01", "2019-01-01")
    assert r["comparison_before"] == c0
    assert r["buffer_before"] == s(BUFFER, "2018-02-01", "2019-01-01")


def test_windows_shortened_to_covered_data():
    m = make_monthly(months=pd.date_range("2017-01-01", "2019-08-01", freq="MS"))
    row = before_after(m, place_id=TORG, start="2019-02-01", category="skadegorelse").iloc[0]
    assert row["months"] == 7
    assert "kortats till 7 månader" in row["note"] and "efter" in row["note"]
    assert row["before_start"] == pd.Timestamp("2018-07-01")
    assert row["after_end"] == pd.Timestamp("2019-08-31")
    assert row["count_before"] == window_sum(m, TORG, "2018-07-01", "2019-01-01", "skadegorelse")
    assert row["count_after"] == window_sum(m, TORG, "2019-02-01", "2019-08-01", "skadegorelse")


def test_too_short_after_start():
    m = make_monthly(months=pd.date_range("2017-01-01", "2019-03-01", freq="MS"))
    t = before_after(m, place_id=TORG, start="2019-02-01", district_id=DISTRICT)
    assert (t["verdict"] == "för kort tid efter start för att bedöma").all()
    assert t["p_value"].isna().all() and t["wdd"].isna().all() and t["significant"].isna().all()
    assert (t["caveat"] == CAVEAT).all()
    future = before_after(m, place_id=TORG, start="2022-01-01")
    # the data end (March 2019) before the start: not "too short after", the months are not there
    ended = "kan inte bedömas: brottsdata per månad finns bara t.o.m. mar 2019, före start"
    assert (future["verdict"] == ended).all() and (future["months"] == 0).all()
    assert future["after_start"].isna().all()


def test_too_short_before_start():
    m = make_monthly(months=pd.date_range("2019-01-01", "2020-12-01", freq="MS"))
    row = before_after(m, place_id=TORG, start="2019-02-01", category="skadegorelse").iloc[0]
    assert row["verdict"] == fx.TOO_SHORT_BEFORE and row["months"] == 1


def test_coverage_frame_decides_the_windows():
    m = make_monthly()
    months = pd.date_range("2016-01-01", "2019-06-01", freq="MS")
    coverage = pd.DataFrame({"source": "test", "place_id": None, "month": months})
    row = before_after(m, place_id=TORG, start="2019-02-01", coverage=coverage,
                       category="skadegorelse").iloc[0]
    assert row["months"] == 5
    # the district is covered only until April 2019, so the default comparison shortens further
    cov = pd.concat([
        pd.DataFrame({"source": "a", "place_id": TORG, "month": months}),
        pd.DataFrame({"source": "b", "place_id": DISTRICT,
                      "month": pd.date_range("2016-01-01", "2019-04-01", freq="MS")}),
    ])
    row = before_after(m, place_id=TORG, start="2019-02-01", coverage=cov, district_id=DISTRICT,
                       category="skadegorelse").iloc[0]
    assert row["months"] == 3 and not math.isnan(row["relative_p"])


def test_zero_before_and_missing_district_data():
    months = pd.date_range("2018-01-01", "2019-12-01", freq="MS")
    m = pd.DataFrame({"place_id": TORG, "category": "rån", "month": months,
                      "count": [0] * 12 + [1] * 12})
    row = before_after(m, place_id=TORG, start="2019-01-01", district_id=DISTRICT).iloc[0]
    assert math.isnan(row["pct_change"]) and "0 brott före start" in row["note"]
    # each note a sentence of its own (capitalised)
    assert fx.NOTE_NO_DISTRICT_DATA.capitalize() in row["note"] and math.isnan(row["wdd"])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 500), min_size=24, max_size=24),
       st.lists(st.integers(0, 500), min_size=24, max_size=24))
def test_before_after_p_values_in_unit_interval(place_counts, rest_counts):
    months = pd.date_range("2018-01-01", "2019-12-01", freq="MS")
    m = pd.concat([
        pd.DataFrame({"place_id": TORG, "category": "rån", "month": months, "count": place_counts}),
        pd.DataFrame({"place_id": DISTRICT, "category": "rån", "month": months,
                      "count": np.add(place_counts, rest_counts)}),
    ])
    row = before_after(m, place_id=TORG, start="2019-01-01", district_id=DISTRICT,
                       category="rån").iloc[0]
    assert 0.0 < row["p_value"] <= 1.0
    if sum(rest_counts):
        assert 0.0 < row["relative_p"] <= 1.0
    else:  # a comparison area without crimes: nothing to compare with, not "no difference" (p = 1)
        assert math.isnan(row["relative_p"]) and row["relative_verdict"].startswith("kan inte bedömas")
    assert row["comparison_before"] == sum(rest_counts[:12])


# --- activity_effects --------------------------------------------------------------------------
def test_activity_effects():
    m = make_monthly()
    activities = pd.DataFrame({
        "activity_id": ["platssamverkan-hasselby-torg", "utan-start", "hela-sdo"],
        "aktivitet": ["Platssamverkan Hässelby torg", "Ingen start", "Trygghetsvandringar"],
        "start_date": [pd.Timestamp("2019-02-01"), None, pd.Timestamp("2019-09-01")],
    })
    links = pd.DataFrame({"activity_id": ["platssamverkan-hasselby-torg", "utan-start", "hela-sdo"],
                          "place_id": [TORG, TORG, DISTRICT]})
    places = pd.DataFrame({"place_id": [TORG, DISTRICT], "district_id": [DISTRICT, None]})
    t = activity_effects(m, activities, links, places, category="skadegorelse")
    assert t["activity_id"].tolist() == ["platssamverkan-hasselby-torg", "hela-sdo"]
    direct = before_after(m, place_id=TORG, start="2019-02-01", district_id=DISTRICT,
                          category="skadegorelse")
    first = t.iloc[0]
    assert first["relative_p"] == direct.iloc[0]["relative_p"]
    assert first["p_value"] == direct.iloc[0]["p_value"]
    assert math.isnan(t.iloc[1]["relative_p"])  # a district has no comparison area
    assert (t["caveat"] == CAVEAT).all()
    none = activity_effects(m, activities.iloc[1:2], links, places)
    assert none.empty and "caveat" in none.columns


def test_an_overdispersed_place_without_change_is_no_significant_effect():
    """Monthly counts varying 16 times more than Poisson around a constant level: the exact Poisson
    test calls the before/after difference significant (p = 4e-6); with the place's dispersion from
    its 48 months (statsmodels' quasi-Poisson fit) it is ordinary variation."""
    rng = np.random.default_rng(3)
    counts = rng.negative_binomial(1, 1 / 16, len(MONTHS))  # mean 15, variance 240, no change
    m = pd.DataFrame({"place_id": TORG, "category": "narkotikabrott", "month": MONTHS, "count": counts})
    row = before_after(m, place_id=TORG, start="2019-02-01", category="narkotikabrott").iloc[0]
    a, b = int(row["count_before"]), int(row["count_after"])
    assert binomtest(b, a + b, 0.5).pvalue < 0.001
    phi, nu = history_fit(counts, MONTHS)
    assert phi > 5
    assert row["p_value"] == pytest.approx(quasi_two_period_p(a, b, 1, 1, phi, nu), rel=1e-7)
    assert row["p_value"] > 0.05 and row["verdict"] == "ingen säkerställd förändring"


def test_a_month_the_data_end_in_is_not_an_after_month():
    """The windows were chosen from coverage alone: data to 2 March (extraction date 3 March) made
    March an "after" month of two days, 2 190 → 2 016 (−7,9 %), and inflated the dispersion. With the
    last day of complete data, both windows end with February: 11 whole months each."""
    months = pd.date_range("2021-03-01", "2023-03-01", freq="MS")
    days = [m.days_in_month for m in months]
    counts = [6 * d for d in days[:-1]] + [6 * 2]  # six a day; March 2023 holds its first two days
    m = pd.DataFrame({"place_id": "torg", "category": "rån", "month": months, "count": counts})
    cut = before_after(m, place_id="torg", start="2022-04-01", category="rån", data_end="2023-02-28").iloc[0]
    assert (cut.before_label, cut.after_label) == ("maj 2021–mar 2022", "apr 2022–feb 2023")
    by_hand = sum(6 * d for d, mo in zip(days, months, strict=True) if mo < pd.Timestamp("2022-04-01")
                  and mo >= pd.Timestamp("2021-05-01"))
    assert (int(cut.count_before), int(cut.count_after)) == (by_hand, 6 * sum(days[13:24]))
    assert cut.verdict == "ingen säkerställd förändring"
    uncut = before_after(m, place_id="torg", start="2022-04-01", category="rån").iloc[0]
    assert uncut.after_label == "apr 2022–mar 2023"  # what the data's own months say without data_end
