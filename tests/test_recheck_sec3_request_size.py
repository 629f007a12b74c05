"""An independent security recheck (sec3): how much a logged-in user can make one request cost.

Every POST was allowed the upload's size (``LAGESBILD_MAX_UPLOAD_MB`` × 4/3 + 1 MB: 67 MB by default)
and was parsed as JSON by the login guard before anything else looked at it. JSON of small containers
costs far more in memory than its bytes: 60 MB of ``[{},{},…]`` grew a worker by 1.4 GB in 2.4 s, so a
user of the lowest role (``läsare``, who may not upload at all) could take a server's memory with a few
requests. Now a role that may not upload is held to 1 MB per request, refused from its length before the
body is read, and a large body (an upload's size) with more than a JSON request of the app ever holds of
lists, objects and commas is refused before it is parsed.
"""

from __future__ import annotations

import base64

import pytest

from tests.test_security_probe import _call, _client, site

__all__ = ["site"]  # a fixture, used by name

UPDATE = "/_dash-update-component"


@pytest.fixture
def parsed(site, monkeypatch):
    """The sizes of the JSON texts the app parses (``request.get_json`` goes through ``app.json``)."""
    app, _store, _cfg = site
    sizes: list[int] = []
    loads = app.server.json.loads

    def counting(text, **kwargs):
        sizes.append(len(text))
        return loads(text, **kwargs)

    monkeypatch.setattr(app.server.json, "loads", counting)
    return sizes


def _body(items: int) -> bytes:
    """A callback request carrying ``items`` empty objects (about 3 bytes each)."""
    return b'{"output": "pl-content.children", "inputs": [' + b",".join([b"{}"] * items) + b"]}"


def test_a_reader_cannot_post_a_body_of_an_uploads_size(site, parsed):
    """1.5 MB to a callback from a läsare was read and parsed (the limit was the upload's, here 2.3 MB
    for ``max_upload_mb=1``); now it is a Swedish 413 from its length, before it is read."""
    app, _store, _cfg = site
    c, headers = _client(app, "lasse")
    parsed.clear()
    r = c.post(UPDATE, data=_body(500_000), headers={**headers, "Content-Type": "application/json"})
    assert r.status_code == 413, (r.status_code, r.get_data(as_text=True)[:200])
    assert r.get_data(as_text=True).startswith("Begäran är för stor")
    assert "Traceback" not in r.get_data(as_text=True)
    assert not [n for n in parsed if n > 1_000_000]  # never parsed
    # the login form is held to the same bound (no account may be needed to send it)
    anon = app.server.test_client()
    big = anon.post("/login", data={"username": "x" * 1_500_000, "password": "y"},
                    environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert big.status_code == 413


def test_a_body_of_millions_of_small_objects_is_refused_before_it_is_parsed(site, parsed):
    """An analytiker may send an upload's size, but not as JSON of a million containers (1.4 GB of
    memory for 60 MB): a large body whose lists, objects and commas no request of the app has is a
    Swedish 400 before it is parsed."""
    app, _store, _cfg = site
    c, headers = _client(app, "ann")
    parsed.clear()
    r = c.post(UPDATE, data=_body(600_000), headers={**headers, "Content-Type": "application/json"})
    assert r.status_code == 400, (r.status_code, r.get_data(as_text=True)[:200])
    assert r.get_data(as_text=True).startswith("Felaktig begäran")
    assert not [n for n in parsed if n > 1_000_000]


def test_an_analysts_upload_near_the_limit_and_a_readers_callbacks_still_work(site):
    """Guards (pass before and after the change): the upload itself keeps its limit, and the
    callbacks a läsare's browser sends are far under 1 MB."""
    app, _store, _cfg = site
    c, headers = _client(app, "ann")
    text = "Område;Nivå;År;Indikator;Andel (%);Antal svarande\n" + \
        "Vårberg;plats;2023;Oro för brott;21,5;280\n" * 20_000  # 0.9 MB, under the 1 MB limit
    contents = "data:text/csv;base64," + base64.b64encode(text.encode()).decode()
    assert 1_000_000 < len(contents) < 1_400_000
    r = _call(app, c, headers, "..dt-report.children...dt-pending", {
        "dt-upload.contents": contents, "dt-upload.filename": "stor.csv", "dt-kind": "survey",
        "dt-source": None, "dt-crs": None})
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    assert "för stor" not in r.get_data(as_text=True)
    lc, lheaders = _client(app, "lasse")
    page = _call(app, lc, lheaders, ".._pages_content", {"_pages_location.pathname": "/",
                                                          "_pages_location.search": ""})
    assert page.status_code == 200
