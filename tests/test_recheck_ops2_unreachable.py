"""Recheck (ops2): a database server that does not answer is told apart from a wrong setting.

No server listens on 127.0.0.1 port 1, so connecting is refused at once: the CLI exits with 75 (try
again later) and a Swedish message, the password hidden. A server that answers and refuses (a wrong
password, a database that does not exist) stays a setting to correct (exit code 2). The web answers a
store error that is no lost server with the generic 500, as before.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.exc import OperationalError

PASSWORD = "Hemligt-lösen-77"


def _operational(message: str) -> OperationalError:
    return OperationalError("SELECT 1", {}, Exception(message))


@pytest.mark.parametrize("message", [
    'connection failed: connection to server at "10.0.0.5", port 5432 failed: Connection refused\n'
    "\tIs the server running on that host and accepting TCP/IP connections?",
    "terminating connection due to administrator command",
    "server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally",
    'connection failed: connection to server at "10.0.0.5", port 5432 failed: FATAL:  the database '
    "system is shutting down",
    'connection to server on socket "/run/postgresql/.s.PGSQL.5432" failed: No such file or directory',
    "consuming input failed: server closed the connection unexpectedly",
])
def test_a_server_that_is_gone_is_unreachable(message):
    from lagesbild.db_unreachable import unreachable

    assert unreachable(_operational(message))


@pytest.mark.parametrize("message", [
    'connection failed: connection to server at "10.0.0.5", port 5432 failed: FATAL:  password '
    'authentication failed for user "anna"',
    'connection failed: connection to server at "10.0.0.5", port 5432 failed: FATAL:  database '
    '"lagesbild" does not exist',
    'relation "places" does not exist',
    "permission denied for table places",
])
def test_a_server_that_answers_and_refuses_is_not(message):
    from lagesbild.db_unreachable import unreachable

    assert not unreachable(_operational(message))


def test_the_log_line_has_no_password_and_no_sql():
    from lagesbild.db_unreachable import first_line

    exc = _operational(f"could not connect to postgresql://anna:{PASSWORD}@db/x (password={PASSWORD})\nmore")
    line = first_line(exc)
    assert PASSWORD not in line and "SELECT" not in line and "\n" not in line


def test_the_cli_exits_with_75_when_no_server_answers(tmp_path, capsys, monkeypatch):
    from lagesbild.cli import main

    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(tmp_path))
    code = main(["--db", f"postgresql://anna:{PASSWORD}@127.0.0.1:1/lagesbild", "status"])
    err = capsys.readouterr().err
    assert code == 75, err
    assert err == ("Fel: databasen postgresql+psycopg://anna:***@127.0.0.1:1/lagesbild kan inte öppnas: kan inte "
                   "ansluta till databasservern (adress, port, och är den igång?). Databasen svarar inte "
                   "just nu, försök igen om en stund.\n")


def test_opening_a_store_without_a_server_is_store_unreachable(tmp_path):
    from lagesbild.db_unreachable import StoreUnreachable
    from lagesbild.ingest import open_store
    from lagesbild.settings import load_settings

    cfg = load_settings({}, data_dir=str(tmp_path), db="postgresql://anna@127.0.0.1:1/lagesbild")
    with pytest.raises(StoreUnreachable):
        open_store(cfg)


def test_a_bad_url_is_still_exit_code_2(tmp_path, capsys, monkeypatch):
    from lagesbild.cli import main

    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(tmp_path))
    assert main(["--db", "postgresql://anna@127.0.0.1:abc/lagesbild", "status"]) == 2
    assert "porten är inget tal" in capsys.readouterr().err


@pytest.fixture
def app(tmp_path):
    from lagesbild.settings import load_settings
    from lagesbild.store import Store
    from lagesbild.web import create_app

    cfg = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite"))
    return create_app(cfg, Store(cfg.db_url))


def _route_raising(app, exc):
    def fail():
        raise exc
    app.server.add_url_rule("/_ops2_fail", "ops2_fail", fail)
    return app.server.test_client()


def test_the_web_answers_a_lost_server_with_503(app, caplog):
    client = _route_raising(app, _operational(
        f'connection failed: connection to server at "db", port 5432 failed: Connection refused '
        f"postgresql://anna:{PASSWORD}@db/x"))
    with caplog.at_level(logging.WARNING):
        r = client.get("/_ops2_fail")
    assert r.status_code == 503 and r.get_data(as_text=True) == \
        "Databasen svarar inte just nu, försök igen om en stund."
    assert r.headers["Retry-After"] == "30"
    assert PASSWORD not in caplog.text and "Traceback" not in caplog.text
    assert [rec.exc_info for rec in caplog.records if rec.name.startswith("lagesbild")] == [None]


def test_another_store_error_is_still_a_logged_500(app, caplog):
    client = _route_raising(app, _operational("permission denied for table places"))
    with caplog.at_level(logging.ERROR):
        r = client.get("/_ops2_fail")
    assert r.status_code == 500 and "Något gick fel på servern" in r.get_data(as_text=True)
    assert any(rec.exc_info for rec in caplog.records)


@pytest.mark.slow
def test_the_wsgi_entry_exits_with_75_when_no_server_answers(tmp_path):
    """(Was 2, as for a wrong setting; a gunicorn worker exiting with 75 is started again by gunicorn.)"""
    import os
    import subprocess
    import sys

    from lagesbild.settings import ROOT

    env = {k: v for k, v in os.environ.items() if not k.startswith("LAGESBILD_")}
    env.update(LAGESBILD_DB=f"postgresql://anna:{PASSWORD}@127.0.0.1:1/lagesbild",
               LAGESBILD_DATA_DIR=str(tmp_path), PYTHONPATH=str(ROOT))
    res = subprocess.run([sys.executable, "-c", "import lagesbild.web.wsgi"], capture_output=True, text=True,
                         cwd=ROOT, env=env, timeout=120)
    assert res.returncode == 75, res.stderr
    assert "kan inte ansluta till databasservern" in res.stderr
    assert "Databasen svarar inte just nu, försök igen om en stund." in res.stderr
    assert PASSWORD not in res.stderr and "Traceback" not in res.stderr


@pytest.mark.slow
def test_the_development_server_exits_with_75_when_no_server_answers(tmp_path):
    """``app.py`` as the WSGI entry: 75 (try again later), not 2 (a wrong setting), in Swedish."""
    import os
    import subprocess
    import sys

    from lagesbild.settings import ROOT

    env = {k: v for k, v in os.environ.items() if not k.startswith("LAGESBILD_")}
    env.update(LAGESBILD_DB=f"postgresql://anna:{PASSWORD}@127.0.0.1:1/lagesbild",
               LAGESBILD_DATA_DIR=str(tmp_path), PYTHONPATH=str(ROOT))
    res = subprocess.run([sys.executable, str(ROOT / "app.py")], capture_output=True, text=True,
                         cwd=tmp_path, env=env, timeout=120)
    assert res.returncode == 75, res.stderr
    assert "Databasen svarar inte just nu, försök igen om en stund." in res.stderr
    assert PASSWORD not in res.stderr and "Traceback" not in res.stderr
