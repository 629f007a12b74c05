"""A CLI write that waits for another process's write until it gives up ends with exit code 75.

SQLite waits ``busy_timeout`` for a lock held by another writer, then says "database is locked"; the
CLI said "databasen är låst av en annan skrivning; försök igen om en stund" and ended with exit code 2,
the code for a wrong input or setting, so a cron job could not tell "try again later" from "fix it"
(pg3's report). It is the passing state exit code 75 stands for (``EX_TEMPFAIL``, as for a database
server that does not answer just now), and nothing is written.

The lock is real: a second connection holds SQLite's write lock (``BEGIN IMMEDIATE``); the store's
busy timeout is shortened so the test waits 0.3 s, not 30.
"""

from __future__ import annotations

import io
import sqlite3

from lagesbild.cli import main
from lagesbild.ingest import open_store
from lagesbild.settings import load_settings
from lagesbild.store import store as store_module


def _users(db: str) -> list[str]:
    with sqlite3.connect(db) as con:
        return [r[0] for r in con.execute("SELECT username FROM users")]


def test_a_write_that_waits_for_a_held_lock_exits_75_and_writes_nothing(tmp_path, capsys, monkeypatch):
    db = str(tmp_path / "s.sqlite")
    open_store(load_settings({}, db=db, data_dir=str(tmp_path))).engine.dispose()
    monkeypatch.setattr(store_module, "SQLITE_BUSY_MS", 300)
    monkeypatch.setattr("sys.stdin", io.StringIO("ett-långt-lösenord-1\n"))
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's write in progress
    try:
        capsys.readouterr()
        code = main(["--db", db, "users", "add", "kim", "--roll", "läsare", "--stdin"])
        err = capsys.readouterr().err
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 75
    assert "låst av en annan skrivning; försök igen om en stund" in err and "Traceback" not in err
    assert "kim" not in _users(db)


def test_the_same_write_without_the_lock_succeeds(tmp_path, capsys, monkeypatch):
    """Guard: the command itself writes (so the refusal above is the lock's)."""
    db = str(tmp_path / "s.sqlite")
    open_store(load_settings({}, db=db, data_dir=str(tmp_path))).engine.dispose()
    monkeypatch.setattr("sys.stdin", io.StringIO("ett-långt-lösenord-1\n"))
    assert main(["--db", db, "users", "add", "kim", "--roll", "läsare", "--stdin"]) == 0
    assert "kim" in _users(db)
