"""DNS rebinding and cross-site posts, parallel login attempts, sessions ended by logout, exact public
paths and the gunicorn config file's bind: real requests through the Flask test client (and a real
gunicorn) on stores built by code."""

from __future__ import annotations

import sys

import pytest

from lagesbild.settings import load_settings
from lagesbild.store import Store, accounts
from tests.test_web_security import _csrf, dash_post, login

REBIND = {"Host": "evil.attacker.example:8771"}


@pytest.fixture()
def open_site(tmp_path):
    """(app, store) without accounts: open mode on loopback."""
    from lagesbild.web import create_app

    cfg = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "o.sqlite"))
    store = Store(cfg.db_url)
    return create_app(cfg, store), store


@pytest.fixture()
def site(tmp_path):
    """(app, store, settings) with one admin account and a limit of 3 failed logins."""
    from lagesbild.web import create_app

    cfg = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "a.sqlite"), login_attempts=3)
    store = Store(cfg.db_url)
    accounts.add_user(store, "ada", "adminens-lösenord", "admin")
    accounts.add_user(store, "offer", "offrets-lösenord", "läsare")
    return create_app(cfg, store), store, cfg


# ----- exact public paths ------------------------------------------------------------------------
def test_only_the_login_path_itself_is_public(site):
    app, _, _ = site
    c = app.server.test_client()
    for path in ("/loginanything", "/login/x", "/logoutx"):
        r = c.get(path)
        assert r.status_code == 302 and r.headers["Location"].startswith("/login?next="), path
    assert c.get("/login").status_code == 200
