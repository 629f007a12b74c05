"""Sedan förra mötet and the notes on Plats on the server: the date kept per user, roles for writing
notes (the guard and the layout), and the page's callback on an empty store."""

from __future__ import annotations

import datetime as dt
import json
import sys

import pytest

from lagesbild import clock
from lagesbild.analysis.since_meeting import DEFAULT_DAYS, default_meeting_date
from lagesbild.settings import load_settings
from lagesbild.store import Store, accounts
from tests.test_web_security import OUTSIDE, PASSWORDS, ROLES, dash_post, login


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from lagesbild.web import create_app

    folder = tmp_path_factory.mktemp("since-web")
    cfg = load_settings({}, data_dir=str(folder), db=str(folder / "s.sqlite"))
    store = Store(cfg.db_url)
    for name, role in ROLES.items():
        accounts.add_user(store, name, PASSWORDS[name], role)
    return create_app(cfg, store), store, cfg


def _choose_date(app, client, day: str):
    """The renderer's request when the date picker changes."""
    client.get("/sedan")
    key = next(k for k in app.callback_map if k.startswith("sm-content."))
    spec = app.callback_map[key]
    values = {"sm-date": day, "sm-places": None}
    body = {"output": key, "outputs": {"id": "sm-content", "property": "children"},
            "inputs": [{**i, "value": values[i["id"]]} for i in spec["inputs"]],
            "state": [{**s, "value": False} for s in spec["state"]], "changedPropIds": ["sm-date.date"]}
    return client.post("/_dash-update-component", json=body,
                       headers={"X-CSRFToken": client.get_cookie("_csrf_token").value})


def test_a_logged_in_users_date_is_kept_and_opens_the_page_next_time(site):
    from flask_login import login_user

    from lagesbild.web.auth import User

    app, store, _ = site
    c = app.server.test_client()
    login(c, "lasse")
    r = _choose_date(app, c, "2023-05-01")
    assert r.status_code == 200
    assert "Förra mötet 1 maj 2023" in json.dumps(r.get_json(), ensure_ascii=False)
    assert default_meeting_date(store, username="lasse") == dt.date(2023, 5, 1)
    assert default_meeting_date(store, username="ann") == clock.today() - dt.timedelta(days=DEFAULT_DAYS)
    page = sys.modules["lagesbild.web.pages.since"]
    with app.server.test_request_context("/sedan", environ_base=OUTSIDE):
        login_user(User("lasse", "läsare"))
        assert "2023-05-01" in str(page.layout())
        assert "2022-01-02" in str(page.layout(mote_datum="2022-01-02"))  # the URL wins
    with app.server.test_request_context("/sedan", environ_base=OUTSIDE):
        login_user(User("ann", "analytiker"))
        assert "2023-05-01" not in str(page.layout())


def test_only_roles_that_write_data_may_write_notes(site):
    from flask_login import login_user

    from lagesbild.web.auth import User
    from lagesbild.web.views.place_notes import notes_section

    app, store, _ = site
    for name in ("lasse", "ann"):
        c = app.server.test_client()
        login(c, name)
        status = dash_post(app, c, "pn-status").status_code
        assert (status == 403) == (name == "lasse"), (name, status)
    for role, may in [("läsare", False), ("analytiker", True), ("admin", True)]:
        with app.server.test_request_context("/", environ_base=OUTSIDE):
            login_user(User("x", role))
            text = str(notes_section(store, None))
            assert ("pn-add" in text) == may
            assert ("Anteckningar skrivs av rollen analytiker" in text) != may
