"""A web request whose write waits for another process's write until it gives up (the store's
``SQLITE_BUSY_MS``: SQLite's "database is locked", PostgreSQL's lock timeout of the write lock) is
answered 503 with ``Retry-After`` and "Databasen är upptagen av en annan inläsning just nu; försök igen
om en stund." (it was the generic Swedish 500, "an unexpected error"), and nothing of it is written.

The lock is real: another connection holds the store's write lock (SQLite: ``BEGIN IMMEDIATE`` on the
file; PostgreSQL: the advisory lock every write transaction takes) while an analytiker reads a validated
file in on the Data page ("Läs in"); the wait is shortened to 0,3 s so the test takes a second.
"""

from __future__ import annotations

import base64
import logging
import re
import sqlite3

import pytest

from lagesbild.settings import ROOT, load_settings
from lagesbild.store import Store, accounts
from lagesbild.store import store as store_module

PLACES = ROOT / "geodata" / "places.geojson"
PASSWORD = "ett-långt-lösenord-1"
BUSY = "Databasen är upptagen av en annan inläsning just nu; försök igen om en stund."


def _site(db, data_dir):
    from lagesbild.web import create_app

    cfg = load_settings({}, data_dir=str(data_dir), db=str(db))
    store = Store(cfg.db_url)
    accounts.add_user(store, "admin", PASSWORD, "admin")
    return create_app(cfg, store), store


def _login(app):
    client = app.server.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    res = client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token,
                                      "next": "/"})
    assert res.status_code in (302, 303), res.status_code
    client.get("/data")
    return client


def _call(app, client, prefix: str, values: dict):
    """Post the callback whose key starts with ``prefix`` as dash-renderer does, with ``values``
    ({"id.property": value}) for its inputs and states and the first input as the one changed."""
    key = next(k for k in app.callback_map if k.startswith(prefix))
    spec = app.callback_map[key]
    outs = [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1].split("@")[0]}
            for p in key.strip(".").split("...")]
    items = [{"id": i["id"], "property": i["property"], "value": values.get(f"{i['id']}.{i['property']}")}
             for i in spec["inputs"] + spec.get("state", [])]
    n = len(spec["inputs"])
    return client.post("/_dash-update-component", headers={
        "X-CSRFToken": client.get_cookie("_csrf_token").value}, json={
        "output": key, "outputs": outs, "inputs": items[:n], "state": items[n:],
        "changedPropIds": [f"{items[0]['id']}.{items[0]['property']}"]})


def _validated_upload(app, client) -> dict:
    """The places file uploaded and validated on the Data page: its pending-ingest state."""
    content = "data:application/geo+json;base64," + base64.b64encode(PLACES.read_bytes()).decode()
    res = _call(app, client, "..dt-report.children...dt-pending.data",
                {"dt-upload.contents": content, "dt-kind.value": "places",
                  "dt-upload.filename": "platser.geojson"})
    assert res.status_code == 200, res.get_data(as_text=True)[:300]
    pending = res.get_json()["response"]["dt-pending"]["data"]
    assert pending, res.get_data(as_text=True)[:500]
    return pending


def _commit(app, client, pending):
    return _call(app, client, "..dt-result.children", {"dt-commit.n_clicks": 1, "dt-pending.data": pending,
                                                           "dt-keep.value": []})


def _assert_busy(res):
    assert res.status_code == 503, (res.status_code, res.get_data(as_text=True)[:300])
    assert res.get_data(as_text=True) == BUSY
    assert res.headers.get("Retry-After", "").isdigit()


def _places(store) -> int:
    return store.counts()["places"]


def test_a_write_behind_another_sqlite_write_is_503_and_writes_nothing(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(store_module, "SQLITE_BUSY_MS", 300)
    db = tmp_path / "s.sqlite"
    app, store = _site(db, tmp_path)
    client = _login(app)
    pending = _validated_upload(app, client)
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another process's write in progress
        with caplog.at_level(logging.WARNING):
            _assert_busy(_commit(app, client, pending))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]  # no traceback
    assert _places(store) == 0
    # guard: once the other write has ended, the same request reads the file in
    res = _commit(app, client, pending)
    assert res.status_code == 200 and _places(store) > 0


@pytest.mark.postgres
def test_a_write_behind_another_postgresql_write_is_503_and_writes_nothing(tmp_path, monkeypatch):
    from sqlalchemy import create_engine, text

    from lagesbild.store.store import WRITE_LOCK
    from tests.pg import postgres_server

    monkeypatch.setattr(store_module, "SQLITE_BUSY_MS", 300)
    with postgres_server() as url:
        app, store = _site(url, tmp_path)
        client = _login(app)
        pending = _validated_upload(app, client)
        holder = create_engine(url)
        try:
            with holder.begin() as conn:  # another process's write in progress
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
                _assert_busy(_commit(app, client, pending))
        finally:
            holder.dispose()
        assert _places(store) == 0
        res = _commit(app, client, pending)
        assert res.status_code == 200 and _places(store) > 0
        store.engine.dispose()
