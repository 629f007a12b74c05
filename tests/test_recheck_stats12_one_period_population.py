"""stats12: Jämför with one period dropped the population's note of each rate.

With two periods every rate's row carries the note of how its population was found (a year
interpolated between known years, or taken from the nearest known one), as Plats gives it; with one
period the note was '' and a rate from an interpolated population read as a counted one.

Reference by hand: the demo's population table knows Bredäng and Vårberg in 2010 and 2023 only, so the
Sep 2022–Aug 2023 year uses 2022, interpolated, and 2023, known.
"""

from __future__ import annotations

from lagesbild.analysis import base
from lagesbild.analysis.side_by_side import side_by_side


def test_one_period_rates_keep_their_population_note(demo_store, demo_settings):
    table = base.population_table(demo_store, demo_settings)
    for pid in ("bredang", "varberg"):
        years = sorted(table.loc[table["place_id"] == pid, "year"])
        assert 2022 not in years and min(years) < 2022 < max(years)  # interpolated, by the table
    res = side_by_side(demo_store, demo_settings, places=["bredang", "varberg"], periods=["2022-2023"])
    rows = res["table"]
    assert len(rows) and rows["rate"].notna().all()
    assert (rows["note"] == "Befolkningen 2022 är interpolerad mellan kända år.").all()
