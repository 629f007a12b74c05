"""A store that refuses a write after it was opened (read-only, a database role without rights), or a
store URL that cannot be read, is a Swedish "Fel:" with exit code 2: never a traceback, never the
URL's password, and the store as it was."""

from __future__ import annotations

import gc
import sqlite3

import pytest
from sqlalchemy import create_engine, text

from lagesbild.cli import main
from lagesbild.settings import ROOT

PLACES = ROOT / "tests" / "data" / "places_4326.geojson"


@pytest.fixture
def store_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # nothing the CLI might create by mistake lands in the checkout
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(tmp_path / "data"))
    db = tmp_path / "lagesbild.sqlite"
    assert main(["--db", str(db), "ingest", "--no-progress", "places", str(PLACES)]) == 0
    capsys.readouterr()
    # the ingest's engines close when they are collected, and the last one to close checkpoints the
    # WAL into the file: do it now, so that a later collection cannot change the bytes the tests compare
    gc.collect()
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return db


def _read_only(db) -> str:
    return f"sqlite:///file:{db}?mode=ro&uri=true"


def _refused(capsys, *parts):
    err = capsys.readouterr().err
    assert err.startswith("Fel: databasen "), err
    assert "Traceback" not in err
    for part in parts:
        assert part in err, err
    return err


@pytest.mark.parametrize("command", [
    ["notes", "add", "--place", "hasselby-torg", "--date", "2023-01-01", "--author", "anna", "--text", "hej"],
    ["ingest", "--no-progress", "crimes", str(ROOT / "tests" / "data" / "brott_lang_bom.csv")],
])
def test_a_write_to_a_read_only_store_is_refused_in_swedish_and_writes_nothing(store_file, capsys, command):
    before = store_file.read_bytes()
    assert main(["--db", _read_only(store_file), *command]) == 2
    _refused(capsys, "får inte skrivas (skrivskyddad)")
    assert store_file.read_bytes() == before
    assert main(["--db", str(store_file), "notes", "list", "--place", "hasselby-torg"]) == 0
    assert "Inga anteckningar" in capsys.readouterr().out


def test_an_sqlite_uri_filename_is_read_as_the_file_it_names(store_file, capsys, tmp_path):
    assert main(["--db", _read_only(store_file), "status"]) == 0
    assert "Platser (" in capsys.readouterr().out
    assert not (tmp_path / "file:").exists()


@pytest.mark.parametrize("url", ["mysql://anna:hemligt@db/lagesbild",
                                 "postgresql://anna:hemligt@127.0.0.1:abc/lagesbild",
                                 "postgresql://anna:hemligt@127.0.0.1:99999/lagesbild"])
def test_a_store_url_that_cannot_be_used_is_refused_without_its_password(url, capsys, monkeypatch):
    monkeypatch.delenv("LAGESBILD_DB", raising=False)
    assert main(["--db", url, "status"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fel: "), err
    assert "hemligt" not in err and "anna:***@" in err, err


@pytest.fixture(scope="module")
def pg_url():
    from tests.pg import postgres_server

    with postgres_server() as url:
        yield url


def test_a_postgresql_role_that_may_only_read_gets_a_swedish_refusal(pg_url, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(tmp_path))
    assert main(["--db", pg_url, "ingest", "--no-progress", "places", str(PLACES)]) == 0
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE ROLE lasare LOGIN"))
        conn.execute(text("GRANT SELECT ON ALL TABLES IN SCHEMA public TO lasare"))
    engine.dispose()
    reader = pg_url.replace("//lagesbild@", "//lasare@")
    capsys.readouterr()
    assert main(["--db", reader, "status"]) == 0  # reading works
    capsys.readouterr()
    note = ["notes", "add", "--place", "hasselby-torg", "--date", "2023-01-01", "--author", "a", "--text", "x"]
    assert main(["--db", reader, *note]) == 2
    _refused(capsys, "saknar behörighet")
    assert main(["--db", pg_url, "notes", "list", "--place", "hasselby-torg"]) == 0
    assert "Inga anteckningar" in capsys.readouterr().out


def test_a_server_that_takes_the_connection_but_never_answers_is_given_up(tmp_path):
    """A firewall or a hung server that accepts the connection and says nothing: the CLI waited for
    ever; it now gives up after the connect timeout with a Swedish message, the password hidden."""
    import os
    import socket
    import subprocess
    import sys
    import threading
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port, taken = listener.getsockname()[1], []
    threading.Thread(target=lambda: taken.append(listener.accept()), daemon=True).start()
    started = time.monotonic()
    try:
        res = subprocess.run([sys.executable, "-m", "lagesbild", "--db",
                              f"postgresql://anna:hemligt@127.0.0.1:{port}/lagesbild", "status"],
                             capture_output=True, text=True, cwd=ROOT, timeout=60,
                             env={**os.environ, "LAGESBILD_DATA_DIR": str(tmp_path)})
    finally:
        listener.close()
    assert res.returncode == 75, res.stderr  # a server that does not answer: try again later (EX_TEMPFAIL)
    assert res.stderr.startswith("Fel: databasen ") and "kan inte ansluta" in res.stderr, res.stderr
    assert "hemligt" not in res.stderr
    assert time.monotonic() - started < 45


def test_the_stores_own_words_are_in_the_debug_log_as_the_message_promises(store_file, capsys, monkeypatch):
    monkeypatch.setenv("LAGESBILD_LOG_LEVEL", "DEBUG")
    note = ["notes", "add", "--place", "varberg", "--date", "2023-01-01", "--author", "a", "--text", "x"]
    assert main(["--db", _read_only(store_file), *note]) == 2
    err = capsys.readouterr().err
    assert "attempt to write a readonly database" in err and "Fel: databasen " in err
