"""The notice about an address naming values that are not here described the address the page was
opened with; after the user changed a control the address names only what the controls show, yet the
notice stayed above the new view. A control change now takes it away; back to the old address brings
it back."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.e2e_support import SELENIUM_WARNINGS

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings(SELENIUM_WARNINGS)]


def _notices(browser, notice_id: str) -> list:
    return browser.driver.find_elements(By.ID, notice_id)


def test_the_overview_notice_goes_when_the_year_is_changed_and_comes_back_with_the_address(browser):
    browser.open("/?per=1999-2000", "#ov-content table, #ov-content .dash-spreadsheet")
    assert "perioden '1999-2000'" in _notices(browser, "ov-link-notice")[0].text
    shown = browser.dropdown_labels("ov-period")[0].split(" (")[0]
    other = "2020–2021" if not shown.startswith("2020–2021") else "2021–2022"
    browser.choose("ov-period", other)
    browser.wait(lambda d: "per=" in browser.location()[1] and "1999" not in browser.location()[1],
                 "the address does not follow the year")
    browser.settle("#ov-content table, #ov-content .dash-spreadsheet")
    assert browser.dropdown_labels("ov-period")[0].startswith(other)
    assert _notices(browser, "ov-link-notice") == []
    # back to the address that named 1999–2000: its notice again
    browser.driver.back()
    browser.wait(lambda d: "1999" in browser.location()[1], "back does not return to the old address")
    browser.settle("#ov-content")
    browser.wait(lambda d: _notices(browser, "ov-link-notice"), "the old address gets no notice")
    assert not browser.server_errors() and not browser.console_errors()


def test_the_compare_notice_goes_when_a_place_is_chosen(browser):
    browser.open("/jamfor?plats=zzz", "#cmp-content")
    assert "platsen 'zzz'" in _notices(browser, "cmp-link-notice")[0].text
    before = browser.location()[1]
    browser.choose("cmp-places", "Vårberg")
    browser.wait(lambda d: browser.location()[1] != before, "the address does not follow the places")
    browser.settle("#cmp-content")
    assert _notices(browser, "cmp-link-notice") == []
    assert not browser.server_errors() and not browser.console_errors()


def test_the_place_notice_goes_when_a_category_is_changed(browser):
    browser.open("/plats/varberg?kat=finns-inte&per=2021-2022&per=2022-2023", "#pl-content")
    assert "kategorin 'finns-inte'" in _notices(browser, "pl-link-notice")[0].text
    before = browser.location()[1]
    browser.remove("pl-cats", browser.dropdown_labels("pl-cats")[0])
    browser.wait(lambda d: browser.location()[1] != before, "the address does not follow the categories")
    browser.settle("#pl-content")
    assert _notices(browser, "pl-link-notice") == []
    assert not browser.server_errors() and not browser.console_errors()
