"""``backup`` and ``restore``: a restored store gives the same numbers, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, text

from lagesbild.errors import InputError
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings
from lagesbild.store.backup import backup, backup_kind, restore
from tests.pg import postgres_server

COMPARE = ("compare", "--place", "hasselby-torg", "--periods", "2021–2022", "2022–2023",
           "--format", "json")
SURVEY = ("survey", "--place", "hasselby-torg", "--format", "json")


def run(*args, db):
    env = {**os.environ, "LAGESBILD_DB": str(db)}
    return subprocess.run([sys.executable, "-m", "lagesbild", *map(str, args)], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=600)


def _same_numbers(a, b) -> None:
    for args in (COMPARE, SURVEY, ("status", "--format", "json")):
        ra, rb = run(*args, db=a), run(*args, db=b)
        assert ra.returncode == rb.returncode == 0, (ra.stderr, rb.stderr)
        if args[0] == "status":  # the store's URL differs; everything else is the same
            ra_out = ra.stdout.replace(str(a), "DB")
            rb_out = rb.stdout.replace(str(b), "DB")
            assert ra_out == rb_out
        else:
            assert ra.stdout == rb.stdout and len(ra.stdout) > 100


def test_sqlite_backup_restored_into_an_empty_store_gives_the_same_numbers(demo_store_path, tmp_path):
    source = demo_store_path  # only read
    copy = tmp_path / "kopia.lagesbild"
    res = run("backup", "--out", copy, db=source)
    assert res.returncode == 0, res.stderr
    assert "Säkerhetskopian är sparad" in res.stdout and backup_kind(copy) == "sqlite"
    target = tmp_path / "ny.sqlite"
    res = run("restore", copy, db=target)
    assert res.returncode == 0, res.stderr
    assert "Databasen är återställd" in res.stdout
    _same_numbers(source, target)
    s_src = open_store(load_settings({}, db=str(source)))
    s_dst = open_store(load_settings({}, db=str(target)))
    assert s_src.counts() == s_dst.counts() and s_dst.counts()["incidents"] > 0


def test_restore_refuses_a_store_with_data_unless_forced(places_store, tmp_path):
    copy = backup(places_store, tmp_path / "b.sqlite")
    other = open_store(load_settings({}, db=str(tmp_path / "other.sqlite")))
    ingest_file(other, "events", ROOT / "tests" / "data" / "polisen_events_sample.json")
    with pytest.raises(InputError, match="databasen är inte tom"):
        restore(other, copy)
    restore(other, copy, force=True)
    again = open_store(load_settings({}, db=str(tmp_path / "other.sqlite")))
    assert again.counts()["events"] == 0 and again.counts()["places"] == places_store.counts()["places"]


def test_backup_and_restore_refuse_bad_files_in_swedish(places_store, tmp_path):
    copy = backup(places_store, tmp_path / "b.sqlite")
    res = run("backup", "--out", copy, db=places_store.url)
    assert res.returncode == 2 and "filen finns redan" in res.stderr, res.stderr
    not_backup = tmp_path / "plan.yaml"
    not_backup.write_text("- aktivitet: x\n", encoding="utf-8")
    for path, message in ((not_backup, "ingen säkerhetskopia"), (tmp_path / "saknas", "finns inte")):
        res = run("restore", path, db=tmp_path / "tom.sqlite")
        assert res.returncode == 2 and message in res.stderr and "Traceback" not in res.stderr
    damaged = tmp_path / "trasig.sqlite"
    damaged.write_bytes(copy.read_bytes()[:200])
    res = run("restore", damaged, db=tmp_path / "tom2.sqlite")
    assert res.returncode == 2 and "Traceback" not in res.stderr and "Fel:" in res.stderr


def test_postgres_backup_restored_into_an_empty_database_gives_the_same_numbers(demo_store_path,
                                                                                 tmp_path):
    from lagesbild.demo.load import load_demo

    with postgres_server() as url:
        settings = load_settings({}, data_dir=str(tmp_path), db=url)
        load_demo(open_store(settings), settings)
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("CREATE DATABASE aterstalld"))
        engine.dispose()
        target = url.rsplit("/", 1)[0] + "/aterstalld"
        copy = tmp_path / "pg.dump"
        res = run("backup", "--out", copy, db=url)
        assert res.returncode == 0, res.stderr
        assert backup_kind(copy) == "postgresql"
        res = run("restore", copy, db=target)
        assert res.returncode == 0, res.stderr
        for args in (COMPARE, SURVEY):
            a, b = run(*args, db=url), run(*args, db=target)
            assert a.returncode == b.returncode == 0 and a.stdout == b.stdout and len(a.stdout) > 100
            # and the same as the SQLite demo store
            assert run(*args, db=demo_store_path).stdout == a.stdout
        sa = open_store(load_settings({}, db=url))
        sb = open_store(load_settings({}, db=target))
        assert sa.counts() == sb.counts()
        sa.engine.dispose()
        sb.engine.dispose()
        # a SQLite backup is not restored into PostgreSQL
        sqlite_copy = tmp_path / "lite.sqlite"
        assert run("backup", "--out", sqlite_copy, db=demo_store_path).returncode == 0
        res = run("restore", "--force", sqlite_copy, db=target)
        assert res.returncode == 2 and "från SQLite men databasen är PostgreSQL" in res.stderr
