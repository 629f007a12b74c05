"""Recheck (ops2): what a role may not see is refused with 403, not 200.

A reader's chart or XLSX export of Karta, Mönster or Data (the download buttons' Dash callback, sent
with a crafted request) answered 200 with "Exporten misslyckades: Din roll (läsare) räcker inte …"
beside the button, and ``GET /konton`` (or ``/karta``) answered 200 with the refusal drawn as the page;
a proxy's log, a monitoring probe or an auditor saw success. Now both answer 403 with the same Swedish
refusal (the export: the callback's JSON error, which the page's script answers by showing the
refusal; the page: Dash's HTML, which shows "Ingen behörighet"), and the refused export is in the
audit log. Roles that may see them keep 200.
"""

from __future__ import annotations

import re

import pytest

from lagesbild.settings import load_settings
from lagesbild.store import Store, accounts

PASSWORDS = {"lasse": "läsarens-lösenord", "ann": "analytikerns-lösenord", "ada": "adminens-lösenord"}
ROLES = {"lasse": "läsare", "ann": "analytiker", "ada": "admin"}
OUTSIDE = {"REMOTE_ADDR": "10.1.2.3"}  # not loopback: logins are needed


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from lagesbild.web import create_app

    folder = tmp_path_factory.mktemp("ops2roles")
    cfg = load_settings({}, data_dir=str(folder), db=str(folder / "s.sqlite"))
    store = Store(cfg.db_url)
    for name, role in ROLES.items():
        accounts.add_user(store, name, PASSWORDS[name], role)
    return create_app(cfg, store), store


def _client(app, name):
    c = app.server.test_client()
    c.environ_base.update(OUTSIDE)
    page = c.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = c.post("/login", data={"username": name, "password": PASSWORDS[name], "csrf_token": token, "next": "/"})
    assert r.status_code == 302
    c.get("/")
    return c


def _export(c, fmt, graph, path, search="", kind="chart"):
    """The request the chart's (or table's) download button makes: its Dash callback."""
    if kind == "chart":
        key = lambda t: {"graph": graph, "type": t}  # noqa: E731
        output = ('..{"graph":["MATCH"],"type":"lb-chart-download"}.data...'
                  '{"graph":["MATCH"],"type":"lb-chart-msg"}.children..')
        outs, inp = ("lb-chart-download", "lb-chart-msg"), "lb-chart-fig"
    else:
        key = lambda t: {"table": graph, "type": t}  # noqa: E731
        output = ('..{"table":["MATCH"],"type":"lb-table-download"}.data...'
                  '{"table":["MATCH"],"type":"lb-table-msg"}.children..')
        outs, inp = ("lb-table-download", "lb-table-msg"), "lb-table-req"
    body = {"output": output,
            "outputs": [{"id": key(outs[0]), "property": "data"}, {"id": key(outs[1]), "property": "children"}],
            "inputs": [{"id": key(inp), "property": "data",
                        "value": {"fmt": fmt, "graph": graph, "path": path, "search": search}}],
            "changedPropIds": []}
    return c.post("/_dash-update-component", json=body, headers={"X-CSRFToken": c.get_cookie("_csrf_token").value})


REFUSED_EXPORTS = [("png", "map-graph", "/karta", "chart"), ("xlsx", "map-graph", "/karta", "chart"),
                   ("svg", "pat-weekday-hour", "/monster", "chart"),
                   ("xlsx", "pat-weekday-hour", "/monster", "chart"),
                   ("xlsx", "data-sources", "/data", "table")]


@pytest.mark.parametrize("fmt, graph, path, kind", REFUSED_EXPORTS)
def test_a_readers_export_of_incident_pages_is_403(site, fmt, graph, path, kind):
    app, store = site
    c = _client(app, "lasse")
    r = _export(c, fmt, graph, path, kind=kind)
    assert r.status_code == 403, r.get_data(as_text=True)[:300]
    assert r.mimetype == "application/json"
    assert r.get_json()["error"] == ("Din roll (läsare) räcker inte för den här delen; den kräver rollen "
                                     "analytiker.")
    assert "response" not in r.get_json()  # no file, no message beside a button
    last = accounts.audit_entries(store, 1)[0]
    assert (last["username"], last["action"]) == ("lasse", "export_refused")


def test_an_analyst_is_not_refused(site):
    app, _ = site
    c = _client(app, "ann")
    r = _export(c, "xlsx", "data-sources", "/data", kind="table")
    assert r.status_code == 200  # (an empty store: the table may have no numbers, but no refusal)
    assert "kräver rollen" not in r.get_data(as_text=True)


@pytest.mark.parametrize("name, path, status", [
    ("lasse", "/konton", 403), ("lasse", "/karta", 403), ("lasse", "/data", 403), ("lasse", "/monster", 403),
    ("lasse", "/karta?omr=x", 403), ("ann", "/konton", 403), ("ann", "/karta", 200), ("ann", "/monster", 200),
    ("ada", "/konton", 200), ("lasse", "/", 200), ("lasse", "/trygghet", 200), ("lasse", "/finns-inte", 404)])
def test_a_page_the_role_may_not_see_is_403_with_the_same_page(site, name, path, status):
    app, _ = site
    c = _client(app, name)
    r = c.get(path)
    assert r.status_code == status, (name, path, r.status_code)
    if status != 404:  # Dash's page: the browser draws the page, or its Swedish refusal
        assert r.mimetype == "text/html" and 'id="react-entry-point"' in r.get_data(as_text=True)
