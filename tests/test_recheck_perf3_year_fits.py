"""perf3 keeps the year-to-year dispersion fits (issue 10): every table of a place and every period
choice with the same pair of years asked for the same small GLM again. The kept fit is keyed by the
yearly totals *and* the design (the years' positions in time), so two places, two period choices or
data read in again never share a fit they should not.

References are statsmodels' quasi-Poisson GLM of the yearly totals (``scale="X2"``), independent of
lagesbild. These are guards: they pass on the code before the cache too, and would fail if a fit were
shared between inputs that differ.
"""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm

from lagesbild.core import year_level
from lagesbild.core.year_level import _dispersions, year_dispersion


def _reference(totals, starts) -> float:
    """statsmodels' Pearson dispersion of yearly totals around a log-linear trend in years."""
    t = np.asarray(starts, float) / 12.0
    X = np.column_stack([np.ones(len(t)), t - t[0]])
    return float(sm.GLM(np.asarray(totals, float), X, family=sm.families.Poisson()).fit(scale="X2").scale)


def _series(totals) -> np.ndarray:
    """Twelve whole-number months per year with the given yearly totals (counts, as the store's)."""
    months = np.repeat(np.asarray(totals, np.int64) // 12, 12).reshape(len(totals), 12)
    months[:, 0] += np.asarray(totals, np.int64) % 12
    return months.ravel().astype(float)


@pytest.fixture(autouse=True)
def _fresh():
    kept = getattr(year_level, "_FITTED", {})  # (none before the cache: these tests then guard the fits)
    kept.clear()
    yield
    kept.clear()


def test_same_totals_other_years_are_not_shared():
    # years 0–6 and 7 against years 0–6 and 8: year 7 and year 8 count the same, so the eight totals
    # are equal, but the second set of years lies further apart in time: another fit, another φ
    totals = [100, 120, 90, 110, 100, 95, 105, 130, 130]
    y = _series(totals)
    near = [np.arange(12 * i, 12 * i + 12) for i in range(8)]
    far = near[:7] + [np.arange(96, 108)]
    phi_near, _ = year_dispersion(y, near)
    phi_far, _ = year_dispersion(y, far)
    assert phi_near == pytest.approx(_reference(totals[:8], [b[0] for b in near]), rel=1e-8)
    assert phi_far == pytest.approx(_reference(totals[:7] + [130], [b[0] for b in far]), rel=1e-8)
    assert abs(phi_near - phi_far) > 1e-3
    # asked again, in the other order: each still its own
    assert year_dispersion(y, far)[0] == phi_far and year_dispersion(y, near)[0] == phi_near


def test_two_places_and_new_data_get_their_own_fit():
    blocks = [np.arange(12 * i, 12 * i + 12) for i in range(7)]
    starts = [b[0] for b in blocks]
    a, b = [80, 95, 70, 120, 85, 90, 100], [300, 310, 280, 350, 290, 330, 305]
    both, _ = _dispersions(np.stack([_series(a), _series(b)]), blocks)
    assert both[0] == pytest.approx(_reference(a, starts), rel=1e-8)
    assert both[1] == pytest.approx(_reference(b, starts), rel=1e-8)
    # place b alone, after both were fitted together: the same number to the last bit
    alone, _ = _dispersions(_series(b)[None, :], blocks)
    assert alone[0] == both[1]
    # one year read in again with another count: a new fit, not the kept one
    changed = list(a)
    changed[3] = 90
    again, _ = _dispersions(_series(changed)[None, :], blocks)
    assert again[0] == pytest.approx(_reference(changed, starts), rel=1e-8)
    assert abs(again[0] - both[0]) > 1e-3


def test_kept_fits_are_bounded(monkeypatch):
    monkeypatch.setattr(year_level, "FITTED_SIZE", 3)
    blocks = [np.arange(12 * i, 12 * i + 12) for i in range(6)]
    rng = np.random.default_rng(7)
    rows = rng.poisson(100, size=(5, 6)).astype(float)
    phis, _ = _dispersions(np.stack([_series(r) for r in rows]), blocks)
    assert len(year_level._FITTED) <= 3
    for r, phi in zip(rows, phis, strict=True):
        assert phi == pytest.approx(_reference(r, [b[0] for b in blocks]), rel=1e-8)
