"""Recheck (sec6): angles the sec6 probe tried on a running server and found held, kept as guards
(each passes on the code before sec6's commits as well).

* A session cookie whose login time (``lb_at``) is not a whole number of seconds in the past —
  in the future, a float, a text, ``True``, absent — is no login: the cookie is signed, so only the
  app can write it, but a later change that trusted any ``lb_at`` would make a login last for ever.
* A läsare's chart or Excel export that names the map, Mönster or Data page in another spelling
  (a trailing slash, a doubled slash) is refused with 403, like the plain path.
* A pack job id that is not 32 hex digits (a trailing newline, a path) offers no download to anyone.
"""

from __future__ import annotations

import json
import time

import pytest

from tests.test_security_probe import _client, site

__all__ = ["site"]  # a fixture, used by name

NOTES = {"output": "pn-list.children", "outputs": {"id": "pn-list", "property": "children"},
         "inputs": [{"id": "pl-place", "property": "value", "value": None},
                    {"id": "pn-version", "property": "data", "value": None}],
         "state": [], "changedPropIds": ["pl-place.value"]}


@pytest.mark.parametrize("login_at", ["future", 1.5, "text", True, "absent"])
def test_a_session_whose_login_time_is_not_a_past_whole_second_is_no_login(site, login_at):
    app, _store, _cfg = site
    c, headers = _client(app, "lasse")
    assert c.post("/_dash-update-component", json=NOTES, headers=headers).status_code == 200
    with c.session_transaction() as sess:
        if login_at == "absent":
            sess.pop("lb_at")
        else:
            sess["lb_at"] = {"future": int(time.time()) + 3600, "text": str(int(time.time()))}.get(
                login_at, login_at)
    assert c.post("/_dash-update-component", json=NOTES, headers=headers).status_code == 401
    assert c.get("/_dash-layout").status_code == 401


def _export(c, headers, kind: str, item: str, path: str, fmt: str):
    key = "graph" if kind == "chart" else "table"
    fig = {key: item, "type": f"lb-{kind}-{'fig' if kind == 'chart' else 'req'}"}
    body = {"output": f'..{{"{key}":["MATCH"],"type":"lb-{kind}-download"}}.data...'
                      f'{{"{key}":["MATCH"],"type":"lb-{kind}-msg"}}.children..',
            "outputs": [{"id": {key: item, "type": f"lb-{kind}-download"}, "property": "data"},
                        {"id": {key: item, "type": f"lb-{kind}-msg"}, "property": "children"}],
            "inputs": [{"id": fig, "property": "data",
                        "value": {"fmt": fmt, "graph": item, "path": path, "search": "", "t": 1}}],
            "state": [], "changedPropIds": [json.dumps(fig, separators=(",", ":"), sort_keys=True) + ".data"]}
    return c.post("/_dash-update-component", json=body, headers=headers)


@pytest.mark.parametrize("path", ["/karta", "/karta/", "//karta", "/monster/", "//data"])
@pytest.mark.parametrize("kind, item, fmt", [("chart", "map-graph", "png"), ("table", "map-graph", "xlsx"),
                                             ("table", "pat-repeat", "xlsx")])
def test_a_readers_export_of_an_analysts_page_in_another_spelling_is_refused(site, path, kind, item, fmt):
    app, _store, _cfg = site
    c, headers = _client(app, "lasse")
    r = _export(c, headers, kind, item, path, fmt)
    assert r.status_code == 403, r.get_data(as_text=True)[:300]
    assert "kräver rollen analytiker" in r.get_json()["error"]


@pytest.mark.parametrize("job", ["0" * 32 + "\n", "../" + "0" * 32, "0" * 31, None])
def test_a_pack_download_of_no_job_id_offers_nothing(site, job):
    app, _store, _cfg = site
    c, headers = _client(app, "ann")
    ident = {"fmt": "zip", "type": "lb-pack-dl"}
    body = {"output": '{"fmt":"zip","type":"lb-pack-download"}.data',
            "outputs": {"id": {"fmt": "zip", "type": "lb-pack-download"}, "property": "data"},
            "inputs": [{"id": ident, "property": "n_clicks", "value": 1}],
            "state": [{"id": "lb-pack-job", "property": "data", "value": job}],
            "changedPropIds": [json.dumps(ident, separators=(",", ":"), sort_keys=True) + ".n_clicks"]}
    r = c.post("/_dash-update-component", json=body, headers=headers)
    assert r.status_code in (200, 204)
    assert r.status_code == 204 or r.get_json()["response"] == {}
