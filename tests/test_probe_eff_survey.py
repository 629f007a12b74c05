"""A survey page's numbers against statsmodels and scipy on tables the project has not seen, and two
texts that said something untrue.

Checked against independent computations: Wilson intervals (statsmodels ``proportion_confint``), the
place against the *rest* of its district and city (hand formula), the pooled z test
(``proportions_ztest``) or Fisher's exact test where an expected count is below 5, Benjamini–Hochberg
over the page (``multipletests``), Newcombe intervals of the change at the Benjamini–Yekutieli level
(the score interval that inverts the z test, ``tests/score_reference.py``), with shares of 0 % and 100 %, 1 or 2 respondents,
a question asked in one year only.

Defects: when every test of the page was significant the note said the intervals were "95 %
konfidensintervall (Benjamini–Yekutieli) i stället för 95 %"; a share with 0 respondents had no
interval, no test and no note saying why.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from lagesbild.core.survey import survey_table
from tests.score_reference import score_confint

PLACES = pd.DataFrame({"place_id": ["p", "d", "s"], "district_id": ["d", "s", None]})
ALPHA = 0.05


def _frame(rows):
    df = pd.DataFrame(rows, columns=["place_id", "level", "year", "indicator", "share", "respondents"])
    return df.assign(respondents=df["respondents"].astype("Int64"), fictitious=False)


def _two_sample_p(p1, n1, p2, n2):
    """The pooled z test, Fisher's exact test on the rounded answers when an expected count is < 5;
    with at most 300 respondents in each sample never below Barnard's exact test (scipy)."""
    x1, x2 = p1 * n1, p2 * n2
    pooled = (x1 + x2) / (n1 + n2)
    if 0 < min(n1, n2) * min(pooled, 1 - pooled) < 5:
        a, b = round(x1), round(x2)
        return stats.fisher_exact([[a, round(n1) - a], [b, round(n2) - b]]).pvalue
    if pooled in (0.0, 1.0):
        return 1.0
    p = proportions_ztest([x1, x2], [n1, n2])[1]
    if max(round(n1), round(n2)) <= 300 and p < 0.2:  # never below Barnard's exact test (stats7)
        a, b, m, k = round(x1), round(x2), round(n1), round(n2)
        p = max(p, stats.barnard_exact([[a, b], [m - a, k - b]], pooled=True).pvalue)
    return p


def _random_table(rng):
    years = sorted(rng.choice([2015, 2017, 2019, 2021, 2023], size=int(rng.integers(1, 4)), replace=False).tolist())
    rows = []
    for ind in ["oro", "trygg", "undviker"][: int(rng.integers(1, 4))]:
        for y in years:
            n_p = int(rng.choice([1, 2, 5, 15, 60, 300]))
            share = float(rng.choice([0.0, 1.0, rng.integers(0, n_p + 1) / n_p]))
            n_d = n_p + int(rng.choice([0, 3, 40, 2000]))
            x_d = round(share * n_p) + int(rng.integers(0, n_d - n_p + 1))  # the district includes the place
            n_s, x_s = n_d + 5000, x_d + int(rng.integers(0, 5001))
            rows += [("p", "plats", y, ind, share, n_p), ("d", "stadsdelsomrade", y, ind, x_d / n_d, n_d),
                     ("s", "stad", y, ind, x_s / n_s, n_s)]
    return _frame(rows)


def test_survey_numbers_equal_statsmodels_on_random_tables():
    rng = np.random.default_rng(20261205)
    for _ in range(80):
        df = _random_table(rng)
        out = survey_table(df, PLACES, place_id="p", alpha=ALPHA)
        own = df[df["place_id"] == "p"].sort_values(["indicator", "year"]).reset_index(drop=True)
        change, against = [], {"d": [], "s": []}
        prev_of = []
        for r in own.itertuples():
            prev = own[(own["indicator"] == r.indicator) & (own["year"] < r.year)]
            prev_of.append(prev.iloc[-1] if len(prev) else None)
            change.append(np.nan if prev.empty else
                          _two_sample_p(r.share, r.respondents, prev.iloc[-1].share, prev.iloc[-1].respondents))
            for area in ("d", "s"):
                o = df[(df["place_id"] == area) & (df["indicator"] == r.indicator) & (df["year"] == r.year)].iloc[0]
                rest_n = o.respondents - r.respondents
                rest_share = (o.share * o.respondents - r.share * r.respondents) / rest_n if rest_n > 0 else np.nan
                against[area].append(_two_sample_p(r.share, r.respondents, rest_share, rest_n) if rest_n > 0
                                     else np.nan)
        raw = np.array(change + against["d"] + against["s"], dtype=float)
        tested = np.isfinite(raw)
        adjusted = np.full(len(raw), np.nan)
        adjusted[tested] = multipletests(raw[tested], method="fdr_bh")[1]
        got = np.concatenate([out["p_value"], out["p_district"], out["p_city"]]).astype(float)
        np.testing.assert_allclose(got, adjusted, rtol=1e-6, atol=1e-12)
        lo, hi = proportion_confint(own["share"] * own["respondents"], own["respondents"], ALPHA, method="wilson")
        np.testing.assert_allclose(out["ci_lo"], lo, atol=1e-9)
        np.testing.assert_allclose(out["ci_hi"], hi, atol=1e-9)
        m, r = int(tested.sum()), int((adjusted[tested] < ALPHA).sum())
        level = 1 - max(r, 1) * ALPHA / m if m else 1 - ALPHA
        for i, prev in enumerate(prev_of):
            row = own.iloc[i]
            if prev is None:
                assert out["verdict"].iloc[i] == "ingen tidigare mätning"
                continue
            low, high = score_confint(row.share * row.respondents, row.respondents,
                                      prev.share * prev.respondents, prev.respondents, alpha=1 - level)
            assert np.isclose(out["change_lo_pp"].iloc[i], 100 * low, atol=1e-7)
            assert np.isclose(out["change_hi_pp"].iloc[i], 100 * high, atol=1e-7)
            if adjusted[i] < ALPHA:
                word = "ökning" if row.share > prev.share else "minskning"
                assert out["verdict"].iloc[i] == f"{word}, statistiskt säkerställd"
            else:
                assert out["verdict"].iloc[i] == "ingen säkerställd förändring"


def test_the_note_does_not_say_intervals_were_widened_when_they_were_not():
    """Two tests, both significant: the BY level 1 − 2·0,05/2 is 95 %, the same as without adjustment."""
    df = _frame([("p", "plats", 2019, "trygg", 0.0, 40), ("p", "plats", 2021, "trygg", 1.0, 40),
                 ("s", "stad", 2021, "trygg", 0.8, 10000)])
    out = survey_table(df, PLACES, place_id="p")
    fdr = out.attrs["fdr"]
    assert (fdr["m"], fdr["discoveries"]) == (2, 2) and fdr["interval_level"] == 0.95
    assert "i stället för" not in fdr["note"] and "Benjamini–Yekutieli" not in fdr["note"]
    # with fewer discoveries than tests the intervals are wider, and the note says so
    df = _frame([("p", "plats", 2019, "trygg", 0.5, 40), ("p", "plats", 2021, "trygg", 0.55, 40),
                 ("p", "plats", 2019, "oro", 0.0, 40), ("p", "plats", 2021, "oro", 1.0, 40)])
    note = survey_table(df, PLACES, place_id="p").attrs["fdr"]["note"]
    assert "97,5\u00a0% konfidensintervall (Benjamini–Yekutieli) i stället för 95\u00a0%" in note


def test_a_share_with_no_respondents_says_why_it_has_no_interval():
    df = _frame([("p", "plats", 2021, "oro", 0.5, 0), ("p", "plats", 2023, "oro", 0.4, 100)])
    out = survey_table(df, PLACES, place_id="p")
    first = out.iloc[0]
    assert np.isnan(first["ci_lo"]) and "0 svarande" in first["note"] and "kan inte testas" in first["note"]
    assert out.iloc[1]["verdict"] == "kan inte testas – antal svarande saknas"
