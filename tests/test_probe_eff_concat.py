"""Before/after tables are built without pandas' deprecated concat of all-NA or empty blocks.

`lagesbild pack` printed pandas' FutureWarning ("The behavior of DataFrame concatenation with empty or
all-NA entries is deprecated") from core/effects.py: an activity without windows (started after the
data, or before them) had its window days as NaT in datetime64[ns] beside the others' datetime64[s],
and the family's other tests of a block without any were an empty frame of object columns. pandas
still drops such blocks when it decides a column's dtype; a future pandas will not. Here the warning
is an error, and the numbers are those counted by hand.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from lagesbild.core.effects import activity_effects, before_after

MONTHS = pd.date_range("2018-01-01", periods=36, freq="MS")  # Jan 2018 – Dec 2020


def _monthly() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    rows = [(pid, cat, m, int(rng.poisson(lam)))
            for pid, lam in (("torg", 6), ("sdo", 40)) for cat in ("rån", "stöld") for m in MONTHS]
    return pd.DataFrame(rows, columns=["place_id", "category", "month", "count"])


PLACES = pd.DataFrame({"place_id": ["torg", "sdo"], "district_id": ["sdo", None], "name": ["Torget", "SDO"]})


@pytest.mark.parametrize("late_first", [True, False])
def test_an_activity_without_windows_beside_one_with_them_needs_no_deprecated_concat(late_first):
    monthly = _monthly()
    starts = ["2030-01-01", "2019-06-20"] if late_first else ["2019-06-20", "2015-03-01"]
    acts = pd.DataFrame({"activity_id": ["a", "b"], "aktivitet": ["A", "B"],
                         "start_date": pd.to_datetime(starts)})
    links = pd.DataFrame({"activity_id": ["a", "b"], "place_id": ["torg", "torg"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        out = activity_effects(monthly, acts, links, PLACES)
    normal = out[(out["activity_id"] == ("b" if late_first else "a")) & (out["category"] == "rån")].iloc[0]
    none = out[out["activity_id"] == ("a" if late_first else "b")]
    # the windows by hand: the start month (June 2019) is the first month after
    assert normal["before_start"] == pd.Timestamp("2018-06-01")
    assert normal["before_end"] == pd.Timestamp("2019-05-31")
    assert normal["after_start"] == pd.Timestamp("2019-06-01")
    assert normal["after_end"] == pd.Timestamp("2020-05-31")
    torg = monthly[(monthly["place_id"] == "torg") & (monthly["category"] == "rån")].set_index("month")["count"]
    assert normal["count_before"] == torg["2018-06-01":"2019-05-01"].sum()
    assert normal["count_after"] == torg["2019-06-01":"2020-05-01"].sum()
    assert none["before_start"].isna().all() and none["after_end"].isna().all()
    assert none["count_before"].isna().all()
    for col in ("before_start", "before_end", "after_start", "after_end"):
        assert pd.api.types.is_datetime64_dtype(out[col])


def test_categories_with_their_own_months_need_no_deprecated_concat():
    """Coverage naming categories splits the table into blocks by months: one with the family's other
    tests (stöld, not asked for) and one without any (rån), whose empty frame was concatenated."""
    monthly = _monthly()
    cov = pd.concat([
        pd.DataFrame({"source": "s", "place_id": None, "category": "rån", "month": MONTHS}),
        pd.DataFrame({"source": "s", "place_id": None, "category": "stöld", "month": MONTHS[:30]}),
    ], ignore_index=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        out = before_after(monthly, place_id="torg", start="2019-06-01", category="rån", district_id="sdo",
                           coverage=cov)
    assert out["category"].tolist() == ["rån"]
    # the family: rån and stöld before/after, each tested (stöld's months end Jun 2020: 12 after)
    assert out.attrs["fdr"]["p_value"]["m"] == 2 and out.attrs["fdr"]["hidden"] == 1
