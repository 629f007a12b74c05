"""Tests for lagesbild.core.compare: counts, changes, tests and verdicts between periods, shares."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from lagesbild.core import compare as cm
from lagesbild.core.compare import compare, counts_by_period, monthly_series
from lagesbild.core.periods import calendar_year, date_range, month, sep_aug_year, tertial
from lagesbild.core.shares import share_of_parent
from tests.stat_reference import history_fit, quasi_two_period_p

UP, DOWN, NONE = ("ökning, statistiskt säkerställd", "minskning, statistiskt säkerställd",
                  "ingen säkerställd förändring")
TORG = "hasselby-torg"
# Hässelby torg, police statistics Jan–Nov 2018 and Jan–Nov 2019 (the domain page)
HASSELBY = {"skadegorelse": (274, 142), "tillgrepp_butik": (60, 31), "valdsbrott": (62, 51),
            "narkotikabrott": (32, 60)}
JAN_NOV = [date_range("2018-01-01", "2018-11-30"), date_range("2019-01-01", "2019-11-30")]


def place_family_bh(out: pd.DataFrame) -> np.ndarray:
    """The place's family by hand with scipy: the single categories together; a total row together
    with all of them (here every category of the place is shown)."""
    single = (out["category"] != "alla").to_numpy()
    raw = out["p_unadjusted"].to_numpy(dtype=float)
    ok = np.isfinite(raw)
    expected = np.full(len(raw), np.nan)
    expected[single & ok] = stats.false_discovery_control(raw[single & ok], method="bh")
    both = stats.false_discovery_control(np.concatenate([raw[single & ok], raw[~single & ok]]), method="bh")
    expected[~single & ok] = both[(single & ok).sum():]
    return expected


def test_doctests():
    assert doctest.testmod(cm).failed == 0


def spread(total: int, n: int) -> list[int]:
    """Split a total over n months as evenly as possible."""
    return [total // n + (i < total % n) for i in range(n)]


def frame(rows) -> pd.DataFrame:
    """rows: (place_id, category, 'YYYY-MM', count) -> the store's monthly_counts shape."""
    df = pd.DataFrame(rows, columns=["place_id", "category", "month", "count"])
    df["month"] = pd.to_datetime(df["month"] + "-01")
    df["source"] = "polisen"
    return df


def months(first: str, last: str) -> list[str]:
    return [m.strftime("%Y-%m") for m in pd.date_range(first + "-01", last + "-01", freq="MS")]


def coverage(month_list, place_id=None, source="polisen") -> pd.DataFrame:
    return pd.DataFrame({"source": source, "place_id": place_id,
                         "month": pd.to_datetime([m + "-01" for m in month_list])})


def hasselby_frame() -> pd.DataFrame:
    rows = []
    for cat, (a, b) in HASSELBY.items():
        rows += [(TORG, cat, m, c) for m, c in zip(months("2018-01", "2018-11"), spread(a, 11), strict=False)]
        rows += [(TORG, cat, m, c) for m, c in zip(months("2019-01", "2019-11"), spread(b, 11), strict=False)]
        rows.append((TORG, cat, "2018-12", 99))  # outside both periods
    return frame(rows)


@pytest.fixture(scope="module")
def hasselby():
    return compare(hasselby_frame(), JAN_NOV, place_id=TORG,
                   coverage=coverage(months("2018-01", "2019-11")))


@pytest.mark.parametrize("category, verdict", [
    ("skadegorelse", DOWN), ("narkotikabrott", UP), ("valdsbrott", NONE), ("tillgrepp_butik", DOWN),
])
def test_hasselby_reference(hasselby, category, verdict):
    row = hasselby.set_index("category").loc[category]
    a, b = HASSELBY[category]
    assert (row["count_a"], row["count_b"], row["change"]) == (a, b, b - a)
    assert row["pct_change"] == pytest.approx(100 * (b - a) / a)
    # 23 months of history (< 24): the exact Poisson test, said so beside the verdict
    assert row["p_unadjusted"] == pytest.approx(stats.binomtest(b, a + b, 0.5).pvalue, rel=1e-12)
    assert row["method"] == "exakt Poisson"
    # the table is one family: Benjamini–Hochberg over its rows (scipy as the reference)
    bh = place_family_bh(hasselby)
    assert row["p_value"] == pytest.approx(bh[list(hasselby["category"]).index(category)], rel=1e-12)
    assert row["verdict"] == verdict + cm.EXACT_SUFFIX
    assert row["significant"] == (verdict != NONE)
    assert (row["period_a"], row["period_b"]) == ("2018-01-01–2018-11-30", "2019-01-01–2019-11-30")
    assert (row["start_a"], row["end_b"]) == (pd.Timestamp("2018-01-01"), pd.Timestamp("2019-11-30"))
    assert (row["days_a"], row["days_b"]) == (334, 334)
    assert not row["like_for_like"] and row["note"].startswith("Historiken är för kort (23 av minst 24")
    assert math.isnan(row["rate_a"])


def test_total_row(hasselby):
    assert list(hasselby["category"]) == sorted(HASSELBY) + ["alla"]
    total = hasselby.set_index("category").loc["alla"]
    assert total["count_a"] == sum(a for a, _ in HASSELBY.values())
    assert total["count_b"] == sum(b for _, b in HASSELBY.values())
    assert list(hasselby.columns[:len(cm.COMPARE_COLUMNS)]) == cm.COMPARE_COLUMNS


def test_single_category_has_no_total_and_category_alias():
    out = compare(hasselby_frame(), JAN_NOV, place_id=TORG, category="narkotikabrott")
    assert out["category"].tolist() == ["narkotikabrott"]
    out = compare(hasselby_frame(), JAN_NOV, place_id=TORG, categories="alla")
    assert out["category"].tolist() == ["alla"] and out.loc[0, "count_a"] == 428


def sep_aug_frame(last_month="2022-03") -> pd.DataFrame:
    """Two crimes a month in 2019–2020, three in 2020–2021, five in 2021–2022 (up to last_month)."""
    per_year = {2019: 2, 2020: 3, 2021: 5}
    rows = [(TORG, "ran", m, per_year[int(m[:4]) - (int(m[5:]) < 9)])
            for m in months("2019-09", last_month)]
    return frame(rows)


def test_like_for_like_when_latest_year_is_incomplete():
    df = sep_aug_frame()
    years = [sep_aug_year(y) for y in (2019, 2020, 2021)]
    out = compare(df, years, place_id=TORG, coverage=coverage(months("2019-09", "2022-03")))
    assert out["like_for_like"].all()
    note = "Jämförelsen avser sep–mar i varje period eftersom data för hela månader bara finns t.o.m. 31 mars 2022."
    assert out["note"].str.startswith(note).all()
    assert out["end_a"].tolist() == [pd.Timestamp("2020-03-31"), pd.Timestamp("2021-03-31")]
    assert out["end_b"].tolist() == [pd.Timestamp("2021-03-31"), pd.Timestamp("2022-03-31")]
    assert out["count_a"].tolist() == [14, 21] and out["count_b"].tolist() == [21, 35]
    assert out["days_a"].tolist() == [213, 212]  # Sep–Mar with 29 Feb 2020, then without
    first = out.iloc[0]
    # 31 months of history: quasi-Poisson, checked against statsmodels
    history = [per for m in months("2019-09", "2022-03") for per in [df.set_index("month")
               .loc[pd.Timestamp(m + "-01"), "count"]]]
    phi, nu = history_fit(history, pd.to_datetime([m + "-01" for m in months("2019-09", "2022-03")]))
    assert first["method"] == "kvasi-Poisson"
    # 213 and 212 days are equally long (within 2 %): tested as such, as the change is shown
    assert first["p_unadjusted"] == pytest.approx(quasi_two_period_p(14, 21, 1, 1, phi, nu), rel=1e-9)
    assert out["months_missing_a"].sum() == out["months_missing_b"].sum() == 0


def test_like_for_like_off_leaves_the_incomplete_year_untested():
    df = sep_aug_frame()
    out = compare(df, ["2020–2021", "2021–2022"], place_id=TORG, like_for_like=False,
                  coverage=coverage(months("2019-09", "2022-03")))
    row = out.iloc[0]
    assert row["months_missing_b"] == 5 and row["count_b"] == 35
    assert row["verdict"] == "kan inte bedömas: data saknas för 5 månader"
    assert math.isnan(row["p_value"]) and not row["significant"] and not row["like_for_like"]
    assert "Data saknas för 5 månader i 2021–2022" in row["note"]


def test_like_for_like_uses_the_last_month_without_coverage_frame():
    out = compare(sep_aug_frame("2021-11"), ["2020–2021", "2021–2022"], place_id=TORG)
    assert out.loc[0, "end_b"] == pd.Timestamp("2021-11-30") and out.loc[0, "count_a"] == 9


def test_missing_month_is_not_a_zero_month():
    rows = [(TORG, "ran", m, 4) for m in months("2020-01", "2021-12") if m not in ("2021-03", "2021-06")]
    df = frame(rows)
    gap = [m for m in months("2020-01", "2021-12") if m != "2021-03"]  # 2021-06 covered: a zero
    out = compare(df, [calendar_year(2020), calendar_year(2021)], place_id=TORG, coverage=coverage(gap))
    row = out.iloc[0]
    assert (row["count_a"], row["count_b"]) == (48, 40)
    assert (row["months_missing_a"], row["months_missing_b"]) == (0, 1)
    assert row["verdict"] == "kan inte bedömas: data saknas för 1 månad"
    assert math.isnan(row["p_value"])
    full = compare(df, [calendar_year(2020), calendar_year(2021)], place_id=TORG,
                   coverage=coverage(months("2020-01", "2021-12")))
    assert full.loc[0, "months_missing_b"] == 0
    # 24 months of history: the quasi-Poisson test (statsmodels reference)
    hist = [0 if m == "2021-03" or m == "2021-06" else 4 for m in months("2020-01", "2021-12")]
    phi, nu = history_fit(hist, pd.to_datetime([m + "-01" for m in months("2020-01", "2021-12")]))
    assert full.loc[0, "method"] == "kvasi-Poisson"
    # 2020 and 2021 are equally long years (29 February is no exposure of its own)
    assert full.loc[0, "p_value"] == pytest.approx(quasi_two_period_p(48, 40, 1, 1, phi, nu), rel=1e-9)


def test_coverage_is_per_place_or_for_every_place():
    df = frame([("a", "ran", m, 1) for m in months("2021-01", "2021-02")])
    cov = pd.concat([coverage(["2021-01"], None), coverage(["2021-02"], "b"), coverage(["2021-03"], "a")])
    t = counts_by_period(df, [month(2021, 1), month(2021, 2), month(2021, 3), month(2021, 4)],
                         place_id="a", coverage=cov)
    # Jan: covered for every place; Feb: a has a row; Mar: covered for a (zero); Apr: no data
    assert t["months_missing"].tolist() == [0, 0, 0, 1]
    assert t["count"].tolist() == [1, 1, 0, 0]
    assert cm.data_until(df, cov, "a").isoformat() == "2021-03-31"
    assert cm.data_until(df.iloc[:0], None) is None


def test_percent_change_undefined_after_zero():
    df = frame([(TORG, "ran", "2021-02", 3)])
    out = compare(df, [month(2021, 1), month(2021, 2)], place_id=TORG,
                  coverage=coverage(["2021-01", "2021-02"]))
    row = out.iloc[0]
    assert row["count_a"] == 0 and math.isnan(row["pct_change"]) and row["change"] == 3
    assert "Procentuell förändring kan inte beräknas när föregående period har 0." in row["note"]


@pytest.mark.parametrize("population, rate_a, rate_b", [
    (2000, 16.0 * 12 / 11, 30.0 * 12 / 11), (None, math.nan, math.nan), (pd.NA, math.nan, math.nan)])
def test_rates_per_thousand(population, rate_a, rate_b):
    out = compare(hasselby_frame(), JAN_NOV, place_id=TORG, category="narkotikabrott",
                  population=population)
    assert out.loc[0, "rate_a"] == pytest.approx(rate_a, nan_ok=True)
    assert out.loc[0, "rate_b"] == pytest.approx(rate_b, nan_ok=True)


def test_unequal_lengths_are_weighted_by_days():
    rows = [(TORG, "ran", m, 10) for m in months("2021-01", "2021-04")] + [(TORG, "ran", "2021-05", 20)]
    out = compare(frame(rows), [tertial(2021, "T1"), month(2021, 5)], place_id=TORG)
    row = out.iloc[0]
    assert (row["count_a"], row["count_b"], row["days_a"], row["days_b"]) == (40, 20, 120, 31)
    assert row["p_value"] == pytest.approx(stats.binomtest(20, 60, 31 / 151).pvalue, rel=1e-12)
    assert row["verdict"] == UP + cm.EXACT_SUFFIX  # fewer crimes, but in a much shorter period
    assert "olika långa (120 och 31 dagar)" in row["note"]
    # the change is of the rate, as the test: 40 in 120 days is 10,33 in 31 days; 20 is +9,7, +93,5 %
    # (it read "−20, −50 %" beside "ökning, statistiskt säkerställd")
    assert row["change"] == round(20 - 40 * 31 / 120)
    assert row["pct_change"] == pytest.approx(100 * (20 / 31 - 40 / 120) / (40 / 120))


def test_partial_months_are_left_out_and_said_so():
    rows = [(TORG, "ran", m, 1) for m in months("2021-01", "2022-03")]
    out = compare(frame(rows), ["2021-01-15–2021-03-31", "2022-01-15–2022-03-31"], place_id=TORG)
    row = out.iloc[0]
    assert (row["count_a"], row["count_b"], row["days_a"]) == (2, 2, 59)
    assert "täcker inte hela kalendermånader" in row["note"]


def test_city_sums_every_row_and_periods_are_sorted():
    df = pd.concat([hasselby_frame(), hasselby_frame().assign(place_id="vallingby")])
    out = compare(df, list(reversed(JAN_NOV)), category="skadegorelse")
    row = out.iloc[0]
    assert row["place_id"] is None
    assert (row["count_a"], row["count_b"]) == (548, 284)
    assert row["period_a"] == "2018-01-01–2018-11-30"


def test_three_periods_give_consecutive_pairs():
    out = compare(sep_aug_frame("2022-08"), ["2019–2020", "2020–2021", "2021–2022"], place_id=TORG)
    assert list(zip(out["period_a"], out["period_b"], strict=True)) == [("2019–2020", "2020–2021"),
                                                           ("2020–2021", "2021–2022")]
    assert out["count_a"].tolist() == [24, 36] and not out["like_for_like"].any()


@pytest.mark.parametrize("kwargs, message", [
    ({"periods": ["2019–2020"]}, "minst två perioder"),
    ({"category": "ran", "categories": ["ran"]}, "antingen"),
    ({"alpha": 0}, "Signifikansnivån"),
    ({"population": -5}, "Befolkningen"),
    ({"periods": ["2019–2020", "hösten"]}, "Okänd period"),
])
def test_bad_arguments(kwargs, message):
    args = {"periods": ["2019–2020", "2020–2021"], **kwargs}
    with pytest.raises(ValueError, match=message):
        compare(sep_aug_frame(), args.pop("periods"), place_id=TORG, **args)


def test_empty_monthly_gives_untested_rows():
    out = compare(frame([]), JAN_NOV, place_id=TORG, coverage=coverage([]))
    assert out["category"].tolist() == ["alla"]
    assert out.loc[0, "verdict"] == "kan inte bedömas: data saknas för 22 månader"


def test_counts_by_period_table():
    t = counts_by_period(hasselby_frame(), JAN_NOV, place_id=TORG, categories=["valdsbrott", "narkotikabrott"])
    assert list(t.columns) == cm.COUNT_COLUMNS
    assert t["category"].tolist() == ["valdsbrott", "narkotikabrott", "alla"] * 2
    assert t["count"].tolist() == [62, 32, 94, 51, 60, 111]
    assert set(t["n_months"]) == {11} and set(t["days"]) == {334}


# ---------------------------------------------------------------- monthly series
def test_monthly_series_tells_missing_from_zero():
    rows = [(TORG, "ran", m, i + 1) for i, m in enumerate(months("2020-01", "2021-06"))
            if m not in ("2020-05", "2020-09")]
    cov = coverage([m for m in months("2020-01", "2021-06") if m != "2020-09"])
    s = monthly_series(frame(rows), TORG, "ran", coverage=cov)
    assert len(s) == 18 and s["month"].is_monotonic_increasing
    by_month = s.set_index(s["month"].dt.strftime("%Y-%m"))
    assert by_month.loc["2020-05", "count"] == 0 and by_month.loc["2020-05", "covered"]
    assert pd.isna(by_month.loc["2020-09", "count"]) and not by_month.loc["2020-09", "covered"]
    # rolling 12: the hand sum over the 12 months ending here, NA unless all are covered
    values = [None if pd.isna(c) else int(c) for c in s["count"]]
    for i, r in enumerate(s["rolling_12"]):
        window = values[i - 11:i + 1] if i >= 11 else None
        expected = None if window is None or None in window else sum(window)
        assert (pd.isna(r) and expected is None) or r == expected


def test_monthly_series_range_and_empty():
    df = frame([(TORG, "ran", "2021-03", 2), (TORG, "stold", "2021-03", 5)])
    s = monthly_series(df, TORG, start="2021-01-15", end="2021-04-30")
    assert s["count"].tolist()[2] == 7 and s["covered"].tolist() == [False, False, True, False]
    assert monthly_series(frame([]), TORG).empty


# ---------------------------------------------------------------- shares
def nested_frame() -> pd.DataFrame:
    """Rows as the store has them: a crime at the square counts for the square, district and city."""
    torg = {"2019-01": 40, "2020-01": 20}
    rest_district = {"2019-01": 60, "2020-01": 80}
    rest_city = {"2019-01": 900, "2020-01": 900}
    rows = []
    for m in torg:
        rows += [(TORG, "ran", m, torg[m]), ("hv", "ran", m, torg[m] + rest_district[m]),
                 ("stockholm", "ran", m, torg[m] + rest_district[m] + rest_city[m])]
    return frame(rows)


def hand_fisher(table) -> float:
    """Two-sided Fisher exact p-value: hypergeometric outcomes at most as likely as the observed one."""
    (a, b), (c, d) = table
    row1, col1, total = a + b, a + c, a + b + c + d
    if 0 in (row1, col1, total - row1, total - col1):
        return 1.0  # a zero margin: only one table is possible
    xs = np.arange(max(0, row1 + col1 - total), min(row1, col1) + 1)
    pmf = stats.hypergeom.pmf(xs, total, col1, row1)
    return float(pmf[pmf <= stats.hypergeom.pmf(a, total, col1, row1) * (1 + 1e-7)].sum())


def test_share_of_district_and_city():
    out = share_of_parent(nested_frame(), ["2019-01", "2020-01"], TORG, ["hv", "stockholm"])
    hv = out[out["parent_id"] == "hv"]
    assert hv["share"].tolist() == [0.4, 0.2]
    table, city_table = [[40, 60], [20, 80]], [[40, 960], [20, 980]]
    raw = [stats.fisher_exact(table).pvalue, stats.fisher_exact(city_table).pvalue]
    assert raw[0] == pytest.approx(hand_fisher(table), rel=1e-7)
    # the chart's two tests are one family: Benjamini–Hochberg (statsmodels)
    from statsmodels.stats.multitest import multipletests
    adjusted = multipletests(raw, method="fdr_bh")[1]
    assert hv["p_value"].iloc[1] == pytest.approx(adjusted[0], rel=1e-12)
    assert out.loc[out["parent_id"] == "stockholm", "p_value"].iloc[1] == pytest.approx(adjusted[1], rel=1e-12)
    assert hv["verdict"].tolist() == ["", "andelen har minskat, statistiskt säkerställt"]
    assert math.isnan(hv["p_value"].iloc[0])
    city = out[out["parent_id"] == "stockholm"]
    assert city["count_parent"].tolist() == [1000, 1000]
    assert city["share"].tolist() == pytest.approx([0.04, 0.02])


def test_share_with_city_as_sum_and_untestable_cases():
    df = frame([(TORG, "ran", "2019-01", 5), ("other", "ran", "2019-01", 5),
                (TORG, "ran", "2020-01", 6), ("other", "ran", "2020-01", 4)])
    out = share_of_parent(df, ["2019-01", "2020-01"], TORG, [None])
    assert out["share"].tolist() == [0.5, 0.6] and out["parent_id"].isna().all()
    assert out["verdict"].iloc[1] == "ingen säkerställd förändring av andelen"
    wrong = share_of_parent(df, ["2019-01", "2020-01"], TORG, ["other"])
    assert wrong["verdict"].iloc[1] == "kan inte bedömas" and "större än överområdets" in wrong["note"].iloc[1]
    # 5 of 5 is a share; 6 of 4 is none (a part larger than its whole: the counts are of two sources)
    assert wrong["share"].iloc[0] == 1.0 and math.isnan(wrong["share"].iloc[1])
    assert "andelen visas inte" in wrong["note"].iloc[1]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=4, max_size=4), st.lists(st.integers(0, 60), min_size=4, max_size=4))
def test_share_p_matches_hand_fisher(place, rest):
    rows = [(TORG, "ran", m, place[i]) for i, m in enumerate(["2019-01", "2019-02", "2020-01", "2020-02"])]
    rows += [("x", "ran", m, place[i] + rest[i]) for i, m in enumerate(["2019-01", "2019-02", "2020-01", "2020-02"])]
    out = share_of_parent(frame(rows), ["2019-01–2019-02", "2020-01–2020-02"], TORG, ["x"],
                          like_for_like=False)
    pa, pb = place[0] + place[1], place[2] + place[3]
    ra, rb = rest[0] + rest[1], rest[2] + rest[3]
    assert out["p_value"].iloc[1] == pytest.approx(hand_fisher([[pa, ra], [pb, rb]]), rel=1e-6)


# ---------------------------------------------------------------- hypothesis: counts and tests
@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=24, max_size=24),
       st.lists(st.integers(0, 40), min_size=24, max_size=24))
def test_counts_and_p_values_match_hand_sums(ran, stold):
    ms = months("2020-01", "2021-12")
    rows = [(TORG, "ran", m, c) for m, c in zip(ms, ran, strict=False) if c] + [(TORG, "stold", m, c) for m, c in zip(ms, stold, strict=False) if c]
    out = compare(frame(rows), ["2020", "2021"], place_id=TORG, categories=["ran", "stold"],
                  coverage=coverage(ms)).set_index("category")
    expected = {"ran": (sum(ran[:12]), sum(ran[12:])), "stold": (sum(stold[:12]), sum(stold[12:]))}
    expected["alla"] = tuple(map(sum, zip(*expected.values(), strict=False)))
    for cat, (a, b) in expected.items():
        row = out.loc[cat]
        assert (row["count_a"], row["count_b"], row["change"]) == (a, b, b - a)
        hist = {"ran": ran, "stold": stold, "alla": list(map(sum, zip(ran, stold, strict=False)))}[cat]
        if not np.count_nonzero(hist):  # no crime at all: nothing to test, p = 1
            assert row["p_unadjusted"] == 1.0 and row["method"] == "kvasi-Poisson"
            continue
        phi, nu = history_fit(hist, pd.to_datetime([m + "-01" for m in ms]))
        p = quasi_two_period_p(a, b, 1, 1, phi, nu)  # two Sep–Aug years, one with 29 February: equally long
        assert row["p_unadjusted"] == pytest.approx(p, rel=1e-7, abs=1e-12)
        assert 0 < row["p_value"] <= 1 and row["p_value"] >= row["p_unadjusted"]
    bh = place_family_bh(out.reset_index())
    assert out["p_value"].to_numpy() == pytest.approx(bh, rel=1e-12)
    assert (out["significant"] == (bh < 0.05)).all()


def test_a_category_has_the_same_adjusted_p_whichever_categories_are_shown():
    df = hasselby_frame()
    cov = coverage(months("2018-01", "2019-11"))
    every = compare(df, JAN_NOV, place_id=TORG, coverage=cov).set_index("category")
    some = compare(df, JAN_NOV, place_id=TORG, coverage=cov, categories=["valdsbrott", "narkotikabrott"])
    some = some.set_index("category")
    for cat in ("valdsbrott", "narkotikabrott"):
        assert some.loc[cat, "p_value"] == pytest.approx(every.loc[cat, "p_value"], rel=1e-12)
    assert some.attrs["fdr"]["m"] == 5  # the four categories and the total shown


@pytest.mark.parametrize("burst", [[12], [1, 14]])
def test_a_burst_in_one_month_of_a_long_quiet_history_is_not_a_significant_rise(burst):
    """Crime in one or two months of four years (12 reports in one month): the months vary far more
    than Poisson around their mean, so the rise is not "säkerställd" (the exact Poisson test gave
    p = 0.0005); the dispersion is statsmodels' quasi-Poisson fit of the mean only."""
    ms = months("2019-09", "2023-08")
    hist = [0] * len(ms)
    for i, count in zip((len(ms) - 5, 3), burst[::-1], strict=False):  # the burst in April 2023
        hist[i] = count
    rows = [(TORG, "narkotikabrott", m, c) for m, c in zip(ms, hist, strict=True) if c]
    out = compare(frame(rows), ["2021-2022", "2022-2023"], place_id=TORG, categories=["narkotikabrott"],
                  coverage=coverage(ms)).set_index("category").loc["narkotikabrott"]
    a, b = sum(hist[24:36]), sum(hist[36:])
    assert (out["count_a"], out["count_b"]) == (a, b) and b >= 12
    phi, nu = history_fit(hist, pd.to_datetime([m + "-01" for m in ms]))
    assert phi > 5
    assert out["p_unadjusted"] == pytest.approx(quasi_two_period_p(a, b, 365, 365, phi, nu), rel=1e-7)
    assert out["p_unadjusted"] > 0.05 and out["verdict"] == "ingen säkerställd förändring"
    assert out["method"] == "kvasi-Poisson"


def test_a_share_of_overdispersed_counts_is_tested_with_their_dispersion():
    """The place's monthly counts vary far more than Poisson (φ̂ ≈ 10): the change of its share of
    the district is tested with G²/φ against F(1, ν) (Rao–Scott), φ and ν from statsmodels' fit of
    its history; Fisher's exact test would call the change significant."""
    ms = months("2019-09", "2023-08")
    rng = np.random.default_rng(4)
    torg = rng.negative_binomial(1, 1 / 11, len(ms))  # mean 10, variance 110: no change
    rest = rng.poisson(200, len(ms))
    rows = [(TORG, "ran", m, int(c)) for m, c in zip(ms, torg, strict=True)]
    rows += [("rest", "ran", m, int(c)) for m, c in zip(ms, rest, strict=True)]
    df = frame(rows)
    df["place_id"] = df["place_id"].astype(object)
    cov = pd.concat([coverage(ms, TORG), coverage(ms, "rest")], ignore_index=True)
    out = share_of_parent(df.assign(parent=None), ["2021-2022", "2022-2023"], TORG, [None],
                          coverage=cov).dropna(subset=["p_value"]).iloc[0]
    a, b = int(torg[24:36].sum()), int(torg[36:].sum())
    ra, rb = int(rest[24:36].sum()), int(rest[36:].sum())
    assert (out["count_place"], out["count_parent"]) == (b, b + rb)
    phi, nu = history_fit(torg, pd.to_datetime([m + "-01" for m in ms]))
    assert phi > 3
    g2 = stats.chi2_contingency([[a, ra], [b, rb]], correction=False, lambda_="log-likelihood")[0]
    assert out["p_value"] == pytest.approx(stats.f.sf(g2 / phi, 1, nu), rel=1e-9)
    assert stats.fisher_exact([[a, ra], [b, rb]]).pvalue < 0.05 < out["p_value"]
    assert out["verdict"] == "ingen säkerställd förändring av andelen"


def test_a_growing_population_says_the_verdict_is_about_counts():
    # The place grows 20 % and so does its crime (Poisson, seeded): the rate per 1 000 inhabitants is
    # unchanged, the count test calls the rise "säkerställd". The row must say what was tested.
    rng = np.random.default_rng(21)
    months = pd.date_range("2019-09-01", "2023-08-01", freq="MS")
    level = np.where(months >= "2022-09-01", 120.0, 100.0)
    monthly = pd.DataFrame({"place_id": "a", "category": "rån", "month": months,
                            "count": rng.poisson(level)})
    grows = pd.DataFrame({"place_id": "a", "year": [2019, 2022, 2023],
                          "population": [10_000, 10_000, 12_000]})
    row = compare(monthly, ["2021–2022", "2022–2023"], place_id="a", population_table=grows).iloc[0]
    pop_a = (4 * 10_000 + 8 * 10_000) / 12  # each month the population of its year
    pop_b = (4 * 10_000 + 8 * 12_000) / 12
    assert row["rate_a"] == pytest.approx(row["count_a"] / pop_a * 1000)
    assert row["rate_b"] == pytest.approx(row["count_b"] / pop_b * 1000)
    assert "statistiskt säkerställd" in row["verdict"]
    assert f"Befolkningen ändrades med +{100 * (pop_b / pop_a - 1):.0f}" in row["note"]
    assert "bedömningen gäller antalet brott" in row["note"]
    same = pd.DataFrame({"place_id": "a", "year": [2019], "population": [10_000]})
    assert "Befolkningen ändrades" not in compare(monthly, ["2021–2022", "2022–2023"], place_id="a",
                                                  population_table=same).iloc[0]["note"]


@given(st.lists(st.one_of(st.floats(0, 1), st.sampled_from([0.0, 1.0, 0.05, 0.5, 1e-300, math.nan])),
                max_size=60))
def test_bh_adjust_equals_scipys_false_discovery_control(p):
    from lagesbild.core.fdr import bh_adjust

    p = np.array(p, dtype=float)
    ok = np.isfinite(p)
    expected = np.full(len(p), np.nan)
    if ok.sum() > 1:
        expected[ok] = stats.false_discovery_control(p[ok], method="bh")
    elif ok.any():
        expected[ok] = p[ok]
    np.testing.assert_array_equal(bh_adjust(p), expected)  # equal to the bit, NaN where untested
