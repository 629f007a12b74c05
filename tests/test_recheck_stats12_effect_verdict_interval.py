"""stats12 guard: an effect's verdict against the comparison area agrees with its interval and q-value,
also when only one of the two areas has a dispersion (the district's file shorter than 24 months), and
the Fisher rows equal scipy's ``fisher_exact``.

Random places (Poisson or negative binomial months, an effect of 0.6, 1 or 1.5 after the start) and
their district; the interval is at the family's Benjamini–Yekutieli level, so it excludes 1 exactly
when the adjusted verdict says "säkerställd".
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from lagesbild.core.effects import before_after

MONTHS = pd.date_range("2018-01-01", "2021-12-01", freq="MS")


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([1.0, 0.6, 1.5]), st.booleans(), st.booleans())
def test_relative_verdict_interval_and_p_agree(seed, effect, overdispersed, short_district):
    rng = np.random.default_rng(seed)
    lam, rest = rng.uniform(2, 30), rng.uniform(50, 300)
    district_months = MONTHS[-22:] if short_district else MONTHS
    rows = []
    for cat in ("rån", "stöld"):
        for m in MONTHS:
            mu = lam * (effect if m >= pd.Timestamp("2021-01-01") and cat == "rån" else 1.0)
            t = int(rng.poisson(rng.gamma(3.0, mu / 3.0) if overdispersed else mu))
            rows.append(("torg", cat, m, t))
            if m in district_months:
                rows.append(("sdo", cat, m, t + int(rng.poisson(rest))))
    monthly = pd.DataFrame(rows, columns=["place_id", "category", "month", "count"])
    coverage = pd.concat([pd.DataFrame({"source": "p", "place_id": "torg", "month": MONTHS}),
                          pd.DataFrame({"source": "d", "place_id": "sdo", "month": district_months})])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = before_after(monthly, place_id="torg", start="2021-01-01", district_id="sdo",
                             coverage=coverage, months=8)
    for r in table.itertuples():
        if pd.isna(r.relative_p):
            continue
        excludes = r.relative_ci_low > 1 or r.relative_ci_high < 1
        assert bool(r.relative_significant) == excludes == (r.relative_q < 0.05), r
        assert bool(r.significant) == (r.q_value < 0.05)
        if r.relative_phi == 1 and np.isnan(r.relative_nu):
            want = stats.fisher_exact([[r.count_after, r.count_before],
                                       [r.comparison_after, r.comparison_before]]).pvalue
            assert abs(want - r.relative_p) < 1e-9
