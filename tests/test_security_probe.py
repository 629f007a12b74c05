"""Defects an independent probe of the hardening found (requests the project had not seen), through
the real Flask app and its test client on stores built by code."""

from __future__ import annotations

import io
import logging

import pytest

from lagesbild.logconfig import configure_logging
from lagesbild.settings import load_settings
from lagesbild.store import Store


@pytest.fixture
def log_text():
    stream = io.StringIO()
    configure_logging("INFO", stream=stream)
    yield stream
    configure_logging("WARNING")


# ----- server errors ---------------------------------------------------------------------------------
def test_a_server_error_logs_its_traceback_once(tmp_path, log_text):
    """Flask's own "Exception on …" record and the app's "server error on …" record both carried the
    traceback: every 500 was in the log twice."""
    from lagesbild.web import create_app

    cfg = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "e.sqlite"))
    app = create_app(cfg, Store(cfg.db_url))

    def broken():
        raise RuntimeError("ett fel i testet")

    app.server.add_url_rule("/test-fel", "test_fel", broken)
    r = app.server.test_client().get("/test-fel")
    assert r.status_code == 500 and r.get_data(as_text=True).startswith("Något gick fel på servern")
    text = log_text.getvalue()
    assert text.count("Traceback (most recent call last)") == 1, text
    assert text.count("RuntimeError: ett fel i testet") == 1
    assert "lagesbild.web.security ERROR server error on GET /test-fel" in text


# ----- the Data page's upload: an opaque token, never the server's path -----------------------------------
PASSWORDS = {"lasse": "läsarens-lösenord", "ann": "analytikerns-lösenord", "ada": "adminens-lösenord"}
ROLES = {"lasse": "läsare", "ann": "analytiker", "ada": "admin"}
SURVEY = "Område;Nivå;År;Indikator;Andel (%);Antal svarande;Fiktiv\nVårberg;plats;2023;Oro för brott;21,5;280;ja\n"
UNMAPPED = "Ort;Nivå;År;Indikator;Andel (%);Antal svarande\nVårberg;plats;2023;Oro för brott;21,5;280\n"


@pytest.fixture
def site(tmp_path):
    """(app, store, settings): the demo places and one account per role."""
    from lagesbild.ingest import ingest_file, open_store
    from lagesbild.settings import ROOT
    from lagesbild.store import accounts
    from lagesbild.web import create_app

    cfg = load_settings({}, data_dir=str(tmp_path / "data"), db=str(tmp_path / "p.sqlite"), max_upload_mb=1)
    store = open_store(cfg)
    ingest_file(store, "places", ROOT / "geodata" / "places.geojson")
    for name, role in ROLES.items():
        accounts.add_user(store, name, PASSWORDS[name], role)
    return create_app(cfg, store), store, cfg


def _client(app, name):
    import re

    c = app.server.test_client()
    page = c.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = c.post("/login", data={"username": name, "password": PASSWORDS[name], "csrf_token": token})
    assert r.status_code == 302
    c.get("/")
    return c, {"X-CSRFToken": c.get_cookie("_csrf_token").value}


def _call(app, c, headers, prefix: str, values: dict):
    """Post the callback whose key starts with ``prefix`` as dash-renderer does, ``values`` by id (an
    ALL pattern's id by its ``type``; its value a list of items' values)."""
    import json

    key = next(k for k in app.callback_map if k.startswith(prefix))
    spec = app.callback_map[key]

    def item(i):
        ident = json.loads(i["id"]) if i["id"].startswith("{") else i["id"]
        if isinstance(ident, dict):
            got = values.get(ident["type"], [])
            if not isinstance(got, list):
                return {**i, "value": got}  # not what the renderer sends: one item for a list
            return [{"id": {**ident, "index": n}, "property": i["property"], "value": v} for n, v in enumerate(got)]
        return {**i, "value": values.get(f"{ident}.{i['property']}", values.get(ident))}

    outs = []
    for part in key.strip(".").split("..."):
        ident, prop = part.rsplit(".", 1)
        outs.append({"id": ident, "property": prop.split("@")[0]})
    body = {"output": key, "outputs": outs if key.startswith("..") else outs[0],
            "changedPropIds": [f"{spec['inputs'][0]['id']}.{spec['inputs'][0]['property']}"],
            "inputs": [item(i) for i in spec["inputs"]], "state": [item(s) for s in spec.get("state", [])]}
    return c.post("/_dash-update-component", json=body, headers=headers)


def _text(r) -> str:
    """A response as text with JSON's escapes undone (Dash writes '/' as '\\u002f')."""
    import json

    return json.dumps(r.get_json(), ensure_ascii=False) if r.is_json else r.get_data(as_text=True)


def _upload(app, c, headers, text: str, name: str, kind: str):
    import base64

    contents = "data:text/csv;base64," + base64.b64encode(text.encode()).decode()
    r = _call(app, c, headers, "..dt-report.children...dt-pending", {
        "dt-upload.contents": contents, "dt-upload.filename": name, "dt-kind": kind, "dt-source": None,
        "dt-crs": None})
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r


def test_the_browser_gets_an_opaque_upload_token_never_the_servers_path(site):
    """The validated upload and the mapping form's state named the file by its path on the server
    (``/srv/…/uppladdningar/tmpab12/brott.csv``), sent to the browser and trusted when it came back."""
    import re

    app, store, cfg = site
    c, headers = _client(app, "ann")
    sent = _upload(app, c, headers, SURVEY, "trygghet.csv", "survey")
    text = _text(sent)
    assert cfg.data_dir not in text and "uppladdningar" not in text
    pending = sent.get_json()["response"]["dt-pending"]["data"]
    assert set(pending) >= {"upload", "kind", "name"} and "path" not in pending
    assert re.fullmatch(r"[0-9a-f]{32}", pending["upload"])
    mapped = _upload(app, c, headers, UNMAPPED, "ort.csv", "survey")
    state = mapped.get_json()["response"]["dt-map-state"]["data"]
    assert "path" not in state and re.fullmatch(r"[0-9a-f]{32}", state["upload"])
    assert cfg.data_dir not in _text(mapped)
    # the token reads the file in; the form's "Pröva igen" finds its file from the token too
    retried = _call(app, c, headers, "..dt-report.children@", {"dt-retry": 1, "dt-map-state": state,
                                                                "dt-col": ["area"]})
    assert retried.status_code == 200 and cfg.data_dir not in _text(retried)
    assert retried.get_json()["response"]["dt-pending"]["data"]["mapping"] == {"columns": {"area": "Ort"}}
    n = len(store.survey())
    done = _call(app, c, headers, "..dt-result", {"dt-commit": 1, "dt-pending": pending, "dt-keep": []})
    assert done.status_code == 200 and "ingen kontrollerad fil" not in done.get_data(as_text=True)
    assert len(store.survey()) == n + 1


@pytest.mark.parametrize("token", ["/etc/passwd", "../../etc", "0" * 32, ["x"]])
def test_a_crafted_upload_token_reads_nothing_in(site, token):
    app, store, _ = site
    c, headers = _client(app, "ann")
    pending = _upload(app, c, headers, SURVEY, "trygghet.csv", "survey").get_json()["response"]["dt-pending"]["data"]
    before = store.dump()
    r = _call(app, c, headers, "..dt-result", {"dt-commit": 1, "dt-pending": {**pending, "upload": token},
                                                "dt-keep": []})
    assert r.status_code == 200 and "ingen kontrollerad fil" in r.get_data(as_text=True)
    assert store.dump() == before


def test_another_user_cannot_read_in_or_map_someone_elses_upload(site):
    """An upload is its uploader's: another analyst (or an admin) who learns its token gets nothing."""
    app, store, _ = site
    c, headers = _client(app, "ann")
    pending = _upload(app, c, headers, SURVEY, "trygghet.csv", "survey").get_json()["response"]["dt-pending"]["data"]
    state = _upload(app, c, headers, UNMAPPED, "ort.csv", "survey").get_json()["response"]["dt-map-state"]["data"]
    other, other_headers = _client(app, "ada")
    before = store.dump()
    r = _call(app, other, other_headers, "..dt-result", {"dt-commit": 1, "dt-pending": pending, "dt-keep": []})
    assert "ingen kontrollerad fil" in r.get_data(as_text=True) and store.dump() == before
    r = _call(app, other, other_headers, "..dt-report.children@", {"dt-retry": 1, "dt-map-state": state,
                                                                    "dt-col": ["area"]})
    assert r.status_code == 200 and r.get_json()["response"] == {}  # the state names no upload of theirs
    r = _call(app, c, headers, "..dt-result", {"dt-commit": 1, "dt-pending": pending, "dt-keep": []})
    assert "ingen kontrollerad fil" not in r.get_data(as_text=True)  # still the uploader's to read in


def test_one_value_where_a_form_sends_a_list_is_a_swedish_400_not_a_server_error(site, caplog):
    """"Pröva igen" with a number for the form's column choices (an ALL pattern: a list) ran the
    callback, which failed with a server error and a traceback."""
    app, _, _ = site
    c, headers = _client(app, "ann")
    state = _upload(app, c, headers, UNMAPPED, "ort.csv", "survey").get_json()["response"]["dt-map-state"]["data"]
    with caplog.at_level(logging.ERROR):
        r = _call(app, c, headers, "..dt-report.children@", {"dt-retry": 1, "dt-map-state": state, "dt-col": 1})
    assert r.status_code == 400 and r.get_data(as_text=True).startswith("Felaktig begäran")
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]


def test_a_saved_mapping_is_named_within_the_data_folder_not_by_its_server_path(site):
    """After "Läs in" of a mapped file the page said where the mapping was saved with its full path on
    the server (``/srv/lagesbild/data/mappningar/…``)."""
    app, _, cfg = site
    c, headers = _client(app, "ann")
    state = _upload(app, c, headers, UNMAPPED, "ort.csv", "survey").get_json()["response"]["dt-map-state"]["data"]
    retried = _call(app, c, headers, "..dt-report.children@", {"dt-retry": 1, "dt-map-state": state,
                                                                "dt-col": ["area"]})
    pending = retried.get_json()["response"]["dt-pending"]["data"]
    done = _call(app, c, headers, "..dt-result", {"dt-commit": 1, "dt-pending": pending, "dt-keep": []})
    text = _text(done)
    assert "Mappningen sparades som 'trygghetsmatning'" in text
    assert "mappningar/trygghetsmatning.yaml i datamappen" in text and cfg.data_dir not in text


# ----- logins ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["/\r\nSet-Cookie: x=1", "/plats/x\n", "/\x00", "/\x7f"])
def test_a_next_address_with_a_line_break_goes_to_the_start_page_not_a_server_error(site, target, caplog):
    """``next=/%0d%0aSet-Cookie:…`` after a login (or on the login page when logged in) made the
    redirect's header hold a line break: Werkzeug refused it, a 500 and a logged traceback."""
    import re

    app, _, _ = site
    c = app.server.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").get_data(as_text=True)).group(1)
    with caplog.at_level(logging.ERROR):
        r = c.post("/login", data={"username": "lasse", "password": PASSWORDS["lasse"], "csrf_token": token,
                                   "next": target})
        again = c.get("/login", query_string={"next": target})
    assert (r.status_code, r.headers["Location"]) == (302, "/")
    assert (again.status_code, again.headers["Location"]) == (302, "/")
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]


def test_a_get_of_logout_is_not_served_without_a_login(site):
    """``/logout`` was public for any method: a GET fell through to Dash's catch-all, which served the
    app's page shell to anyone."""
    app, _, _ = site
    r = app.server.test_client().get("/logout", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")
    c, _headers = _client(app, "lasse")
    token = c.get_cookie("_csrf_token").value
    out = c.post("/logout", data={"csrf_token": token})  # the real logout still works without a login check
    assert out.status_code == 302 and out.headers["Location"] == "/login"
    assert c.get("/", follow_redirects=False).status_code == 302


@pytest.mark.parametrize("header", ["X-Real-IP", "X-Forwarded-Host", "X-Forwarded-Proto", "Via"])
def test_open_mode_is_off_for_a_request_a_proxy_passed_on(tmp_path, header):
    """Without accounts only a browser on this machine is served without login; an nginx that sets
    only ``X-Real-IP`` (a common setup) passed every client on as a local one."""
    from lagesbild.web import create_app

    cfg = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "o.sqlite"))
    app = create_app(cfg, Store(cfg.db_url))
    c = app.server.test_client()
    assert c.get("/").status_code == 200  # open mode: a local browser
    r = c.get("/", headers={header: "203.0.113.9"})
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")
    assert c.post("/_dash-update-component", json={}, headers={header: "203.0.113.9"}).status_code == 401


@pytest.mark.parametrize("path", ["/assets/", "/_dash-component-suites/", "/_dash-component-suites/x",
                                  "/favicon.ico", "/logout"])
def test_a_public_looking_path_without_a_public_route_needs_a_login(site, path):
    """The guard let paths through by their beginning; these have no route of their own, so Dash's
    catch-all answered them with the app's page shell, to anyone."""
    app, _, _ = site
    r = app.server.test_client().get(path, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert r.status_code in (302, 401) and "_dash-config" not in r.get_data(as_text=True), (path, r.status_code)
    assert r.status_code == 401 or r.headers["Location"].startswith("/login")


def test_static_files_and_the_login_page_are_still_public(site):
    import re

    app, _, _ = site
    c = app.server.test_client()
    page = c.get("/login", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert page.status_code == 200
    assert c.get("/assets/style.css").status_code == 200
    script = re.search(r'src="(/_dash-component-suites/[^"]+)"', c.get("/login").get_data(as_text=True)
                       ) or re.search(r'"(/_dash-component-suites/dash/dash-renderer/[^"]+)"',
                                      _client(app, "lasse")[0].get("/").get_data(as_text=True))
    assert c.get(script.group(1)).status_code == 200
    assert c.get("/_dash-component-suites/dash/nope.js").status_code == 404  # a Swedish 404, not a login


# ----- meeting packs ---------------------------------------------------------------------------------
def _finished(job_id: str) -> None:
    """Wait for a pack this test started (packs are built in threads; at most two at a time)."""
    import time

    from lagesbild.web import pack_jobs

    deadline = time.monotonic() + 180
    while job_id in pack_jobs._RUNNING and time.monotonic() < deadline:
        time.sleep(0.2)


def test_a_meeting_name_too_long_for_the_pack_is_refused_in_swedish_before_it_starts(site):
    """A 250-character meeting name started a pack that failed with python-docx's English "exceeded
    255 char limit for property, got: 'Lägesbild – …'" as the message on the page."""
    app, _, _ = site
    c, headers = _client(app, "lasse")
    r = _call(app, c, headers, "..lb-pack-job.data", {
        "lb-pack-start": 1, "lb-pack-places": ["varberg"], "lb-pack-periods": ["2019–2020", "2020–2021"],
        "lb-pack-meeting": "Beredningsgrupp " + "x" * 240, "lb-pack-external": []})
    out = r.get_json()["response"]
    assert out["lb-pack-status"]["children"] == "Mötets namn är för långt: högst 100 tecken."
    assert "lb-pack-job" not in out  # no job was started
    ok = _call(app, c, headers, "..lb-pack-job.data", {
        "lb-pack-start": 1, "lb-pack-places": ["varberg"], "lb-pack-periods": ["2019–2020", "2020–2021"],
        "lb-pack-meeting": "x" * 100, "lb-pack-external": []}).get_json()["response"]
    assert ok["lb-pack-status"]["children"] == "Skapar mötespaketet …" and ok["lb-pack-job"]["data"]
    _finished(ok["lb-pack-job"]["data"])


def test_an_unexpected_pack_failure_is_told_in_swedish_and_its_english_reason_logged(demo_store, tmp_path,
                                                                                     log_text):
    """Whatever a library raised while building a pack was shown to the user as it came (English, or
    with a path on the server: python-docx's "exceeded 255 char limit for property" for a long meeting
    name was one); the package's own errors are Swedish and still shown."""
    import json

    from lagesbild.web.pack_jobs import run_pack_job

    cfg = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "x.sqlite"))
    folder = tmp_path / "job"
    folder.mkdir()
    # a request no page sends (no places: Python's own TypeError), as any library's error would be
    run_pack_job(folder, demo_store, cfg, places=None, periods=["2019–2020", "2020–2021"], meeting="M")
    status = json.loads((folder / "status.json").read_text(encoding="utf-8"))
    assert status["state"] == "failed"
    assert status["message"].startswith("Mötespaketet kunde inte skapas på grund av ett oväntat fel")
    assert "NoneType" not in status["message"] and str(tmp_path) not in status["message"]
    assert "object is not iterable" in log_text.getvalue() and "Traceback" in log_text.getvalue()
    run_pack_job(folder, demo_store, cfg, places=["finns-inte"], periods=["2019–2020", "2020–2021"],
                 meeting="M")
    status = json.loads((folder / "status.json").read_text(encoding="utf-8"))
    assert status["message"].startswith("Mötespaketet kunde inte skapas: Okänd plats: 'finns-inte'")


# ----- Swedish wording ---------------------------------------------------------------------------------
def test_a_file_over_the_limit_is_refused_as_a_report_not_as_nothing_to_show(site):
    """The refusal read "Inget att visa: Filen är för stor: största tillåtna storlek är 1 MB. …" (two
    colons, the card for an empty view); it is the upload's report: the file, "inget lästes in", why."""
    app, _, _ = site
    c, headers = _client(app, "ann")
    r = _upload(app, c, headers, "a;b\n" * 300_000, "stor.csv", "crimes")
    text = _text(r)
    assert "Inget att visa" not in text
    report = r.get_json()["response"]["dt-report"]["children"]["props"]
    assert report["role"] == "alert" and "bad" in report["className"]
    heading, reason = (child["props"]["children"] for child in report["children"])
    assert heading == "stor.csv: inget lästes in"
    assert reason.startswith("Filen är för stor: största tillåtna storlek är 1 MB.")


# ----- uploads that would make an unbounded mapping form -----------------------------------------------
def test_a_file_of_thousands_of_unknown_columns_gets_a_reason_not_a_form_of_thousands_of_dropdowns(site):
    """An 800 kB one-line CSV of 400 000 cells ("a;a;…") answered after 145 s with a 300 MB form of
    400 000 dropdowns (and the same list in the state kept by the browser)."""
    app, _, _ = site
    c, headers = _client(app, "ann")
    r = _upload(app, c, headers, "a;" * 5000, "bred.csv", "crimes")
    assert len(r.get_data()) < 50_000, len(r.get_data())
    out = r.get_json()["response"]
    text = _text(r).replace("\u00a0", " ")
    assert "Filen har 5 001 kolumner som inte känns igen, fler än formuläret kan visa (högst 200)" in text
    assert "dt-col" not in text and out["dt-pending"]["data"] is None
    assert "inget lästes in" in text  # the validation's own reason is there too


def test_a_file_of_hundreds_of_unknown_category_texts_gets_a_reason_not_a_form(site):
    app, _, _ = site
    c, headers = _client(app, "ann")
    rows = "".join(f"varberg;påhittad kategori {i};2020-01;1\n" for i in range(300))
    r = _upload(app, c, headers, "Plats;Brottskategori;Månad;Antal\n" + rows, "kat.csv", "crimes")
    text = _text(r).replace("\u00a0", " ")
    assert "Filen har 300 brottskategorier som inte känns igen" in text and "dt-cat" not in text
    assert len(r.get_data()) < 100_000, len(r.get_data())


def test_a_saved_mapping_can_be_forgotten_after_its_file_was_read_in(site):
    """"Glöm mappningen" stays on the page after "Läs in", which removes the uploaded file: the
    upload's token still names it for its uploader (and for nobody else)."""
    app, _, cfg = site
    c, headers = _client(app, "ann")
    state = _upload(app, c, headers, UNMAPPED, "ort.csv", "survey").get_json()["response"]["dt-map-state"]["data"]
    pending = _call(app, c, headers, "..dt-report.children@", {"dt-retry": 1, "dt-map-state": state,
                                                                "dt-col": ["area"]}).get_json()["response"]
    _call(app, c, headers, "..dt-result", {"dt-commit": 1, "dt-pending": pending["dt-pending"]["data"],
                                           "dt-keep": []})
    again = _upload(app, c, headers, UNMAPPED.replace("2023", "2022"), "ort.csv", "survey").get_json()["response"]
    state, pending = again["dt-map-state"]["data"], again["dt-pending"]["data"]
    assert state["saved"] == "trygghetsmatning" and pending
    done = _call(app, c, headers, "..dt-result", {"dt-commit": 1, "dt-pending": pending, "dt-keep": []})
    assert "ingen kontrollerad fil" not in _text(done)
    other, other_headers = _client(app, "ada")
    r = _call(app, other, other_headers, "dt-saved.children@", {"dt-forget": 1, "dt-map-state": state})
    assert r.status_code == 204 or r.get_json()["response"] == {}, _text(r)  # not the admin's upload
    r = _call(app, c, headers, "dt-saved.children@", {"dt-forget": 1, "dt-map-state": state})
    assert "Mappningen 'trygghetsmatning' är borttagen" in _text(r)


def test_a_source_name_too_long_is_told_under_the_files_name_not_a_command_line_option(site):
    """The Data page's "Källans namn" of 500 characters was refused under the heading "--source: inget
    lästes in" (the command line's option, which the page does not have)."""
    app, _, _ = site
    c, headers = _client(app, "ann")
    r = _call(app, c, headers, "..dt-report.children...dt-pending", {
        "dt-upload.contents": "data:text/csv;base64,QTtCCg==", "dt-upload.filename": "brott.csv",
        "dt-kind": "crimes", "dt-source": "x" * 500, "dt-crs": None})
    text = _text(r)
    assert "brott.csv: inget lästes in" in text and "--source" not in text
    assert "källans namn är 500 tecken långt; högst 120 tecken får plats" in text


# ----- caching ---------------------------------------------------------------------------------------
def test_the_users_answers_are_not_kept_by_caches_but_static_files_may_be(site):
    """Only HTML said ``Cache-Control: no-store``: ``/_dash-layout`` (the user's name and the logout
    form's CSRF token), callback answers with data and downloads carried no cache header."""
    app, _, _ = site
    c, headers = _client(app, "lasse")
    layout = c.get("/_dash-layout")
    assert "lasse" in layout.get_data(as_text=True) and layout.headers["Cache-Control"] == "no-store"
    assert c.get("/_dash-dependencies").headers["Cache-Control"] == "no-store"
    answer = _call(app, c, headers, ".._pages_content", {"_pages_location.pathname": "/",
                                                          "_pages_location.search": ""})
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert c.get("/assets/style.css").headers["Cache-Control"] != "no-store"  # Flask's own revalidation


def test_a_job_folder_gone_while_old_jobs_are_cleared_does_not_stop_a_new_pack(site):
    """Starting a pack clears jobs older than a day; a job another worker removed between the folder
    listing and its ``stat`` (here: a job name whose folder is gone, a dangling link) was a server error
    for every pack started."""
    from pathlib import Path

    app, _, cfg = site
    exports = Path(cfg.data_dir) / "exports"
    exports.mkdir(parents=True)
    (exports / ("f" * 32)).symlink_to(exports / "finns-inte")
    c, headers = _client(app, "lasse")
    r = _call(app, c, headers, "..lb-pack-job.data", {
        "lb-pack-start": 1, "lb-pack-places": ["varberg"], "lb-pack-periods": ["2019–2020", "2020–2021"],
        "lb-pack-meeting": "Beredningsgrupp", "lb-pack-external": []})
    assert r.status_code == 200, r.get_data(as_text=True)[:200]
    assert r.get_json()["response"]["lb-pack-status"]["children"] == "Skapar mötespaketet …"
    _finished(r.get_json()["response"]["lb-pack-job"]["data"])


def test_reading_in_with_rejected_rows_names_their_report_without_the_servers_path(site):
    """"Läs in" of a file with rejected rows said "Avvisade rader med orsak:
    /srv/…/uppladdningar/<token>/delvis.avvisade.csv" on the page, and the ingest history (its table
    and its Excel download) kept saying it."""
    from lagesbild.web.views import data as view

    app, store, cfg = site
    c, headers = _client(app, "ann")
    text = ("Plats;Brottskategori;Månad;Antal\nvarberg;Skadegörelse;2019-03;4\n"
            "varberg;Skadegörelse;2019-04;-4\n")
    pending = _upload(app, c, headers, text, "delvis.csv", "crimes").get_json()["response"]["dt-pending"]["data"]
    done = _call(app, c, headers, "..dt-result", {"dt-commit": 1, "dt-pending": pending, "dt-keep": ["keep"]})
    shown = _text(done)
    assert "1 rad inläst, 1 avvisad" in shown and "delvis.avvisade.csv" in shown
    assert cfg.data_dir not in shown and "uppladdningar" not in shown
    history = str(view.summary_view(store))
    assert "delvis.avvisade.csv" in history and cfg.data_dir not in history


def test_a_login_ends_after_the_session_hours_even_while_in_use(site):
    """"A session lasts LAGESBILD_SESSION_HOURS" (8 hours a login): the session cookie was renewed with
    every request, so a login in use never ended. The login's time is in the signed cookie now."""
    import time

    app, _, cfg = site
    c, _headers = _client(app, "lasse")
    assert c.get("/", follow_redirects=False).status_code == 200
    with c.session_transaction() as sess:  # the same login, made a little over the hours ago
        sess["lb_at"] = int(sess.get("lb_at", time.time())) - cfg.session_hours * 3600 - 60
    r = c.get("/", follow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")
    assert c.get("/_dash-layout").status_code == 401
    c2, _ = _client(app, "lasse")  # logging in again starts a new login
    assert c2.get("/", follow_redirects=False).status_code == 200
