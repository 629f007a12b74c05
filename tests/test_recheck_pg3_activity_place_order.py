"""An activity's places come out of the store in the order they were read in, alike on PostgreSQL
and SQLite, also after PostgreSQL has reused the space of removed rows.

``Store.activity_places()`` read the links without an ORDER BY. SQLite returned them by rowid (the order
they were written: each activity's places as its plan lists them); PostgreSQL returns a table in the
order of its pages, and once VACUUM (autovacuum, any time) has freed the rows a re-read plan replaced,
new links fill those slots. The map's activities per place (``figures.mapactivities``: the rings'
hover text, the "Ligger i het punkt" rows) and the action-plan table's "Plats" column follow that order:
after a plan was read in a third time, PostgreSQL gave a1, a2, a4 (Sätra), a3, a4 (Bredäng) where SQLite
gave a1, a3, a2, a4. The links now carry the order they were read in (``link_order``); an older store's
links get the order its store gave them (guard below).
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings

pytestmark = pytest.mark.postgres

PLAN = """prioriterade områden:
  - namn: Platser
    aktiviteter:
{}
"""
ACTIVITY = """      - id: {id}
        aktivitet: Aktivitet {id}
        plats: [{places}]
        start: 2022-09-01
        sammankallande: Polisen
"""


def _plan(folder, name, activities):
    path = folder / name
    path.write_text(PLAN.format("".join(ACTIVITY.format(id=i, places=", ".join(p)) for i, p in activities)),
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pg_url():
    from tests.pg import postgres_server

    with postgres_server() as url:
        yield url


def _links(db, folder, vacuum):
    store = open_store(load_settings({}, db=db, data_dir=str(folder)))
    ingest_file(store, "places", ROOT / "geodata" / "places.geojson")
    steps = [[("a1", ["Bredäng"]), ("a2", ["Vårberg", "Fruängen", "Sätra"]), ("a3", ["Skärholmen centrum"])],
             [("a2", ["Sätra", "Fruängen"])],
             [("a2", ["Vårberg", "Fruängen"]), ("a4", ["Sätra", "Bredäng"])]]
    for n, acts in enumerate(steps):
        ingest_file(store, "activities", _plan(folder, f"plan{n}.yaml", acts))
        vacuum(db)
    links = store.activity_places()
    store.engine.dispose()
    return list(zip(links["activity_id"], links["place_id"], strict=True))


def _vacuum(url):
    if not url.startswith("postgresql"):
        return
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM activity_places"))
    engine.dispose()


#: as read in: a1 and a3 from the first plan, then a2 as the third plan lists it, then a4
EXPECTED = [("a1", "bredang"), ("a3", "skarholmen-centrum"), ("a2", "varberg"), ("a2", "fruangen"),
            ("a4", "satra"), ("a4", "bredang")]


def test_links_keep_the_plans_order_on_both_stores(pg_url, tmp_path):
    (tmp_path / "sq").mkdir()
    (tmp_path / "pg").mkdir()
    assert _links(str(tmp_path / "s.sqlite"), tmp_path / "sq", _vacuum) == EXPECTED
    assert _links(pg_url, tmp_path / "pg", _vacuum) == EXPECTED


def test_an_older_stores_links_keep_the_order_sqlite_gave_them(tmp_path):
    """A store written before ``link_order`` (the column dropped again here) gets its links numbered in
    the rowid order SQLite read them in when it is opened (a guard for the upgrade)."""
    import sqlite3

    db = tmp_path / "old.sqlite"
    store = open_store(load_settings({}, db=str(db), data_dir=str(tmp_path)))
    ingest_file(store, "places", ROOT / "geodata" / "places.geojson")
    ingest_file(store, "activities", _plan(tmp_path, "plan.yaml", [("b", ["Sätra", "Bredäng"]), ("a", ["Vårberg"])]))
    store.engine.dispose()
    con = sqlite3.connect(db)
    con.execute("ALTER TABLE activity_places DROP COLUMN link_order")
    con.commit()
    con.close()
    store = open_store(load_settings({}, db=str(db), data_dir=str(tmp_path)))
    links = store.activity_places()
    assert list(zip(links["activity_id"], links["place_id"], strict=True)) == [
        ("b", "satra"), ("b", "bredang"), ("a", "varberg")]
