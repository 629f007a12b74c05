"""figures/planmap.py was 403 lines (the limit is about 400): the names placed on the offline map
moved to figures/maplabels.py, the drawing of the map stayed (behaviour unchanged)."""

from __future__ import annotations

from pathlib import Path

import lagesbild
from lagesbild.figures import maplabels, planmap

FIGURES = Path(lagesbild.__file__).parent / "figures"
LABEL_FUNCTIONS = ("label_candidates", "label_box", "place_labels", "label_size", "hot_boxes")


def test_both_modules_are_within_the_size_limit():
    for name in ("planmap.py", "maplabels.py"):
        lines = (FIGURES / name).read_text(encoding="utf-8").count("\n")
        assert lines <= 400, (name, lines)


def test_the_names_live_in_one_module_only():
    """One copy of each: the map's drawing and the names' placing are not both in planmap."""
    for name in LABEL_FUNCTIONS:
        assert callable(getattr(maplabels, name)), name
        assert not hasattr(planmap, name), name

