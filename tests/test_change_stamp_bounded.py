"""The change stamp watches a bounded number of SQLite files, and a reopened watch never repeats a stamp.

store/change_stamp.py kept one watching connection per store URL for the life of the process. The test
suite opens thousands of stores: the fresh-clone CI's process held over 1 024 file descriptors by the
time tests/test_recheck_ops4_signals.py ran, and its ``select()`` failed ("filedescriptor out of
range"). Reference: the process's open descriptors counted in /proc/self/fd, and sqlite3 of the
standard library committing from outside the store.
"""

from __future__ import annotations

import os
import sqlite3

from lagesbild.store import Store
from lagesbild.store import change_stamp as cs
from lagesbild.store.accounts import add_user, user_count


def _fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_stamping_many_store_files_keeps_the_open_descriptors_bounded(tmp_path):
    stores = [Store(f"sqlite:///{tmp_path / f's{i}.sqlite'}") for i in range(3)]
    for s in stores:
        assert user_count(s) == 0
    before = _fds()
    for i in range(60):  # 60 more files, each stamped once and left (as tests and tools leave them)
        s = Store(f"sqlite:///{tmp_path / f'm{i}.sqlite'}")
        assert user_count(s) == 0
        s.engine.dispose()  # the store's own pool closed: what stays open is the watch's
    # at most WATCHES_KEPT watches; each holds the database and, in WAL mode, its -wal and -shm
    assert _fds() - before <= 3 * cs.WATCHES_KEPT, (_fds(), before)
    assert len(cs._WATCHES) <= cs.WATCHES_KEPT


def test_a_file_whose_watch_was_closed_for_room_still_sees_every_commit(tmp_path):
    first = Store(f"sqlite:///{tmp_path / 'first.sqlite'}")
    assert user_count(first) == 0
    for i in range(cs.WATCHES_KEPT + 2):  # push first's watch out
        assert user_count(Store(f"sqlite:///{tmp_path / f'o{i}.sqlite'}")) == 0
    assert str(tmp_path / "first.sqlite") not in {w.path for w in cs._WATCHES.values()}
    with sqlite3.connect(tmp_path / "first.sqlite") as conn:  # a commit from outside, meanwhile
        conn.execute("select 1")
    add_user(first, "anna", "ett långt lösenord", "admin")
    assert user_count(first) == 1


def test_stamps_of_two_openings_of_one_file_differ(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 's.sqlite'}")
    one = cs.stamp(s)
    s.engine.dispose()  # closes the watch; the next stamp opens it again
    two = cs.stamp(s)
    assert one is not None and two is not None and one != two
