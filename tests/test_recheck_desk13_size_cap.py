"""The command line's ingest has a size bound, checked before the file is read.

A 3 GB JSON file took 6.5 GB of memory before it failed: nothing bounded a file given to ``lagesbild
ingest``. The CLI now refuses a file (and a --mapping file) larger than the setting ``max_ingest_mb``
(1 024 MB by default; MB of 1024 * 1024 bytes, as the web upload's ``max_upload_mb``,
web.security.upload_limit_bytes), naming the file, its size and the bound, exit 2, the store unchanged.
Its bound is not the web's 50 MB: ten years of a city's police incidents are about 100 MB, read by the
operator at the machine. The files here are sparse (truncate): no disk is written.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from lagesbild.errors import InputError
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings
from lagesbild.web.security import upload_limit_bytes

MB = 1024 * 1024


def _sparse(path, size):
    with open(path, "wb") as f:
        f.truncate(size)
    return path


@pytest.fixture()
def db(tmp_path):
    settings = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite"))
    store = open_store(settings)
    ingest_file(store, "places", ROOT / "geodata" / "places.geojson")
    store.engine.dispose()
    return tmp_path / "s.sqlite"


def _cli(*args, db, mb=1):
    env = {**os.environ, "LAGESBILD_DB": str(db), "LAGESBILD_MAX_INGEST_MB": str(mb)}
    return subprocess.run([sys.executable, "-m", "lagesbild", *map(str, args)], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)


def _dump(db):
    return open_store(load_settings({}, data_dir=str(db.parent), db=str(db))).dump()


@pytest.mark.parametrize(("kind", "name"), [("events", "h.json"), ("crimes", "brott.csv"),
                                            ("places", "p.geojson"), ("activities", "plan.xlsx")])
def test_a_file_over_the_bound_is_refused_before_it_is_read(db, tmp_path, kind, name):
    before = _dump(db)
    path = _sparse(tmp_path / name, 5 * MB)  # 5 MB of NUL bytes under a bound of 1 MB
    res = _cli("ingest", kind, path, db=db)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    # by hand: 5 * 1048576 bytes are 5,0 MB
    assert res.stderr.startswith(f"Fel: {name}: filen är 5,0 MB; lagesbild läser högst 1 MB (inställningen "
                                 "max_ingest_mb"), res.stderr
    assert _dump(db) == before


def test_a_mapping_file_over_the_bound_is_refused(db, tmp_path):
    before = _dump(db)
    mapping = _sparse(tmp_path / "mappning.yaml", 2 * MB + 1)
    res = _cli("ingest", "crimes", ROOT / "tests" / "data" / "brott_bred.csv", "--mapping", mapping, db=db)
    assert res.returncode == 2
    assert "Fel: mappning.yaml: filen är 2,0 MB; lagesbild läser högst 1 MB" in res.stderr, res.stderr
    assert _dump(db) == before


def test_the_bound_counts_megabytes_as_the_web_upload_does_to_the_byte(tmp_path):
    from lagesbild.ingest.guard import check_file_size

    limit = upload_limit_bytes(1)
    assert limit == MB
    check_file_size(_sparse(tmp_path / "a.csv", limit), "a.csv", 1)  # as large as the web takes: read
    with pytest.raises(InputError, match="högst 1 MB"):
        check_file_size(_sparse(tmp_path / "b.csv", limit + 1), "b.csv", 1)


def test_a_three_gigabyte_json_file_is_refused_by_its_size(tmp_path):
    from lagesbild.ingest.guard import check_file_size

    path = _sparse(tmp_path / "stor.json", 3 * 1024 * MB)
    with pytest.raises(InputError) as info:
        check_file_size(path, "stor.json", load_settings({}).max_ingest_mb)
    # by hand: 3 * 1024 MB; the default bound is 1 024 MB, the setting's largest 65 536
    assert info.value.message() == (
        "stor.json: filen är 3\u00a0072,0 MB; lagesbild läser högst 1\u00a0024 MB (inställningen max_ingest_mb: "
        "höj den med LAGESBILD_MAX_INGEST_MB, högst 65\u00a0536, eller dela upp filen); inget lästes")


def test_a_file_over_the_web_bound_is_not_refused_by_its_size_on_the_command_line(db, tmp_path):
    # 60 MB: over the web upload's default 50 MB, under the CLI's default 1 024 MB. The file is NUL
    # bytes, so the reader refuses it for what it holds, not for its size.
    path = _sparse(tmp_path / "brott.csv", 60 * MB)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAGESBILD_MAX_")}
    res = subprocess.run([sys.executable, "-m", "lagesbild", "ingest", "crimes", str(path)], capture_output=True,
                         text=True, env={**env, "LAGESBILD_DB": str(db)}, cwd=ROOT, timeout=120)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "filen är" not in res.stderr and "max_ingest_mb" not in res.stderr, res.stderr


def test_a_file_within_the_bound_is_read_as_before(db):
    res = _cli("ingest", "crimes", ROOT / "tests" / "data" / "brott_lang_bom.csv", db=db)
    assert res.returncode == 0, res.stderr
