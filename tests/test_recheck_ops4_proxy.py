"""Behind a reverse proxy (``LAGESBILD_PROXIES=1``) the app trusts the proxy's ``X-Forwarded-For`` and
``X-Forwarded-Proto``, never a client's ``X-Forwarded-Host``, ``X-Forwarded-Port`` or
``X-Forwarded-Prefix``.

The README's nginx block sets ``Host``, ``X-Forwarded-For`` and ``X-Forwarded-Proto``; nginx passes
every other header of the client on as it came. The app's ProxyFix trusted ``X-Forwarded-Host`` (and
``-Port``) too, so a client's ``X-Forwarded-Host: evil.example`` became the request's host: a POST
from ``Origin: https://evil.example`` then passed the Origin check (it compares the Origin with the
host), and so did the CSRF referrer check over https. Redirects (login ``next=``, logout, the
login page) stay relative whatever the headers say.
"""

from __future__ import annotations

import re

import pytest

from lagesbild.settings import load_settings
from lagesbild.store import Store, accounts

HOST = "lagesbild.example.se"
EVIL = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Port": "8443", "X-Forwarded-Prefix": "/evil"}
PROXIED = {"REMOTE_ADDR": "127.0.0.1"}  # the proxy on this machine


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from lagesbild.web import create_app

    folder = tmp_path_factory.mktemp("proxy")
    cfg = load_settings({}, data_dir=str(folder), db=str(folder / "s.sqlite"), proxies=1)
    store = Store(cfg.db_url)
    accounts.add_user(store, "ann", "analytikerns-lösenord", "analytiker")
    return create_app(cfg, store)


class _Proxied:
    """A test client whose requests come as nginx passes them on: from loopback, ``Host`` the site's."""

    def __init__(self, app):
        self.c = app.server.test_client()
        self.c.environ_base.update(PROXIED)

    def get_cookie(self, name):
        return self.c.get_cookie(name, domain=HOST)

    def get(self, path, headers=None):
        return self.c.get(path, base_url=f"http://{HOST}", headers=headers or {})

    def post(self, path, data=None, headers=None):
        return self.c.post(path, base_url=f"http://{HOST}", data=data, headers=headers or {})


def _client(app):
    return _Proxied(app)


def _token(c) -> str:
    page = c.get("/login", headers={"X-Forwarded-Proto": "https"}).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _login(c, **headers):
    return c.post("/login", data={"username": "ann", "password": "analytikerns-lösenord",
                                  "csrf_token": _token(c), "next": "/plats/x"},
                  headers={"X-Forwarded-Proto": "https", "Referer": f"https://{HOST}/login",
                           "Origin": f"https://{HOST}", **headers})


def test_a_post_from_another_site_is_refused_whatever_x_forwarded_host_says(app):
    c = _client(app)
    assert _login(c).status_code == 302
    token = c.get_cookie("_csrf_token").value
    r = c.post("/logout", data={"csrf_token": token},
               headers={"X-Forwarded-Proto": "https", "Origin": "https://evil.example",
                        "Referer": "https://evil.example/", "X-Forwarded-Host": "evil.example"})
    assert r.status_code == 403
    assert r.get_data(as_text=True) == "Begäran kom från en annan webbplats och har stoppats."
    assert c.get("/", headers={"X-Forwarded-Proto": "https"}).status_code == 200  # still logged in


def test_the_proxys_own_headers_are_trusted(app):
    """The site's own POSTs through the proxy (https, its Host) pass, also when the client added
    X-Forwarded-Host/-Port/-Prefix headers of its own (they made the host another one: refused)."""
    c = _client(app)
    r = _login(c, **EVIL)
    assert (r.status_code, r.headers.get("Location")) == (302, "/plats/x")
    token = c.get_cookie("_csrf_token").value
    r = c.post("/logout", data={"csrf_token": token},
               headers={"X-Forwarded-Proto": "https", "Origin": f"https://{HOST}",
                        "Referer": f"https://{HOST}/", **EVIL})
    assert r.status_code == 302


@pytest.mark.parametrize("path", ["/", "/plats/x?kat=a", "/logout"])
def test_redirects_stay_on_the_site_whatever_the_forwarded_headers_say(app, path):
    """Guard (held before): Locations are relative, X-Forwarded-Prefix is not trusted."""
    c = _client(app)
    r = c.get(path, headers=EVIL)
    assert r.status_code == 302
    location = r.headers["Location"]
    assert location.startswith("/login") and "evil" not in location
