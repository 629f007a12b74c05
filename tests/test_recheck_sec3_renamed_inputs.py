"""An independent security recheck (sec3): a callback request must name the inputs its callback has.

The check of a callback request's values (``web/controls.py``: a single dropdown sends one text, a
multi dropdown a list of texts …) looked a value's shape up by the id the request *gave* it. Dash
hands values to the callback by position, whatever their ids say. So a request that renamed an input
(``cmp-places`` → ``zzz``) or sent another page's control in its place (``map-area`` for ``pl-place``)
had its value checked against nothing, or against the wrong control: a läsare's number for Jämför's
places was a server error (500 and a logged traceback), 83 such requests in a probe. Now every input
and state must name the component and property the callback declares (a pattern's fixed keys
included), else a Swedish 400 before the callback runs.
"""

from __future__ import annotations

import copy
import logging

import pytest

from tests.test_security_probe import _client, site

__all__ = ["site"]  # a fixture, used by name

UPDATE = "/_dash-update-component"


def _body(app, key: str, values: dict) -> dict:
    """The request dash-renderer sends for callback ``key`` (values by id; the rest None)."""
    spec = app.callback_map[key]
    outs = [{"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1].split("@")[0]}
            for part in (key.strip(".").split("...") if key.startswith("..") else [key])]
    items = [{"id": i["id"], "property": i["property"], "value": values.get(i["id"])}
             for i in spec["inputs"]]
    state = [{"id": i["id"], "property": i["property"], "value": values.get(i["id"])}
             for i in spec.get("state", [])]
    return {"output": key, "outputs": outs if key.startswith("..") else outs[0],
            "inputs": items, "state": state, "changedPropIds": [f"{items[0]['id']}.{items[0]['property']}"]}


@pytest.mark.parametrize(("target", "bad"), [("cmp-places", 12345), ("cmp-cats", 12345),
                                             ("cmp-measure", ["a", "b"])])
def test_a_renamed_input_with_a_value_its_control_never_sends_is_a_swedish_400(site, caplog, target, bad):
    app, _store, _cfg = site
    c, headers = _client(app, "lasse")
    body = _body(app, "cmp-content.children", {"cmp-places": ["varberg", "bredang"], "cmp-periods": []})
    item = next(i for i in body["inputs"] + body["state"] if i["id"] == target)
    item["id"], item["value"] = "zzz-okand", bad
    with caplog.at_level(logging.ERROR):
        r = c.post(UPDATE, json=body, headers=headers)
    assert r.status_code == 400, (r.status_code, r.get_data(as_text=True)[:200])
    assert r.get_data(as_text=True).startswith("Felaktig begäran")
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]


def test_another_pages_control_or_property_in_an_inputs_place_is_refused(site):
    """``map-area`` (Karta's) in place of Plats' ``pl-place``, a property swapped, Karta's state."""
    app, _store, _cfg = site
    c, headers = _client(app, "lasse")
    base = _body(app, "pl-content.children", {"pl-place": "varberg"})
    assert c.post(UPDATE, json=base, headers=headers).status_code == 200  # guard: as the browser sends it
    swapped_id, swapped_prop, other_state = (copy.deepcopy(base) for _ in range(3))
    swapped_id["inputs"][0]["id"] = "map-area"
    swapped_prop["inputs"][0]["property"] = "options"
    other_state["state"][0]["id"] = "map-meeting"
    for body in (swapped_id, swapped_prop, other_state):
        r = c.post(UPDATE, json=body, headers=headers)
        assert r.status_code == 400, (r.status_code, r.get_data(as_text=True)[:200])


def test_pattern_inputs_keep_their_keys(site):
    """A pattern-matching input's item must have the pattern's keys and fixed values: the pack's
    download (``{"type": "lb-pack-dl", "fmt": "docx"}``) with another type or an extra key is a 400;
    as the renderer sends it, it runs (guard)."""
    app, _store, _cfg = site
    c, headers = _client(app, "lasse")
    key = '{"fmt":"docx","type":"lb-pack-download"}.data'
    body = {"output": key, "outputs": {"id": {"fmt": "docx", "type": "lb-pack-download"}, "property": "data"},
            "inputs": [{"id": {"fmt": "docx", "type": "lb-pack-dl"}, "property": "n_clicks", "value": 1}],
            "state": [{"id": "lb-pack-job", "property": "data", "value": None}],
            "changedPropIds": ['{"fmt":"docx","type":"lb-pack-dl"}.n_clicks']}
    assert c.post(UPDATE, json=body, headers=headers).status_code == 200
    for wrong in ({"fmt": "docx", "type": "note-remove"}, {"fmt": "docx", "type": "lb-pack-dl", "x": 1},
                  {"fmt": "pdf", "type": "lb-pack-dl"}):
        bad = copy.deepcopy(body)
        bad["inputs"][0]["id"] = wrong
        assert c.post(UPDATE, json=bad, headers=headers).status_code == 400, wrong


def test_a_changed_prop_that_is_no_input_is_refused_not_a_server_error(site, caplog):
    """``dash.ctx.triggered_id`` is what the request's ``changedPropIds`` says: the pack's download took
    its format from it and sent ``status.json``'s ``state`` ("done") as a file name, a server error for
    the user's own finished pack."""
    import json
    from pathlib import Path

    from lagesbild.web import pack_jobs

    app, store, cfg = site
    c, headers = _client(app, "lasse")
    job = "ab" * 16
    folder = Path(cfg.data_dir) / "exports" / job
    folder.mkdir(parents=True)
    pack_jobs.write_owner(folder, store, "lasse", with_map=False)
    (folder / "paket.docx").write_bytes(b"PK docx")
    (folder / "status.json").write_text(json.dumps({"state": "done", "done": 1, "total": 1, "message": "klart",
                                                    "docx": "paket.docx", "pdf": "paket.pdf", "zip": "paket.zip"}),
                                        encoding="utf-8")
    key = '{"fmt":"docx","type":"lb-pack-download"}.data'
    body = {"output": key, "outputs": {"id": {"fmt": "docx", "type": "lb-pack-download"}, "property": "data"},
            "inputs": [{"id": {"fmt": "docx", "type": "lb-pack-dl"}, "property": "n_clicks", "value": 1}],
            "state": [{"id": "lb-pack-job", "property": "data", "value": job}],
            "changedPropIds": ['{"fmt":"docx","type":"lb-pack-dl"}.n_clicks']}
    ok = c.post(UPDATE, json=body, headers=headers)
    assert ok.status_code == 200 and "paket.docx" in ok.get_data(as_text=True)  # guard: the real download
    with caplog.at_level(logging.ERROR):
        for trigger in ('{"fmt":"state","type":"lb-pack-dl"}.n_clicks', '{"fmt":"total","type":"lb-pack-dl"}.n_clicks',
                        "lb-pack-job.data"):
            r = c.post(UPDATE, json={**body, "changedPropIds": [trigger]}, headers=headers)
            assert r.status_code == 400, (trigger, r.status_code, r.get_data(as_text=True)[:120])
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]
