"""An independent security recheck (sec4): cookies of a request that came over https are Secure.

``LAGESBILD_SECURE_COOKIES`` was the only thing that made the session and CSRF cookies ``Secure``.
A deployment behind a TLS proxy that set ``LAGESBILD_PROXIES=1`` (so the app sees ``https`` from
``X-Forwarded-Proto``) but not that setting, or gunicorn serving TLS itself (``--certfile``), sent the
session cookie of an https login without ``Secure``: a browser then sends it in clear text to the
same host over plain http (the port-80 redirect, a typed ``http://`` link), where anyone on the way
reads it and is logged in as that user. A request the app knows came over https now gets ``Secure``
cookies whatever the setting; a plain http request (local development) keeps working as before.
"""

from __future__ import annotations

import re

import pytest

from lagesbild.settings import load_settings
from lagesbild.store import Store, accounts

HTTPS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}


@pytest.fixture
def behind_proxy(tmp_path):
    """An app behind one trusted proxy, ``secure_cookies`` left at its default (0), one läsare."""
    from lagesbild.web import create_app

    cfg = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "c.sqlite"), proxies=1)
    store = Store(cfg.db_url)
    accounts.add_user(store, "lasse", "läsarens-lösenord", "läsare")
    return create_app(cfg, store)


def _set_cookies(response) -> dict:
    """``{name: the Set-Cookie header}`` of a response."""
    return {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}


def _login(client, headers, base_url):
    page = client.get("/login", headers=headers, base_url=base_url)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    return page, client.post("/login", data={"username": "lasse", "password": "läsarens-lösenord",
                                             "csrf_token": token},
                             headers={**headers, "Referer": base_url.replace("http://", "https://" if headers else "http://") + "/login"}, base_url=base_url)


def test_an_https_login_behind_a_trusted_proxy_gets_secure_cookies(behind_proxy):
    c = behind_proxy.server.test_client()
    page, login = _login(c, HTTPS, "http://lagesbild.example.se")
    assert login.status_code == 302, login.get_data(as_text=True)[:200]
    for response, name in ((page, "_csrf_token"), (page, "lagesbild_session"), (login, "lagesbild_session")):
        header = _set_cookies(response)[name]
        assert "; Secure" in header, header
        assert "SameSite=Lax" in header
    assert "HttpOnly" in _set_cookies(login)["lagesbild_session"]


def test_a_plain_http_request_keeps_cookies_a_browser_stores_over_http(behind_proxy):
    """Guard: without https (local development, no proxy header) the cookies are not ``Secure``, else
    the browser would drop them and no login could work."""
    c = behind_proxy.server.test_client()
    page, login = _login(c, {}, "http://127.0.0.1:8050")
    assert login.status_code == 302
    for response, name in ((page, "_csrf_token"), (login, "lagesbild_session")):
        assert "Secure" not in _set_cookies(response)[name]
    assert c.get("/", base_url="http://127.0.0.1:8050").status_code == 200  # the login holds
