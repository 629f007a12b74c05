"""The same store code on a real PostgreSQL server gives the same answers as on SQLite."""

from __future__ import annotations

import pandas as pd
import pytest

from lagesbild import analysis
from lagesbild.demo.load import load_demo
from lagesbild.errors import InputError
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import load_settings
from tests.pg import postgres_server


@pytest.fixture(scope="module")
def pg_store(tmp_path_factory):
    with postgres_server() as url:
        folder = tmp_path_factory.mktemp("pg")
        s = load_settings({}, data_dir=str(folder), db=url)
        store = open_store(s)
        load_demo(store, s)
        yield store


def test_postgres_holds_the_same_monthly_counts_as_sqlite(pg_store, demo_store):
    keys = ["place_id", "category", "month"]
    a = pg_store.monthly_counts().sort_values(keys).reset_index(drop=True)
    b = demo_store.monthly_counts().sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def test_postgres_holds_the_same_coverage_as_sqlite(pg_store, demo_store):
    keys = ["source", "place_id", "category", "month", "grain"]
    a = pg_store.all_coverage()[keys].sort_values(keys).reset_index(drop=True)
    b = demo_store.all_coverage()[keys].sort_values(keys).reset_index(drop=True)
    assert len(a) > 1000
    pd.testing.assert_frame_equal(a, b)


def test_postgres_comparison_equals_sqlite(pg_store, demo_store):
    a = analysis.place_comparison(pg_store, "hasselby-torg")
    b = analysis.place_comparison(demo_store, "hasselby-torg")
    pd.testing.assert_frame_equal(a, b)


def test_postgres_survey_activities_and_meta(pg_store, demo_store):
    pd.testing.assert_frame_equal(pg_store.survey().drop(columns="source").reset_index(drop=True),
                                  demo_store.survey().drop(columns="source").reset_index(drop=True),
                                  check_dtype=False)
    assert pg_store.activities()["activity_id"].tolist() == demo_store.activities()["activity_id"].tolist()
    assert pg_store.meta()["demo"] is True
    assert pg_store.data_until() == demo_store.data_until()


def test_postgres_failed_ingest_leaves_store_unchanged(pg_store, tmp_path):
    bad = tmp_path / "fel.csv"
    bad.write_text("Plats;Brottskategori;Månad;Antal\nVårberg;Narkotika;2020-01;3\n"
                   "Vårberg;Narkotika;2020-02;-1\n", encoding="utf-8")
    before = pg_store.dump()
    with pytest.raises(InputError):
        ingest_file(pg_store, "crimes", bad)
    assert pg_store.dump() == before


def test_postgres_repeat_ingest_is_noop(pg_store, tmp_path):
    f = tmp_path / "ok.csv"
    f.write_text("Plats;Brottskategori;Månad;Antal\nVårberg;Narkotika;2024-01;3\n", encoding="utf-8")
    assert ingest_file(pg_store, "crimes", f).status == "ok"
    assert ingest_file(pg_store, "crimes", f).status == "noop"


NASTY_SAME_ON_BOTH = [("places", "places_overlong_name.geojson"), ("events", "event_nul_in_name.json"),
                      ("events", "event_surrogate.json"), ("events", "event_null_name.json"),
                      ("crimes", "crimes_huge_count.csv"), ("survey", "survey_huge_respondents.csv")]


def test_postgres_refuses_what_sqlite_refuses_with_the_same_message(pg_store, places_store):
    """Values PostgreSQL cannot hold (long ids, NUL, surrogates, big integers) are refused on both."""
    from lagesbild.settings import ROOT

    nasty = ROOT / "tests" / "data" / "nasty"
    before = pg_store.dump()
    for kind, name in NASTY_SAME_ON_BOTH:
        with pytest.raises(InputError) as on_pg:
            ingest_file(pg_store, kind, nasty / name)
        with pytest.raises(InputError) as on_sqlite:
            ingest_file(places_store, kind, nasty / name)
        assert on_pg.value.message() == on_sqlite.value.message()
    for store in (pg_store, places_store):
        with pytest.raises(InputError, match="källans namn är 121 tecken långt; högst 120"):
            ingest_file(store, "events", nasty / "event_bom.json", source="k" * 121)
    assert pg_store.dump() == before
    report = ingest_file(pg_store, "events", nasty / "event_bom.json", source="k" * 120)
    assert report.status == "ok" and report.source == "k" * 120


def test_postgres_stores_areas_without_a_shape_as_sqlite_does(pg_store, places_store):
    """Brå's Göteborg file: the stadsområden without a shape are stored on both (empty geometry under
    the NOT NULL columns) and compare the same."""
    from lagesbild.settings import ROOT

    bra = ROOT / "tests" / "data" / "bra" / "bra_goteborg_ar.csv"
    reports = [ingest_file(s, "crimes", bra) for s in (pg_store, places_store)]
    assert [r.shapeless_places for r in reports] == [["Centrum", "Hisingen", "Nordost", "Sydväst"]] * 2
    for pid in ("centrum", "goteborg"):
        a = analysis.place_comparison(pg_store, pid, ["2024", "2025"])
        b = analysis.place_comparison(places_store, pid, ["2024", "2025"])
        pd.testing.assert_frame_equal(a, b)
        assert not a["verdict"].str.startswith("kan inte bedömas").any()
    assert pg_store.places().set_index("place_id").loc["centrum", "wkt_4326"] == "POLYGON EMPTY"


def test_postgres_database_that_does_not_exist_is_a_swedish_message(pg_store, tmp_path):
    """A plain ``postgresql://`` URL to the real server, naming a database not created there: a
    StoreError saying so (the CLI's exit code 2), not a driver traceback."""
    from lagesbild.errors import StoreError

    url = pg_store.engine.url.set(database="finns_inte").render_as_string(hide_password=False)
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with pytest.raises(StoreError, match="databasen finns inte på databasservern"):
        open_store(load_settings({}, data_dir=str(tmp_path), db=plain))
