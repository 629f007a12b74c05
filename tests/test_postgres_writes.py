"""Writers at the same time on PostgreSQL: two workers or two uploads that read in the same months
leave them counted once (each deleted the months before the other had committed, then both inserted
them: Hässelby torg's 60 narcotics crimes of January 2019 read 120)."""

from __future__ import annotations

import threading

import pytest

from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings
from lagesbild.store import Store

DATA = ROOT / "tests" / "data"
WRITERS = 4


@pytest.fixture(scope="module")
def pg_url():
    from tests.pg import postgres_server

    with postgres_server() as url:
        yield url


def test_the_same_months_read_in_at_once_are_counted_once(pg_url, tmp_path):
    settings = load_settings({}, db=pg_url, data_dir=str(tmp_path))
    ingest_file(open_store(settings), "places", ROOT / "geodata" / "places.geojson")
    start, errors = threading.Barrier(WRITERS), []

    def writer():
        store = Store(pg_url)  # its own connections, as another worker's
        start.wait()
        try:
            ingest_file(store, "crimes", DATA / "brott_lang_bom.csv")
        except Exception as exc:  # reported below with the others
            errors.append(exc)
        finally:
            store.engine.dispose()

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    store = Store(pg_url)
    monthly = store.monthly_counts(place_ids=["hasselby-torg"], categories=["narkotikabrott"])
    assert monthly["count"].tolist() == [60]
    assert store.counts()["crime_counts"] == 4
