"""Recheck (websec): what the server answers besides pages is Swedish too, never Werkzeug's English.

Probed on the running dashboard with plain HTTP: a method a route does not take (``PUT /``,
``DELETE /login``) got Werkzeug's "405 Method Not Allowed" HTML page in English, and every redirect
(to the login page, ``/plats`` to the place chooser, after a login) carried Werkzeug's English
"Redirecting..." page with ``lang=en``.
"""

from __future__ import annotations

import re

import pytest

from lagesbild.settings import load_settings
from lagesbild.store import Store, accounts

PASSWORD = "adminens-lösenord"


@pytest.fixture()
def app(tmp_path):
    from lagesbild.web import create_app

    cfg = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "w.sqlite"))
    store = Store(cfg.db_url)
    accounts.add_user(store, "ada", PASSWORD, "admin")
    return create_app(cfg, store)


def _token(client) -> str:
    page = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _logged_in(app):
    c = app.server.test_client()
    r = c.post("/login", data={"csrf_token": _token(c), "username": "ada", "password": PASSWORD, "next": "/"})
    assert r.status_code == 302 and r.headers["Location"] == "/"
    return c


@pytest.mark.parametrize(("method", "path"), [("PUT", "/"), ("DELETE", "/login"), ("PATCH", "/logout"),
                                              ("PUT", "/assets/style.css")])
def test_a_method_the_address_does_not_take_is_refused_in_swedish(app, method, path):
    r = _logged_in(app).open(path, method=method)
    text = r.get_data(as_text=True)
    assert r.status_code == 405
    assert r.mimetype == "text/plain"
    assert text == f"Adressen tar inte emot den här sortens begäran ({method})."
    assert "Method Not Allowed" not in text
    assert r.headers["Allow"]  # which methods it does take, as HTTP asks
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]


def test_the_answers_that_send_the_browser_on_are_swedish(app):
    c = app.server.test_client()
    to_login = c.get("/karta?period=2024")
    assert to_login.status_code == 302
    assert to_login.headers["Location"] == "/login?next=/karta%3Fperiod%3D2024"
    body = to_login.get_data(as_text=True)
    assert '<html lang="sv">' in body and "Redirecting" not in body and "lang=en" not in body
    assert 'href="/login?next=/karta%3Fperiod%3D2024"' in body

    logged_in = _logged_in(app)
    chooser = logged_in.get("/plats?mote=1")
    assert chooser.headers["Location"] == "/plats/-?mote=1"
    assert "Redirecting" not in chooser.get_data(as_text=True)


def test_a_redirect_page_writes_its_address_as_text(app):
    """The address in the body is escaped: a ``next`` with quotes and a tag stays text."""
    c = app.server.test_client()
    r = c.post("/login", data={"csrf_token": _token(c), "username": "ada", "password": PASSWORD,
                               "next": '/"><script>alert(1)</script>'})
    body = r.get_data(as_text=True)
    assert r.status_code == 302 and "<script>" not in body and "&lt;script&gt;" in body
