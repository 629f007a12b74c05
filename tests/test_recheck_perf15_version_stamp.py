"""The store's data version (``meta.version``, read at the start of every web request and by every
memo lookup outside one) is read from the database again only after a commit by some connection or
process (lagesbild/store/change_stamp.py); a bump by another process is seen by the next read."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import event

from lagesbild.settings import ROOT
from lagesbild.store import Store


def _bump_elsewhere(url: str) -> None:
    script = (f"from lagesbild.store import Store\ns = Store({url!r})\n"
              "with s.transaction() as w:\n    w.bump_version()\n")
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT, timeout=120)


def test_a_bump_by_another_process_is_seen_at_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'v.sqlite'}"
    reader = Store(url)
    start = reader.version()
    assert reader.version() == start
    _bump_elsewhere(url)
    second = reader.version()
    assert second != start
    with Store(url).transaction() as w:  # another engine of this process
        w.bump_version()
    assert reader.version() not in (start, second)


def test_reading_the_version_twice_without_a_change_asks_the_database_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    store = Store(url)
    store.version()
    seen = []

    def note(_conn, _cursor, statement, *_args):
        if "meta" in statement.lower():
            seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", note)
    try:
        for _ in range(5):
            store.version()
        assert seen == []
        with store.transaction() as w:
            w.bump_version()
        seen.clear()
        store.version(), store.version()
        assert len(seen) == 1
    finally:
        event.remove(store.engine, "before_cursor_execute", note)
