"""Recheck (websec): a user name with a NUL byte at the login, on PostgreSQL.

``POST /login`` with ``username=ada%00`` (anyone can send it, no login needed) was a server error on
PostgreSQL ("PostgreSQL text fields cannot contain NUL (0x00) bytes", a traceback in the log for each
request) and was not counted among failed logins; on SQLite it was an ordinary wrong login. Both
stores now answer "Fel användarnamn eller lösenord." and count the attempt.
"""

from __future__ import annotations

import re

import pytest

from lagesbild.settings import load_settings
from lagesbild.store import Store, accounts
from tests.pg import postgres_server

pytestmark = pytest.mark.postgres

NAMES = ["ada\x00", "\x00", "a\x01da"]


@pytest.fixture()
def pg_url():  # a fresh server per test: failed logins of one test lock nothing in another
    with postgres_server() as url:
        yield url


@pytest.fixture(params=["postgresql", "sqlite"])
def app_store(request, tmp_path):
    from lagesbild.web import create_app

    db = request.getfixturevalue("pg_url") if request.param == "postgresql" else str(tmp_path / "n.sqlite")
    cfg = load_settings({}, data_dir=str(tmp_path), db=db, login_attempts=3)
    store = Store(cfg.db_url)
    if not accounts.user_count(store):
        accounts.add_user(store, "ada", "adminens-lösenord", "admin")
    return create_app(cfg, store), store


def _post(app, name, password="adminens-lösenord"):
    c = app.server.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").get_data(as_text=True)).group(1)
    return c.post("/login", data={"csrf_token": token, "username": name, "password": password, "next": "/"})


@pytest.mark.parametrize("name", NAMES, ids=["nul-after", "nul", "control"])
def test_a_name_no_account_can_have_is_a_wrong_login_on_both_stores(app_store, name):
    app, store = app_store
    before = len(accounts.audit_entries(store, 10_000))
    r = _post(app, name)
    assert r.status_code == 200, r.get_data(as_text=True)[:200]
    assert "Fel användarnamn eller lösenord." in r.get_data(as_text=True)
    entries = accounts.audit_entries(store, 10_000)
    assert len(entries) == before + 1 and entries[0]["action"] == "login_failed"


def test_such_names_are_counted_towards_the_limit(app_store):
    """Three failures (the limit) for one name from one address lock that name there."""
    app, store = app_store
    for _ in range(3):
        assert _post(app, "\x00").status_code == 200
    r = _post(app, "\x00")
    assert r.status_code == 429 and "För många misslyckade inloggningar" in r.get_data(as_text=True)
    assert accounts.audit_entries(store, 1)[0]["action"] == "login_limited"
