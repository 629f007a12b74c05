"""Recheck (stats): the Metod page says what the hot spot change and the concentration cannot tell,
and the numbers it gives for randomly spread crimes are what a simulation gives.

The reference is numpy alone (crimes spread at random over the cells, the top cells' share by
sorting), and lagesbild's own ``concentration`` is checked against it on the same draws.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lagesbild.analysis.methods import method_texts
from lagesbild.core.concentration import concentration

TEXTS = {t[0]: t for t in method_texts(alpha=0.05, cell_size=200, min_population=1000)}


def _random_top_share(n_crimes: int, n_cells: int, rng) -> tuple[float, float]:
    """Mean share of the crimes in the top 5 % of cells over 400 random spreads: numpy's, lagesbild's."""
    top = max(1, math.ceil(0.05 * n_cells))
    ours, ref = [], []
    for _ in range(400):
        counts = rng.multinomial(n_crimes, np.full(n_cells, 1 / n_cells))
        ref.append(np.sort(counts)[::-1][:top].sum() / n_crimes)
        ours.append(concentration(counts)[0.05])
    return float(np.mean(ref)), float(np.mean(ours))


def test_concentration_of_randomly_spread_crimes_is_as_the_method_text_says():
    _, does, assumes, cannot = TEXTS["Koncentration till få rutor"]
    assert "5 % och 10 % av rutorna" in does.replace("\xa0", " ")
    text = cannot.replace("\xa0", " ")
    rng = np.random.default_rng(1)
    one, ours = _random_top_share(200, 200, rng)  # one crime per cell on average
    assert ours == pytest.approx(one, abs=1e-12)
    assert "ett brott per ruta hamnar omkring 17 %" in text and one == pytest.approx(0.17, abs=0.01)
    quarter, _ = _random_top_share(50, 200, rng)  # one crime per four cells
    assert "ett brott på fyra rutor omkring 30 %" in text and quarter == pytest.approx(0.30, abs=0.02)
    few, _ = _random_top_share(10, 200, rng)  # as many crimes as the 10 top cells: all of them
    assert "ligger alla brott där" in text and few == 1.0


def test_hot_spot_change_says_how_a_change_is_judged():
    # since fb939f2 a new or ended hot spot is one whose neighbourhood changed beyond chance (Fisher, BH);
    # the text said before that the words were no test of a change
    heading, does, assumes, cannot = TEXTS["Heta punkter som tillkommit, kvarstår eller upphört"]
    assert "”ny het punkt”" in does and "”upphörd”" in does and "Fishers exakta test" in does
    assert "”het punkt i bara en period, ingen säkerställd förändring”" in does
    assert "oberoende" in assumes and "byta klass av slumpen" in cannot
