"""The survey's place against the rest of its district when the shares are published rounded (stats2).

The rest of the district is worked out of two published shares, ``(p_d n_d − p_p n_p) / (n_d − n_p)``.
Shares published in whole percent carry a rounding error of up to ±0,5 p.e. each, and the district's is
multiplied by ``n_d / (n_d − n_p)``: for a place of 900 of the district's 1 000 respondents by ten. The
test treated the rest's share as exact: with the same share everywhere, about a third of the
differences to the rest were "säkerställd" at 5 %. The rest is now tested as the smaller sample its
rounding makes it (``core.survey_rest.rest_respondents``).

References: statsmodels' pooled z test (``proportions_ztest``) on the effective sample written out by
hand, and seeded simulations for the level and the power.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportions_ztest

from lagesbild.core.survey import survey_table

#: the row's note when the rest's rounding is counted (core.survey.NOTE_ROUNDED)
ROUNDED = "räknas fram ur avrundade andelar"
PLACES = pd.DataFrame({"place_id": ["torg", "sdo"], "district_id": ["sdo", None]})


def _survey(rows):
    df = pd.DataFrame(rows, columns=["place_id", "level", "year", "indicator", "share", "respondents"])
    return df.assign(respondents=pd.array(df["respondents"], dtype="Int64"), fictitious=False)


def _simulated(rng, n_place, n_district, shift=0.0, indicators=6, years=(2021, 2022, 2023)):
    """Place and district published in whole percent; the place's true share is the rest's + shift."""
    rows = []
    for k in range(indicators):
        for year in years:
            rest_share = rng.uniform(0.1, 0.3)
            x_place = rng.binomial(n_place, min(rest_share + shift, 1.0))
            x_rest = rng.binomial(n_district - n_place, rest_share)
            rows += [("torg", "plats", year, f"i{k}", round(x_place / n_place, 2), n_place),
                     ("sdo", "stadsdelsomrade", year, f"i{k}", round((x_place + x_rest) / n_district, 2),
                      n_district)]
    return _survey(rows)


def _rejections(seed, n_place, n_district, shift, reps):
    rng = np.random.default_rng(seed)
    hits = tests = 0
    for _ in range(reps):
        t = survey_table(_simulated(rng, n_place, n_district, shift), PLACES, place_id="torg", fdr=False)
        p = t["p_district"].dropna()
        hits, tests = hits + int((p < 0.05).sum()), tests + len(p)
    return hits / tests, tests


def test_unchanged_shares_of_a_place_that_is_most_of_its_district_keep_the_level():
    rate, tests = _rejections(1, 900, 1000, 0.0, 60)
    assert tests > 1000
    assert rate <= 0.06  # was 0.30: a third of equal shares called different


def test_a_real_difference_is_still_found():
    # the place 25 p.e. above a rest of 100 respondents known to ±4 p.e.; 10 p.e. above a rest of 1 400
    rate, _ = _rejections(2, 900, 1000, 0.25, 30)
    assert rate >= 0.9
    rate, _ = _rejections(3, 600, 2000, 0.10, 30)
    assert rate >= 0.95


def test_the_rest_is_tested_as_the_sample_its_rounding_leaves():
    t = survey_table(_survey([("torg", "plats", 2023, "oro", 0.20, 900),
                              ("sdo", "stadsdelsomrade", 2023, "oro", 0.19, 1000)]),
                     PLACES, place_id="torg", fdr=False).iloc[0]
    rest = (0.19 * 1000 - 0.20 * 900) / 100  # 10 %
    assert t["diff_district"] == pytest.approx((0.20 - rest) * 100)
    # by hand: the rest's rounding variance 0.005²/3 · (1000² + 900²) / 100², and the sample of 100
    # that has that much more variance under the pooled share
    pooled = (0.20 * 900 + rest * 100) / 1000
    var = pooled * (1 - pooled)
    n_eff = var / (var / 100 + 0.005 ** 2 / 3 * (1000 ** 2 + 900 ** 2) / 100 ** 2)
    _, ref = proportions_ztest([0.20 * 900, rest * n_eff], [900, n_eff])
    assert t["p_district"] == pytest.approx(ref, rel=1e-9)
    assert ref > 0.05  # 20 % against 10 % of a rest known only to ±4 p.e.
    _, naive = proportions_ztest([0.20 * 900, rest * 100], [900, 100])
    assert naive < 0.05  # what was said before: "säkerställd"
    assert t["diff_district_lo"] < 0 < t["diff_district_hi"]  # the interval agrees with the test
    assert ROUNDED in t["note"]


def test_shares_with_a_decimal_or_from_counts_carry_their_own_rounding_only():
    # one decimal: a tenth of the rounding; shares computed from counts: none, the plain z test
    exact = survey_table(_survey([("torg", "plats", 2023, "oro", 180 / 900, 900),
                                  ("sdo", "stadsdelsomrade", 2023, "oro", 187 / 1000, 1000)]),
                         PLACES, place_id="torg", fdr=False).iloc[0]
    rest = (187 - 180) / 100
    _, ref = proportions_ztest([180, 7], [900, 100])
    assert exact["p_district"] == pytest.approx(ref, rel=1e-9)
    assert exact["diff_district"] == pytest.approx((0.2 - rest) * 100)
    assert ROUNDED not in exact["note"]
