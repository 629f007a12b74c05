"""Defects an independent probe of the hardening found (requests the project had not seen), through
the real Flask app and its test client on stores built by code: server errors, logins, public
routes, caching. The Data page's uploads and the meeting packs: tests/test_security_uploads.py."""

from __future__ import annotations

import logging

import pytest

from lagesbild.settings import load_settings
from lagesbild.store import Store


# ----- server errors ---------------------------------------------------------------------------------
def test_a_server_error_logs_its_traceback_once(tmp_path, log_text):
    """Flask's own "Exception on …" record and the app's "server error on …" record both carried the
    traceback: every 500 was in the log twice."""
    from lagesbild.web import create_app

    cfg = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "e.sqlite"))
    app = create_app(cfg, Store(cfg.db_url))

    def broken():
        raise RuntimeError("ett fel i testet")

    app.server.add_url_rule("/test-fel", "test_fel", broken)
    r = app.server.test_client().get("/test-fel")
    assert r.status_code == 500 and r.get_data(as_text=True).startswith("Något gick fel på servern")
    text = log_text.getvalue()
    assert text.count("Traceback (most recent call last)") == 1, text
    assert text.count("RuntimeError: ett fel i testet") == 1
    assert "lagesbild.web.security ERROR server error on GET /test-fel" in text


# ----- shared by the probe's tests (also tests/test_security_uploads.py) --------------------------------
PASSWORDS = {"lasse": "läsarens-lösenord", "ann": "analytikerns-lösenord", "ada": "adminens-lösenord"}
ROLES = {"lasse": "läsare", "ann": "analytiker", "ada": "admin"}
SURVEY = "Område;Nivå;År;Indikator;Andel (%);Antal svarande;Fiktiv\nVårberg;plats;2023;Oro för brott;21,5;280;ja\n"
UNMAPPED = "Ort;Nivå;År;Indikator;Andel (%);Antal svarande\nVårberg;plats;2023;Oro för brott;21,5;280\n"


@pytest.fixture
def site(tmp_path):
    """(app, store, settings): the demo places and one account per role."""
    from lagesbild.ingest import ingest_file, open_store
    from lagesbild.settings import ROOT
    from lagesbild.store import accounts
    from lagesbild.web import create_app

    cfg = load_settings({}, data_dir=str(tmp_path / "data"), db=str(tmp_path / "p.sqlite"), max_upload_mb=1)
    store = open_store(cfg)
    ingest_file(store, "places", ROOT / "geodata" / "places.geojson")
    for name, role in ROLES.items():
        accounts.add_user(store, name, PASSWORDS[name], role)
    return create_app(cfg, store), store, cfg


def _client(app, name):
    import re

    c = app.server.test_client()
    page = c.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = c.post("/login", data={"username": name, "password": PASSWORDS[name], "csrf_token": token})
    assert r.status_code == 302
    c.get("/")
    return c, {"X-CSRFToken": c.get_cookie("_csrf_token").value}


def _call(app, c, headers, prefix: str, values: dict):
    """Post the callback whose key starts with ``prefix`` as dash-renderer does, ``values`` by id (an
    ALL pattern's id by its ``type``; its value a list of items' values)."""
    import json

    key = next(k for k in app.callback_map if k.startswith(prefix))
    spec = app.callback_map[key]

    def item(i):
        ident = json.loads(i["id"]) if i["id"].startswith("{") else i["id"]
        if isinstance(ident, dict):
            got = values.get(ident["type"], [])
            if not isinstance(got, list):
                return {**i, "value": got}  # not what the renderer sends: one item for a list
            return [{"id": {**ident, "index": n}, "property": i["property"], "value": v} for n, v in enumerate(got)]
        return {**i, "value": values.get(f"{ident}.{i['property']}", values.get(ident))}

    outs = []
    for part in key.strip(".").split("..."):
        ident, prop = part.rsplit(".", 1)
        outs.append({"id": ident, "property": prop.split("@")[0]})
    body = {"output": key, "outputs": outs if key.startswith("..") else outs[0],
            "changedPropIds": [f"{spec['inputs'][0]['id']}.{spec['inputs'][0]['property']}"],
            "inputs": [item(i) for i in spec["inputs"]], "state": [item(s) for s in spec.get("state", [])]}
    return c.post("/_dash-update-component", json=body, headers=headers)


def _text(r) -> str:
    """A response as text with JSON's escapes undone (Dash writes '/' as '\\u002f')."""
    import json

    return json.dumps(r.get_json(), ensure_ascii=False) if r.is_json else r.get_data(as_text=True)


def _upload(app, c, headers, text: str, name: str, kind: str):
    import base64

    contents = "data:text/csv;base64," + base64.b64encode(text.encode()).decode()
    r = _call(app, c, headers, "..dt-report.children...dt-pending", {
        "dt-upload.contents": contents, "dt-upload.filename": name, "dt-kind": kind, "dt-source": None,
        "dt-crs": None})
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r


# ----- logins ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["/\r\nSet-Cookie: x=1", "/plats/x\n", "/\x00", "/\x7f"])
def test_a_next_address_with_a_line_break_goes_to_the_start_page_not_a_server_error(site, target, caplog):
    """``next=/%0d%0aSet-Cookie:…`` after a login (or on the login page when logged in) made the
    redirect's header hold a line break: Werkzeug refused it, a 500 and a logged traceback."""
    import re

    app, _, _ = site
    c = app.server.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").get_data(as_text=True)).group(1)
    with caplog.at_level(logging.ERROR):
        r = c.post("/login", data={"username": "lasse", "password": PASSWORDS["lasse"], "csrf_token": token,
                                   "next": target})
        again = c.get("/login", query_string={"next": target})
    assert (r.status_code, r.headers["Location"]) == (302, "/")
    assert (again.status_code, again.headers["Location"]) == (302, "/")
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]


def test_a_get_of_logout_is_not_served_without_a_login(site):
    """``/logout`` was public for any method: a GET fell through to Dash's catch-all, which served the
    app's page shell to anyone."""
    app, _, _ = site
    r = app.server.test_client().get("/logout", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")
    c, _headers = _client(app, "lasse")
    token = c.get_cookie("_csrf_token").value
    out = c.post("/logout", data={"csrf_token": token})  # the real logout still works without a login check
    assert out.status_code == 302 and out.headers["Location"] == "/login"
    assert c.get("/", follow_redirects=False).status_code == 302


@pytest.mark.parametrize("header", ["X-Real-IP", "X-Forwarded-Host", "X-Forwarded-Proto", "Via"])
def test_open_mode_is_off_for_a_request_a_proxy_passed_on(tmp_path, header):
    """Without accounts only a browser on this machine is served without login; an nginx that sets
    only ``X-Real-IP`` (a common setup) passed every client on as a local one."""
    from lagesbild.web import create_app

    cfg = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "o.sqlite"))
    app = create_app(cfg, Store(cfg.db_url))
    c = app.server.test_client()
    assert c.get("/").status_code == 200  # open mode: a local browser
    r = c.get("/", headers={header: "203.0.113.9"})
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")
    assert c.post("/_dash-update-component", json={}, headers={header: "203.0.113.9"}).status_code == 401


@pytest.mark.parametrize("path", ["/assets/", "/_dash-component-suites/", "/_dash-component-suites/x",
                                  "/favicon.ico", "/logout"])
def test_a_public_looking_path_without_a_public_route_needs_a_login(site, path):
    """The guard let paths through by their beginning; these have no route of their own, so Dash's
    catch-all answered them with the app's page shell, to anyone."""
    app, _, _ = site
    r = app.server.test_client().get(path, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert r.status_code in (302, 401) and "_dash-config" not in r.get_data(as_text=True), (path, r.status_code)
    assert r.status_code == 401 or r.headers["Location"].startswith("/login")


def test_static_files_and_the_login_page_are_still_public(site):
    import re

    app, _, _ = site
    c = app.server.test_client()
    page = c.get("/login", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert page.status_code == 200
    assert c.get("/assets/style.css").status_code == 200
    script = re.search(r'src="(/_dash-component-suites/[^"]+)"', c.get("/login").get_data(as_text=True)
                       ) or re.search(r'"(/_dash-component-suites/dash/dash-renderer/[^"]+)"',
                                      _client(app, "lasse")[0].get("/").get_data(as_text=True))
    assert c.get(script.group(1)).status_code == 200
    assert c.get("/_dash-component-suites/dash/nope.js").status_code == 404  # a Swedish 404, not a login


# ----- caching ---------------------------------------------------------------------------------------
def test_the_users_answers_are_not_kept_by_caches_but_static_files_may_be(site):
    """Only HTML said ``Cache-Control: no-store``: ``/_dash-layout`` (the user's name and the logout
    form's CSRF token), callback answers with data and downloads carried no cache header."""
    app, _, _ = site
    c, headers = _client(app, "lasse")
    layout = c.get("/_dash-layout")
    assert "lasse" in layout.get_data(as_text=True) and layout.headers["Cache-Control"] == "no-store"
    assert c.get("/_dash-dependencies").headers["Cache-Control"] == "no-store"
    answer = _call(app, c, headers, ".._pages_content", {"_pages_location.pathname": "/",
                                                          "_pages_location.search": ""})
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert c.get("/assets/style.css").headers["Cache-Control"] != "no-store"  # Flask's own revalidation


def test_a_login_ends_after_the_session_hours_even_while_in_use(site):
    """"A session lasts LAGESBILD_SESSION_HOURS" (8 hours a login): the session cookie was renewed with
    every request, so a login in use never ended. The login's time is in the signed cookie now."""
    import time

    app, _, cfg = site
    c, _headers = _client(app, "lasse")
    assert c.get("/", follow_redirects=False).status_code == 200
    with c.session_transaction() as sess:  # the same login, made a little over the hours ago
        sess["lb_at"] = int(sess.get("lb_at", time.time())) - cfg.session_hours * 3600 - 60
    r = c.get("/", follow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")
    assert c.get("/_dash-layout").status_code == 401
    c2, _ = _client(app, "lasse")  # logging in again starts a new login
    assert c2.get("/", follow_redirects=False).status_code == 200
