"""Paths that are not plain readable files, through the command line as users run it.

A file the user may not read, a named pipe, a link to a device, a report path that is the input file
or a folder: each is refused with a Swedish message and exit code 2 before anything is read or
written — no traceback, no hang, no memory eaten, and the user's files left as they were.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys

import pytest

from lagesbild.settings import ROOT

DATA = ROOT / "tests" / "data"
PLACES = ROOT / "geodata" / "places.geojson"
#: the CLI runs without the capabilities that let root read any file (the tests run as root in CI)
NO_OVERRIDE = ["setpriv", "--bounding-set=-dac_override,-dac_read_search",
               "--inh-caps=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
#: a valid file per kind, and its suffix
KINDS = {"crimes": DATA / "brott_bred.csv", "incidents": DATA / "incidenter_3006.csv",
         "survey": DATA / "trygghet_andel.csv", "places": DATA / "places_4326.geojson",
         "activities": DATA / "atgardsplan_ny.yaml", "events": DATA / "polisen_events_sample.json"}
MEMORY_LIMIT = 3 << 30  # bytes of address space: a reader that reads a device endlessly stops here


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _cli(*args, db, prefix=()):
    env = {**os.environ, "LAGESBILD_DB": str(db)}
    return subprocess.run([*prefix, sys.executable, "-m", "lagesbild", *map(str, args)],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=60,
                          preexec_fn=_limit_memory)


def _refused(res, reason):
    assert res.returncode == 2, res.stderr
    assert res.stderr.startswith("Fel: ") and "Traceback" not in res.stderr, res.stderr
    assert reason in res.stderr, res.stderr


@pytest.fixture(scope="module")
def base_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("paths") / "base.sqlite"
    assert _cli("ingest", "places", PLACES, "--no-progress", db=db).returncode == 0
    return db


@pytest.fixture
def db(base_db, tmp_path):
    shutil.copy(base_db, tmp_path / "s.sqlite")
    return tmp_path / "s.sqlite"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_file_the_user_may_not_read_is_refused_in_swedish(kind, db, tmp_path):
    path = tmp_path / f"fil{KINDS[kind].suffix}"
    shutil.copy(KINDS[kind], path)
    path.chmod(0)
    res = _cli("ingest", kind, path, "--no-progress", db=db, prefix=NO_OVERRIDE)
    _refused(res, f"fil{KINDS[kind].suffix}: filen får inte läsas (behörighet saknas)")


def test_a_mapping_file_the_user_may_not_read_is_refused_in_swedish(db, tmp_path):
    mapping = tmp_path / "mappning.yaml"
    mapping.write_text("columns: {place: Plats}\n", encoding="utf-8")
    mapping.chmod(0)
    res = _cli("ingest", "crimes", KINDS["crimes"], "--mapping", mapping, "--no-progress", db=db,
               prefix=NO_OVERRIDE)
    _refused(res, "mappning.yaml: filen får inte läsas (behörighet saknas)")


@pytest.mark.parametrize("suffix", [".csv", ".yaml"])
def test_a_named_pipe_is_refused_instead_of_waiting_for_a_writer(db, tmp_path, suffix):
    pipe = tmp_path / f"ror{suffix}"
    os.mkfifo(pipe)
    res = _cli("ingest", "crimes", pipe, "--no-progress", db=db)
    _refused(res, f"ror{suffix}: är inte en fil")
    res = _cli("ingest", "crimes", KINDS["crimes"], "--mapping", pipe, "--no-progress", db=db)
    _refused(res, f"ror{suffix}: är inte en fil")


def test_a_link_to_an_endless_device_is_refused_without_reading_it(db, tmp_path):
    link = tmp_path / "noll.csv"
    link.symlink_to("/dev/zero")
    _refused(_cli("ingest", "crimes", link, "--no-progress", db=db), "noll.csv: är inte en fil")
    _refused(_cli("ingest", "crimes", KINDS["crimes"], "--mapping", link, "--no-progress", db=db),
             "noll.csv: är inte en fil")


ONE_BAD = "Plats;Brottskategori;Månad;Antal\nVårberg;Narkotika;2020-01;3\nVårberg;Narkotika;13 2020;3\n"


def _tables(db) -> dict:
    import sqlite3

    with sqlite3.connect(db) as con:
        names = [n for (n,) in con.execute("select name from sqlite_master where type='table'")]
        return {n: con.execute(f'select * from "{n}"').fetchall() for n in names if n != "user_sessions"}


def test_a_report_path_that_is_the_input_file_is_refused_and_the_input_kept(db, tmp_path):
    path = tmp_path / "brott.csv"
    path.write_text(ONE_BAD, encoding="utf-8")
    before = _tables(db)
    for report in (path, tmp_path / "." / "brott.csv"):
        res = _cli("ingest", "crimes", path, "--keep-valid", "--report", report, "--no-progress", db=db)
        _refused(res, "rapportfilen för avvisade rader är samma fil som läses in")
        assert path.read_text(encoding="utf-8") == ONE_BAD
    assert _tables(db) == before


def test_a_report_path_that_is_a_folder_or_cannot_be_written_is_refused(db, tmp_path):
    path = tmp_path / "brott.csv"
    path.write_text(ONE_BAD, encoding="utf-8")
    before = _tables(db)
    res = _cli("ingest", "crimes", path, "--keep-valid", "--report", tmp_path, "--no-progress", db=db)
    _refused(res, "rapportfilen för avvisade rader är en mapp; ange ett filnamn")
    res = _cli("ingest", "crimes", path, "--keep-valid", "--report", path / "rapport.csv", "--no-progress",
               db=db)
    _refused(res, "rapportfilen kan inte skrivas: brott.csv är inte en mapp")
    assert _tables(db) == before and path.read_text(encoding="utf-8") == ONE_BAD
    res = _cli("ingest", "crimes", path, "--keep-valid", "--report", tmp_path / "rapport.csv",
               "--no-progress", db=db)
    assert res.returncode == 0 and "1 avvisad." in res.stdout  # singular (was "1 avvisade")
    assert "13 2020" in (tmp_path / "rapport.csv").read_text(encoding="utf-8-sig")


def test_a_report_that_cannot_be_written_rolls_the_ingest_back(db, tmp_path):
    path = tmp_path / "brott.csv"
    path.write_text(ONE_BAD, encoding="utf-8")
    locked = tmp_path / "last"
    locked.mkdir()
    locked.chmod(0o555)
    before = _tables(db)
    res = _cli("ingest", "crimes", path, "--keep-valid", "--report", locked / "rapport.csv", "--no-progress",
               db=db, prefix=NO_OVERRIDE)
    _refused(res, "rapportfilen för avvisade rader kunde inte skrivas (behörighet saknas); inget lästes in")
    assert _tables(db) == before
