"""desk11 re-check: ``patterns`` named a period not over as if it were whole.

On a Järfälla store with incidents to 13 Nov 2026, ``patterns --period 2026–2027`` began "Jakobsberg
centrum, 2026–2027, …: 53 brott" while Mönster's heading says "2026–2027 (t.o.m. 13 nov 2026)" and its tile
"Brott med koordinater". Reference: the demo store's last incident (read from the store, 31 Aug 2023),
so the calendar year 2023 runs past the data and must say how far they go; 2022–2023 ends with them.
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pandas as pd

from lagesbild.cli import main


def _first_line(path, period) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--db", str(path), "patterns", "--place", "varberg", "--period", period]) == 0
    return out.getvalue().splitlines()[0]


def test_a_period_past_the_data_says_how_far_they_go(demo_store, demo_store_path):
    last = demo_store.incidents(start=pd.Timestamp("2023-01-01"), end=pd.Timestamp("2023-12-31"))["occurred_at"].max()
    assert last.date().isoformat() == "2023-08-31"  # the demo's incidents end with August 2023
    line = _first_line(demo_store_path, "2023")
    assert line.startswith("Vårberg, 2023 (t.o.m. 31 aug 2023), "), line  # the old line: "Vårberg, 2023, …"
    assert line.endswith(" brott med koordinater"), line


def test_a_whole_period_is_named_bare(demo_store_path):
    # guard: Sep 2022–Aug 2023 ends with the data
    assert _first_line(demo_store_path, "2022–2023").startswith("Vårberg, 2022–2023, ")
