"""A hot-spot map of an area too small for its grid: no verdict from a handful of cells.

Hässelby torg at the default 200 m cells is one cell: Gi* compared that cell with itself and the map
said "1 rutor testas … 0 är heta eller kalla punkter", as if the torg had been looked at and found
calm. Below ``MIN_CELLS`` (30, ArcGIS's minimum for Hot Spot Analysis) every cell is "Ej testad – för
få rutor" and the note says which cell size would give 30 cells; at that size the area is tested. The
map page, the pack and the CLI without ``--cell-size`` lay that finer grid themselves (as ArcGIS's
Optimized Hot Spot Analysis picks its cell size) and say so; a size given on the command line is kept.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from shapely.geometry import box

from lagesbild.core.hotspots import MIN_CELLS, UNTESTED, hotspots
from tests.test_cli import run


def _torg(rng, n=400):
    """A 250 m × 250 m square with most incidents clustered near one corner."""
    xy = np.vstack([rng.uniform(0, 250, (n // 2, 2)), rng.normal(40, 10, (n // 2, 2))])
    return pd.DataFrame({"x": 670000 + xy[:, 0], "y": 6580000 + xy[:, 1]}), \
        box(670000, 6580000, 670250, 6580250)


def test_a_handful_of_cells_is_not_tested_and_the_note_says_which_size_would_do():
    incidents, area = _torg(np.random.default_rng(3))
    out = hotspots(incidents, area, cell_size=200.0, exclude_water=False)
    assert 0 < len(out) < MIN_CELLS
    assert set(out["klass"]) == {UNTESTED} and (out["gi_bin"] == 0).all()
    assert out.attrs["tested"] is False
    note = out.attrs["fdr_note"]
    size = int(np.sqrt(250 * 250 / 40) // 5 * 5)  # 35 m: about 40 cells of the 62 500 m²
    assert f"rutstorlek {size} m" in note and "inga heta eller kalla punkter testas" in note
    # at the size the note names the grid is large enough, and the cluster is found
    fine = hotspots(incidents, area, cell_size=float(size), exclude_water=False)
    assert len(fine) >= MIN_CELLS and fine.attrs["tested"] is True
    assert (fine["gi_bin"] >= 2).any()


def test_fit_small_lays_the_finer_grid_and_says_so():
    incidents, area = _torg(np.random.default_rng(3))
    out = hotspots(incidents, area, cell_size=200.0, exclude_water=False, fit_small=True)
    assert out.attrs["tested"] is True and out.attrs["cell_size"] == 35.0  # sqrt(250² / 40) = 39.5 → 35
    assert len(out) >= MIN_CELLS and (out["gi_bin"] >= 2).any()
    assert out.attrs["fdr_note"].startswith("Rutorna är 35 m i stället för 200 m")
    # with fewer than 30 crimes there is nothing to test on any grid: the chosen one is kept
    few = hotspots(incidents.iloc[:20], area, cell_size=200.0, exclude_water=False, fit_small=True)
    assert few.attrs["cell_size"] == 200.0 and few.attrs["tested"] is False


def test_cli_fits_the_grid_unless_a_size_is_given(demo_store_path):
    res = run("hotspots", "--area", "Hässelby torg", "--period", "2022–2023", db=demo_store_path)
    assert res.returncode == 0, res.stderr
    assert "i stället för 200 m" in res.stdout and "Ej testad" not in res.stdout
    given = run("hotspots", "--area", "Hässelby torg", "--period", "2022–2023", "--cell-size", "200",
                db=demo_store_path)
    assert ": 1 ruta, " in given.stdout and "Ej testad – för få rutor: 1" in given.stdout
    assert "Välj en mindre rutstorlek" in given.stdout and "0 är heta" not in given.stdout


def test_the_change_map_of_a_small_area_lays_one_grid_for_both_periods(demo_store, demo_settings):
    """New, persistent and ended hot spots are matched cell by cell: both periods on the finer grid."""
    from lagesbild.analysis.maps import map_layers

    res = map_layers(demo_store, demo_settings, area="hasselby-torg", category="skadegorelse", period="2022–2023",
                     period2="2021–2022", mode="change")
    before, after = res["before"], res["after"]
    assert before.attrs["cell_size"] == after.attrs["cell_size"] < demo_settings.cell_size
    assert before["cell_id"].tolist() == after["cell_id"].tolist()
    assert len(res["cells"]) == len(after)


def test_a_place_smaller_than_half_a_cell_gets_the_finer_grid_too():
    """A 100 m square has no 200 m cell (each lies mostly outside), so its 60 crimes were in no cell and
    the finer grid was never laid: the map said "För få brott (0)". Its crimes are counted inside the
    area: the grid becomes 25 m (the finest), 4 × 4 = 16 cells holding all 60, still too few to test."""
    rng = np.random.default_rng(5)
    incidents = pd.DataFrame({"x": 670000 + rng.uniform(1, 99, 60), "y": 6580000 + rng.uniform(1, 99, 60)})
    area = box(670000, 6580000, 670100, 6580100)
    coarse = hotspots(incidents, area, cell_size=200.0, exclude_water=False)
    assert len(coarse) == 0  # the chosen grid alone: nothing to count in
    out = hotspots(incidents, area, cell_size=200.0, exclude_water=False, fit_small=True)
    assert out.attrs["cell_size"] == 25.0 and len(out) == 16 and int(out["count"].sum()) == 60
    assert out.attrs["tested"] is False and set(out["klass"]) == {UNTESTED}
    # 29 crimes: nothing to test on any grid, the chosen size is kept
    few = hotspots(incidents.iloc[:29], area, cell_size=200.0, exclude_water=False, fit_small=True)
    assert few.attrs["cell_size"] == 200.0
