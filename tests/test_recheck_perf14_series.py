"""perf14 (issue 10): two small speed-ups of a place change with the same answers.

* :func:`lagesbild.core.series._frame` builds a series' nullable integer columns directly
  (:func:`lagesbild.core.series._int64`) instead of through ``pd.array(..., dtype="Int64")``, whose
  checks of the input were 0.14 ms of every ``cube_series``. Reference: pandas' ``pd.array`` itself
  (values, mask and even the masked data), and its error for numbers that are not whole.
* :func:`lagesbild.core.year_level._dispersions` sums each year block's 12 months with one reshape
  instead of a block at a time. Reference: the old totals (copied here), compared to the last bit on
  hypothesis series with fractions, zeros and gaps between blocks.

``test_int64_without_pandas_checks`` failed on the old code (no ``_int64``); the rest are guards.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.core import series, year_level
from lagesbild.core.cube import build_cube
from lagesbild.core.year_level import YEAR_MONTHS, _dispersions, _irls


def _int64(values):
    return series._int64(values)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.integers(-10**6, 10**6).map(float), st.just(float("nan")), st.just(-0.0)),
                max_size=60))
def test_int64_as_pandas(values):
    x = np.array(values, dtype=float)
    ref, got = pd.array(x, dtype="Int64"), _int64(x)
    assert type(got) is type(ref) and got.dtype == ref.dtype
    assert got._data.tobytes() == ref._data.tobytes() and got._mask.tobytes() == ref._mask.tobytes()


@pytest.mark.parametrize("bad", [[1.5], [np.inf], [1.0, 2.0**70], [-np.inf, np.nan]])
def test_int64_not_whole_numbers_as_pandas(bad):
    x = np.array(bad, dtype=float)
    with pytest.raises(Exception) as ref:
        pd.array(x, dtype="Int64")
    with pytest.raises(type(ref.value)):
        _int64(x)


def test_int64_without_pandas_checks(monkeypatch):
    # the speed-up itself: whole numbers do not go through pd.array
    def refused(*a, **k):
        raise AssertionError("pd.array")

    monkeypatch.setattr(series.pd, "array", refused)
    got = _int64(np.array([3.0, np.nan]))
    assert got.tolist() == [3, pd.NA]


def test_cube_series_frame_as_pandas_built_it():
    months = pd.date_range("2019-01-01", periods=30, freq="MS")
    monthly = pd.DataFrame({"place_id": "a", "category": ["rån", "stöld"] * 15,
                            "month": months[::2].repeat(2)[:30], "count": np.arange(30) % 7})
    cov = pd.DataFrame({"place_id": [None] * 26, "month": months[:26]})
    got = series.cube_series(build_cube(monthly, cov), "a", ["rån", "stöld", "okänd"])
    for column in ("count", "rolling_12"):
        ref = pd.array(got[column].to_numpy(dtype=float, na_value=np.nan), dtype="Int64")
        assert got[column].array._data.tobytes() == ref._data.tobytes()
        assert got[column].array._mask.tobytes() == ref._mask.tobytes()
    # by hand: rån counts 0, 2, 4, … (arange % 7 at even rows) every other month, 0 between; the
    # rolling sum of the first 12 months 0+2+4+6+1+3 = 16 (from the 12th month on)
    ran = got[got["category"] == "rån"]
    assert str(got["count"].dtype) == "Int64" and ran["count"].iloc[:6].tolist() == [0, 0, 2, 0, 4, 0]
    assert ran["rolling_12"].iloc[11] == 16 and ran["rolling_12"].iloc[:11].isna().all()
    assert got.loc[got["category"] == "okänd", "count"].eq(0).all()


def _dispersions_before(Y, blocks):
    """``year_level._dispersions`` of commit 46f626a without its cache: the totals a block at a time."""
    k = len(blocks)
    if k < year_level.MIN_YEARS:
        return np.full(len(Y), np.nan), 0
    totals = np.stack([Y[:, b].sum(axis=1) for b in blocks], axis=1)
    t = np.array([b[0] for b in blocks], dtype=float) / YEAR_MONTHS
    X = np.column_stack([np.ones(k), t - t[0]])
    phi = np.full(len(Y), np.nan)
    some = np.flatnonzero(totals.sum(axis=1) > 0)
    if len(some):
        fit = totals[some]
        mu = _irls(fit, X)
        phi[some] = ((fit - mu) ** 2 / mu).sum(axis=1) / (k - 2)
    return phi, k - 2


@st.composite
def _years(draw):
    n_years = draw(st.integers(5, 10))
    starts = sorted(draw(st.lists(st.integers(0, n_years * 12 + 24), min_size=n_years, max_size=n_years,
                                  unique=True)))
    blocks, at = [], 0
    for s in starts:  # blocks apart, in order, as year_blocks gives them
        at = max(at, s)
        blocks.append(np.arange(at, at + YEAR_MONTHS))
        at += YEAR_MONTHS
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    Y = rng.gamma(draw(st.sampled_from([0.2, 1.0, 8.0])), 3.0, (draw(st.integers(1, 6)), at + 3))
    if draw(st.booleans()):
        Y = Y.round()
    Y[rng.random(Y.shape) < draw(st.sampled_from([0.0, 0.5, 0.95]))] = 0
    return Y, blocks


@settings(max_examples=150, deadline=None)
@given(_years())
def test_year_dispersions_as_before(case):
    Y, blocks = case
    year_level._FITTED.clear()
    phi, df = _dispersions(Y, blocks)
    ref, ref_df = _dispersions_before(Y, blocks)
    assert df == ref_df and phi.tobytes() == ref.tobytes()
    year_level._FITTED.clear()


def test_year_dispersion_statsmodels():
    import statsmodels.api as sm

    totals = np.array([100, 120, 90, 110, 100, 95, 105, 130], float)
    y = np.repeat(totals / 12, 12)
    blocks = [np.arange(12 * i, 12 * i + 12) for i in range(8)]
    year_level._FITTED.clear()
    phi, df = _dispersions(y[None, :], blocks)
    X = np.column_stack([np.ones(8), np.arange(8.0)])
    ref = sm.GLM(totals, X, family=sm.families.Poisson()).fit(scale="X2").scale
    assert df == 6 and phi[0] == pytest.approx(ref, rel=1e-8)
