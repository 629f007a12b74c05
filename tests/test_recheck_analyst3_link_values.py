"""A copied or typed address that names a period, category, district, area or map mode that is not in
the store says so in Swedish above the view, and the controls show the view that is drawn.

Before, such a link opened another view without a word: ``/?per=1999-2000`` left Översikt's year
dropdown empty ("Välj …") over a table of the latest year, ``/karta?omr=finns-inte`` opened on "inget
område är valt", and an unknown category or map mode was dropped silently (analyst3's findings; only
Sedan sist said so, for its date).
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.e2e_support import SELENIUM_WARNINGS

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings(SELENIUM_WARNINGS)]

NBSP = "\u00a0"


def _notice(browser, notice_id: str) -> str:
    found = browser.driver.find_elements(By.ID, notice_id)
    return found[0].text.replace(NBSP, " ") if found else ""


def test_an_unknown_year_and_category_on_the_overview_are_said_and_the_shown_year_is_in_the_dropdown(browser):
    browser.open("/?per=1999-2000&kat=finns-inte", "#ov-content table, #ov-content .dash-spreadsheet")
    text = _notice(browser, "ov-link-notice")
    assert "1999-2000" in text and "'finns-inte'" in text and "inte finns här" in text, text
    shown = browser.dropdown_labels("ov-period")
    assert shown and shown[0].split(" (")[0] in browser.text("ov-content"), (shown, browser.text("ov-content")[:300])
    assert not browser.server_errors() and not browser.console_errors()


def test_an_unknown_map_area_and_mode_are_said(browser):
    browser.open("/karta?omr=finns-inte&lage=hej", "#map-content")
    text = _notice(browser, "map-link-notice")
    assert "området 'finns-inte'" in text and "visningen 'hej'" in text, text
    assert browser.dropdown_labels("map-area"), "the map should open on its default area"
    assert "inget område är valt" not in browser.text("map-content")


def test_a_link_of_known_values_has_no_notice(browser):
    """Guard: the links the app writes itself open without a notice."""
    browser.open("/karta?omr=skarholmen&kat=inbrott&per=2021-2022", "#map-graph")
    assert _notice(browser, "map-link-notice") == ""
    assert browser.dropdown_labels("map-area")[0].startswith("Skärholmen")
    browser.open("/?per=2021-2022", "#ov-content")
    assert _notice(browser, "ov-link-notice") == ""


@pytest.mark.parametrize("path,notice,content,expected", [
    ("/trygghet?plats=finns-inte", "sv-link-notice", "sv-content", ["platsen 'finns-inte'"]),
    ("/monster?plats=finns-inte&per=1999-2000&kat=zzz", "pat-link-notice", "pat-content",
     ["platsen 'finns-inte'", "perioden '1999-2000'", "kategorin 'zzz'"]),
])
def test_an_unknown_place_on_trygghet_and_monster_is_said(browser, path, notice, content, expected):
    browser.open(path, f"#{content}")
    text = _notice(browser, notice)
    assert all(e in text for e in expected), text
    assert "ingen plats är vald" not in browser.text(content), browser.text(content)[:200]


def test_an_unknown_category_and_an_unreadable_period_on_plats_are_said(browser):
    """Plats opened ``?kat=finns-inte`` on "ingen kategori är vald" and dropped ``per=abc`` silently."""
    browser.open("/plats/varberg?kat=finns-inte&per=abc&per=2021-2022&per=2022-2023", "#pl-content")
    text = _notice(browser, "pl-link-notice")
    assert "kategorin 'finns-inte'" in text and "perioden 'abc'" in text, text
    assert browser.dropdown_labels("pl-cats"), "the place's default categories should be chosen"
    assert "ingen kategori är vald" not in browser.text("pl-content")
    assert browser.dropdown_labels("pl-periods")[:2] == ["2021–2022", "2022–2023"]


def test_unknown_places_on_jamfor_are_said_and_the_default_comparison_is_shown(browser):
    """Jämför platser opened ``?plats=zzz&plats=yyy`` on "ingen plats är vald" without a word."""
    browser.open("/jamfor?plats=zzz&plats=yyy", "#cmp-content")
    text = _notice(browser, "cmp-link-notice")
    assert "platserna 'zzz', 'yyy'" in text, text
    assert browser.dropdown_labels("cmp-places"), "the default place should be chosen"
    assert "ingen plats är vald" not in browser.text("cmp-content")
