"""SIGTERM during an ingest (``kill``, a service manager stopping the job) ends the CLI like Ctrl-C:
"Avbrutet: ingenting av brott.csv sparades." on standard error, exit code 143, the write rolled back, and the same file reads in fully
afterwards.

Before, the signal's default action killed the process with no word (exit -15); the store was left to
SQLite to recover. The signal is sent from inside the ingest's own write (the first batch insert), so
the test does not depend on timing.
"""

from __future__ import annotations

import os
import subprocess
import sys

from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings
from tests.test_recheck_cli_pg_lost import crimes_file  # noqa: F401  (the fixture)

PLACES = ROOT / "geodata" / "places.geojson"

#: the CLI in a new process whose first batch insert has the process sent SIGTERM
TERMINATED_CLI = """
import os, signal, sys
from lagesbild.cli import main
from lagesbild.store import writer

original = writer.Writer.bulk_insert

def insert_then_terminated(self, table, df, **kw):
    os.kill(os.getpid(), signal.SIGTERM)
    return original(self, table, df, **kw)

writer.Writer.bulk_insert = insert_then_terminated
sys.exit(main(sys.argv[1:]))
"""


def _counts_and_log(db) -> tuple[dict, int]:
    store = open_store(load_settings({}, db=str(db)))
    try:
        return store.counts(), len(store.ingest_log())
    finally:
        store.engine.dispose()


def test_sigterm_during_an_ingest_is_avbrutet_and_writes_nothing(tmp_path, crimes_file):  # noqa: F811
    db = tmp_path / "store.sqlite"
    ingest_file(open_store(load_settings({}, data_dir=str(tmp_path), db=str(db))), "places", PLACES)
    before = _counts_and_log(db)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("LAGESBILD_LOG_LEVEL", None)
    cmd = ["--db", str(db), "ingest", "crimes", str(crimes_file), "--no-progress"]
    res = subprocess.run([sys.executable, "-c", TERMINATED_CLI, *cmd], capture_output=True, text=True,
                         cwd=ROOT, env=env, timeout=300)
    assert res.returncode == 143, (res.returncode, res.stderr)
    assert res.stderr.strip() == "Avbrutet: ingenting av brott.csv sparades." and res.stdout == ""
    assert _counts_and_log(db) == before
    # nothing of it was kept: the same file is read in as new, not "redan inläst"
    res = subprocess.run([sys.executable, "-m", "lagesbild", *cmd], capture_output=True, text=True,
                         cwd=ROOT, env=env, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "12 rader inlästa" in res.stdout
    assert _counts_and_log(db)[0]["crime_counts"] == before[0]["crime_counts"] + 12
