"""The comparison computed on arrays: its statistics against statsmodels, and the overview (every place
at once on the monthly cube) against each place's own comparison."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.analysis import base, overview
from lagesbild.core import dispersion as dp
from lagesbild.core import periods as pr
from lagesbild.core.compare import compare, row_verdict
from lagesbild.core.fdr import adjust_table
from lagesbild.core.period_pairs import period_months
from lagesbild.ingest import ingest_file
from tests.stat_reference import history_fit, quasi_two_period_p

counts = st.integers(0, 400)
days = st.integers(28, 366)


@settings(max_examples=40)
@given(st.lists(st.tuples(counts, counts, days, days, st.floats(1.0, 20.0), st.floats(1.0, 60.0)),
                min_size=1, max_size=8))
def test_quasi_rate_p_of_arrays_equals_statsmodels(pairs):
    a, b, ea, eb, phi, nu = (np.array(x) for x in zip(*pairs, strict=True))
    got = dp.quasi_rate_p(a, b, ea, eb, phi, nu)
    for i, row in enumerate(pairs):
        # equal rates (a·eb = b·ea, exactly, in integers): the deviance is 0 and p is 1 by hand;
        # statsmodels' fit leaves a deviance of ~1e-15 there, which the F tail turns into 1 - 3e-8
        equal = row[0] * row[3] == row[1] * row[2]
        want = 1.0 if equal else quasi_two_period_p(*row)
        assert got[i] == pytest.approx(want, rel=1e-9, abs=1e-300)


@settings(max_examples=15)
@given(seed=st.integers(0, 10_000), n=st.sampled_from([24, 30, 36, 60]), series=st.integers(1, 5))
def test_dispersions_fitted_together_equal_statsmodels(seed, n, series):
    rng = np.random.default_rng(seed)
    months = pd.date_range("2018-09-01", periods=n, freq="MS")
    y = rng.negative_binomial(3, 3 / (3 + rng.uniform(2, 40, (series, 1))), (series, n))
    fitted = dp.estimate_many(y, months, cache={})
    for row, d in zip(y, fitted, strict=True):
        if np.count_nonzero(row) < dp.MIN_NONZERO_MONTHS:
            assert d.method == dp.METHOD_EXACT
            continue
        phi, nu = history_fit(row, months)
        assert d.phi_raw == pytest.approx(phi, rel=1e-8) and d.df_resid == pytest.approx(nu, rel=1e-8)


PLACES = {"Hässelby torg": "2023-08", "Vällingby centrum": "2023-03", "Skärholmen centrum": "2023-08",
          "Fruängen": "2023-05"}  # the last month of data of each place
CATEGORIES = ["Skadegörelse", "Narkotika", "Butiksstöld"]


@pytest.fixture(params=[1, 2])
def uneven_store(request, places_store, tmp_path):
    """Monthly counts with months missing for some categories and data ending at different months
    (coverage per place and category): places get different like-for-like cuts."""
    rng = np.random.default_rng(request.param)
    lines = ["Område;Brottstyp;Period;Antal"]
    for place, last in PLACES.items():
        for c, cat in enumerate(CATEGORIES):
            end = pd.Timestamp(last) - pd.DateOffset(months=2 * (c == 1 and place == "Fruängen"))
            for m in pd.date_range("2019-09-01", end, freq="MS"):
                if rng.random() < 0.04:  # a month without data for this category
                    continue
                lines.append(f"{place};{cat};{m:%Y-%m};{rng.negative_binomial(2, 2 / (2 + 6 + 4 * c))}")
    path = tmp_path / "brott.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest_file(places_store, "crimes", path)
    return places_store


def one_by_one(store, settings, place_ids, pair, categories):
    """Each place's own comparison, then one family over the table (as the overview did before)."""
    opts = base.compare_options(store, settings)
    cats = categories or sorted(store.monthly_counts()["category"].unique())
    frames = []
    for pid in place_ids:
        own = store.monthly_counts(place_ids=[pid])
        if own.empty:
            continue
        t = compare(own, pair, place_id=pid, categories=cats, coverage=store.coverage(place_ids=[pid]),
                    alpha=settings.alpha, fdr=False, **opts)
        if (t["count_a"].fillna(0) + t["count_b"].fillna(0)).sum() > 0:
            frames.append(t)
    return adjust_table(pd.concat(frames, ignore_index=True), settings.alpha,
                        verdict=lambda r, sig: row_verdict(r, sig, settings.alpha))


@pytest.mark.parametrize("categories", [None, ["narkotikabrott"], ["alla"], ["skadegorelse", "narkotikabrott"]])
def test_overview_of_every_place_at_once_equals_each_place_compared(uneven_store, settings, categories):
    got = overview.overview_table(uneven_store, settings, period="2022–2023", categories=categories)
    ids = got["rows"]["place_id"].tolist()
    want = one_by_one(uneven_store, settings, ids, got["pair"], categories)
    table = got["comparison"]
    assert table["like_for_like"].any() and table["end_b"].nunique() > 1  # places cut at different months
    if categories is None:  # the cases at stake: months missing for some categories only
        assert (table["months_missing_a"] + table["months_missing_b"]).gt(0).any()
        assert table["verdict"].str.startswith("kan inte bedömas").any()
    pd.testing.assert_frame_equal(table, want, check_exact=False, rtol=1e-12)
    assert table.attrs["fdr"] == want.attrs["fdr"]


day = st.dates(min_value=pd.Timestamp("2017-01-01").date(), max_value=pd.Timestamp("2024-12-31").date())


@settings(max_examples=60)
@given(st.lists(st.tuples(day, st.integers(0, 800)), min_size=1, max_size=5))
def test_period_months_are_the_whole_months_of_each_period(spans):
    periods = [pr.Period("p", start, min(start + timedelta(days=n), date(2025, 12, 31)), "range")
               for start, n in spans]
    months = pd.date_range("2019-03-01", "2023-05-01", freq="MS")
    pm = period_months(months, periods)
    for k, p in enumerate(periods):
        whole = p.whole_months  # pandas' calendar, independently
        inside = months.isin(whole)
        assert pm.weights[:, k].tolist() == inside.astype(int).tolist()
        assert pm.outside[k] == len(whole) - inside.sum() and pm.n_months[k] == len(whole)
        assert pm.days[k] == int(np.sum(whole.days_in_month))
        assert pm.partial[k] == (len(whole) != len(p.months))


def test_total_row_is_tested_on_the_history_of_what_it_sums():
    """A source's own ``totalt`` beside its categories is not summed into ``alla``: neither in the
    counts nor in the history its dispersion is fitted on (that history would count crimes twice)."""
    rng = np.random.default_rng(7)
    months = pd.date_range("2019-09-01", "2023-08-01", freq="MS")
    rows = []
    for m in months:
        a, b = rng.poisson(20), rng.negative_binomial(2, 2 / 12)
        rows += [("x", "a", m, a), ("x", "b", m, b), ("x", "totalt", m, a + b + rng.poisson(5))]
    monthly = pd.DataFrame(rows, columns=["place_id", "category", "month", "count"])
    t = compare(monthly, ["2021-09--2022-08", "2022-09--2023-08"], place_id="x",
                categories=["a", "b", "totalt"], fdr=False).set_index("category")
    summed = monthly[monthly["category"] != "totalt"].groupby("month")["count"].sum()
    phi, nu = history_fit(summed.to_numpy(), summed.index)
    alla = t.loc["alla"]
    assert alla["count_a"] + alla["count_b"] == summed.loc["2021-09-01":].sum()
    assert alla["dispersion"] == pytest.approx(max(phi, 1.0), rel=1e-8)
    want = quasi_two_period_p(alla["count_a"], alla["count_b"], alla["days_a"], alla["days_b"], phi, nu)
    assert alla["p_value"] == pytest.approx(want, rel=1e-8)


@pytest.mark.parametrize("categories", [None, ["skadegorelse"], ["skadegorelse", "butiksstold"]])
def test_place_view_shows_one_count_per_category_and_period(uneven_store, settings, categories):
    """The Plats view's share table and its comparison cut the periods at the same day: Fruängen's
    narkotika ends two months before its other categories, which must not shorten the periods of a
    view that does not show narkotika in one table and leave them whole in the other."""
    from lagesbild.analysis import place as place_analysis

    compared = 0
    for pers in (["2020–2021", "2021–2022", "2022–2023"], ["2022 K1", "2023 K1"]):
        for pid in ["fruangen", "hasselby-torg", "skarholmen-centrum"]:
            view = place_analysis.place_view(uneven_store, settings, pid, periods=pers, categories=categories)
            shares = view["shares"].set_index(["category", "period"])
            for _, row in view["comparison"].dropna(subset=["count_b"]).iterrows():
                for _, share in shares.loc[[(row["category"], row["period_b"])]].iterrows():
                    assert (share["count_place"], share["end"]) == (row["count_b"], row["end_b"])
                    compared += 1
    assert compared >= 18
