"""An SQLite backup is one self-contained file, and a restore refuses a file that is no backup before
it opens or creates the store (in-process; tests/test_backup.py compares the numbers after a restore)."""

from __future__ import annotations

import sqlite3

from lagesbild.cli import main
from lagesbild.settings import ROOT

PLACES = ROOT / "tests" / "data" / "places_4326.geojson"


def test_an_sqlite_backup_is_one_file_that_reading_leaves_alone(tmp_path, capsys, monkeypatch):
    """The store runs in WAL mode; its copy did too, so each restore (or any reader) made -wal and
    -shm files beside the backup, and a backup on a read-only medium could not be read."""
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(tmp_path))
    store, folder = tmp_path / "lagesbild.sqlite", tmp_path / "kopior"
    assert main(["--db", str(store), "ingest", "--no-progress", "places", str(PLACES)]) == 0
    assert main(["--db", str(store), "backup", "--out", str(folder / "kopia.sqlite")]) == 0
    con = sqlite3.connect(f"file:{folder / 'kopia.sqlite'}?mode=ro", uri=True)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    con.close()
    assert main(["--db", str(tmp_path / "ny.sqlite"), "restore", str(folder / "kopia.sqlite")]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["kopia.sqlite"]
    capsys.readouterr()
    assert main(["--db", str(tmp_path / "ny.sqlite"), "status", "--format", "json"]) == 0
    assert '"platser"' in capsys.readouterr().out


def test_a_file_that_is_no_backup_is_refused_before_a_store_is_created(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(tmp_path))
    junk = tmp_path / "inte-en-kopia.txt"
    junk.write_text("hej\n", encoding="utf-8")
    target = tmp_path / "ny" / "lagesbild.sqlite"
    assert main(["--db", str(target), "restore", str(junk)]) == 2
    assert "ingen säkerhetskopia" in capsys.readouterr().err
    assert not target.exists() and not target.parent.exists()


def test_a_backup_of_the_other_kind_is_refused_before_a_store_is_created(tmp_path, capsys, monkeypatch):
    """A PostgreSQL dump restored into an SQLite path was refused, but after an empty store had been
    created there."""
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(tmp_path))
    dump = tmp_path / "lagesbild.dump"
    dump.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 64)  # how pg_dump -Fc files begin
    target = tmp_path / "ny" / "lagesbild.sqlite"
    assert main(["--db", str(target), "restore", str(dump)]) == 2
    assert "kommer från PostgreSQL men databasen är SQLite" in capsys.readouterr().err
    assert not target.exists() and not target.parent.exists()
