"""On PostgreSQL a write that waits for another process's write gives up as on SQLite: after
``store.SQLITE_BUSY_MS``, with "databasen är låst av en annan skrivning; försök igen om en stund" and
exit code 75 (``tests/test_locked_store_exit.py`` for SQLite), nothing written.

Before, the second ingest waited for the store's advisory lock without limit (a cron job stuck for as
long as the other write ran, or for ever behind a hung one). The lock is real: another connection to a
real throwaway server holds the advisory lock every write transaction takes; the wait is shortened to
0,3 s in the child process so the test takes seconds, and the child is given up after 60 s (the old
code's endless wait).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, text

from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings
from lagesbild.store.store import WRITE_LOCK

PLACES = ROOT / "geodata" / "places.geojson"

#: the CLI with the store's wait for another write shortened to 0,3 s
SHORT_WAIT_CLI = """
import sys
from lagesbild.cli import main
from lagesbild.store import store

store.SQLITE_BUSY_MS = 300
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def pg_url():
    from tests.pg import postgres_server

    with postgres_server() as url:
        yield url


def _cli(args) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "LAGESBILD_LOG_LEVEL"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-c", SHORT_WAIT_CLI, *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=60)


def _crimes(db) -> int:
    store = open_store(load_settings({}, db=db))
    try:
        return store.counts()["crime_counts"]
    finally:
        store.engine.dispose()


def test_an_ingest_behind_a_held_write_lock_gives_up_with_75(pg_url, tmp_path):
    ingest_file(open_store(load_settings({}, db=pg_url, data_dir=str(tmp_path))), "places", PLACES)
    crimes = tmp_path / "brott.csv"
    crimes.write_text("Plats;Brottskategori;Månad;Antal\n"
                      + "".join(f"Vårberg;Narkotika;2022-{m:02d};{m + 3}\n" for m in range(1, 13)),
                      encoding="utf-8")
    args = ["--db", pg_url, "ingest", "crimes", str(crimes), "--no-progress"]
    holder = create_engine(pg_url)
    try:
        with holder.begin() as conn:  # another process's write in progress
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
            res = _cli(args)
    finally:
        holder.dispose()
    assert res.returncode == 75, res.stderr
    assert res.stderr.strip() == (f"Fel: databasen {pg_url}: är låst av en annan skrivning; "
                                  "försök igen om en stund")
    assert res.stdout == ""
    assert _crimes(pg_url) == 0
    # guard: once the other write has ended, the same ingest writes
    res = _cli(args)
    assert res.returncode == 0, res.stderr
    assert _crimes(pg_url) == 12
