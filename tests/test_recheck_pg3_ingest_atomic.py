"""Ingest on PostgreSQL is all or nothing, as on SQLite (guards: these pass before and after pg3's fixes).

* a large incident file whose last row is bad: exit 2, the Swedish line naming row, column and value,
  and the store exactly as before (no ingest number taken);
* SIGTERM while the ingest writes (sent from its first batch insert): "Avbrutet: ingenting av stor.csv
  sparades.", exit 143, nothing kept, the write lock free again: the same file then reads in whole, at once.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings
from tests.test_recheck_cli_sigterm import TERMINATED_CLI

pytestmark = pytest.mark.postgres

PLACES = ROOT / "geodata" / "places.geojson"
ROWS = 6000
POINTS = [("Narkotika", 661016.3, 6583721.2), ("Skadegörelse", 661053.3, 6583789.7),
          ("Personrån", 667218.0, 6584046.1)]


@pytest.fixture(scope="module")
def pg_url():
    from tests.pg import postgres_server

    with postgres_server() as url:
        yield url


def _incidents(path, bad_last_row=False):
    lines = ["Händelse-id,Brottsdatum,Klockslag,Brottskategori,E,N"]
    for i in range(ROWS):
        cat, x, y = POINTS[i % 3]
        day = f"20{22 + i // 2000}-{1 + (i // 170) % 12:02d}-{1 + i % 28:02d}"
        lines.append(f"H-{i},{day},{i % 24:02d}:15,{cat},{x + i % 50:.1f},{y - i % 40:.1f}")
    if bad_last_row:
        lines.append(f"H-{ROWS},2024-12-30,12:00,Narkotika,öst,6583721.2")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _state(url):
    store = open_store(load_settings({}, db=url))
    try:
        return store.counts(), len(store.ingest_log())
    finally:
        store.engine.dispose()


def _cli(args, script=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("LAGESBILD_LOG_LEVEL", None)
    cmd = [sys.executable, "-c", script, *args] if script else [sys.executable, "-m", "lagesbild", *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)


@pytest.fixture(scope="module")
def store_with_places(pg_url, tmp_path_factory):
    ingest_file(open_store(load_settings({}, db=pg_url, data_dir=str(tmp_path_factory.mktemp("d")))),
                "places", PLACES)
    return pg_url


def test_a_bad_last_row_of_a_large_file_writes_nothing(store_with_places, tmp_path):
    before = _state(store_with_places)
    path = _incidents(tmp_path / "stor.csv", bad_last_row=True)
    res = _cli(["--db", store_with_places, "ingest", "incidents", str(path), "--no-progress"])
    assert res.returncode == 2 and res.stdout == ""
    assert res.stderr.splitlines() == [
        "Fel: stor.csv: 1 fel; inget lästes in",
        f'  stor.csv, rad {ROWS + 2}, kolumn "E", värde "öst": koordinaten kunde inte tolkas som ett tal']
    assert _state(store_with_places) == before


def test_sigterm_while_writing_keeps_nothing_and_frees_the_lock(store_with_places, tmp_path):
    before = _state(store_with_places)
    path = _incidents(tmp_path / "stor.csv")
    args = ["--db", store_with_places, "ingest", "incidents", str(path), "--no-progress"]
    res = _cli(args, TERMINATED_CLI)
    assert (res.returncode, res.stderr.strip(), res.stdout) == (143, "Avbrutet: ingenting av stor.csv sparades.", "")
    assert _state(store_with_places) == before
    res = _cli(args)
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("stor.csv: 6\u00a0000 rader inlästa")
    counts, log = _state(store_with_places)
    assert counts["incidents"] == before[0]["incidents"] + ROWS and log == before[1] + 1
