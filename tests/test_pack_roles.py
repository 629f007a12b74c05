"""The meeting pack through the web app with real accounts: a läsare's pack leaves out the hot spot map
(incident-level data) and says why, an analytiker's has it, and a pack's files go only to the user who
started it."""

from __future__ import annotations

import base64
import io
import json
import re
import time
import zipfile

import docx
import pytest

from lagesbild.demo.load import load_demo
from lagesbild.export.sections import MAP_LEFT_OUT
from lagesbild.ingest import open_store
from lagesbild.settings import load_settings
from lagesbild.store import accounts
from lagesbild.web import export_controls as xc

PASSWORDS = {"lasse": "läsarens-lösenord", "ann": "analytikerns-lösenord"}
ROLES = {"lasse": "läsare", "ann": "analytiker"}
PERIODS = ["2021–2022", "2022–2023"]
MAP_HEADING = "Heta punkter och åtgärdsplanens aktiviteter"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from lagesbild.web import create_app

    folder = tmp_path_factory.mktemp("packroles")
    settings = load_settings({}, data_dir=str(folder), db=str(folder / "demo.sqlite"))
    store = open_store(settings)
    load_demo(store, settings)
    for name, role in ROLES.items():
        accounts.add_user(store, name, PASSWORDS[name], role)
    return create_app(settings, store), settings


def _client(app, name):
    client = app.server.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/login", data={"username": name, "password": PASSWORDS[name], "csrf_token": token,
                                "next": "/"})
    client.get("/")
    return client


def _post(client, body):
    return client.post("/_dash-update-component", json=body,
                       headers={"X-CSRFToken": client.get_cookie("_csrf_token").value})


def _start(client) -> str:
    outs = [("lb-pack-job", "data"), ("lb-pack-poll", "disabled"), ("lb-pack-status", "children"),
            ("lb-pack-progress", "value"), ("lb-pack-files", "hidden")]
    states = [("lb-pack-places", ["varberg"]), ("lb-pack-periods", PERIODS),
              ("lb-pack-meeting", "Beredningsgrupp"), ("lb-pack-external", [])]
    res = _post(client, {
        "output": "".join(f"..{i}.{p}.." for i, p in outs).replace("....", "..."),
        "outputs": [{"id": i, "property": p} for i, p in outs],
        "inputs": [{"id": "lb-pack-start", "property": "n_clicks", "value": 1}],
        "state": [{"id": i, "property": "value", "value": v} for i, v in states],
        "changedPropIds": ["lb-pack-start.n_clicks"]})
    assert res.status_code == 200, res.get_data(as_text=True)[:300]
    return res.get_json()["response"]["lb-pack-job"]["data"]


def _download(client, job, fmt):
    """The file the download button sends, or None when the server sends nothing."""
    out_id = {"fmt": fmt, "type": "lb-pack-download"}
    in_id = {"fmt": fmt, "type": "lb-pack-dl"}
    res = _post(client, {
        "output": json.dumps(out_id, separators=(",", ":"), sort_keys=True) + ".data",
        "outputs": {"id": out_id, "property": "data"},
        "inputs": [{"id": in_id, "property": "n_clicks", "value": 1}],
        "state": [{"id": "lb-pack-job", "property": "data", "value": job}],
        "changedPropIds": [json.dumps(in_id, separators=(",", ":"), sort_keys=True) + ".n_clicks"]})
    if res.status_code == 204 or not res.get_json()["response"]:  # no_update
        return None
    assert res.status_code == 200, res.get_data(as_text=True)[:300]
    sent = next(iter(res.get_json()["response"].values()))["data"]
    return base64.b64decode(sent["content"])


def _poll_text(app, client, job) -> str:
    """The status text the progress poll shows ``client`` for ``job``."""
    key = next(k for k in app.callback_map if "lb-pack-poll.disabled@" in k)
    outs = [o.split("@")[0].rsplit(".", 1) for o in key.strip(".").split("...")]
    res = _post(client, {
        "output": key, "outputs": [{"id": i, "property": p} for i, p in outs],
        "inputs": [{"id": "lb-pack-poll", "property": "n_intervals", "value": 1}],
        "state": [{"id": "lb-pack-job", "property": "data", "value": job}],
        "changedPropIds": ["lb-pack-poll.n_intervals"]})
    assert res.status_code == 200, res.get_data(as_text=True)[:300]
    return res.get_json()["response"]["lb-pack-status"]["children"]


def _wait(settings, job, timeout=300):
    folder = xc.job_dir(settings.data_dir, job)
    end = time.time() + timeout
    while time.time() < end:
        status = xc.read_status(folder)
        if status and status["state"] != "running":
            assert status["state"] == "done", status
            return
        time.sleep(0.5)
    raise AssertionError("the pack was not built in time")


def _docx_text(raw: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(raw)).paragraphs)


def test_a_lasare_gets_a_pack_without_the_map_and_only_its_owner_gets_the_files(site):
    app, settings = site
    lasse, ann = _client(app, "lasse"), _client(app, "ann")
    job_lasse = _start(lasse)
    _wait(settings, job_lasse)
    job_ann = _start(ann)
    _wait(settings, job_ann)

    archive = zipfile.ZipFile(io.BytesIO(_download(lasse, job_lasse, "zip")))
    names = archive.namelist()
    assert any(n.startswith("diagram/") for n in names) and any(n.startswith("data/") for n in names)
    assert not [n for n in names if "Karta" in n]
    assert MAP_LEFT_OUT in archive.read("LÄSMIG.txt").decode("utf-8")
    text = _docx_text(_download(lasse, job_lasse, "docx"))
    assert MAP_HEADING not in text and MAP_LEFT_OUT in text

    names = zipfile.ZipFile(io.BytesIO(_download(ann, job_ann, "zip"))).namelist()
    assert {"png", "svg", "csv", "xlsx"} <= {n.rsplit(".", 1)[1] for n in names if "/Karta " in n}
    text = _docx_text(_download(ann, job_ann, "docx"))
    assert MAP_HEADING in text and MAP_LEFT_OUT not in text

    # another logged-in user with the job id gets nothing, and is not shown its progress
    for fmt in ("zip", "docx", "pdf"):
        assert _download(ann, job_lasse, fmt) is None
        assert _download(lasse, job_ann, fmt) is None
    assert _poll_text(app, lasse, job_lasse) == xc.TEXT["done"]
    assert _poll_text(app, ann, job_lasse) == xc.TEXT["lost"]
