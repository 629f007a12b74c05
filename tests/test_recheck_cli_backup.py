"""Backup and restore reach the store's own PostgreSQL database, and say in Swedish why they failed.

A URL may name its server only after '?' (``postgresql://u@/db?host=/var/run/postgresql`` for a unix
socket, ``?host=…&port=…``, ``?sslmode=…``): pg_dump and pg_restore were given the host and port of the
URL's address part only, so they went to the default socket (another server, or none) and the CLI printed
pg_dump's English "Is the server running locally …".
"""

from __future__ import annotations

import stat
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, text

from lagesbild.cli import main
from lagesbild.errors import InputError
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings
from lagesbild.store import backup as pg_backup

SURVEY = ROOT / "data" / "demo" / "trygghetsmatning.csv"
PLACES = ROOT / "geodata" / "places.geojson"


@pytest.fixture
def pg_url():
    from tests.pg import postgres_server

    with postgres_server() as url:
        yield url


def _cli(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _query_url(url: str, database: str) -> str:
    """The same server named only after '?': ``postgresql+psycopg://lagesbild@/db?host=…&port=…``."""
    host_port = url.split("@", 1)[1].split("/", 1)[0]
    host, port = host_port.rsplit(":", 1)
    return f"postgresql+psycopg://lagesbild@/{database}?host={host}&port={port}&sslmode=disable"


def test_backup_and_restore_reach_a_server_named_after_the_question_mark(pg_url, tmp_path, capsys):
    settings = load_settings({}, data_dir=str(tmp_path), db=pg_url)
    store = open_store(settings)
    ingest_file(store, "places", PLACES)
    ingest_file(store, "survey", SURVEY)
    store.engine.dispose()
    engine = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("CREATE DATABASE kopia"))
    engine.dispose()

    dump = tmp_path / "pg.dump"
    code, out, err = _cli(capsys, "--db", _query_url(pg_url, "lagesbild"), "backup", "--out", dump)
    assert code == 0, err
    assert "Säkerhetskopian är sparad" in out and dump.stat().st_size > 1000
    code, out, err = _cli(capsys, "--db", _query_url(pg_url, "kopia"), "restore", dump)
    assert code == 0, err
    assert "Databasen är återställd" in out

    copy_url = pg_url.rsplit("/", 1)[0] + "/kopia"
    survey = ("survey", "--place", "hasselby-torg", "--format", "json")
    code_a, a, _ = _cli(capsys, "--db", pg_url, *survey)
    code_b, b, _ = _cli(capsys, "--db", copy_url, *survey)
    assert code_a == code_b == 0 and a == b and '"share"' in a


def test_the_password_goes_to_the_environment_and_every_url_parameter_to_the_tools():
    url = "postgresql+psycopg://anna:hem'l\\igt@/lagesbild?host=/var/run/postgresql&port=5433&sslmode=require"
    store = SimpleNamespace(url=url, engine=create_engine(url))
    args, env = pg_backup._pg_args(store)
    assert args[0] == "--dbname"
    conninfo = args[1]
    for word in ("host='/var/run/postgresql'", "port='5433'", "sslmode='require'", "user='anna'",
                 "dbname='lagesbild'"):
        assert word in conninfo.split(" "), conninfo
    assert "hem" not in " ".join(args)  # never on the command line, where ps shows it
    assert env["PGPASSWORD"] == "hem'l\\igt"


def _fake_tool(tmp_path, name: str, stderr: str):
    tool = tmp_path / name
    tool.write_text(f"#!/bin/sh\ncat >&2 <<'EOF'\n{stderr}\nEOF\nexit 1\n", encoding="utf-8")
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)
    return tool


@pytest.mark.parametrize(("stderr", "reason"), [
    ('pg_dump: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: '
     "No such file or directory\n\tIs the server running locally and accepting connections on that socket?",
     "kan inte ansluta till databasservern"),
    ("pg_dump: error: aborting because of server version mismatch\n"
     "pg_dump: detail: server version: 17.2; pg_dump version: 15.10",
     "databasservern är nyare än verktyget"),
    ("pg_restore: error: could not read from input file: end of file",
     "säkerhetskopian är skadad eller avkortad"),
])
def test_a_failing_pg_tool_is_explained_in_swedish(tmp_path, stderr, reason):
    tool = _fake_tool(tmp_path, "pg_dump", stderr)
    with pytest.raises(InputError) as err:
        pg_backup._run([str(tool), "--format=custom"], {}, "kopia.dump")
    message = err.value.message()
    assert f"pg_dump misslyckades: {reason}" in message
    assert "error" not in message and "Is the server" not in message
