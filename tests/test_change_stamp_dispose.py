"""A store file copied after ``engine.dispose()`` holds every commit, also once the change stamp watches it.

store/change_stamp.py keeps a connection of its own open on an SQLite file to read ``PRAGMA
data_version``. SQLite writes the write-ahead log into the database file only when the file's last
connection closes, so with the watching connection left open, disposing of the engine left the commits
in ``-wal`` and a copy of the file alone lacked them (16 nasty-input tests, which copy a prepared store
that way, lost its places). Reference: sqlite3 of the standard library reading the copied file.
"""

from __future__ import annotations

import shutil
import sqlite3

from lagesbild.store import Store
from lagesbild.store.accounts import add_user, user_count
from lagesbild.store.change_stamp import stamp


def _users_in_copy(src, dst) -> int:
    shutil.copy(src, dst)  # the file alone, as a backup by hand or a test fixture copies it
    with sqlite3.connect(dst) as conn:
        return conn.execute("select count(*) from users").fetchone()[0]


def test_a_copy_after_dispose_holds_the_commits_made_while_the_stamp_watched(tmp_path):
    db = tmp_path / "s.sqlite"
    store = Store(f"sqlite:///{db}")
    assert user_count(store) == 0  # the web app asks this on every request: the watch is open now
    first = stamp(store)
    add_user(store, "anna", "ett långt lösenord", "admin")
    add_user(store, "bo", "ett annat långt lösenord", "läsare")
    store.engine.dispose()
    assert _users_in_copy(db, tmp_path / "copy.sqlite") == 2
    assert not (tmp_path / "s.sqlite-wal").exists() or (tmp_path / "s.sqlite-wal").stat().st_size == 0
    # the watch opens again on the next stamp, and the stamp tells the change
    assert stamp(store) != first and user_count(store) == 2


def test_disposing_one_store_keeps_stamps_honest_for_another_of_the_same_file(tmp_path):
    db = tmp_path / "s.sqlite"
    a, b = Store(f"sqlite:///{db}"), Store(f"sqlite:///{db}")
    assert user_count(a) == 0 and user_count(b) == 0
    a.engine.dispose()
    add_user(a, "anna", "ett långt lösenord", "admin")
    assert user_count(b) == 1  # b's kept answer was not trusted across a's commit
