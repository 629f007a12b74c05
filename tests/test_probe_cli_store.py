"""Checker "cli": the store as the command line meets it — another program's database is left alone,
a backup with other pages is restored, commands that only read or change accounts never create a
store, Ctrl-C is never a traceback, one version, and the demo's files in an installed package."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
import tomllib
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

import lagesbild
from lagesbild import cli, settings
from lagesbild.cli import main
from lagesbild.errors import StoreError
from lagesbild.settings import ROOT
from lagesbild.store.store import Store

DATA = ROOT / "tests" / "data"


def _foreign(path: Path) -> bytes:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE kunder (id INTEGER, namn TEXT)")
    con.execute("INSERT INTO kunder VALUES (1, 'Anna')")
    con.commit()
    con.close()
    return path.read_bytes()


@pytest.mark.parametrize("command", [["status"], ["status", "--format", "json"],
                                     ["ingest", "--no-progress", "places", str(DATA / "places_4326.geojson")],
                                     ["users", "list"]])
def test_another_programs_sqlite_file_is_refused_and_left_byte_for_byte(tmp_path, capsys, command):
    path = tmp_path / "annat.sqlite"
    before = _foreign(path)
    assert main(["--db", str(path), *command]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fel: ") and "annat programs tabeller (kunder)" in err and "Traceback" not in err
    assert path.read_bytes() == before  # no lagesbild tables, not switched to WAL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annat.sqlite"]


def test_a_lagesbild_store_and_an_empty_file_still_open(tmp_path):
    empty = tmp_path / "tom.sqlite"
    empty.touch()
    assert Store(f"sqlite:///{empty}").counts()["places"] == 0
    assert Store(f"sqlite:///{empty}").counts()["places"] == 0  # now lagesbild's: opens again
    assert Store("sqlite://").counts()["places"] == 0


def _small_store(path: Path) -> None:
    assert main(["--db", str(path), "ingest", "--no-progress", "places", str(DATA / "places_4326.geojson")]) == 0
    assert main(["--db", str(path), "ingest", "--no-progress", "crimes", str(DATA / "incidenter_3006.csv")]) == 0
    assert main(["--db", str(path), "ingest", "--no-progress", "survey", str(DATA / "trygghet_andel.csv")]) == 0


def test_a_backup_with_4_kib_pages_is_restored_into_a_new_store(tmp_path, capsys):
    """Stores made before the 64 KiB pages (and their backups) have 4 KiB pages: SQLite refuses to copy
    them into a WAL store of other pages ("attempt to write a readonly database", a traceback)."""
    store = tmp_path / "s.sqlite"
    _small_store(store)
    assert main(["--db", str(store), "backup", "--out", str(tmp_path / "b.sqlite")]) == 0
    old = tmp_path / "old.sqlite"
    con = sqlite3.connect(tmp_path / "b.sqlite")
    con.execute(f"VACUUM INTO '{old}'")
    con.close()
    con = sqlite3.connect(old)
    con.execute("PRAGMA page_size=4096")
    con.execute("VACUUM")
    assert con.execute("PRAGMA page_size").fetchone()[0] == 4096
    con.close()
    capsys.readouterr()
    for target, extra in ((tmp_path / "ny.sqlite", []), (store, ["--force"])):
        assert main(["--db", str(target), "restore", *extra, str(old)]) == 0, capsys.readouterr().err
        assert "återställd" in capsys.readouterr().out
        assert main(["--db", str(target), "status", "--format", "json"]) == 0
        rows = json.loads(capsys.readouterr().out)["antal_rader"]
        assert (rows["incidents"], rows["survey"], rows["ingest_log"]) == (4, 3, 3)
        con = sqlite3.connect(target)
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()
    assert main(["--db", str(store), "survey", "--place", "hasselby-torg", "--format", "json"]) == 0
    restored = capsys.readouterr().out
    assert main(["--db", str(tmp_path / "ny.sqlite"), "survey", "--place", "hasselby-torg", "--format", "json"]) == 0
    assert capsys.readouterr().out == restored


def test_a_backup_with_other_pages_is_restored_while_the_dashboard_reads(tmp_path, capsys):
    """The page size is matched in a copy, not by taking the store out of WAL (which needs every other
    connection closed): a running dashboard's open read does not stop the restore."""
    store = tmp_path / "s.sqlite"
    _small_store(store)
    main(["--db", str(store), "backup", "--out", str(tmp_path / "b.sqlite")])
    old = tmp_path / "old.sqlite"
    shutil.copyfile(tmp_path / "b.sqlite", old)
    con = sqlite3.connect(old)
    con.execute("PRAGMA page_size=4096")
    con.execute("VACUUM")
    assert con.execute("PRAGMA page_size").fetchone()[0] == 4096
    con.close()
    reader = sqlite3.connect(store, timeout=5)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM places").fetchone()[0] == 7
    try:
        capsys.readouterr()
        assert main(["--db", str(store), "restore", "--force", str(old)]) == 0, capsys.readouterr().err
    finally:
        reader.rollback()
        reader.close()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".restore-")]
    con = sqlite3.connect(store)
    assert con.execute("PRAGMA page_size").fetchone()[0] == 65536  # the store keeps its own pages
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


@pytest.mark.parametrize("command", [["users", "list"], ["users", "role", "anna", "admin"],
                                     ["users", "remove", "anna"],
                                     ["notes", "add", "--place", "hasselby-torg", "--date", "2024-01-01",
                                      "--author", "x", "--text", "hej"]])
def test_commands_on_a_mistyped_store_say_it_is_missing_and_create_nothing(tmp_path, capsys, command):
    path = tmp_path / "stavfel.sqlite"
    assert main(["--db", str(path), *command]) == 2
    assert "finns inte" in capsys.readouterr().err
    assert not path.exists()


def test_a_password_with_an_unencoded_at_sign_is_hidden_whole(capsys):
    url = "postgresql+psycopg://anna:hem@lig99@127.0.0.1:1/db"
    assert main(["--db", url, "status"]) == 2
    err = capsys.readouterr().err
    assert "hem" not in err and "lig99" not in err and "anna:***@127.0.0.1:1/db" in err
    assert "%40" in err


def test_ctrl_c_while_the_command_line_starts_is_no_traceback(monkeypatch, capsys):
    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "build_parser", interrupted)
    assert main(["status"]) == 130
    assert capsys.readouterr().err == "Avbrutet.\n"


def test_one_version_for_the_package_and_the_command_line(capsys):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "lagesbild.__version__"}
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip().endswith(lagesbild.__version__)


def test_an_installed_package_finds_the_demo_files_it_was_installed_with(tmp_path, monkeypatch):
    """pyproject's data-files put the demo's files in <prefix>/share/lagesbild; outside a checkout the
    demo reads them there, and the store still goes to the working folder."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    files = project["tool"]["setuptools"]["data-files"]
    for folder, names in files.items():
        for name in names:
            assert (ROOT / name).is_file(), name
            assert folder == "share/lagesbild/" + str(Path(name).parent)
    from lagesbild.demo import load

    needed = {str(p.relative_to(ROOT)) for p in (load.PLACES, load.SURVEY, load.ACTIVITIES)}
    assert needed <= {n for names in files.values() for n in names}

    site_packages = tmp_path / "venv" / "lib" / "lagesbild"
    site_packages.mkdir(parents=True)
    shared = tmp_path / "venv" / "share" / "lagesbild"
    (shared / "geodata").mkdir(parents=True)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setattr(settings, "ROOT", site_packages)
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "venv"))
    monkeypatch.chdir(work)
    assert settings.project_root() == shared
    assert settings.data_root() == work
    (work / "geodata").mkdir()  # run from a checkout: its files win
    assert settings.project_root() == work


@pytest.fixture(scope="module")
def pg_url():
    from tests.pg import postgres_server

    with postgres_server() as url:
        yield url


def test_another_programs_postgresql_database_is_refused_and_left_alone(pg_url, capsys):
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE kunder (id integer)"))
    try:
        with pytest.raises(StoreError, match=r"annat programs tabeller \(kunder\)"):
            Store(pg_url)
        assert main(["--db", pg_url, "status"]) == 2
        assert "annat programs tabeller" in capsys.readouterr().err
        with engine.connect() as conn:
            names = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
        assert names == ["kunder"]
    finally:
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE kunder"))
        engine.dispose()
    assert main(["--db", pg_url, "status", "--format", "json"]) == 0  # an empty database is ours


def test_db_may_also_follow_the_command_as_issue_2_names_it_for_ingest(tmp_path, capsys):
    path = tmp_path / "efter.sqlite"
    assert main(["ingest", "--no-progress", "places", str(DATA / "places_4326.geojson"), "--db", str(path)]) == 0
    assert path.is_file()
    capsys.readouterr()
    # after the command it wins over one before it (here a store that does not exist)
    assert main(["--db", str(tmp_path / "finns-inte.sqlite"), "status", "--format", "json", "--db", str(path)]) == 0
    after = json.loads(capsys.readouterr().out)["antal_rader"]
    reference = tmp_path / "före.sqlite"  # the same file with --db before the command
    assert main(["--db", str(reference), "ingest", "--no-progress", "places", str(DATA / "places_4326.geojson")]) == 0
    capsys.readouterr()
    assert main(["--db", str(reference), "status", "--format", "json"]) == 0
    assert after == json.loads(capsys.readouterr().out)["antal_rader"] and after["places"] >= 4
    assert main(["notes", "add", "--db", str(path), "--place", "hasselby-torg", "--date", "2024-01-01",
                 "--author", "x", "--text", "hej"]) == 0
    assert main(["users", "list", "--db", str(path)]) == 0
    assert not (tmp_path / "finns-inte.sqlite").exists()


def test_a_store_given_as_a_read_only_sqlite_uri_is_read_and_backed_up(tmp_path, capsys):
    """``sqlite:///file:…?mode=ro&uri=true`` opens the store read-only, and backup reads it through the
    store's own connection (a guard: it passes on 7dfd469 too; there the backup opened the file again
    without the URI's flags, which fails on a read-only medium, where the flags are what makes the
    store readable: checked by hand with a read-only bind mount, see the checker's report)."""
    path = tmp_path / "s.sqlite"
    _small_store(path)
    uri = f"sqlite:///file:{path}?mode=ro&uri=true"
    capsys.readouterr()
    assert main(["--db", uri, "status", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["antal_rader"]["incidents"] == 4
    assert main(["--db", uri, "backup", "--out", str(tmp_path / "kopia.sqlite")]) == 0, capsys.readouterr().err
    assert main(["--db", str(path), "backup", "--out", str(tmp_path / "vanlig.sqlite")]) == 0
    dump = [list(sqlite3.connect(tmp_path / name).iterdump()) for name in ("kopia.sqlite", "vanlig.sqlite")]
    assert dump[0] == dump[1] and len(dump[0]) > 50
    assert main(["--db", uri, "ingest", "--no-progress", "survey", str(DATA / "trygghet_cp1252.csv")]) == 2
    assert "skrivskyddad" in capsys.readouterr().err


def test_a_store_in_a_folder_that_cannot_be_written_gets_a_read_only_url_that_works(tmp_path, monkeypatch):
    """On a read-only medium SQLite cannot open a WAL store even to read it; the message gives the
    immutable URI that reads it (checked here by opening it; the folder is 'read-only' by os.access)."""
    from sqlalchemy.exc import OperationalError

    from lagesbild.store import open_error as oe

    folder = tmp_path / "delad mapp #1"
    folder.mkdir()
    path = folder / "s.sqlite"
    _small_store(path)
    con = sqlite3.connect(path)  # as a store copied onto a read-only medium: no pending WAL
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode & os.W_OK and Path(p) == folder
                        else real_access(p, mode, **kw))
    text_ = str(oe.open_error(f"sqlite:///{path}", OperationalError("x", {}, "unable to open database file")))
    assert "får inte skrivas" in text_ and "Traceback" not in text_
    suggested = text_.split("--db '")[1].split("'")[0]
    assert Store(suggested).counts()["incidents"] == 4
    assert "får inte skrivas" not in str(oe.open_error(f"sqlite:///{tmp_path / 'x.sqlite'}", OperationalError(
        "x", {}, "unable to open database file")))  # a file that does not exist: the usual reason


def test_restore_of_a_folder_says_why_in_swedish(tmp_path, capsys):
    folder = tmp_path / "en mapp"
    folder.mkdir()
    assert main(["--db", str(tmp_path / "s.sqlite"), "restore", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err == f"Fel: {folder}: filen kunde inte läsas (det är en mapp)\n"  # was '(Is a directory)'


def test_ingest_json_names_a_refused_file_as_it_names_a_read_one(tmp_path, capsys):
    db = str(tmp_path / "s.sqlite")
    good, bad = DATA / "places_4326.geojson", DATA / "brott_bred.csv"  # bred: no place column
    assert main(["--db", db, "ingest", "--format", "json", "--no-progress", "places", str(good)]) == 0
    read = json.loads(capsys.readouterr().out)[0]
    assert main(["--db", db, "ingest", "--format", "json", "--no-progress", "crimes", str(bad)]) == 2
    refused = json.loads(capsys.readouterr().out)[0]
    assert (read["fil"], refused["fil"]) == ("places_4326.geojson", "brott_bred.csv")  # was the path as typed
    assert set(refused) <= set(read) and {"typ", "källa", "status", "inläsning", "fel"} <= set(refused)
    assert (refused["typ"], refused["status"], refused["inläsning"]) == ("crimes", "failed", None)
