"""stats12 guards (passed before and after): two survey rounds with few respondents (n < 40), and a
question asked in only one round.

References: scipy's ``fisher_exact`` where an expected count is under 5 (Cochran), else statsmodels'
pooled ``proportions_ztest``, bounded below by scipy's ``barnard_exact(pooled=True)`` where the z test's
p is under 0.2 (both samples at most 300: every sample here). The question of one round only has no
previous round and no test; the verdict agrees with the change's interval unless the row's note names
Fisher's or Barnard's test as the one deciding.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportions_ztest

from lagesbild.core.survey import survey_table


@st.composite
def _rounds(draw):
    n1, n2 = draw(st.integers(3, 39)), draw(st.integers(3, 39))
    return n1, draw(st.integers(0, n1)), n2, draw(st.integers(0, n2))


@settings(max_examples=50, deadline=None)
@given(_rounds())
def test_small_rounds_against_scipy_and_statsmodels(r):
    n1, x1, n2, x2 = r
    survey = pd.DataFrame({"place_id": "t", "level": "plats", "year": [2019, 2021, 2021],
                           "indicator": ["oro", "oro", "ny fråga 2021"], "share": [x1 / n1, x2 / n2, 0.5],
                           "respondents": pd.array([n1, n2, 20], dtype="Int64"), "fictitious": False})
    out = survey_table(survey, pd.DataFrame({"place_id": ["t"], "district_id": [None]}), place_id="t",
                       fdr=False)
    new = out[out["indicator"] == "ny fråga 2021"].iloc[0]
    assert pd.isna(new["prev_year"]) and pd.isna(new["p_value"]) and pd.isna(new["significant"])
    row = out[(out["indicator"] == "oro") & (out["year"] == 2021)].iloc[0]
    pooled = (x1 + x2) / (n1 + n2)
    expected = min(n1, n2) * min(pooled, 1 - pooled)
    if 0 < expected < 5:
        want = stats.fisher_exact([[x2, n2 - x2], [x1, n1 - x1]]).pvalue
    elif pooled in (0, 1):
        want = 1.0
    else:
        want = proportions_ztest([x2, x1], [n2, n1])[1]
        if want < 0.2:
            want = max(want, stats.barnard_exact([[x2, x1], [n2 - x2, n1 - x1]], pooled=True).pvalue)
    assert abs(min(want, 1.0) - row["p_value"]) < 1e-6
    excludes = row["change_lo_pp"] > 0 or row["change_hi_pp"] < 0
    if bool(row["significant"]) != excludes:
        assert "Fisher" in row["note"] or "Barnard" in row["note"]
