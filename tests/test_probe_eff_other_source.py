"""A place whose counts exceed its district's (another source) gets no comparison with the rest of it.

A file of monthly counts for one torg beside incidents for its district gives the torg more crimes
than the district holds (the situation of tests/test_other_source_counts.py for Jämför). The rest of the
district was clipped to 0 month by month, and the before/after table said of narkotika "jämförelseområdet
hade inga brott före eller efter start" (the district had about 40 a month) and compared the total of
11 085 crimes with a "rest" of 313. Now those rows say that the counts come from different sources and
leave the family of tests; the other categories are compared as before (Fisher's exact test, scipy).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import fisher_exact

from lagesbild.core.effects import before_after

MONTHS = pd.date_range("2021-01-01", periods=20, freq="MS")  # short history: the exact tests
OTHER = ("kan inte bedömas: platsen har fler brott än området runt den, så antalen kommer från olika "
         "källor och kan inte jämföras")


def _frame(narkotika_place):
    rng = np.random.default_rng(3)
    n = len(MONTHS)
    parts = [("torg", "narkotika", narkotika_place), ("sdo", "narkotika", rng.poisson(40, n)),
             ("torg", "rån", rng.poisson(3, n)), ("sdo", "rån", rng.poisson(30, n))]
    return pd.concat([pd.DataFrame({"place_id": p, "category": c, "month": MONTHS, "count": v})
                      for p, c, v in parts], ignore_index=True)


def _windows(m, pid, cat):
    s = m[(m["place_id"] == pid) & (m["category"] == cat)].set_index("month")["count"]
    return int(s["2021-01-01":"2021-10-01"].sum()), int(s["2021-11-01":"2022-08-01"].sum())


def test_a_category_counted_above_its_district_is_not_compared_with_a_clipped_rest():
    m = _frame(900 + np.random.default_rng(4).poisson(20, len(MONTHS)))
    out = before_after(m, place_id="torg", start="2021-11-10", months=10, district_id="sdo").set_index("category")
    for cat in ("narkotika", "alla"):
        assert out.loc[cat, "relative_verdict"] == OTHER
        assert pd.isna(out.loc[cat, "relative_p"]) and pd.isna(out.loc[cat, "comparison_before"])
    t0, t1 = _windows(m, "torg", "rån")
    d0, d1 = _windows(m, "sdo", "rån")
    assert (out.loc["rån", "comparison_before"], out.loc["rån", "comparison_after"]) == (d0 - t0, d1 - t1)
    assert np.isclose(out.loc["rån", "relative_p"], fisher_exact([[t1, t0], [d1 - t1, d0 - t0]]).pvalue)
    assert out.attrs["fdr"]["relative_p"]["m"] == 1  # only rån is tested against the comparison area
    # the place's own before/after change is still tested
    assert out.loc["narkotika", "verdict"] in ("ingen säkerställd förändring", "ökning, statistiskt säkerställd",
                                               "minskning, statistiskt säkerställd")


def test_a_month_above_the_district_outside_the_windows_leaves_the_comparison():
    counts = np.random.default_rng(5).poisson(4, len(MONTHS))
    counts[-1] = 500  # Aug 2022 is outside windows of 3 months around a start in Nov 2021
    m = _frame(counts)
    out = before_after(m, place_id="torg", start="2021-11-01", months=3, district_id="sdo").set_index("category")
    assert out.loc["narkotika", "relative_verdict"] != OTHER and np.isfinite(out.loc["narkotika", "relative_p"])
