"""The "are there any accounts" answer behind open mode is kept between requests only until the
database changes: an account made or removed by another connection or another process takes effect on
the very next request (no time-based cache), and a request that follows no change asks no COUNT.

Open mode's rules (lagesbild/web/auth.py): no accounts, loopback, no proxy; a store with accounts
redirects a request without login to /login (302), open mode answers 200."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import event

from lagesbild.settings import ROOT, load_settings
from lagesbild.store import Store, accounts


@pytest.fixture()
def open_site(tmp_path):
    from lagesbild.web import create_app

    cfg = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "o.sqlite"))
    store = Store(cfg.db_url)
    return create_app(cfg, store), store, cfg


def _other_process(url: str, code: str) -> None:
    """Run ``code`` (with ``s``, the store, and ``accounts``) in a separate Python process."""
    script = f"from lagesbild.store import Store, accounts\ns = Store({url!r})\n{code}\n"
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT, timeout=120)


def _status(client) -> int:
    return client.get("/_dash-layout").status_code


def test_an_account_made_by_another_process_ends_open_mode_at_once(open_site):
    app, _store, cfg = open_site
    c = app.server.test_client()
    assert _status(c) == 200 and _status(c) == 200  # open mode, its answer now kept
    _other_process(cfg.db_url, "accounts.add_user(s, 'ada', 'adminens-lösenord', 'admin')")
    r = c.get("/_dash-layout")
    assert r.status_code == 401 or (r.status_code == 302 and "/login" in r.headers["Location"])
    assert c.get("/").status_code == 302


def test_an_account_made_on_another_connection_ends_open_mode_at_once(open_site):
    app, _store, cfg = open_site
    c = app.server.test_client()
    assert c.get("/").status_code == 200
    other = Store(cfg.db_url)  # its own engine and connections
    accounts.add_user(other, "bo", "ett långt lösenord", "läsare")
    assert c.get("/").status_code == 302
    assert c.get("/").status_code == 302  # and it stays closed


def test_removing_the_only_account_elsewhere_reopens_open_mode(open_site):
    """The current rule: open mode whenever the store has no account (remove_user refuses only the last
    admin); a läsare as the only account can be removed, and then the tool is open again."""
    app, store, cfg = open_site
    c = app.server.test_client()
    _other_process(cfg.db_url, "accounts.add_user(s, 'lasse', 'ett långt lösenord', 'läsare')")
    assert c.get("/").status_code == 302
    assert c.get("/").status_code == 302
    _other_process(cfg.db_url, "accounts.remove_user(s, 'lasse')")
    assert c.get("/").status_code == 200
    assert accounts.user_count(store) == 0


def test_the_last_admin_cannot_be_removed_so_open_mode_stays_closed(open_site):
    app, store, cfg = open_site
    c = app.server.test_client()
    _other_process(cfg.db_url, "accounts.add_user(s, 'ada', 'adminens-lösenord', 'admin')")
    assert c.get("/").status_code == 302
    with pytest.raises(accounts.AccountError):
        accounts.remove_user(Store(cfg.db_url), "ada")
    assert c.get("/").status_code == 302 and accounts.user_count(store) == 1


def test_a_request_after_no_change_asks_no_count(open_site):
    """The count is asked again only after a commit: the old code counted the accounts on every
    request (~0.8 ms of the map change's 15 ms)."""
    app, store, _cfg = open_site
    c = app.server.test_client()
    c.get("/")
    seen = []

    def note(_conn, _cursor, statement, *_args):
        if "count(" in statement.lower() and "users" in statement.lower():
            seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", note)
    try:
        for _ in range(3):
            assert c.get("/_dash-layout").status_code == 200
        assert seen == []
        accounts.add_user(store, "ada", "adminens-lösenord", "admin")  # this store's own engine
        assert c.get("/").status_code == 302
        assert len(seen) == 1
    finally:
        event.remove(store.engine, "before_cursor_execute", note)


def test_a_restored_or_replaced_file_is_counted_again(tmp_path):
    """A file replaced under the same name (another inode) is watched anew: its count is read."""
    path = tmp_path / "r.sqlite"
    url = f"sqlite:///{path}"
    store = Store(url)
    assert accounts.user_count(store) == 0
    made = tmp_path / "made.sqlite"
    other = Store(f"sqlite:///{made}")
    accounts.add_user(other, "ada", "adminens-lösenord", "admin")
    other.engine.dispose()
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"r.sqlite{suffix}").unlink(missing_ok=True)
    made.replace(path)
    fresh = Store(url)
    assert accounts.user_count(fresh) == 1
    from lagesbild.store import change_stamp

    assert change_stamp.stamp(fresh) is not None


def test_stores_without_a_stamp_count_every_time():
    from lagesbild.store import change_stamp

    s = Store("sqlite://")
    assert change_stamp.stamp(s) is None
    assert accounts.user_count(s) == 0
    accounts.add_user(s, "ada", "adminens-lösenord", "admin")
    assert accounts.user_count(s) == 1


def test_a_forked_process_watches_on_a_connection_of_its_own(tmp_path, monkeypatch):
    """SQLite's connections must not be used across a fork (a gunicorn master asks before its workers
    start): a process with another pid than the one that opened the watching connection opens a new
    one, and its stamps still follow commits."""
    import os

    from lagesbild.store import change_stamp

    store = Store(f"sqlite:///{tmp_path / 'f.sqlite'}")
    first = change_stamp.stamp(store)
    watch = change_stamp._WATCHES[store.url]
    opened, conn = watch.opened, watch.conn
    real = os.getpid()
    monkeypatch.setattr(os, "getpid", lambda: real + 1)  # as seen from a forked child
    child = change_stamp.stamp(store)
    assert watch.opened == opened + 1 and watch.conn is not conn
    assert child != first  # a new connection: never taken for the parent's stamp
    assert change_stamp.stamp(store) == child
    accounts.add_user(store, "ada", "adminens-lösenord", "admin")
    assert change_stamp.stamp(store) != child and accounts.user_count(store) == 1
