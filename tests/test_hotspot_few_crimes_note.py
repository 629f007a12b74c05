"""A grid with fewer crimes than Gi* needs says so, instead of counting its cells as tested (same3: the
pack's map of a place with one crime said "För få brott (1)" on the map and "3455 rutor testas
samtidigt och har korrigerats för många test …" under it)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from shapely.geometry import box

from lagesbild.core.hotspot_limits import MIN_INCIDENTS
from lagesbild.core.hotspots import hotspots
from lagesbild.figures.maplayers import too_few


def _grid(n):
    rng = np.random.default_rng(11)
    xy = rng.uniform(0, 5000, (n, 2))
    return hotspots(pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1]}), box(0, 0, 5000, 5000), exclude_water=False)


def test_few_crimes_are_said_as_the_map_says_them():
    cells = _grid(3)
    assert too_few(cells) == "För få brott (3) för en meningsfull hot spot-analys"
    note = cells.attrs["fdr_note"]
    assert "testas samtidigt" not in note
    assert note.startswith("Området har bara 3 brott i urvalet") and f"minst {MIN_INCIDENTS}" in note


def test_enough_crimes_keep_the_family_note():
    cells = _grid(MIN_INCIDENTS)
    assert too_few(cells) is None
    assert "rutor testas samtidigt" in cells.attrs["fdr_note"]
