"""Defects an independent probe found in the Data page's uploads and the meeting packs (requests the
project had not seen), through the real Flask app and its test client on stores built by code."""

from __future__ import annotations

import logging

import pytest

from lagesbild.settings import load_settings
from tests.test_security_probe import SURVEY, UNMAPPED, _call, _client, _text, _upload, site

__all__ = ["site"]  # a fixture, used by name


# ----- the Data page's upload: an opaque token, never the server's path -----------------------------------
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


def test_a_file_of_thousands_of_unknown_columns_gets_a_reason_not_a_form_of_thousands_of_dropdowns(site):
    """An 800 kB one-line CSV of 400 000 cells ("a;a;…") answered after 145 s with a 300 MB form of
    400 000 dropdowns (and the same list in the state kept by the browser)."""
    app, _, _ = site
    c, headers = _client(app, "ann")
    r = _upload(app, c, headers, "a;" * 5000, "bred.csv", "crimes")
    assert len(r.get_data()) < 50_000, len(r.get_data())
    out = r.get_json()["response"]
    text = _text(r).replace("\u00a0", " ")
    # the header is too wide to read at all (fuzz3: more than 2 000 named columns), and the page says so
    # rather than the validation's "välj kolumnerna i formuläret" under no form
    assert "rubrikraden (rad 1) har 5 000 kolumner" in text and "högst 2 000 kolumner" in text
    assert "formuläret" not in text
    assert "dt-col" not in text and out["dt-pending"]["data"] is None
    assert "bred.csv: inget lästes in" in text
    # a header the readers take (at most 2 000 columns) but too wide for a form: the form's reason
    r = _upload(app, c, headers, "a;" * 500, "bred.csv", "crimes")
    text = _text(r).replace("\u00a0", " ")
    assert "Filen har 500 kolumner som inte känns igen, fler än formuläret kan visa (högst 200)" in text
    assert "dt-col" not in text and len(r.get_data()) < 50_000


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


@pytest.mark.parametrize("filename", ["x." + "a" * 300, "x." + "a" * 120 + "." + "b" * 200])
def test_a_file_name_with_a_very_long_extension_gets_a_report_not_a_server_error(site, filename, caplog):
    """sec3: an upload named "x." + 300 letters was saved under that extension, too long a name for the
    file system (OSError "File name too long"): a 500 and an empty upload folder left behind. A real
    extension is short; a longer one is not kept, so the file is read as one without an extension."""
    app, _, _ = site
    c, headers = _client(app, "ann")
    with caplog.at_level(logging.ERROR):
        r = _upload(app, c, headers, "Plats;Brottskategori;Månad;Antal\nvarberg;Rån;2020-01;1\n", filename,
                    "crimes")
    assert r.status_code == 200, r.status_code
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]
