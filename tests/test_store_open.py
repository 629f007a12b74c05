"""A store that cannot be opened is a Swedish "Fel:" message and exit code 2, never a traceback; a
command that only reads never creates a store at a mistyped path."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from lagesbild.ingest import open_store
from lagesbild.settings import ROOT, load_settings

PLACES = ROOT / "tests" / "data" / "places_4326.geojson"


def cli(*args):
    return subprocess.run([sys.executable, "-m", "lagesbild", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


def _refused(res, *parts, code=2):
    assert res.returncode == code, res.stderr
    assert "Traceback" not in res.stderr
    assert res.stderr.startswith("Fel: databasen "), res.stderr
    for part in parts:
        assert part in res.stderr, res.stderr


@pytest.mark.parametrize("command", [["status"], ["ingest", "places", PLACES]])
def test_a_file_that_is_no_database_is_refused_and_left_as_it_was(tmp_path, command):
    db = tmp_path / "anteckningar.sqlite"
    db.write_bytes(b"Det h\xc3\xa4r \xc3\xa4r ingen databas.\n" * 20)
    before = db.read_bytes()
    _refused(cli("--db", db, *command), "kan inte öppnas: filen är ingen SQLite-databas")
    assert db.read_bytes() == before


@pytest.mark.parametrize("command", [["status"], ["compare", "--place", "varberg"], ["backup", "--out", "x"]])
def test_a_reading_command_does_not_create_a_store_at_a_mistyped_path(tmp_path, command):
    db = tmp_path / "saknas" / "lagesbld.sqlite"
    _refused(cli("--db", db, *command), f"databasen {db} finns inte")
    assert not db.parent.exists()


@pytest.mark.parametrize("command", [["status"], ["compare", "--place", "varberg"]])
def test_a_reading_command_leaves_an_empty_file_empty(tmp_path, command):
    """SQLite takes a file of 0 bytes for an empty database: 'status' wrote its tables into it."""
    db = tmp_path / "lagesbild.sqlite"
    db.touch()
    _refused(cli("--db", db, *command), f"databasen {db} är en tom fil (0 byte)")
    assert db.stat().st_size == 0


def test_a_writing_command_fills_an_empty_file(tmp_path):
    db = tmp_path / "lagesbild.sqlite"
    db.touch()
    res = cli("--db", db, "ingest", "--no-progress", "places", PLACES)
    assert res.returncode == 0, res.stderr
    assert cli("--db", db, "status").returncode == 0


def test_a_writing_command_creates_the_store(tmp_path):
    db = tmp_path / "ny" / "lagesbild.sqlite"
    res = cli("--db", db, "ingest", "--no-progress", "places", PLACES)
    assert res.returncode == 0, res.stderr
    assert db.exists()


def _closed_port() -> int:
    with socket.socket() as s:  # a port nothing listens on once the socket is closed
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "postgresql+psycopg"])
def test_a_postgresql_server_that_does_not_answer_is_named_without_its_password(scheme):
    """A plain ``postgresql://`` URL (as PostgreSQL's own tools write it) gets the installed driver
    (psycopg 3; it was a traceback about psycopg2), and the password is never printed."""
    res = cli("--db", f"{scheme}://lagesbild:hemligt@127.0.0.1:{_closed_port()}/lagesbild", "status")
    _refused(res, "postgresql+psycopg://lagesbild:***@127.0.0.1:",
             "kan inte ansluta till databasservern", code=75)  # no server: try again later (EX_TEMPFAIL)
    assert "hemligt" not in res.stderr


def test_the_api_raises_the_same_settings_error(tmp_path):
    from lagesbild.errors import SettingsError, StoreError

    db = tmp_path / "x.sqlite"
    db.write_text("inte en databas")
    with pytest.raises(StoreError, match="filen är ingen SQLite-databas") as caught:
        open_store(load_settings({}, db=str(db), data_dir=str(tmp_path)))
    assert isinstance(caught.value, SettingsError)  # the WSGI entry and the CLI catch it as one


@pytest.mark.parametrize("command", [
    ["pack", "--places", "varberg", "--no-progress", "--out", "{blocked}/paket"],
    ["chart", "--chart", "trend", "--place", "varberg", "--out", "{blocked}/trend.png"],
    ["backup", "--out", "{blocked}/kopia.sqlite"]])
def test_an_output_that_cannot_be_written_is_a_swedish_message(demo_store_path, tmp_path, command):
    """An --out under a file (not a folder): the path and why, exit code 2 (was a traceback)."""
    blocked = tmp_path / "en-fil.txt"
    blocked.write_text("x")
    res = cli("--db", demo_store_path, *[a.format(blocked=blocked) for a in command])
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr
    assert f"Fel: {blocked}" in res.stderr, res.stderr
    assert ("en del av sökvägen är ingen mapp" in res.stderr  # open() under a file
            or "en fil med det namnet finns där en mapp behövs" in res.stderr), res.stderr  # mkdir
    assert blocked.read_text() == "x"


def test_a_backup_into_a_folder_that_takes_no_files_names_the_file_asked_for(demo_store_path):
    """/proc takes no new files: the message names the backup asked for, not its temporary file."""
    res = cli("--db", demo_store_path, "backup", "--out", "/proc/kopia.sqlite")
    assert res.returncode == 2, res.stderr
    assert res.stderr.startswith("Fel: /proc/kopia.sqlite: kan inte läsas eller skrivas ("), res.stderr
