"""A PostgreSQL connection lost in the middle of an ingest: one Swedish "Fel:" line, exit code 2, and
nothing written.

psycopg logs "error ignored terminating <psycopg.Pipeline [BAD] …>: the connection is lost" when the
server goes away during a batch insert; with no handler for it, Python's last-resort handler printed
that English line before the CLI's message. Libraries' log records now follow LAGESBILD_LOG_LEVEL as
lagesbild's own do.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings

PLACES = ROOT / "geodata" / "places.geojson"


@pytest.fixture
def pg_url():
    from tests.pg import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture
def crimes_file(tmp_path):
    path = tmp_path / "brott.csv"
    rows = [f"Vårberg;Narkotika;2022-{m:02d};{m + 3}" for m in range(1, 13)]
    path.write_text("Plats;Brottskategori;Månad;Antal\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


#: the CLI in a new process (as users run it: no test framework's log handlers), with every batch insert
#: first having the server end the writing connection (pg_terminate_backend) and waiting until it is gone
DROPPING_CLI = """
import logging
import sys
from sqlalchemy import create_engine, text
from lagesbild.cli import main
from lagesbild.store import writer

url = sys.argv[1]
original = writer.Writer.bulk_insert

def insert_after_the_server_ended_us(self, table, df, **kw):
    pid = self.conn.execute(text("SELECT pg_backend_pid()")).scalar()
    other = create_engine(url)
    with other.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        # the signal is only sent: wait until the backend has gone (its socket is then closed)
        while conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
                           {"pid": pid}).scalar():
            conn.rollback()  # a new snapshot of pg_stat_activity
    other.dispose()
    # psycopg logs this when it sees the loss inside a pipeline, which depends on when the server's
    # farewell message arrives; logged here as psycopg words it, so every run has it
    logging.getLogger("psycopg").warning("error ignored terminating %s: %s",
                                         "<psycopg.Pipeline [BAD] at 0x7f00>", "the connection is lost")
    return original(self, table, df, **kw)

writer.Writer.bulk_insert = insert_after_the_server_ended_us
sys.exit(main(["--db", url, *sys.argv[2:]]))
"""


def _cli_losing_its_connection(pg_url, crimes_file, **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "LAGESBILD_LOG_LEVEL"}
    environ.update(PYTHONPATH=str(ROOT), **env)
    return subprocess.run([sys.executable, "-c", DROPPING_CLI, pg_url, "ingest", "crimes", str(crimes_file),
                           "--no-progress"], capture_output=True, text=True, cwd=ROOT, env=environ,
                          timeout=300)


def _places_only(pg_url, tmp_path) -> dict:
    store = open_store(load_settings({}, data_dir=str(tmp_path), db=pg_url))
    ingest_file(store, "places", PLACES)
    counts = store.counts()
    store.engine.dispose()
    return counts


def test_a_lost_connection_is_one_swedish_line_and_nothing_written(pg_url, tmp_path, crimes_file):
    before = _places_only(pg_url, tmp_path)
    res = _cli_losing_its_connection(pg_url, crimes_file)
    assert res.returncode == 75  # the server went away: try again later (EX_TEMPFAIL), not bad input
    assert res.stderr.splitlines() == [
        f"Fel: databasen {pg_url}: anslutningen till databasservern bröts. Databasen svarar inte just nu, försök igen om en stund."], res.stderr
    after = open_store(load_settings({}, data_dir=str(tmp_path), db=pg_url))
    assert after.counts() == before  # the ingest's transaction was not committed
    after.engine.dispose()


def test_the_library_line_is_in_the_log_when_the_log_is_asked_for(pg_url, tmp_path, crimes_file):
    _places_only(pg_url, tmp_path)
    res = _cli_losing_its_connection(pg_url, crimes_file, LAGESBILD_LOG_LEVEL="WARNING")
    assert res.returncode == 75
    lines = res.stderr.splitlines()
    library = [line for line in lines if " psycopg WARNING " in line]
    assert library and "connection is lost" in library[0], res.stderr
    assert lines[-1] == f"Fel: databasen {pg_url}: anslutningen till databasservern bröts. Databasen svarar inte just nu, försök igen om en stund."
