"""End to end: uploading files on Data (drag-and-drop ``dcc.Upload``) validates before anything is stored.

A file with bad rows shows each rejected row with its line, column, value and reason, offers nothing to
read in, and leaves every table of the store as it was. A good file shows a report (rows that can be
read in) while the store is still unchanged; only "Läs in" writes it.
"""

from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.by import By

from tests.e2e_support import SELENIUM_WARNINGS

pytestmark = pytest.mark.filterwarnings(SELENIUM_WARNINGS)

#: a survey file with two bad rows (line numbers count the header as line 1)
BAD_SURVEY = ("Område,Nivå,År,Indikator,Andel,Svarande\n"
              "Vårberg,plats,2021,Otrygg utomhus sent en kväll,ungefär hälften,230\n"
              "Vårberg,plats,2021,Utsatt för brott,0.2,tvåhundra\n")
BAD_ROWS = [("2", "Andel", "ungefär hälften"), ("3", "Svarande", "tvåhundra")]


def _events(n: int) -> list[dict]:
    """``n`` events in the shape of Polisen's public events API."""
    return [{"id": 990000 + i, "datetime": f"2023-08-{10 + i:02d} 12:00:00 +02:00",
             "name": f"{10 + i} augusti 11.30, Stöld, Stockholm", "summary": "Testhändelse.",
             "url": f"/aktuellt/handelser/2023/augusti/{10 + i}/test/", "type": "Stöld",
             "location": {"name": "Stockholm", "gps": "59.329324,18.068581"}} for i in range(n)]


def _data(store) -> dict:
    """Every table but the audit log (which records the upload itself, by design)."""
    return {k: v for k, v in store.dump().items() if k != "audit_log"}


def _upload(browser, path) -> None:
    browser.driver.find_element(By.CSS_SELECTOR, "#dt-upload input[type=file]").send_keys(str(path))


def _commit_enabled(browser) -> bool:
    return browser.driver.find_element(By.ID, "dt-commit").is_enabled()


def test_a_bad_file_shows_line_column_and_reason_and_changes_nothing(browser, served_store, tmp_path):
    path = tmp_path / "trygghet-fel.csv"
    path.write_text(BAD_SURVEY, encoding="utf-8")
    before = _data(served_store)
    browser.open("/data", "#data-counts")
    browser.choose("dt-kind", "Trygghetsmätning")
    _upload(browser, path)
    browser.settle("#upload-errors")
    browser.screenshot("data-uppladdning-fel")

    table = browser.table("upload-errors")
    assert table["columns"] == ["Rad", "Kolumn", "Värde", "Orsak"]
    assert [(r["Rad"], r["Kolumn"], r["Värde"]) for r in table["rows"]] == BAD_ROWS
    assert all(len(r["Orsak"]) > 5 for r in table["rows"])
    report = browser.text("dt-report")
    assert "trygghet-fel.csv" in report and "Avvisade rader: 2" in report
    assert not _commit_enabled(browser)
    assert _data(served_store) == before
    last = max(served_store.dump()["audit_log"])  # the newest entry (highest id)
    assert last[3:5] == ("upload", "trygghet-fel.csv (survey), avvisad")
    assert browser.console_errors() == []
    assert browser.server_errors() == []


def test_a_good_file_shows_a_report_before_it_is_read_in(browser, served_store, tmp_path):
    path = tmp_path / "handelser.json"
    path.write_text(json.dumps(_events(3), ensure_ascii=False), encoding="utf-8")
    before = _data(served_store)
    events_before = served_store.counts()["events"]
    browser.open("/data", "#data-counts")
    _upload(browser, path)
    browser.wait(lambda d: _commit_enabled(browser), "rapporten erbjuder inte att läsa in filen")
    browser.settle()
    browser.screenshot("data-uppladdning-rapport")

    report = browser.text("dt-report")
    assert "handelser.json" in report and "Godkända rader: 3" in report and "Avvisade rader: 0" in report
    assert browser.driver.find_elements(By.ID, "upload-errors") == []
    assert _data(served_store) == before  # validated, not stored

    browser.driver.find_element(By.ID, "dt-commit").click()
    browser.wait(lambda d: "inläst" in browser.text("dt-result"), "filen läses inte in")
    browser.settle()
    assert served_store.counts()["events"] == events_before + 3
    log = served_store.ingest_log().sort_values("ingest_id")
    assert log.iloc[-1][["kind", "file_name", "rows_accepted", "status"]].tolist() == [
        "events", "handelser.json", 3, "ok"]
    counts = {r["Innehåll"]: r["Antal"] for r in browser.table("data-counts")["rows"]}
    assert counts["Polisens händelser"] == str(events_before + 3)
    assert not _commit_enabled(browser)
    assert browser.console_errors() == []
    assert browser.server_errors() == []
