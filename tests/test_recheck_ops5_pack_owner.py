"""A meeting pack belongs to the account that started it, and its hot spot map to the roles that may
see the map now (through the web app: login, the pack's start and download callbacks).

Before, the owner was the name alone, and the role was looked at only when the pack was started:

* an account removed and made again under the same name (another person, by the admin's doing) was
  given the old account's packs for as long as they were kept (a day) to anyone who had the job id;
* an analytiker made läsare downloaded the pack with the hot spot map (incident-level data) built
  before, which the läsare role may not see.

The build itself is replaced by one that writes a finished job at once (the owner file is written by
the real start, :func:`lagesbild.web.pack_jobs.start_pack_job`): what is checked is who gets the files.
"""

from __future__ import annotations

import base64
import json
import re
import time

import pytest

from lagesbild.settings import load_settings
from lagesbild.store import Store, accounts
from lagesbild.web import pack_jobs

PASSWORD = "ett-långt-lösenord-1"
ZIP = b"PK ett paket"


def _fake_build(folder, _store, _settings, **request):
    (folder / "paket.zip").write_bytes(ZIP)
    pack_jobs.write_status(folder, state="done", done=1, total=1, message="Klart", zip="paket.zip")
    with pack_jobs._LOCK:
        pack_jobs._RUNNING.pop(folder.name, None)


@pytest.fixture()
def site(tmp_path, monkeypatch):
    from lagesbild.web import create_app

    monkeypatch.setattr(pack_jobs, "run_pack_job", _fake_build)
    cfg = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite"))
    store = Store(cfg.db_url)
    accounts.add_user(store, "admin", PASSWORD, "admin")
    accounts.add_user(store, "ann", PASSWORD, "analytiker")
    return create_app(cfg, store), store, cfg


def _client(app, name):
    client = app.server.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    res = client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": token,
                                      "next": "/"})
    assert res.status_code in (302, 303), res.status_code
    client.get("/")
    return client


def _post(client, body):
    return client.post("/_dash-update-component", json=body,
                       headers={"X-CSRFToken": client.get_cookie("_csrf_token").value})


def _start(client, cfg) -> str:
    outs = [("lb-pack-job", "data"), ("lb-pack-poll", "disabled"), ("lb-pack-status", "children"),
            ("lb-pack-progress", "value"), ("lb-pack-files", "hidden")]
    states = [("lb-pack-places", ["varberg"]), ("lb-pack-periods", ["2021–2022", "2022–2023"]),
              ("lb-pack-meeting", "Beredningsgrupp"), ("lb-pack-external", [])]
    res = _post(client, {
        "output": "".join(f"..{i}.{p}.." for i, p in outs).replace("....", "..."),
        "outputs": [{"id": i, "property": p} for i, p in outs],
        "inputs": [{"id": "lb-pack-start", "property": "n_clicks", "value": 1}],
        "state": [{"id": i, "property": "value", "value": v} for i, v in states],
        "changedPropIds": ["lb-pack-start.n_clicks"]})
    assert res.status_code == 200, res.get_data(as_text=True)[:300]
    job = res.get_json()["response"]["lb-pack-job"]["data"]
    folder = pack_jobs.job_dir(cfg.data_dir, job)
    end = time.monotonic() + 30
    while (pack_jobs.read_status(folder) or {}).get("state") != "done":  # the fake build's thread
        assert time.monotonic() < end, "the job did not finish"
        time.sleep(0.05)
    return job


def _download(client, job):
    out_id, in_id = {"fmt": "zip", "type": "lb-pack-download"}, {"fmt": "zip", "type": "lb-pack-dl"}
    key = json.dumps(in_id, separators=(",", ":"), sort_keys=True)
    return _post(client, {
        "output": json.dumps(out_id, separators=(",", ":"), sort_keys=True) + ".data",
        "outputs": {"id": out_id, "property": "data"},
        "inputs": [{"id": in_id, "property": "n_clicks", "value": 1}],
        "state": [{"id": "lb-pack-job", "property": "data", "value": job}],
        "changedPropIds": [key + ".n_clicks"]})


def _file(res) -> bytes | None:
    if res.status_code == 204 or not res.get_json()["response"]:
        return None
    assert res.status_code == 200, res.get_data(as_text=True)[:300]
    return base64.b64decode(next(iter(res.get_json()["response"].values()))["data"]["content"])


def test_an_account_made_again_under_the_same_name_does_not_get_the_old_accounts_pack(site):
    app, store, cfg = site
    job = _start(_client(app, "ann"), cfg)
    assert _file(_download(_client(app, "ann"), job)) == ZIP  # guard: the owner gets it
    accounts.remove_user(store, "ann")
    accounts.add_user(store, "ann", PASSWORD, "analytiker")
    assert _file(_download(_client(app, "ann"), job)) is None
    last = accounts.audit_entries(store, 1)[0]
    assert (last["username"], last["action"]) == ("ann", "export_refused")
    assert job in last["detail"]


def test_a_pack_with_the_map_is_refused_after_its_owner_is_made_lasare(site):
    app, store, cfg = site
    client = _client(app, "ann")
    job = _start(client, cfg)  # built as analytiker: with the hot spot map
    accounts.set_role(store, "ann", "läsare")
    res = _download(client, job)
    assert res.status_code == 403, res.status_code
    assert res.get_json()["error"] == ("Din roll (läsare) räcker inte för den här delen; den kräver "
                                       "rollen analytiker.")
    last = accounts.audit_entries(store, 1)[0]
    assert (last["username"], last["action"]) == ("ann", "export_refused")
    assert "kartan" in last["detail"]


def test_a_pack_without_the_map_stays_the_lasares_own(site):
    """Guard: a läsare's own pack (built without the map) is still given to the läsare."""
    app, store, cfg = site
    accounts.set_role(store, "ann", "läsare")
    client = _client(app, "ann")
    job = _start(client, cfg)
    assert _file(_download(client, job)) == ZIP
