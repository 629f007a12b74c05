"""On PostgreSQL a meeting note or a kept meeting date is written while an ingest runs.

Every write transaction of ``Store.transaction()`` takes one advisory lock on PostgreSQL, so that two
ingests of the same months are one after the other. Notes and the date a user chose on "Sedan sist"
went through it too: while an ingest held the lock (a year of incidents takes minutes), "Spara" of a
note on Plats and a new date on Sedan sist waited for the whole ingest, and with gunicorn's timeout the
worker was killed. Neither touches what an ingest writes, and PostgreSQL gives note numbers from its
sequence, so they do not wait for the lock any more. (On SQLite the file lock is one for every write.)

The lock is held here by a transaction of its own, as a running ingest holds it.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, text

from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings
from lagesbild.store import history, notes
from lagesbild.store.store import WRITE_LOCK

pytestmark = pytest.mark.postgres

WAIT = 15  # seconds: far longer than one small write takes on the test server


@pytest.fixture(scope="module")
def pg_store(tmp_path_factory):
    from tests.pg import postgres_server

    with postgres_server() as url:
        store = open_store(load_settings({}, db=url, data_dir=str(tmp_path_factory.mktemp("pg3"))))
        ingest_file(store, "places", ROOT / "geodata" / "places.geojson")
        yield store
        store.engine.dispose()


@pytest.fixture
def ingest_running(pg_store):
    """The write lock held by another connection's open transaction, as during an ingest."""
    engine = create_engine(pg_store.engine.url)
    conn = engine.connect()
    tx = conn.begin()
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
    yield
    tx.rollback()
    conn.close()
    engine.dispose()


def _within(seconds, func):
    """``func()``'s result when it returns within ``seconds``; fails the test when it still waits."""
    out = {}

    def run():
        try:
            out["value"] = func()
        except BaseException as exc:  # handed to the test
            out["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert out, f"still waiting after {seconds} s for the write lock an ingest holds"
    if "error" in out:
        raise out["error"]
    return out.get("value")


def test_a_note_is_added_and_removed_while_an_ingest_runs(pg_store, ingest_running):
    number = _within(WAIT, lambda: notes.add_note(pg_store, "varberg", "2026-11-20", "Åsa", "Under inläsningen"))
    listed = notes.list_notes(pg_store, ["varberg"])
    assert listed.loc[listed["note_id"] == number, "text"].tolist() == ["Under inläsningen"]
    _within(WAIT, lambda: notes.remove_note(pg_store, number))
    assert number not in notes.list_notes(pg_store)["note_id"].tolist()


def test_a_meeting_date_is_kept_while_an_ingest_runs(pg_store, ingest_running):
    import datetime as dt

    _within(WAIT, lambda: history.remember_meeting_date(pg_store, "åsa", "2026-11-12"))
    _within(WAIT, lambda: history.remember_meeting_date(pg_store, "åsa", "2026-11-19"))
    assert history.remembered_meeting_date(pg_store, "åsa") == dt.date(2026, 11, 19)


def test_one_users_dates_kept_at_once_leave_one_row(pg_store):
    """Without the lock, two requests of one user may write at the same moment: one row stays, no error
    (a guard for the lock-free write)."""
    import datetime as dt

    days = [f"2026-10-{d:02d}" for d in range(1, 21)]
    errors = []

    def keep(day):
        try:
            history.remember_meeting_date(pg_store, "bo", day)
        except Exception as exc:  # collected for the assertion
            errors.append(exc)

    workers = [threading.Thread(target=keep, args=(d,)) for d in days]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert errors == []
    with pg_store.engine.connect() as conn:
        rows = conn.execute(text("SELECT meeting_date FROM user_meeting_dates WHERE username = 'bo'")).all()
    assert len(rows) == 1 and rows[0][0] in {dt.date.fromisoformat(d) for d in days}
