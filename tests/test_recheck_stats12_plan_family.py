"""stats12 guard (passes before and after): an action plan's effects are one Benjamini–Hochberg family
per kind of test over every activity × place × category, the totals adjusted together with them.

Reference: statsmodels' ``multipletests(method='fdr_bh')`` over the table's raw p-values: the single
categories alone, the totals (``alla``) with every single category before them.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from lagesbild.core.effects import activity_effects


def _plan(seed: int):
    months = pd.date_range("2018-01-01", "2021-12-01", freq="MS")
    rng = np.random.default_rng(seed)
    rows = []
    for pid, effect in (("a", 0.7), ("b", 1.0), ("c", 1.2)):
        for cat in ("rån", "stöld", "klotter"):
            for m in months:
                mu = 20 * (effect if m >= pd.Timestamp("2020-01-01") and cat == "rån" else 1)
                t = int(rng.poisson(mu))
                rows += [(pid, cat, m, t), ("sdo", cat, m, t + int(rng.poisson(300)))]
    monthly = pd.DataFrame(rows, columns=["place_id", "category", "month", "count"])
    monthly = monthly.groupby(["place_id", "category", "month"], as_index=False)["count"].sum()
    acts = pd.DataFrame({"activity_id": ["x", "y"], "aktivitet": ["X", "Y"],
                         "start_date": [pd.Timestamp("2020-01-01"), pd.Timestamp("2020-06-01")]})
    links = pd.DataFrame({"activity_id": ["x", "x", "y"], "place_id": ["a", "b", "c"]})
    places = pd.DataFrame({"place_id": ["a", "b", "c", "sdo"], "district_id": ["sdo", "sdo", "sdo", None],
                           "name": ["A", "B", "C", "S"]})
    return monthly, acts, links, places


def test_the_plan_is_one_family_per_kind_of_test():
    for seed in (3, 4):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            table = activity_effects(*_plan(seed))
        single, total = table[table["category"] != "alla"], table[table["category"] == "alla"]
        assert len(single) == 9 and len(total) == 3
        for raw, adjusted in (("p_value", "q_value"), ("relative_p", "relative_q")):
            assert np.allclose(multipletests(single[raw], method="fdr_bh")[1], single[adjusted])
            both = np.concatenate([single[raw], total[raw]])
            assert np.allclose(multipletests(both, method="fdr_bh")[1][len(single):], total[adjusted])
            flags = "significant" if raw == "p_value" else "relative_significant"
            assert (table[flags].astype(bool) == (table[adjusted] < 0.05)).all()
        fdr = table.attrs["fdr"]
        assert fdr["p_value"]["m"] == 12 and fdr["relative_p"]["m"] == 12
