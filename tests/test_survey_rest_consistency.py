"""A district's survey figure that cannot contain the place's (fewer "yes" answers than the place
alone: weighted, or not including the place after all) gives no difference to the rest of the
district, instead of a rest clipped to 0 % and a "säkerställd" difference.

Reference: brute force over the integer answers that round to the published shares (whole percent):
a rest exists when some place count and district count differ by 0 to the rest's respondents.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportions_ztest

from lagesbild.core.survey import survey_table
from lagesbild.core.survey_rest import rest_of

PLACES = pd.DataFrame({"place_id": ["t", "d", "s"], "kind": ["torg", "stadsdelsomrade", "stad"],
                       "district_id": ["d", None, None]})


def _feasible(p, n, ps, pn) -> bool:
    """Some integer answers rounding to the published whole-percent shares leave the rest of the
    district between none and all of its respondents answering yes."""
    xs = [x for x in range(n + 1) if abs(x / n - p) <= 0.005 + 1e-12]
    xd = [x for x in range(pn + 1) if abs(x / pn - ps) <= 0.005 + 1e-12]
    return any(0 <= d - x <= pn - n for x in xs for d in xd)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 100), st.integers(1, 80), st.integers(0, 100), st.integers(2, 160))
def test_a_rest_is_refused_only_where_no_answers_could_give_both_figures(pp, n, pd_, pn):
    from lagesbild.core.survey_rest import rest_impossible

    if pn <= n:
        return
    p, ps = pp / 100, pd_ / 100
    impossible = bool(rest_impossible(np.array([p]), np.array([float(n)]), np.array([ps]),
                                      np.array([float(pn)]))[0])
    if _feasible(p, n, ps, pn):
        assert not impossible
    share, _ = rest_of([p], [n], [ps], [pn])
    assert np.isnan(share[0]) == impossible


def _table(place_share, district_share, n=(100, 120)):
    survey = pd.DataFrame({"place_id": ["t", "d", "s"], "level": ["plats", "stadsdelsomrade", "stad"],
                           "indicator": "oro", "year": 2021, "share": [place_share, district_share, 0.12],
                           "respondents": pd.array([n[0], n[1], 5000], dtype="Int64"), "fictitious": False})
    return survey_table(survey, PLACES, place_id="t", fdr=False).iloc[0]


def test_a_district_figure_that_cannot_hold_the_place_is_not_tested():
    # 50 of 100 answer yes at the place, 12 of 120 in the district said to include it: impossible
    row = _table(0.50, 0.10)
    assert np.isnan(row["p_district"]) and np.isnan(row["diff_district"])
    assert np.isnan(row["diff_district_lo"]) and np.isnan(row["diff_district_hi"])
    assert "kan inte innehålla platsens" in row["note"]
    # the city's figure can: tested against the rest of the city as before (statsmodels' z test)
    rest_yes, rest_n = 0.12 * 5000 - 50, 4900
    want = proportions_ztest([50, rest_yes], [100, rest_n])[1]
    assert abs(row["p_city"] - want) < 1e-12


def test_a_possible_district_figure_is_still_compared_with_its_rest():
    row = _table(0.30, 0.12, n=(300, 2000))
    rest_yes, rest_n = 0.12 * 2000 - 0.30 * 300, 1700
    assert abs(row["p_district"] - proportions_ztest([90, rest_yes], [300, rest_n])[1]) < 1e-12
    assert "kan inte innehålla" not in row["note"]
