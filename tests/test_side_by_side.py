"""Places side by side (analysis.side_by_side) against independent computations on the demo store.

References: the place's own comparison (the Plats table), rates by hand from the population table,
statsmodels' exact conditional test of two Poisson rates, a quasi-Poisson GLM fitted by statsmodels
for the overdispersed between-place test, and statsmodels' Benjamini–Hochberg over each table.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats import rates as sm_rates
from statsmodels.stats.multitest import multipletests

from lagesbild.analysis import base
from lagesbild.analysis.place import place_comparison
from lagesbild.analysis.side_by_side import SideBySideError, side_by_side, similar_places

PLACES = ["bredang", "varberg", "hasselby-torg"]
PERIODS = ["2021-2022", "2022-2023"]


@pytest.fixture(scope="module")
def result(demo_store, demo_settings):
    return side_by_side(demo_store, demo_settings, places=PLACES, periods=PERIODS)


def test_counts_and_changes_are_the_plats_numbers_of_each_place(demo_store, demo_settings, result):
    for pid in PLACES:
        own = place_comparison(demo_store, pid, PERIODS, categories=result["categories"],
                               alpha=demo_settings.alpha)
        mine = result["changes"][result["changes"]["place_id"] == pid].set_index("category")
        for r in own.itertuples():
            assert (mine.loc[r.category, "count_a"], mine.loc[r.category, "count_b"]) == (r.count_a, r.count_b)
            # the test's own p-value is the Plats one; only the family differs
            assert mine.loc[r.category, "p_unadjusted"] == pytest.approx(r.p_unadjusted, rel=1e-12)
        table = result["table"][result["table"]["place_id"] == pid]
        assert set(table["period"]) == {"2021–2022", "2022–2023"}


def test_rates_by_hand_and_none_below_the_population_floor(demo_store, demo_settings, result):
    table = result["table"].set_index(["place_id", "category", "period"])
    pops = base.population_table(demo_store, demo_settings)
    for pid in ("bredang", "varberg"):
        known = pops[pops["place_id"] == pid].sort_values("year")
        count = table.loc[(pid, "skadegorelse", "2022–2023"), "count"]
        months = pd.date_range("2022-09-01", "2023-08-01", freq="MS")
        pop = np.mean(np.interp(months.year, known["year"], known["population"]))
        assert table.loc[(pid, "skadegorelse", "2022–2023"), "rate"] == pytest.approx(1000 * count / pop)
    # Hässelby torg has 611 inhabitants (< min_population_for_rates): no rate, no verdict between places
    assert base.place(demo_store, "hasselby-torg")["population"] < demo_settings.min_population_for_rates
    assert table.xs("hasselby-torg")["rate"].isna().all()
    with_torg = result["between"][(result["between"]["place_b"] == "hasselby-torg")]
    assert len(with_torg) and with_torg["p_value"].isna().all()
    assert with_torg["verdict"].str.startswith("kan inte bedömas").all()


def test_between_places_quasi_poisson_matches_a_statsmodels_glm(demo_store, demo_settings, result):
    row = result["between"].query("category == 'narkotikabrott' and place_b == 'varberg'").iloc[0]
    assert row["method"] == "kvasi-Poisson" and row["phi"] >= 1
    # exposures: person-years of the period, from the rates (rate = 1000 · count / exposure)
    ea, eb = 1000 * row["count_a"] / row["rate_a"], 1000 * row["count_b"] / row["rate_b"]
    y = np.array([row["count_a"], row["count_b"]], dtype=float)
    # the model with a rate per place fits two counts exactly: ΔD is the equal-rate model's deviance
    null = sm.GLM(y, np.ones((2, 1)), family=sm.families.Poisson(), offset=np.log([ea, eb])).fit()
    dev = null.deviance
    # the two places' own dispersions (the ones the Plats test of each uses), each weighed by its
    # share of the variance of the log rate ratio, 1/count (Rao–Scott design effect)
    own = result["changes"].query("category == 'narkotikabrott' and place_id in ['bredang', 'varberg']")
    phi = own.groupby("place_id")["dispersion"].first().clip(lower=1.0)
    va, vb = 1 / row["count_a"], 1 / row["count_b"]
    expected = (phi[row["place_a"]] * va + phi[row["place_b"]] * vb) / (va + vb)
    assert row["phi"] == pytest.approx(expected)
    assert min(phi) <= row["phi"] <= max(phi)
    assert row["p_unadjusted"] == pytest.approx(stats.f.sf(dev / row["phi"], 1, row["df"]), rel=1e-6)
    assert row["rate_ratio"] == pytest.approx(row["rate_a"] / row["rate_b"])


def test_between_places_exact_test_equals_statsmodels_exact_conditional(demo_store, demo_settings):
    """The demo's places have long histories (so the quasi test is used); the exact test used for
    short ones is the conditional binomial test, as statsmodels computes it."""
    from lagesbild.core.poisson import poisson_rate_test

    for ca, cb, ea, eb in [(30, 12, 9877.0, 9616.0), (5, 1, 1000.0, 3000.0), (120, 150, 2.5, 3.1)]:
        ref = sm_rates.test_poisson_2indep(ca, ea, cb, eb, method="exact-cond").pvalue
        assert poisson_rate_test(ca, cb, ea, eb) == pytest.approx(ref, rel=1e-9)


def test_one_benjamini_hochberg_family_per_table(demo_settings, result):
    """The changes are one family and the differences between places another (one per table, each
    table's note counting its own; tests/test_recheck_stats5_compare_family.py says why)."""
    m = 0
    for key in ("changes", "between"):
        p = result[key]["p_unadjusted"].to_numpy(float)
        ok = np.isfinite(p)
        q = np.full(len(p), math.nan)
        q[ok] = multipletests(p[ok], method="fdr_bh")[1]
        got = result[key]["p_value"].to_numpy(float)
        assert np.allclose(got[ok], q[ok]) and np.isnan(got[~ok]).all()
        assert result["fdr"][key]["m"] == ok.sum()
        m += ok.sum()
    assert result["fdr"]["m"] == m
    sig = result["between"]["significant"]
    assert (result["between"].loc[sig, "verdict"].str.contains("statistiskt säkerställd")).all()
    assert (result["between"].loc[~sig & result["between"]["method"].notna(), "verdict"]
            == "ingen säkerställd skillnad").all()


def test_one_place_with_similar_places_is_documented_and_deterministic(demo_store, demo_settings):
    res = side_by_side(demo_store, demo_settings, places=["varberg"], periods=["2022-2023"])
    sim = similar_places(demo_store, demo_settings, "varberg", base.parse_periods(["2022-2023"]))
    assert [r["place_id"] for r in res["places"]] == ["varberg", *sim["place_id"]]
    assert len(sim) == 3 and sim["distance"].is_monotonic_increasing
    assert "liknande platser" in res["notes"][0].lower()
    # the same kind first: both other utsatta områden are among them
    assert {"bredang", "alvsjo-solberga"} <= set(sim["place_id"])
    # population distance by hand for Bredäng: |ln(pop ratio)| (the rates' populations) plus a mix
    # distance in [0, 1]
    months = base.parse_periods(["2022-2023"])[0].whole_months
    ratio = abs(math.log(_rates_population(demo_store, demo_settings, "bredang", months)
                         / _rates_population(demo_store, demo_settings, "varberg", months)))
    d = sim.set_index("place_id").loc["bredang", "distance"]
    assert ratio <= d <= ratio + 1
    assert res["changes"].empty and len(res["between"]) == 6 * (len(res["categories"]) + 1)


def _rates_population(store, settings, place_id, months):
    """The population a rate over ``months`` divides by, by hand: the population table's known years
    interpolated (numpy) and averaged over the months, else the stored figure; None when unknown."""
    pops = base.population_table(store, settings)
    known = pops[(pops["place_id"] == place_id) & pops["population"].notna()].sort_values("year") \
        if pops is not None else pd.DataFrame()
    if len(known):
        return float(np.mean(np.interp(pd.DatetimeIndex(months).year, known["year"], known["population"])))
    stored = base.population(base.place(store, place_id))
    return float(stored) if stored else None


@pytest.mark.parametrize("place_id", ["varberg", "hasselby-torg", "skarholmen", "bromma"])
@pytest.mark.parametrize("labels", [["2022-2023"], ["2020-2021", "2021-2022"]])
def test_similar_places_distances_are_the_documented_ones_by_hand(demo_store, demo_settings, place_id,
                                                                  labels):
    """Every candidate's distance computed one place at a time from the raw monthly counts:
    |ln(population ratio)| (the populations the rates use) + half the summed absolute differences of
    the category shares; a candidate without population is left out when the place has one."""
    periods = base.parse_periods(labels)
    months = {m for p in periods for m in p.whole_months}
    places = base.places(demo_store).set_index("place_id")
    monthly = demo_store.monthly_counts()
    monthly = monthly[pd.to_datetime(monthly["month"]).isin(months)]

    def shares(pid):
        sums = monthly[monthly["place_id"] == pid].groupby("category")["count"].sum()
        return sums / sums.sum() if sums.sum() else None

    own = shares(place_id)
    got = similar_places(demo_store, demo_settings, place_id, periods, k=100).set_index("place_id")
    assert len(got) > 0
    for pid, row in got.iterrows():
        assert row["kind"] == places.loc[pid, "kind"] and places.loc[pid, "kind"] != "stad"
        mix = shares(pid)
        assert mix is not None  # places without crimes in those months are left out
        if own is None:  # the chosen place without crimes then (Bromma in the demo): every mix is ½ away
            tv = 0.5
        else:
            cats = mix.index.union(own.index)
            tv = 0.5 * (mix.reindex(cats, fill_value=0) - own.reindex(cats, fill_value=0)).abs().sum()
        pops = (_rates_population(demo_store, demo_settings, pid, sorted(months)),
                _rates_population(demo_store, demo_settings, place_id, sorted(months)))
        assert pops[0] or not pops[1]
        expected = tv + (abs(math.log(pops[0] / pops[1])) if all(pops) else 0.0)
        assert row["distance"] == pytest.approx(expected, abs=1e-12), pid
    left_out = [pid for pid in places.index if pid not in got.index and pid != place_id
                and places.loc[pid, "kind"] in set(got["kind"])]
    own_pop = _rates_population(demo_store, demo_settings, place_id, sorted(months))
    assert all(shares(pid) is None or (own_pop and not _rates_population(demo_store, demo_settings, pid,
                                                                         sorted(months)))
               for pid in left_out)


def test_too_many_or_too_few_places_are_refused_in_swedish(demo_store, demo_settings):
    with pytest.raises(SideBySideError, match="mellan 2 och 4 olika platser"):
        side_by_side(demo_store, demo_settings, places=["varberg", "bredang", "satra", "fruangen",
                                                        "hasselby-torg"], periods=PERIODS)
    with pytest.raises(SideBySideError, match="mellan 2 och 4"):
        side_by_side(demo_store, demo_settings, places=["varberg"], periods=PERIODS, similar=0)


def test_quick_periods_of_a_place_without_incidents_inside_are_empty_not_an_error(demo_store, demo_settings):
    """Bromma has incidents in its bounding box in the demo but none inside it (a regression: this
    raised KeyError and the Plats page's quick section with it)."""
    from lagesbild.analysis import meeting

    assert meeting.quick_comparison(demo_store, demo_settings, place="bromma").empty
    assert not meeting.quick_comparison(demo_store, demo_settings, place="varberg").empty


def test_a_place_against_its_own_district_is_tested_against_the_rest_of_it(demo_store, demo_settings):
    """Vårberg lies in Skärholmen: its crimes and inhabitants are Skärholmen's too, so the two were
    tested as if independent with Vårberg on both sides. Now the district's side is Skärholmen
    without Vårberg (counts and person-years less Vårberg's). References: the table's own counts and
    rates subtracted by hand; statsmodels' equal-rate Poisson deviance with the F test, or scipy's
    binomial test when the test is exact."""
    res = side_by_side(demo_store, demo_settings, places=["varberg", "skarholmen"], periods=PERIODS)
    last = res["table"][res["table"]["period"] == res["periods"][-1].label].set_index(["place_id", "category"])
    for _, row in res["between"].iterrows():
        cat = row["category"]
        assert (row["place_a"], row["place_b"]) == ("varberg", "skarholmen")
        assert row["name_b"] == "Skärholmen utom Vårberg"
        inner, outer = last.loc[("varberg", cat)], last.loc[("skarholmen", cat)]
        ea = 1000 * inner["count"] / inner["rate"]
        eb = 1000 * outer["count"] / outer["rate"] - ea
        assert row["count_b"] == outer["count"] - inner["count"]
        assert row["rate_b"] == pytest.approx(1000 * row["count_b"] / eb, rel=1e-9)
        y = np.array([row["count_a"], row["count_b"]], dtype=float)
        if row["method"] == "exakt Poisson":
            ref = stats.binomtest(int(y[0]), int(y.sum()), ea / (ea + eb)).pvalue
        else:
            dev = sm.GLM(y, np.ones((2, 1)), family=sm.families.Poisson(), offset=np.log([ea, eb])).fit().deviance
            # never below the exact test (tests/test_recheck_stats5_small_counts.py)
            ref = max(stats.f.sf(dev / row["phi"], 1, row["df"]),
                      stats.binomtest(int(y[0]), int(y.sum()), ea / (ea + eb)).pvalue)
        assert row["p_unadjusted"] == pytest.approx(ref, rel=1e-6)
        if row["significant"]:
            assert "Skärholmen utom Vårberg" in row["verdict"]
