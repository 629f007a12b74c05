"""The survey's two-proportion test (change since the previous survey, place against the rest of its
district and city) must not call more than 5 % of unchanged shares "säkerställd" at 5 %.

The pooled z test was used wherever every expected count was at least 5 (Cochran's rule). On the
lattice of a few dozen answers its normal tail is too thin where the share is near one half: the exact
size (every pair of answers weighed by its binomial probability) was 6.5 % for 25 against 25
respondents and 5.7 % for 40 against 40. With at most 300 respondents in each sample its p-value is now
never below Barnard's exact unconditional test's (scipy.stats.barnard_exact, pooled z, Suissa &
Shuster 1985), whose size never exceeds α. References: scipy's binomial pmf, statsmodels'
proportions_ztest and scipy's barnard_exact, computed here independently of lagesbild.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportions_ztest

from lagesbild.core import survey as sv
from lagesbild.core.proportions import two_proportion_test
from lagesbild.core.survey import survey_table

ALPHA = 0.05


def _z_p(x1, n1, x2, n2) -> float:
    if x1 + x2 in (0, n1 + n2):
        return 1.0
    return float(proportions_ztest([x1, x2], [n1, n2])[1])


def _exact_size(n1: int, n2: int, share: float) -> float:
    """P(p < α) under an unchanged share, by enumerating every pair of answers. Only pairs the z
    test calls (the reference's z p < α) can be called: the bound only raises p."""
    size = 0.0
    pmf1, pmf2 = stats.binom.pmf(np.arange(n1 + 1), n1, share), stats.binom.pmf(np.arange(n2 + 1), n2, share)
    for x1 in range(n1 + 1):
        for x2 in range(n2 + 1):
            if _z_p(x1, n1, x2, n2) < ALPHA and two_proportion_test(x1 / n1, n1, x2 / n2, n2) < ALPHA:
                size += pmf1[x1] * pmf2[x2]
    return size


@pytest.mark.parametrize(("n", "share", "old_size"), [(25, 0.5, 0.0649), (40, 0.5, 0.0567)])
def test_unchanged_shares_of_a_few_dozen_respondents_are_called_at_most_alpha(n, share, old_size):
    # the z test alone (statsmodels), the old rule: above α beyond any Monte Carlo doubt (it is exact)
    pmf = stats.binom.pmf(np.arange(n + 1), n, share)
    z_size = sum(pmf[a] * pmf[b] for a in range(n + 1) for b in range(n + 1) if _z_p(a, n, b, n) < ALPHA)
    assert z_size == pytest.approx(old_size, abs=5e-4)
    assert _exact_size(n, n, share) <= ALPHA


def test_a_seeded_simulation_of_unchanged_surveys_stays_at_alpha():
    # 4 000 unchanged places surveyed twice by 25 respondents at 50 %: the old test called 6,5 %
    rng = np.random.default_rng(7)
    n, share, reps = 25, 0.5, 4000
    x1, x2 = rng.binomial(n, share, reps), rng.binomial(n, share, reps)
    pairs = set(zip(x1.tolist(), x2.tolist(), strict=True))
    new = {(a, b): two_proportion_test(a / n, n, b / n, n) < ALPHA for a, b in pairs}
    old = {(a, b): _z_p(a, n, b, n) < ALPHA for a, b in pairs}
    called = sum(new[a, b] for a, b in zip(x1.tolist(), x2.tolist(), strict=True))
    called_old = sum(old[a, b] for a, b in zip(x1.tolist(), x2.tolist(), strict=True))
    error = 2 * np.sqrt(ALPHA * (1 - ALPHA) / reps)
    assert called_old / reps > ALPHA + error
    assert called / reps <= ALPHA + error


def test_nine_then_sixteen_of_twenty_five_is_no_longer_a_change():
    # 36 % → 64 % of 25 respondents: the z test's p = 0.0477 made it "säkerställd ökning";
    # Barnard's exact test gives 0.0649 (scipy)
    assert _z_p(9, 25, 16, 25) == pytest.approx(0.0477, abs=1e-4)
    want = stats.barnard_exact([[16, 9], [9, 16]], pooled=True).pvalue
    assert two_proportion_test(16 / 25, 25, 9 / 25, 25) == pytest.approx(want, rel=1e-9)
    assert want > ALPHA


PLACES = pd.DataFrame({"place_id": ["torg", "omr"], "name": ["Torget", "Området"],
                       "kind": ["torg", "stadsdelsomrade"], "district_id": ["omr", None]})


def _survey(rows) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["place_id", "level", "year", "indicator", "share", "respondents",
                                     "fictitious"])
    return df.assign(respondents=pd.array(df["respondents"], dtype="Int64"), year=df["year"].astype(int))


def test_the_survey_page_follows_the_bound_and_says_the_interval_disagrees():
    survey = _survey([("torg", "plats", 2021, "Oro", 9 / 25, 25, False),
                      ("torg", "plats", 2023, "Oro", 16 / 25, 25, False)])
    t = survey_table(survey, PLACES, place_id="torg", fdr=False)
    row = t[t["year"] == 2023].iloc[0]
    assert row["p_value"] == pytest.approx(stats.barnard_exact([[16, 9], [9, 16]], pooled=True).pvalue)
    assert not row["significant"]
    assert "ingen säkerställd" in row["verdict"]
    # the z test's 95 % score interval (tests/score_reference.py: +0,3 to +51,7 p.e.) still excludes 0: said so
    assert row["change_lo_pp"] > 0
    assert sv.NOTE_BARNARD in row["note"]


def test_large_samples_keep_the_z_test():
    # guard: above 300 respondents in a sample the p-value is the pooled z test's (statsmodels)
    for x1, n1, x2, n2 in ((230, 1000, 310, 1200), (170, 400, 200, 400), (40, 301, 62, 900)):
        assert two_proportion_test(x1 / n1, n1, x2 / n2, n2) == pytest.approx(_z_p(x1, n1, x2, n2), rel=1e-9)
    # and a bounded p-value is never below the z test's
    assert two_proportion_test(138 / 300, 300, 170 / 320, 320) >= _z_p(138, 300, 170, 320) * (1 - 1e-12)
