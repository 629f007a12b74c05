"""The before/after table's total row ("alla") sums what the comparisons' total sums.

Two defects, both in the same row:
- Plats passes the categories the user chose; its comparison table's "Alla kategorier" is their sum,
  but the before/after table's "Alla kategorier" summed every category of the place, shown or not
  (the demo's Hässelby torg: 474 before the start beside four shown rows summing to 454).
- A source with its own total (Brå's "Totalt antal brott", category ``totalt``) beside its parts: the
  comparisons never add ``totalt`` into "alla", the before/after total added it to its own parts and
  counted every crime twice (Boden's monthly file: "Alla kategorier" 2 052 beside "totalt" 2 079 over
  fewer months).
Expected values are counted by hand from the frame; the test of the total is the exact conditional
Poisson test (history shorter than 24 months), i.e. scipy's binomial test at p = ½.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import binomtest

from lagesbild.core.effects import activity_effects, before_after

MONTHS = pd.date_range("2020-01-01", periods=12, freq="MS")  # 12 months: exact test, windows of 6


def _frame(with_total: bool) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    parts = {"rån": 4, "stöld": 9, "narkotikabrott": 6}
    rows = [("torg", c, m, int(rng.poisson(lam))) for c, lam in parts.items() for m in MONTHS]
    df = pd.DataFrame(rows, columns=["place_id", "category", "month", "count"])
    if with_total:  # the source's own total: every crime of the place, more than the parts listed
        extra = rng.poisson(5, len(MONTHS))
        tot = df.groupby("month")["count"].sum().to_numpy() + extra
        df = pd.concat([df, pd.DataFrame({"place_id": "torg", "category": "totalt", "month": MONTHS,
                                          "count": tot})], ignore_index=True)
    return df


def _hand(df, cats):
    sel = df[df["category"].isin(cats)]
    before = int(sel[sel["month"] < "2020-07-01"]["count"].sum())
    after = int(sel[sel["month"] >= "2020-07-01"]["count"].sum())
    return before, after


def test_the_total_of_chosen_categories_is_their_sum():
    df = _frame(False)
    out = before_after(df, place_id="torg", start="2020-07-15", months=6, category=["rån", "stöld"])
    assert out["category"].tolist() == ["rån", "stöld", "alla"]
    total = out.set_index("category").loc["alla"]
    b, a = _hand(df, ["rån", "stöld"])
    assert (int(total["count_before"]), int(total["count_after"])) == (b, a)
    assert total["p_value"] == binomtest(a, a + b, 0.5).pvalue
    # the rows shown add up to the total, as in the comparison table above it on Plats
    rows = out[out["category"] != "alla"]
    assert rows["count_before"].sum() == total["count_before"]


def test_a_source_s_own_total_is_not_added_to_its_parts():
    df = _frame(True)
    out = before_after(df, place_id="torg", start="2020-07-01", months=6).set_index("category")
    b, a = _hand(df, ["rån", "stöld", "narkotikabrott"])
    assert (int(out.loc["alla", "count_before"]), int(out.loc["alla", "count_after"])) == (b, a)
    assert out.loc["alla", "p_value"] == binomtest(a, a + b, 0.5).pvalue
    tb, ta = _hand(df, ["totalt"])  # its own row stays the source's total
    assert (int(out.loc["totalt", "count_before"]), int(out.loc["totalt", "count_after"])) == (tb, ta)
    assert out.loc["alla", "count_before"] < out.loc["totalt", "count_before"]


def test_the_plan_s_table_sums_the_same_way():
    df = _frame(True)
    acts = pd.DataFrame({"activity_id": ["a"], "aktivitet": ["A"], "start_date": [pd.Timestamp("2020-07-01")]})
    links = pd.DataFrame({"activity_id": ["a"], "place_id": ["torg"]})
    places = pd.DataFrame({"place_id": ["torg"], "district_id": [None]})
    out = activity_effects(df, acts, links, places, months=6).set_index("category")
    assert int(out.loc["alla", "count_after"]) == _hand(df, ["rån", "stöld", "narkotikabrott"])[1]
