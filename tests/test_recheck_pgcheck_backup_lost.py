"""A PostgreSQL server that ends pg_dump's connection in the middle of a backup: the message says in
Swedish that the connection was lost, and no file is left.

pg_dump's last line is "pg_dump: detail: Command was: COPY public.… TO stdout;", which the message
quoted as the reason ("pg_dump misslyckades: pg_dump: detail: Command was: COPY …"): English, and not
the reason.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import create_engine, text

from lagesbild.errors import InputError
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings
from lagesbild.store import backup

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_url():
    from tests.pg import postgres_server

    with postgres_server() as url:
        yield url


def _end_pg_dump_while_it_waits(url, ready: threading.Event, done: threading.Event):
    """Hold a lock pg_dump has to wait for, end pg_dump's connection from the server, then let go."""
    engine = create_engine(url)
    with engine.connect() as holder, engine.connect() as admin:
        holder.execute(text("LOCK TABLE places IN ACCESS EXCLUSIVE MODE"))  # until its rollback
        ready.set()
        for _ in range(600):
            admin.rollback()  # a new snapshot of pg_stat_activity
            pids = admin.execute(text("SELECT pid FROM pg_stat_activity WHERE application_name = 'pg_dump' "
                                      "AND wait_event_type = 'Lock'")).scalars().all()
            if pids:
                admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pids[0]})
                break
            time.sleep(0.05)
        holder.rollback()
    engine.dispose()
    done.set()


def test_a_connection_lost_during_a_backup_is_said_in_swedish(pg_url, tmp_path):
    store = open_store(load_settings({}, db=pg_url, data_dir=str(tmp_path)))
    ingest_file(store, "places", ROOT / "geodata" / "places.geojson")
    ready, done = threading.Event(), threading.Event()
    ender = threading.Thread(target=_end_pg_dump_while_it_waits, args=(pg_url, ready, done))
    ender.start()
    ready.wait(30)
    out = tmp_path / "kopia.dump"
    with pytest.raises(InputError) as refused:
        backup.backup(store, out)
    ender.join(60)
    assert done.is_set()
    assert refused.value.message().endswith("pg_dump misslyckades: anslutningen till databasservern bröts")
    assert not out.exists()
    assert backup.backup(store, out) == out  # the server and the store are fine afterwards
    store.engine.dispose()
