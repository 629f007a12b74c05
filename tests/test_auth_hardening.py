"""DNS rebinding and cross-site posts, parallel login attempts, sessions ended by logout, exact public
paths and the gunicorn config file's bind: real requests through the Flask test client (and a real
gunicorn) on stores built by code."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from lagesbild.settings import ROOT, load_settings
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


# ----- DNS rebinding and Origin ------------------------------------------------------------------
def test_open_mode_answers_only_a_loopback_host(open_site):
    app, _ = open_site
    c = app.server.test_client()
    for host in ("127.0.0.1:8771", "localhost", "localhost:8050", "[::1]:8050", "127.4.5.6", "LOCALHOST"):
        assert c.get("/_dash-layout", headers={"Host": host}).status_code == 200, host
    for host in ("evil.attacker.example:8771", "evil.attacker.example", "127.0.0.1.nip.io:8771",
                 "10.0.0.1:8771", "0.0.0.0:8771"):
        r = c.get("/_dash-layout", headers={"Host": host})
        assert r.status_code == 421, host
        assert "Okänd värdadress" in r.get_data(as_text=True) and "open-banner" not in r.get_data(as_text=True)
    assert c.get("/", headers=REBIND).status_code == 421


def test_a_rebound_callback_cannot_create_an_admin_account(open_site):
    app, store = open_site
    c = app.server.test_client()
    c.get("/")  # the CSRF cookie, as a rebound page would get it from its own "site"
    key = next(k for k in app.callback_map if "adm-status" in k)
    spec = app.callback_map[key]
    outs = [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]} for o in key.strip(".").split("...")]
    values = {"adm-add": 1, "adm-name": "angripare", "adm-role": "admin", "adm-password": "ett-långt-lösenord"}
    body = {"output": key, "outputs": outs, "changedPropIds": ["adm-add.n_clicks"],
            "inputs": [{**i, "value": values.get(i["id"])} for i in spec["inputs"]],
            "state": [{**s, "value": values.get(s["id"])} for s in spec.get("state", [])]}
    headers = {**REBIND, "Origin": "http://evil.attacker.example:8771",
               "X-CSRFToken": c.get_cookie("_csrf_token").value}
    assert c.post("/_dash-update-component", json=body, headers=headers).status_code == 421
    assert accounts.user_count(store) == 0
    # the same request from the machine itself creates the account (the callback is really reached)
    local = {"Origin": "http://localhost", "X-CSRFToken": c.get_cookie("_csrf_token").value}
    assert c.post("/_dash-update-component", json=body, headers=local).status_code == 200
    assert accounts.get_user(store, "angripare") == {"username": "angripare", "role": "admin"}


def test_a_post_from_another_origin_is_refused_with_logins(site):
    app, _, _ = site
    c = app.server.test_client()
    token = _csrf(c)
    form = {"username": "ada", "password": "adminens-lösenord", "csrf_token": token, "next": "/"}
    for origin in ("http://rebind.attacker.example", "http://localhost:9999", "null"):
        r = c.post("/login", data=form, headers={"Origin": origin})
        assert r.status_code == 403 and "annan webbplats" in r.get_data(as_text=True), origin
    for origin in ("http://localhost", "http://localhost:80"):  # the app's own origin
        fresh = app.server.test_client()
        r = fresh.post("/login", data={**form, "csrf_token": _csrf(fresh)}, headers={"Origin": origin})
        assert r.status_code == 302, origin


def test_a_post_from_another_origin_is_refused_in_open_mode(open_site):
    open_app, _ = open_site
    oc = open_app.server.test_client()
    oc.get("/")
    r = dash_post(open_app, oc, "ov-content")
    assert r.status_code == 200
    key = oc.get_cookie("_csrf_token").value
    r = oc.post("/_dash-update-component", json={}, headers={"X-CSRFToken": key,
                                                              "Origin": "http://rebind.attacker.example"})
    assert r.status_code == 403


# ----- parallel login attempts ---------------------------------------------------------------------
def test_parallel_login_attempts_check_no_more_passwords_than_the_limit(site):
    app, store, cfg = site
    clients = [app.server.test_client() for _ in range(24)]
    tokens = [_csrf(c) for c in clients]
    start = threading.Barrier(len(clients))
    codes = []

    def attempt(c, token):
        start.wait()
        codes.append(c.post("/login", data={"username": "offer", "password": "fel-gissning-1",
                                            "csrf_token": token, "next": "/"}).status_code)

    threads = [threading.Thread(target=attempt, args=pair) for pair in zip(clients, tokens, strict=True)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    # a password checked and wrong: 200 with the form and login_failed; not checked: 429, login_limited
    assert sorted(codes) == [200] * cfg.login_attempts + [429] * (len(clients) - cfg.login_attempts)
    assert accounts.failed_logins(store, username="offer", ip="127.0.0.1")["user"] == cfg.login_attempts
    entries = [e for e in accounts.audit_entries(store) if e["username"] == "offer"]
    # the refused attempts of one address are one row with their count (an attacker's requests must
    # not grow the log: each added a row)
    assert sorted(e["action"] for e in entries) == ["login_failed"] * cfg.login_attempts + ["login_limited"]
    limited = next(e for e in entries if e["action"] == "login_limited")
    assert limited["detail"] == f"för många misslyckade försök ({len(clients) - cfg.login_attempts} spärrade försök)"


def test_refused_logins_from_one_address_add_one_audit_row_whatever_the_names(site):
    """After the lock, 40 more posts to /login under other names each added a row to the audit log
    (anonymous requests growing the store, and pushing real events off Konton's 500 rows)."""
    app, store, cfg = site
    c = app.server.test_client()
    before = len(accounts.audit_entries(store, 10_000))
    codes: list[int] = []
    while codes.count(429) < 40 and len(codes) < 200:
        codes.append(login(c, f"namn{len(codes)}", "gissning-123").status_code)
    assert codes.count(429) == 40
    added = accounts.audit_entries(store, 10_000)[:len(accounts.audit_entries(store, 10_000)) - before]
    assert sorted(e["action"] for e in added) == ["login_failed"] * (len(codes) - codes.count(429)) + [
        "login_limited"]
    assert next(e for e in added if e["action"] == "login_limited")["detail"].endswith(
        f"({codes.count(429)} spärrade försök)")
    assert login(app.server.test_client(), "offer", "gissning-123").status_code == 429  # still locked


def test_a_lock_from_one_address_does_not_lock_the_account_elsewhere(site):
    app, store, cfg = site
    attacker = app.server.test_client()
    other = {"REMOTE_ADDR": "10.1.2.3"}
    for _ in range(cfg.login_attempts):
        assert "Fel användarnamn" in login(attacker, "offer", "gissning-123").get_data(as_text=True)
    assert login(attacker, "offer", "offrets-lösenord").status_code == 429  # right password, locked here
    owner = app.server.test_client()
    page = owner.get("/login", environ_base=other).get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    r = owner.post("/login", data={"username": "offer", "password": "offrets-lösenord", "csrf_token": token,
                                   "next": "/"}, environ_base=other)
    assert r.status_code == 302
    newest = accounts.audit_entries(store, 1)[0]
    assert (newest["username"], newest["action"], newest["ip"]) == ("offer", "login", "10.1.2.3")


def test_many_addresses_together_still_lock_an_account(site):
    app, _store, cfg = site
    for i in range(4 * cfg.login_attempts):
        c = app.server.test_client()
        env = {"REMOTE_ADDR": f"10.0.0.{i + 1}"}
        page = c.get("/login", environ_base=env).get_data(as_text=True)
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        c.post("/login", data={"username": "offer", "password": f"gissning-{i}", "csrf_token": token},
               environ_base=env)
    assert login(app.server.test_client(), "offer", "offrets-lösenord").status_code == 429


# ----- sessions end at logout ----------------------------------------------------------------------
def test_a_saved_session_cookie_is_refused_after_logout(site):
    app, store, _ = site
    c = app.server.test_client()
    assert login(c, "ada", "adminens-lösenord").status_code == 302
    assert c.get("/_dash-layout").status_code == 200
    saved = c.get_cookie("lagesbild_session").value
    assert c.post("/logout", data={"csrf_token": c.get_cookie("_csrf_token").value}).status_code == 302
    replay = app.server.test_client()
    replay.set_cookie("lagesbild_session", saved)
    assert replay.get("/_dash-layout").status_code == 401
    assert replay.get("/").headers["Location"].startswith("/login")
    # a new login works again, and a new password ends it as well
    assert login(c, "ada", "adminens-lösenord").status_code == 302
    assert c.get("/_dash-layout").status_code == 200
    accounts.set_password(store, "ada", "ett-nytt-lösenord")
    assert c.get("/_dash-layout").status_code == 401


# ----- exact public paths ------------------------------------------------------------------------
def test_only_the_login_path_itself_is_public(site):
    app, _, _ = site
    c = app.server.test_client()
    for path in ("/loginanything", "/login/x", "/logoutx"):
        r = c.get(path)
        assert r.status_code == 302 and r.headers["Location"].startswith("/login?next="), path
    assert c.get("/login").status_code == 200


# ----- gunicorn's config file ----------------------------------------------------------------------
def _boot_refused(cmd: list[str], tmp_path, what: str) -> tuple[int, str]:
    """(exit code, stderr) of a server started on a store without accounts; a failure if it serves."""
    env = {"LAGESBILD_DB": str(tmp_path / "tom.sqlite"), "LAGESBILD_DATA_DIR": str(tmp_path),
           "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, env=env, cwd=tmp_path, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        _out, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        _out, err = proc.communicate()
        pytest.fail(f"{what} without accounts:\n" + err[-2000:])
    return proc.returncode, err


GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def test_gunicorn_refuses_a_config_file_bind_beyond_loopback_without_accounts(tmp_path):
    (tmp_path / "gunicorn.conf.py").write_text('bind = "0.0.0.0:0"\nworkers = 1\n')
    code, err = _boot_refused([GUNICORN, "lagesbild.web.wsgi:server"], tmp_path,
                              "gunicorn served 0.0.0.0 from its config file")
    assert code == 3
    assert "databasen har inga konton" in err and "0.0.0.0" in err


#: systemd's socket activation, as systemd does it: a socket bound to every address handed over as file
#: descriptor 3 with LISTEN_FDS/LISTEN_PID, then gunicorn started in the same process
SOCKET_ACTIVATION = """
import os, socket, sys
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.bind(("0.0.0.0", 0))
sock.listen(8)
os.dup2(sock.fileno(), 3)
os.set_inheritable(3, True)
os.environ.update(LISTEN_FDS="1", LISTEN_PID=str(os.getpid()))
os.execv(sys.argv[1], sys.argv[1:])
"""


@pytest.mark.parametrize("preload, code", [(True, 2), (False, 3)])
def test_gunicorn_under_systemd_socket_activation_refuses_an_open_socket_without_accounts(tmp_path, preload,
                                                                                          code):
    """gunicorn then serves the inherited socket and ignores its ``bind`` setting (127.0.0.1:8000 by
    default), which was all the start check read: it served 0.0.0.0 from a store without accounts."""
    cmd = [sys.executable, "-c", SOCKET_ACTIVATION, GUNICORN, *(["--preload"] if preload else []),
           "-w", "1", "lagesbild.web.wsgi:server"]
    got, err = _boot_refused(cmd, tmp_path, "gunicorn served systemd's 0.0.0.0 socket")
    assert got == code, err[-2000:]
    assert "databasen har inga konton" in err and "0.0.0.0" in err and "Traceback" not in err


def test_flask_run_on_every_address_is_refused_without_accounts(tmp_path):
    env = {"LAGESBILD_DB": str(tmp_path / "tom.sqlite"), "LAGESBILD_DATA_DIR": str(tmp_path),
           "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    flask = str(Path(sys.executable).with_name("flask"))
    done = subprocess.run([flask, "--app", "lagesbild.web.wsgi:server", "run", "-h", "0.0.0.0", "-p", "0"],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "databasen har inga konton" in done.stderr and "0.0.0.0" in done.stderr
