"""Ingests are numbered alike on PostgreSQL and SQLite: a refused file writes nothing, not even a number.

On PostgreSQL the ingest number came from a sequence, which a rolled-back transaction does not give
back: after one refused file the next ingest was "inläsning nr 3" on PostgreSQL and "nr 2" on SQLite
(whose row id is the largest plus one), and `status` listed #1 and #3 as if an ingest were missing.
"""

from __future__ import annotations

import pytest

from lagesbild.errors import InputError
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings

pytestmark = pytest.mark.postgres

PLACES = ROOT / "geodata" / "places.geojson"


@pytest.fixture(scope="module")
def pg_url():
    from tests.pg import postgres_server

    with postgres_server() as url:
        yield url


def _crimes(folder, name, rows):
    path = folder / name
    path.write_text("Plats;Brottskategori;Månad;Antal\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _numbers_after_refusals(db, folder) -> tuple[list[int], list[int], str]:
    folder.mkdir()
    store = open_store(load_settings({}, db=db, data_dir=str(folder)))
    reported = [ingest_file(store, "places", PLACES).ingest_id]
    bad = _crimes(folder, "fel.csv", ["Vårberg;Narkotika;2020-01;3", "Vårberg;Narkotika;2020-02;-1"])
    for _ in range(2):  # refused twice: nothing written
        with pytest.raises(InputError):
            ingest_file(store, "crimes", bad)
    good = _crimes(folder, "ok.csv", ["Vårberg;Narkotika;2020-01;3"])
    reported.append(ingest_file(store, "crimes", good).ingest_id)
    again = ingest_file(store, "crimes", good)  # "redan inläst (…, inläsning nr N)"
    logged = sorted(store.ingest_log()["ingest_id"].astype(int).tolist())
    store.engine.dispose()
    return reported, logged, again.status


def test_a_refused_file_takes_no_ingest_number_on_either_store(pg_url, tmp_path):
    # two ingests written, two refused: the written ones are nr 1 and nr 2 (counted by hand)
    on_pg = _numbers_after_refusals(pg_url, tmp_path / "pg")
    on_sqlite = _numbers_after_refusals(str(tmp_path / "s.sqlite"), tmp_path / "sq")
    assert on_sqlite == ([1, 2], [1, 2], "noop")
    assert on_pg == ([1, 2], [1, 2], "noop")


def test_numbers_go_on_from_the_largest_after_an_interrupted_write(pg_url, tmp_path):
    """A transaction that fails after the ingest's row was written (here: an error raised inside it)
    leaves the next number the largest written plus one."""
    store = open_store(load_settings({}, db=pg_url, data_dir=str(tmp_path)))
    first = max(store.ingest_log()["ingest_id"].astype(int).tolist() or [0])
    with pytest.raises(RuntimeError), store.transaction() as w:
        w.start_ingest("crimes", "avbruten.csv", "0" * 64, "polisen-brott")
        raise RuntimeError("avbruten")
    path = _crimes(tmp_path, "nasta.csv", ["Vårberg;Rån;2021-03;4"])
    assert ingest_file(store, "crimes", path).ingest_id == first + 1
    store.engine.dispose()
