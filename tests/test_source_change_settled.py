"""Only a lasting change of source is a change of source in the dispersion model.

The model got a level of its own from every month whose sources differed from the month before's
(stats2's ``315ae5e``): a place whose second source has rows in some months only (a file of a few
months, incidents only in months with a crime beside a monthly file of every month) then got a step
column for every flip (57 over ten years here, each taking a residual degree of freedom; with
more flips none would be left). A run shorter than ``SETTLED_MONTHS`` now takes the source around it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm

from lagesbild.core.cube import source_codes
from lagesbild.core.dispersion import design, estimate_many
from lagesbild.core.period_pairs import source_steps

MONTHS = pd.date_range("2016-09-01", periods=120, freq="MS")


def _codes(sources: list[list[str]]) -> np.ndarray:
    """The cube's source codes of one place whose month ``i`` has rows from ``sources[i]``."""
    rows = [(i, s) for i, names in enumerate(sources) for s in names]
    monthly = pd.DataFrame({"source": [s for _, s in rows]})
    m = np.array([i for i, _ in rows])
    return source_codes(monthly, np.zeros(len(rows), int), m, (1, 1, len(sources)))[0]


def test_a_source_with_rows_in_some_months_only_is_no_change_of_source():
    rng = np.random.default_rng(3)
    sources = [["månadsfil", "händelser"] if rng.random() < 0.3 else ["månadsfil"] for _ in MONTHS]
    assert source_steps(_codes(sources)) is None
    y = rng.poisson(4, len(MONTHS)).astype(float)
    got = estimate_many(y[None, :], MONTHS, steps=source_steps(_codes(sources)))[0]
    ref = sm.GLM(y, design(MONTHS), family=sm.families.Poisson()).fit(scale="X2")
    assert got.df_resid == ref.df_resid and abs(got.phi_raw - ref.scale) < 1e-8


def test_a_lasting_change_of_source_still_is_one():
    sources = [["månadsfil"]] * 60 + [["händelser"]] * 60
    steps = source_steps(_codes(sources))
    assert steps.shape == (120, 1) and steps[:60].sum() == 0 and steps[60:].all()
