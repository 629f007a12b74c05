"""Requests the server must refuse in Swedish (checker sec).

- An upload sent without a length (chunked) over the limit gets the refusal of a file too large:
  Werkzeug read up to the limit and handed on the cut body, which read as JSON was "Felaktig begäran:
  servern kunde inte tolka den".
- A callback key whose pattern id is JSON nested too deep, and a page path without its leading slash,
  are a Swedish 400, not a server error.
"""

from __future__ import annotations

import base64
import io
import json
import threading

import pytest
import requests
from werkzeug.test import EnvironBuilder

from lagesbild.settings import load_settings
from lagesbild.store import Store
from lagesbild.web.security import TOO_LARGE


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """A test client of the app in open mode (no accounts, loopback) with a 1 MB upload limit, and
    the CSRF token Dash would send."""
    from lagesbild.web import create_app

    folder = tmp_path_factory.mktemp("sec-up")
    cfg = load_settings({}, data_dir=str(folder), db=str(folder / "s.sqlite"), max_upload_mb=1)
    app = create_app(cfg, Store(cfg.db_url))
    client = app.server.test_client()
    client.get("/data")
    token = client.get_cookie("_csrf_token").value
    return client, token


def _upload_body(size: int) -> bytes:
    content = "data:text/csv;base64," + base64.b64encode(b"a" * size).decode()
    return json.dumps({
        "output": "..dt-report.children...dt-pending.data..", "outputs": [],
        "inputs": [{"id": "dt-upload", "property": "contents", "value": content}],
        "state": [], "changedPropIds": ["dt-upload.contents"]}).encode()


def _chunked(body: bytes, headers: dict) -> dict:
    """The WSGI environ of a POST without a Content-Length (as a server hands on a chunked body)."""
    environ = EnvironBuilder(method="POST", path="/_dash-update-component", input_stream=io.BytesIO(body),
                             headers=headers).get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ["wsgi.input_terminated"] = True  # the body is read until the stream ends
    return environ


def test_an_upload_over_the_limit_with_a_length_is_refused_as_too_large(client):
    client, token = client
    response = client.post("/_dash-update-component", data=_upload_body(2 * 1024 * 1024),
                           headers={"X-CSRFToken": token, "Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.get_data(as_text=True) == TOO_LARGE.format(mb=1)


@pytest.fixture(scope="module")
def served(client):
    """The same app behind Werkzeug's own HTTP server on a free loopback port (the test client hands
    the body on differently from a server: the cut body came only from a real server)."""
    from werkzeug.serving import make_server

    flask_client, _token = client
    server = make_server("127.0.0.1", 0, flask_client.application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def test_a_chunked_upload_over_the_limit_through_http_is_refused_as_too_large(served):
    session = requests.Session()
    session.get(served + "/data")
    body = _upload_body(2 * 1024 * 1024)
    parts = (body[i:i + 65536] for i in range(0, len(body), 65536))  # a generator: sent chunked
    response = session.post(served + "/_dash-update-component", data=parts, headers={
        "Content-Type": "application/json", "X-CSRFToken": session.cookies["_csrf_token"]})
    assert response.request.headers.get("Transfer-Encoding") == "chunked"
    assert response.status_code == 413
    assert response.text == TOO_LARGE.format(mb=1)


def test_a_small_chunked_request_is_not_refused_as_too_large(client):
    client, token = client
    response = client.open(_chunked(b'{"output": 1}', {"X-CSRFToken": token,
                                                        "Content-Type": "application/json"}))
    assert response.status_code == 400  # read whole, then found malformed: not a size refusal
    assert "servern kunde inte tolka den" in response.get_data(as_text=True)


@pytest.mark.parametrize("output", ['{"a":' * 100_000 + "1" + "}" * 100_000 + ".children",
                                    ".." + '{"a":' * 100_000 + "1" + "}" * 100_000 + ".children...x.y.."])
def test_a_callback_key_nested_too_deep_is_a_swedish_400_not_a_server_error(client, output, caplog):
    # the callback key is text in a JSON body that itself reads fine; its pattern id was read as JSON
    # with only ValueError caught: a RecursionError was a 500 and a traceback in the log
    client, token = client
    response = client.post("/_dash-update-component", headers={"X-CSRFToken": token}, json={
        "output": output, "outputs": {"id": "x", "property": "children"}, "inputs": [], "state": [],
        "changedPropIds": []})
    assert response.status_code == 400
    assert response.get_data(as_text=True).startswith("Felaktig begäran")
    assert "RecursionError" not in caplog.text


def test_a_page_path_without_its_slash_is_a_swedish_400_not_a_server_error(client, caplog):
    # Dash's pages callback raised "Paths that aren't prefixed with requests_pathname_prefix are not
    # supported" (a 500 and a logged traceback) for a location path the browser never sends
    client, token = client
    body = {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"},
                        {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": "plats"},
                       {"id": "_pages_location", "property": "search", "value": ""}],
            "state": [], "changedPropIds": ["_pages_location.pathname"]}
    response = client.post("/_dash-update-component", headers={"X-CSRFToken": token}, json=body)
    assert response.status_code == 400
    assert response.get_data(as_text=True).startswith("Felaktig begäran")
    assert "server error" not in caplog.text
    body["inputs"][0]["value"] = "/plats"
    assert client.post("/_dash-update-component", headers={"X-CSRFToken": token}, json=body).status_code == 200
