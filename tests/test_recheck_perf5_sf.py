"""perf5 (issue 10): the quasi-Poisson and trend tests' p-values read from scipy's special functions
(``core.dispersion.f_sf_1``, ``core.trend._t_sf``) instead of through its distributions' argument
handling. A guard (it passes on the code before too, which called the distributions): the value is
scipy's to the last bit for every statistic and degrees of freedom, edge cases included."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from lagesbild.core import dispersion, trend

EDGES_X = [0.0, -0.0, -1.0, 1e-300, 1e-12, 0.5, 1.0, 3.84, 50.0, 1e6, 1e300, math.inf, -math.inf, math.nan]
EDGES_DF = [1.0, 1.5, 2.0, 6.0, 23.7, 118.0, 1e6, math.inf, 0.0, -1.0, math.nan, 1e-9]


def _grid():
    rng = np.random.default_rng(10)
    x = np.concatenate([EDGES_X, rng.exponential(4.0, 3000), rng.uniform(0, 40, 2000)])
    df = np.concatenate([EDGES_DF, rng.uniform(1, 120, 200), rng.integers(1, 200, 100).astype(float)])
    return np.repeat(x, len(df)), np.tile(df, len(x))


def test_f_sf_1_is_scipys_f_sf_value_for_value():
    x, df = _grid()
    want = stats.f.sf(x, 1, df)
    got = dispersion.f_sf_1(x, df)
    assert got.dtype == want.dtype and got.shape == want.shape
    assert np.array_equal(got, want, equal_nan=True)
    for xi, di in zip(EDGES_X, EDGES_DF * 2, strict=False):  # one number: a number, as scipy's
        one, ref = dispersion.f_sf_1(xi, di), stats.f.sf(xi, 1, di)
        assert type(one) is type(ref) and (one == ref or (math.isnan(one) and math.isnan(ref)))


def test_t_sf_is_scipys_t_sf_value_for_value():
    x, df = _grid()
    x, df = x[::7], df[::7]
    want = stats.t.sf(x, df)
    got = np.array([trend._t_sf(float(a), float(b)) for a, b in zip(x, df, strict=True)])
    assert np.array_equal(got, want, equal_nan=True)


def test_tests_give_the_p_values_scipys_distributions_gave(monkeypatch):
    """The rate, share and trend tests with ``f_sf_1`` and with scipy's distribution in its place."""
    rng = np.random.default_rng(4)
    a, b, c, d = (rng.poisson(30, 500) for _ in range(4))
    ea, eb = rng.integers(28, 366, 500), rng.integers(28, 366, 500)
    phi, nu = 1 + rng.exponential(1.0, 500), rng.uniform(1, 60, 500)
    a[:20] = b[:20] = 0
    disp = dispersion.Dispersion(2.5, 2.5, 17.3, 36, dispersion.METHOD_QUASI, "")
    counts = [rng.poisson(40, 5) for _ in range(40)]

    def answers():
        return (dispersion.quasi_rate_p(a, b, ea, eb, phi, nu), dispersion.quasi_share_p(a, c, b, d, phi, nu),
                [dispersion.quasi_trend_p(lr, disp) for lr in (0.0, 0.7, 3.84, 12.0)],
                [trend.trend(y, exposure=[365] * 5, dispersion=disp).as_dict() for y in counts])

    got = answers()
    monkeypatch.setattr(dispersion, "f_sf_1", lambda x, df: stats.f.sf(x, 1, np.asarray(df, dtype=float)))
    monkeypatch.setattr(trend, "_t_sf", lambda x, df: stats.t.sf(x, df))
    want = answers()
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
    assert got[2] == want[2]
    assert [str(r) for r in got[3]] == [str(r) for r in want[3]]
