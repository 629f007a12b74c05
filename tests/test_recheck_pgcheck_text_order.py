"""Text comes out of the store in the same order on PostgreSQL as on SQLite, whatever the database's
collation.

PostgreSQL sorts text by the database's collation; a database created under a Swedish or English locale
(Debian's initdb and createdb take the system's) sorts "anna" before "Bo" and "å" before "ä", SQLite by
code point ("Bo" before "anna", "ä" before "å"). So `users list`, the places and activities named in
`status` and in "okänd plats …; kända platser: …", and the coverage rows that the dispersions are summed
from (their order was fixed so the numbers agree to the last bit) came out in another order on such a
server than on SQLite. The test servers are made with ``--no-locale`` (C), which hid it.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from lagesbild.cli import main
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import load_settings
from lagesbild.store import accounts

pytestmark = pytest.mark.postgres

#: ids and names whose order differs between code points and Swedish: case, å/ä
PLACES = [("Åtorg", "Åtorg"), ("ärtorg", "Ärtorg"), ("Ztorg", "Ztorg"), ("aatorg", "Aatorg"), ("Btorg", "Btorg")]
ACTIVITIES = ["Ä-akt", "å-akt", "a-akt", "B-akt", "z-akt"]
USERS = ["Åsa", "ärla", "anna", "Bo", "zorro"]


@pytest.fixture(scope="module")
def swedish_pg_url():
    """A database of the throwaway server whose text sorts in Swedish (ICU sv-SE), as on a server set
    up under a Swedish locale."""
    from tests.pg import postgres_server

    with postgres_server() as url:
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("CREATE DATABASE svenska TEMPLATE template0 ENCODING 'UTF8' "
                              "LOCALE_PROVIDER icu ICU_LOCALE 'sv-SE' LOCALE 'C.UTF-8'"))
            # the premise: this database sorts as Swedish does
            words = conn.execute(text("SELECT x FROM (VALUES ('Bo'), ('anna')) v(x) "
                                      "ORDER BY x COLLATE \"sv-SE-x-icu\"")).scalars().all()
            assert words == ["anna", "Bo"]
        engine.dispose()
        yield url.rsplit("/", 1)[0] + "/svenska"


def _places_file(folder):
    features = []
    for i, (pid, name) in enumerate(PLACES):
        x0 = 17.90 + 0.01 * i
        ring = [[x0, 59.27], [x0 + 0.004, 59.27], [x0 + 0.004, 59.272], [x0, 59.272], [x0, 59.27]]
        features.append({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
                         "properties": {"Kod": pid, "Namn": name, "TYP": "torg",
                                        "Stadsdelsområde": "Skärholmen", "Källa": "test"}})
    path = folder / "platser.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def _plan_file(folder):
    lines = ["prioriterade områden:", "  - namn: Område", "    aktiviteter:"]
    for aid in ACTIVITIES:
        lines += [f"      - id: {aid}", f"        aktivitet: Aktivitet {aid}", "        plats: Åtorg",
                  "        start: 2023-01-01"]
    path = folder / "plan.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _crimes_file(folder):
    rows = [f"{name};{cat};2023-{m:02d};{m}" for _, name in PLACES for cat in ("Rån", "Narkotika")
            for m in range(1, 13)]
    path = folder / "brott.csv"
    path.write_text("Plats;Brottskategori;Månad;Antal\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _filled(db, folder):
    folder.mkdir()
    store = open_store(load_settings({}, db=db, data_dir=str(folder)))
    ingest_file(store, "places", _places_file(folder))
    ingest_file(store, "crimes", _crimes_file(folder))
    ingest_file(store, "activities", _plan_file(folder))
    for name in USERS:
        accounts.add_user(store, name, "ett långt lösenord", "läsare")
    return store


@pytest.fixture(scope="module")
def stores(swedish_pg_url, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ordning")
    pg = _filled(swedish_pg_url, folder / "pg")
    sqlite = _filled(str(folder / "s.sqlite"), folder / "sq")
    yield pg, sqlite
    pg.engine.dispose()


def test_names_come_in_code_point_order_on_both(stores):
    # code point order, by hand: upper-case A–Z, then lower-case a–z, then Å (U+00C5), ä (U+00E4), å (U+00E5)
    for store in stores:
        assert [u["username"] for u in accounts.list_users(store)] == ["Bo", "anna", "zorro", "Åsa", "ärla"]
        assert store.activities()["activity_id"].tolist() == ["B-akt", "a-akt", "z-akt", "Ä-akt", "å-akt"]
        assert [p for p in store.places()["place_id"] if p.endswith("torg")] == [
            "Btorg", "Ztorg", "aatorg", "Åtorg", "ärtorg"]


def test_coverage_rows_come_in_the_same_order_on_both(stores):
    pg, sqlite = stores
    a, b = pg.all_coverage(), sqlite.all_coverage()
    assert len(a) > 100
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


def test_the_cli_names_the_known_places_alike(stores, capsys):
    said = []
    for store in stores:
        url = store.engine.url.render_as_string(hide_password=False)
        assert main(["--db", url, "compare", "--place", "finns-inte"]) == 2
        said.append(capsys.readouterr().err.replace(url, "DB"))
    assert said[0] == said[1]
    listed = said[0].split("Kända platser:")[1]  # "Namn (id), …" in the store's order
    assert re.findall(r"\(([^()]*)\)", listed) == ["Btorg", "Ztorg", "aatorg", "skarholmen", "Åtorg", "ärtorg"]
