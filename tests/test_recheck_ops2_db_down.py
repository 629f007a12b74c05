"""Recheck (ops2): a PostgreSQL server that is stopped while the dashboard and the CLI run.

Every page and callback answered the generic Swedish 500 ("Något gick fel på servern") and logged a
traceback per request; a server restarted between two requests made the first request after it fail
too (the pooled connection the restart had ended). Now: 503 with "Databasen svarar inte just nu,
försök igen om en stund." and ``Retry-After``, one log line without traceback or password, and the
first request after the restart is answered. The CLI says the same in Swedish and exits with 75
(EX_TEMPFAIL: try again later), not 2 (bad input) or a traceback.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile

import pytest

from lagesbild.settings import load_settings

pytestmark = pytest.mark.postgres

PASSWORD = "Hemligt-lösen-77"
MESSAGE = "Databasen svarar inte just nu, försök igen om en stund."


class Server:
    """A throwaway PostgreSQL server that can be stopped and started again on the same port."""

    def __init__(self):
        from tests.pg import _as_user, _bin, _free_port

        self._as_user, self._bin = _as_user, _bin
        self.folder = tempfile.mkdtemp(prefix="lagesbild-ops2-pg-")
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self.data = os.path.join(self.folder, "data")
        self.port = _free_port()
        subprocess.run(_as_user([_bin("initdb"), "-D", self.data, "-U", "lagesbild", "-A", "trust", "-E",
                                 "UTF8", "--no-locale"]), check=True, capture_output=True)
        self.start()
        subprocess.run([_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "lagesbild",
                        "lagesbild"], check=True, capture_output=True)
        # trust authentication: the server never asks for the password, so it can be any text here
        self.url = f"postgresql+psycopg://lagesbild:{PASSWORD}@127.0.0.1:{self.port}/lagesbild"

    def start(self):
        subprocess.run(self._as_user([self._bin("pg_ctl"), "-D", self.data, "-l",
                                      os.path.join(self.folder, "log.txt"), "-w", "-o",
                                      f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1",
                                      "start"]), check=True, capture_output=True)

    def stop(self):
        subprocess.run(self._as_user([self._bin("pg_ctl"), "-D", self.data, "-m", "fast", "-w", "stop"]),
                       check=True, capture_output=True)

    def remove(self):
        subprocess.run(self._as_user([self._bin("pg_ctl"), "-D", self.data, "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def server():
    s = Server()
    try:
        yield s
    finally:
        s.remove()


@pytest.fixture
def app(server, tmp_path):
    from lagesbild.store import Store
    from lagesbild.web import create_app

    cfg = load_settings({}, data_dir=str(tmp_path), db=server.url)
    store = Store(cfg.db_url)
    yield create_app(cfg, store)
    store.engine.dispose()


def _callback(app, client):
    """A real callback of the dashboard (the page router's), as the renderer posts it."""
    key = next(k for k in app.callback_map if "_pages_content" in k)
    spec = app.callback_map[key]
    outs = [{"id": o.rsplit(".", 1)[0].lstrip("."), "property": o.rsplit(".", 1)[1]}
            for o in key.strip(".").split("...")]
    body = {"output": key, "outputs": outs if key.startswith("..") else outs[0],
            "inputs": [{**i, "value": "/" if i["property"] == "pathname" else None} for i in spec["inputs"]],
            "state": [{**s, "value": None} for s in spec.get("state", [])], "changedPropIds": []}
    cookie = client.get_cookie("_csrf_token")
    return client.post("/_dash-update-component", json=body,
                       headers={"X-CSRFToken": cookie.value} if cookie else {})


def test_a_stopped_server_is_a_swedish_503_and_the_app_recovers(server, app, caplog):
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    assert _callback(app, client).status_code == 200
    server.stop()
    with caplog.at_level(logging.WARNING):
        page = client.get("/", headers={"Accept": "text/html"})
        layout = client.get("/_dash-layout")
        callback = _callback(app, client)
        place = client.get("/plats/-", headers={"Accept": "text/html"})
    for r in (page, layout, callback, place):
        body = r.get_data(as_text=True)
        assert r.status_code == 503, (r.status_code, body[:200])
        assert MESSAGE in body and r.headers["Retry-After"].isdigit()
        assert PASSWORD not in body and "postgresql" not in body and "Traceback" not in body
        assert "Connection refused" not in body and "server" not in body.lower().replace("databasen", "")
    assert page.mimetype == "text/html" and '<html lang="sv">' in page.get_data(as_text=True)
    records = [r for r in caplog.records if r.name.startswith("lagesbild")]
    assert records and all(r.levelno == logging.WARNING and r.exc_info is None for r in records)
    assert all(PASSWORD not in r.getMessage() for r in caplog.records)
    assert "Traceback" not in caplog.text and PASSWORD not in caplog.text
    server.start()
    assert client.get("/").status_code == 200  # no restart of the app
    assert _callback(app, client).status_code == 200


def test_the_first_request_after_a_restart_is_answered(server, app):
    """The server restarted between two requests: the pooled connection is dead, the request is not."""
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    server.stop()
    server.start()
    first = client.get("/")
    assert first.status_code == 200, first.get_data(as_text=True)[:200]


def test_the_cli_says_so_in_swedish_and_exits_with_75(server, tmp_path, capsys, monkeypatch):
    from lagesbild.cli import main

    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LAGESBILD_LOG_LEVEL", raising=False)
    assert main(["--db", server.url, "status"]) == 0
    capsys.readouterr()
    server.stop()
    code = main(["--db", server.url, "status"])
    err = capsys.readouterr().err
    assert code == 75, err
    assert err.startswith("Fel: databasen ") and err.rstrip().endswith(MESSAGE), err
    assert "kan inte ansluta till databasservern" in err
    assert PASSWORD not in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    server.start()
    assert main(["--db", server.url, "status"]) == 0
