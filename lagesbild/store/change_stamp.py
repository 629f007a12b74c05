"""A cheap stamp of "has anything been committed to this SQLite file since": SQLite's ``PRAGMA
data_version`` on a connection of its own that never writes.

SQLite changes the value a connection reads whenever another connection (of this process or of any
other sharing the file) has committed, and leaves it alone otherwise; reading it takes a few µs,
where a query through the store's engine took ~0.8 ms a request. A result read from the database
after taking a stamp may therefore be kept until the stamp changes (:func:`kept`): nothing is kept
by time. A file replaced under the same name (another inode) gets a new watching connection, so
its stamps never equal the old file's, and a process forked after the connection was opened (a
gunicorn worker of a master that asked first) opens its own: SQLite's connections must not cross a fork.
Disposing of a store's engine closes the watching connection too (it is opened again on the next
stamp, which then differs): SQLite writes the WAL into the database file when its last connection
closes, and a file copied after ``engine.dispose()`` must hold every commit. At most
:data:`WATCHES_KEPT` files are watched at once, the least recently asked closed first: a process that
opens many stores (the test suite: thousands) kept a connection, and its file descriptors, per store
until ``select()`` failed on descriptors past 1 024. Every opening gets a number of its own in the
process, so a stamp after a reopening never equals one from before.

Stores in memory and on PostgreSQL have no stamp (None): their results are read every time.

Examples
--------
>>> import tempfile, pathlib
>>> from lagesbild.store import Store
>>> from lagesbild.store.accounts import add_user, user_count
>>> s = Store(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'x.sqlite'}")
>>> first = stamp(s); first == stamp(s)
True
>>> add_user(s, "anna", "ett långt lösenord", "admin"); stamp(s) == first
False
>>> stamp(Store("sqlite://")) is None
True
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import threading
import weakref
from collections import OrderedDict

from sqlalchemy import event

from lagesbild.settings import sqlite_file


class _Watch:
    """The watching connection of one SQLite file (opened again when the file is another inode)."""

    def __init__(self, path: str):
        self.path, self.lock = path, threading.Lock()
        self.conn, self.inode, self.opened, self.pid = None, None, None, None

    def stamp(self):
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        inode = (st.st_dev, st.st_ino)
        with self.lock:
            try:
                if self.conn is None or inode != self.inode or self.pid != os.getpid():
                    if self.conn is not None and self.pid == os.getpid():
                        self.conn.close()  # (a connection opened before a fork is left to its process)
                    self.conn = None
                    # rw without create: never makes a file; it only reads the pragma
                    self.conn = sqlite3.connect(f"file:{self.path}?mode=rw", uri=True,
                                                check_same_thread=False, isolation_level=None)
                    self.inode, self.opened, self.pid = inode, next(_OPENED), os.getpid()
                value = self.conn.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error:
                self.conn = None
                return None
        return (inode, self.opened, value)

    def close(self) -> None:
        """Close the watching connection (of this process); the next stamp opens it again."""
        with self.lock:
            if self.conn is not None and self.pid == os.getpid():
                self.conn.close()
            self.conn = None


#: the most SQLite files watched at once (each watch holds a connection and its file descriptors)
WATCHES_KEPT = 8
_WATCHES: OrderedDict = OrderedDict()
#: the number of each opening of a watching connection in this process (a stamp's second part)
_OPENED = itertools.count(1)
_WATCHES_LOCK = threading.Lock()
_KEPT: dict = {}
#: the engines whose disposal closes their file's watching connection
_LISTENED: weakref.WeakSet = weakref.WeakSet()


def stamp(store):
    """The store's change stamp: equal on two calls only when nothing was committed between them
    (None for a store that has none: in memory, PostgreSQL, or the file cannot be read)."""
    url = store.url
    watch = _WATCHES.get(url)
    if watch is None:
        path = sqlite_file(url)
        if path is None:
            return None
        with _WATCHES_LOCK:
            watch = _WATCHES.setdefault(url, _Watch(os.path.abspath(path)))
            while len(_WATCHES) > WATCHES_KEPT:  # the least recently asked first
                _WATCHES.popitem(last=False)[1].close()
    else:
        with _WATCHES_LOCK:
            if url in _WATCHES:
                _WATCHES.move_to_end(url)  # most recently asked last
    engine = getattr(store, "engine", None)
    if engine is not None and engine not in _LISTENED:
        with _WATCHES_LOCK:
            if engine not in _LISTENED:
                event.listen(engine, "engine_disposed", lambda _engine, url=url: _close(url))
                _LISTENED.add(engine)
    return watch.stamp()


def _close(url: str) -> None:
    """Close the watch of the file at ``url``, if it is watched (its engine was disposed of)."""
    watch = _WATCHES.get(url)
    if watch is not None:
        watch.close()


def kept(store, key: str, read):
    """``read()`` kept per store until its change stamp changes (read every time without a stamp).

    The stamp is taken before reading, so a commit during the read makes the next call read again."""
    now = stamp(store)
    if now is None:
        return read()
    held = _KEPT.get((store.url, key))
    if held is not None and held[0] == now:
        return held[1]
    value = read()
    _KEPT[(store.url, key)] = (now, value)
    return value
