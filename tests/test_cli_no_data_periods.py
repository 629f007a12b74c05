"""A period outside the incidents read in is refused, not counted as a period without crimes.

``patterns --period 2030–2031`` printed "0 brott … Inga brott under perioden" and ``hotspots --period
"T1 2030"`` "1 ruta, 0 brott" with exit code 0: as if nothing had been reported, when there are no
data at all (the demo's incidents end 31 Aug 2023). Periods with data still answer.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _run(db, *args):
    return subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(db), *args],
                          capture_output=True, text=True)


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("period", ["2030–2031", "T3 2023", "2010–2011"])
def test_patterns_of_a_period_without_incident_data_are_refused(demo_store_path, period, fmt):
    res = _run(demo_store_path, "patterns", "--place", "hasselby-torg", "--period", period, "--format", fmt)
    assert res.returncode == 2, res.stdout
    assert f"det finns inga brott på händelsenivå för {period}" in res.stderr and "Traceback" not in res.stderr
    assert res.stdout == ""


@pytest.mark.parametrize("fmt", ["text", "geojson"])
@pytest.mark.parametrize("period", ["T1 2030", "T3 2023", "2015–2016"])
def test_hotspots_of_a_period_without_data_are_refused(demo_store_path, period, fmt):
    res = _run(demo_store_path, "hotspots", "--area", "hasselby-vallingby", "--period", period, "--format", fmt)
    assert res.returncode == 2, res.stdout
    assert f"det finns inga brottsdata för {period}: brottsdata finns 1 sep 2016–31 aug 2023" in res.stderr
    assert res.stdout == ""


def test_periods_with_data_still_answer(demo_store_path):
    res = _run(demo_store_path, "patterns", "--place", "hasselby-torg", "--period", "T2 2023", "--format", "json")
    assert res.returncode == 0 and json.loads(res.stdout)["incidents"] > 0
    res = _run(demo_store_path, "hotspots", "--area", "hasselby-vallingby", "--period", "T2 2023", "--format", "json")
    assert res.returncode == 0 and len(json.loads(res.stdout)) > 30
