"""Requests to /_dash-update-component that no browser of the app sends: an unknown output, a body
that is no callback's JSON, and a callback of a page the user's role may not see. Each must answer
4xx with a Swedish message (never 200, a 500 or English). The callbacks of Karta, Data, Mönster and
Konton other than the ones drawing their content answered a reader with 200 (and ran)."""

from __future__ import annotations

import json
import re

import pytest

from tests.test_security_probe import _client, site  # noqa: F401 (fixture)

SWEDISH = re.compile(r"[åäöÅÄÖ]")
ENGLISH = re.compile(r"\b(the|error occurred|not found|bad request|invalid|internal|unsupported|method)\b", re.I)
#: every callback of the pages a reader may not see (by the start of its key), written out by hand
#: from the pages' controls: (key prefix, role the page needs)
HIDDEN = [("..map-url.search", "analytiker"), ("..map-content.children", "analytiker"),
          ("..dt-report.children...dt-pending.data...dt-commit", "analytiker"), ("..dt-result.children", "analytiker"),
          ("dt-saved.children", "analytiker"), ("..dt-yaml-file.data", "analytiker"),
          ("..dt-report.children@", "analytiker"), ("..pat-url.search", "analytiker"),
          ("pat-content.children", "analytiker"), ("..adm-status.children", "admin")]
ROLE_OF = {"lasse": "läsare", "ann": "analytiker", "ada": "admin"}
RANK = ["läsare", "analytiker", "admin"]


def _message(r) -> str:
    return r.get_json()["error"] if r.is_json and isinstance(r.get_json(), dict) and "error" in r.get_json() \
        else r.get_data(as_text=True)


def _assert_swedish_4xx(r, what):
    text = _message(r)
    assert 400 <= r.status_code < 500, (what, r.status_code, text[:200])
    assert SWEDISH.search(text) and not ENGLISH.search(text), (what, text[:200])


def _body(app, prefix: str) -> dict:
    """The request dash-renderer sends for the callback, every value empty."""
    key = next(k for k in app.callback_map if k.startswith(prefix))
    spec = app.callback_map[key]

    def ident(raw):
        return json.loads(raw) if raw.startswith("{") else raw

    def item(i):
        if "ALL" in i["id"]:
            return []
        return {"id": ident(i["id"]), "property": i["property"], "value": None}

    outs = [{"id": ident(p.rsplit(".", 1)[0]), "property": p.rsplit(".", 1)[1].split("@")[0]}
            for p in (key.strip(".").split("...") if key.startswith("..") else [key])]
    return {"output": key, "outputs": outs if key.startswith("..") else outs[0], "changedPropIds": [],
            "inputs": [item(i) for i in spec["inputs"]], "state": [item(s) for s in spec.get("state", [])]}


@pytest.mark.parametrize("user", ["lasse", "ann"])
def test_every_callback_of_a_page_the_role_may_not_see_is_refused_in_swedish(site, user):  # noqa: F811
    app, _store, _cfg = site
    c, headers = _client(app, user)
    for prefix, needed in HIDDEN:
        r = c.post("/_dash-update-component", json=_body(app, prefix), headers=headers)
        if RANK.index(ROLE_OF[user]) < RANK.index(needed):
            assert r.status_code == 403, (user, prefix, r.status_code, _message(r)[:200])
            _assert_swedish_4xx(r, prefix)
            assert f"kräver rollen {needed}" in _message(r)
        else:
            assert r.status_code != 403, (user, prefix)  # the role may: not refused


def test_the_pages_a_reader_sees_still_answer_their_callbacks(site):  # noqa: F811
    """Guard: the reader's own pages' URL callbacks are not refused."""
    app, _store, _cfg = site
    c, headers = _client(app, "lasse")
    for prefix in ("..ov-url.search", "..sv-url.search", "..ap-url.search", "..cmp-url.search"):
        r = c.post("/_dash-update-component", json=_body(app, prefix), headers=headers)
        assert r.status_code == 200, (prefix, r.status_code, _message(r)[:200])


UNKNOWN = ["nope.children", "..nope.children...x.y..", '{"type":"nope","index":1}.children', "", "..",
           "pl-content.nope", "ov-content.children@abc", "..pl-content.children..", "a" * 5000 + ".x"]


@pytest.mark.parametrize("output", UNKNOWN)
def test_an_unknown_output_is_a_swedish_400(site, output):  # noqa: F811
    app, _store, _cfg = site
    c, headers = _client(app, "ada")
    body = {"output": output, "outputs": {"id": output.split(".")[0], "property": "children"},
            "inputs": [], "changedPropIds": []}
    _assert_swedish_4xx(c.post("/_dash-update-component", json=body, headers=headers), output)


MALFORMED = [("{", "application/json"), ("[1,2", "application/json"), ("null", "application/json"),
             ('"x"', "application/json"), ("[]", "application/json"), ("{}", "application/json"),
             ("[" * 100000, "application/json"), (b"\xff\xfe{", "application/json"), ("", "application/json"),
             ('{"output": NaN}', "application/json"), ('{"output":' + "9" * 5000 + "}", "application/json"),
             (json.dumps({"output": "ov-content.children"}), "text/plain"), ("a=b", "application/x-www-form-urlencoded"),
             ('{"output":"ov-content.children","outputs":{"id":"ov-content","property":"children"},'
              '"inputs":[1e999],"changedPropIds":[]}', "application/json")]


@pytest.mark.parametrize(("data", "ctype"), MALFORMED)
@pytest.mark.parametrize("user", ["lasse", "ada"])
def test_a_body_that_is_no_callback_is_a_swedish_400(site, user, data, ctype):  # noqa: F811
    app, _store, _cfg = site
    c, headers = _client(app, user)
    r = c.post("/_dash-update-component", data=data, headers={**headers, "Content-Type": ctype})
    _assert_swedish_4xx(r, data[:40])
