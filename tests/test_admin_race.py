"""Two admins taking each other away at the same moment leave one admin, on SQLite and PostgreSQL.

The first change is held inside its transaction, just before it writes, while the second runs. Without
a lock the second counts two admins and goes through, the first then writes too, and no admin is left
(nobody could manage accounts on the web). Behind the admin gate (``store/audit_log.behind_gate``) the
second waits for the first and then refuses: one admin remains.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event

from lagesbild.store import Store, accounts

PASSWORD = "ett långt lösenord"
HOLD = 3.0  # seconds the first change waits for the second to end; the second must not end meanwhile


@pytest.fixture(scope="module")
def pg_url():
    from tests.pg import postgres_server

    with postgres_server() as url:
        yield url


def _race(store, first, second) -> dict[str, str]:
    """Run ``first`` until it is about to write, then ``second`` in another thread; their outcomes."""
    paused, second_ended = threading.Event(), threading.Event()
    first_thread: dict[str, int] = {}
    outcome: dict[str, str] = {}

    def hold(conn, cursor, statement, *args):
        writes = statement.lstrip().upper().startswith(("DELETE FROM USERS", "UPDATE USERS"))
        if writes and threading.get_ident() == first_thread.get("id") and not paused.is_set():
            paused.set()
            second_ended.wait(HOLD)

    def run(name, change):
        if name == "first":
            first_thread["id"] = threading.get_ident()
        try:
            change()
            outcome[name] = "ändrad"
        except accounts.AccountError:
            outcome[name] = "nekad"
        finally:
            if name == "second":
                second_ended.set()

    event.listen(store.engine, "before_cursor_execute", hold)
    try:
        one = threading.Thread(target=run, args=("first", first))
        one.start()
        assert paused.wait(60), "the first change never reached its write"
        two = threading.Thread(target=run, args=("second", second))
        two.start()
        one.join(120)
        two.join(120)
    finally:
        event.remove(store.engine, "before_cursor_execute", hold)
    return outcome


def _two_admins(store):
    """Exactly the admins anna and bo (a PostgreSQL server is shared by the cases of the module)."""
    for user in accounts.list_users(store):
        accounts.set_role(store, user["username"], "admin")
    for user in accounts.list_users(store):
        if user["username"] not in ("anna", "bo"):
            accounts.remove_user(store, user["username"])
    for name in ("anna", "bo"):
        if accounts.get_user(store, name) is None:
            accounts.add_user(store, name, PASSWORD, "admin")


def _admins(store) -> list[str]:
    return [u["username"] for u in accounts.list_users(store) if u["role"] == "admin"]


CHANGES = {
    "båda tas bort": (lambda s: accounts.remove_user(s, "anna"), lambda s: accounts.remove_user(s, "bo")),
    "en degraderas, en tas bort": (lambda s: accounts.set_role(s, "anna", "läsare"),
                                   lambda s: accounts.remove_user(s, "bo")),
    "båda degraderas": (lambda s: accounts.set_role(s, "anna", "analytiker"),
                        lambda s: accounts.set_role(s, "bo", "läsare")),
}


@pytest.mark.parametrize("case", list(CHANGES))
def test_sqlite_keeps_one_admin_when_two_are_taken_away_at_once(tmp_path, case):
    store = Store(f"sqlite:///{tmp_path / 'konton.sqlite'}")
    _two_admins(store)
    first, second = CHANGES[case]
    outcome = _race(store, lambda: first(store), lambda: second(store))
    assert outcome == {"first": "ändrad", "second": "nekad"}
    assert len(_admins(store)) == 1


@pytest.mark.parametrize("case", list(CHANGES))
def test_postgresql_keeps_one_admin_when_two_are_taken_away_at_once(pg_url, case):
    store = Store(pg_url)
    _two_admins(store)
    first, second = CHANGES[case]
    outcome = _race(store, lambda: first(store), lambda: second(store))
    assert outcome == {"first": "ändrad", "second": "nekad"}
    assert len(_admins(store)) == 1
