"""End to end: Sedan förra mötet follows the chosen date and keeps it in the URL; notes are added and
removed on Plats.

The served store is the session's demo copy. Its ingests are dated a month back (as if read before
the meeting) and one delivery of counts is read now: a steep rise of personrån at Vårberg in the
spring of 2023, which turns "ingen säkerställd förändring" into a significant increase. The page must
show the new months, that change and a note only for a meeting date before the delivery.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from sqlalchemy import update

from lagesbild import clock
from lagesbild.analysis.meeting import add_meeting_note, meeting_notes
from lagesbild.ingest import ingest_file
from lagesbild.store import schema as t
from tests.e2e_support import SELENIUM_WARNINGS

pytestmark = pytest.mark.filterwarnings(SELENIUM_WARNINGS)

NOTE = "E2E: ordningsvakter på torget från mars."


@pytest.fixture(scope="module")
def delivered(e2e_store, tmp_path_factory):
    """Date the store's ingests a month back, then read a new delivery and write a note.

    Returns the store and the Swedish day taken after the delivery was read, so that a run crossing
    midnight still has the delivery on or before that day (module-level dates would not).
    """
    served_store = e2e_store[1]
    before = dt.datetime.combine(clock.today() - dt.timedelta(days=30), dt.time(12))
    with served_store.engine.begin() as conn:
        conn.execute(update(t.ingest_log).values(started_at=before, finished_at=before))
    months = pd.date_range("2021-09-01", "2023-08-01", freq="MS")
    rows = ["Område,Brottstyp,Period,Antal"] + [
        f"Vårberg,Personrån,{m:%Y-%m},{40 if m >= pd.Timestamp('2023-03-01') else 2}" for m in months]
    path = tmp_path_factory.mktemp("sedan") / "sedan-leverans.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    ingest_file(served_store, "crimes", path, source="e2e-sedan")
    today = clock.today()
    add_meeting_note(served_store, place="varberg", meeting_date=today - dt.timedelta(days=5), author="Anna",
                     text=NOTE)
    return served_store, today


def _type_date(browser, element_id: str, day: dt.date) -> None:
    box = browser.driver.find_element(By.CSS_SELECTOR, f"#{element_id} input")
    box.click()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    box.send_keys(day.isoformat())
    box.send_keys(Keys.ENTER)


def _content(browser) -> str:
    return browser.driver.find_element(By.ID, "sm-content").text


def test_a_chosen_date_shows_new_months_a_changed_verdict_and_notes_and_stays_in_the_url(browser, delivered):
    today = delivered[1]
    browser.open(f"/sedan?mote_datum={today.isoformat()}", "#since-head")
    assert "Inga nya månader har lästs in sedan mötet." in _content(browser)
    assert NOTE not in _content(browser)

    day = today - dt.timedelta(days=10)
    _type_date(browser, "sm-date", day)
    browser.wait_location("/sedan", f"?mote_datum={day.isoformat()}")
    browser.wait(lambda d: "e2e-sedan: antal anmälda brott" in _content(browser),
                 "de nya månaderna visas inte")
    browser.settle()
    text = _content(browser)
    assert "e2e-sedan: antal anmälda brott för september 2021–augusti 2023 (24 månader), Personrån" in text
    changes = browser.driver.find_element(By.CSS_SELECTOR, ".since-changes").text
    assert ("Ny ökning: Vårberg, Personrån (2021–2022 och 2022–2023): vid mötet ingen säkerställd "
            "förändring, nu ökning, statistiskt säkerställd.") in changes
    assert NOTE in browser.driver.find_element(By.CSS_SELECTOR, ".since-notes").text
    assert browser.console_errors() == [] and browser.server_errors() == []

    browser.driver.refresh()  # the URL keeps the date
    browser.settle("#since-head")
    shown = browser.driver.find_element(By.CSS_SELECTOR, "#sm-date input").get_attribute("value")
    assert shown == day.isoformat()
    assert "e2e-sedan" in _content(browser)


def test_a_note_added_on_plats_is_shown_kept_and_removed(browser, delivered):
    opened = clock.today()  # the date picker's default is the day the page was opened
    browser.open("/plats/hasselby-torg", "#place-notes")
    text = "Mötet: fler ordningsvakter kvällstid.\nPolisen följer upp i januari."
    box = browser.driver.find_element(By.ID, "pn-text")
    box.send_keys(text)
    browser.driver.find_element(By.ID, "pn-add").click()
    browser.wait(lambda d: "fler ordningsvakter kvällstid" in d.find_element(By.ID, "pn-list").text,
                 "anteckningen visas inte")
    assert browser.text("pn-status").startswith("Anteckningen sparades")
    kept = meeting_notes(delivered[0], places=["hasselby-torg"])
    row = kept[kept["text"] == text].iloc[0]
    assert row["author"] == "lokal användare" and row["meeting_date"] in {opened, clock.today()}
    item = browser.driver.find_element(By.CSS_SELECTOR, "#pn-list .note-item")
    assert "lokal användare" in item.text
    item.find_element(By.CSS_SELECTOR, ".note-remove").click()
    browser.wait(lambda d: "fler ordningsvakter" not in d.find_element(By.ID, "pn-list").text,
                 "anteckningen tas inte bort")
    assert text not in meeting_notes(delivered[0])["text"].tolist()
    assert browser.console_errors() == [] and browser.server_errors() == []
