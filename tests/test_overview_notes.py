"""The notes under Översikt's table: each sentence once, those on most rows first.

The page shows the first three notes. Every row's note began with the like-for-like sentence, so the
three shown were that sentence three times, each with another row's dispersion after it."""

from __future__ import annotations

import pandas as pd

from lagesbild.analysis.overview import split_notes

CUT = "Hela månader finns t.o.m. 31 juli 2023; aug 2023 är ofullständig och räknas inte."
SAME = "Jämförelsen avser sep–jul i varje period eftersom data för hela månader bara finns t.o.m. 31 juli 2023."


def test_each_sentence_once_and_the_widest_first():
    factors = [f"Testet tar hänsyn till att antalen varierar {f} gånger mer än slumpen (kvasi-Poisson)."
               for f in ("1,1", "1,2", "1,3")]
    table = pd.DataFrame({"place_id": ["a", "b", "c", "d"], "category": "rån",
                          "note": [f"{CUT} {SAME} {factors[0]}", f"{CUT} {SAME} {factors[1]}",
                                   f"{CUT} {SAME} {factors[2]}", f"{CUT} {SAME}"]})
    rows = pd.DataFrame({"place_id": list("abcd"), "name": list("ABCD")})
    general, _ = split_notes(table, rows)
    assert general[:2] == [CUT, SAME]
    assert sorted(general[2:]) == factors
    assert all(general.count(n) == 1 for n in general)
