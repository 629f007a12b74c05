"""Login, roles, CSRF, rate limiting, headers, the upload limit and refusals, through the real Flask app
(its test client) on a store built by code; the users CLI; the refusal to start beyond loopback; the
export browser's isolation from the network (a real Chromium and a local HTTP server)."""

from __future__ import annotations

import base64
import hashlib
import http.server
import io
import logging
import re
import subprocess
import sys
import threading
from pathlib import Path

import plotly.graph_objects as go
import pytest

from lagesbild.analysis.notfound import NotFound
from lagesbild.cli import main as cli_main
from lagesbild.settings import ROOT, load_settings
from lagesbild.store import Store, accounts

PASSWORDS = {"lasse": "läsarens-lösenord", "ann": "analytikerns-lösenord", "ada": "adminens-lösenord"}
ROLES = {"lasse": "läsare", "ann": "analytiker", "ada": "admin"}
OUTSIDE = {"REMOTE_ADDR": "10.1.2.3"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(app, store, settings) with three accounts, one per role."""
    from lagesbild.web import create_app

    folder = tmp_path_factory.mktemp("sec")
    cfg = load_settings({}, data_dir=str(folder), db=str(folder / "s.sqlite"), max_upload_mb=1)
    store = Store(cfg.db_url)
    for name, role in ROLES.items():
        accounts.add_user(store, name, PASSWORDS[name], role)
    return create_app(cfg, store), store, cfg


def _csrf(client) -> str:
    """The token of the client's session: the login form's field, or (logged in) the cookie."""
    page = client.get("/login").get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    return found.group(1) if found else client.get_cookie("_csrf_token").value


def login(client, name, password=None):
    return client.post("/login", data={"username": name, "password": password or PASSWORDS[name],
                                       "csrf_token": _csrf(client), "next": "/"})


def dash_post(app, client, output_id, *, token=True, inputs=None):
    """A Dash callback request as the renderer sends it (with the CSRF cookie as header)."""
    client.get("/")
    headers = {}
    cookie = client.get_cookie("_csrf_token")
    if token and cookie is not None:
        headers["X-CSRFToken"] = cookie.value
    key = next(k for k in app.callback_map if f"..{output_id}." in k or k.startswith(output_id))
    outs = [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]}
            for o in key.strip(".").split("...")]
    spec = app.callback_map[key]
    values = inputs or {}
    body = {"output": key, "outputs": outs if key.startswith("..") else outs[0],
            "inputs": [{**i, "value": values.get(i["id"])} for i in spec["inputs"]],
            "state": [{**s, "value": None} for s in spec.get("state", [])], "changedPropIds": []}
    return client.post("/_dash-update-component", json=body, headers=headers)


# ----- passwords and accounts ------------------------------------------------------------------
def test_passwords_are_argon2id_hashes_with_salt():
    h1, h2 = accounts.hash_password("ett lösenord"), accounts.hash_password("ett lösenord")
    assert h1.startswith("$argon2id$") and h1 != h2 and "ett lösenord" not in h1
    assert accounts.verify_password(h1, "ett lösenord") and accounts.verify_password(h2, "ett lösenord")
    assert not accounts.verify_password(h1, "ett lösenorD")
    assert not accounts.verify_password("inte en hash", "ett lösenord")


def test_accounts_refuse_bad_names_roles_and_short_passwords():
    store = Store("sqlite://")
    accounts.add_user(store, "eva", "tio tecken!", "läsare")
    for args, text in [(("eva", "tio tecken!", "läsare"), "finns redan"),
                       (("ny", "kort", "läsare"), "för kort"),
                       (("ny", " " * 10, "läsare"), "för få olika tecken"),  # ten spaces were a password
                       (("ny", "ababababab", "läsare"), "för få olika tecken"),
                       (("ny", "tio tecken!", "chef"), "Okänd roll"),
                       (("med mellanslag", "tio tecken!", "läsare"), "Ogiltigt användarnamn"),
                       (("x" * 121, "tio tecken!", "läsare"), "Ogiltigt användarnamn")]:
        with pytest.raises(accounts.AccountError, match=text):
            accounts.add_user(store, *args)
    assert [u["username"] for u in accounts.list_users(store)] == ["eva"]
    row = store.engine.connect().exec_driver_sql("select password_hash from users").scalar()
    assert row.startswith("$argon2id$")


def test_users_cli_reads_passwords_from_stdin_never_from_arguments(tmp_path, monkeypatch, capsys):
    db = str(tmp_path / "u.sqlite")
    monkeypatch.setattr(sys, "stdin", io.StringIO("ett bra lösenord\n"))
    assert cli_main(["--db", db, "users", "add", "kim", "--roll", "analytiker", "--stdin"]) == 0
    assert cli_main(["--db", db, "users", "list"]) == 0
    assert re.search(r"kim\s+analytiker", capsys.readouterr().out)
    with pytest.raises(SystemExit) as exc:  # a password given as an argument is not accepted
        cli_main(["--db", db, "users", "add", "kim2", "--roll", "admin", "hemligt-lösenord"])
    assert exc.value.code == 2
    monkeypatch.setattr(sys, "stdin", io.StringIO("ett nytt lösenord\n"))
    assert cli_main(["--db", db, "users", "passwd", "kim", "--stdin"]) == 0
    store = Store(f"sqlite:///{db}")
    assert accounts.check_password(store, "kim", "ett nytt lösenord") == {"username": "kim",
                                                                           "role": "analytiker"}
    assert cli_main(["--db", db, "users", "remove", "kim"]) == 0
    assert cli_main(["--db", db, "users", "remove", "kim"]) == 2
    assert "finns inte" in capsys.readouterr().err


# ----- login -----------------------------------------------------------------------------------
def test_without_login_only_the_login_page_and_static_files_are_served(site):
    app, _, _ = site
    c = app.server.test_client()
    r = c.get("/karta?omr=x&kat=y")
    assert r.status_code == 302 and r.headers["Location"] == "/login?next=/karta%3Fomr%3Dx%26kat%3Dy"
    form = c.get(r.headers["Location"]).get_data(as_text=True)
    assert 'name="next" value="/karta?omr=x&amp;kat=y"' in form
    login_page = c.get("/login")
    assert login_page.status_code == 200 and "Logga in" in login_page.get_data(as_text=True)
    assert c.get("/assets/style.css").status_code == 200
    r = c.post("/_dash-update-component", json={}, headers={"X-CSRFToken": c.get_cookie("_csrf_token").value})
    assert r.status_code == 401 and "Inte inloggad" in r.get_data(as_text=True)
    assert c.get("/_dash-layout").status_code == 401


def test_login_logout_and_the_audit_log(site):
    app, store, _ = site
    c = app.server.test_client()
    bad = login(c, "ann", "fel lösenord!")
    assert bad.status_code == 200 and "Fel användarnamn eller lösenord" in bad.get_data(as_text=True)
    ok = login(c, "ann")
    assert ok.status_code == 302 and ok.headers["Location"] == "/"
    assert c.get("/").status_code == 200
    session_cookie = c.get_cookie("lagesbild_session")
    assert session_cookie.http_only and session_cookie.same_site == "Lax"
    token = c.get_cookie("_csrf_token").value
    assert c.post("/logout").status_code == 400  # no CSRF token: refused
    assert c.post("/logout", data={"csrf_token": token}).status_code == 302
    assert c.get("/").status_code == 302
    actions = [(e["username"], e["action"]) for e in accounts.audit_entries(store, 10)]
    assert ("ann", "login_failed") in actions and ("ann", "login") in actions
    assert actions[0] == ("ann", "logout")


def test_a_login_only_follows_local_next_addresses(site):
    app, _, _ = site
    c = app.server.test_client()
    for target, expected in [("//evil.example/x", "/"), ("https://evil.example/", "/"),
                             ("/plats/torg?kat=x", "/plats/torg?kat=x"), ("/\\evil", "/")]:
        r = c.post("/login", data={"username": "lasse", "password": PASSWORDS["lasse"],
                                   "csrf_token": _csrf(c), "next": target})
        assert r.headers["Location"] == expected


def test_logins_are_rate_limited_per_account_from_the_audit_log(site):
    app, store, cfg = site
    accounts.add_user(store, "offer", "offrets-lösenord", "läsare")
    c = app.server.test_client()
    for _ in range(cfg.login_attempts):
        assert "Fel användarnamn" in login(c, "offer", "gissning-123").get_data(as_text=True)
    limited = login(c, "offer", "offrets-lösenord")  # right password, but the account is locked
    assert limited.status_code == 429 and "För många misslyckade" in limited.get_data(as_text=True)
    assert login(c, "lasse").status_code == 302  # another account from the same address still works
    accounts.clear_failed_logins(store, "offer")  # what 'users passwd' does
    assert login(app.server.test_client(), "offer", "offrets-lösenord").status_code == 302


def test_logins_are_rate_limited_per_address(tmp_path):
    from lagesbild.web import create_app

    cfg = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "r.sqlite"), login_attempts=2)
    store = Store(cfg.db_url)
    accounts.add_user(store, "ok", "det-rätta-lösenordet", "läsare")
    c = create_app(cfg, store).server.test_client()
    for i in range(4 * cfg.login_attempts):  # different names from one address
        assert "Fel användarnamn" in login(c, f"namn{i}", "gissning-123").get_data(as_text=True)
    assert login(c, "ok", "det-rätta-lösenordet").status_code == 429


# ----- CSRF ------------------------------------------------------------------------------------
def test_dash_requests_without_the_csrf_header_are_refused(site):
    app, _, _ = site
    c = app.server.test_client()
    login(c, "ann")
    refused = dash_post(app, c, "ov-content", token=False)
    assert refused.status_code == 400 and "CSRF" in refused.get_data(as_text=True)
    forged = c.post("/_dash-update-component", json={"output": "ov-content.children"},
                    headers={"X-CSRFToken": "förfalskad"})
    assert forged.status_code == 400
    # with the cookie sent back as a header (what dash-renderer does) the request gets past CSRF
    assert dash_post(app, c, "ov-content").status_code == 200


def test_a_login_form_without_token_is_refused(site):
    app, _, _ = site
    c = app.server.test_client()
    r = c.post("/login", data={"username": "ann", "password": PASSWORDS["ann"]})
    assert r.status_code == 400 and "säkerhetstoken" in r.get_data(as_text=True)


# ----- roles -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name, allowed_outputs", [
    ("lasse", set()), ("ann", {"map-content", "dt-report", "dt-result"}),
    ("ada", {"map-content", "dt-report", "dt-result"})])
def test_protected_callbacks_are_refused_by_role_on_the_server(site, name, allowed_outputs):
    app, _, _ = site
    c = app.server.test_client()
    login(c, name)
    for output in ("map-content", "dt-report", "dt-result"):
        status = dash_post(app, c, output).status_code
        assert status == (200 if output in allowed_outputs else 403), (name, output, status)


def test_page_layouts_and_views_check_the_role(site):
    from flask_login import login_user

    from lagesbild.web.auth import User, allowed

    acc_page, data_page, map_page = (sys.modules[f"lagesbild.web.pages.{n}"]
                                     for n in ("accounts", "data", "map"))

    app, _, _ = site
    for role, can_map, can_admin in [("läsare", False, False), ("analytiker", True, False),
                                     ("admin", True, True)]:
        with app.server.test_request_context("/", environ_base=OUTSIDE):
            login_user(User("x", role))
            assert allowed("analytiker") == can_map and allowed("admin") == can_admin
            texts = [str(page.layout()) for page in (map_page, data_page, acc_page)]
            assert ("Ingen behörighet" in texts[0]) != can_map
            assert ("Ingen behörighet" in texts[1]) != can_map
            assert ("Ingen behörighet" in texts[2]) != can_admin
            try:
                refused = str(map_page.update("a", "b", "2020–2021", "gi", None, False)[0])
            except NotFound:  # past the role check: "b" is no category of this store (e81f0ca: 400)
                refused = "Okänd kategori"
            assert ("Ingen behörighet" in refused) != can_map


def test_a_lasare_cannot_export_the_incident_map(site):
    from flask_login import login_user

    from lagesbild.web.auth import User
    from lagesbild.web.chart_source import ExportRefused, figure_for

    app, _, _ = site
    with app.server.test_request_context("/", environ_base=OUTSIDE):
        login_user(User("lasse", "läsare"))
        with pytest.raises(ExportRefused, match="kräver rollen analytiker"):
            figure_for("/karta", "?omr=x", "map-graph")


def test_no_accounts_means_no_login_only_on_loopback_without_proxy(tmp_path):
    from lagesbild.web import create_app

    cfg = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "o.sqlite"))
    c = create_app(cfg, Store(cfg.db_url)).server.test_client()
    page = c.get("/")
    assert page.status_code == 200
    assert "open-banner" in c.get("/_dash-layout").get_data(as_text=True)
    assert c.get("/", environ_base=OUTSIDE).status_code == 302
    assert c.get("/", headers={"X-Forwarded-For": "10.9.9.9"}).status_code == 302
    wide = create_app(cfg.replace(host="0.0.0.0"), Store(cfg.db_url)).server.test_client()
    assert wide.get("/").status_code == 302


# ----- headers and limits ----------------------------------------------------------------------
def test_security_headers_and_a_csp_that_allows_exactly_the_inline_scripts(site):
    app, _, _ = site
    c = app.server.test_client()
    login(c, "ann")
    r = c.get("/")
    h = r.headers
    assert h["X-Frame-Options"] == "DENY" and h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "same-origin"
    csp = dict(part.strip().split(" ", 1) for part in h["Content-Security-Policy"].split(";"))
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    html = re.sub(r"<!--.*?-->", "", r.get_data(as_text=True), flags=re.S)  # (Dash's IE-only comment)
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", html, re.S)
    assert inline
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp["script-src"]
    cookie = c.get_cookie("_csrf_token")
    assert cookie.same_site == "Lax" and not cookie.secure
    assert "Strict-Transport-Security" not in h  # not over plain HTTP on the machine itself
    assert c.get("/assets/style.css").headers["X-Content-Type-Options"] == "nosniff"


def test_secure_cookies_setting(tmp_path):
    from lagesbild.web import create_app

    cfg = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "c.sqlite"), secure_cookies=1)
    c = create_app(cfg, Store(cfg.db_url)).server.test_client()
    r = c.get("/")
    assert c.get_cookie("_csrf_token").secure and c.get_cookie("lagesbild_session").secure
    assert r.headers["Strict-Transport-Security"] == "max-age=31536000"


class _Unreadable(io.RawIOBase):
    def readable(self):
        return True

    def readinto(self, b):
        raise AssertionError("the body of a too large request was read")


def test_a_too_large_request_is_refused_before_its_body_is_read(site):
    from werkzeug.test import EnvironBuilder, run_wsgi_app

    app, _, _ = site
    c = app.server.test_client()
    login(c, "ann")
    c.get("/")
    cookies = "; ".join(f"{k}={c.get_cookie(k).value}" for k in ("lagesbild_session", "_csrf_token"))
    environ = EnvironBuilder(path="/_dash-update-component", method="POST", headers={
        "Content-Type": "application/json", "Cookie": cookies,
        "X-CSRFToken": c.get_cookie("_csrf_token").value}).get_environ()
    environ["CONTENT_LENGTH"] = str(3 * 1024 * 1024)  # limit 1 MB: 4/3 MB of base64 plus 1 MB
    environ["wsgi.input"] = io.BufferedReader(_Unreadable())
    body, status, _headers = run_wsgi_app(app.server.wsgi_app, environ, buffered=True)
    assert status.startswith("413")
    assert "Filen är för stor: största tillåtna storlek är 1 MB" in b"".join(body).decode()


def test_the_upload_callback_refuses_a_decoded_file_over_the_limit(site):
    from flask_login import login_user

    from lagesbild.web.auth import User

    app, _, _ = site
    data_page = sys.modules["lagesbild.web.pages.data"]
    big = "data:text/csv;base64," + base64.b64encode(b"a;b\n" * 300_000).decode()
    with app.server.test_request_context("/"):
        login_user(User("ann", "analytiker"))
        report, pending, disabled, *_ = data_page.validate(big, "crimes", "stor.csv", None, None)
    assert "Filen är för stor" in str(report) and pending is None and disabled is True


# ----- starting -------------------------------------------------------------------------------
@pytest.mark.parametrize("entry", ["app.py", "wsgi"])
def test_refuses_to_start_beyond_loopback_without_accounts(tmp_path, entry):
    env = {"LAGESBILD_DB": str(tmp_path / "tom.sqlite"), "LAGESBILD_DATA_DIR": str(tmp_path),
           "LAGESBILD_HOST": "0.0.0.0", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, str(ROOT / "app.py")] if entry == "app.py" else \
        [sys.executable, "-c", "import lagesbild.web.wsgi"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 2, done.stderr
    assert "databasen har inga konton" in done.stderr and "Traceback" not in done.stderr
    assert "users add" in done.stderr


def test_ctrl_c_while_the_app_starts_stops_it_without_a_traceback(tmp_path):
    """Ctrl-C while the app reads in the demo data into an empty store (seconds): "Avbrutet.", exit
    code 130, as the CLI does, and no traceback."""
    import signal
    import time

    env = {"LAGESBILD_DB": str(tmp_path / "tom.sqlite"), "LAGESBILD_DATA_DIR": str(tmp_path),
           "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], env=env, cwd=tmp_path, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()  # printed once the demo data begin to be read in
    assert "demodata" in first, first
    time.sleep(0.2)  # inside the demo ingest (it takes seconds), not between two prints
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err[-2000:]
    assert "Avbrutet." in err and "Traceback" not in err, err[-2000:]


def test_wsgi_starts_beyond_loopback_once_an_account_exists(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'k.sqlite'}")
    accounts.add_user(store, "ada", "adminens-lösenord", "admin")
    env = {"LAGESBILD_DB": str(tmp_path / "k.sqlite"), "LAGESBILD_DATA_DIR": str(tmp_path),
           "LAGESBILD_HOST": "0.0.0.0", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", "import lagesbild.web.wsgi as w; print(w.server.name)"],
                          env=env, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr


# ----- the export browser ----------------------------------------------------------------------
def test_the_export_browser_cannot_fetch_a_url_named_in_a_figure(tmp_path):
    from lagesbild.export.render import Renderer, RenderJob

    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    fig.add_layout_image(source=f"{base}/bild.png", xref="paper", yref="paper", x=0, y=1, sizex=1, sizey=1)
    fig.update_layout(font=dict(family=f"url({base}/font.woff)"))
    try:
        with Renderer(load_settings().chromium) as r:
            paths = r.render([RenderJob.for_size(fig, Path(tmp_path) / f"x.{f}", f) for f in ("png", "svg")])
        # (before the policy and the dead proxy, rendering this figure fetched /bild.png once per format)
        assert all(p.stat().st_size > 1000 for p in paths)
        assert hits == []
    finally:
        server.shutdown()


# ----- markdown ----------------------------------------------------------------------------------
def test_a_place_name_cannot_add_a_link_to_the_action_plan_table():
    import pandas as pd

    from lagesbild.figures.activities import make_plan_table

    acts = pd.DataFrame({"activity_id": ["a"], "aktivitet": ["Trygghetsvandring"], "priority_area": ["P"],
                         "start_date": pd.to_datetime(["2022-01-01"]), "end_date": [pd.NaT],
                         "open_ended": [True], "motesfrekvens": [""], "sammankallande": [""]})
    links = pd.DataFrame({"activity_id": ["a"], "place_id": ["torg)(x"]})
    evil = "Torget](https://evil.example) ![x](https://evil.example/i.png) <b>fet</b> *kursiv*"
    cell = make_plan_table(acts, links, None, place_names={"torg)(x": evil}).iloc[0]["Plats"]
    # exactly one link: the place page, with its id percent-encoded; every bracket of the name escaped
    assert cell.endswith("](/plats/torg%29%28x)")
    label = cell[1:-len("](/plats/torg%29%28x)")]
    assert not re.search(r"(?<!\\)[\[\]()<>*!]", label)
    # the shown name may wrap after "/" (a zero-width space, figures.activities.slash_breaks); nothing more
    assert label.replace("\\", "").replace("\u200b", "") == " ".join(evil.split())


# ----- malformed requests ------------------------------------------------------------------------
def _export_body(value, graph="place-trend_years"):
    key = lambda t: {"graph": graph, "type": t}  # noqa: E731
    return {"output": '..{"graph":["MATCH"],"type":"lb-chart-download"}.data...'
                      '{"graph":["MATCH"],"type":"lb-chart-msg"}.children..',
            "outputs": [{"id": key("lb-chart-download"), "property": "data"},
                        {"id": key("lb-chart-msg"), "property": "children"}],
            "inputs": [{"id": key("lb-chart-fig"), "property": "data", "value": value}],
            "changedPropIds": [f'{{"graph":"{graph}","type":"lb-chart-fig"}}.data']}


@pytest.mark.parametrize("body", [
    {}, [1, 2], {"output": "finns-inte.children", "outputs": {"id": "x", "property": "children"},
                 "inputs": [], "changedPropIds": []},
    {**_export_body("x"), "inputs": [{"value": 1}]}, {**_export_body("x"), "inputs": "x"}])
def test_a_malformed_callback_request_gets_a_clean_swedish_400(site, body, caplog):
    app, _, _ = site
    c = app.server.test_client()
    login(c, "lasse")
    c.get("/")
    r = c.post("/_dash-update-component", json=body,
               headers={"X-CSRFToken": c.get_cookie("_csrf_token").value})
    assert r.status_code == 400 and r.get_data(as_text=True).startswith("Felaktig begäran")
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize("value", ["skräp", {"fmt": "png", "graph": "x", "path": "/nej", "search": ""},
                                   {"fmt": "png", "figure": {"data": [], "layout": {}}}])
def test_a_bad_export_request_over_http_answers_a_swedish_reason(site, value):
    app, _, _ = site
    c = app.server.test_client()
    login(c, "lasse")
    c.get("/")
    r = c.post("/_dash-update-component", json=_export_body(value),
               headers={"X-CSRFToken": c.get_cookie("_csrf_token").value})
    assert r.status_code == 200
    answer = r.get_json()["response"]
    assert not any("lb-chart-download" in k for k in answer)  # nothing rendered, nothing sent
    (message,) = [v["children"] for k, v in answer.items() if "lb-chart-msg" in k]
    assert message.startswith("Exporten misslyckades")


def test_an_export_of_a_page_the_role_may_not_see_is_refused_with_403(site):
    """(Was 200 with the refusal beside the button; tests/test_recheck_ops2_forbidden.py.)"""
    app, _, _ = site
    c = app.server.test_client()
    login(c, "lasse")
    c.get("/")
    r = c.post("/_dash-update-component",
               json=_export_body({"fmt": "png", "graph": "x", "path": "/karta", "search": ""}),
               headers={"X-CSRFToken": c.get_cookie("_csrf_token").value})
    assert r.status_code == 403 and "kräver rollen analytiker" in r.get_json()["error"]


@pytest.mark.parametrize("preload, code", [(True, 2), (False, 3)])
def test_gunicorn_stops_instead_of_serving_beyond_loopback_without_accounts(tmp_path, preload, code):
    """``--preload``: the master exits with 2; otherwise the worker exits with gunicorn's boot-error code,
    so the master stops (3) instead of restarting it forever."""
    env = {"LAGESBILD_DB": str(tmp_path / "tom.sqlite"), "LAGESBILD_DATA_DIR": str(tmp_path),
           "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    cmd = [gunicorn, *(["--preload"] if preload else []), "-w", "1", "-b", "0.0.0.0:0",
           "lagesbild.web.wsgi:server"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == code
    assert "databasen har inga konton" in done.stderr and "Traceback" not in done.stderr


# ----- PostgreSQL ------------------------------------------------------------------------------
def test_accounts_audit_and_login_work_the_same_on_postgresql(tmp_path):
    from lagesbild.web import create_app
    from tests.pg import postgres_server

    with postgres_server() as url:
        cfg = load_settings({}, data_dir=str(tmp_path), db=url, login_attempts=2)
        store = Store(url)
        accounts.add_user(store, "åsa", "ett-långt-lösenord", "analytiker")
        with pytest.raises(accounts.AccountError, match="finns redan"):
            accounts.add_user(store, "åsa", "ett-långt-lösenord", "admin")
        key = accounts.secret_key(store)
        assert len(key) == 64 and accounts.secret_key(store) == key
        c = create_app(cfg, store).server.test_client()
        too_long = "x" * 500  # longer than the column: cut in the reader, the same as on SQLite
        assert "Fel användarnamn" in login(c, too_long, "gissning-123").get_data(as_text=True)
        assert "Fel användarnamn" in login(c, "åsa", "gissning-123").get_data(as_text=True)
        assert accounts.failed_logins(store, username="åsa", ip="127.0.0.1") == {"user": 1, "ip": 2}
        assert login(c, "åsa", "ett-långt-lösenord").status_code == 302
        newest = accounts.audit_entries(store, 1)[0]
        assert (newest["username"], newest["action"]) == ("åsa", "login")
        accounts.remove_user(store, "åsa")
        assert accounts.user_count(store) == 0
        store.engine.dispose()


# ----- accounts on the web -------------------------------------------------------------------------
def test_admins_manage_accounts_on_the_konton_page_and_others_cannot(site):
    from unittest import mock

    from flask_login import login_user

    from lagesbild.web.auth import User

    app, store, _ = site
    page = sys.modules["lagesbild.web.pages.accounts"]
    with app.server.test_request_context("/", environ_base=OUTSIDE):
        login_user(User("ann", "analytiker"))
        with mock.patch.object(page, "ctx", mock.Mock(triggered_id="adm-add")):
            refused = page.manage(1, 0, 0, "ny", "admin", "ett-långt-lösenord")
        assert "Ingen behörighet" in str(refused[0]) and accounts.get_user(store, "ny") is None
    with app.server.test_request_context("/", environ_base=OUTSIDE):
        login_user(User("ada", "admin"))
        for action, args, text in [
                ("adm-add", ("ny", "läsare", "ett-långt-lösenord"), "Kontot ny (läsare) är skapat."),
                ("adm-add", ("ny2", "läsare", "kort"), "för kort"),
                ("adm-setrole", ("ny", "analytiker", None), "Kontot ny har nu rollen analytiker."),
                ("adm-remove", ("ada", "läsare", None), "ditt eget konto"),
                ("adm-setrole", ("ADA", "läsare", None), "ditt eget konto"),  # names match in any case
                ("adm-remove", (" Ada ", "läsare", None), "ditt eget konto"),
                ("adm-remove", ("ny", "läsare", None), "Kontot ny är borttaget.")]:
            with mock.patch.object(page, "ctx", mock.Mock(triggered_id=action)):
                message, _table, password = page.manage(1, 1, 1, *args)
            assert text in message and password == ""
            if action == "adm-setrole":
                assert accounts.get_user(store, "ny")["role"] == "analytiker"
    assert accounts.get_user(store, "ny") is None and accounts.get_user(store, "ada")["role"] == "admin"
    details = [e["detail"] for e in accounts.audit_entries(store, 5) if e["action"] == "account"]
    assert details[:3] == ["Kontot ny är borttaget.", "Kontot ny har nu rollen analytiker.",
                           "Kontot ny (läsare) är skapat."]


# ----- errors a user may meet --------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/_dash-component-suites/dash/nope.js", "/_dash-component-suites/nope/x.js"])
def test_an_unknown_component_file_is_a_swedish_404_without_a_logged_traceback(site, path, caplog):
    """The route needs no login: any unknown file was a 500 and two tracebacks in the log."""
    app, _, _ = site
    with caplog.at_level(logging.ERROR):
        r = app.server.test_client().get(path)
    assert r.status_code == 404 and r.get_data(as_text=True) == "Sidan eller filen finns inte."
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]


def test_an_unexpected_server_error_is_told_in_swedish_and_logged(tmp_path, caplog):
    """Werkzeug's English "Internal Server Error" page is replaced; the log still has the traceback."""
    from lagesbild.web import create_app

    cfg = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "e.sqlite"))
    app = create_app(cfg, Store(cfg.db_url))

    def broken():
        raise RuntimeError("ett fel i testet")

    app.server.add_url_rule("/test-fel", "test_fel", broken)
    with caplog.at_level(logging.ERROR):
        r = app.server.test_client().get("/test-fel")
    text = r.get_data(as_text=True)
    assert r.status_code == 500 and text.startswith("Något gick fel på servern") and "Traceback" not in text
    assert any("ett fel i testet" in str(rec.exc_info) for rec in caplog.records if rec.exc_info)
